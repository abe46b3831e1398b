"""The network page of the most connected actor, timed: issue 15's target (< 300 ms median at 1M triples).

    python -m bench.network                                   # the real build (build/current)
    python -m bench.network --trig /tmp/cps-1m/build/current/public/cps-lac.trig       # any public TriG
    python -m bench.network --trig ... --profile 20           # and cProfile of 20 requests: where the time goes
    python -m bench.network --trig ... --http                 # and over HTTP, on `cpsgraph serve` (waitress)

The app is the real one (`create_app` on the TriG, its embedded store and query workers), uncached: every
request renders the page again (each asks a new address, `...&run=N`, which the page ignores, so no response
cache in front can answer it). The most
connected actor is the one with the most distinct neighbours in the network, as bench/steps.py picks it. What is
timed, per language (es, en): GET /network/<kind>/<id> through the WSGI app in this process (wall and CPU), and
with `--http` the whole answer over one keep-alive connection to `cpsgraph serve` (bench/pages.py). The first
request builds the network and the entity index (what `cpsgraph serve` does before it listens): reported apart.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

TARGET_MS = 300.0
SETTINGS = {"QUERY_WORKERS": 2, "SITE_WORKERS": 1, "CLIENT_QUERIES": 0, "RESPONSE_CACHE": 0}


def settings() -> dict:
    """SETTINGS that this version of the service knows (the response cache may not exist yet)."""
    from cpsgraph.config import SETTINGS as KNOWN

    known = {s.name for s in KNOWN}
    return {k: v for k, v in SETTINGS.items() if k in known}


def make_app(trig: Path):
    from cpsgraph.web import create_app

    return create_app({"DATA_FILES": str(trig)} | settings())


def hub_of(app) -> tuple[str, int]:
    """(the most connected actor's page path under /network/, its distinct neighbours)."""
    from cpsgraph.web.browser.pages import local_id
    from cpsgraph.web.browser.site import site

    with app.app_context():
        net = site().network
        degree = {node: len(net.graph.adj[node]) - (node in net.graph.adj[node]) for node in net.graph.nodes}
        hub = max(degree, key=lambda n: (degree[n], n))
        return local_id(hub), degree[hub]


def time_requests(client, path: str, runs: int, headers: dict | None = None) -> dict:
    walls, cpus, size = [], [], 0
    for run in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        answer = client.get(f"{path}&run={run}", headers=headers or {})   # a new address each time: no cache
        # in front can answer it
        body = answer.get_data()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        if answer.status_code != 200:
            raise SystemExit(f"GET {path}: {answer.status_code} {body[:300]!r}")
        size = len(body)
    walls.sort()
    return {"median_ms": 1000 * statistics.median(walls), "p95_ms": 1000 * walls[int(0.95 * (len(walls) - 1))],
            "cpu_ms": 1000 * statistics.median(cpus), "bytes": size, "n": runs}


def profile(client, path: str, runs: int, top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path).get_data()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def over_http(trig: Path, paths: list[str], runs: int) -> dict[str, dict]:
    """Each path over HTTP on `cpsgraph serve --data TRIG` (waitress), one keep-alive connection: median and p95
    of the whole answer and of the first byte, each request a new address (`&run=N`), after one cold request."""
    from . import client
    from .servers import Servers

    work = Path("/tmp/cps-bench-network")
    with Servers(work) as servers:
        ours = servers.ours(trig, **settings())
        conn = client.Connection(ours.url.removesuffix("sparql"), 600.0)
        found = {}
        try:
            for path in paths:
                cold = conn.request("GET", path, headers={"Accept": "text/html"})
                whole, first = [], []
                for run in range(runs):
                    answer = conn.request("GET", f"{path}&run={run}", headers={"Accept": "text/html"})
                    if answer.status != 200:
                        raise SystemExit(f"GET {path}: {answer.status}")
                    whole.append(answer.seconds)
                    first.append(answer.first_byte)
                whole.sort()
                first.sort()
                found[path] = {"total": statistics.median(whole), "p95": whole[int(0.95 * (runs - 1))],
                               "ttfb": statistics.median(first), "bytes": len(answer.body), "n": runs,
                               "first": cold.seconds}
        finally:
            conn.close()
        return found


def say(*args) -> None:
    print(*args, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.network", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trig", type=Path, default=Path("build/current/public/cps-lac.trig"))
    parser.add_argument("--runs", type=int, default=30, help="requests per language (default 30)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests (Spanish)")
    parser.add_argument("--http", action="store_true", help="also over HTTP, on `cpsgraph serve`")
    args = parser.parse_args(argv)
    import os

    say(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    started = time.perf_counter()
    app = make_app(args.trig)
    say(f"app on {args.trig}: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    hub, neighbours = hub_of(app)
    say(f"network built in {time.perf_counter() - started:.1f} s; the most connected actor: {hub} "
          f"({neighbours} neighbours)")
    try:
        _measure(app, hub, args)
    finally:
        from cpsgraph.web.stores import stores

        stores(app).close()   # the query workers: the interpreter would wait for them at exit
    say(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


def _measure(app, hub: str, args) -> None:
    client = app.test_client()
    paths = [f"/network/{hub}?lang={chosen}" for chosen in ("es", "en")]
    for path in paths:
        started = time.perf_counter()
        client.get(path).get_data()
        say(f"{path}: first request {time.perf_counter() - started:.2f} s")
    for path in paths:
        found = time_requests(client, path, args.runs)
        verdict = "met" if found["median_ms"] < TARGET_MS else "NOT met"
        say(f"{path}: median {found['median_ms']:.1f} ms (CPU {found['cpu_ms']:.1f} ms), "
              f"p95 {found['p95_ms']:.1f} ms, {found['bytes'] / 1024:.0f} KiB, n={found['n']}: target "
              f"< {TARGET_MS:.0f} ms {verdict}")
    data = f"/network/{hub}.json?lang=es"       # what the drawing fetches after the page (not the target)
    for coding in ("identity", "gzip", "br"):    # as a browser asks for it (br), and plain
        found = time_requests(client, data, max(3, args.runs // 3), {"Accept-Encoding": coding})
        say(f"{data} ({coding}): median {found['median_ms']:.1f} ms (CPU {found['cpu_ms']:.1f} ms), "
            f"{found['bytes'] / 1024:.0f} KiB on the wire, n={found['n']}")
    if args.profile:
        say(profile(client, paths[0], args.profile))
    if args.http:
        for path, found in over_http(args.trig, paths, args.runs).items():
            verdict = "met" if 1000 * found["total"] < TARGET_MS else "NOT met"
            say(f"HTTP {path}: median {1000 * found['total']:.1f} ms (TTFB {1000 * found['ttfb']:.1f} ms), "
                f"p95 {1000 * found['p95']:.1f} ms, {found['bytes'] / 1024:.0f} KiB, n={found['n']}, "
                f"first {found['first']:.2f} s: target < {TARGET_MS:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
