"""The release cache (decision 0023) and the HTTP processes (decision 0026) side by side: ours with the cache (the
default) and without it (CPS_RESPONSE_CACHE_BYTES=0), each on one and on `--processes` HTTP processes
(CPS_HTTP_PROCESSES), and Oxigraph server, on the real graph, peers taking turns: the endpoint's cheap
queries by POST (as `python -m bench` sends them) and two pages by GET (the most connected actor's and a
person's; Oxigraph has none), at 1 and 8 clients. Each client connects from a loopback address of its own
(127.0.0.10, ...) and is a process of its own, as separate researchers would be, unless `--one-address` (every
client is then one client to the fair admission, and reaches one HTTP process) or `--thread-clients` (one
process's threads, whose shared interpreter lock capped the figures at about 3,000 answers/s).

    python -m bench.cache --trig build/current/public/cps-lac.trig [--rounds 3] [--budget 3] [--processes 2]
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


PERSON_PAGE = "/page/person/graciela-scavone"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cache", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trig", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per batch")
    parser.add_argument("--processes", type=int, default=2, help="HTTP processes of the second peer of ours")
    parser.add_argument("--one-address", action="store_true", help="every client connects from 127.0.0.1")
    parser.add_argument("--thread-clients", action="store_true",
                        help="clients as threads of one process (the runs before session 10), not processes")
    args = parser.parse_args(argv)
    texts: dict[str, str | None] = {
        name: (REPO / "queries" / f"{name}.rq").read_text(encoding="utf-8") for name in QUERIES}
    texts["ASK {}"] = "ASK {}"
    sources = None if args.one_address else [f"127.0.0.{10 + n}" for n in range(8)]
    print(f"load average at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as work, Servers(Path(work)) as servers:
        processes = f"ours (cache, {args.processes} HTTP processes)"
        peers = {"ours (cache)": servers.ours(args.trig, ACCESS_LOG=""),
                 processes: servers.ours(args.trig, ACCESS_LOG="", HTTP_PROCESSES=args.processes),
                 "ours (no cache)": servers.ours(args.trig, ACCESS_LOG="", RESPONSE_CACHE_BYTES=0),
                 f"ours (no cache, {args.processes} HTTP processes)": servers.ours(
                     args.trig, ACCESS_LOG="", RESPONSE_CACHE_BYTES=0, HTTP_PROCESSES=args.processes),
                 "oxigraph": servers.oxigraph(args.trig, Path(work) / "oxigraph")}
        for name in (processes, f"ours (no cache, {args.processes} HTTP processes)"):
            wait_until_every_process_is_ready(peers[name].url, sources)
        texts[f"page {hub_page(args.trig)}"] = None
        texts[f"page {PERSON_PAGE}"] = None
        results: dict = {}
        names = list(peers)
        for clients in (1, 8):
            for name, text in texts.items():
                for round_ in range(args.rounds):
                    order = names[round_ % len(names):] + names[:round_ % len(names)]
                    for peer in order:
                        if text is None and peer == "oxigraph":
                            continue   # no pages
                        url = peers[peer].url if text is not None else (
                            peers[peer].url.removesuffix("/sparql") + name.removeprefix("page "))
                        batch = run_batch(url, text, clients, budget=args.budget, max_requests=5000, timeout=30,
                                          sources=sources, processes=not args.thread_clients)
                        results.setdefault((clients, name, peer), []).append(batch)
        print(f"load average at the end: {os.getloadavg()}")
    print("| clients | query or page | peer | answers/s | median ms | p95 ms | errors |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for (clients, name, peer), batches in results.items():
        latencies = [x for b in batches for x in b.latencies]
        rate = sum(len(b.latencies) for b in batches) / sum(b.wall for b in batches)
        errors = sum(len(b.errors) + b.timeouts for b in batches)
        print(f"| {clients} | `{name}` | {peer} | {rate:,.0f} | {median(latencies) * 1000:.2f} | "
              f"{p95(latencies) * 1000:.2f} | {errors} |")


def hub_page(trig: Path) -> str:
    """The page of the most connected actor of the graph (bench/network.py's hub)."""
    from cpsgraph.web.stores import stores

    from .network import hub_of, make_app

    app = make_app(trig)
    try:
        path, _degree = hub_of(app)
    finally:
        stores(app).close()
    return f"/page/{path}"


def wait_until_every_process_is_ready(sparql_url: str, sources: list[str] | None, timeout: float = 120.0) -> None:
    """Until /readyz says every worker loaded and the indexes built, from each client's address (so from each
    HTTP process those clients reach); RuntimeError after `timeout` seconds."""
    import json
    import time

    from .client import Connection

    deadline = time.monotonic() + timeout
    for source in sources or [None]:
        while True:
            conn = Connection(sparql_url.removesuffix("/sparql") + "/readyz", 10, source)
            try:
                document = json.loads(conn.request("GET").body)
            except (OSError, ValueError):
                document = {}
            finally:
                conn.close()
            workers = document.get("workers", {})
            if workers and workers.get("loaded") == workers.get("of") and document.get("indexes") == "built":
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{sparql_url} did not become ready for {source}")
            time.sleep(0.2)


if __name__ == "__main__":
    main()
