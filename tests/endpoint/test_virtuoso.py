"""The service in front of Virtuoso Open Source 7 (Debian's), published into by `publish`: what Virtuoso does
differently (digest authentication, a row limit, an update size limit, literals it rewrites) and how the
service copes. The comparisons with the embedded store run on every engine in test_remote_and_publish.py."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import urllib.parse
import urllib.request

from cpsgraph.cli import main
from endpoint_helpers import VIRTUOSO_USER, solutions, start_virtuoso, stop

BASE = "https://w3id.org/cps-lac/"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
DURATIONS_HELD = ("SELECT (STR(?d) AS ?f) WHERE { GRAPH <https://w3id.org/cps-lac/graph/data> { "
                  "?s <http://schema.org/repeatFrequency> ?d } }")


def urlopen_json(endpoint: str, query: str) -> bytes:
    """A query sent straight to the store, past the service."""
    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


@pytest.fixture(scope="module")
def durations(release) -> list[str]:
    """The xsd:duration literals of the public data (the schedules' frequencies: statements/schedules.csv)."""
    import pyoxigraph as ox

    found = [q.object.value for q in ox.parse(path=str(release / "public" / "cps-lac.nt"), format=ox.RdfFormat.N_TRIPLES)
             if isinstance(q.object, ox.Literal) and q.object.datatype.value == XSD_DURATION]
    assert found, "the data holds no xsd:duration any more: this test has nothing to check"
    return found


def test_publish_into_virtuoso_gives_every_graph_whole(virtuoso_server, virtuoso_published, counts, durations):
    """Every triple arrives and reads back as ours; the durations Virtuoso keeps as numbers of months are
    read back in ISO 8601 form, and the report says how many and what Virtuoso does with them."""
    by_graph = {c.graph: c for c in virtuoso_published.graphs}
    data = by_graph[f"{BASE}graph/data"]
    assert virtuoso_published.ok and not data.missing and not data.extra, virtuoso_published.lines()
    named = [line for line in virtuoso_published.lines() if "xsd:duration literal(s)" in line]
    assert data.store_forms == {XSD_DURATION: len(durations)} and len(named) == 1
    assert f"keeps {len(durations)} xsd:duration literal(s)" in named[0] and "number of months" in named[0]
    # what Virtuoso itself holds is a number (of months), which a query's STR() shows
    held = [row["f"].value for row in solutions(urlopen_json(virtuoso_server.query, DURATIONS_HELD))]
    assert len(held) == len(durations) and all(value.isdigit() for value in held), held
    for name in ("ontology", "data"):
        assert by_graph[f"{BASE}graph/{name}"].after == counts[name]
        assert virtuoso_server.count(f"{BASE}graph/{name}") == counts[name]


def test_the_service_in_front_of_virtuoso_counts_what_the_embedded_store_counts(app, virtuoso_app, counts):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/data> {{ ?s ?p ?o }} }}"
    answers = [a.test_client().get("/sparql", query_string={"query": query},
                                   headers={"Accept": "application/sparql-results+json"}) for a in (app, virtuoso_app)]
    assert [a.status_code for a in answers] == [200, 200]
    assert [int(solutions(a.data)[0]["n"].value) for a in answers] == [counts["data"]] * 2


def test_an_answer_virtuoso_cut_that_cannot_be_paged_is_an_error(make_app, virtuoso_server, virtuoso_published):
    """No result cap of ours, a LIMIT above Virtuoso's row limit: Virtuoso cuts at 10,000 rows; the service
    says so (502) instead of passing a cut answer on as whole; without the LIMIT it pages through."""
    client = make_app({"STORE": virtuoso_server.query, "RESULT_CAP": 0, "QUERY_TIMEOUT": 20.0}).test_client()
    cut = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 12000"})
    assert cut.status_code == 502 and "row limit" in cut.data.decode()
    whole = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert whole.status_code == 200 and len(solutions(whole.data)) > 12000
    assert whole.headers.get("X-Result-Truncated") is None


