"""The SPARQL servers the benchmark starts, on loopback, and stops again whatever happens.

Each server runs in its own process group (its own session), so stopping it also stops what it started
(our query workers and their fork server, uvicorn's worker). `Servers` is a context manager: leaving it,
normally, by an exception or by Ctrl-C (SIGINT) or SIGTERM, stops every server it started, first politely
(SIGTERM to the group) and then by SIGKILL to the group after a grace period.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
READY_TIMEOUT = 600.0   # seconds a server may take to load its data (1M triples in rdflib is slow)
STOP_GRACE = 10.0
ASK = "ASK { ?s ?p ?o }"


@dataclass
class Server:
    name: str                 # "ours", "oxigraph", "rdflib-endpoint"
    url: str                  # the SPARQL query endpoint
    process: subprocess.Popen
    log: Path
    ready_seconds: float = 0.0

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def memory(self) -> dict[str, int]:
        """Resident memory of the server and every process it started: RSS summed, and PSS (shared pages
        counted once, what the machine actually gives up), in bytes."""
        rss = pss = 0
        for process in self.tree():
            try:
                info = process.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        return {"rss": rss, "pss": pss, "processes": len(self.tree())}

    def alive(self) -> bool:
        return self.process.poll() is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """Starts servers and guarantees they stop. Raises RuntimeError when one does not come up."""

    def __init__(self, work: Path):
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.running: list[Server] = []
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "Servers":
        atexit.register(self.stop_all)
        # SIGINT too: a shell starting the harness in the background leaves SIGINT ignored
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, _raise_interrupt)
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        atexit.unregister(self.stop_all)

    # -- the peers ------------------------------------------------------------------------------

    def ours(self, trig: Path, **settings) -> Server:
        """`cpsgraph serve --data TRIG` with the service's default settings (waitress, 2 query workers)
        unless `settings` (CPS_<NAME> values) say otherwise."""
        port = free_port()
        env = {f"CPS_{name}": str(value) for name, value in settings.items()}
        command = ["cpsgraph", "serve", "--data", str(trig), "--host", "127.0.0.1", "--port", str(port)]
        return self._start("ours", command, f"http://127.0.0.1:{port}/sparql", env)

    def ours_build(self, build_dir: Path, **settings) -> Server:
        """`cpsgraph serve` on the release `build_dir/current` points at (with its artefacts: the search index,
        the counts), as an operator serves a build."""
        port = free_port()
        env = {f"CPS_{name}": str(value) for name, value in {"BUILD_DIR": build_dir, **settings}.items()}
        command = ["cpsgraph", "serve", "--host", "127.0.0.1", "--port", str(port)]
        return self._start("ours", command, f"http://127.0.0.1:{port}/sparql", env)

    def oxigraph(self, trig: Path, location: Path) -> Server:
        """`oxigraph load` into a fresh location, then `oxigraph serve-read-only --union-default-graph`:
        queries without a dataset see the union of the named graphs, as ours do."""
        if location.exists():
            shutil.rmtree(location)
        started = time.perf_counter()
        subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(trig)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loaded = time.perf_counter() - started
        port = free_port()
        command = ["oxigraph", "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"]
        server = self._start("oxigraph", command, f"http://127.0.0.1:{port}/query", {})
        server.ready_seconds += loaded
        return server

    def wsgi_peer(self, kind: str, trig: Path | None = None) -> Server:
        """Our app under granian (`granian-ours`) or a hello-world WSGI app (`waitress-hello`,
        `granian-hello`): the alternatives of bench/overhead.py, see bench/wsgi_peers.py."""
        port = free_port()
        command = [sys.executable, str(HERE / "wsgi_peers.py"), kind, str(port)] + ([str(trig)] if trig else [])
        return self._start(kind, command, f"http://127.0.0.1:{port}/sparql", {})

    def rdflib_endpoint(self, trig: Path) -> Server:
        """rdflib-endpoint (FastAPI under uvicorn) over an rdflib Dataset with default_union=True."""
        port = free_port()
        command = [sys.executable, str(HERE / "rdflib_peer.py"), str(trig), str(port)]
        return self._start("rdflib-endpoint", command, f"http://127.0.0.1:{port}/", {})

    # -- process management ---------------------------------------------------------------------

    def _start(self, name: str, command: list[str], url: str, env: dict[str, str]) -> Server:
        log = self.work / f"{name}-{len(self.running)}.log"
        handle = log.open("wb")
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, **env}, start_new_session=True)
        handle.close()
        server = Server(name, url, process, log)
        self.running.append(server)
        _wait_ready(server)
        server.ready_seconds = time.perf_counter() - started
        return server

    def stop(self, server: Server) -> None:
        """SIGTERM to the server's process group, SIGKILL after the grace period. Safe to call twice."""
        if server in self.running:
            self.running.remove(server)
        if server.process.poll() is not None:
            return
        for signum, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(server.process.pid, signum)  # the group is the session start_new_session made
            except ProcessLookupError:
                return
            try:
                server.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # a worker that ignored SIGTERM and outlived its parent is still in the group
            os.killpg(server.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for server in list(self.running):
            self.stop(server)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _wait_ready(server: Server) -> None:
    """Poll with an ASK query until the server answers. Raises RuntimeError (with the log's tail) when it
    exits or takes longer than READY_TIMEOUT."""
    deadline = time.monotonic() + READY_TIMEOUT
    body = ASK.encode()
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{tail}")
        request = urllib.request.Request(server.url, data=body, method="POST", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if json.loads(response.read()).get("boolean") is not None:
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer within {READY_TIMEOUT:g} s (log: {server.log})")
