"""Issue 17, item 1: an answer the release cache keeps (decision 0023) is written by the HTTP server's I/O loop
itself, with no request thread, no hand-off and no wake-up of the loop (web/httpserver.Server._kept_answer).
These tests check that such an answer is the answer the app gives, byte for byte where it must be, on every
kind of connection, and that it needs no thread: it is served while hostile clients hold the endpoint."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from reliability_helpers import start_server, stop
from test_fairness import Hostile, ask, fresh_ask, sparql

PAGE = "/page/person/graciela-scavone"
VARYING = {"date", "x-request-id", "server"}


@pytest.fixture(scope="module")
def live(build_dir, tmp_path_factory):
    """Four workers (two for /sparql), four request threads, one query per client at a time."""
    server = start_server(tmp_path_factory.mktemp("kept"), {
        "CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_WORKERS": "4", "CPS_SITE_WORKERS": "2",
        "CPS_CLIENT_QUERIES": "1", "CPS_ADMISSION_WAIT": "0.5", "CPS_QUERY_TIMEOUT": "4",
        "CPS_SERVER_THREADS": "4"})
    yield server
    stop(server.process)


def exchange(base: str, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
             connection: http.client.HTTPConnection | None = None):
    host, port = base.removeprefix("http://").split(":")
    connection = connection or http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(), connection


def records_for(server, request_ids: set[str]) -> dict[str, dict]:
    deadline = time.monotonic() + 5
    while True:
        found = {r.get("request_id"): r for r in server.access_records() if r.get("request_id") in request_ids}
        if len(found) == len(request_ids) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_kept_page_is_the_apps_answer_and_the_connection_goes_on(live):
    """The second GET of a page comes from the loop: the same status, body and headers (but the date and the
    request id), logged as a hit; a HEAD has its headers and no body; an If-None-Match gets a 304 with the
    ETag; and the keep-alive connection serves every one of them in turn."""
    html = {"Accept": "text/html", "Accept-Language": "en"}
    first = exchange(live.base, "GET", PAGE, headers=html)
    connection = first[3]
    second = exchange(live.base, "GET", PAGE, headers=html, connection=connection)
    head = exchange(live.base, "HEAD", PAGE, headers=html, connection=connection)
    etag = second[1]["etag"]
    revalidated = exchange(live.base, "GET", PAGE, headers={**html, "If-None-Match": etag}, connection=connection)
    after = exchange(live.base, "GET", "/healthz", connection=connection)
    assert first[0] == second[0] == head[0] == 200 and b"Scavone" in second[2] and second[2] == first[2]
    assert {k: v for k, v in first[1].items() if k not in VARYING} == \
        {k: v for k, v in second[1].items() if k not in VARYING}
    assert second[1]["server"] == "cpsgraph" and "date" in second[1]
    assert head[2] == b"" and head[1]["content-length"] == second[1]["content-length"]
    assert revalidated[0] == 304 and revalidated[2] == b"" and revalidated[1]["etag"] == etag
    assert after[0] == 200
    logged = records_for(live, {second[1]["x-request-id"], head[1]["x-request-id"]})
    assert [logged[r]["cache"] for r in (second[1]["x-request-id"], head[1]["x-request-id"])] == ["hit", "hit"]


def read_answer(stream) -> tuple[int, bytes]:
    """One answer of known length from a connection's byte stream: (status, body)."""
    status = int(stream.readline().split()[1])
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, stream.read(length)


def test_pipelined_requests_keep_their_order_and_posted_bodies(live):
    """Three requests sent at once on one connection (a kept query by POST, a new query by POST, the kept one
    again): three answers, in order, each to its own body; the new query's body, read for the cache's key
    in the loop, still reaches the app whole."""
    kept = b"ASK { ?s ?p ?o }"
    new = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1 # {time.time_ns()}".encode()
    head = "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" \
           "Accept: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n"
    assert exchange(live.base, "POST", "/sparql", body=kept, headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})[0] == 200
    host, port = live.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"".join(head.format(len(body)).encode() + body for body in (kept, new, kept)))
        stream = sock.makefile("rb")
        answers = [read_answer(stream) for _ in range(3)]
    assert [status for status, _ in answers] == [200, 200, 200]
    assert answers[0][1] == answers[2][1] and b'"boolean": true' in answers[0][1].replace(b'":true', b'": true')
    assert b'"bindings"' in answers[1][1]


def test_an_http_1_0_client_is_closed_after_a_kept_answer(live):
    """HTTP/1.0 without keep-alive: the kept answer says `Connection: close` and the server closes."""
    exchange(live.base, "GET", "/openapi.json")
    host, port = live.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET /openapi.json HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") and b"Connection: close" in head
    assert len(body) == int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
                            .split(b":")[1])


def test_a_kept_answer_needs_no_request_thread(live):
    """Four hostile clients hold the endpoint's threads and workers; a query the cache keeps is answered at once
    to a new client, while a query nobody asked before is told 503 (the endpoint is full)."""
    kept = sparql("ASK { ?s ?p ?o }")
    assert ask(live.base, kept, "127.0.0.30")[0] == 200
    assert ask(live.base, PAGE, "127.0.0.30", headers={"Accept": "text/html"})[0] == 200
    with Hostile(live.base, ["127.0.0.2", "127.0.0.3", "127.0.0.6", "127.0.0.7"]):
        started = time.monotonic()
        status, _, body = ask(live.base, kept, "127.0.0.5")
        waited = time.monotonic() - started
        page = ask(live.base, PAGE, "127.0.0.5", headers={"Accept": "text/html"})
        new = ask(live.base, sparql(fresh_ask()), "127.0.0.8")
    assert status == 200 and b"true" in body and waited < 0.5   # (the admission wait is 0.5 s)
    assert page[0] == 200
    assert new[0] == 503, new[2][:300]


def test_a_private_request_is_never_answered_from_the_cache(live):
    """A request with credentials goes to the app, cached or not (a wrong token is a 401 on every URL)."""
    exchange(live.base, "GET", "/openapi.json")
    status, headers, _, _ = exchange(live.base, "GET", "/openapi.json", headers={"Authorization": "Bearer wrong"})
    assert status == 401 and "no-store" in headers.get("cache-control", "")


def test_a_client_that_pipelines_and_reads_late_gets_every_answer_in_order(live):
    """Forty requests for a kept answer of some 200 kB sent at once, and nothing read for a second: the loop
    writes kept answers only while less than KEPT_UNSENT waits on the connection, then hands the rest to a
    request thread (which waits for the client to read). Every answer arrives, whole and in order."""
    from urllib.parse import quote

    path = "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1000")
    first = exchange(live.base, "GET", path, headers={"Accept": "application/sparql-results+json"})
    assert first[0] == 200 and len(first[2]) > 100_000
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n".encode()
    host, port = live.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request * 40)
        time.sleep(1.0)
        stream = sock.makefile("rb")
        answers = [read_answer(stream) for _ in range(40)]
    assert all(status == 200 and body == first[2] for status, body in answers)
