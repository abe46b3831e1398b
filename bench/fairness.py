"""Fairness under hostile load (issue 12, item 5): a well-behaved client beside clients running expensive queries.

    python -m bench.fairness                              # 8 hostile clients, 4 connections each, 30 s
    python -m bench.fairness --hostile 8 --connections 1 --seconds 60
    python -m bench.fairness --set SERVER_THREADS=8       # any CPS_ setting of the server
    python -m bench.fairness --uncached                   # no well-behaved request answered by the cache

`cpsgraph serve` runs with its default settings (plus `--set`) on the build's public TriG. Each client has a
loopback address of its own (the whole 127/8 is loopback on Linux), so the server tells them apart as it would
on the internet. Hostile clients (127.0.0.10, ...) each keep `--connections` connections busy with a triple
cross product (it runs until the query time limit); the well-behaved client (127.0.0.2) asks in turn for a
browser page, a stored query of the API and a cheap /sparql query, one at a time; a probe (127.0.0.3) opens a
new connection for `/healthz` every PROBE_INTERVAL seconds, as a supervisor does. The same well-behaved load
runs first alone (the baseline), then beside the hostile clients.

Targets: beside 8 hostile clients the well-behaved client's page and query p50 < 100 ms, `/healthz` p99 < 50 ms.
Every socket is on loopback and closed at the end; every loop is bounded by `--seconds`.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from .servers import Servers
from .stats import median, ms, table

REPO = Path(__file__).resolve().parent.parent
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
WELL_BEHAVED = {   # kind: (path, Accept)
    "page": ("/page/person/graciela-scavone", "text/html"),
    "api": ("/api/queries/agenda", "application/sparql-results+json"),
    "query": ("/sparql?" + urllib.parse.urlencode({"query": CHEAP}), "application/sparql-results+json"),
}
PROBE_INTERVAL = 0.1
REQUEST_TIMEOUT = 30.0


def percentile(values: list[float], share: float) -> float | None:
    """Nearest rank (a value that was observed)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Client:
    """Keep-alive HTTP from one loopback source address; reconnects after an error or `Connection: close`."""

    def __init__(self, port: int, source: str):
        self.port, self.source, self.connection = port, source, None
        self.refusals: dict[int, str] = {}   # the first message of each refusal status

    def get(self, path: str, accept: str, *, timeout: float = REQUEST_TIMEOUT, cookie: str | None = None
            ) -> tuple[int, float]:
        """(status, seconds until the whole answer arrived); status 0 when no answer came."""
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                                             source_address=(self.source, 0))
            self.connection.request("GET", path, headers={"Accept": accept, **({"Cookie": cookie} if cookie else {})})
            response = self.connection.getresponse()
            body = response.read()
            status = response.status
            if status != 200:
                self.refusals.setdefault(status, body[:400].decode("utf-8", "replace"))
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            status = 0
        return status, time.perf_counter() - started

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def well_behaved(port: int, until: float, samples: dict, fresh: bool = False) -> None:
    """The page, the API and the cheap query in turn; `fresh`: each with a new cookie (`run=N`, which the
    service ignores but the release cache keys on, web/httpcache.py), so that no kept answer is handed out."""
    client = Client(port, "127.0.0.2")
    runs = 0
    try:
        while time.monotonic() < until:
            for kind, (path, accept) in WELL_BEHAVED.items():
                runs += 1
                samples[kind].append(client.get(path, accept, cookie=f"run={runs}" if fresh else None))
    finally:
        client.close()
        samples["refusals"] = client.refusals


def probe(port: int, until: float, samples: dict) -> None:
    while time.monotonic() < until:
        client = Client(port, "127.0.0.3")   # a new connection each time, as a supervisor's probe
        samples["healthz"].append(client.get("/healthz", "application/json", timeout=10))
        client.close()
        time.sleep(PROBE_INTERVAL)


