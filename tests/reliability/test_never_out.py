"""Never out: no query form and no request makes the service (or the triplestore behind it) open a connection
to an address it names. A loopback listener stands in for "the outside"; every probe names it, and it must see
no connection. The control: once the operator allow-lists it for SERVICE, the same listener sees one."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from cpsgraph.store.publish import publish
from reliability_helpers import ROOT, Oxigraph, free_port


def sparql_probes(url: str) -> list[dict]:
    """GET parameters for /sparql that name `url` in every way a query can."""
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?endpoint) SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>", f"LOAD SILENT <{url}data.ttl> INTO GRAPH <{url}g>",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{url}>", f"DESCRIBE <{url}resource#it>",
        f"CONSTRUCT {{ <{url}> ?p ?o }} WHERE {{ <{url}> ?p ?o }}",
        f"ASK {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * WHERE {{ <relative> ?p ?o }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o = <{url}>) }} LIMIT 1",
    ]
    probes = [{"query": text} for text in queries]
    probes += [{"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": url},
               {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "named-graph-uri": url},
               {"update": f"LOAD <{url}>"}]
    return probes


def other_probes(url: str) -> list[str]:
    """Other URLs of the service that take an IRI from the client."""
    iri = quote(url, safe="")
    return [f"/store?graph={iri}", f"/api/queries/activities-of-actor?actor={iri}",
            f"/api/queries/path-between-actors?from={iri}&to={iri}", f"/api/queries/sources-of-entity?entity={iri}",
            f"/search?q={iri}", f"/paths?from={iri}&to={iri}", f"/network/{iri}.json", f"/id/{iri}",
            f"/page/{iri}", f"/data/{iri}.ttl"]


def run_probes(client, url: str) -> int:
    sent = 0
    for params in sparql_probes(url):
        response = client.get("/sparql", query_string=params)
        assert response.status_code in (200, 400, 403, 404), (params, response.status_code, response.data[:200])
        sent += 1
    for path in other_probes(url):
        response = client.get(path, headers={"Host": url.split("/")[2]})
        assert response.status_code < 500, (path, response.status_code)
        sent += 1
    return sent


@pytest.fixture(scope="module")
def remote_client(make_app, app_config, tmp_path_factory):
    """The service on a real `oxigraph serve` holding the public graphs (the remote store)."""
    from cpsgraph.config import load_settings
    from cpsgraph.store import open_store
    from cpsgraph.store.configured import open_public_store

    server = Oxigraph(free_port(), tmp_path_factory.mktemp("oxigraph-never-out")).start()
    try:
        target = open_store("remote", query_url=server.query, graph_store_url=server.graph_store)
        with open_public_store(load_settings(app_config), workers=1) as source:
            assert publish(source, target).ok
        yield make_app({"STORE": server.query, "QUERIES_DIR": str(ROOT / "queries")}).test_client()
    finally:
        server.stop()


def test_nothing_reaches_out_from_the_embedded_or_the_remote_store(client, remote_client, listener, figures):
    sent = run_probes(client, listener.url) + run_probes(remote_client, listener.url)
    assert client.get("/sparql", query_string={"query": f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"}) \
        .get_json()["results"]["bindings"] == []        # an unknown graph is an empty graph, never fetched
    assert remote_client.get("/sparql", query_string={"query": f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"}) \
        .get_json()["results"]["bindings"] == []        # the same; the triplestore (which might fetch it) never sees it
    time.sleep(0.5)
    figures.record("never_out.probes", sent)
    figures.record("never_out.connections", len(listener.connections))
    assert listener.connections == []


def test_the_listener_does_see_an_allow_listed_service(make_app, app_config, listener):
    """The control: the probe can see a connection when one is made."""
    allowed = make_app(dict(app_config, SERVICE_ALLOWLIST=[listener.url], QUERY_WORKERS=1, OPERATOR_TOKEN=""))
    response = allowed.test_client().get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
    assert response.status_code in (502, 503)       # the listener closes at once: no SPARQL answer
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections
