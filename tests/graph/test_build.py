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
