"""Regression (issue 12, finding 8): 16,000 FILTERs, or 30,000 BINDs, triple patterns, select expressions or
GRAPH blocks crashed a query worker with a stack overflow (a 503 for the client, a restarted worker for the
service); the gate's operator count did not see them. The gate now counts tokens, nesting, operators and
patterns against named limits (QUERY_MAX_*) and answers a clear 400 before any engine sees the query."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cpsgraph.config import SETTINGS
from cpsgraph.errors import QuerySyntaxError
from cpsgraph.store.guard import inspect_query
from cpsgraph.store.limits import QueryLimits
from reliability_helpers import ROOT

OVERSIZED = {
    "16,000 FILTERs": "SELECT * WHERE { ?s ?p ?o " + "FILTER(?o) " * 16_000 + "}",
    "30,000 BINDs": "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(30_000)) + " }",
    "30,000 triple patterns": "SELECT * WHERE { " + " ".join(f"?s <p:{i}> ?o{i} ." for i in range(30_000)) + " }",
    "30,000 select expressions": "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(30_000)) + " WHERE {}",
    "30,000 GRAPH blocks": "SELECT * WHERE { " + "GRAPH ?g { ?s ?p ?o } " * 30_000 + "}",
    # the smallest that crashed pyoxigraph 0.5.13 (python -m bench.gate --thresholds): all well within 10,000 tokens
    "2,625 BINDs": "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(2_625)) + " }",
    "2,625 MINUS blocks": "SELECT * WHERE { " + "MINUS { } " * 2_625 + "}",
    "2,625 GRAPH blocks": "SELECT * WHERE { " + " ".join(f"GRAPH <g:{i}> {{ }}" for i in range(2_625)) + " }",
    "2,625 select expressions": "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(2_625)) + " WHERE {}",
}


@pytest.mark.parametrize("name", OVERSIZED)
def test_oversized_queries_are_a_clear_400_and_no_worker_dies(app, name, figures):
    pool = app.extensions["cpsgraph.stores"].public.pool
    pids = sorted(pool.pids())
    started = time.monotonic()
    response = app.test_client().post("/sparql", data={"query": OVERSIZED[name]})
    elapsed = time.monotonic() - started
    assert response.status_code == 400, response.data[:300]
    assert "this service accepts at most" in response.get_data(as_text=True)
    assert sorted(pool.pids()) == pids
    if name == "16,000 FILTERs":
        figures.record("gate.oversized_ms", elapsed * 1000)
    assert app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"]


def test_the_largest_query_the_gate_lets_through_is_answered(app, figures):
    """The limits are below what crashes a worker: as many BINDs as QUERY_MAX_PATTERNS allows run fine."""
    binds = QueryLimits().patterns - 1          # the WHERE group is a pattern too
    text = "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(binds)) + " }"
    inspect_query(text)
    with pytest.raises(QuerySyntaxError, match="accepts at most"):
        inspect_query(text.replace(" }", " BIND(0 AS ?more) }"))
    pool = app.extensions["cpsgraph.stores"].public.pool
    pids = sorted(pool.pids())
    response = app.test_client().post("/sparql", data={"query": text})
    assert response.status_code == 200, response.data[:300]
    assert len(response.get_json()["head"]["vars"]) == binds
    assert sorted(pool.pids()) == pids
    figures.record("gate.largest_allowed_binds", binds)


def test_every_stored_query_is_far_within_the_limits():
    tenth = QueryLimits(*(value // 10 for value in QueryLimits().__dict__.values()))
    for path in sorted(Path(ROOT / "queries").glob("*.rq")):
        inspect_query(path.read_text(encoding="utf-8"), tenth)


def test_the_limits_are_settings_with_the_same_defaults():
    defaults = {s.name: s.default for s in SETTINGS}
    assert QueryLimits.from_settings(defaults) == QueryLimits()


def test_a_configured_limit_applies_to_the_endpoint(make_app, app_config):
    small = make_app(dict(app_config, QUERY_MAX_PATTERNS=5, QUERY_WORKERS=1, OPERATOR_TOKEN=""))
    text = "SELECT * WHERE { " + "FILTER(true) " * 6 + "}"
    response = small.test_client().post("/sparql", data={"query": text})
    assert response.status_code == 400 and "at most 5" in response.get_data(as_text=True)
    assert small.test_client().post("/sparql", data={"query": "SELECT * WHERE { FILTER(true) }"}).status_code == 200
