"""Helpers of the endpoint tests: processes on loopback ports, a connection-counting listener, and parsing
responses back into solutions and triples."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
W3C = ROOT.parent / "shared" / "w3c-sparql11-tests"
TOKEN = "operator-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}: {process.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc), to watch the query workers of a server."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class LiveServer:
    url: str            # .../sparql
    process: subprocess.Popen
    base: str = ""


@dataclass
class Oxigraph:
    base: str
    process: subprocess.Popen

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    @property
    def graph_store(self) -> str:
        return self.base + "/store"

    def count(self, graph: str) -> int:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        request = urllib.request.Request(self.query, data=text.encode(), method="POST", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        doc = json.loads(urllib.request.urlopen(request, timeout=30).read())
        return int(doc["results"]["bindings"][0]["n"]["value"])


def start_oxigraph(directory: Path) -> Oxigraph:
    executable = shutil.which("oxigraph")
    if executable is None:
        pytest.fail("the `oxigraph` command is missing: pip install oxigraph (the test extra)")
    port = free_port()
    process = subprocess.Popen([executable, "serve", "--location", str(directory), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = Oxigraph(f"http://127.0.0.1:{port}", process)
    wait_until_up(server.query + "?query=ASK%7B%7D", process)
    return server


@dataclass
class Listener:
    """A TCP listener on a free loopback port that records every connection made to it."""

    port: int = 0
    connections: list = field(default_factory=list)

    def __post_init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, address = self._socket.accept()
            except OSError:
                return
            self.connections.append(address)
            conn.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self):
        self._socket.close()


def solutions(body: bytes, media_type: str = "application/sparql-results+json") -> list[dict]:
    """A SPARQL results body parsed back into rows of pyoxigraph terms (unbound variables left out)."""
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media_type.split(";")[0].strip()]
    parsed = ox.parse_query_results(body, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return [{"boolean": bool(parsed)}]
    names = [v.value for v in parsed.variables]
    return [{n: v for n, v in zip(names, row) if v is not None} for row in parsed]


def triples(body: bytes, media_type: str) -> set:
    """An RDF body parsed back into a set of pyoxigraph triples."""
    fmt = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip())
    return {quad.triple for quad in ox.parse(body, format=fmt)}
