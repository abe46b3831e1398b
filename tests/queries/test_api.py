"""The web API of the stored queries, through the real app factory and its embedded store: list, run with
parameters, JSON and CSV, pages linked by headers, errors in the service's shape, the OpenAPI document."""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest

from cpsgraph.web import create_app
from cpsgraph.web.stores import stores

from query_helpers import ID, QUERIES

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def client(release):
    app = create_app({"BUILD_DIR": str(release.parents[1]), "QUERIES_DIR": str(QUERIES), "QUERY_WORKERS": 1,
                      "QUERY_TIMEOUT": 10.0})
    yield app.test_client()
    stores(app).close()


def solutions(response) -> list[dict]:
    """The SPARQL results JSON of a response, read back by pyoxigraph's own parser."""
    parsed = ox.parse_query_results(response.data, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return [{name: value.value for name, value in zip(names, row) if value is not None} for row in parsed]


def test_list_of_queries(client):
    response = client.get("/api/queries")
    assert response.status_code == 200
    listed = {query["name"]: query for query in response.json["queries"]}
    assert set(listed) == {path.stem for path in QUERIES.glob("*.rq")}
    country = listed["participants-from-country"]["params"]
    assert country == [{"name": "country", "type": "entity:country",
                        "default": "<https://w3id.org/cps-lac/id/country/AR>",
                        "description": "the country: its ISO 3166-1 code (AR) or its IRI"}]
    assert listed["timeline"]["url"].endswith("/api/queries/timeline")


def test_list_filtered_by_kind(client):
    listed = client.get("/api/queries?kind=quality").json["queries"]
    assert listed and {query["kind"] for query in listed} == {"quality"}


def test_run_with_a_parameter_in_json(client):
    response = client.get("/api/queries/participants-from-country?country=PY")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    rows = solutions(response)
    # Anexo III #33-35: the three entries from Paraguay
    assert [row["entry_number"] for row in rows] == ["33", "34", "35"]
    assert rows[0]["person"] == ID + "person/roberto-amarilla"
    assert response.json["page"]["parameters"] == {"country": ID + "country/PY"}


def test_run_in_csv_by_accept_and_by_format(client):
    for response in (client.get("/api/queries/drafting-committee", headers={"Accept": "text/csv"}),
                     client.get("/api/queries/drafting-committee?format=csv", headers=JSON)):
        assert response.status_code == 200 and response.mimetype == "text/csv"
        table = list(csv.DictReader(io.StringIO(response.data.decode())))
        # Anexo I, line 323: five members of the Drafting Committee
        assert len(table) == 5
        assert {row["name"] for row in table} >= {"Irma Suárez", "Victoria Beláustegui"}
        assert next(row for row in table if row["name"] == "Victoria Beláustegui")["country_en"] == ""


def test_pages_follow_the_link_headers(client):
    url, seen, pages = "/api/queries/participants-by-country?per_page=10", [], 0
    while url:
        response = client.get(url)
        pages += 1
        seen += [row["country"] for row in solutions(response)]
        match = re.search(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
        url = match.group(1).replace("http://localhost", "") if match else None
    # Anexo III: 26 countries in the "País" column, in three pages of ten
    assert pages == 3 and len(seen) == len(set(seen)) == 26
    assert 'rel="prev"' in client.get("/api/queries/participants-by-country?per_page=10&page=2").headers["Link"]


@pytest.mark.parametrize("url,status", [
    ("/api/queries/participants-from-country?country=AR%3E%20%7D%20%3B%20DROP%20ALL", 400),
    ("/api/queries/participants-from-country?country=AR&country=PY", 400),
    ("/api/queries/participants-from-country?graph=urn:x", 400),
    ("/api/queries/annex-v-answers?position=1%20%7D%20UNION%20%7B", 400),
    ("/api/queries/timeline?per_page=0", 400),
    ("/api/queries/timeline?page=first", 400),
    ("/api/queries/no-such-query", 404),
    ("/api/queries/timeline?format=turtle", 406),
])
def test_bad_requests_get_the_service_error_shape(client, url, status):
    response = client.get(url, headers=JSON)
    assert response.status_code == status
    assert set(response.json) >= {"status", "title", "message"} and response.json["status"] == status


def test_an_injection_attempt_changes_nothing(client):
    client.get("/api/queries/facts-from-passage?locator=%22%20%7D%20DROP%20ALL%20%23", headers=JSON)
    # the graph still answers the report's facts: §17 states 85 participants
    rows = solutions(client.get("/api/queries/stated-vs-listed-participation"))
    assert {row["count"]: row["stated"] for row in rows}[ID + "count/pc-total"] == "85"


def test_cors_lets_web_pages_call_the_api(client):
    response = client.get("/api/queries/timeline", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unacceptable_accept_header(client):
    assert client.get("/api/queries/timeline", headers={"Accept": "text/turtle"}).status_code == 406


def test_openapi_describes_every_query(client):
    document = client.get("/openapi.json").json
    assert document["openapi"].startswith("3.1")
    names = {path.stem for path in QUERIES.glob("*.rq")}
    assert {f"/api/queries/{name}" for name in names} <= set(document["paths"])
    operation = document["paths"]["/api/queries/participants-from-country"]["get"]
    assert operation["operationId"] == "participants-from-country" and operation["tags"] == ["participation"]
    country = next(p for p in operation["parameters"] if p.get("name") == "country")
    assert country["schema"]["default"] == "https://w3id.org/cps-lac/id/country/AR"
    position = next(p for p in document["paths"]["/api/queries/annex-v-answers"]["get"]["parameters"]
                    if p.get("name") == "position")
    # the bounds the service enforces are in the description, so that schemathesis finds no mismatch
    assert position["schema"] == {"type": "integer", "default": 2,
                                  "minimum": -999999999999, "maximum": 999999999999}
    for ref in _refs(document):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in document["components"][section], ref
    assert set(operation["responses"]["200"]["content"]) == {"application/sparql-results+json", "text/csv"}


def _refs(node) -> list[str]:
    """Every `$ref` in a JSON document."""
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []
