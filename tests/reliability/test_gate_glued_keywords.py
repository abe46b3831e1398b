"""Regression (issue 12, finding 1): pyoxigraph's parser takes a keyword glued to what follows
(`SERVICESILENT<...>`, `SERVICEex:x`, `FROMNAMED<...>`), the query gate did not see them, and a worker fetched
the URL. The gate must stand on its own: every spelling in a generated corpus is either refused by the gate or,
run on a plain pyoxigraph store (no sandbox, no network namespace), makes no request to a canary listener."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
from cpsgraph.errors import CpsError, QueryRefused
from cpsgraph.store.guard import check_services, inspect_query
from gate_corpus import run_on_engine, spellings

CORPUS = 12000


class PathListener:
    """A loopback TCP listener that records the request line of every connection made to it."""

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.requests: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                line = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
            except OSError:
                line = ""
            self.requests.append(line)
            conn.close()

    def close(self):
        self._socket.close()


@pytest.fixture
def canary():
    opened = PathListener()
    yield opened
    opened.close()


def gate(text: str) -> bool:
    """True when the gate lets the text through to the engine (the public service: no SERVICE allowed)."""
    try:
        check_services(inspect_query(text), frozenset())
    except CpsError:
        return False
    return True


def settle(listener, seconds: float = 0.5) -> None:
    time.sleep(seconds)   # a connection the engine opened has reached the listener by then


def test_no_spelling_in_the_corpus_reaches_the_canary(canary, figures):
    texts = spellings(canary.url, CORPUS)
    assert len(set(texts)) >= 10000
    passed = [text for text in texts if gate(text)]
    assert 100 <= len(passed) < len(texts) // 2      # decoys do pass; the tricks do not
    assert run_on_engine(passed, update=True) == 2 * len(passed)
    settle(canary)
    figures.record("gate.corpus", len(texts))
    figures.record("gate.corpus_passed", len(passed))
    figures.record("gate.corpus_connections", len(canary.requests))
    assert canary.requests == []


def test_without_the_gate_the_corpus_does_reach_the_canary(canary, figures):
    """The control: run on the engine directly, many spellings make a request (so the corpus tests
    something), and the gate refuses every one of them."""
    texts = spellings(canary.url, CORPUS)
    tagged = [text.replace(canary.url, f"{canary.url}t{i}/") for i, text in enumerate(texts)]
    run_on_engine(tagged)
    settle(canary, 1.0)
    reached = {int(m.group(1)) for line in canary.requests if (m := re.search(r"/t(\d+)/", line))}
    figures.record("gate.corpus_engine_requests", len(reached))
    assert len(reached) >= 500
    assert [tagged[i] for i in sorted(reached) if gate(tagged[i])] == []


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICESILENT<{url}> { ?s ?p ?o } }",
    "PREFIX ex: <{url}> SELECT * WHERE { SERVICEex:x { ?s ?p ?o } }",
    "SELECT * FROMNAMED<{url}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX ex: <{url}> SELECT * FROMex:g WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p trueSERVICE<{url}>{} }",
    "PREFIX ex: <{url}> SELECT * WHERE { ?s ?p ex:a.b.SERVICE<{url}>{} }",
    "SELECT * WHERE { ?s ?p 1SERVICE<{url}>{} }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> {} }",
    "SELECT * WHERE { BIND(\"\\u0022 AS ?a) SERVICE <{url}> {} BIND(\\u0022\" AS ?b) }",
    'SELECT * WHERE { FILTER(?a<?b#>"""\n) SERVICE <{url}> {} #"""\n}',
    "SELECT * WHERE { FILTER(?a<'>?b) SERVICE <{url}> {} #'\n}",
    "LOADSILENT<{url}>", "PREFIX ex: <{url}> LOADex:x", "SELECT * {} LOAD <{url}>",
])
def test_the_reported_spellings_are_refused(text):
    with pytest.raises(QueryRefused):
        check_services(inspect_query(text.replace("{url}", "http://127.0.0.1:9/")), frozenset())


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://schema.org/serviceType> ?service }",
    "SELECT * WHERE { BIND('SERVICE <http://a/>' AS ?x) } # SERVICE <http://b/>",
    'SELECT * WHERE { BIND("""multi\nSERVICE <http://a/>""" AS ?x) FILTER(?x != "caf\\u00e9") }',
    "PREFIX ex: <http://a/> SELECT ?from WHERE { ?from ex:serviceFrom ex:load.named }",
])
def test_the_words_in_names_strings_and_comments_pass(text):
    assert inspect_query(text).services == ()


def test_from_an_unknown_http_iri_is_never_fetched(canary):
    """FROM and FROM NAMED pass the gate: pyoxigraph reads them as graphs of the store, never as URLs."""
    texts = [f"SELECT * FROM <{canary.url}> WHERE {{ ?s ?p ?o }}",
             f"SELECT * FROM NAMED <{canary.url}x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"]
    assert all(gate(text) for text in texts)
    assert inspect_query(texts[0]).from_graphs == (canary.url,)
    run_on_engine(texts)
    settle(canary)
    assert canary.requests == []


def test_through_the_service_a_sample_of_the_corpus_reaches_nothing(client, canary):
    texts = spellings(canary.url, CORPUS)
    sample = texts[::40] + [text for text in texts if gate(text)][:100]
    statuses = set()
    for text in sample:
        response = client.post("/sparql", data={"query": text})
        statuses.add(response.status_code)
        assert response.status_code in (200, 400, 403, 404), (text, response.status_code, response.data[:200])
    settle(canary)
    assert canary.requests == []
    assert {200, 400, 403} <= statuses
