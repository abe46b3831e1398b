"""Curation notes in Spanish (issue 14): every note the rows write in English has its Spanish beside it,
from data/translations/notes-es.po (a gettext catalogue read with Babel), so that a Spanish page serves a
Spanish-only reader; a note without one makes the build warn at its row; an unreadable catalogue stops it."""

from __future__ import annotations

import csv

import pytest
from rdflib import URIRef

from cpsgraph.errors import ConfigError

NOTE = URIRef("https://w3id.org/cps-lac/ontology#curationNote")


def test_every_curation_note_has_its_spanish(public_graph):
    by_node: dict = {}
    for node, note in public_graph.subject_objects(NOTE):
        by_node.setdefault(node, {}).setdefault(note.language, []).append(str(note))
    assert len(by_node) > 300
    missing = sorted(str(node) for node, notes in by_node.items() if len(notes.get("es", [])) != 1)
    assert missing == []
    assert all(len(notes["en"]) == 1 and notes["en"] != notes["es"] for notes in by_node.values())


def test_a_note_without_translation_is_a_warning_at_its_row(data_copy, tmp_path, build_from):
    path = data_copy / "countries.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    line = next(number for number, row in enumerate(rows, start=2) if row["note"])
    rows[line - 2]["note"] += " A new remark."
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = build_from(data_copy, tmp_path / "out")
    warned = [w for w in result.warnings if "[cpssh:CurationNoteHasSpanish]" in w]
    assert len(warned) == 1 and f"data/countries.csv:{line}" in warned[0], warned


def test_an_unreadable_catalogue_stops_the_build(data_copy, tmp_path, build_from):
    (data_copy / "translations" / "notes-es.po").write_text('msgid "a"\nthis is not a catalogue\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="notes-es.po"):
        build_from(data_copy, tmp_path / "out")
