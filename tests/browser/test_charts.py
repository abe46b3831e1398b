"""Charts (issue 15, item 3): each is drawn from one of our stored queries, carries the same rows as a table, and
links the query in /query; the map shades the countries of Latin America and the Caribbean by delegation size.
In-process (the rows against the graph) and in headless Chromium (the drawings, offline, under the CSP)."""

from __future__ import annotations

import json

import pytest
from browser_helpers import ID, Page, axe_violations, page_of

PARTICIPANTS = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?country (COUNT(DISTINCT ?entry) AS ?n) WHERE { ?entry a cps:Participation ; cps:country ?country }
GROUP BY ?country"""


def charts_of(page: Page) -> dict[str, dict]:
    return {attrs["id"]: attrs for tag, attrs in page.tags if tag == "figure" and "chart-figure" in attrs.get("class", "")}


def test_the_home_page_charts_come_with_their_data_and_query(client, public_graph):
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    assert {"chart-delegations-map", "chart-participants-by-country", "chart-participants-by-sector"} <= set(charts_of(page))
    specs = [json.loads(attrs["data-spec"]) for tag, attrs in page.tags if tag == "div" and "data-spec" in attrs]
    by_name = {spec["description"]: spec for spec in specs}
    counts = {str(row.country): int(row.n) for row in public_graph.query(PARTICIPANTS)}
    bars = by_name["Participants by country"]["data"]["values"]
    assert {b["label"]: b["value"] for b in bars}["Brazil"] == counts[ID + "country/BR"]
    assert sum(b["value"] for b in bars) == sum(counts.values())
    links = {a.get("href") for a in page.links}
    assert {"/query?example=participants-by-country", "/query?example=participants-by-sector"} <= links
    assert "The chart's data" in page.text and "Open its SPARQL query" in page.text
    # the map: every country the report places in a subregion, with its M49 code and its count (0: none)
    region = by_name["Size of the delegations of Latin America and the Caribbean"]["transform"][0]["from"]["data"]["values"]
    brazil = next(r for r in region if r["iri"] == ID + "country/BR")
    assert brazil["m49"] == "076" and brazil["value"] == counts[ID + "country/BR"]
    assert ID + "country/US" not in {r["iri"] for r in region}              # outside the region
    assert by_name["Size of the delegations of Latin America and the Caribbean"]["data"]["url"] == \
        "/assets/vendor/world-atlas/countries-50m.json"
    assert client.get("/assets/vendor/world-atlas/countries-50m.json").status_code == 200


def test_activities_by_horizon_stack_in_reading_order(client, public_graph):
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    spec = next(json.loads(attrs["data-spec"]) for tag, attrs in page.tags if tag == "div" and "data-spec" in attrs
                and json.loads(attrs["data-spec"])["description"].startswith("Activities of the action plans"))
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"][-1] == "Not stated" and colour["range"][-1] == "#bab0ac"     # grey, last
    assert colour["domain"][:3] == ["Short term (2 years)", "Medium term (5 years)", "Long term (10 years)"]
    total = sum(int(row.n) for row in public_graph.query("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a cps:Activity }"""))
    assert sum(part["value"] for part in spec["data"]["values"]) == total
    assert "/query?example=activities-by-horizon" in {a.get("href") for a in page.links}


def test_the_charts_speak_the_pages_language(client):
    page = page_of(client.get("/?lang=es"))
    assert "Participantes por país" in page.text and "Los datos del gráfico" in page.text
    assert "Brasil" in page.text


@pytest.mark.slow
@pytest.mark.parametrize("browser_page", ["en", "es"], indirect=True)
def test_the_charts_are_drawn_offline(browser_page):
    page = browser_page
    page.goto(page.base + "/")
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 4")
    assert page.locator(".chart[data-error]").count() == 0
    bars = page.locator("#chart-participants-by-country svg .mark-rect path").count()
    assert bars == page.locator("#chart-participants-by-country table tbody tr").count() > 20
    shapes = page.locator("#chart-delegations-map svg .mark-shape path").count()
    assert shapes == page.locator("#chart-delegations-map table tbody tr").count() > 20
    assert axe_violations(page) == []
