"""Many connections (issue 12, item 6): how a new client fares while idle and slow clients hold connections.

    python -m bench.connections                          # ours, our app under waitress's defaults, under granian
    python -m bench.connections --peers ours --idle 2000 --slow 500

For each peer and each load (idle connections that send nothing, slow ones that send a request line and then
one header line every DRIP seconds, as a slowloris client does), a fresh client opens a new connection per
request and asks `/sparql?query=ASK{}` REQUESTS times, each with a 5 s limit: its latency (median, 95th
percentile), how many requests got no answer in time, and the memory of the server's process tree (RSS).
Peers: `ours` (`cpsgraph serve`, defaults), `waitress-defaults` (our app under `waitress.serve` with waitress's
defaults, as `cpsgraph serve` ran before: 100 connections, select()), `granian-ours` (our app under granian).
Every socket is on loopback and closed at the end; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import threading
import time
from pathlib import Path

from .servers import Servers
from .stats import median, ms, p95, table

REPO = Path(__file__).resolve().parent.parent
REQUESTS = 20
REQUEST_TIMEOUT = 5.0
DRIP = 2.0
ASK = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def start(servers: Servers, peer: str, trig: Path):
    if peer == "ours":
        return servers.ours(trig)
    return servers.wsgi_peer(peer, trig)


def fresh_request(port: int) -> float | None:
    """Seconds until a new connection's whole answer arrived; None when none came within REQUEST_TIMEOUT."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(ASK)
            data = b""
            while time.perf_counter() - started < REQUEST_TIMEOUT:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    return time.perf_counter() - started if data.startswith(b"HTTP/1.1 200") else None


def open_held(port: int, count: int, slow: bool) -> list[socket.socket]:
    held = []
    for _ in range(count):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            if slow:
                sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError:
            break     # the server (or its listen backlog) takes no more: what was opened is what is held
        held.append(sock)
    return held


def measure(server, idle: int, slow: int) -> dict:
    port = int(server.url.split(":")[2].split("/")[0])
    held = open_held(port, idle, False)
    dripping = open_held(port, slow, True)
    stop = threading.Event()

    def drip():
        number = 0
        while not stop.wait(DRIP) and number < 1000:
            number += 1
            for sock in dripping:
                try:
                    sock.sendall(f"X-Drip: {number}\r\n".encode())
                except OSError:
                    pass

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        times = [fresh_request(port) for _ in range(REQUESTS)]
        memory = server.memory()["rss"]
    finally:
        stop.set()
        dripper.join()
        for sock in held + dripping:
            sock.close()
    answered = [t for t in times if t is not None]
    return {"idle": len(held), "slow": len(dripping), "p50": median(answered), "p95": p95(answered),
            "unanswered": len(times) - len(answered), "rss_mb": memory / 1e6}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.connections", description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", default="ours,waitress-defaults,granian-ours")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--trig", type=Path, default=REPO / "build" / "current" / "public" / "cps-lac.trig")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cps-bench-connections"))
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.idle + args.slow + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    loads = [(0, 0), (101, 0), (0, 120), (args.idle, 0), (args.idle, args.slow)]
    rows = []
    with Servers(args.work) as servers:
        for peer in args.peers.split(","):
            server = start(servers, peer, args.trig)
            try:
                for idle, slow in loads:
                    found = measure(server, idle, slow)
                    rows.append([peer, f"{idle} / {slow}", f"{found['idle']} / {found['slow']}",
                                 ms(found["p50"]), ms(found["p95"]), f"{found['unanswered']} of {REQUESTS}",
                                 f"{found['rss_mb']:.0f}"])
            finally:
                servers.stop(server)
    print(f"A new client's `ASK {{}}` (new connection each, {REQUESTS} requests, {REQUEST_TIMEOUT:g} s limit) "
          f"beside idle and slow connections (a header line every {DRIP:g} s); load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(table(["peer", "idle / slow asked", "opened", "median ms", "p95 ms", "unanswered", "RSS MB"], rows))


if __name__ == "__main__":
    main()
