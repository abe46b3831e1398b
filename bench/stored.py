"""Every stored query at 8 clients (or `--clients`), ours beside Oxigraph server, on the real graph, peers in
turns: issue 17 item 1's first target, each stored query's throughput at least Oxigraph's (ratio ≥ 1.0).

Ours is served as it is by default, so a repeated query comes from the release cache (decision 0023); with
`--no-cache` (CPS_RESPONSE_CACHE_BYTES=0) every request is evaluated. The batches are part 1's
(bench/endpoints.py: each query probed once per peer, then `--rounds` batches per peer, the order rotating),
without rdflib-endpoint and the in-process floor, so the whole set takes minutes, not an hour. As in
bench/cache.py, each client connects from its own loopback address and runs in its own process.

    python -m bench.stored --trig build/current/public/cps-lac.trig [--clients 8] [--rounds 2] [--no-cache]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from .endpoints import Plan, _level_of, _probe, stored_queries
from .servers import Servers

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stored", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trig", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--budget", type=float, default=0.6, help="seconds each batch keeps sending")
    parser.add_argument("--no-cache", action="store_true", help="ours with CPS_RESPONSE_CACHE_BYTES=0")
    args = parser.parse_args(argv)
    plan = Plan(levels=(args.clients,), rounds=args.rounds, budget=args.budget,
                sources=tuple(f"127.0.0.{10 + n}" for n in range(args.clients)), processes=True)
    queries = stored_queries(REPO / "queries")
    print(f"load average at the start: {os.getloadavg()}")
    rows = []
    with tempfile.TemporaryDirectory() as work, Servers(Path(work)) as servers:
        settings = {"ACCESS_LOG": ""} | ({"RESPONSE_CACHE_BYTES": 0} if args.no_cache else {})
        peers = {"ours": servers.ours(args.trig, **settings),
                 "oxigraph": servers.oxigraph(args.trig, Path(work) / "oxigraph")}
        for name, text in queries.items():
            answers: dict = {}
            single = _probe(peers, text, plan, answers)
            cells = _level_of(peers, text, plan, single, args.clients)
            rows.append((name, answers, cells))
        print(f"load average at the end: {os.getloadavg()}")
    print("| query | rows | ours q/s (med / p95 ms) | oxigraph q/s (med / p95 ms) | ours / oxigraph |")
    print("| --- | ---: | ---: | ---: | ---: |")
    ratios = []
    for name, answers, cells in rows:
        ours, oxigraph = cells.get("ours"), cells.get("oxigraph")
        ratio = ours["throughput"] / oxigraph["throughput"] if ours and oxigraph and oxigraph["throughput"] else None
        if ratio is not None:
            ratios.append((ratio, name))
        print(f"| `{name}` | {answers.get('ours', {}).get('rows')} | {_cell(ours)} | {_cell(oxigraph)} | "
              f"{'' if ratio is None else f'{ratio:.2f}×'} |")
    met = sum(1 for ratio, _ in ratios if ratio >= 1.0)
    print(f"\nthroughput at least Oxigraph's: {met} of {len(ratios)} stored queries; lowest: "
          + ", ".join(f"`{name}` {ratio:.2f}×" for ratio, name in sorted(ratios)[:3]))


def _cell(cell: dict | None) -> str:
    if not cell or cell.get("skipped") or not cell.get("n"):
        return "n/a"
    errors = f", {cell['errors']} errors" if cell["errors"] else ""
    return f"{cell['throughput']:,.0f} ({cell['median'] * 1000:.2f} / {cell['p95'] * 1000:.2f}{errors})"


if __name__ == "__main__":
    main()
