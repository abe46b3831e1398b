"""The service in front of Virtuoso Open Source 7 (Debian's), published into by `publish`."""

from __future__ import annotations

from endpoint_helpers import solutions

BASE = "https://w3id.org/cps-lac/"


def test_publish_into_virtuoso_gives_every_graph_whole(virtuoso_server, virtuoso_published, counts):
    by_graph = {c.graph: c for c in virtuoso_published.graphs}
    for name in ("ontology", "data"):
        assert by_graph[f"{BASE}graph/{name}"].after == counts[name]
        assert virtuoso_server.count(f"{BASE}graph/{name}") == counts[name]


def test_the_service_in_front_of_virtuoso_counts_what_the_embedded_store_counts(app, virtuoso_app, counts):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/data> {{ ?s ?p ?o }} }}"
    answers = [a.test_client().get("/sparql", query_string={"query": query},
                                   headers={"Accept": "application/sparql-results+json"}) for a in (app, virtuoso_app)]
    assert [a.status_code for a in answers] == [200, 200]
    assert [int(solutions(a.data)[0]["n"].value) for a in answers] == [counts["data"]] * 2
