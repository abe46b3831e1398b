"""Helpers of the reliability tests: processes on loopback ports (our server, `oxigraph serve`), a listener
that records connections, the restricted values to search for, and HTML/CSP readers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import Listener, alive, descendants, free_port, listening, stop, wait_for_workers, wait_until_up  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "reliability-operator-token"
BASE = "https://w3id.org/cps-lac/"
RESTRICTED_GRAPH = BASE + "graph/restricted"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def query_workers(server_pid: int) -> set[int]:
    """The query workers below a server: the processes its pools' seeds forked (named `cpsgraph-worker`; the
    seeds, the fork server and multiprocessing's resource tracker are not workers)."""
    found = set()
    for pid in descendants(server_pid):
        try:
            if alive(pid) and Path(f"/proc/{pid}/comm").read_text().strip() == "cpsgraph-worker":
                found.add(pid)
        except OSError:
            continue
    return found


@dataclass
class Server:
    """`cpsgraph serve` in a subprocess; its access log goes to `access_log`, its diagnostics to `errors`."""

    base: str
    process: subprocess.Popen
    access_log: Path
    errors: Path

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def access_records(self) -> list[dict]:
        return [json.loads(line) for line in self.access_log.read_text(encoding="utf-8").splitlines()]


def start_server(directory: Path, env: dict, args: tuple = (), *, new_session: bool = False) -> Server:
    """Start `cpsgraph serve` on a free loopback port with `env` over ours; waits until it answers."""
    port = free_port()
    access_log, errors = directory / f"access-{port}.jsonl", directory / f"serve-{port}.log"
    full_env = dict(os.environ, CPS_QUERIES_DIR=str(ROOT / "queries"), CPS_ACCESS_LOG=str(access_log), **env)
    with open(errors, "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "cpsgraph.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port), *args], env=full_env, cwd=directory,
                                   stdout=subprocess.DEVNULL, stderr=err, start_new_session=new_session)
    server = Server(f"http://127.0.0.1:{port}", process, access_log, errors)
    try:
        wait_until_up(server.base + "/healthz", process)
        wait_for_workers(server.base)
    except RuntimeError:
        stop(process)
        raise RuntimeError(f"the server did not start: {errors.read_text()[-2000:]}") from None
    return server


@dataclass
class Oxigraph:
    port: int
    location: Path
    process: subprocess.Popen | None = None

    @property
    def query(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"

    def start(self) -> "Oxigraph":
        executable = shutil.which("oxigraph")
        if executable is None:
            pytest.fail("the `oxigraph` command is missing: pip install oxigraph (the test extra)")
        self.process = subprocess.Popen([executable, "serve", "--location", str(self.location), "--bind",
                                         f"127.0.0.1:{self.port}", "--union-default-graph"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(self.query + "?query=ASK%7B%7D", self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def restricted_needles(root: Path = ROOT) -> list[str]:
    """Strings that only the restricted contacts graph holds, as the build reads them from the report's
    Anexo III (cpsgraph.contacts): every e-mail address, telephone and fax number as written, and every address
    line that holds a digit (street numbers, postcodes: a bare city or country name may well be public)."""
    from cpsgraph.contacts import report_contacts
    from cpsgraph.source import Report, default_source_path

    contacts, problems = report_contacts(Report(default_source_path(root)))
    assert problems == [], problems
    needles = set()
    for contact in contacts:
        if contact.kind == "address":
            needles.update(line.strip() for line in contact.value.splitlines()
                           if re.search(r"\d", line) and len(line.strip()) >= 8)
        elif len(contact.value) >= 6:
            needles.add(contact.value)
    return sorted(needles)


def readable_forms(body: bytes, content_type: str) -> str:
    """A response body as text in every form a value could hide in: as sent; HTML with its entities decoded;
    \\u and \\U escapes decoded. (The needles hold no line break or quote, so no other escape matters.)"""
    import html

    text = body.decode("utf-8", "replace")
    forms = [text]
    if "html" in content_type and "&" in text:
        forms.append(html.unescape(text))
    if "\\u" in text or "\\U" in text:    # JSON, Turtle and N-Triples may write any character as an escape
        forms.append(re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                            lambda m: chr(int(m.group(1) or m.group(2), 16)), text))
    return "\n".join(forms)


# --- Reading pages --------------------------------------------------------------------------------------------

class Elements(HTMLParser):
    """Every start tag of a page with its attributes (what a browser would build from it)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def scripts(self) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == "script"]

    @property
    def event_handlers(self) -> list[tuple[str, str]]:
        return [(tag, name) for tag, attrs in self.tags for name in attrs if name.startswith("on")]


def csp_allows_inline_script(policy: str) -> bool:
    """Whether a Content-Security-Policy lets inline script run (no policy at all: it does)."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    sources = directives.get("script-src", directives.get("default-src"))
    if sources is None:
        return True
    return "'unsafe-inline'" in sources or "*" in sources or "data:" in sources
