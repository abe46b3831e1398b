"""Operations: liveness (`/healthz`) and readiness (`/readyz`) for supervisors and load balancers, a request id
and one structured access-log line per request, and the headers every response gets.

Registered once in create_app; its hooks apply to the requests of every blueprint:

- the request id is the client's `X-Request-Id` when it is a plain token (letters, digits, `._:-`, at most
  128 characters), else a fresh one; it is echoed in the response's `X-Request-Id` and logged;
- a bearer token that is not the operator's is a 401 on every URL (see stores.bearer_token_holder);
- the access log (logger `cpsgraph.access`, INFO) gets one JSON object per request: time, request id,
  client, method, path, status, bytes, duration and, when the request ran queries, their count and time;
- an HTML response without a Content-Security-Policy of its own (the endpoint's pages, every error page)
  gets one that allows no script at all; the browser's pages set their own;
- every response of a service on a build says which release answered it (`X-Release`, the digest of
  `releases/<digest>`): a request is answered whole by one app, pinned to one release (web/serve.py), so the
  header is the release of every byte of the answer; replicas behind a load balancer roll from one release to
  the next one by one, and a client or a test can tell which answered (docs/scaling.md).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, g, has_request_context, request

from ..errors import RETRY_AFTER, CpsError
from .errors import public_message
from .processes import shard_of
from .stores import bearer_token_holder, stores

# app.extensions key: False while `cpsgraph serve` builds the browser's indexes in the background (serve.open_app,
# browser.warm_up), True once they are built (or left to first use); absent when nothing builds them so.
INDEXES_WARMED = "cpsgraph.indexes-warmed"
READY_COUNTS = "cpsgraph.ready-counts"   # app.extensions: the embedded store's graph_counts, counted once

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("cpsgraph.access")
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")   # anything else (CR, LF, quotes, spaces) is replaced, not echoed
READY_TIMEOUT = 2.0   # seconds a readiness probe waits for the store before it reports "not ready"
# The endpoint's pages and the error pages are in the site's layout: its style sheet and icon, no script at all.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
LIVE = {"status": "ok"}   # the liveness document
# Request ids: a random prefix per process and a counter (32 hex characters, like a uuid4's): unique across
# processes and replicas, without a uuid4's read of the kernel's random bytes per request (14% of the web
# process's CPU on a cached answer, measured with py-spy).
_ID_PREFIX, _ID_COUNTER = uuid.uuid4().hex[:16], itertools.count(1)


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"
# Triples per named graph, and (?g unbound) in the default graph, which is their union unless a store says otherwise.
WORKER_ANSWERS = "SELECT (1 AS ?one) WHERE {}"   # a worker answering, once the embedded store has been counted
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } GROUP BY ?g"


def graph_counts(rows: list[dict]) -> tuple[dict[str, int], int]:
    """GRAPH_COUNTS's rows as (named graph -> triples, triples of the union)."""
    return ({row["g"].value: int(row["n"].value) for row in rows if "g" in row},
            next((int(row["n"].value) for row in rows if "g" not in row), 0))


@bp.record_once
def _time_queries(state) -> None:
    """Every store of the app reports each query's time to the request that ran it."""
    wired = stores(state.app)
    for store in (wired.public, wired.restricted):
        if store is not None:
            store.on_query = _add_query_time


def _add_query_time(seconds: float) -> None:
    if has_request_context():
        g.cps_query_seconds = g.get("cps_query_seconds", 0.0) + seconds
        g.cps_queries = g.get("cps_queries", 0) + 1


@bp.before_app_request
def _begin() -> None:
    g.cps_started = time.perf_counter()
    given = request.headers.get("X-Request-Id", "")
    g.cps_request_id = given if REQUEST_ID.fullmatch(given) else new_request_id()
    bearer_token_holder()  # raises Unauthorized for a wrong token, whatever the URL


