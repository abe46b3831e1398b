"""Issue 12, item 4: the size of an answer. The row cap alone let 1,000 rows of doubled strings make a 750 MB
answer; two of them took the web process to 3 GB; in remote mode a cross product streamed 500 MB through it;
clients that did not read made the server spill hundreds of MB to temporary files. Each finding has its test.

Memory is the web process's own, read from /proc (VmHWM: the most it ever held), never a time."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from reliability_helpers import ROOT, Oxigraph, free_port, start_server, stop

MIB = 1 << 20
DOUBLINGS = 20   # "x" doubled 20 times: 1 MiB per row


def doubled(rows: int = 1000, doublings: int = DOUBLINGS) -> str:
    """A query whose every row holds a string of 2**doublings characters: rows × 1 MiB by default."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(doublings))
    values = " ".join(str(n) for n in range(rows))
    return f'SELECT ?i ?s{doublings} WHERE {{ VALUES ?i {{ {values} }} BIND("x" AS ?s0) {binds} }}'


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def spilled_bytes(pid: int) -> int:
    """Bytes in the deleted (temporary) files the process holds open."""
    total = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").endswith("(deleted)"):
                total += os.stat(f"/proc/{pid}/fd/{fd}").st_size
        except OSError:
            continue
    return total


def get(url: str, query: str, accept: str = "application/sparql-results+json", timeout: float = 60):
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def capped(build_dir, tmp_path_factory):
    """A server with a small byte cap (1 MiB) and the row cap lifted."""
    server = start_server(tmp_path_factory.mktemp("answer-size"), {
        "CPS_BUILD_DIR": str(build_dir), "CPS_RESULT_BYTES": str(MIB), "CPS_RESULT_CAP": "0",
        "CPS_QUERY_TIMEOUT": "10", "CPS_QUERY_WORKERS": "2"})
    yield server
    stop(server.process)


@pytest.mark.parametrize("accept,marker", [
    ("application/sparql-results+json", b'"truncated":{'),
    ("application/sparql-results+xml", b"urn:x-cps-lac:truncated:"),
    ("text/csv", b"TRUNCATED:"),
    ("text/tab-separated-values", b"TRUNCATED:"),
])
def test_string_doubling_binds_are_cut_at_the_byte_cap(capped, accept, marker):
    status, headers, body = get(capped.sparql, doubled(rows=50, doublings=16), accept)   # 50 × 64 KiB
    assert status == 200
    assert headers["X-Result-Truncated"] == "true" and headers["X-Result-Bytes-Cap"] == str(MIB)
    assert marker in body and b"CPS_RESULT_BYTES" in body
    assert MIB // 2 < len(body) <= MIB + 2048     # within the cap, plus the note that says it was cut
    if accept.endswith("json"):
        document = json.loads(body)
        note = document["truncated"]
        assert note["bytes"] == MIB and note["limit"] == len(document["results"]["bindings"]) < 50


def test_string_doubling_construct_is_cut_at_the_byte_cap(capped):
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(16))
    values = " ".join(str(n) for n in range(50))
    query = (f'CONSTRUCT {{ ?x <http://example.org/value> ?s16 }} WHERE {{ VALUES ?i {{ {values} }} '
             f'BIND(IRI(CONCAT("http://example.org/", STR(?i))) AS ?x) BIND("x" AS ?s0) {binds} }}')
    status, headers, body = get(capped.sparql, query, "application/n-triples")
    assert status == 200 and headers["X-Result-Truncated"] == "true"
    assert b"CPS_RESULT_BYTES" in body and len(body) <= MIB + 2048


def test_an_answer_within_the_byte_cap_is_whole(capped):
    status, headers, body = get(capped.sparql, doubled(rows=4, doublings=16))
    assert status == 200 and "X-Result-Truncated" not in headers
    assert len(json.loads(body)["results"]["bindings"]) == 4


