"""Query workers: processes that hold a pyoxigraph store and evaluate one request at a time.

pyoxigraph cannot cancel a running query, and a thread cannot be stopped. A process can: when a query runs
past its time limit, the worker evaluating it is killed (its CPU and memory are freed at once) and a fresh
worker takes its place in the background. Workers are started from a fork server (a clean single-threaded
process, so forking never copies the web server's threads and locks) and load their store themselves:
from RDF files into memory, or by opening an on-disk store read-only.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import time
from dataclasses import dataclass

from ..errors import ConfigError, QuerySyntaxError, QueryTimeout, StoreUnavailable

log = logging.getLogger(__name__)
START_TIMEOUT = 300.0  # seconds a worker may take to load its store


def _context():
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["cpsgraph.store.worker_main", "cpsgraph.store.forkserver_preload"])
    return context


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class WorkerPool:
    """A fixed number of workers over one store `source` (see worker_main.open_source). Started on first use."""

    def __init__(self, source: dict, size: int = 2, *, label: str = "query"):
        self.source = source
        self.size = max(1, int(size))
        self.label = label
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._workers: set[_Worker] = set()

    def start(self) -> None:
        """Start every worker and wait until each has loaded its store. Raises ConfigError if one cannot."""
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise StoreUnavailable("The store has been closed.")
            workers = [self._launch() for _ in range(self.size)]
            for worker in workers:
                self._await_ready(worker)
                self._idle.put(worker)
            self._started = True

    def call(self, op: str, args: dict, timeout: float):
        """Run one operation in an idle worker. Raises QueryTimeout when it runs past `timeout` seconds (the
        worker is killed), StoreUnavailable when no worker frees up in time or one dies,
        QuerySyntaxError for a query the engine cannot parse."""
        self.start()
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise StoreUnavailable(f"All {self.size} query workers stayed busy for {timeout:g} s; "
                                   "try again in a moment.") from None
        remaining = max(0.05, timeout - (time.monotonic() - started))
        try:
            worker.conn.send((op, args, 2 * timeout + 5))
            if not worker.conn.poll(remaining):
                self._replace(worker)
                raise QueryTimeout(f"The query ran longer than the time limit of {timeout:g} s and was stopped. "
                                   "Narrow its patterns or add a LIMIT; the operator sets the limit "
                                   "(CPS_QUERY_TIMEOUT).")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            code = worker.process.exitcode  # -11: the engine overflowed its stack; -24: it used up its CPU budget
            log.error("query worker %s died (exit code %s) on a %s request: %s", worker.process.pid, code, op, error)
            raise StoreUnavailable(f"The query worker stopped while answering this request (exit code {code}); "
                                   "if this query keeps failing, simplify it. Other requests are not affected."
                                   ) from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        raise RuntimeError(payload)

    def close(self) -> None:
        """Kill every worker. Safe to call twice."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            self._kill(worker)

    def pids(self) -> list[int]:
        return [w.process.pid for w in list(self._workers)]

    def _launch(self) -> _Worker:
        from .worker_main import serve

        parent, child = multiprocessing.Pipe()
        process = _context().Process(target=serve, args=(child, self.source),
                                     name=f"cpsgraph-{self.label}-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(START_TIMEOUT):
            self._kill(worker)
            raise ConfigError(f"A query worker did not load its store within {START_TIMEOUT:g} s.")
        try:
            status, message = worker.conn.recv()
        except EOFError:
            status, message = "failed", "the worker exited while loading"
        if status != "ready":
            self._kill(worker)
            raise ConfigError(f"The store cannot be loaded: {message}")

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        threading.Thread(target=self._refill, name="cpsgraph-worker-refill", daemon=True).start()

    def _refill(self) -> None:
        if self._closed:
            return
        try:
            worker = self._launch()
            self._await_ready(worker)
        except Exception:  # logged: the pool runs one worker short until the next replacement
            log.exception("could not start a replacement query worker")
            return
        if self._closed:
            self._kill(worker)
        else:
            self._idle.put(worker)

    def _kill(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()


def prepare_worker_process() -> None:
    """Workers leave Ctrl-C and SIGTERM to the server, which finishes the requests in flight and then closes
    the pool; and they die with their parent (the fork server, which exits with the server), so a killed
    server leaves no query running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # not Linux: the worker ends at its next request instead (closed pipe)
        pass
