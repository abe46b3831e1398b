"""Connections (issue 12, items 5, 6 and 9): what `cpsgraph serve` does with many, idle, slow and dripping
clients, with a liveness probe while every request thread is busy, and with requests in flight at SIGTERM.
Every loop is bounded; every socket is on loopback and closed at the end."""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import signal
import socket
import threading
import time
import urllib.parse

import pytest
from reliability_helpers import CROSS_PRODUCT, start_server, stop

IDLE, SLOW = 1000, 200
DRIPS = 3                 # header lines each slow client sends, one per DRIP_SECONDS
DRIP_SECONDS = 1.0


def port_of(server) -> int:
    return int(server.base.rsplit(":", 1)[1])


def get(port: int, path: str, *, timeout: float = 20.0, headers: dict | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def open_sockets(port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
    return sockets


def still_open(sock: socket.socket) -> bool:
    """Whether the server has kept this connection open (nothing to read, no EOF, no reset)."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


@pytest.fixture
def enough_descriptors():
    """This test process holds 1,200 client sockets: raise its own soft open-file limit if it must."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = IDLE + SLOW + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.fail(f"the open-file hard limit ({hard}) is below the {wanted} sockets this test opens")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_1000_idle_and_200_dripping_connections_leave_new_clients_served(live, enough_descriptors, figures):
    """Was: 101 idle connections, or 120 dripping a header line every 2 s, blocked every new client."""
    port = port_of(live)
    held: list[socket.socket] = []
    try:
        idle = open_sockets(port, IDLE)
        held += idle
        slow = open_sockets(port, SLOW)
        held += slow
        for sock in slow:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        served, worst = 0, 0.0
        for drip in range(DRIPS):
            for path in ("/healthz", "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                         "/api/queries/participants-by-country?per_page=5", "/readyz"):
                started = time.monotonic()
                status, body, _ = get(port, path)
                worst = max(worst, time.monotonic() - started)
                assert status == 200, (path, body[:300])
                served += 1
            time.sleep(DRIP_SECONDS)
            for number, sock in enumerate(slow):
                sock.sendall(f"X-Drip-{drip}: {number}\r\n".encode())
        assert sum(still_open(sock) for sock in idle) == IDLE, "the server dropped idle connections"
        assert sum(still_open(sock) for sock in slow) == SLOW, "the server dropped slow connections"
        for sock in slow[:5]:      # and a slow client that finally ends its request gets its answer
            sock.sendall(b"\r\n")
            sock.settimeout(20)
            assert sock.recv(64).startswith(b"HTTP/1.1 200 ")
    finally:
        for sock in held:
            sock.close()
    figures.record("connections.held_idle", IDLE)
    figures.record("connections.held_slow", SLOW)
    figures.record("connections.new_requests_served", served)
    figures.record("connections.slowest_new_request_ms", worst * 1000)


def test_a_request_dripping_past_the_read_timeout_gets_408_and_idle_connections_close(build_dir, tmp_path):
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_WORKERS": "1",
                                     "CPS_REQUEST_READ_TIMEOUT": "1.5", "CPS_IDLE_TIMEOUT": "2"})
    try:
        port = port_of(server)
        dripping = socket.create_connection(("127.0.0.1", port), timeout=10)
        idle = socket.create_connection(("127.0.0.1", port), timeout=10)
        dripping.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer = b""
        for number in range(40):     # at most 8 s of dripping; the server must cut it after 1.5 s
            time.sleep(0.2)
            try:
                dripping.sendall(f"X-Drip: {number}\r\n".encode())
            except OSError:
                break
            dripping.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                answer += dripping.recv(4096)
            dripping.setblocking(True)
            if answer:
                break
        assert answer.startswith(b"HTTP/1.1 408 Request Timeout"), answer
        assert number * 0.2 < 6
        idle.settimeout(10)
        assert idle.recv(1) == b"", "an idle connection outlived CPS_IDLE_TIMEOUT"
        assert get(port, "/healthz")[0] == 200
        dripping.close()
        idle.close()
    finally:
        stop(server.process)


def test_healthz_is_answered_before_requests_queued_behind_busy_threads(build_dir, tmp_path):
    """Was: with 8 concurrent expensive queries, /healthz took 9 s (it waited for a request thread)."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_WORKERS": "1",
                                     "CPS_SERVER_THREADS": "2", "CPS_QUERY_TIMEOUT": "2"})
    finished: list[tuple[str, float]] = []
    lock = threading.Lock()

    def expensive():
        status = get(port_of(server), "/sparql?query=" + urllib.parse.quote(CROSS_PRODUCT), timeout=60)[0]
        with lock:
            finished.append((f"query {status}", time.monotonic()))

    try:
        threads = [threading.Thread(target=expensive) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)   # both request threads are busy, two more queries wait in the queue
        status, body, headers = get(port_of(server), "/healthz", headers={"X-Request-Id": "probe-1"})
        answered = time.monotonic()
        for thread in threads:
            thread.join()
    finally:
        stop(server.process)
    assert status == 200 and body == b'{"status": "ok"}'
    assert headers["X-Request-Id"] == "probe-1" and headers["Cache-Control"] == "no-store"
    assert len(finished) == 4 and all(at > answered for _, at in finished), (finished, answered)
    probes = [r for r in server.access_records() if r["path"] == "/healthz" and r["request_id"] == "probe-1"]
    assert len(probes) == 1 and probes[0]["status"] == 200


@pytest.mark.slow
def test_no_request_in_flight_is_reset_during_a_sigterm_drain(build_dir, tmp_path, figures):
    """Was: one request of ~30 in flight was reset during a SIGTERM drain. 30 clients each open a new
    connection per request; at SIGTERM, each request must get its full answer or a refused connection."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_WORKERS": "2"},
                          new_session=True)
    port, stopping = port_of(server), threading.Event()
    outcomes: list[str] = []
    lock = threading.Lock()
    query = "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 200")

    def client():
        for _ in range(400):       # bounded: the signal comes after about a second
            try:
                status, body, _ = get(port, query, timeout=30)
                outcome = "answered" if status == 200 and body.rstrip().endswith(b"}") else f"status {status}"
            except ConnectionRefusedError:
                outcome = "refused"
            except (http.client.HTTPException, OSError) as error:
                outcome = f"broken: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
            if outcome == "refused" or stopping.is_set() and outcome != "answered":
                return

    try:
        threads = [threading.Thread(target=client) for _ in range(30)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        stopping.set()
        os.kill(server.process.pid, signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=60)
        code = server.process.wait(timeout=30)
    finally:
        stop(server.process)
    broken = [outcome for outcome in outcomes if outcome not in ("answered", "refused")]
    figures.record("connections.drain_requests", len(outcomes))
    figures.record("connections.drain_broken", len(broken))
    assert outcomes.count("answered") > 30 and outcomes.count("refused") >= 1
    assert not broken, broken[:5]
    assert code == 0
