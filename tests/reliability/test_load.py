"""Load: concurrent clients drive the real server (`cpsgraph serve`) for a bounded time with a realistic mix of
SPARQLWrapper queries (the example queries of queries/), API pages, Graph Store and dump downloads, the Service
Description and, when the browser is there, its pages. Zero errors, and the service answers promptly after.
Meanwhile one client sends a cross product of the whole graph: it is stopped at the time limit (503) and the
others are not held up: their latency while it runs is measured and bounded."""

from __future__ import annotations

import os
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from cpsgraph.store.run import resolve_query
from reliability_helpers import CROSS_PRODUCT, ROOT, descendants

LOAD_SECONDS = float(os.environ.get("CPS_LOAD_SECONDS", "15"))
CLIENTS = 6
PATHOLOGICAL_AT = 4.0      # seconds into the run
TIME_LIMIT = 2.0           # the live server's CPS_QUERY_TIMEOUT


@dataclass
class Sample:
    kind: str
    started: float
    ended: float
    ok: bool
    detail: str = ""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def sparql_request(url: str, text: str, post: bool):
    def send():
        sparql = SPARQLWrapper(url)
        sparql.setQuery(text)
        sparql.setReturnFormat(JSON)
        if post:
            sparql.setMethod(POST)
        document = sparql.queryAndConvert()
        assert "results" in document or "boolean" in document
    return send


def http_request(url: str, accept: str = "*/*"):
    def send():
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as answer:
            assert answer.status == 200 and answer.read()
    return send


def request_mix(base: str, browser: bool) -> dict[str, list]:
    """The kinds of request and, for each, the requests a client picks from."""
    texts = {path.stem: resolve_query(path.stem, ROOT / "queries") for path in sorted((ROOT / "queries").glob("*.rq"))
             if not path.stem.endswith("-violation")}
    sparql = [sparql_request(base + "/sparql", text, post=i % 2 == 1) for i, text in enumerate(texts.values())]
    api = [http_request(f"{base}/api/queries/{name}?per_page=50") for name in list(texts)[:12]]
    api.append(http_request(base + "/api/queries"))
    data = [http_request(base + "/store?graph=" + quote("https://w3id.org/cps-lac/graph/ontology", safe=""),
                         "text/turtle"),
            http_request(base + "/sparql", "text/turtle"), http_request(base + "/readyz"),
            http_request(base + "/dumps/cps-lac.ttl")]
    mix = {"sparql": sparql, "api": api, "data": data}
    if browser:
        mix["pages"] = [http_request(base + path, "text/html") for path in (
            "/", "/persons", "/organizations", "/search?q=ambiente", "/page/person/graciela-scavone",
            "/page/organization/pnuma", "/network/person/graciela-scavone.json", "/dumps")]
    return mix


WEIGHTS = {"sparql": 5, "api": 2, "data": 1, "pages": 2}


def client_loop(mix: dict, until: float, samples: list, seed: int) -> None:
    chooser = random.Random(seed)
    kinds = [kind for kind in mix for _ in range(WEIGHTS[kind])]
    while time.monotonic() < until:
        kind = chooser.choice(kinds)
        send = chooser.choice(mix[kind])
        started = time.monotonic()
        try:
            send()
            samples.append(Sample(kind, started, time.monotonic(), True))
        except Exception as error:  # every failure is counted and shown below
            samples.append(Sample(kind, started, time.monotonic(), False, repr(error)[:300]))


def pathological(url: str, outcome: dict) -> None:
    time.sleep(PATHOLOGICAL_AT)
    outcome["started"] = time.monotonic()
    try:
        sparql_request(url, CROSS_PRODUCT, post=False)()
        outcome["status"] = 200
    except urllib.error.HTTPError as error:
        outcome["status"], outcome["body"] = error.code, error.read().decode()
    except Exception as error:  # SPARQLWrapper wraps some statuses in its own exceptions
        outcome["status"], outcome["body"] = type(error).__name__, str(error)
    outcome["ended"] = time.monotonic()


def browser_answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/persons", timeout=30) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Sending Accept header")  # SPARQLWrapper's guess of a form from a comment
def test_concurrent_clients_get_every_answer_and_a_cross_product_is_cut_without_holding_them_up(live, figures):
    browser = browser_answers(live.base)
    mix = request_mix(live.base, browser)
    for kind in mix:          # warm up once (and fail early, with the reason, if a request is broken)
        for send in mix[kind]:
            send()
    workers_before = descendants(live.process.pid)
    samples: list[Sample] = []
    outcome: dict = {}
    started = time.monotonic()
    until = started + LOAD_SECONDS
    threads = [threading.Thread(target=client_loop, args=(mix, until, samples, seed)) for seed in range(CLIENTS)]
    threads.append(threading.Thread(target=pathological, args=(live.sparql, outcome)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    after_started = time.monotonic()
    http_request(live.sparql + "?query=" + quote("ASK { ?s ?p ?o }"))()
    after = time.monotonic() - after_started

    failures = [s for s in samples if not s.ok]
    latencies = [s.seconds for s in samples]
    during = [s.seconds for s in samples if s.ended > outcome["started"] and s.started < outcome["ended"]]
    figures.record("load.duration", elapsed)
    figures.record("load.clients", CLIENTS)
    figures.record("load.requests", len(samples))
    figures.record("load.errors", len(failures))
    figures.record("load.throughput", len(samples) / elapsed)
    figures.record("load.latency_p50", percentile(latencies, 0.5) * 1000)
    figures.record("load.latency_p95", percentile(latencies, 0.95) * 1000)
    figures.record("load.latency_max", max(latencies) * 1000)
    figures.record("load.browser_pages", len(mix.get("pages", [])))
    figures.record("load.pathological_status", outcome["status"])
    figures.record("load.pathological_seconds", outcome["ended"] - outcome["started"])
    figures.record("load.time_limit", TIME_LIMIT)
    figures.record("load.during_p50", percentile(during, 0.5) * 1000)
    figures.record("load.during_p95", percentile(during, 0.95) * 1000)
    figures.record("load.during_max", max(during, default=0) * 1000)
    figures.record("load.during_requests", len(during))
    figures.record("load.after_ms", after * 1000)

    assert not failures, f"{len(failures)} of {len(samples)} requests failed, e.g. {failures[:3]}"
    assert len(samples) > 10 * CLIENTS
    assert outcome["status"] == 503 and "time limit" in outcome["body"], outcome
    assert TIME_LIMIT - 0.2 < outcome["ended"] - outcome["started"] < TIME_LIMIT + 3
    # The others kept being answered while it ran, and none waited for it: one query worker stayed free.
    assert len(during) >= CLIENTS and max(during) < TIME_LIMIT and percentile(during, 0.5) < 0.5
    assert after < 1.0
    time.sleep(0.5)
    assert len(descendants(live.process.pid)) == len(workers_before)    # the killed worker was replaced
    logged = live.access_records()
    cut = [r for r in logged if r["status"] == 503]
    assert cut and cut[-1]["query_ms"] >= (TIME_LIMIT - 0.2) * 1000
    assert sum(1 for r in logged if r["status"] == 200) >= len(samples)   # one line per request answered