def test_two_doubled_answers_leave_the_web_process_memory_bounded(build_dir, tmp_path, figures):
    """Two 1 GB (uncapped) answers at once, at the default byte cap (16 MiB): the web process grows by far
    less than one of them (it held three copies of each before)."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_TIMEOUT": "30"})
    try:
        pid = server.process.pid
        assert get(server.sparql, doubled(rows=20, doublings=18))[0] == 200   # every code path loaded once
        before = memory_kib(pid, "VmRSS")
        outcomes = []
        threads = [threading.Thread(target=lambda: outcomes.append(get(server.sparql, doubled()))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        growth = (memory_kib(pid, "VmHWM") - before) / 1024
    finally:
        stop(server.process)
    figures.record("answers.two_doubled_growth_mb", round(growth, 1))
    for status, headers, body in outcomes:
        assert status == 200 and headers["X-Result-Bytes-Cap"] == str(16 * MIB)
        assert 8 * MIB < len(body) <= 16 * MIB + 2048
    assert growth < 24, f"the web process grew by {growth:.0f} MiB for two capped answers (whole: >= 32)"


def test_clients_that_do_not_read_hold_the_server_to_its_answer_budget(build_dir, tmp_path, figures):
    """Clients that send a query and never read: each answer waits in a spooled file, and all of them
    together never pass CPS_ANSWER_SPOOL_BYTES; past it a query gets 503 with Retry-After."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_RESULT_BYTES": str(8 * MIB),
                                     "CPS_ANSWER_SPOOL_BYTES": str(20 * MIB), "CPS_QUERY_WORKERS": "2",
                                     "CPS_QUERY_TIMEOUT": "30"})
    port = int(server.base.rsplit(":", 1)[1])
    sockets = []
    try:
        target = "/sparql?" + urllib.parse.urlencode({"query": doubled()})
        for source in ("127.0.0.2", "127.0.0.3"):
            sockets.append(_send_and_never_read(port, target, source))
        _wait_for_records(server, 2)
        spill = spilled_bytes(server.process.pid)
        figures.record("answers.unread_spill_mb", round(spill / MIB, 1))
        assert spill <= 20 * MIB
        status, headers, body = get(server.sparql, doubled())   # a third 8 MiB answer does not fit
        assert status == 503 and int(headers["Retry-After"]) >= 1 and b"CPS_ANSWER_SPOOL_BYTES" in body
        assert get(server.sparql, "ASK { ?s ?p ?o }")[0] == 200   # small answers still fit
        for sock in sockets:
            sock.close()
        sockets.clear()
        deadline = time.monotonic() + 30   # the readers left: their files are closed and the budget is free
        while spilled_bytes(server.process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert get(server.sparql, doubled())[0] == 200
    finally:
        for sock in sockets:
            sock.close()
        stop(server.process)


def test_a_client_that_does_not_read_holds_only_its_share_of_the_answer_budget(build_dir, tmp_path, figures):
    """Finding: clients that did not read made the server spill hundreds of MB to temporary files. One client
    (one address) that never reads now holds at most CPS_CLIENT_QUERIES answers of CPS_RESULT_BYTES however
    many connections it opens: past that its queries get 429, and other clients are served as before."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_RESULT_BYTES": str(8 * MIB),
                                     "CPS_CLIENT_QUERIES": "2", "CPS_QUERY_WORKERS": "4", "CPS_QUERY_TIMEOUT": "30"})
    port = int(server.base.rsplit(":", 1)[1])
    target = "/sparql?" + urllib.parse.urlencode({"query": doubled()})
    sockets = [_send_and_never_read(port, target, "127.0.0.5") for _ in range(6)]
    try:
        records = _wait_for_records(server, 6)
        spill = spilled_bytes(server.process.pid)
        figures.record("answers.one_unread_client_spill_mb", round(spill / MIB, 1))
        statuses = sorted(record["status"] for record in records)
        assert statuses.count(200) == 2 and set(statuses[2:]) == {429}, statuses
        assert spill <= 2 * 8 * MIB + MIB
        assert get(server.sparql, doubled())[0] == 200    # another client (127.0.0.1) is served in full
    finally:
        for sock in sockets:
            sock.close()
        stop(server.process)


def _wait_for_records(server, count: int, seconds: float = 60) -> list[dict]:
    deadline = time.monotonic() + seconds
    while len(records := _records(server)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return records


def _send_and_never_read(port: int, target: str, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # so that the kernel holds little of it
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n\r\n".encode())
    return sock


def _records(server) -> list[dict]:
    try:
        return [record for record in server.access_records() if record["path"] == "/sparql"]
    except (OSError, ValueError):
        return []


@pytest.fixture(scope="module")
def remote(build_dir, tmp_path_factory):
    """Our server in front of `oxigraph serve` holding the public build, byte cap 4 MiB, no row cap."""
    from cpsgraph.config import load_settings
    from cpsgraph.store import open_store
    from cpsgraph.store.configured import open_public_store
    from cpsgraph.store.publish import publish

    triplestore = Oxigraph(free_port(), tmp_path_factory.mktemp("oxigraph-answers")).start()
    try:
        target = open_store("remote", query_url=triplestore.query, graph_store_url=triplestore.graph_store)
        settings = load_settings({"BUILD_DIR": str(build_dir), "QUERIES_DIR": str(ROOT / "queries")})
        with open_public_store(settings, workers=1) as source:
            assert publish(source, target).ok
        server = start_server(tmp_path_factory.mktemp("remote-answers"), {
            "CPS_STORE": triplestore.query, "CPS_RESULT_BYTES": str(4 * MIB), "CPS_RESULT_CAP": "0"})
        yield server
        stop(server.process)
    finally:
        triplestore.stop()


def test_a_remote_cross_product_is_cut_at_the_byte_cap(remote, figures):
    """The cross product of the graph with itself is ~10^8 rows (tens of GB from the triplestore): the answer
    is cut at the cap, and the web process reads only a bounded part of it."""
    pid = remote.process.pid
    before = memory_kib(pid, "VmRSS")
    status, headers, body = get(remote.sparql, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    growth = (memory_kib(pid, "VmHWM") - before) / 1024
    figures.record("answers.remote_cross_product_growth_mb", round(growth, 1))
    assert status == 200 and headers["X-Result-Truncated"] == "true"
    assert headers["X-Result-Bytes-Cap"] == str(4 * MIB)
    note = json.loads(body)["truncated"]
    assert note["bytes"] == 4 * MIB and note["limit"] > 1000
    assert len(body) <= 4 * MIB + 2048
    assert growth < 64, f"the web process grew by {growth:.0f} MiB for a 4 MiB answer"


def test_a_remote_dump_is_written_as_it_arrives(remote):
    status, headers, body = get(remote.base + "/dumps/cps-lac.nt", "", "application/n-triples")
    assert status == 200 and body.count(b"\n") > 10000 and "X-Result-Truncated" not in headers
