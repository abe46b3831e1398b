"""Faceted lists: counts checked against the graph, values of one facet OR-ed and facets AND-ed, every list
state a shareable URL (the page's own links reproduce it), long lists paginated."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from browser_helpers import ID, page_of
from rdflib.namespace import FOAF, RDF

PREFIXES = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


def persons_where(graph, pattern: str) -> set[str]:
    rows = graph.query(PREFIXES + f"SELECT DISTINCT ?p WHERE {{ ?e a cps:Participation ; org:member ?p . {pattern} }}")
    return {str(row.p) for row in rows}


def listing(client, name, **args):
    response = client.get(f"/{name}.json", query_string=args)
    assert response.status_code == 200
    return response.get_json()


def test_country_facet_counts_persons_per_country(client, public_graph):
    data = listing(client, "persons")
    country = next(f for f in data["facets"] if f["name"] == "country")
    counts = {v["value"]: v["count"] for v in country["values"]}
    rows = public_graph.query(PREFIXES + """SELECT ?c (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?e a cps:Participation ; org:member ?p ; cps:country ?c } GROUP BY ?c""")
    assert counts == {str(row.c).rsplit("/", 1)[-1]: int(row.n) for row in rows}
    persons = set(public_graph.subjects(RDF.type, FOAF.Person))
    assert data["total"] == len(persons) == 86   # every person of the list of participants (Anexo III)


def test_values_of_one_facet_are_alternatives_and_facets_combine(client, public_graph):
    argentina = persons_where(public_graph, f"?e cps:country <{ID}country/AR>")
    uruguay = persons_where(public_graph, f"?e cps:country <{ID}country/UY>")
    both = listing(client, "persons", country=["AR", "UY"])
    assert {item["iri"] for item in both["items"]} == argentina | uruguay
    focal_in_brazil = persons_where(public_graph, f"?e cps:country <{ID}country/BR> ; org:role <{ID}role/punto-focal-cps>")
    narrowed = listing(client, "persons", country="BR", role="punto-focal-cps")
    assert {item["iri"] for item in narrowed["items"]} == focal_in_brazil
    # the role facet counts within Brazil: its counts say what choosing each role would show
    brazil = listing(client, "persons", country="BR")
    roles = {v["value"]: v["count"] for f in brazil["facets"] if f["name"] == "role" for v in f["values"]}
    assert roles["punto-focal-cps"] == len(focal_in_brazil)


def test_a_facet_link_is_the_shareable_url_of_the_next_state(client):
    page = page_of(client.get("/persons?country=AR", headers={"Accept-Language": "en"}))
    uruguay = next(a["href"] for a in page.links if a.get("href", "").startswith("/persons?") and "UY" in a["href"])
    assert parse_qs(urlsplit(uruguay).query)["country"] == ["AR", "UY"]
    state = listing(client, "persons", **parse_qs(urlsplit(uruguay).query))
    assert state["selected"] == {"country": ["AR", "UY"]}
    # the selected value's link removes it again
    argentina = next(a for a in page.links if a.get("aria-current") == "true" and "/persons" in a.get("href", ""))
    assert "country=AR" not in argentina["href"]
    assert page.alternates()["application/json"].startswith("/persons.json?country=AR")


def test_long_lists_paginate_without_losing_or_repeating_items(client):
    total = listing(client, "organizations")["total"]
    assert total > 50
    seen = []
    page_number = 1
    while True:
        page = page_of(client.get("/organizations", query_string={"page": page_number}))
        items = [a["href"] for a in page.links if a.get("href", "").startswith("/page/organization/")]
        seen.extend(items)
        if not any(a.get("rel") == "next" for a in page.links):
            break
        page_number += 1
    assert page_number == -(-total // 50)
    assert len(seen) == len(set(seen)) == total


def test_organizations_by_kind_and_country(client, public_graph):
    data = listing(client, "organizations", kind="gobierno", country="AR")
    rows = public_graph.query(PREFIXES + f"""SELECT DISTINCT ?o WHERE {{ ?o org:classification <{ID}sector/gobierno> ;
        cps:country <{ID}country/AR> . FILTER(STRSTARTS(STR(?o), "{ID}organization/")) }}""")
    assert {item["iri"] for item in data["items"]} == {str(row.o) for row in rows}
    assert ID + "organization/gobierno-ar" in {item["iri"] for item in data["items"]}


def test_priorities_by_subregion_theme_and_horizon(client, public_graph):
    data = listing(client, "priorities", subregion="cono-sur")
    rows = public_graph.query(PREFIXES + f"""SELECT DISTINCT ?p WHERE {{ <{ID}plan/cono-sur> dcterms:hasPart+ ?p . ?p a cps:Priority }}""")
    assert {item["iri"] for item in data["items"]} == {str(row.p) for row in rows}
    facets = {f["name"]: {v["value"] for v in f["values"]} for f in data["facets"]}
    assert facets["horizon"] <= {"corto-plazo", "mediano-plazo", "largo-plazo"}
    assert facets["theme"] and facets["plan"] == {"cono-sur"}
    short = listing(client, "priorities", horizon="corto-plazo")
    assert 0 < short["total"] < listing(client, "priorities")["total"]


def test_unknown_facet_values_are_ignored_not_errors(client):
    assert listing(client, "persons", country="ZZ")["total"] == 86
    assert client.get("/persons", query_string={"page": "x"}).status_code == 200


def test_priorities_keep_the_plans_order(client):
    """Priorities are listed as the plan numbers them (P2 before P10), not alphabetically."""
    items = [item["iri"] for item in listing(client, "priorities", plan="empresas")["items"]]
    top = [iri for iri in items if iri.count("/") == ID.count("/") + 2]      # plan/empresas/pN
    numbers = [int(iri.rsplit("/p", 1)[1]) for iri in top]
    assert len(numbers) == 15 and numbers == sorted(numbers)
