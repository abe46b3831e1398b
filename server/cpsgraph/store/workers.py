"""Query workers: processes that hold a pyoxigraph store and evaluate one request at a time.

pyoxigraph cannot cancel a running query, and a thread cannot be stopped. A process can: when a query runs
past its time limit or its memory ceiling, the worker evaluating it is killed (its CPU and memory are freed at
once) and a fresh worker takes its place in the background. Each pool has a seed (worker_main.seed), started
from a fork server (a clean single-threaded process without a network, see isolation.py, so forking never
copies the web server's threads and locks), which loads the store once: from RDF files into memory (checked
against the digests the service started with, so every worker serves the same bytes), or, for an on-disk
store, each worker opens it read-only itself. Workers are forked from the seed, sharing its loaded store
copy-on-write: a replacement is ready in milliseconds, so hostile queries killed at the time limit one after
another never leave the pool short (reloading the data in each replacement took a busy core seconds). Should
the seed itself die, a new one is started from the files, checked against the same digests.

The pool keeps itself at its size (upkeep.py): a watchdog kills a worker past its memory ceiling and notices
workers that died while idle; a refill thread replaces every worker that is gone, retrying with back-off while
workers cannot start, and the pool then answers at once with the reason (which /readyz reports).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection

from ..errors import (ConfigError, CpsError, QueryMemoryExceeded, QuerySyntaxError, QueryTakenBack, QueryTimeout,
                      ServiceSaturated, StoreUnavailable, TooManyRequests)
from . import upkeep
from .admission import TAKE_BACK
from .answer import receive_answer
from .processes import context, start_in_keeper

log = logging.getLogger(__name__)
START_TIMEOUT = 300.0  # seconds a worker may take to load its store
MIB = 1 << 20
_TIMED_OUT = ("The query ran longer than the time limit of {timeout:g} s and was stopped. Narrow its patterns or "
              "add a LIMIT; the operator sets the limit (CPS_QUERY_TIMEOUT).")
_TAKEN_BACK = ("Other clients came to the SPARQL endpoint while this client held more than its fair part of it, so "
               "this query, its most recent, was stopped to let one of them in. Send it again when one of this "
               "client's queries has answered.")
TAKE_BACK_CHECK = 0.05   # seconds between two looks at whether the server takes the request back


class _Seed:
    """The pool's seed process (worker_main.seed) and the pipe to it, used by one thread at a time."""

    def __init__(self, pool: WorkerPool):
        from .worker_main import seed

        parent, child = multiprocessing.Pipe()
        self.process = context(pool.network).Process(
            target=seed, args=(child, pool.source, {"memory": pool.memory}), name=f"cpsgraph-{pool.label}-seed",
            daemon=True)
        start_in_keeper(self.process.start)
        child.close()
        self.conn, self.lock = parent, threading.Lock()
        self.loaded = False   # it loads while the caller goes on (WorkerPool.begin); the first fork waits

    def _await_loaded(self) -> None:
        """Wait (under the lock) until the seed has loaded the store. Raises ConfigError if it cannot."""
        if self.loaded:
            return
        await_loaded(self.conn, self.close)
        self.loaded = True

    def alive(self) -> bool:
        return self.process.is_alive()

    def fork(self) -> tuple[Connection, int]:
        """A new worker: its pipe and pid. Raises OSError (or EOFError) when the seed has gone."""
        with self.lock:
            self._await_loaded()
            self.conn.send(("fork", None))
            if not self.conn.poll(START_TIMEOUT):
                raise OSError("the seed did not fork a worker")
            _, pid = self.conn.recv()
            return Connection(reduction.recv_handle(self.conn)), pid

    def status(self, pid: int) -> int | None:
        """The exit code of worker `pid` once it has ended (and the seed has collected it), else None."""
        with self.lock:
            try:
                self.conn.send(("status", pid))
                return self.conn.recv() if self.conn.poll(5) else None
            except (EOFError, OSError):   # the seed has gone, and its workers with it (PR_SET_PDEATHSIG)
                return -signal.SIGKILL

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class _Forked:
    """A worker forked by the seed: what the pool uses of a multiprocessing.Process."""

    def __init__(self, seed: _Seed, pid: int):
        self.seed, self.pid, self._code = seed, pid, None

    @property
    def exitcode(self) -> int | None:
        if self._code is None:
            self._code = self.seed.status(self.pid)
        return self._code

    def is_alive(self) -> bool:
        return self.exitcode is None

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def join(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (5.0 if timeout is None else timeout)
        while self.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.005)


