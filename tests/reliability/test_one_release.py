"""One release, self-healing workers (issue 12, item 7). A worker replaced after `build/current` had moved used
to serve the new release beside a worker, a search index and a VoID still on the old one; with the data file
damaged the pool fell to zero workers and stayed there after the file was restored. Now the service pins the
release it started with, replacements load exactly its bytes, a pool that cannot start workers is unready
(503 with the reason) and retries by itself, and a new release is taken on SIGHUP, all at once."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.parse
import urllib.request

from cpsgraph.build import write_release
from cpsgraph.web.stores import stores
from reliability_helpers import query_workers, start_server, stop
from support import alive

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EXTRA = b'\n<https://w3id.org/cps-lac/id/test/new-release> <http://www.w3.org/2000/01/rdf-schema#label> "new" .\n'


def triples(client) -> int:
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.data
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def replace_the_worker(pool) -> None:
    """Kill the pool's worker from outside and wait until a new one has taken its place."""
    before = set(pool.pids())
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (not pool.pids() or set(pool.pids()) & before or pool._idle.qsize() < 1) and time.monotonic() < deadline:
        time.sleep(0.05)


def new_release(build, release_files: dict[str, bytes], number: int = 1):
    """What `cpsgraph build` does with new data: a new release (one triple more), `current` moved to it, the
    oldest releases pruned."""
    files = {name: content for name, content in release_files.items() if name != "manifest.json"}
    files["public/cps-lac.trig"] += EXTRA
    if "index/counts.json" in files:   # the release's own counts (/readyz reads them), as a build writes them
        counts = json.loads(files["index/counts.json"])
        counts["triples"] += 1          # EXTRA is in the default graph: the union's count, no named graph's
        files["index/counts.json"] = json.dumps(counts).encode()
    files["public/void.ttl"] += (f'\n<https://w3id.org/cps-lac/id/test/new-release> '
                                 f'<http://www.w3.org/2000/01/rdf-schema#comment> "release {number}" .\n').encode()
    files["manifest.json"] = json.dumps({p: hashlib.sha256(c).hexdigest() for p, c in sorted(files.items())},
                                        indent=2, sort_keys=True).encode() + b"\n"
    return write_release(build, files)


def read_release(release) -> dict[str, bytes]:
    return {str(p.relative_to(release)): p.read_bytes() for p in release.rglob("*") if p.is_file()}


