"""One release, self-healing workers (issue 12, item 7). A worker replaced after `build/current` had moved used
to serve the new release beside a worker, a search index and a VoID still on the old one; with the data file
damaged the pool fell to zero workers and stayed there after the file was restored. Now the service pins the
release it started with, replacements load exactly its bytes, and a pool that cannot start workers is unready
(503 with the reason) and retries by itself."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time

from cpsgraph.build import write_release
from cpsgraph.web.stores import stores

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
    files["public/void.ttl"] += f"\n# release {number}\n".encode()
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

    data.write_bytes(intact[: len(intact) // 2])          # damaged in place, then the worker dies
    for pid in pool.pids():
        os.kill(pid, signal.SIGKILL)
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
