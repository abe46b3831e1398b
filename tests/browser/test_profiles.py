"""Resource pages read as profiles (issue 14 item 3): a one-line summary and an infobox per kind, relations
grouped with counts in the order that has meaning, values said for people, what someone did at the meeting on
their page and their country's, a country's delegation table with its CSV twin, same-named bodies told apart.
Every expectation is read from the published graph, not written here."""

from __future__ import annotations

import csv
import io
import re

import pytest
from browser_helpers import ID, Page, page_of
from rdflib import URIRef
from rdflib.namespace import RDFS

from cpsgraph.web.browser import profile
from cpsgraph.web.browser.catalogue import STRINGS, text

CPS = "https://w3id.org/cps-lac/ontology#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "http://schema.org/"


def _label(graph, iri: str, lang: str) -> str:
    labels = {lit.language: str(lit) for lit in graph.objects(URIRef(iri), RDFS.label)}
    return labels.get(lang) or labels.get(None) or next(iter(labels.values()))


def _section(html: str, start: str, end: str = "</section>") -> Page:
    """The part of a page from the element with `start` in it to the next `end` (the infobox, a section)."""
    begin = html.index(start)
    return Page(html[begin: html.index(end, begin)])


def _participations(graph, country: str) -> list[str]:
    return sorted(str(m) for m in graph.subjects(URIRef(CPS + "country"), URIRef(ID + country))
                  if (m, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(CPS + "Participation")) in graph)


def test_every_profile_key_is_in_the_catalogue_in_both_languages():
    missing = sorted(key for key in profile.known_keys() if key not in STRINGS)
    assert missing == []


def test_a_person_opens_with_a_summary_and_an_infobox_of_role_organization_country_and_group(client, public_graph):
    html = client.get("/page/person/graciela-scavone?lang=en").get_data(as_text=True)
    membership = next(m for m in public_graph.subjects(URIRef(ORG + "member"), URIRef(ID + "person/graciela-scavone"))
                      if (m, None, URIRef(CPS + "Participation")) in public_graph)
    expected = {field: _label(public_graph, str(public_graph.value(membership, URIRef(prop))), "en")
                for field, prop in (("Role at the meeting", ORG + "role"), ("Organization", CPS + "affiliation"),
                                    ("Country", CPS + "country"), ("Working group", ORG + "organization"))}
    box = _section(html, 'class="infobox"', "</aside>")
    for field, value in expected.items():
        assert f"{field} {value}" in box.text
    summary = _section(html, 'class="summary"', "</p>").text
    assert expected["Country"] in summary and expected["Role at the meeting"] in summary


def test_a_country_infobox_counts_its_delegation_and_names_its_focal_point_and_seat(client, public_graph):
    html = client.get("/page/country/BR?lang=es").get_data(as_text=True)
    delegates = _participations(public_graph, "country/BR")
    box = _section(html, 'class="infobox"', "</aside>")
    assert f"Delegación ({len(delegates)})" in box.text
    assert f"con {len(delegates)} delegados" in _section(html, 'class="summary"', "</p>").text
    assert "Punto focal Luiz Fernando Krieger Merico" in box.text   # Anexo III #20: Punto Focal CPS
    seats = [s for s in public_graph.subjects(URIRef(CPS + "country"), URIRef(ID + "country/BR"))
             if (s, None, URIRef(CPS + "SteeringCommitteeSeat")) in public_graph]
    assert seats and all(_label(public_graph, str(s), "es") in box.text for s in seats)
    more = [a for a in box.links if a.get("href") == "/persons?country=BR"]
    assert more, "the delegation's 'and n more' links to the persons list narrowed to the country"


def test_a_country_page_has_its_delegation_table_and_the_csv_twin_agrees(client, public_graph):
    html = client.get("/page/country/AR?lang=en").get_data(as_text=True)
    delegates = _participations(public_graph, "country/AR")
    table = _section(html, 'id="delegation"')
    rows = [a for a in table.links if a.get("href", "").startswith("/page/participation/")]
    assert len(rows) == len(delegates)
    response = client.get("/countries/AR/delegation.csv?lang=en")
    assert response.mimetype == "text/csv"
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert sorted(r["participation_iri"] for r in records) == delegates
    graciela = next(r for r in records if r["person_iri"] == ID + "person/graciela-scavone")
    role = public_graph.value(URIRef(graciela["participation_iri"]), URIRef(ORG + "role"))
    assert graciela["role"] == _label(public_graph, str(role), "en")
    assert client.get("/countries/ZZ/delegation.csv").status_code == 404


def test_what_a_person_did_shows_on_their_page_and_their_countrys(client, public_graph):
    presented = sorted(str(p) for p in public_graph.subjects(URIRef(CPS + "presenter"),
                                                                URIRef(ID + "person/graciela-scavone")))
    assert presented
    for path in ("/page/person/graciela-scavone", "/page/country/AR"):
        activity = _section(client.get(path + "?lang=en").get_data(as_text=True), 'id="activity"')
        hrefs = {a.get("href") for a in activity.links}
        assert {"/page/" + p[len(ID):] for p in presented} <= hrefs
    country = _section(client.get("/page/country/AR?lang=en").get_data(as_text=True), 'id="activity"')
    assert "by Graciela Scavone" in country.text


