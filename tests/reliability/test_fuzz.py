"""Hypothesis-generated requests to `/sparql` and `/api/queries`: arbitrary text, bytes, parameters and headers,
and queries assembled from SPARQL's own pieces (so that many get past the gate into the engine). Whatever comes
in, the answer is a 2xx or a clear 4xx in the negotiated shape, never a server error, and no query worker dies."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = 150
# 308: Werkzeug redirects a path with doubled slashes (`/api/queries//0`) to its canonical form
ALLOWED = {200, 308, 400, 403, 404, 405, 406, 413, 415}
counted = {"cases": 0, "server_errors": 0}

PIECES = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "$x",
          "*", ".", ";", ",", "a", "<https://w3id.org/cps-lac/id/country/AR>", "<relative>", "<>", '"text"', "'x'@en",
          '"""long"""', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1", "-2.5e3", "true", "FILTER", "BIND",
          "AS", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "VALUES", "UNDEF", "LIMIT", "OFFSET", "ORDER BY",
          "GROUP BY", "HAVING", "COUNT", "DISTINCT", "REGEX", "STR", "LANG", "EXISTS", "NOT", "IN", "||", "&&", "!",
          "=", "<", ">=", "+", "/", "|", "^", "?", "rdfs:label", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
          "BASE <http://example.org/>", "FROM", "NAMED", "#comment\n", "\\", "_:b", "<<", ">>", "\u00e9", "\x00",
          "INSERT DATA", "LOAD", "SERVICE:x")
sparql_like = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
parameter_names = st.sampled_from(("query", "default-graph-uri", "named-graph-uri", "format", "output", "update",
                                   "page", "per_page", "kind", "country", "person", "x"))
# What a header can carry at all (HTTP has no way to send CR, LF or other control characters in one).
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)
accept = st.one_of(st.sampled_from(("*/*", "text/html", "application/json", "text/csv", "text/turtle",
                                    "application/sparql-results+xml", "image/png", "", "text/*;q=0.5, */*;q=0.1")),
                   header_text)


def check(response, where) -> None:
    """The answer is allowed, shaped as announced, and no worker died for it."""
    counted["cases"] += 1
    body = response.get_data(as_text=True)
    is_timeout = response.status_code == 503 and "time limit" in body
    if response.status_code >= 500 and not is_timeout:
        counted["server_errors"] += 1
    assert response.status_code in ALLOWED or is_timeout, (where, response.status_code, body[:300])
    assert "worker stopped" not in body, where
    if response.status_code >= 400 and response.mimetype == "application/json":
        assert set(json.loads(body)) >= {"status", "title", "message"}
    elif response.status_code == 200 and response.mimetype.endswith("json"):
        json.loads(body)


fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@fuzz
@given(query=st.one_of(st.text(max_size=300), sparql_like),
       extra=st.lists(st.tuples(parameter_names, st.text(max_size=60)), max_size=4), accept=accept)
def test_sparql_get_with_generated_query_strings(app, query, extra, accept):
    response = app.test_client().get("/sparql", query_string=[("query", query), *extra], headers={"Accept": accept})
    check(response, (query, extra, accept))


@fuzz
@given(body=st.one_of(st.binary(max_size=300), sparql_like.map(str.encode)),
       content_type=st.one_of(st.sampled_from(("application/sparql-query", "application/x-www-form-urlencoded",
                                               "application/sparql-query; charset=utf-8", "text/plain", "")),
                              header_text), accept=accept)
def test_sparql_post_with_generated_bodies(app, body, content_type, accept):
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    check(app.test_client().post("/sparql", data=body, headers=headers), (body, content_type, accept))


@fuzz
@given(name=st.one_of(st.sampled_from(("participants-by-country", "participants-from-country", "path-between-actors",
                                       "entities-citing-line", "activities-of-actor")), st.text(max_size=40)),
       parameters=st.lists(st.tuples(parameter_names | st.sampled_from(("from", "to", "actor", "line", "locator")),
                                     st.text(max_size=60)), max_size=4),
       accept=accept)
def test_api_queries_with_generated_names_and_parameters(app, name, parameters, accept):
    response = app.test_client().get(f"/api/queries/{name}", query_string=parameters, headers={"Accept": accept})
    check(response, (name, parameters, accept))


def test_the_generated_requests_were_counted(figures):
    if not counted["cases"]:
        pytest.skip("the generated tests were not selected in this run")
    figures.record("hostile.hypothesis_cases", counted["cases"])
    figures.record("hostile.server_errors", counted["server_errors"])
    assert counted["server_errors"] == 0
