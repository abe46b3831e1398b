"""Every kind a reader looks for has a faceted list (issue 14 item 4) whose total agrees with the home page's
count and with its JSON and CSV twins; choosing a facet value shows as many items as its count said; the home
page links the meeting, its dates, the agenda and the report, and every count links; the meeting's network
covers its participants. Expectations are read from the published graph."""

from __future__ import annotations

import csv
import io
import re

import pytest
from browser_helpers import ID, page_of
from rdflib import URIRef
from rdflib.namespace import RDF

from cpsgraph.web.browser.facets import LISTS

CPS = "https://w3id.org/cps-lac/ontology#"
SCHEMA = "http://schema.org/"
# The class each list shows, where the list is the whole class.
CLASSES = {"persons": "http://xmlns.com/foaf/0.1/Person", "countries": SCHEMA + "Country", "meetings": CPS + "Meeting",
           "agenda": CPS + "Session", "presentations": CPS + "Presentation", "working-groups": CPS + "WorkingGroup",
           "task-forces": CPS + "TaskForce", "initiatives": CPS + "Initiative", "plans": CPS + "ActionPlan",
           "priorities": CPS + "Priority", "activities": CPS + "Activity", "passages": CPS + "Passage"}


def _json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _home_counts(client, lang: str) -> dict[str, int]:
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    section = html[html.index('id="counts-heading"'):]
    return {href: int(count.replace(".", "").replace(",", ""))
            for href, count in re.findall(r'<dd><a href="/([a-z-]+)">([\d.,]+)</a></dd>', section)}


def test_every_list_is_on_the_home_page_and_every_count_links_to_its_list(client):
    counts = _home_counts(client, "en")
    assert set(counts) == set(LISTS)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_lists_total_agrees_with_home_json_csv_and_the_graph(client, public_graph, name):
    data = _json(client, f"/{name}.json?lang=en")
    assert data["total"] == _home_counts(client, "en")[name] == len(data["items"])
    response = client.get(f"/{name}.csv?lang=en")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["iri"] for r in rows] == [i["iri"] for i in data["items"]]
    if name in CLASSES:
        assert {r["iri"] for r in rows} == {str(s) for s in public_graph.subjects(RDF.type, URIRef(CLASSES[name]))}
    for lang in ("es", "en"):
        page = page_of(client.get(f"/{name}?lang={lang}"))
        assert {"application/json", "text/csv"} <= set(page.alternates())


@pytest.mark.parametrize("name", sorted(LISTS))
def test_choosing_a_facet_value_shows_as_many_items_as_its_count(client, name):
    data = _json(client, f"/{name}.json?lang=en")
    for facet in data["facets"]:
        for value in facet["values"][:3]:
            narrowed = _json(client, f"/{name}.json?{facet['name']}={value['value']}")
            assert narrowed["total"] == value["count"], (facet["name"], value)


def test_the_agenda_is_in_time_order_and_the_passages_in_the_reports(client, public_graph):
    agenda = _json(client, "/agenda.json")["items"]
    starts = [str(public_graph.value(URIRef(i["iri"]), URIRef(SCHEMA + "startDate"))) for i in agenda]
    known = [s for s in starts if s != "None"]
    assert known == sorted(known) and all(i["when"] for i, s in zip(agenda, starts) if s != "None")
    passages = _json(client, "/passages.json")["items"]
    lines = [int(public_graph.value(URIRef(i["iri"]), URIRef(CPS + "lineStart"))) for i in passages]
    assert lines == sorted(lines)
    days = _json(client, "/agenda.json?lang=es")["facets"][0]
    assert days["name"] == "day" and [v["label"] for v in days["values"]] == ["18 de octubre de 2007",
                                                                             "19 de octubre de 2007"]


def test_home_links_the_meeting_its_dates_the_agenda_and_the_report(client, public_graph):
    report = next(public_graph.subjects(RDF.type, URIRef(SCHEMA + "Report")))
    meeting = public_graph.value(report, URIRef(SCHEMA + "about"))
    page = page_of(client.get("/?lang=es"))
    hrefs = {a.get("href") for a in page.links}
    assert {"/page/" + str(meeting)[len(ID):], "/page/" + str(report)[len(ID):], "/agenda"} <= hrefs
    assert "Del 18 de octubre de 2007 al 19 de octubre de 2007" in page.text


def test_the_meetings_network_covers_its_participants(client, public_graph):
    meeting = URIRef(ID + "event/cuarta-reunion-consejo")
    participants = {str(public_graph.value(m, URIRef("http://www.w3.org/ns/org#member")))
                    for m in public_graph.subjects(URIRef(CPS + "meeting"), meeting)
                    if (m, RDF.type, URIRef(CPS + "Participation")) in public_graph}
    data = _json(client, "/network/event/cuarta-reunion-consejo.json?limit=0")
    shown = {n["id"] for n in data["nodes"]}
    assert len(participants) > 50 and participants <= shown
    assert len(data["edges"]) > len(participants)
    page = page_of(client.get("/page/event/cuarta-reunion-consejo"))
    assert "/network/event/cuarta-reunion-consejo" in {a.get("href") for a in page.links}


def test_a_list_in_label_order_sorts_accented_names_among_the_others(client):
    """Regression (issue 14 screenshots): /persons put César after Cristina and Elías after Ellison, because é and
    í came after every unaccented letter."""
    from cpsgraph.web.browser.search import fold

    labels = [item["label"] for item in client.get("/persons.json").get_json()["items"]]
    assert any(fold(label) != label.casefold() for label in labels)   # the list holds accented names
    assert [fold(label) for label in labels] == sorted(fold(label) for label in labels)
