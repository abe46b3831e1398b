"""Start-up: how long after `cpsgraph serve` is run the service answers (issue 17 item 2).

    python -m bench.startup                          # the real graph (build/, built first when missing)
    python -m bench.startup --build /tmp/cps-1m/build --runs 3   # a release built from bench.generate data
    python -m bench.startup --oxigraph               # Oxigraph server beside it, on the same TriG
    python -m bench.startup --against /tmp/before    # and, run for run, the code of another checkout (A/B)

Each run starts `cpsgraph serve` on the release (the command as an operator runs it: interpreter start-up and
imports included), and polls every 5 ms from the moment the process is started, one client, on loopback:

- first answer: an `ASK {}` POSTed to /sparql answers 200 (what the issue's target is about);
- ready: /readyz answers 200 (what a load balancer waits for);
- first page: the home page answers 200, then a resource page and a search suggestion (what readers wait for).

The package's bytecode is compiled first (`compileall`, as `pip install` does for an installed package): with
PYTHONDONTWRITEBYTECODE set and an editable install, every start would otherwise compile ~80 modules again.

With `--against TREE` (a checkout of other code, e.g. `git worktree add /tmp/before HEAD~1`), every run is
followed by one of that tree's code (`PYTHONPATH=TREE/server`, its bytecode compiled too), so the two are
compared at the same moments of the machine's load.

Oxigraph's figure is `oxigraph serve-read-only` on a location it has loaded before (its load is not counted):
until it answers the same ASK. Prints one line per run and the medians, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

POLL = 0.005
TIMEOUT = 600.0
ASK = b"ASK {}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str, data: bytes | None = None) -> bool:
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"} \
        if data is not None else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=30) as response:
            response.read()
            return response.status == 200
    except OSError:
        return False


def _until(started: float, check, process) -> float:
    while time.perf_counter() - started < TIMEOUT:
        if check():
            return time.perf_counter() - started
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        time.sleep(POLL)
    raise RuntimeError(f"no answer within {TIMEOUT:g} s")


def _stop(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _figures(run: dict[str, float]) -> str:
    return ", ".join(f"{key} {seconds:.3f} s" for key, seconds in run.items())


def ours(build: Path, log: Path, resource: str, tree: Path | None = None) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CPS_BUILD_DIR": str(build), "CPS_DATA_FILES": ""}
    if tree is not None:   # another checkout's code (--against)
        env["PYTHONPATH"] = str(tree / "server")
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(["cpsgraph", "serve", "--host", "127.0.0.1", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                   start_new_session=True)
    try:
        found = {"first answer": _until(started, lambda: _answers(base + "/sparql", ASK), process)}
        found["ready"] = _until(started, lambda: _answers(base + "/readyz"), process)
        found["first page"] = _until(started, lambda: _answers(base + "/"), process)
        found["resource page"] = _until(started, lambda: _answers(base + resource), process)
        found["search suggestion"] = _until(started, lambda: _answers(base + "/search/suggest?q=pana"), process)
    finally:
        _stop(process)
    return found


def oxigraph(trig: Path, work: Path) -> dict[str, float]:
    location = work / "oxigraph"
    if not location.exists():
        subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(trig)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return {"first answer": _until(started, lambda: _answers(f"http://127.0.0.1:{port}/query", ASK), process)}
    finally:
        _stop(process)


def triples(build: Path) -> int:
    """Public triples of the release, from its VoID (void:triples of the dataset)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(build / "current" / "public" / "void.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("SELECT (MAX(?n) AS ?m) WHERE { ?d <http://rdfs.org/ns/void#triples> ?n }"))
    return int(rows[0]["m"].value) if rows and rows[0]["m"] is not None else 0


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=Path("build"), help="a build directory (default: build)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resource", default="/id/country/PA", help="the resource page timed")
    parser.add_argument("--oxigraph", action="store_true", help="also time Oxigraph server on the same TriG")
    parser.add_argument("--against", type=Path, help="a checkout whose code is timed too, run for run")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    import compileall
    import importlib.util

    package = Path(importlib.util.find_spec("cpsgraph").origin).parent
    compileall.compile_dir(str(package), quiet=1)
    if args.against is not None:
        compileall.compile_dir(str(args.against / "server" / "cpsgraph"), quiet=1)
    if not (args.build / "current").exists():
        subprocess.run(["cpsgraph", "build", "--out", str(args.build)], check=True)
    size = triples(args.build)
    print(f"release {(args.build / 'current').resolve().name}, {size} public triples; load average at the start "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    runs: list[dict[str, float]] = []
    peer: list[dict[str, float]] = []
    other: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="cps-startup-") as tmp:
        work = Path(tmp)
        for number in range(args.runs):
            runs.append(ours(args.build, work / f"ours-{number}.log", args.resource))
            print(f"  run {number + 1}: {_figures(runs[-1])}", flush=True)
            if args.against is not None:
                other.append(ours(args.build, work / f"against-{number}.log", args.resource, args.against))
                print(f"  {args.against} run {number + 1}: {_figures(other[-1])}", flush=True)
            if args.oxigraph:
                peer.append(oxigraph(args.build / "current" / "public" / "cps-lac.trig", work))
                print(f"  oxigraph run {number + 1}: first answer {peer[-1]['first answer']:.3f} s", flush=True)
    medians = _medians(runs)
    print(f"median: {_figures(medians)}")
    if other:
        print(f"{args.against} median: {_figures(_medians(other))}")
    if peer:
        print(f"oxigraph median: first answer {statistics.median(p['first answer'] for p in peer):.3f} s")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps({"triples": size, "runs": runs, "median": medians, "oxigraph": peer,
                                         "against": other}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
