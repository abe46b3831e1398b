"""Fair admission to a store's query workers: who may start a query now, who waits, who is told to come back.

A query cannot be paused once a worker runs it, so fairness is decided before: every store call takes a
slot first (`Admission.slot`), and there are never more slots than workers. Three rules:

- **A client's share.** One client (its address, see web/fairness.py for proxies) has at most
  `client_calls` calls in flight (CPS_CLIENT_QUERIES); one more waits for one of its own to end, and gets 429
  with `Retry-After` when none does within the admission wait.
- **Pages first.** `site_workers` of the workers (CPS_SITE_WORKERS; fewer in a pool of less than four, where
  the endpoint keeps two) are never given to the SPARQL endpoint (/sparql, /store, /dumps), so the browser's pages, the stored-query API and /readyz still find a worker
  when every /sparql client is busy.
- **Room for newcomers.** The last `newcomer_room(n)` of the endpoint's `n` workers (2 of 10) go only to a
  client that has no call in flight: however many queries the clients already served keep sending, a client
  arriving finds a worker at once (429 for the others past the admission wait).
- **Otherwise wait, briefly.** A call that finds no slot of its kind waits up to `wait` seconds
  (CPS_ADMISSION_WAIT) and then gets 503 with `Retry-After` (ServiceSaturated). Waiters of clients with fewer
  calls in flight are served first.

The web layer says who is calling through the context variable CALLER (one value per request thread); a
call without a caller (the command line, the server's own warm-up) is not counted. More workers than cores
is intended: the OS time-slices them, so a cheap query finishes in milliseconds beside expensive ones,
which only slow each other down (docs/decisions/0011-answers-and-fair-admission.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ..errors import ServiceSaturated, TooManyRequests

SPARQL, SITE = "sparql", "site"


@dataclass(frozen=True)
class Caller:
    client: str | None   # the client's address; None: not subject to a client's share (readiness probes)
    kind: str = SITE     # SPARQL (the endpoint, Graph Store, dumps) or SITE (pages, stored-query API, probes)


CALLER: ContextVar[Caller | None] = ContextVar("cpsgraph_caller", default=None)

# Set by the HTTP server (web/httpserver.FairDispatcher) for each endpoint request it may take back: when that
# request's client holds more than its fair part of the endpoint and a client holding none waits, the event is
# set, and a query worker running for the request stops it (workers.WorkerPool.call raises QueryTakenBack).
TAKE_BACK: ContextVar[threading.Event | None] = ContextVar("cpsgraph_take_back", default=None)


def sparql_workers(workers: int, site_workers: int) -> int:
    """How many of `workers` the SPARQL endpoint may take: all but `site_workers`, and two in any case (all, of a
    smaller pool), so one slow query never holds up every other /sparql client."""
    workers = max(1, int(workers))
    return max(min(workers, 2), workers - max(0, int(site_workers)))


def newcomer_room(slots: int) -> int:
    """Of `slots` the endpoint may use, how many are kept for clients that hold none yet (none of fewer than 4)."""
    return min(2, max(0, int(slots)) // 4)


class Admission:
    """Slots for `workers` concurrent calls, shared as the module's docstring says."""

    def __init__(self, workers: int, *, site_workers: int = 2, client_calls: int = 2, wait: float = 2.0,
                 retry_after: float = 10.0):
        self.workers = max(1, int(workers))
        self.sparql_workers = sparql_workers(self.workers, site_workers)
        self.room = newcomer_room(self.sparql_workers)
        self.client_calls = max(1, int(client_calls)) if client_calls else None
        self.wait = max(0.0, float(wait))
        self.retry_after = max(1, math.ceil(retry_after))
        self._lock = threading.Condition()
        self._busy = Counter()      # calls in flight by kind
        self._clients = Counter()   # calls in flight by client
        self._waiting = Counter()   # waiters by (kind, their client's calls in flight): the lightest go first

    @contextmanager
    def slot(self):
        caller = CALLER.get()
        if caller is None:
            yield
            return
        self._enter(caller)
        try:
            yield
        finally:
            self._leave(caller)

    def in_flight(self) -> dict:
        with self._lock:
            return {"calls": sum(self._busy.values()), **dict(self._busy), "clients": len(self._clients)}

    def _enter(self, caller: Caller) -> None:
        deadline = time.monotonic() + self.wait
        with self._lock:
            own = self._own(caller)
            self._waiting[caller.kind, own] += 1
            try:
                while (reason := self._blocked(caller, own)) is not None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._refusal(reason)
                    self._lock.wait(remaining)
                    self._waiting[caller.kind, own] -= 1
                    own = self._own(caller)
                    self._waiting[caller.kind, own] += 1
            finally:
                self._waiting[caller.kind, own] -= 1
            self._busy[caller.kind] += 1
            if caller.client is not None:
                self._clients[caller.client] += 1

    def _leave(self, caller: Caller) -> None:
        with self._lock:
            self._busy[caller.kind] -= 1
            if caller.client is not None:
                self._clients[caller.client] -= 1
                if not self._clients[caller.client]:
                    del self._clients[caller.client]
            self._lock.notify_all()

    def _own(self, caller: Caller) -> int:
        return self._clients[caller.client] if caller.client is not None else 0

    def _blocked(self, caller: Caller, own: int) -> str | None:
        if caller.client is not None and self.client_calls is not None and own >= self.client_calls:
            return "client"
        busy = sum(self._busy.values())
        if busy >= self.workers or (caller.kind == SPARQL and self._busy[SPARQL] >= self.sparql_workers):
            return "full"
        if caller.kind == SPARQL and own and self.sparql_workers - self._busy[SPARQL] <= self.room:
            return "fair"   # the last workers wait for a client that holds none
        if any(count for (kind, load), count in self._waiting.items() if kind == caller.kind and load < own):
            return "full"  # a lighter client is waiting for this slot: it goes first
        return None

    def _refusal(self, reason: str):
        if reason == "client":
            return TooManyRequests(
                f"This client already has {self.client_calls} queries running, its share of this service "
                f"(CPS_CLIENT_QUERIES); send the next one when one of them has answered.",
                retry_after=self.retry_after, key="busy.client-queries", values={"share": self.client_calls})
        if reason == "fair":
            return TooManyRequests(
                "The SPARQL endpoint is busy and its last free query workers are kept for clients that have no "
                f"query running; this client has, and this request waited {self.wait:g} s (CPS_ADMISSION_WAIT). "
                "Send it again when one of this client's queries has answered.", retry_after=self.retry_after,
                key="busy.fair-workers", values={"wait": f"{self.wait:g}"})
        return ServiceSaturated(
            f"Every query worker this request may use stayed busy for {self.wait:g} s (CPS_ADMISSION_WAIT); "
            "try again in a moment.", retry_after=min(self.retry_after, 2 + math.ceil(self.wait)),
            key="busy.request-workers", values={"wait": f"{self.wait:g}"})