def test_a_replacement_worker_serves_the_pinned_release_after_current_moved(make_app, app_config, build_dir,
                                                                           tmp_path):
    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    pinned = (build / "current").resolve()
    app = make_app(dict(app_config, BUILD_DIR=str(build), QUERY_WORKERS=1, OPERATOR_TOKEN=""))
    client = app.test_client()
    served, void = triples(client), client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data

    first = new_release(build, read_release(pinned))
    assert (build / "current").resolve() == first != pinned
    replace_the_worker(stores(app).public.pool)
    # the dump and the dataset page are the pinned release's too: the bytes the queries read, its digest
    assert client.get("/dumps/cps-lac.trig").data == (pinned / "public" / "cps-lac.trig").read_bytes()
    dataset_page = client.get("/dumps", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert pinned.name in dataset_page and first.name not in dataset_page

    assert stores(app).release == pinned
    assert triples(client) == served                     # the new worker loaded the pinned release
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data == void
    assert client.get("/readyz").get_json()["triples"] == served
    fresh = make_app(dict(app_config, BUILD_DIR=str(build), QUERY_WORKERS=1, OPERATOR_TOKEN=""))
    assert triples(fresh.test_client()) == served + 1    # the control: a restart takes the new release
    stores(fresh).close()

    for number in range(2, 5):
        new_release(build, read_release(pinned), number)
    assert pinned.is_dir()           # three more builds do not prune the release a running service serves...
    assert not first.is_dir()        # ... but do prune one that nobody serves any more
    replace_the_worker(stores(app).public.pool)
    assert triples(client) == served


def test_a_pool_whose_data_file_is_damaged_is_unready_and_recovers_when_it_is_restored(make_app, app_config,
                                                                                      build_dir, tmp_path, figures):
    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    app = make_app(dict(app_config, BUILD_DIR=str(build), QUERY_WORKERS=1, OPERATOR_TOKEN=""))
    client = app.test_client()
    served = triples(client)
    data = build / "current" / "public" / "cps-lac.trig"
    intact = data.read_bytes()
    pool = stores(app).public.pool

    data.write_bytes(intact[: len(intact) // 2])          # damaged in place, then the worker and its seed die
    for pid in [*pool.pids(), pool.seed_pid()]:           # (the seed alone would fork a worker from the bytes
        os.kill(pid, signal.SIGKILL)                      # it holds; a new seed must read the file)
    deadline = time.monotonic() + 20
    while pool.problem is None and time.monotonic() < deadline:
        time.sleep(0.05)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "no longer holds the data this service started with" in ready.get_json()["reason"]
    started = time.monotonic()
    answer = client.get("/sparql", query_string={"query": COUNT})
    assert answer.status_code == 503 and time.monotonic() - started < 1   # at once, not after the time limit
    assert "No query worker is running" in answer.get_data(as_text=True)

    data.write_bytes(intact)                               # restored: the pool comes back by itself
    restored = time.monotonic()
    while client.get("/readyz").status_code != 200 and time.monotonic() - restored < 60:
        time.sleep(0.1)
    figures.record("release.recovered_after", round(time.monotonic() - restored, 2))
    assert client.get("/readyz").status_code == 200
    assert triples(client) == served


def fetch(url: str, accept: str = "application/json") -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_moved_current_is_served_only_after_sighup_and_then_all_at_once(build_dir, tmp_path):
    """`cpsgraph serve` keeps its release while `current` moves, takes the new one on SIGHUP (every route at
    once: queries, /readyz, the VoID), stops the old workers, and keeps serving when a reload cannot open."""
    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    pinned = (build / "current").resolve()
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build), "CPS_QUERY_WORKERS": "1",
                                     "CPS_OPERATOR_TOKEN": ""})
    ask = server.base + "/sparql?" + urllib.parse.urlencode({"query": "ASK { <https://w3id.org/cps-lac/id/test/"
                                                              "new-release> ?p ?o }"})
    void = server.base + "/.well-known/void"
    try:
        ready = json.loads(fetch(server.base + "/readyz")[1])
        before_void, old_workers = fetch(void, "text/turtle")[1], query_workers(server.process.pid)
        assert len(old_workers) == 1
        moved = new_release(build, read_release(pinned))
        assert (build / "current").resolve() == moved != pinned
        time.sleep(1)
        assert json.loads(fetch(server.base + "/readyz")[1]) == ready      # not taken without a reload
        assert ready["release"] == pinned.name
        assert json.loads(fetch(ask)[1])["boolean"] is False

        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 120
        while json.loads(fetch(server.base + "/readyz")[1]).get("release") != moved.name:
            assert time.monotonic() < deadline and server.process.poll() is None, server.errors.read_text()[-2000:]
            time.sleep(0.2)
        now = json.loads(fetch(server.base + "/readyz")[1])
        assert now["triples"] == ready["triples"] + 1
        assert json.loads(fetch(ask)[1])["boolean"] is True
        after_void = fetch(void, "text/turtle")[1]
        assert after_void != before_void and b"release 1" in after_void
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in old_workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in old_workers if alive(pid)], server.errors.read_text()[-3000:]   # the old worker stopped
        assert len(query_workers(server.process.pid)) == 1       # ... and the new app's one serves

        (build / "current").unlink()                             # a reload that cannot open changes nothing
        (build / "current").symlink_to("releases/no-such-release")
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while b"not reloaded" not in server.errors.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert b"SIGHUP: not reloaded, still serving release " + moved.name.encode() in server.errors.read_bytes()
        assert json.loads(fetch(server.base + "/readyz")[1]) == now
        assert json.loads(fetch(ask)[1])["boolean"] is True
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0
    finally:
        stop(server.process)


def test_a_request_in_flight_during_a_sighup_reload_is_answered_completely_by_its_release(build_dir, tmp_path):
    """Leftover of item 7: SIGHUP hands new requests to the new release, and a request already in flight
    (here an answer of every triple, ~10 MB, that its client reads slowly, so that most of it is still on the
    server when the new release takes over) is answered to its end by the release it started with: every row
    carries that release's count, and nothing is cut or reset, while a new request meanwhile sees the new one."""
    import http.client
    import socket

    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    pinned = (build / "current").resolve()
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build), "CPS_QUERY_WORKERS": "1",
                                     "CPS_OPERATOR_TOKEN": "", "CPS_RESULT_CAP": "0", "CPS_QUERY_TIMEOUT": "60"})
    every = "SELECT ?s ?p ?o ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c } } ?s ?p ?o }"
    path = "/sparql?" + urllib.parse.urlencode({"query": every})
    count = server.base + "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    host, port = server.base.removeprefix("http://").split(":")
    try:
        old = int(json.loads(fetch(count)[1])["results"]["bindings"][0]["n"]["value"])
        moved = new_release(build, read_release(pinned))
        slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)   # a small window: the answer stays queued
        slow.settimeout(60)
        slow.connect((host, int(port)))
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.sock = slow
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        assert response.status == 200
        first = response.read(16384)

        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 120
        while json.loads(fetch(server.base + "/readyz")[1]).get("release") != moved.name:
            assert time.monotonic() < deadline and server.process.poll() is None, server.errors.read_text()[-2000:]
            time.sleep(0.2)
        new = int(json.loads(fetch(count)[1])["results"]["bindings"][0]["n"]["value"])
        body = first + response.read()
        connection.close()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0
    finally:
        stop(server.process)
    assert new == old + 1                                    # the new release was taken while the answer went out
    assert len(body) > 64 * len(first)                       # most of it was read after the reload
    rows = json.loads(body)["results"]["bindings"]           # complete: it parses, and has every row
    assert len(rows) == old and {row["n"]["value"] for row in rows} == {str(old)}
