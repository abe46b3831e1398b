"""The benchmark's synthetic data (bench/generate.py) goes through the real build and its gate: copies of the
tables that fail a shape, or that leave a table behind, would make the growth figures measure another graph."""

from __future__ import annotations

import csv

import pytest
from rdflib import URIRef
from rdflib.namespace import FOAF

from bench.generate import generate
from cpsgraph.build import build
from cpsgraph.namespaces import SCHEMA

COPIES = 3


@pytest.fixture(scope="module")
def generated(root, tmp_path_factory, source_path, base):
    """Three copies of data/ built with the SHACL gate and the violation queries on (the build raises on any
    violation). Returns (the generated tables' directory, the BuildResult, the public dataset)."""
    out = tmp_path_factory.mktemp("generated")
    data = generate(root / "data", out, COPIES)
    result = build(data_dir=data, ontology_path=root / "ontology" / "cps.ttl", shapes_dir=root / "shapes",
                   out_dir=out / "build", base=base, source=source_path, queries_dir=root / "queries")
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(result.release / "public" / "cps-lac.trig", format="trig")
    return data, result, dataset


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_table_of_data_is_written(root, generated):
    data, _, _ = generated
    real = {p.relative_to(root / "data").as_posix() for p in (root / "data").rglob("*") if p.is_file()}
    written = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert real <= written   # the tables, the plans and the notes' translations
    assert {f"action-plans/andina-x{c}.yaml" for c in range(1, COPIES)} <= written


def test_the_copies_grow_the_graph(built, generated):
    _, result, _ = generated
    one = built.counts["data"]
    assert result.counts["data"] > 2 * one   # each further copy adds about two thirds of the real graph


def test_a_copied_presentation_says_what_it_presents(generated, base):
    _, _, dataset = generated
    for copy in range(1, COPIES):
        presentation = URIRef(base.iri("presentation", f"d1-inaugural-1-x{copy}"))
        assert list(dataset.objects(presentation, SCHEMA.about)), presentation


def test_copied_persons_keep_their_honorifics(root, generated, base):
    data, _, dataset = generated
    honorifics = _rows(root / "data" / "person_honorifics.csv")
    copied = [row for row in _rows(data / "person_honorifics.csv") if row["person"].endswith("-x1")]
    assert copied, "no honorific of a copied person"
    person = URIRef(base.iri("person", copied[0]["person"]))
    assert copied[0]["honorific"] in {str(t) for t in dataset.objects(person, FOAF.title)}
    # a shared person's honorifics are stated once, not once per copy
    shared = {row["person"] for row in honorifics} - {row["person"].removesuffix("-x1") for row in copied}
    written = _rows(data / "person_honorifics.csv")
    for person in shared:
        assert sum(row["person"] == person for row in written) == sum(row["person"] == person for row in honorifics)


def test_a_copy_has_its_own_meeting_series(generated, base):
    """next-meeting rows are re-pointed only between a copy's own meetings: each meeting keeps one next one."""
    data, _, _ = generated
    rows = [row for row in _rows(data / "statements" / "relations-council.csv") if row["relation"] == "next-meeting"]
    subjects = [row["subject"] for row in rows]
    assert len(subjects) == len(set(subjects))
    objects = [row["object"] for row in rows]
    assert len(objects) == len(set(objects))
    assert {"subject": "foro-ministros-xiv-x1", "object": "foro-ministros-xv-x1"} in [
        {"subject": row["subject"], "object": row["object"]} for row in rows]