@bp.after_app_request
def _end(response: Response) -> Response:
    request_id = g.get("cps_request_id") or new_request_id()
    response.headers["X-Request-Id"] = request_id
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    release = stores().release
    if release is not None:
        response.headers["X-Release"] = release.name
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = PAGE_CSP
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(json.dumps(_access_record(response, request_id), ensure_ascii=True))
    return response


def access_line(*, request_id: str, remote, method: str, path: str, status: int, size, started) -> dict:
    """The fields every access-log line has (also written by the server's own liveness answer)."""
    return {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "request_id": request_id,
            "remote": remote, "method": method, "path": path, "status": status, "bytes": size,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None}


def _access_record(response: Response, request_id: str) -> dict:
    """One access-log line. JSON with ASCII escapes, so a path holding CR, LF or quotes stays on its line."""
    record = access_line(request_id=request_id, remote=request.remote_addr, method=request.method,
                         path=request.path, status=response.status_code, size=response.content_length,
                         started=g.get("cps_started"))
    if "cps_queries" in g:
        record["queries"] = g.cps_queries
        record["query_ms"] = round(g.cps_query_seconds * 1000, 2)
    if g.get("cps_authenticated"):
        record["bearer"] = True
    return record


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers HTTP. Never touches the store, so a slow store does not get it restarted.
    Under `cpsgraph serve` the server's I/O loop answers it before any request thread (web/httpserver.py)."""
    return _status(LIVE, 200)


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: the public store answers a count within READY_TIMEOUT and holds triples (and which build
    release it serves, and for the embedded store how many of its query workers have loaded the data). 503
    otherwise, with the reason (the remote store is down, every worker is busy, no worker can start, the store
    is empty). The embedded store is read-only per release, so it is counted once per app (the count took 0.6 s
    of a worker on every probe at a million triples, and would pass READY_TIMEOUT at ten); later probes ask a
    worker for one constant row. A remote store is counted on every probe: its data may change."""
    store = stores().public
    timeout = min(READY_TIMEOUT, store.timeout)
    counted = current_app.extensions.get(READY_COUNTS)   # one app per release: a reload counts its store again
    embedded = current_app.config["STORE"] == "embedded"
    if counted is None and embedded:
        counted = _release_counts()
    try:
        if counted is not None:
            store.select(WORKER_ANSWERS, timeout=timeout)
        else:
            counted = graph_counts(store.select(GRAPH_COUNTS, timeout=timeout))
        if embedded:
            current_app.extensions[READY_COUNTS] = counted
    except CpsError as error:
        return _status({"status": "not ready", "reason": public_message(error.message)}, 503)
    graphs, total = counted
    if not total:
        return _status({"status": "not ready", "reason": "The store holds no triples."}, 503)
    backend = "embedded" if current_app.config["STORE"] == "embedded" else "remote"
    release = stores().release   # the build release served (pinned at start-up or at the last reload)
    document = {"status": "ready", "store": backend, "triples": total, "graphs": graphs,
                "release": release.name if release is not None else None}
    pool = getattr(store, "pool", None)
    if pool is not None:   # ready from the first loaded worker on; the others load after it (workers.py)
        document["workers"] = {"loaded": pool.loaded(), "of": pool.size}
    index, processes = shard_of(current_app.config)
    if processes > 1:   # which of the HTTP processes on this port answered (web/processes.py)
        document["http_process"] = {"number": index + 1, "of": processes}
    warmed = current_app.extensions.get(INDEXES_WARMED)
    if warmed is not None:   # `cpsgraph serve` builds the browser's indexes while it already answers
        document["indexes"] = "built" if warmed else "building"
    return _status(document, 200)


def _release_counts() -> tuple[dict[str, int], int] | None:
    """The served build release's counts (its `counts` artefact: what the embedded store loads from it), or
    None (files given with --data, an older build): then the store is counted."""
    from ..artefacts import artefact_file

    path = artefact_file(stores().release, "counts")   # no release when serving --data files
    if path is None:
        return None
    counts = json.loads(path.read_text(encoding="utf-8"))
    return counts["graphs"], counts["triples"]


def _status(document: dict, status: int) -> Response:
    response = Response(json.dumps(document), status=status, content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
