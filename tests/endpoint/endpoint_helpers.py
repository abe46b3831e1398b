"""Helpers of the endpoint tests: processes on loopback ports, a connection-counting listener, and parsing
responses back into solutions and triples."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import Listener, alive, descendants, free_port, stop, wait_until_up  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parents[2]
W3C = ROOT.parent / "shared" / "w3c-sparql11-tests"
TOKEN = "operator-test-token"
# A partner's own graph in the same triplestore, which the service must never serve (unless told to).
PARTNER_GRAPH = "http://partner.example.org/graph/theirs"
PARTNER_TRIPLES = (b'<http://partner.example.org/a> <http://partner.example.org/b> "1" .\n'
                   b'<http://partner.example.org/a> <http://partner.example.org/c> _:x .\n'
                   b'_:x <http://partner.example.org/d> "2"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')


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

    def put(self, graph: str, ntriples: bytes) -> None:
        request = urllib.request.Request(f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}",
                                         data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=30).read()

    def count(self, graph: str) -> int:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        # A form, not application/sparql-query: Virtuoso 7.2 never answers a POST of that type.
        request = urllib.request.Request(self.query, data=urllib.parse.urlencode({"query": text}).encode(),
                                         method="POST", headers={"Accept": "application/sparql-results+json"})
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


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")   # Debian's virtuoso-opensource (make test)
VIRTUOSO_USER = ("dba", "dba")   # the package's own account, on a loopback store the tests made and remove


@dataclass
class Virtuoso(Oxigraph):
    """Virtuoso Open Source 7 as Debian ships it: SPARQL queries at /sparql (anonymous, read-only), updates at
    /sparql-auth and the Graph Store Protocol at /sparql-graph-crud-auth (both with digest authentication)."""
    isql_port: int = 0

    @property
    def query(self) -> str:
        return self.base + "/sparql"

    @property
    def update(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph directly (the package's dba account, digest authentication)."""
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, self.base, *VIRTUOSO_USER)
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
        request = urllib.request.Request(f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}",
                                         data=ntriples, method="PUT", headers={"Content-Type": "text/turtle"})
        opener.open(request, timeout=30).read()

    def isql(self, statements: str) -> str:
        """Run SQL statements (on standard input) as dba through isql-vt."""
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.isql_port}", *VIRTUOSO_USER], input=statements + "\n",
                              capture_output=True, text=True, timeout=60)
        if done.returncode or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return done.stdout


def virtuoso_ini(directory: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with the database in `directory` and both servers on loopback ports."""
    overrides = {
        "Database": {"DatabaseFile": "virtuoso.db", "ErrorLogFile": "virtuoso.log", "LockFile": "virtuoso.lck",
                     "TransactionFile": "virtuoso.trx", "xa_persistent_file": "virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": "virtuoso-temp.db", "TransactionFile": "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
    }
    lines, section = [], None
    for line in VIRTUOSO_INI.read_text().splitlines():
        if heading := re.match(r"\s*\[(.+)\]", line):
            section = heading.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        if key and key.group(1) in overrides.get(section, {}):
            value = overrides[section][key.group(1)]
            line = f"{key.group(1)} = {directory / value if section.endswith('Database') else value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def start_virtuoso(directory: Path) -> Virtuoso:
    """virtuoso-t in the foreground on free loopback ports, with its database in `directory`; its row limit
    (ResultSetMaxRows) is left at Debian's 10,000, below the size of our data graph, as partners have it."""
    executable = shutil.which("virtuoso-t")
    if executable is None:
        pytest.fail("virtuoso-t is missing: `make test` installs Debian's virtuoso-opensource")
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(virtuoso_ini(directory, sql_port, http_port))
    with open(directory / "console.log", "w") as console:   # a file: nobody would read a pipe
        process = subprocess.Popen([executable, "-f", "-c", str(ini)], cwd=directory, stdout=console,
                                   stderr=subprocess.STDOUT)
    server = Virtuoso(f"http://127.0.0.1:{http_port}", process, sql_port)
    wait_until_up(server.query + "?query=ASK%7B%7D", process, timeout=120)
    return server


@contextmanager
def store_credentials(user: str, password: str):
    """CPS_STORE_USER and CPS_STORE_PASSWORD set for the block (as an operator sets them for `publish`)."""
    saved = {key: os.environ.get(key) for key in ("CPS_STORE_USER", "CPS_STORE_PASSWORD")}
    os.environ.update(CPS_STORE_USER=user, CPS_STORE_PASSWORD=password)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
