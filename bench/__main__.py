"""`python -m bench`: run the benchmarks, print the tables, write docs/benchmarks.md.

    python -m bench --quick                 # check the harness: small sizes, few repetitions (a few minutes)
    python -m bench                         # the full run: all queries at 1/8/32 clients, 10k/100k/1M triples
    python -m bench --parts endpoints       # only part 1 (also: growth; both by default)

Every server it starts is stopped at the end, also on Ctrl-C; the generated graphs stay in --work.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from . import document, endpoints, growth, machine
from .servers import Servers
from .steps import run_step

REPO = Path(__file__).resolve().parent.parent
ANALYSIS = Path(__file__).resolve().parent / "analysis.md"
QUICK_QUERIES = ["participants-by-country", "co-responsible-actors", "path-between-actors", "timeline",
                 "missing-source-violation", "sources-of-entity"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repetitions, to check the harness")
    parser.add_argument("--parts", default="endpoints,growth", help="comma-separated: endpoints, growth")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md", help="the Markdown report")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cps-bench"),
                        help="scratch directory: generated graphs, builds, server logs, results.json")
    parser.add_argument("--trig", type=Path, default=None,
                        help="the real graph's public TriG for part 1 (default: a fresh build of data/ in --work)")
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "source" / "000_784fad76bf69b00c.txt")
    parser.add_argument("--from-results", type=Path, default=None, metavar="JSON",
                        help="measure nothing: write the report again from a results.json of an earlier run "
                             "(after editing bench/analysis.md)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.from_results:
        return write(json.loads(args.from_results.read_text()), args.out)
    parts = set(args.parts.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    # Ctrl-C and SIGTERM end the run in order (servers and steps stopped), even when started in the background
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    inputs = growth.Inputs(data=REPO / "data", source=args.source, ontology=REPO / "ontology" / "cps.ttl",
                           shapes=REPO / "shapes", queries=REPO / "queries")
    started = machine.snapshot(REPO)
    results: dict = {"quick": args.quick}
    log = lambda text: print(text, flush=True)  # noqa: E731
    began = time.perf_counter()
    try:
        log("real graph: `cpsgraph build` of data/")
        results["cli_build"] = growth.cli_build(inputs, args.work, runs=2 if args.quick else 3)
        trig = args.trig or Path(results["cli_build"].get("trig", REPO / "build/current/public/cps-lac.trig"))
        if "endpoints" in parts:
            log("part 1: endpoints side by side")
            results["endpoints"] = run_endpoints(trig, inputs, args)
        if "growth" in parts:
            log("SHACL: pyshacl and the SPARQL check on the real graph and damaged copies")
            results["equivalence"] = run_step("equivalence", {"trig": str(trig), "seeds": 2 if args.quick else 5},
                                              timeout=900, memory_cap=4 * 2**30, log=log)
            log("part 2: growth")
            plan = growth.GrowthPlan()
            if args.quick:
                plan = growth.GrowthPlan(sizes=(10_000, 30_000), pyshacl_limit=60.0, profile_size=30_000,
                                         mix_budget=0.2, mix_max=10, page_runs=3)
            results["growth"] = growth.run(plan, inputs, args.work, log)
    except KeyboardInterrupt:
        log("interrupted: the servers are stopped; writing what was measured")
        results["interrupted"] = True
    results["seconds"] = time.perf_counter() - began
    results["machine"], results["machine_end"] = started, machine.snapshot(REPO)
    (args.work / "results.json").write_text(json.dumps(results, indent=1, default=str))
    status = write(results, args.out)
    log(f"wrote {args.out} and {args.work / 'results.json'} in {results['seconds'] / 60:.1f} min")
    return status


def write(results: dict, out: Path) -> int:
    """Render the Markdown report (with bench/analysis.md after a full run) and print it."""
    if ANALYSIS.exists() and not results.get("quick"):
        results["notes"] = ANALYSIS.read_text(encoding="utf-8")
    text = document.markdown(results, results["machine"], results["machine_end"], results.get("quick", False))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if results.get("interrupted") else 0


def run_endpoints(trig: Path, inputs: growth.Inputs, args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

    plan = endpoints.Plan()
    only = None
    if args.quick:
        plan = endpoints.Plan(levels=(1, 8), rounds=2, budget=0.2, max_requests=20, max_batch=5.0)
        only = QUICK_QUERIES
    queries = endpoints.stored_queries(inputs.queries, only)
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    with Servers(args.work / "servers") as servers:
        peers = {"ours": servers.ours(trig), "oxigraph": servers.oxigraph(trig, args.work / "oxigraph-store"),
                 "rdflib-endpoint": servers.rdflib_endpoint(trig)}
        results = endpoints.run(peers, queries, store, plan, log=lambda text: print(text, flush=True))
        results["servers"] = {name: {"ready_seconds": s.ready_seconds, "memory": s.memory()}
                              for name, s in peers.items()}
    print("  where our time goes: floor, store layer, Flask app (and a cProfile)", flush=True)
    chosen = endpoints.overhead_queries(results)
    results["overhead"] = run_step("overhead", {"trig": str(trig), "queries": {n: queries[n] for n in chosen},
                                                "profile": chosen[0], "runs": 50 if args.quick else 300},
                                   timeout=900, memory_cap=2 * 2**30, log=print)
    return results


if __name__ == "__main__":
    sys.exit(main())
