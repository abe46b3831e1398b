"""Issue 17, item 1: more than one HTTP process on one port (CPS_HTTP_PROCESSES, web/processes.py), with the fair
admission kept: a client's connections always reach the same process, so its share is counted once. The
throughput it buys is the benchmark's (bench/cache.py); these tests check the behaviour with real processes.

Each client has a loopback address of its own (127.0.0.2, ...), as in test_fairness.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability_helpers import ROOT, alive, descendants, free_port, query_workers, start_server, stop
from test_fairness import Hostile, ask, fresh_ask, sparql

SOURCES = [f"127.0.0.{n}" for n in range(2, 18)]


def process_of(base: str, source: str) -> tuple[int, dict]:
    """Which HTTP process answered /readyz for a client at `source` (a new connection each time)."""
    status, _, body = ask(base, "/readyz", source, headers={"Accept": "application/json"})
    document = json.loads(body)
    assert status == 200, document
    return document["http_process"]["number"], document


def wait_for_both(base: str, timeout: float = 60.0) -> dict[str, int]:
    """Poll until clients reach both processes with every worker loaded; the process of each source."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            seen = {source: process_of(base, source) for source in SOURCES}
            numbers = {number for number, _ in seen.values()}
            loaded = all(doc["workers"]["loaded"] == doc["workers"]["of"] and doc.get("indexes") != "building"
                         for _, doc in seen.values())
            if numbers == {1, 2} and loaded:
                return {source: number for source, (number, _) in seen.items()}
        except (OSError, AssertionError, KeyError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"clients did not reach both HTTP processes within {timeout} s")
        time.sleep(0.2)


def partition(pinned: dict[str, int]) -> set[frozenset[str]]:
    return {frozenset(s for s, n in pinned.items() if n == number) for number in set(pinned.values())}


def http_processes(supervisor: int) -> list[int]:
    """The supervisor's children that are HTTP processes (not the fork servers below them)."""
    return sorted(pid for pid in descendants(supervisor) if alive(pid) and _parent(pid) == supervisor)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture(scope="module")
def two(build_dir, tmp_path_factory):
    """Two HTTP processes sharing eight query workers (four each, two of them kept for the site), one query
    per client at a time."""
    server = start_server(tmp_path_factory.mktemp("two-processes"), {
        "CPS_BUILD_DIR": str(build_dir), "CPS_HTTP_PROCESSES": "2", "CPS_QUERY_WORKERS": "8",
        "CPS_SITE_WORKERS": "2", "CPS_CLIENT_QUERIES": "1", "CPS_ADMISSION_WAIT": "0.5", "CPS_QUERY_TIMEOUT": "4"})
    server.pinned = wait_for_both(server.base)
    yield server
    stop(server.process)


def test_each_client_always_reaches_the_same_process_and_both_serve(two):
    """Sixteen clients, three new connections each: every client meets one process every time, both processes
    have clients, and each holds its half of the query workers."""
    for source in SOURCES:
        answers = {process_of(two.base, source)[0] for _ in range(3)}
        assert answers == {two.pinned[source]}, source
    assert set(two.pinned.values()) == {1, 2}
    assert process_of(two.base, SOURCES[0])[1]["workers"]["of"] == 4
    assert len(http_processes(two.process.pid)) == 2


def test_a_clients_share_is_counted_once_across_processes(two):
    """CPS_CLIENT_QUERIES=1: while the client's expensive query runs, its next requests are told 429 on every
    new connection. With a share per process, a connection reaching the other process would be answered."""
    with Hostile(two.base, ["127.0.0.2"]):
        statuses = [ask(two.base, sparql(fresh_ask()), "127.0.0.2")[0] for _ in range(6)]
        other = [source for source in SOURCES if two.pinned[source] != two.pinned["127.0.0.2"]][0]
        elsewhere = ask(two.base, sparql(fresh_ask()), other)[0]
    assert statuses.count(429) >= 5, statuses   # (a try between two of its queries is a plain 200)
    assert elsewhere == 200   # a client of the other process is served


def test_the_page_and_the_access_log_come_from_both_processes(two):
    """A page asked by clients of each process is the same page, and each answer has its line in the one access
    log (the processes append to it line by line)."""
    sources = {number: next(s for s in SOURCES if two.pinned[s] == number) for number in (1, 2)}
    pages = {number: ask(two.base, "/page/person/graciela-scavone", source, headers={"Accept": "text/html"})
             for number, source in sources.items()}
    assert pages[1][0] == pages[2][0] == 200 and pages[1][2] == pages[2][2]
    ids = {pages[number][1]["X-Request-Id"] for number in pages}
    deadline = time.monotonic() + 5
    while not ids <= {record.get("request_id") for record in two.access_records()} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ids <= {record.get("request_id") for record in two.access_records()}


