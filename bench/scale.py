"""Ten million triples on one machine (issue 17 item 3): build, serve and read a report-shaped graph.

    python -m bench.generate --triples 10000000 --out /tmp/cps-10m
    python -m bench.scale --data /tmp/cps-10m/data --work /tmp/cps-10m            # build, then serve and read
    python -m bench.scale --data /tmp/cps-10m/data --work /tmp/cps-10m --no-build # serve the build made before
    python -m bench.scale ... --in-memory        # every query worker holds the graph (the default store)

What an operator runs, timed as one: `cpsgraph build` (mapping, the SHACL gate, the quality checks, the
dumps and the search index), its wall time and peak RSS (wait4 of the command). Then the actor network is
built in a process of its own (bench.steps `network`: its cost, and which actor is the hub), and `cpsgraph
serve` is started on the release, by default with the on-disk store (`CPS_STORE_DIR`), the release cache off
(`CPS_RESPONSE_CACHE_BYTES=0`: every page is made again, as for a reader who is the first to ask), and read
once its indexes are built:

- memory: RSS summed over the server's processes, and PSS (shared pages once), after the reads;
- pages: median and p95 time to first byte of the home page, the hub's and a least connected person's
  resource pages, the hub's capped network page and the paths between the two (bench.pages);
- search: the results page and the suggestions, for a word most entities have, a rarer one and a name;
- the query mix of the growth benchmark, one client: median ms, rows, and ms per row.

Prints one line of JSON per part as it goes and writes them all to WORK/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from . import client, pages
from .cache import wait_until_every_process_is_ready
from .growth import MIX
from .servers import Servers
from .stats import median, p95
from .steps import run_step

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "source" / "000_784fad76bf69b00c.txt"
SEARCHES = ("Programa", "Caribe", "Ministerio de Ambiente")


def build(data: Path, out: Path) -> dict:
    """`cpsgraph build` as a user runs it: wall seconds and the command's peak RSS (bytes)."""
    command = ["cpsgraph", "build", "--data", str(data), "--out", str(out), "--source", str(SOURCE)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        return {"failed": output[-3000:], "seconds": seconds}
    built = [line for line in output.splitlines() if line.startswith("built ")]
    return {"seconds": seconds, "peak_rss": usage.ru_maxrss * 1024, "built": built[-1] if built else None}


def serve(servers: Servers, build_dir: Path, work: Path, in_memory: bool, extra: dict[str, str]):
    """`cpsgraph serve` on the build's current release; returns (server, seconds until it answers and until
    its workers have loaded and its indexes are built)."""
    settings = {"RESPONSE_CACHE_BYTES": "0", **extra}
    if not in_memory:
        store_dir = work / "store-dir"
        shutil.rmtree(store_dir, ignore_errors=True)
        settings["STORE_DIR"] = str(store_dir)
    started = time.perf_counter()
    server = servers.ours_build(build_dir, **settings)
    answering = time.perf_counter() - started
    wait_until_every_process_is_ready(server.url, None, timeout=3600)
    return server, {"answers": answering, "indexes_built": time.perf_counter() - started}


def searches(base: str, runs: int) -> dict:
    out = {}
    for text in SEARCHES:
        for route in ("/search?q=", "/search/suggest.json?q="):
            path = route + quote(text)
            conn = client.Connection(base, 120.0)
            try:
                conn.request("GET", path, headers={"Accept": "text/html"})   # the first, not counted
            finally:
                conn.close()
            out[path] = pages.time_page(base, path, runs=runs)
    return out


def mix(url: str, queries: Path, budget: float) -> dict:
    from .endpoints import stored_queries

    out = {}
    for name, text in stored_queries(queries, list(MIX)).items():
        client.probe(url, text, 120.0)
        batch = client.run_batch(url, text, 1, budget=budget, max_requests=30, timeout=120.0)
        answer, problem = client.probe(url, text, 120.0)
        rows = answer.result_size() if answer else None
        took = median(batch.latencies)
        out[name] = {"median_ms": took * 1000, "p95_ms": p95(batch.latencies) * 1000, "rows": rows,
                     "ms_per_row": took * 1000 / rows if rows else None, "error": problem}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the tables (bench.generate's data/)")
    parser.add_argument("--work", type=Path, required=True, help="where the build and the store go")
    parser.add_argument("--no-build", action="store_true", help="serve WORK/build as it is")
    parser.add_argument("--in-memory", action="store_true", help="the in-memory store instead of CPS_STORE_DIR")
    parser.add_argument("--runs", type=int, default=10, help="requests per page")
    parser.add_argument("--mix-budget", type=float, default=5.0, help="seconds of requests per query of the mix")
    parser.add_argument("--network-from", type=Path, default=None, metavar="JSON",
                        help="take the network step's figures (and the hub) from an earlier scale.json")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a further CPS_ setting of the server (e.g. QUERY_TIMEOUT=600)")
    args = parser.parse_args()

    results: dict = {"data": str(args.data), "in_memory": args.in_memory}

    def report(part: str, value) -> None:
        results[part] = value
        print(json.dumps({part: value}), flush=True)
        (args.work / "scale.json").write_text(json.dumps(results, indent=2))

    args.work.mkdir(parents=True, exist_ok=True)
    build_dir = args.work / "build"
    if not args.no_build:
        report("build", build(args.data, build_dir))
        if "failed" in results["build"]:
            sys.exit(1)
    trig = build_dir / "current" / "public" / "cps-lac.trig"
    report("triples", sum(1 for _ in (build_dir / "current" / "public" / "cps-lac.nt").open("rb")))
    network = results.get("network")
    if args.network_from:
        network = json.loads(args.network_from.read_text())["network"]
    if network is None or "hub" not in network:
        network = run_step("network", {"trig": str(trig)}, timeout=3600, memory_cap=16 * 2**30, log=print)
    report("network", network)
    with Servers(args.work / "servers") as servers:
        extra = dict(item.split("=", 1) for item in args.setting)
        results["settings"] = extra
        server, started = serve(servers, build_dir, args.work, args.in_memory, extra)
        report("start", started)
        report("memory_ready", server.memory())
        base = server.url.removesuffix("/sparql")
        actor, other = network["hub"], network["path_between"][1]
        report("pages", pages.measure(server.url, actor, other,
                                      pages.path_query_text(REPO / "queries", actor, other), runs=args.runs))
        report("search", searches(base, args.runs))
        report("mix", mix(server.url, REPO / "queries", args.mix_budget))
        report("memory_after", server.memory())


if __name__ == "__main__":
    main()