@pytest.fixture(scope="module")
def scratch_virtuoso(tmp_path_factory):
    """A second Virtuoso for the publishing tests, so that the session's keeps what the comparisons read."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-scratch"))
    yield server
    stop(server.process)


def test_publish_without_credentials_names_the_update_url(build_dir, scratch_virtuoso):
    result = CliRunner().invoke(main, ["publish", "--to", scratch_virtuoso.query, "--update", scratch_virtuoso.update],
                                env={"CPS_BUILD_DIR": str(build_dir), "CPS_STORE_USER": None,
                                     "CPS_STORE_PASSWORD": None, "NETRC": "/nonexistent"})
    assert result.exit_code == 2
    assert f"The update endpoint {scratch_virtuoso.update} answered HTTP 401" in result.output
    assert scratch_virtuoso.query + " " not in result.output


def test_publish_refuses_credentials_in_a_url(build_dir, scratch_virtuoso):
    url = scratch_virtuoso.update.replace("://", "://dba:dba@")
    result = CliRunner().invoke(main, ["publish", "--to", scratch_virtuoso.query, "--update", url],
                                env={"CPS_BUILD_DIR": str(build_dir)})
    assert result.exit_code == 2 and "CPS_STORE_USER" in result.output and "dba:dba" not in result.output


def test_publish_over_sparql_update_in_batches_says_which_literals_virtuoso_changed(build_dir, scratch_virtuoso,
                                                                                   counts, tmp_path):
    """Digest authentication from a netrc file; 14k triples in batches (one INSERT DATA of them all exhausts
    Virtuoso's memory); Virtuoso's SPARQL Update stores `"5"^^xsd:decimal` as an integer, and publish says so
    and exits 1."""
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {VIRTUOSO_USER[0]} password {VIRTUOSO_USER[1]}\n")
    netrc.chmod(0o600)
    result = CliRunner().invoke(main, ["publish", "--to", scratch_virtuoso.query, "--update", scratch_virtuoso.update],
                                env={"CPS_BUILD_DIR": str(build_dir), "NETRC": str(netrc), "CPS_STORE_USER": None,
                                     "CPS_STORE_PASSWORD": None})
    assert result.exit_code == 1, result.output
    assert scratch_virtuoso.count(f"{BASE}graph/data") == counts["data"]
    assert f"DIFFERENT <{BASE}graph/data>: {counts['data']} triples here" in result.output
    assert "of another datatype now" in result.output
    assert '"^^<http://www.w3.org/2001/XMLSchema#decimal> became "' in result.output
    assert "XMLSchema#integer>" in result.output
    assert f"ok  <{BASE}graph/ontology>" in result.output
    assert VIRTUOSO_USER[1] + "\n" not in result.output


def test_publish_over_the_graph_store_reads_every_literal_back(build_dir, scratch_virtuoso, counts, durations):
    """Credentials from the environment; the Graph Store Protocol keeps decimals as they are; the durations
    Virtuoso keeps as months read back as ours, and publish says so and succeeds (exit 0)."""
    result = CliRunner().invoke(main, ["publish", "--to", scratch_virtuoso.query, "--graph-store",
                                       scratch_virtuoso.graph_store],
                                env={"CPS_BUILD_DIR": str(build_dir), "CPS_STORE_USER": VIRTUOSO_USER[0],
                                     "CPS_STORE_PASSWORD": VIRTUOSO_USER[1]})
    assert result.exit_code == 0, result.output
    assert f"ok  <{BASE}graph/data>: {counts['data']} triples here; target had " in result.output
    assert f", now {counts['data']}\n" in result.output
    assert f"the store keeps {len(durations)} xsd:duration literal(s) in a form of its own" in result.output
    assert "of another datatype" not in result.output and "missing there" not in result.output
    assert "only there" not in result.output