def test_reload_restart_and_stop(build_dir, tmp_path):
    """SIGHUP reloads both processes; an HTTP process killed outright is started again (its workers die with it)
    and its clients are served again; SIGTERM stops everything and the service exits 0, leaving nothing."""
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_HTTP_PROCESSES": "2",
                                     "CPS_QUERY_WORKERS": "4"})
    try:
        pinned = wait_for_both(server.base)
        supervisor = server.process.pid
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while server.errors.read_text().count("SIGHUP: now serving") < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.errors.read_text().count("SIGHUP: now serving") == 2

        victim = http_processes(supervisor)[0]
        its_workers = query_workers(victim)
        assert its_workers
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while victim in http_processes(supervisor) or len(http_processes(supervisor)) < 2:
            assert time.monotonic() < deadline, "the killed HTTP process was not started again"
            time.sleep(0.2)
        again = wait_for_both(server.base)
        # the clients that shared a process still do (the kernel may have swapped the two sockets' places)
        assert partition(again) == partition(pinned)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in its_workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in its_workers)
        assert "HTTP process" in server.errors.read_text() and "starting it again" in server.errors.read_text()

        everything = descendants(supervisor)
        assert stop(server.process) == 0
        assert not any(alive(pid) for pid in everything)
    finally:
        stop(server.process)


def _serve(env: dict, port: int, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpsgraph.cli", "serve", "--host", "127.0.0.1", "--port",
                           str(port)], env=dict(os.environ, CPS_QUERIES_DIR=str(ROOT / "queries"), **env), cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_a_process_that_cannot_start_stops_the_service(tmp_path):
    """No build: each process fails to open it, and the service exits 2 with the reason, leaving no process."""
    result = _serve({"CPS_BUILD_DIR": str(tmp_path / "nothing"), "CPS_HTTP_PROCESSES": "2"}, free_port(), tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "error:" in result.stderr and "could not start" in result.stderr


def test_a_port_in_use_is_refused_before_any_process_starts(build_dir, tmp_path):
    """The port is checked with a plain bind first, so a service cannot join another one's port (SO_REUSEPORT
    would let it)."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _serve({"CPS_BUILD_DIR": str(build_dir), "CPS_HTTP_PROCESSES": "2"}, port, tmp_path)
    assert result.returncode == 2 and f"Cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr[-2000:]
    assert "starting 2 HTTP processes" not in result.stderr


def test_a_process_that_cannot_start_again_backs_off_while_the_other_serves(build_dir, tmp_path):
    """The build goes away under a running service and one HTTP process dies: it cannot open the build, so it is
    tried again after 2 s, then 4 s, while the other process goes on serving its clients; once the build is
    back, the process starts and both serve again."""
    import shutil

    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build), "CPS_HTTP_PROCESSES": "2", "CPS_QUERY_WORKERS": "4"})
    try:
        pinned = wait_for_both(server.base)
        supervisor = server.process.pid
        (build / "current").rename(build / "away")
        os.kill(http_processes(supervisor)[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while "starting it again in 4 s" not in server.errors.read_text():
            assert time.monotonic() < deadline, server.errors.read_text()[-3000:]
            time.sleep(0.2)
        log = server.errors.read_text()
        assert "while serving; starting it again in 1 s" in log
        assert "before it listened again; starting it again in 2 s" in log
        survivors = {number for number in (process_of(server.base, s)[0] for s in SOURCES)}
        assert len(survivors) == 1   # every client reaches the process that is left
        (build / "away").rename(build / "current")
        again = wait_for_both(server.base, timeout=60)
        assert partition(again) == partition(pinned)
    finally:
        stop(server.process)


def test_an_on_disk_store_is_refused_with_several_processes(build_dir, tmp_path):
    """CPS_STORE_DIR is emptied and loaded at each start: two processes would do it to one directory at once."""
    result = _serve({"CPS_BUILD_DIR": str(build_dir), "CPS_HTTP_PROCESSES": "2",
                     "CPS_STORE_DIR": str(tmp_path / "store")}, free_port(), tmp_path)
    assert result.returncode == 2 and "CPS_STORE_DIR cannot be used with CPS_HTTP_PROCESSES" in result.stderr
    assert not (tmp_path / "store").exists()
