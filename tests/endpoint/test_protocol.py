"""The SPARQL 1.1 Protocol through Flask's test client, on the real build: the three ways to send a query,
the protocol's dataset, every result format parsed back, HEAD, CORS, relative IRIs, and the errors."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote, urlencode

import pytest

from endpoint_helpers import solutions, triples

BASE = "https://w3id.org/cps-lac/"
DATA, ONTOLOGY = BASE + "graph/data", BASE + "graph/ontology"
COUNT_DATA = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATA}> {{ ?s ?p ?o }} }}"
PERSONS = "SELECT ?person WHERE { ?person a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?person"


def count(response) -> int:
    assert response.status_code == 200, response.data
    return int(solutions(response.data)[0]["n"].value)


def test_get_post_form_and_post_direct_give_the_same_answer(client, counts):
    by_get = client.get("/sparql", query_string={"query": COUNT_DATA})
    by_form = client.post("/sparql", data={"query": COUNT_DATA})
    by_body = client.post("/sparql", data=COUNT_DATA, content_type="application/sparql-query")
    assert count(by_get) == count(by_form) == count(by_body) == counts["data"]


def test_default_graph_uri_makes_the_default_graph(client, counts):
    response = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                                   "default-graph-uri": ONTOLOGY})
    assert count(response) == counts["ontology"]


def test_named_graph_uri_limits_the_named_graphs(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = {row["g"].value for row in solutions(client.get("/sparql", query_string={"query": query}).data)}
    assert everything == {DATA, ONTOLOGY}
    only = client.get("/sparql", query_string=[("query", query), ("named-graph-uri", ONTOLOGY)])
    assert {row["g"].value for row in solutions(only.data)} == {ONTOLOGY}


def test_the_default_graph_is_the_union_of_the_public_graphs(client, public_graph):
    response = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert count(response) == len(public_graph)


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml",
                                        "text/tab-separated-values", "text/csv"])
def test_select_results_in_every_format_hold_the_same_solutions(client, media_type):
    reference = [row["person"].value for row in solutions(client.get("/sparql", query_string={"query": PERSONS}).data)]
    response = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(response.data.decode())))
        assert rows[0] == ["person"] and [r[0] for r in rows[1:]] == reference
    else:
        assert [row["person"].value for row in solutions(response.data, media_type)] == reference
    assert len(reference) > 50  # the list of participants is in the graph


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/ld+json",
                                        "application/rdf+xml"])
def test_construct_results_in_every_rdf_format_hold_the_same_triples(client, media_type):
    query = "CONSTRUCT { ?p a <http://xmlns.com/foaf/0.1/Person> } WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    persons = {row["person"].value for row in solutions(client.get("/sparql", query_string={"query": PERSONS}).data)}
    assert {t.subject.value for t in triples(response.data, media_type)} == persons


def test_describe_returns_the_resource_description(client):
    person = solutions(client.get("/sparql", query_string={"query": PERSONS + " LIMIT 1"}).data)[0]["person"]
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{person.value}>"},
                          headers={"Accept": "text/turtle"})
    described = triples(response.data, "text/turtle")
    assert any(t.subject == person and t.predicate.value.endswith("#label") for t in described)


@pytest.mark.parametrize("accept, query, expected", [
    ("*/*", PERSONS, "application/sparql-results+json"),
    ("*/*", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "text/turtle"),
    ("application/*", PERSONS, "application/sparql-results+json"),
    ("text/*", PERSONS, "text/csv"),
    ("application/sparql-results+json,text/turtle", PERSONS, "application/sparql-results+json"),
    ("application/sparql-results+json,text/turtle", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "text/turtle"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values", PERSONS, "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*;q=0.1", PERSONS, "application/sparql-results+xml"),
    ("text/turtle;charset=utf-8", "DESCRIBE <https://w3id.org/cps-lac/id/country/AR>", "text/turtle"),
    ("application/sparql-results+json; charset=UTF-8", "ASK {}", "application/sparql-results+json"),
    ("application/json", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PERSONS, "text/html"),
])
def test_content_negotiation_that_real_clients_need(client, accept, query, expected):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", ["text/turtle", "application/sparql-results+json;q=0, application/sparql-"
                                    "results+xml;q=0, text/*;q=0, */*;q=0", "image/png"])
def test_nothing_acceptable_is_406(client, accept):
    response = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.data.decode()  # says what is available


@pytest.mark.parametrize("value, query, expected", [
    ("csv", PERSONS, "text/csv"), ("tsv", PERSONS, "text/tab-separated-values"),
    ("xml", PERSONS, "application/sparql-results+xml"), ("json", PERSONS, "application/sparql-results+json"),
    ("json", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "application/ld+json"),
    ("rdf+xml", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "application/rdf+xml"),
    ("application/n-triples", "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "application/n-triples"),
])
def test_format_parameter_wins_over_accept(client, value, query, expected):
    response = client.get("/sparql", query_string={"query": query, "format": value},
                          headers={"Accept": "application/sparql-results+xml"})
    assert response.status_code == 200 and response.mimetype == expected


def test_unknown_format_parameter_is_406(client):
    response = client.get("/sparql", query_string={"query": PERSONS, "format": "yaml"})
    assert response.status_code == 406 and "yaml" in response.data.decode()


def test_head_answers_like_get_without_a_body(client):
    get = client.get("/sparql", query_string={"query": PERSONS})
    head = client.head("/sparql", query_string={"query": PERSONS})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_cors_for_any_origin_with_preflight(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    error = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Origin": "https://example.org"})
    assert error.status_code == 400 and error.headers["Access-Control-Allow-Origin"] == "*"


def test_relative_iris_resolve_against_the_endpoint_iri(client):
    query = "SELECT ?x WHERE { BIND(<thing> AS ?x) }"
    response = client.get("/sparql", query_string={"query": query}, base_url="https://data.example.org")
    assert solutions(response.data)[0]["x"].value == "https://data.example.org/thing"


def test_a_form_body_is_decoded_exactly_once(client):
    query = 'SELECT ?x WHERE { BIND("a%2Bb+c" AS ?x) }'
    response = client.post("/sparql", data="query=" + quote(query, safe=""),
                           content_type="application/x-www-form-urlencoded")
    assert solutions(response.data)[0]["x"].value == "a%2Bb+c"


# --- Errors: clear, never 500 ---------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parsers_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    text = response.data.decode()
    assert "Query syntax error" in text and "1:" in text


@pytest.mark.parametrize("accept, mimetype", [("application/json", "application/json"),
                                              ("text/html", "text/html"), ("", "text/plain")])
def test_errors_are_rendered_for_the_client(client, accept, mimetype):
    response = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Accept": accept})
    assert response.status_code == 400 and response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]
    if mimetype == "application/json":
        assert json.loads(response.data)["status"] == 400


@pytest.mark.parametrize("make_request, status", [
    (lambda c: c.get("/sparql?default-graph-uri=x"), 400),                          # parameters but no query
    (lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400),              # two queries
    (lambda c: c.get("/sparql?query=%20%20"), 400),                                 # empty query
    (lambda c: c.get("/sparql?query=ASK%7B%7D%FF"), 400),                           # not UTF-8
    (lambda c: c.post("/sparql", data=b"ASK {}"), 415),                             # no content type
    (lambda c: c.post("/sparql", data="ASK {}", content_type="text/plain"), 415),   # wrong content type
    (lambda c: c.post("/sparql", data=b"", content_type="application/sparql-query"), 400),
    (lambda c: c.post("/sparql", data="ASK {}".encode("utf-16"),
                      content_type="application/sparql-query; charset=UTF-16"), 415),
    (lambda c: c.post("/sparql", data=b'ASK { FILTER("\xff") }', content_type="application/sparql-query"), 400),
    (lambda c: c.post("/sparql", data=b"query=ASK%7B%7D%FF", content_type="application/x-www-form-urlencoded"), 400),
    (lambda c: c.post("/sparql?query=ASK%7B%7D", data="ASK {}", content_type="application/sparql-query"), 400),
    (lambda c: c.put("/sparql", data="ASK {}"), 405),
    (lambda c: c.post("/sparql", data="x" * 2_000_000, content_type="application/sparql-query"), 413),
])
def test_bad_requests_get_a_4xx_that_says_why(client, make_request, status):
    response = make_request(client)
    assert response.status_code == status, response.data
    assert len(response.data.decode().strip()) > 20


def test_service_description_only_for_a_get_without_parameters(client):
    response = client.get("/sparql?format=turtle")
    assert response.status_code == 400 and "query" in response.data.decode()


@pytest.mark.parametrize("make_request", [
    lambda c: c.post("/sparql", data="INSERT DATA { <a:s> <a:p> <a:o> }", content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.get("/sparql", query_string={"query": "INSERT DATA { <a:s> <a:p> <a:o> }"}),
    lambda c: c.get("/sparql", query_string={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}),
    lambda c: c.get("/sparql", query_string={"query": "PREFIX a: <a:> CLEAR ALL"}),
])
def test_update_and_load_are_refused(client, counts, make_request):
    response = make_request(client)
    assert response.status_code == 403
    assert "read-only" in response.data.decode()
    assert count(client.get("/sparql", query_string={"query": COUNT_DATA})) == counts["data"]


def test_a_query_for_every_negotiated_response_varies_on_accept(client):
    for response in (client.get("/sparql"), client.get("/sparql", query_string={"query": "ASK {}"}),
                     client.get("/store", query_string={"graph": ONTOLOGY}),
                     client.get("/sparql", query_string={"query": "ASK {"})):
        assert "Accept" in response.headers.get("Vary", ""), response.headers


def test_url_encoded_get_as_sent_by_browsers(client):
    response = client.get("/sparql?" + urlencode({"query": PERSONS + " LIMIT 2"}), headers={"Accept": "text/html"})
    page = response.data.decode()
    assert response.status_code == 200 and "<table>" in page and "Truncated" not in page
    assert page.count("<a href=\"https://w3id.org/cps-lac/id/person/") == 2


def test_a_bug_is_a_logged_500_that_reveals_nothing(make_app, app_config, caplog):
    app = make_app(dict(app_config, QUERY_WORKERS=1))

    @app.route("/broken")
    def broken():
        raise ValueError("secret detail of the failure")

    response = app.test_client().get("/broken", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "secret detail" not in response.data.decode() and json.loads(response.data)["status"] == 500
    logged = [record.getMessage() + str(record.exc_info[1] if record.exc_info else "") for record in caplog.records]
    assert any("secret detail" in text for text in logged)
