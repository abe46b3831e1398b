"""The real thing: `cpsgraph serve` (waitress) on a loopback port, queried with SPARQLWrapper as our users do.
Also: a pathological query is stopped at the time limit (its worker process killed) while other clients
are answered, and the server stops cleanly on SIGTERM, taking its workers with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from endpoint_helpers import ROOT, TOKEN, alive, descendants, free_port, stop, wait_until_up

PERSONS = "SELECT ?person WHERE { ?person a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?person"
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(url: str, query: str, fmt=JSON, method=None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(POST)
        if method == POSTDIRECTLY:
            sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json_by_get_and_post(live_server, method):
    rows = wrapper(live_server.url, PERSONS, JSON, method).queryAndConvert()["results"]["bindings"]
    assert len(rows) > 50 and all(row["person"]["type"] == "uri" for row in rows)


def test_sparqlwrapper_select_in_xml_csv_tsv(live_server):
    expected = [row["person"]["value"] for row in
                wrapper(live_server.url, PERSONS).queryAndConvert()["results"]["bindings"]]
    xml = wrapper(live_server.url, PERSONS, XML).queryAndConvert()
    assert [n.firstChild.firstChild.data for n in xml.getElementsByTagName("binding")] == expected
    csv_rows = wrapper(live_server.url, PERSONS, CSV).queryAndConvert().decode().splitlines()
    assert csv_rows[1:] == expected
    tsv_rows = wrapper(live_server.url, PERSONS, TSV).queryAndConvert().decode().splitlines()
    assert tsv_rows[1:] == [f"<{iri}>" for iri in expected]


def test_sparqlwrapper_ask_construct_describe(live_server):
    assert wrapper(live_server.url, "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }").queryAndConvert()["boolean"]
    construct = ("CONSTRUCT { ?p a <http://xmlns.com/foaf/0.1/Person> } "
                 "WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")
    for fmt in (TURTLE, XML, JSONLD):
        graph = wrapper(live_server.url, construct, fmt).queryAndConvert()
        if isinstance(graph, bytes):
            graph = Graph().parse(data=graph, format="turtle")
        assert len(graph) > 50, fmt
    described = wrapper(live_server.url, "DESCRIBE <https://w3id.org/cps-lac/id/country/AR>", TURTLE).queryAndConvert()
    assert b"Argentina" in described


def test_sparqlwrapper_sees_a_syntax_error_as_bad_query(live_server):
    with pytest.raises(QueryBadFormed) as raised:
        wrapper(live_server.url, "SELECT * WHERE { ?s ?p }").query()
    assert "1:" in str(raised.value)


def test_sparqlwrapper_with_the_operator_token(live_server):
    query = "ASK { GRAPH <https://w3id.org/cps-lac/graph/restricted> { ?s ?p ?o } }"
    public = wrapper(live_server.url, query)
    assert public.queryAndConvert()["boolean"] is False
    operator = wrapper(live_server.url, query)
    operator.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert operator.queryAndConvert()["boolean"] is True


def test_a_pathological_query_is_stopped_while_others_are_answered(live_server):
    workers_before = descendants(live_server.process.pid)
    outcome = {}

    def slow():
        started = time.monotonic()
        try:
            wrapper(live_server.url, PATHOLOGICAL).query()
            outcome["slow"] = "answered"
        except urllib.error.HTTPError as error:
            outcome["slow"] = (error.code, error.read().decode(), time.monotonic() - started)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    fast_times = []
    while thread.is_alive():   # other clients keep being answered while the slow query runs
        started = time.monotonic()
        assert wrapper(live_server.url, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True
        fast_times.append(time.monotonic() - started)
        time.sleep(0.2)
    thread.join()
    status, message, elapsed = outcome["slow"]
    assert status == 503 and "time limit" in message and "stopped" in message
    assert 1.5 < elapsed < 5
    assert fast_times and max(fast_times) < 1.0
    time.sleep(0.5)
    killed = [pid for pid in workers_before if not alive(pid)]
    assert len(killed) == 1                     # the worker that ran the slow query is gone: its CPU is freed
    assert len(descendants(live_server.process.pid)) == len(workers_before)   # and has been replaced


def test_serve_stops_cleanly_and_takes_its_workers(build_dir, tmp_path):
    port = free_port()
    data = tmp_path / "tiny.nt"
    data.write_text("<http://example.org/s> <http://example.org/p> \"tiny\" .\n")
    env = dict(os.environ, CPS_QUERY_WORKERS="2")
    process = subprocess.Popen([sys.executable, "-m", "cpsgraph.cli", "serve", "--data", str(data),
                                "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        wait_until_up(url, process)
        workers = descendants(process.pid)
        assert len(workers) >= 2
        answer = json.loads(urllib.request.urlopen(url + "?query=SELECT%20%3Fo%20%7B%3Fs%20%3Fp%20%3Fo%7D").read())
        assert answer["results"]["bindings"][0]["o"]["value"] == "tiny"
    finally:
        code = stop(process)
    assert code == 0, process.stderr.read()
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]


def test_serve_without_a_build_exits_2_with_advice(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cpsgraph.cli", "serve", "--port", str(free_port())],
                            env=dict(os.environ, CPS_BUILD_DIR=str(tmp_path)), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "cpsgraph build" in result.stderr


def test_waitress_answers_concurrent_clients(live_server):
    results, errors = [], []

    def client():
        try:
            results.append(len(wrapper(live_server.url, PERSONS).queryAndConvert()["results"]["bindings"]))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(results)) == 1 and len(results) == 12


@pytest.mark.slow
def test_a_killed_server_leaves_no_query_running(build_dir):
    """Even when the server is killed outright (no clean-up), a worker busy with a query dies on its own
    within its CPU budget (2 x the time limit + 5 s), enforced by the kernel (RLIMIT_CPU)."""
    port = free_port()
    env = dict(os.environ, CPS_BUILD_DIR=str(build_dir), CPS_QUERY_TIMEOUT="0.5", CPS_QUERY_WORKERS="1")
    process = subprocess.Popen([sys.executable, "-m", "cpsgraph.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(url, process)
        workers = descendants(process.pid)
        threading.Thread(target=lambda: wrapper(url, PATHOLOGICAL).query(), daemon=True).start()
        time.sleep(0.3)
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]
