"""Part 3: time to first byte of the browser pages, and of the path query, on a running server of ours.

The browser pages are being written as this harness is; which URL serves which page is not settled. So each
page has a list of candidate routes (PAGE_ROUTES; `{kind}`/`{id}`/`{iri}` are the most connected actor,
`{kind2}`/`{id2}`/`{iri2}` one of the least connected persons), tried in order with `Accept: text/html`; the first that answers 200 with HTML is measured, and a page none of them serves is
reported as not there yet, with the routes tried. When the routes settle, put the real one first.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

from . import client
from .stats import median, p95

PAGE_ROUTES = {
    "home": ["/"],
    "resource": ["/page/{kind}/{id}", "/id/{kind}/{id}"],
    "resource-other": ["/page/{kind2}/{id2}", "/id/{kind2}/{id2}"],
    "network": ["/network/{kind}/{id}", "/network?actor={iri}"],
    "path": ["/paths?from={kind}/{id}&to={kind2}/{id2}", "/network/path?from={iri}&to={iri2}"],
}
HTML = "text/html"


def _fill(route: str, iri: str, iri2: str) -> str:
    kind, ident = iri.split("/id/", 1)[1].split("/", 1)
    kind2, ident2 = iri2.split("/id/", 1)[1].split("/", 1)
    return route.format(kind=kind, id=ident, kind2=kind2, id2=ident2, iri=quote(iri, safe=""),
                        iri2=quote(iri2, safe=""))


def find_pages(sparql_url: str, actor: str, other: str, timeout: float = 300.0) -> dict[str, dict]:
    """page -> {"path": the route that serves it, "cold": seconds of that first request} or {"missing": the
    routes tried and what they answered}. The first request to a page may build what the server caches (the
    network, the entity index): its time is the cold start a first visitor waits."""
    parts = urlsplit(sparql_url)
    conn = client.Connection(f"{parts.scheme}://{parts.netloc}/", timeout)
    found = {}
    try:
        for page, routes in PAGE_ROUTES.items():
            tried = []
            for route in routes:
                path = _fill(route, actor, other)
                try:
                    answer = conn.request("GET", path, headers={"Accept": HTML})
                except (OSError, ValueError) as error:
                    tried.append(f"{path}: {type(error).__name__}")
                    continue
                if answer.status == 200 and answer.headers.get("Content-Type", "").startswith(HTML):
                    found[page] = {"path": path, "cold": answer.seconds}
                    break
                tried.append(f"{path}: {answer.status}")
            else:
                found[page] = {"missing": tried}
    finally:
        conn.close()
    return found


def time_page(base: str, path: str, *, runs: int, budget: float = 30.0, timeout: float = 300.0) -> dict:
    """Median and p95 time to first byte and to the last byte of GET `path`, over `runs` requests on one
    keep-alive connection (find_pages made the warm-up request), fewer when `budget` seconds run out
    (at least one)."""
    conn = client.Connection(base, timeout)
    first, whole, size, status = [], [], 0, 0
    deadline = time.perf_counter() + budget
    try:
        while len(first) < runs and (not first or time.perf_counter() < deadline):
            answer = conn.request("GET", path, headers={"Accept": HTML})
            first.append(answer.first_byte)
            whole.append(answer.seconds)
            size, status = len(answer.body), answer.status
    finally:
        conn.close()
    return {"ttfb": median(first), "ttfb_p95": p95(first), "total": median(whole), "bytes": size,
            "status": status, "n": len(first)}


def measure(sparql_url: str, actor: str, other: str, path_query: str, *, runs: int) -> dict:
    """Every page that exists, and the path query between `actor` and `other` over /sparql."""
    parts = urlsplit(sparql_url)
    base = f"{parts.scheme}://{parts.netloc}"
    pages = find_pages(sparql_url, actor, other)
    out = {"actor": actor, "other": other, "pages": {}}
    for page, where in pages.items():
        out["pages"][page] = time_page(base, where["path"], runs=runs) | where if "path" in where else where
    conn = client.Connection(sparql_url, 120.0)
    first, whole, rows = [], [], None
    deadline = time.perf_counter() + 30.0
    try:
        conn.query(path_query)
        while len(first) < runs and (not first or time.perf_counter() < deadline):
            answer = conn.query(path_query)
            first.append(answer.first_byte)
            whole.append(answer.seconds)
            rows = answer.result_size()
    finally:
        conn.close()
    out["path_query"] = {"ttfb": median(first), "ttfb_p95": p95(first), "total": median(whole), "rows": rows,
                         "n": runs}
    return out


def path_query_text(queries_dir, actor: str, other: str) -> str:
    """`path-between-actors` with its two ends bound (cpsgraph.queries.bind)."""
    from cpsgraph.queries import bind, find_query

    return bind(find_query("path-between-actors", queries_dir), {"from": actor, "to": other})[0]
