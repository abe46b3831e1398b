"""The build: one command, deterministic output, atomic replacement, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cpsgraph.errors import DataError


def test_build_writes_every_dump_and_a_void_description(release):
    public = {p.name for p in (release / "public").iterdir()}
    dumps = {"cps-lac.trig", "cps-lac.ttl", "cps-lac.nt", "cps-lac.jsonld"}
    assert public == dumps | {f"{name}.gz" for name in dumps} | {"void.ttl"}
    manifest = json.loads((release / "manifest.json").read_text())
    assert "restricted/cps-lac-all.trig" in manifest


def test_dumps_agree_with_each_other(release):
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    graphs = {}
    for name, fmt in (("cps-lac.ttl", "turtle"), ("cps-lac.nt", "nt"), ("cps-lac.jsonld", "json-ld")):
        g = Graph()
        g.parse(release / "public" / name, format=fmt)
        graphs[name] = g
    ds = Dataset()
    ds.parse(release / "public" / "cps-lac.trig", format="trig")
    union = Graph()
    for g in ds.graphs():
        for t in g:
            union.add(t)
    assert len(graphs["cps-lac.ttl"]) > 10000
    assert isomorphic(graphs["cps-lac.ttl"], graphs["cps-lac.nt"])
    assert isomorphic(graphs["cps-lac.ttl"], graphs["cps-lac.jsonld"])
    assert isomorphic(graphs["cps-lac.ttl"], union)


def test_void_counts_match_the_dump(release, public_graph):
    from rdflib import Graph, URIRef
    from rdflib.namespace import VOID

    void = Graph().parse(release / "public" / "void.ttl", format="turtle")
    triples = void.value(URIRef("https://w3id.org/cps-lac/id/dataset"), VOID.triples)
    assert triples.toPython() == len(public_graph)
    assert len(list(void.objects(None, VOID.dataDump))) == 8   # each dump, and its gzipped copy (decision 0023)


def test_void_counts_are_those_of_the_published_triples(release, public_graph):
    # The build counts them from its sorted N-Triples files and the store (cpsgraph.dumps.summarize), not from
    # the graph: here they are counted again from the Turtle dump as rdflib reads it.
    from collections import Counter

    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, VOID

    void = Graph().parse(release / "public" / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/cps-lac/id/dataset")
    assert void.value(dataset, VOID.distinctSubjects).toPython() == len(set(public_graph.subjects()))
    assert void.value(dataset, VOID.distinctObjects).toPython() == len(set(public_graph.objects()))
    classes = Counter(o for o in public_graph.objects(None, RDF.type))
    properties = Counter(public_graph.predicates())
    assert void.value(dataset, VOID.classes).toPython() == len(classes)
    assert void.value(dataset, VOID.properties).toPython() == len(properties)
    for part in void.objects(dataset, VOID.classPartition):
        assert void.value(part, VOID.entities).toPython() == classes[void.value(part, VOID["class"])]
    for part in void.objects(dataset, VOID.propertyPartition):
        assert void.value(part, VOID.triples).toPython() == properties[void.value(part, VOID.property)]
    for dump in void.objects(None, VOID.dataDump):
        distribution = void.value(predicate=URIRef("http://www.w3.org/ns/dcat#downloadURL"), object=dump)
        size = void.value(distribution, URIRef("http://www.w3.org/ns/dcat#byteSize")).toPython()
        assert size == (release / "public" / str(dump).rsplit("/", 1)[-1]).stat().st_size


def test_a_build_clears_what_a_killed_build_left_and_leaves_nothing_itself(data_copy, tmp_path, build_from):
    # A killed build cannot clean up: its work files (sorted graphs, gigabytes at ten million triples) and a
    # half-written release stay in releases/. The next build, holding the build lock, removes them.
    out = tmp_path / "out"
    releases = out / "releases"
    for left in (".work-killed", ".staging-killed"):
        (releases / left).mkdir(parents=True)
        (releases / left / "graph-0.nt").write_bytes(b"<a:x> <a:y> <a:z> .\n" * 1000)
    release = build_from(data_copy, out).release
    assert sorted(p.name for p in releases.iterdir() if p.is_dir()) == [release.name]
    listed = set(json.loads((release / "manifest.json").read_text()))
    on_disk = {str(p.relative_to(release)) for p in release.rglob("*") if p.is_file()} - {"manifest.json"}
    assert listed == on_disk


def test_same_input_gives_byte_identical_files(root, tmp_path):
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "cpsgraph.cli", "build", "--out", str(out)], cwd=root, env=env,
                       check=True, capture_output=True)
        digests.append((out / "current" / "manifest.json").read_bytes())
    assert digests[0] == digests[1]


def test_a_failed_build_leaves_the_last_good_release(data_copy, tmp_path, build_from):
    out = tmp_path / "out"
    good = build_from(data_copy, out).release
    before = (out / "current").resolve()
    (data_copy / "countries.csv").write_text(
        (data_copy / "countries.csv").read_text(encoding="utf-8").replace("\nAR,", "\nar,", 1), encoding="utf-8")
    with pytest.raises(DataError):
        build_from(data_copy, out)
    assert (out / "current").resolve() == before == good
    assert (good / "public" / "cps-lac.ttl").stat().st_size > 0


def test_cli_build_exits_1_and_names_the_row(data_copy, tmp_path, root):
    path = data_copy / "working_groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",caribe,,", ",atlantida,,", 1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cpsgraph.cli", "build", "--data", str(data_copy),
                           "--out", str(tmp_path / "out"), "--source", str(root.parent / "shared" / "source" /
                                                                            "000_784fad76bf69b00c.txt")],
                          cwd=root, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "data/working_groups.csv:2" in proc.stderr
    assert "atlantida" in proc.stderr


def test_console_script_is_installed(root):
    proc = subprocess.run(["cpsgraph", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "build" in proc.stdout


def test_a_violation_query_with_rows_fails_the_build(data_copy, tmp_path, build_from):
    # A person listed nowhere but in persons/ has no organization: only queries/
    # person-without-organization-violation.rq catches it (the mapping and the shapes accept the row).
    from cpsgraph.errors import ValidationFailed

    path = data_copy / "persons" / "participants.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("nadie-nadie,Nadie Nadie,,,Anexo III #1,509,\n")
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as failure:
        build_from(data_copy, out)
    assert "person-without-organization-violation" in str(failure.value)
    assert "nadie-nadie" in str(failure.value)
    assert not (out / "current").exists()
