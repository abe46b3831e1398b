"""Two replicas behind nginx, as deploy/ configures them (issue 16, item 5; docs/scaling.md): two `cpsgraph
serve` processes started with the systemd unit's command and environment, and Debian's nginx (installed by
`make test`) running deploy/nginx/cpsgraph.conf on loopback ports. nginx spreads the requests over both, caches
only what the service's own headers allow, never caches the operator's requests, and a new release rolled from
one replica to the next (the unit's reload signal) never mixes two releases within one answer or page: every
answer says its release (`X-Release`), and its body is that release's. The throughput figures are the
benchmark's (bench/replicas.py, which starts the same processes)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.replicas import Process, port_of, reload_signal, start_nginx, start_replica, stop
from endpoint_helpers import TOKEN

PNUMA = "/page/organization/pnuma"
LABEL = "United Nations Environment Programme"
MARK = " [test release]"   # what the new release adds to that label (a copy of the tables: test data only)
LABEL_QUERY = ("SELECT ?l WHERE { <https://w3id.org/cps-lac/id/organization/pnuma> "
               "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = 'en') }")
ASKED = {   # kind: (path, Accept), each answer naming pnuma's label, or (/dumps) the release's digest
    "query": ("/sparql?" + urllib.parse.urlencode({"query": LABEL_QUERY}), "application/sparql-results+json"),
    "page": (PNUMA, "text/html"),
    "api": ("/api/queries/who-represented-whom", "application/json"),
    "dataset": ("/dumps", "text/html"),
}
SHARED_CACHE = re.compile(r"\b(no-store|no-cache|private)\b")
FROM_CACHE = ("HIT", "STALE", "UPDATING", "REVALIDATED")


def asked(kind: str, n: int) -> tuple[str, str]:
    """The n-th request of a kind during the roll: the query and the page at a URL of their own each time (so
    that nginx's cache, which may keep an answer for minutes, cannot hide which replica answered), the API and
    the dataset page at one URL (answered from the cache once it holds them: a cached answer too must be one
    release's, headers and body)."""
    path, accept = ASKED[kind]
    if kind == "query":
        path += urllib.parse.quote(f" # {n}")
    elif kind == "page":
        path += f"?n={n}"
    return path, accept


@dataclass
class Site:
    builds: Path
    replicas: list[Process]
    nginx: Process


@pytest.fixture(scope="module")
def site(tmp_path_factory, build_dir):
    """Two replicas on a build directory of their own (a copy of the session's: the roll adds a release to
    it) behind nginx, the cache on."""
    root = tmp_path_factory.mktemp("replicas")
    builds = root / "build"
    shutil.copytree(build_dir, builds, symlinks=True)
    started: list[Process] = []
    try:
        for _ in range(2):
            started.append(start_replica(root, builds, QUERY_WORKERS=2, OPERATOR_TOKEN=TOKEN, QUERY_TIMEOUT=10))
        nginx = start_nginx(root / "nginx", [port_of(r) for r in started])
        started.append(nginx)
        yield Site(builds, started[:2], nginx)
    finally:
        for process in reversed(started):
            stop(process)


def get(url: str, path: str, accept: str = "*/*", headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url + path, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def served_release(replica: Process) -> str | None:
    return json.loads(get(replica.url, "/readyz")[2]).get("release")


def test_nginx_spreads_requests_over_both_replicas(site):
    """Requests through nginx reach both replicas: each replica's access log holds some of their ids."""
    ids = [f"balance-{n}" for n in range(12)]
    for request_id in ids:
        assert get(site.nginx.url, "/healthz", headers={"X-Request-Id": request_id})[0] == 200
    time.sleep(0.5)   # the access log line is written after the answer
    logs = [replica.log.read_text(errors="replace") for replica in site.replicas]
    answered = [sum(f'"request_id": "{request_id}"' in log for request_id in ids) for log in logs]
    assert sum(answered) == len(ids) and all(answered), answered


@pytest.mark.parametrize("kind", sorted(ASKED))
def test_nginx_caches_only_what_the_service_headers_allow(site, kind):
    """The same GET twice: from nginx's cache the second time exactly when the answer's own Cache-Control
    lets a shared cache keep it (nothing in the nginx configuration gives an answer a lifetime)."""
    path, accept = ASKED[kind]
    first = get(site.nginx.url, path, accept)
    second = get(site.nginx.url, path, accept)
    assert first[0] == second[0] == 200
    control = first[1].get("Cache-Control", "")
    shareable = bool(re.search(r"\b(s-maxage|max-age)=[1-9]", control)) and not SHARED_CACHE.search(control)
    assert (second[1].get("X-Cache-Status") == "HIT") == shareable, (control, second[1].get("X-Cache-Status"))
    assert second[2] == first[2] and second[1].get("X-Release") == first[1].get("X-Release")


def test_the_operators_requests_are_never_cached(site):
    """With the bearer token the restricted graph is served; nginx neither answers that request from its cache
    nor keeps the answer for the next request without the token, which gets the public 404."""
    path = "/store?" + urllib.parse.urlencode({"graph": "https://w3id.org/cps-lac/graph/restricted"})
    for _ in range(2):
        status, headers, body = get(site.nginx.url, path, "application/n-triples",
                                    {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200 and body and headers.get("X-Cache-Status") == "BYPASS", (status, headers)
    assert get(site.nginx.url, path, "application/n-triples")[0] == 404


def release_of(kind: str, body: bytes, releases: tuple[str, str]) -> str | None:
    """Which release a body comes from: the digest the dataset page names, or whether pnuma's label carries
    the new release's mark; None when the body shows neither (or both)."""
    text = body.decode("utf-8", "replace")
    if kind == "dataset":
        named = [release for release in releases if release in text]
        return named[0] if len(named) == 1 else None
    if LABEL not in text:
        return None
    return releases[1] if LABEL + MARK in text else releases[0]


def test_a_release_rolled_replica_by_replica_never_mixes_releases_within_an_answer(site, data_copy, build_from):
    """A new build, then each replica reloaded in turn (the unit's ExecReload signal), while clients ask
    through nginx for a query, a page, the API and the dataset page: no request fails, every answer's body is
    the release its X-Release names, both releases are served while the roll goes on, and afterwards every
    answer that does not come from nginx's cache is the new release's."""
    old = served_release(site.replicas[0])
    assert old and served_release(site.replicas[1]) == old
    core = data_copy / "organizations" / "core.csv"
    core.write_text(core.read_text(encoding="utf-8").replace(f",{LABEL},", f",{LABEL}{MARK},", 1), encoding="utf-8")
    new = build_from(data_copy, site.builds).release.name
    assert new != old
    releases = (old, new)

    records: list[tuple] = []   # (time, kind, status, X-Release, the body's release, X-Cache-Status)
    counter = iter(range(10**9))
    done = threading.Event()

    def client(offset: int) -> None:
        parts = urllib.parse.urlsplit(site.nginx.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        kinds, turn = sorted(ASKED), offset
        while not done.is_set():
            kind = kinds[turn % len(kinds)]
            turn += 1
            path, accept = asked(kind, next(counter))
            try:
                connection.request("GET", path, headers={"Accept": accept})
                response = connection.getresponse()
                body = response.read()
                records.append((time.monotonic(), kind, response.status, response.getheader("X-Release"),
                                release_of(kind, body, releases), response.getheader("X-Cache-Status")))
            except (OSError, http.client.HTTPException) as error:
                records.append((time.monotonic(), kind, 0, None, repr(error), None))
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        for replica in site.replicas:
            os.kill(replica.process.pid, reload_signal())
            deadline = time.monotonic() + 120
            while served_release(replica) != new:
                assert time.monotonic() < deadline, f"{replica.name} did not reload:\n{replica.tail()}"
                time.sleep(0.2)
            time.sleep(1.5)   # one replica on each release: nginx sends requests to both
        rolled = time.monotonic()
        time.sleep(1.5)
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)

    assert len(records) > 20, records
    failed = [r for r in records if r[2] != 200]
    assert not failed, failed[:5]
    mixed = [r for r in records if r[3] not in releases or r[3] != r[4]]
    assert not mixed, mixed[:5]
    assert {r[3] for r in records} == set(releases)
    after = [r for r in records if r[0] > rolled + 0.5 and r[5] not in FROM_CACHE]
    assert after and all(r[3] == new for r in after), after[:5]


def test_a_replica_that_stops_leaves_the_other_answering(site):
    """One replica stops (SIGTERM, as `systemctl stop` sends it): every request through nginx is answered by
    the other one, none fails."""
    stop(site.replicas[1])
    statuses = [get(site.nginx.url, "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ ?s ?p {n} }}"}),
                    "application/sparql-results+json")[0] for n in range(12)]
    assert statuses == [200] * 12
