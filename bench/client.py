"""Load generation over loopback HTTP, and the in-process floor.

A batch is `clients` threads (or processes), each on its own keep-alive connection, sending the same SPARQL query (direct
POST, JSON results) until it has sent `max_requests`, or the batch's time budget is spent and it has sent at
least one. Latency is measured from sending the request to reading the last byte of the answer; the time
to first byte is when the status line and headers have arrived. Every loop is bounded.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

JSON_RESULTS = "application/sparql-results+json"


@dataclass
class Batch:
    clients: int
    latencies: list[float] = field(default_factory=list)   # seconds, successful requests only
    first_bytes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timeouts: int = 0
    wall: float = 0.0

    @property
    def throughput(self) -> float:
        """Answered requests per second over the batch's wall time."""
        return len(self.latencies) / self.wall if self.wall > 0 else 0.0


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    first_byte: float
    headers: dict[str, str]

    def result_size(self) -> int | None:
        """Rows of a SELECT, 1/0 for an ASK; None when the body is not SPARQL JSON results."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        if "boolean" in data:
            return int(bool(data["boolean"]))
        return len(data.get("results", {}).get("bindings", []))


class Connection:
    """One keep-alive HTTP/1.1 connection to a server; reconnects after an error."""

    def __init__(self, url: str, timeout: float, source: str | None = None):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.source = (source, 0) if source else None   # the loopback address this client connects from
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                                    source_address=self.source)
        return self._conn

    def request(self, method: str, path: str | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        """Send one request and read the whole answer. Raises OSError/http.client errors (the connection
        is dropped so the next request opens a fresh one), TimeoutError when the server is too slow."""
        conn = self._connection()
        started = time.perf_counter()
        try:
            conn.request(method, path or self.path, body=body, headers=headers or {})
            response = conn.getresponse()
            first = time.perf_counter() - started
            data = response.read()
        except BaseException:
            self.close()
            raise
        return Answer(response.status, data, time.perf_counter() - started, first, dict(response.getheaders()))

    def query(self, text: str, accept: str = JSON_RESULTS) -> Answer:
        return self.request("POST", body=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def run_batch(url: str, text: str | None, clients: int, *, budget: float, max_requests: int,
              timeout: float, sources: list[str] | None = None, processes: bool = False) -> Batch:
    """`clients` concurrent clients sending `text` to `url` (or, with `text` None, GETting the HTML page at
    `url`); see the module docstring for the bounds. `sources`: the loopback address of each client (as
    many researchers, each one a client to the fair admission), else all connect from the default one.
    `processes`: each client is a process of its own (forked), so the clients' own Python does not share one
    interpreter lock and cap what a fast server can be shown to answer."""
    import multiprocessing

    context = multiprocessing.get_context("fork") if processes else None
    start = (context.Barrier if context else threading.Barrier)(clients + 1)
    deadline = context.Value("d", 0.0) if context else SimpleNamespace(value=0.0)
    results = context.SimpleQueue() if context else queue.SimpleQueue()
    launch = context.Process if context else threading.Thread
    runners = [launch(target=_client, daemon=True, args=(
        url, text, timeout, sources[number % len(sources)] if sources else None, max_requests, start, deadline,
        results)) for number in range(clients)]
    for runner in runners:
        runner.start()
    began = time.perf_counter()
    deadline.value = began + budget   # perf_counter is the system's monotonic clock: the same in every process
    start.wait()
    batch = Batch(clients)
    for _ in runners:
        latencies, first_bytes, errors, timeouts = results.get()
        batch.latencies += latencies
        batch.first_bytes += first_bytes
        batch.errors += errors
        batch.timeouts += timeouts
    for runner in runners:
        runner.join()
    batch.wall = time.perf_counter() - began
    return batch


def _client(url, text, timeout, source, max_requests, start, deadline, results) -> None:
    """One client of run_batch: (latencies, first bytes, errors, timeouts) into `results` when done."""
    latencies, first_bytes, errors, timeouts = [], [], [], 0
    conn = Connection(url, timeout, source)
    start.wait()
    sent = 0
    try:
        while sent < max_requests and (sent == 0 or time.perf_counter() < deadline.value):
            sent += 1
            try:
                answer = conn.query(text) if text is not None else conn.request("GET", headers={"Accept": "text/html"})
            except TimeoutError:
                timeouts += 1
                break  # a server this slow gets no more from this client in this batch
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            if answer.status == 200:
                latencies.append(answer.seconds)
                first_bytes.append(answer.first_byte)
            else:
                errors.append(f"HTTP {answer.status}: {answer.body[:200]!r}")
    finally:
        conn.close()
        results.put((latencies, first_bytes, errors, timeouts))


def probe(url: str, text: str, timeout: float) -> tuple[Answer | None, str]:
    """One request: the answer, or None and the reason it failed."""
    conn = Connection(url, timeout)
    try:
        answer = conn.query(text)
    except TimeoutError:
        return None, f"no answer within {timeout:g} s"
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"
    finally:
        conn.close()
    if answer.status != 200:
        return None, f"HTTP {answer.status}: {answer.body[:300].decode('utf-8', 'replace')}"
    return answer, ""


def floor(store, text: str, *, budget: float, max_runs: int) -> tuple[list[float], int]:
    """The same query evaluated in-process on a pyoxigraph Store, results serialized to SPARQL JSON as an
    endpoint must: (latencies in seconds, result size). At least one run, then until the budget is spent."""
    import pyoxigraph as ox

    latencies: list[float] = []
    size = 0
    deadline = time.perf_counter() + budget
    while len(latencies) < max_runs and (not latencies or time.perf_counter() < deadline):
        started = time.perf_counter()
        results = store.query(text, use_default_graph_as_union=True)
        if isinstance(results, bool):
            body = json.dumps({"head": {}, "boolean": results}).encode()
            size = int(results)
        else:
            body = results.serialize(format=ox.QueryResultsFormat.JSON)
        latencies.append(time.perf_counter() - started)
        if len(latencies) == 1 and not isinstance(results, bool):
            size = len(json.loads(body)["results"]["bindings"])
    return latencies, size