def hostile(port: int, source: str, stopping: threading.Event, statuses: Counter) -> None:
    client = Client(port, source)
    path = "/sparql?" + urllib.parse.urlencode({"query": CROSS_PRODUCT})
    try:
        while not stopping.is_set():
            status, _ = client.get(path, "application/sparql-results+json", timeout=60)
            statuses[status] += 1
            if status in (0, 429, 503):
                stopping.wait(0.05)   # a hostile client does not honour Retry-After, but does not spin either
    finally:
        client.close()


def run_phase(port: int, seconds: float, hostile_clients: int, connections: int,
              fresh: bool = False) -> tuple[dict, Counter]:
    samples = {kind: [] for kind in [*WELL_BEHAVED, "healthz"]}
    statuses: Counter = Counter()
    stopping = threading.Event()
    attackers = [threading.Thread(target=hostile, args=(port, f"127.0.0.{10 + n}", stopping, statuses),
                                  daemon=True)
                 for n in range(hostile_clients) for _ in range(connections)]
    for thread in attackers:
        thread.start()
    if attackers:
        time.sleep(2.0)   # their queries hold the workers they can get
    until = time.monotonic() + seconds
    measured = [threading.Thread(target=well_behaved, args=(port, until, samples, fresh), daemon=True),
                threading.Thread(target=probe, args=(port, until, samples), daemon=True)]
    for thread in measured:
        thread.start()
    for thread in measured:
        thread.join(seconds + 2 * REQUEST_TIMEOUT)
    stopping.set()
    for thread in attackers:
        thread.join(70)
    return samples, statuses


def rows_of(phase: str, samples: dict) -> list[list[str]]:
    rows = []
    for kind, found in samples.items():
        if kind == "refusals":
            continue
        answered = [seconds for status, seconds in found if status == 200]
        codes = Counter(status for status, _ in found)
        rows.append([phase, kind, str(len(found)), ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())),
                     ms(median(answered)), ms(percentile(answered, 0.95)), ms(percentile(answered, 0.99)),
                     ms(max(answered) if answered else None)])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fairness", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hostile", type=int, default=8, help="hostile clients (own addresses)")
    parser.add_argument("--connections", type=int, default=4, help="connections each hostile client keeps busy")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each measured phase")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a CPS_ setting of the server (repeatable)")
    parser.add_argument("--uncached", action="store_true",
                        help="a new cookie on every well-behaved request, so the release cache never answers")
    parser.add_argument("--trig", type=Path, default=REPO / "build" / "current" / "public" / "cps-lac.trig")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cps-bench-fairness"))
    args = parser.parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set)
    with Servers(args.work) as servers:
        server = servers.ours(args.trig, **settings)
        port = int(server.url.split(":")[2].split("/")[0])
        try:
            baseline, _ = run_phase(port, args.seconds / 2, 0, 0, args.uncached)
            loaded, statuses = run_phase(port, args.seconds, args.hostile, args.connections,
                                          args.uncached)
            memory = server.memory()
        finally:
            servers.stop(server)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Well-behaved client alone, then beside {args.hostile} hostile clients x {args.connections} "
          f"connections running a cross product; settings {settings or 'defaults'}; {args.seconds:g} s; "
          f"{'every request a new cookie (uncached); ' if args.uncached else ''}"
          f"load average {load}; server tree RSS at the end {memory['rss'] / 1e6:.0f} MB "
          f"({memory['processes']} processes)\n")
    print(table(["phase", "request", "sent", "statuses", "p50 ms", "p95 ms", "p99 ms", "max ms"],
                rows_of("alone", baseline) + rows_of("hostile", loaded)))
    for status, message in loaded.get("refusals", {}).items():
        print(f"\nThe well-behaved client's first {status}: {message}")
    print("\nHostile requests by status: " + ", ".join(f"{c}: {n}" for c, n in sorted(statuses.items())))


if __name__ == "__main__":
    main()
