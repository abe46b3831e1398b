"""Faults: a server killed (kill -9) while loading its on-disk store comes back with the last complete graph; a
`cpsgraph build` killed part-way, or failing, leaves the served graph unchanged; a remote triplestore that goes
away gives 503 with a clear message and the service recovers when it returns; a missing or damaged build at
start-up is a message saying what to run, exit 2, no traceback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from cpsgraph.store.publish import publish
from reliability_helpers import ROOT, Oxigraph, free_port, listening, start_server, stop

SYNTHETIC_TRIPLES = 300_000


def serve_once(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpsgraph.cli", "serve", "--host", "127.0.0.1", *args],
                          env=dict(os.environ, **env), capture_output=True, text=True, timeout=timeout)


# --- Start-up ---------------------------------------------------------------------------------------------------

def damage(build: Path, how: str) -> None:
    current = build / "current"
    if how == "no build at all":
        shutil.rmtree(build)
        build.mkdir()
    elif how == "current points at a deleted release":
        shutil.rmtree(current.resolve())
    elif how == "a dump cut short":
        dump = current / "public" / "cps-lac.trig"
        dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    elif how == "a dump overwritten with garbage":
        (current / "public" / "cps-lac.trig").write_bytes(b"\xff\xfe not RDF at all")
    elif how == "no manifest":
        (current / "manifest.json").unlink()


@pytest.mark.parametrize("how", ["no build at all", "current points at a deleted release", "a dump cut short",
                                 "a dump overwritten with garbage", "no manifest"])
def test_start_up_on_a_missing_or_damaged_build_says_what_to_run(build_dir, tmp_path, how):
    build = tmp_path / "build"
    shutil.copytree(build_dir, build, symlinks=True)
    damage(build, how)
    result = serve_once({"CPS_BUILD_DIR": str(build)}, "--port", str(free_port()))
    assert result.returncode == 2, result.stderr
    assert "cpsgraph build" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")


def test_start_up_on_a_port_in_use_says_so(build_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        result = serve_once({"CPS_BUILD_DIR": str(build_dir)}, "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2 and "Cannot listen" in result.stderr and "Traceback" not in result.stderr


# --- The on-disk store -----------------------------------------------------------------------------------------------

def synthetic(path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(SYNTHETIC_TRIPLES):
            out.write(f'<http://example.org/load/s{i}> <http://example.org/load/p{i % 50}> "value {i}" .\n')
    return path


def stored_quads(directory: Path) -> int:
    store = ox.Store.read_only(str(directory))
    try:
        return len(store)
    finally:
        del store


@pytest.mark.slow
def test_the_on_disk_store_survives_kill_9_during_a_load(release, tmp_path, figures):
    graph = release / "public" / "cps-lac.trig"
    complete = sum(1 for _ in ox.parse(path=str(graph), format=ox.RdfFormat.TRIG))
    bigger = synthetic(tmp_path / "synthetic.nt")
    env = {"CPS_STORE_DIR": str(tmp_path / "store"), "CPS_QUERY_WORKERS": "1"}
    public, loading = tmp_path / "store" / "public", tmp_path / "store" / "public.loading"

    first = start_server(tmp_path, env, ("--data", str(graph)))          # a complete load of the graph
    stop(first.process)
    assert stored_quads(public) == complete

    port = free_port()
    second = subprocess.Popen([sys.executable, "-m", "cpsgraph.cli", "serve", "--port", str(port), "--data",
                               str(graph), "--data", str(bigger)], env=dict(os.environ, **env), cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while not (loading.is_dir() and any(loading.iterdir())):
        assert second.poll() is None and time.monotonic() < deadline, "the load did not start"
        time.sleep(0.005)
    time.sleep(0.2)                                                        # well into the bulk load
    assert loading.is_dir() and not listening(port), "the load was over before the kill"
    os.killpg(second.pid, signal.SIGKILL)
    second.wait()

    at_kill = stored_quads(public)            # what a server would find there now: the last complete graph
    figures.record("faults.store_triples_at_kill", at_kill)
    assert at_kill == complete

    third = start_server(tmp_path, env, ("--data", str(graph), "--data", str(bigger)))
    try:
        ready = json.loads(urllib.request.urlopen(third.base + "/readyz", timeout=30).read())
        assert ready["status"] == "ready"
    finally:
        stop(third.process)
    recovered = stored_quads(public)
    figures.record("faults.store_recovered_triples", recovered)
    assert recovered == complete + SYNTHETIC_TRIPLES and not loading.exists()


# --- Interrupted and failing builds ----------------------------------------------------------------------------------

def build_command(data: Path, out: Path, source: Path) -> list[str]:
    return [sys.executable, "-m", "cpsgraph.cli", "build", "--data", str(data), "--out", str(out), "--source",
            str(source), "--ontology", str(ROOT / "ontology" / "cps.ttl"), "--shapes", str(ROOT / "shapes"),
            "--queries", str(ROOT / "queries")]


def intact(release: Path) -> bool:
    """Every file of a release matches the digest its manifest records."""
    manifest = json.loads((release / "manifest.json").read_text())
    return all(hashlib.sha256((release / name).read_bytes()).hexdigest() == digest for name, digest in manifest.items())


def edited_copy(target: Path, *, broken: bool = False) -> Path:
    shutil.copytree(ROOT / "data", target)
    countries = target / "countries.csv"
    text = countries.read_text(encoding="utf-8")
    if broken:
        text += "ZZ,Nowhere,Nowhere,,no-such-subregion,999,,,Anexo III #1,508,\n"
    else:
        text = text.replace("AR,Argentina,Argentina,", "AR,Argentina,Argentina (edited),", 1)
    countries.write_text(text, encoding="utf-8")
    return target


def served_count(make_app, out: Path) -> int:
    client = make_app({"BUILD_DIR": str(out), "QUERY_WORKERS": 1}).test_client()
    document = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    return int(document.get_json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
def test_a_killed_or_failing_build_leaves_the_served_graph_unchanged(build_dir, make_app, source_path, tmp_path,
                                                                      figures):
    out = tmp_path / "build"
    shutil.copytree(build_dir, out, symlinks=True)
    served = (out / "current").resolve()
    before = served_count(make_app, out)
    running = make_app({"BUILD_DIR": str(out), "QUERY_WORKERS": 1}).test_client()
    edited = edited_copy(tmp_path / "data")
    kills = in_write = changed = 0

    def check_unchanged():
        nonlocal changed
        changed += (out / "current").resolve() != served
        assert (out / "current").resolve() == served and intact(served)

    # kill at a fifth, half and four fifths of the time a whole build takes here (the build got faster than
    # fixed delays: a kill after the end is no kill), then twice while it writes the release. A build has ended
    # when it has moved `current` (its one atomic step), not when its process exits: it takes up to a second more
    # to wind down (freeing the graph). A kill in that second finds `current` on the release these inputs always
    # give (the timing build's, byte for byte) and complete: that build had finished, it was no kill.
    started = time.perf_counter()
    subprocess.run(build_command(edited, tmp_path / "timing", source_path), capture_output=True, timeout=120, check=True)
    whole = time.perf_counter() - started
    finished_release = (tmp_path / "timing" / "current").resolve().name

    def published() -> bool:
        now = (out / "current").resolve()
        return now != served and now.name == finished_release and intact(now)

    for delay in (0.2 * whole, 0.5 * whole, 0.8 * whole, "while it writes the release", "while it writes the release"):
        left_over = set((out / "releases").glob(".staging-*"))   # what earlier kills left: not this build's
        build = subprocess.Popen(build_command(edited, out, source_path), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        if isinstance(delay, float):
            time.sleep(delay)
        else:
            while build.poll() is None and not set((out / "releases").glob(".staging-*")) - left_over:
                time.sleep(0.001)
        killed = build.poll() is None
        if killed:
            build.kill()
            killed = build.wait() == -signal.SIGKILL
        if not killed or published():     # it finished first: undo it, it was not a kill
            for release in (out / "releases").iterdir():
                if release != served:
                    shutil.rmtree(release)
            (out / "current").unlink()
            (out / "current").symlink_to(Path("releases") / served.name)
            continue
        kills += 1
        in_write += bool(set((out / "releases").glob(".staging-*")) - left_over)
        check_unchanged()

    failing = subprocess.run(build_command(edited_copy(tmp_path / "broken", broken=True), out, source_path),
                             capture_output=True, text=True, timeout=120)
    assert failing.returncode == 1 and "no-such-subregion" in failing.stderr
    check_unchanged()
    figures.record("faults.build_kills", kills)
    figures.record("faults.build_kills_in_write", in_write)
    figures.record("faults.served_graph_changed", changed)
    assert kills >= 3 and served_count(make_app, out) == before
    assert running.get("/readyz").status_code == 200

    finished = subprocess.run(build_command(edited, out, source_path), capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr      # what the kills left behind does not stop the next build
    assert (out / "current").resolve() != served and intact((out / "current").resolve())
    answer = make_app({"BUILD_DIR": str(out), "QUERY_WORKERS": 1}).test_client().get("/sparql", query_string={
        "query": 'ASK { ?c <http://www.w3.org/2000/01/rdf-schema#label> "Argentina (edited)"@en }'})
    assert answer.get_json()["boolean"] is True


# --- A remote store that goes away ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_remote_store_that_goes_away_is_503_and_the_service_recovers(make_app, app_config, tmp_path, figures):
    from cpsgraph.config import load_settings
    from cpsgraph.store import open_store
    from cpsgraph.store.configured import open_public_store

    triplestore = Oxigraph(free_port(), tmp_path / "oxigraph").start()
    try:
        target = open_store("remote", query_url=triplestore.query, graph_store_url=triplestore.graph_store)
        with open_public_store(load_settings(app_config), workers=1) as source:
            assert publish(source, target).ok
        client = make_app({"STORE": triplestore.query, "QUERIES_DIR": str(ROOT / "queries")}).test_client()
        count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
        before = client.get("/sparql", query_string=count).get_json()
        assert client.get("/readyz").status_code == 200

        triplestore.stop()
        started = time.monotonic()
        down = client.get("/sparql", query_string=count)
        figures.record("faults.remote_down_ms", (time.monotonic() - started) * 1000)
        message = down.get_data(as_text=True)
        assert down.status_code == 503 and "cannot be reached" in message and str(triplestore.port) not in message
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "cannot be reached" in ready.get_json()["reason"]
        assert client.get("/healthz").status_code == 200
        for path in ("/api/queries/participants-by-country", "/store?graph=https://w3id.org/cps-lac/graph/data",
                     "/dumps/cps-lac.ttl"):
            assert client.get(path).status_code == 503, path

        triplestore.start()
        back = time.monotonic()
        while (answer := client.get("/sparql", query_string=count)).status_code != 200:
            assert time.monotonic() - back < 10, answer.data
            time.sleep(0.05)
        figures.record("faults.remote_recovery_ms", (time.monotonic() - back) * 1000)
        assert answer.get_json() == before and client.get("/readyz").status_code == 200
    finally:
        triplestore.stop()
