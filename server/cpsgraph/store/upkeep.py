"""Keeping a WorkerPool (workers.py) whole: two daemon threads per pool, started with it, ended by its close().

- The watchdog looks at every worker each WATCH_SECONDS (its /proc entry: no system call on the worker, no
  lock it could hold): a worker past its memory ceiling is killed (the request it was answering then fails
  with QueryMemoryExceeded), one that died while idle is let go so that it is replaced.
- The same look enforces the memory budget of all the pools of the process together (MemoryBudget, the setting
  QUERY_MEMORY_TOTAL): when their workers have grown past it over their loaded data, the one that grew most is
  killed (its request fails with QueryMemoryExceeded, naming the budget).
- The refill thread starts a worker whenever the pool has fewer than its size, one at a time. While they
  cannot start (a damaged or missing data file), it retries after BACKOFF_FIRST s, doubling up to BACKOFF_MAX,
  and the pool's `problem` says why; the first worker that starts clears it.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import weakref

log = logging.getLogger("cpsgraph.store.workers")
WATCH_SECONDS = 0.05      # how often the watchdog looks (a query grows by at most ~40 MB between two looks)
IDLE_WATCH_SECONDS = 0.5  # without a memory ceiling, it only looks for workers that died
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 30.0
HAVE_PROC = os.path.isdir("/proc/self")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class MemoryBudget:
    """One budget of memory growth for every worker of every pool that shares it (WorkerPool's `budget`)."""

    def __init__(self, limit: int):
        self.limit = max(0, int(limit))   # bytes; 0: none
        self._pools: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()

    def join(self, pool) -> None:
        self._pools.add(pool)

    def enforce(self) -> None:
        """Kill the worker that grew most while the workers together are over the limit (one per look: the
        next look sees whether that was enough)."""
        if not self.limit:
            return
        with self._lock:
            grown = [(worker.resident - worker.base, worker) for pool in list(self._pools) if not pool._closed
                     for worker in list(pool._workers)
                     if worker.ready and worker.exceeded is None and worker.resident and worker.base is not None]
            if sum(max(0, growth) for growth, _ in grown) <= self.limit:
                return
            growth, worker = max(grown, key=lambda pair: pair[0])
            worker.exceeded, worker.over_budget = worker.resident, True
            log.warning("query workers over their memory budget of %d MiB together: stopping worker %s (%d MiB "
                        "over its data)", self.limit >> 20, worker.process.pid, growth >> 20)
            try:
                os.kill(worker.process.pid, signal.SIGKILL)
            except OSError:
                pass


_shared: MemoryBudget | None = None
_shared_lock = threading.Lock()


def shared_budget(limit: int) -> MemoryBudget:
    """The process's one memory budget, shared by every pool of every store (and by the apps beside each other
    during a reload); its limit is the last one given."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MemoryBudget(limit)
        else:
            _shared.limit = max(0, int(limit))
        return _shared


def machine_memory() -> int | None:
    """Bytes of memory of this machine (MemTotal), or of its cgroup when that is lower; None when unknown."""
    found = []
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as limit:
                value = limit.read().strip()
        except OSError:
            continue
        if value.isdigit() and int(value) < (1 << 60):
            found.append(int(value))
    return min(found) if found else None


def budget_bytes(setting) -> int:
    """QUERY_MEMORY_TOTAL in bytes: `auto` is half of machine_memory() (none when that is unknown), else MiB."""
    from ..errors import ConfigError

    text = str(setting).strip().lower()
    if text == "auto":
        memory = machine_memory()
        return memory // 2 if memory else 0
    try:
        mib = int(text)
    except ValueError:
        mib = -1
    if mib < 0:
        raise ConfigError(f"CPS_QUERY_MEMORY_TOTAL: {str(setting)[:40]!r} is neither `auto` nor a number of MiB "
                          "(0: no budget).")
    return mib << 20


def start_threads(pool) -> None:
    """The refill thread, and the watchdog where there is a /proc to read (elsewhere RLIMIT_AS alone holds)."""
    for target, role in ((_refill, "refill"), (_watch, "watchdog"))[:2 if HAVE_PROC else 1]:
        threading.Thread(target=target, args=(pool,), name=f"cpsgraph-{pool.label}-{role}", daemon=True).start()


def resident_bytes(pid: int) -> int | None:
    """The resident memory of a live process, None when it is gone (or a zombie) or there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            if stat.read().rpartition(b")")[2].split()[0] == b"Z":
                return None
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


def _watch(pool) -> None:
    period = WATCH_SECONDS if pool.memory or (pool.budget is not None and pool.budget.limit) else IDLE_WATCH_SECONDS
    while not pool._closing.wait(period):
        now = time.monotonic()
        with pool._idle.mutex:
            idle = set(pool._idle.queue)
        for worker in list(pool._workers):
            if not worker.ready:            # still loading its store
                continue
            if worker in idle and now - worker.looked < IDLE_WATCH_SECONDS:
                continue   # an idle worker does not grow: looked at for its life only (12 workers, 20 looks a second
                #            each, were 4% of the web process's busy time under uncached queries; py-spy)
            worker.looked = now
            resident = worker.resident = resident_bytes(worker.process.pid)
            if resident is None:
                _let_go(pool, worker)
            elif worker.ceiling is not None and resident > worker.ceiling:
                worker.exceeded = resident
                try:
                    os.kill(worker.process.pid, signal.SIGKILL)
                except OSError:
                    pass
        if pool.budget is not None:
            pool.budget.enforce()


def _let_go(pool, worker) -> None:
    """A worker that is gone: out of the pool (its pipe is closed by whoever takes it next), and replaced."""
    worker.dead = True
    pool._workers.discard(worker)
    pool._wake.set()


def _refill(pool) -> None:
    delay = BACKOFF_FIRST
    while not pool._closed:
        pool._wake.wait(1.0)
        pool._wake.clear()
        while not pool._closed and len(pool._workers) < pool.size:
            try:
                worker = pool._launch()
                pool._await_ready(worker)
            except Exception as error:  # noqa: BLE001 - whatever stops a worker from starting is retried
                if pool._closed:
                    return
                reason = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
                if pool.problem != reason:
                    log.error("cannot start a %s worker, retrying with back-off: %s", pool.label, reason)
                pool.problem = reason
                if pool._closing.wait(delay):
                    return
                delay = min(BACKOFF_MAX, delay * 2)
                continue
            if pool.problem:
                log.info("%s workers start again", pool.label)
            pool.problem, delay = None, BACKOFF_FIRST
            if pool._closed:
                pool._kill(worker)
                return
            pool._idle.put(worker)


def report_isolation(pool, ready: dict) -> None:
    """Log once per pool whether its workers can reach the network (see isolation.py)."""
    applied, problems = ready.get("isolation", []), ready.get("problems", [])
    if pool.network:
        log.info("%s workers may open network connections: the SERVICE allow-list needs them", pool.label)
    elif applied:
        log.info("%s workers cannot open network connections (%s)", pool.label, ", ".join(applied))
    else:
        log.warning("%s workers CAN open network connections: neither a network namespace nor a seccomp filter "
                    "could be applied (%s); the query gate is the only defence", pool.label,
                    "; ".join(problems) or "not Linux")
