"""The release cache (decision 0023) side by side: ours with it (the default), ours without it
(CPS_RESPONSE_CACHE_BYTES=0) and Oxigraph server, on the real graph, peers taking turns, the endpoint's cheap
queries by POST (as `python -m bench` sends them) and a page by GET, at 1 and 8 clients.

    python -m bench.cache --trig build/current/public/cps-lac.trig [--rounds 3] [--budget 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from .client import run_batch
from .servers import Servers
from .stats import median, p95

REPO = Path(__file__).resolve().parents[1]
QUERIES = ("drafting-committee", "participants-from-country", "co-presenters")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cache", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trig", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per batch")
    args = parser.parse_args(argv)
    texts = {name: (REPO / "queries" / f"{name}.rq").read_text(encoding="utf-8") for name in QUERIES}
    texts["ASK {}"] = "ASK {}"
    print(f"load average at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as work, Servers(Path(work)) as servers:
        peers = {"ours (cache)": servers.ours(args.trig, ACCESS_LOG=""),
                 "ours (no cache)": servers.ours(args.trig, ACCESS_LOG="", RESPONSE_CACHE_BYTES=0),
                 "oxigraph": servers.oxigraph(args.trig, Path(work) / "oxigraph")}
        results: dict = {}
        names = list(peers)
        for clients in (1, 8):
            for name, text in texts.items():
                for round_ in range(args.rounds):
                    order = names[round_ % len(names):] + names[:round_ % len(names)]
                    for peer in order:
                        batch = run_batch(peers[peer].url, text, clients, budget=args.budget, max_requests=5000,
                                          timeout=30)
                        results.setdefault((clients, name, peer), []).append(batch)
        print(f"load average at the end: {os.getloadavg()}")
    print("| clients | query | peer | q/s | median ms | p95 ms | errors |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for (clients, name, peer), batches in results.items():
        latencies = [x for b in batches for x in b.latencies]
        rate = sum(len(b.latencies) for b in batches) / sum(b.wall for b in batches)
        errors = sum(len(b.errors) + b.timeouts for b in batches)
        print(f"| {clients} | `{name}` | {peer} | {rate:,.0f} | {median(latencies) * 1000:.2f} | "
              f"{p95(latencies) * 1000:.2f} | {errors} |")


if __name__ == "__main__":
    main()