def _timed_out(timeout: float) -> QueryTimeout:
    return QueryTimeout(_TIMED_OUT.format(timeout=timeout), key="limit.time", values={"limit": f"{timeout:g}"})


def _taken_back(timeout: float) -> QueryTakenBack:
    return QueryTakenBack(_TAKEN_BACK, retry_after=max(1, round(timeout)), key="busy.taken-back")


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
    ceiling: int | None = None    # bytes of resident memory past which the watchdog kills it
    base: int | None = None       # its resident memory once it had loaded its store
    resident: int | None = None   # its resident memory when the watchdog last looked
    looked: float = 0.0           # time.monotonic() of that look
    over_budget: bool = False     # the watchdog killed it for the memory budget of all workers (upkeep.py)
    exceeded: int | None = None   # its resident memory when the watchdog killed it for that
    ready: bool = False           # it has loaded its store
    dead: bool = False            # the watchdog saw it gone (killed from outside, crashed while idle)
    closed: bool = False          # its pipe is closed (WorkerPool._kill)


class WorkerPool:
    """A fixed number of workers over one store `source` (see worker_main.open_source). Started on first use.
    `memory_mb`: how far a worker may grow over its loaded data while it answers (0: no ceiling); `network`:
    whether the workers may open network connections (only for an allow-listed SERVICE)."""

    def __init__(self, source: dict, size: int = 2, *, label: str = "query", memory_mb: int = 0,
                 network: bool = False, budget: upkeep.MemoryBudget | None = None):
        self.source = source
        self.size = max(1, int(size))
        self.label = label
        self.memory = max(0, int(memory_mb)) * MIB
        self.network = bool(network)
        self.budget = budget   # the memory budget this pool's workers share with others' (upkeep.MemoryBudget)
        if budget is not None:
            budget.join(self)
        self.problem: str | None = None       # why workers cannot start, while they cannot
        self.isolation: list[str] | None = None
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._closing = threading.Event()
        self._wake = threading.Event()       # a worker is gone: the refill thread starts another
        self._workers: set[_Worker] = set()
        self._lock_conns = threading.Lock()
        self._seed: _Seed | None = None

    def begin(self) -> None:
        """Start the seed now and do not wait for it: it loads the store while this process goes on (the server
        calls this before it imports the rest of the web app); start() then forks the first worker from it."""
        with self._lock:
            if not (self._started or self._closed or self._seed is not None):
                self._seed = _Seed(self)

    def start(self, *, first_only: bool = False) -> None:
        """Start the workers and wait until they have loaded their store: every worker, or with `first_only`
        (the server's first start, when nothing else serves yet) only the first: the pool answers from then on
        and the refill thread starts the others one after another (each loads with the CPU the web process
        leaves, never all at once: on two cores twelve workers loading together kept the first one from
        answering for as long as all twelve took). Raises ConfigError if one cannot: then none is left running."""
        with self._lock:
            if self._started:
                return
            if self._closed:
                raise StoreUnavailable("The store has been closed.", key="store.closed")
            workers: list[_Worker] = []
            try:
                for _ in range(1 if first_only else self.size):
                    workers.append(self._launch())
                for worker in workers:
                    self._await_ready(worker)
            except ConfigError:
                for worker in workers:
                    self._kill(worker)
                raise
            for worker in workers:
                self._idle.put(worker)
            self._started = True
            if len(workers) < self.size:
                self._wake.set()         # the refill thread starts the missing ones at once
            upkeep.start_threads(self)

    def call(self, op: str, args: dict, timeout: float, *, budget=None):
        """Run one operation in an idle worker. Raises QueryTimeout when it runs past `timeout` seconds (the
        worker is killed), StoreUnavailable when no worker frees up in time or one dies,
        QuerySyntaxError for a query the engine cannot parse, QueryMemoryExceeded past the memory ceiling. An
        Answer arrives in a spooled file counted against `budget` (answer.Budget; ServiceSaturated when it is
        full)."""
        self.start()
        started = time.monotonic()
        worker = self._take(timeout)
        deadline = started + timeout
        take_back = TAKE_BACK.get()

        def wait() -> bool:  # whether the worker's next message arrives before the deadline (and no take-back)
            if take_back is None:
                return worker.conn.poll(max(0.05, deadline - time.monotonic()))
            while not take_back.is_set():
                last = deadline - time.monotonic() <= TAKE_BACK_CHECK
                if worker.conn.poll(TAKE_BACK_CHECK):
                    return True
                if last:
                    return False
            return False

        def stopped() -> CpsError:  # the worker did not answer in time, or the server took the request back
            self._replace(worker)
            return _taken_back(timeout) if take_back is not None and take_back.is_set() else _timed_out(timeout)

        if take_back is not None and take_back.is_set():  # taken back while it waited for a worker: nothing ran
            self._idle.put(worker)
            raise _taken_back(timeout)
        try:
            worker.conn.send((op, args, 2 * timeout + 5))
            if not wait():
                raise stopped()
            status, payload, *pieces = worker.conn.recv()
            if status == "answer":  # the bytes follow in pieces, into a spooled file (answer.receive_answer)
                try:
                    payload = receive_answer(worker.conn, payload, pieces[0], wait, budget)
                except TimeoutError:
                    raise stopped() from None
                except (ServiceSaturated, TooManyRequests):  # the budget of answers held (answer.Budget)
                    self._idle.put(worker)  # the rest of the answer was read: the worker is ready again
                    raise
                status = "ok"
        except (EOFError, OSError) as error:
            raise self._stopped(worker, op, error) from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload, key="engine.syntax", engine=payload)
        raise RuntimeError(payload)

    def close(self) -> None:
        """Kill every worker. Safe to call twice."""
        with self._lock:
            self._closed = True
            self._closing.set()
            self._wake.set()
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            self._kill(worker)
        if self._seed is not None:
            self._seed.close()

    def pids(self) -> list[int]:
        """The workers' process ids (not the seed's)."""
        return [w.process.pid for w in list(self._workers)]

    def loaded(self) -> int:
        """How many workers have loaded their store (at the server's start the pool answers from the first,
        the others follow: /readyz says how many)."""
        return sum(1 for w in list(self._workers) if w.ready and not w.dead)

    def seed_pid(self) -> int | None:
        seed = self._seed
        return seed.process.pid if seed is not None else None

    def _take(self, timeout: float) -> _Worker:
        """An idle worker, waiting up to `timeout` s. Raises StoreUnavailable at once when the pool has no worker
        because none can start, and after `timeout` when every worker stays busy."""
        deadline = time.monotonic() + timeout
        while True:
            if self.problem and not self._workers:
                raise StoreUnavailable(f"No query worker is running: {self.problem} The service keeps trying to "
                                       "start them and recovers by itself once they can load the data.",
                                       key="store.no-worker")
            try:
                worker = self._idle.get(timeout=max(0.0, min(0.25, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() < deadline:
                    continue
                raise StoreUnavailable(f"All {self.size} query workers stayed busy for {timeout:g} s; "
                                       "try again in a moment.", key="busy.workers",
                                       values={"size": self.size, "wait": f"{timeout:g}"}) from None
            if not worker.dead and worker in self._workers:
                return worker
            self._kill(worker)  # died while idle: the refill thread is already starting another

    def _stopped(self, worker: _Worker, op: str, error: Exception) -> CpsError:
        """The error for a request whose worker stopped under it; the worker is replaced."""
        self._replace(worker)
        code = worker.process.exitcode  # -11: the engine overflowed its stack; -24: it used up its CPU budget
        if worker.over_budget:
            log.warning("query worker %s stopped for the memory budget of all workers on a %s request (%d MiB "
                        "resident)", worker.process.pid, op, worker.exceeded // MIB)
            return QueryMemoryExceeded(
                f"The queries running at once needed more memory together than the {self.budget.limit // MIB} MiB "
                "the service gives all of them, and this one, the largest, was stopped. Try again in a moment, or "
                "narrow its patterns, sort or group fewer solutions, or add a LIMIT; the operator sets the budget "
                "(CPS_QUERY_MEMORY_TOTAL).", key="limit.memory-total", values={"limit": self.budget.limit // MIB})
        if worker.exceeded or (self.memory and code == -signal.SIGABRT):  # SIGABRT: an allocation failed
            log.warning("query worker %s stopped at the memory ceiling on a %s request (%s)", worker.process.pid,
                        op, f"{worker.exceeded // MIB} MiB resident" if worker.exceeded else "an allocation failed")
            return QueryMemoryExceeded(
                f"The query needed more memory than the {self.memory // MIB} MiB a query may use and was "
                "stopped. Narrow its patterns, sort or group fewer solutions, or add a LIMIT; the operator "
                "sets the limit (CPS_QUERY_MEMORY). Other requests are not affected.", key="limit.memory",
                values={"limit": self.memory // MIB})
        log.error("query worker %s died (exit code %s) on a %s request: %s", worker.process.pid, code, op, error)
        return StoreUnavailable(f"The query worker stopped while answering this request (exit code {code}); "
                                "if this query keeps failing, simplify it. Other requests are not affected.",
                                key="store.worker-stopped", values={"code": str(code)})

    def _launch(self) -> _Worker:
        """A new worker forked from the seed (started first, loading the store, if there is none or it died).
        Raises ConfigError when the seed cannot load the store."""
        for attempt in (1, 2):
            seed = self._seed
            if seed is None or not seed.alive():
                if seed is not None:
                    seed.close()
                self._seed = None
                if self._closed:
                    raise StoreUnavailable("The store has been closed.", key="store.closed")
                seed = _Seed(self)
                if self._closed:   # closed while the seed loaded
                    seed.close()
                    raise StoreUnavailable("The store has been closed.", key="store.closed")
                self._seed = seed
            try:
                conn, pid = seed.fork()
                break
            except (EOFError, OSError):
                if attempt == 2:
                    raise
                seed.close()   # gone between the look and the fork: once more, with a new seed
        worker = _Worker(_Forked(seed, pid), conn)
        self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        """Wait until `worker` has loaded its store and set its memory ceiling. Raises ConfigError if it cannot."""
        message = await_loaded(worker.conn, lambda: self._kill(worker))
        worker.ready = True
        worker.base = upkeep.resident_bytes(worker.process.pid)
        if self.memory and worker.base is not None:
            worker.ceiling = worker.base + self.memory
        if self.isolation is None:
            self.isolation = list(message.get("isolation", []))
            upkeep.report_isolation(self, message)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._wake.set()

    def _kill(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        self._wake.set()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        with self._lock_conns:   # close() and the refill thread awaiting the same worker may both let it go:
            if not worker.closed:   # its pipe is closed once (twice could close a descriptor reused since)
                worker.closed = True
                worker.conn.close()


def await_loaded(conn, give_up):
    """Wait for a starting process's word that its store is loaded (the seed's or a worker's); on silence past
    START_TIMEOUT or a failure, call `give_up` (which stops it) and raise ConfigError. Returns its message."""
    if not conn.poll(START_TIMEOUT):
        give_up()
        raise ConfigError(f"A query worker did not load its store within {START_TIMEOUT:g} s.")
    try:
        status, message = conn.recv()
    except (EOFError, OSError):
        status, message = "failed", "the worker exited while loading"
    if status != "ready":
        give_up()
        raise ConfigError(f"The store cannot be loaded: {message}")
    return message
