"""The store interface on its own (both ways of holding the data, every data format, the errors it raises)
and `cpsgraph query` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cpsgraph.cli import main
from cpsgraph.errors import ConfigError, InputError, NotAcceptable, QueryRefused, QuerySyntaxError, UnknownGraph
from cpsgraph.formats import rdf_format, result_format
from cpsgraph.store import NO_CAP, open_store
from endpoint_helpers import ROOT

EX = "http://example.org/"
QUADS = [ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("in g1"), ox.NamedNode(EX + "g1")),
         ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("in g2", language="en"),
                 ox.NamedNode(EX + "g2")),
         ox.Quad(ox.BlankNode("b"), ox.NamedNode(EX + "p"), ox.Literal("2", datatype=ox.NamedNode(
             "http://www.w3.org/2001/XMLSchema#integer")), ox.DefaultGraph())]


@pytest.fixture(scope="module")
def data_files(tmp_path_factory) -> dict[str, Path]:
    """The same small dataset in every format `--data` reads (graph names only in TriG and N-Quads)."""
    folder = tmp_path_factory.mktemp("data")
    files = {}
    for name in ("trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"):
        fmt = rdf_format(name)
        items = QUADS if fmt.datasets else sorted({q.triple for q in QUADS}, key=str)
        files[name] = folder / f"small.{fmt.extension}"
        files[name].write_bytes(ox.serialize(items, format=fmt.oxigraph))
    return files


@pytest.fixture(scope="module", params=["memory", "disk"])
def small_store(request, data_files, tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("ondisk") / "store" if request.param == "disk" else None
    store = open_store("embedded", data=[data_files["trig"]], store_dir=store_dir, workers=1, result_cap=2)
    yield store
    store.close()


def test_named_graphs_and_length(small_store):
    assert small_store.named_graphs() == [EX + "g1", EX + "g2"]
    assert len(small_store) == 3 and small_store.triple_count(EX + "g2") == 1


def test_query_answers_and_caps(small_store):
    answer = small_store.query("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", format=result_format("json"))
    assert answer.truncated and answer.count == 2 and answer.limit == 2
    assert [b["o"]["value"] for b in json.loads(answer.body)["results"]["bindings"]] == ["2", "in g1"]
    whole = small_store.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert sorted(row["o"].value for row in whole) == ["2", "in g1", "in g2"]


def test_dump_keeps_graph_names_in_dataset_formats(small_store):
    dumped = small_store.dump(rdf_format("nquads"))
    parsed = set(ox.parse(dumped.body, format=ox.RdfFormat.N_QUADS))
    assert {q for q in parsed if isinstance(q.subject, ox.NamedNode)} == set(QUADS[:2])
    assert [q.object.value for q in parsed if q.graph_name == ox.DefaultGraph()] == ["2"]
    one = small_store.dump(rdf_format("turtle"), graph=EX + "g2")
    assert [t.object.value for t in (q.triple for q in ox.parse(one.body, format=ox.RdfFormat.TURTLE))] == ["in g2"]
    with pytest.raises(UnknownGraph):
        small_store.dump(rdf_format("turtle"), graph=EX + "nothing")


@pytest.mark.parametrize("name", ["trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"])
def test_every_data_format_is_served(data_files, name):
    with open_store("embedded", data=[data_files[name]], workers=1) as store:
        assert len(store) == 3
        expected = [EX + "g1", EX + "g2"] if rdf_format(name).datasets else []
        assert store.named_graphs() == expected


def test_store_errors(small_store, tmp_path):
    with pytest.raises(QuerySyntaxError, match="1:"):
        small_store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryRefused):
        small_store.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(NotAcceptable):
        small_store.query("ASK {}", format=rdf_format("turtle"))
    with pytest.raises(QueryRefused):
        small_store.load(b"", format=rdf_format("turtle"))
    with pytest.raises(ConfigError):
        open_store("sqlite")
    with pytest.raises(InputError, match="no such file"):
        open_store("embedded", data=[tmp_path / "missing.ttl"])
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    with pytest.raises(InputError, match="broken.ttl"):
        open_store("embedded", data=[broken])
    with pytest.raises(InputError, match="extension"):
        open_store("embedded", data=[Path(__file__)])
    with pytest.raises(InputError):
        open_store("remote", query_url="file:///etc/passwd")


def test_no_cap_for_the_services_own_queries(small_store):
    answer = small_store.query("SELECT * WHERE { ?s ?p ?o }", limit=NO_CAP)
    assert not answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 3


# --- cpsgraph query -----------------------------------------------------------------------------------------------

def run(*args, build_dir):
    return CliRunner().invoke(main, ["query", *args], env={"CPS_BUILD_DIR": str(build_dir),
                                                           "CPS_QUERIES_DIR": str(ROOT / "queries")})


def test_query_by_name_prints_a_table(build_dir):
    result = run("participants-by-subregion", build_dir=build_dir)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["subregion", "subregion_en"] and set(lines[1]) <= {"-", " "}
    assert "Southern Cone" in result.output and lines[-1].startswith("(") and "rows)" in lines[-1]


def test_query_file_in_a_chosen_format(build_dir, tmp_path):
    query = tmp_path / "persons.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")
    result = run(str(query), "--format", "json", build_dir=build_dir)
    assert result.exit_code == 0
    assert int(json.loads(result.stdout_bytes)["results"]["bindings"][0]["n"]["value"]) > 50
    construct = tmp_path / "c.rq"
    construct.write_text("CONSTRUCT WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")
    turtle = run(str(construct), "--format", "turtle", build_dir=build_dir)
    assert len(list(ox.parse(turtle.stdout_bytes, format=ox.RdfFormat.TURTLE))) > 50


@pytest.mark.parametrize("args, message", [
    (["no-such-query"], "No query file"),
    (["participants-by-subregion", "--format", "turtle"], "cannot be written"),
])
def test_query_errors_exit_2(build_dir, args, message):
    result = run(*args, build_dir=build_dir)
    assert result.exit_code == 2 and message in result.output


def test_query_on_given_data_files(data_files, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    result = CliRunner().invoke(main, ["query", str(query), "--data", str(data_files["nquads"]), "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.split() == ["g", EX + "g1", EX + "g2"]
