"""Issue 12, item 5: fairness. With 2 workers, 2 concurrent expensive queries made every store-backed route
(pages, API, /sparql) wait ~10 s and /readyz fail. Now a client has a bounded share of the workers (429 with
Retry-After past it), some workers are kept for pages, the API and /readyz, and a saturated endpoint says
503 with Retry-After. The timings are the benchmark's (bench/fairness.py); these tests check the behaviour.

Each client has a loopback address of its own (127.0.0.2, ...: the whole 127/8 is loopback on Linux)."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse

import pytest

from reliability_helpers import CROSS_PRODUCT, start_server, stop

PAGE = "/page/person/graciela-scavone"


def ask(base: str, path: str, source: str, *, headers: dict | None = None, timeout: float = 30):
    """GET `path` from the loopback address `source`: (status, headers, body)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


class Hostile:
    """Clients that each run the cross product (stopped at the time limit) until told to stop."""

    def __init__(self, base: str, sources: list[str]):
        self.base, self.stopping, self.statuses = base, threading.Event(), []
        self.threads = [threading.Thread(target=self._loop, args=(source,), daemon=True) for source in sources]

    def _loop(self, source: str) -> None:
        while not self.stopping.is_set():
            self.statuses.append(ask(self.base, sparql(CROSS_PRODUCT), source)[0])

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # their queries are running
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture(scope="module")
def fair(build_dir, tmp_path_factory):
    """Four workers, two of them kept for the site (so /sparql has two), one query per client at a time."""
    server = start_server(tmp_path_factory.mktemp("fairness"), {
        "CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_WORKERS": "4", "CPS_SITE_WORKERS": "2",
        "CPS_CLIENT_QUERIES": "1", "CPS_ADMISSION_WAIT": "0.5", "CPS_QUERY_TIMEOUT": "4",
        "CPS_SERVER_THREADS": "16"})
    yield server
    stop(server.process)


def test_a_client_over_its_share_gets_429_with_retry_after(fair):
    with Hostile(fair.base, ["127.0.0.2"]):
        for _ in range(3):  # (a try that falls between two of its queries is a plain 200)
            status, headers, body = ask(fair.base, sparql("ASK { ?s ?p ?o }"), "127.0.0.2")
            assert status in (200, 429), body[:300]
            if status == 429:
                break
        assert status == 429
        assert int(headers["Retry-After"]) >= 1 and b"CPS_CLIENT_QUERIES" in body
        assert ask(fair.base, sparql("ASK { ?s ?p ?o }"), "127.0.0.3")[0] == 200   # another client is served


def test_a_page_is_answered_while_two_hostile_clients_hold_the_sparql_capacity(fair, figures):
    """Four hostile clients for four workers: two of them hold the two /sparql may use, the other two are
    turned away (503) again and again; without the workers kept for the site they would hold all four."""
    with Hostile(fair.base, ["127.0.0.2", "127.0.0.3", "127.0.0.6", "127.0.0.7"]) as hostile:
        started = time.monotonic()
        status, _, body = ask(fair.base, PAGE, "127.0.0.4", headers={"Accept": "text/html"})
        figures.record("fairness.page_while_held_ms", round((time.monotonic() - started) * 1000, 1))
        assert status == 200 and b"Scavone" in body
        api = ask(fair.base, "/api/queries/agenda", "127.0.0.4", headers={"Accept": "application/json"})
        assert api[0] == 200
        assert ask(fair.base, "/readyz", "127.0.0.4")[0] == 200   # a probe never waits behind /sparql
        # ... and /sparql itself is full: a third client is told so, with a time to come back
        status, headers, body = ask(fair.base, sparql("ASK { ?s ?p ?o }"), "127.0.0.5")
        assert status == 503 and int(headers["Retry-After"]) >= 1 and b"CPS_ADMISSION_WAIT" in body
    assert 503 in hostile.statuses


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(make_app, app_config):
    """Without CPS_TRUSTED_PROXIES the peer is the client, whatever X-Forwarded-For says (a client cannot
    take a fresh share per request); with it, the address the proxy forwarded for is the client."""
    from cpsgraph.web.fairness import client_address

    app = make_app(dict(app_config, QUERY_WORKERS=1))
    spoofed = {"REMOTE_ADDR": "203.0.113.7"}
    with app.test_request_context("/sparql", environ_base=spoofed, headers={"X-Forwarded-For": "198.51.100.1"}):
        from flask import request
        assert client_address(request, []) == "203.0.113.7"
    import ipaddress
    proxies = [ipaddress.ip_network("10.0.0.0/8")]
    for headers, expected in [({"X-Forwarded-For": "198.51.100.1, 10.1.2.3"}, "198.51.100.1"),
                              ({"Forwarded": 'for=198.51.100.2;proto=https, for="10.0.0.9"'}, "198.51.100.2"),
                              ({"Forwarded": 'for="[2001:db8::1]:4711"'}, "2001:db8::/64"),
                              ({"X-Forwarded-For": "unknown"}, "10.0.0.1")]:
        with app.test_request_context("/sparql", environ_base={"REMOTE_ADDR": "10.0.0.1"}, headers=headers):
            assert client_address(request, proxies) == expected, headers
