"""Fixtures for the SPARQL service: apps on the real build, a real waitress server (`cpsgraph serve` in a
subprocess), a real `oxigraph serve` as the remote triplestore, and a loopback listener that counts
connections (to prove that a query never reaches out).

Expensive things are started once per session and stopped at its end.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from endpoint_helpers import ROOT, TOKEN, LiveServer, Listener, start_oxigraph, start_virtuoso, stop, \
    VIRTUOSO_USER, store_credentials, PARTNER_GRAPH, PARTNER_TRIPLES, wait_until_up, free_port



@pytest.fixture(scope="session")
def app_config(build_dir) -> dict:
    return {"BUILD_DIR": str(build_dir), "QUERIES_DIR": str(ROOT / "queries"), "OPERATOR_TOKEN": TOKEN,
            "QUERY_TIMEOUT": 5.0, "QUERY_WORKERS": 2}


@pytest.fixture(scope="session")
def app(make_app, app_config):
    return make_app(app_config)  # one per directory: see `client` in tests/conftest.py


@pytest.fixture(scope="session")
def counts(built) -> dict[str, int]:
    """Triples per graph of the real build, by short name (ontology, data, restricted)."""
    return built.counts


@pytest.fixture(scope="session")
def live_server(build_dir):
    """`cpsgraph serve` on a free loopback port, with a 2 s time limit and the operator token."""
    port = free_port()
    env = dict(os.environ, CPS_BUILD_DIR=str(build_dir), CPS_QUERIES_DIR=str(ROOT / "queries"),
               CPS_OPERATOR_TOKEN=TOKEN, CPS_QUERY_TIMEOUT="2", CPS_QUERY_WORKERS="2",
               CPS_ACCESS_LOG="")  # nobody reads the pipe: no access log to fill it
    process = subprocess.Popen([sys.executable, "-m", "cpsgraph.cli", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/sparql", process)
        yield LiveServer(base + "/sparql", process, base)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server (union default graph, as our embedded store) on a free loopback port."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def published(oxigraph_server, app_config):
    """The public graphs of the build, published into the Oxigraph server beside a partner's graph; returns
    the PublishReport."""
    from cpsgraph.config import load_settings
    from cpsgraph.store import open_store
    from cpsgraph.store.configured import open_public_store
    from cpsgraph.store.publish import publish

    oxigraph_server.put(PARTNER_GRAPH, PARTNER_TRIPLES)
    settings = load_settings(app_config)
    target = open_store("remote", query_url=oxigraph_server.query, graph_store_url=oxigraph_server.graph_store)
    with open_public_store(settings, workers=1) as source:
        report = publish(source, target)
    assert report.ok, report.lines()
    return report


@pytest.fixture(scope="session")
def oxigraph_app(make_app, oxigraph_server, published):
    return make_app({"STORE": oxigraph_server.query, "QUERIES_DIR": str(ROOT / "queries"), "QUERY_TIMEOUT": 10.0})


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def remote_app(request):
    """The service in front of each real triplestore in turn (the tests that take it run once per engine)."""
    return request.getfixturevalue(f"{request.param}_app")



@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso Open Source 7 (Debian's, installed by `make test`) on free loopback ports; started once
    per session (several seconds)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def virtuoso_published(virtuoso_server, app_config):
    """The public graphs of the build, published into Virtuoso over the Graph Store Protocol with digest
    authentication, beside a partner's graph; returns the PublishReport."""
    from cpsgraph.config import load_settings
    from cpsgraph.store import open_store
    from cpsgraph.store.configured import open_public_store
    from cpsgraph.store.publish import publish

    virtuoso_server.put(PARTNER_GRAPH, PARTNER_TRIPLES)
    settings = load_settings(app_config)
    target = open_store("remote", query_url=virtuoso_server.query, graph_store_url=virtuoso_server.graph_store)
    with open_public_store(settings, workers=1) as source, store_credentials(*VIRTUOSO_USER):
        report = publish(source, target)
    # Virtuoso keeps an xsd:duration as its number of months ("P2Y" as 24); it reads back as ours (publish
    # names how many), and nothing may differ.
    assert report.ok, report.lines()
    return report


@pytest.fixture(scope="session")
def virtuoso_app(make_app, virtuoso_server, virtuoso_published):
    return make_app({"STORE": virtuoso_server.query, "QUERIES_DIR": str(ROOT / "queries"), "QUERY_TIMEOUT": 10.0})


@pytest.fixture
def listener():
    opened = Listener()
    yield opened
    opened.close()