def test_dates_booleans_and_numbers_are_said_for_people(client):
    for lang, start in (("es", "18 de octubre de 2007"), ("en", "October 18, 2007")):
        page = page_of(client.get(f"/page/event/cuarta-reunion-consejo?lang={lang}"))
        assert start in page.text
        assert "2007-10-18" not in page.text
    seat = page_of(client.get("/page/seat/nicaragua-cono-sur-ar?lang=es"))
    assert re.search(r"\bno\b", seat.text) and "false" not in seat.text


@pytest.mark.parametrize("path", ("/page/person/graciela-scavone", "/page/country/BR", "/page/event/cuarta-reunion-consejo",
                                  "/page/presentation/d2-panel-5-1", "/page/plan/andina", "/page/organization/pnuma",
                                  "/page/working-group/cono-sur"))
def test_no_heading_is_rdf_speak(client, path):
    for lang in ("es", "en"):
        html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        headings = re.findall(r"<dt>(.*?)</dt>", html, re.S)
        assert headings
        speak = [h for h in headings if re.search(r"\b[a-z]+:[A-Za-z]", re.sub(r"<[^>]+>", "", h))]
        assert speak == [], speak


def test_the_agenda_is_in_time_order_and_plan_priorities_by_position(client, public_graph):
    html = client.get("/page/event/cuarta-reunion-consejo?lang=en").get_data(as_text=True)
    sessions = {str(s): str(public_graph.value(s, URIRef(SCHEMA + "startDate")))
                for s in public_graph.objects(URIRef(ID + "event/cuarta-reunion-consejo"), URIRef(SCHEMA + "subEvent"))}
    shown = [m for m in re.findall(r'href="/page/(session/[^"]+)"', html) if ID + m in sessions]
    shown = list(dict.fromkeys(shown))
    starts = [sessions[ID + m] for m in shown if sessions[ID + m] != "None"]
    assert len(shown) == len(sessions) and starts == sorted(starts)
    plan = client.get("/page/plan/andina?lang=en").get_data(as_text=True)
    priorities = {str(p): int(public_graph.value(p, URIRef(SCHEMA + "position")))
                  for p in public_graph.objects(URIRef(ID + "plan/andina"), URIRef("http://purl.org/dc/terms/hasPart"))
                  if (p, None, URIRef(CPS + "Priority")) in public_graph}
    order = list(dict.fromkeys(ID + m for m in re.findall(r'href="/page/(plan/andina/p\d+)"', plan)))
    assert [priorities[p] for p in order if p in priorities] == sorted(priorities.values())


def test_same_named_bodies_are_told_apart_by_their_country(app, client, public_graph):
    from cpsgraph.web.browser.site import site

    with app.test_request_context():
        entities = site().entities
        first = entities.label(ID + "organization/sr-division-ambiente", "es")
        second = entities.label(ID + "organization/ag-division-ambiente", "es")
    assert first != second and first.startswith("División de Medio Ambiente (")
    country = public_graph.value(URIRef(ID + "organization/sr-division-ambiente"), URIRef(CPS + "country"))
    assert _label(public_graph, str(country), "es") in first


def test_no_two_things_of_a_kind_are_shown_with_the_same_label(app):
    # as Wikidata's and Scholia's descriptions do: same-titled talks by their presenters, the same priority
    # in two plans by the plan's working group, the same activity under two priorities by the priority
    from cpsgraph.web.browser.site import site

    with app.test_request_context():
        entities = site().entities
        for lang in ("es", "en"):
            shown: dict[tuple[str, str], list[str]] = {}
            for entity in entities.all():
                if entities.ours(entity.iri) and entity.labels:
                    key = (entities.kind_segment(entity.iri), entities.label(entity.iri, lang))
                    shown.setdefault(key, []).append(entity.iri)
            assert {k: v for k, v in shown.items() if len(v) > 1} == {}, lang
        talks = [entities.label(ID + f"presentation/d1-inaugural-{n}", "es") for n in (1, 2)]
        assert talks[0] != talks[1] and all(t.startswith("Apertura y bienvenida (") for t in talks)


def test_same_titled_talks_differ_in_lists_and_search(client):
    listed = client.get("/presentations?lang=es").get_data(as_text=True)
    assert len(set(re.findall(r">(Apertura y bienvenida[^<]*)<", listed))) == 2
    found = client.get("/search.json?q=apertura+y+bienvenida&lang=es").get_json()
    descriptions = [h["description"] for h in found["results"] if h["kind_id"] == "presentation"]
    assert len(descriptions) == 2 and len(set(descriptions)) == 2 and all(descriptions), found


def test_plurals_follow_the_languages_rule():
    assert text("net.depth.n", "es", n=1) == "1 paso" and text("net.depth.n", "es", n=2) == "2 pasos"
    assert text("net.depth.n", "en", n=1) == "1 step" and text("net.depth.n", "en", n=3) == "3 steps"
    assert text("summary.country.1", "es", subregion="Subregión Andina", delegation_n=1) == \
        "País de la Subregión Andina, con 1 delegado en la reunión."
