"""Helpers of the endpoint tests: processes on loopback ports, a connection-counting listener, and parsing
responses back into solutions and triples."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import Listener, alive, descendants, free_port, stop, wait_until_up  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parents[2]
W3C = ROOT.parent / "shared" / "w3c-sparql11-tests"
TOKEN = "operator-test-token"


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
