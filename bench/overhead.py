"""The fixed cost of one request, measured end to end: one keep-alive client sends a tiny query (direct POST,
SPARQL JSON results) many times to each peer, the peers taking turns in rounds, and the in-process floor.

    python -m bench.overhead                                   # sources-of-entity: ours, granian, Oxigraph
    python -m bench.overhead --query ask --peers ours,waitress-hello,granian-hello,oxigraph

Peers: `ours` (`cpsgraph serve`), `granian-ours` (the same app under granian), `oxigraph`
(`oxigraph serve-read-only`), `waitress-hello` and `granian-hello` (a WSGI hello-world: each server's floor).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from . import client
from .endpoints import stored_queries
from .servers import Servers
from .stats import median, ms, p95, table

REPO = Path(__file__).resolve().parent.parent


def start(servers: Servers, peer: str, trig: Path, work: Path):
    if peer == "ours":
        return servers.ours(trig)
    if peer == "oxigraph":
        return servers.oxigraph(trig, work / "oxigraph-store")
    return servers.wsgi_peer(peer, trig if peer == "granian-ours" else None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overhead", description=__doc__.split("\n\n")[0])
    parser.add_argument("--query", default="sources-of-entity", help="a query of queries/, or `ask` (ASK {})")
    parser.add_argument("--peers", default="ours,granian-ours,oxigraph")
    parser.add_argument("--requests", type=int, default=2000, help="per peer, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--trig", type=Path, default=REPO / "build" / "current" / "public" / "cps-lac.trig")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cps-bench-overhead"))
    args = parser.parse_args(argv)
    text = "ASK {}" if args.query == "ask" else stored_queries(REPO / "queries", [args.query])[args.query]
    peers = args.peers.split(",")
    latencies: dict[str, list[float]] = {peer: [] for peer in peers}
    with Servers(args.work) as servers:
        running = {peer: start(servers, peer, args.trig, args.work) for peer in peers}
        for turn in range(args.rounds):
            for peer in peers[turn % len(peers):] + peers[:turn % len(peers)]:
                conn = client.Connection(running[peer].url, 30.0)
                try:
                    for _ in range(50):   # warm-up, not counted
                        conn.query(text)
                    for _ in range(args.requests // args.rounds):
                        answer = conn.query(text)
                        if answer.status != 200:
                            raise SystemExit(f"{peer}: HTTP {answer.status}: {answer.body[:300]!r}")
                        latencies[peer].append(answer.seconds)
                finally:
                    conn.close()
    floor = None
    if args.query != "ask":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(args.trig), format=ox.RdfFormat.TRIG)
        floor = median(client.floor(store, text, budget=2.0, max_runs=args.requests)[0])
    base = median(latencies["oxigraph"]) if "oxigraph" in latencies else None
    rows = [[peer, ms(median(times)), ms(p95(times)), ms(median(times) - floor) if floor else "–",
             f"{median(times) / base:.2f}×" if base else "–"] for peer, times in latencies.items()]
    print(f"`{args.query}`, 1 client, {args.requests} requests per peer in {args.rounds} rounds; floor "
          f"{ms(floor) if floor else '–'} ms; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(table(["peer", "median ms", "p95 ms", "minus floor ms", "/ oxigraph"], rows))


if __name__ == "__main__":
    main()
