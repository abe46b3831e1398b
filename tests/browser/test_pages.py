"""The pages around the data: home, language negotiation and the persistent switch, the security headers,
dumps, data quality, the query page and the resource page's sections."""

from __future__ import annotations

import re
import pytest
from browser_helpers import ID, ROOT, page_of
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF

from cpsgraph.web.browser.catalogue import STRINGS
from cpsgraph.web.browser.pages import LANG_COOKIE

SH = "http://www.w3.org/ns/shacl#"
PAGES = ("/", "/page/person/graciela-scavone", "/persons", "/search?q=pnuma", "/network/person/graciela-scavone",
         "/paths", "/interlocks/organization/pnuma", "/query", "/quality", "/dumps", "/ontology.html")


def test_home_counts_and_the_four_subregions_with_their_countries(client, public_graph):
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    assert f"Person {len(set(public_graph.subjects(RDF.type, FOAF.Person)))}" in page.text
    for region in ("Andean subregion", "Caribbean subregion", "Southern Cone subregion", "Mesoamerica subregion"):
        assert region in page.text
    hrefs = {a.get("href") for a in page.links}
    assert {"/page/country/AR", "/page/country/UY", "/network/working-group/cono-sur", "/persons", "/dumps",
            "/.well-known/void", "/ontology.html", "/query", "/quality"} <= hrefs


@pytest.mark.parametrize("accept, lang", [("es-AR,es;q=0.9", "es"), ("en-GB,en;q=0.8", "en"), ("pt-BR", "es"),
                                          ("fr, en;q=0.5", "en")])
def test_language_follows_accept_language(client, accept, lang):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.headers["Content-Language"] == lang
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    page = page_of(response)
    assert ("html", {"lang": lang}) in page.tags
    assert STRINGS["nav.persons"][0 if lang == "es" else 1] in page.text


def test_the_language_switch_persists_in_a_cookie(client):
    first = page_of(client.get("/", headers={"Accept-Language": "es"}))
    switch = next(a for a in first.links if a.get("class") == "lang-switch")
    assert switch["hreflang"] == "en" and switch["href"].endswith("lang=en")
    switched = client.get(switch["href"], headers={"Accept-Language": "es"})
    assert f"{LANG_COOKIE}=en" in switched.headers["Set-Cookie"]
    # later pages, without the parameter, stay in English although the browser prefers Spanish
    later = page_of(client.get("/page/country/AR", headers={"Accept-Language": "es"}))
    assert ("html", {"lang": "en"}) in later.tags and "Argentina" in later.text and "Facts" in later.text
    back = client.get("/page/country/AR?lang=es")
    assert f"{LANG_COOKIE}=es" in back.headers["Set-Cookie"]


@pytest.mark.parametrize("path", PAGES)
def test_no_inline_script_and_a_policy_that_forbids_it(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    page = page_of(response)
    assert page.scripts == [] or all(s.get("src", "").startswith("/assets/") for s in page.scripts)
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)  # no inline handlers
    assert any(link.get("rel") == "stylesheet" for link in page.heads)


def test_resource_page_sections_and_human_property_labels(client):
    page = page_of(client.get("/page/participation/1", headers={"Accept-Language": "en"}))
    for label in ("member", "role", "country", "affiliation", "organization", "post"):
        assert label in page.text.lower()
    assert "http://www.w3.org/ns/org#" not in page.text          # no raw property IRIs
    country = page_of(client.get("/page/country/AR", headers={"Accept-Language": "es"}))
    assert {"sources", "incoming", "outbound", "relations"} <= country.ids
    assert "Wikidata Q414" in country.text and "Anexo III #18" in country.text
    assert "Subregión Cono Sur" in country.text                   # a relation, by its Spanish label


def test_dumps_page_links_every_dump_and_they_parse(client):
    page = page_of(client.get("/dumps"))
    dumps = [a["href"] for a in page.links if a.get("href", "").startswith("/dumps/")]
    assert {d.removesuffix(".gz").rsplit(".", 1)[1] for d in dumps} == {"trig", "ttl", "nt", "jsonld"}
    assert {d for d in dumps if d.endswith(".gz")} == {d + ".gz" for d in dumps if not d.endswith(".gz")}
    graph = Graph().parse(data=client.get("/dumps/cps-lac.nt").data, format="nt")
    assert (URIRef(ID + "country/AR"), URIRef(ID.replace("id/", "ontology#") + "subregion"),
            URIRef(ID + "subregion/cono-sur")) in graph
    assert re.search(r"cps-lac\.ttl .*text/turtle [\d.,]+ [kM]B", page.text)   # sizes from the build's VoID


def test_quality_page_shows_the_validation_report(client):
    page = page_of(client.get("/quality", headers={"Accept-Language": "en"}))
    assert "The published graph conforms to every shape" in page.text   # the build gates on the shapes
    report = Graph().parse(data=client.get("/quality.ttl").data, format="turtle")
    assert Literal(True) in set(report.objects(None, URIRef(SH + "conforms")))


def test_query_page_offers_every_stored_query_and_an_offline_editor(client):
    page = page_of(client.get("/query"))
    names = {path.stem for path in (ROOT / "queries").glob("*.rq")}
    offered = {a["data-example"] for a in page.links if "data-example" in a}
    assert names and offered == names
    assert {s["src"] for s in page.scripts} == {"/assets/browser.js", "/assets/vendor/yasgui/yasgui.min.js", "/assets/query.js",
                                               "/assets/vendor/vega/vega.min.js", "/assets/vendor/vega/vega-lite.min.js",
                                               "/assets/vendor/vega/vega-embed.min.js",   # the chart of the results
                                               "/assets/suggest.js", "/assets/evidence.js"}   # search as you type, passages
    config = client.get("/query/config.json").get_json()
    assert config["endpoint"].endswith("/sparql") and config["prefixes"]["cps"] == "https://w3id.org/cps-lac/ontology#"
    assert "https://w3id.org/cps-lac/ontology#Participation" in config["classes"]


def test_static_files_and_vendor_files_are_served(client):
    for path in ("/assets/browser.css", "/assets/network.js", "/assets/vendor/cytoscape/cytoscape.min.js",
                 "/assets/vendor/yasgui/yasgui.min.js", "/assets/vendor/yasgui/yasgui.min.css"):
        assert client.get(path).status_code == 200, f"{path}: run `npm ci && python3 -m cpsgraph.vendor`"


def test_ontology_page_in_both_languages(client):
    spanish = page_of(client.get("/ontology.html?lang=es"))
    english = page_of(client.get("/ontology.html?lang=en"))
    assert "Grupo de trabajo" in spanish.text and "Working group" in english.text
    assert "Meeting" in english.ids and "presenter" in spanish.ids
