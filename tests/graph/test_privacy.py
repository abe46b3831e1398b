"""No personal contact detail of Anexo III appears in any public output of the build. The contact strings
come from the extractor (cpsgraph.contacts) run on the report, as the build reads them: none is kept in git."""

from __future__ import annotations

import gzip
import sqlite3
from contextlib import closing

import pytest

from cpsgraph.contacts import report_contacts


@pytest.fixture(scope="session")
def contact_values(report) -> list[str]:
    contacts, problems = report_contacts(report)
    assert problems == []
    # Short fragments (a bare extension) would match unrelated text; everything else must be absent.
    return sorted({c.value for c in contacts if len(c.value) >= 8})


def test_contacts_are_transcribed(contact_values):
    # Anexo III lists an e-mail for almost every entry: the extractor must find them.
    assert sum("@" in v for v in contact_values) >= 80


def test_no_public_dump_contains_a_contact_value(release, contact_values):
    public_files = sorted((release / "public").iterdir())
    assert {p.name for p in public_files} >= {"cps-lac.ttl", "cps-lac.nt", "cps-lac.jsonld", "cps-lac.trig",
                                              "void.ttl"}
    leaks = []
    for path in public_files:
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")   # the gzipped dumps too
        leaks += [(path.name, v) for v in contact_values if v in text]
    assert leaks == []


def test_no_artefact_of_the_release_contains_a_contact_value(release, contact_values):
    # the indexes the server reads (artefacts.py) are published with the release: made from the public graphs
    artefacts = sorted((release / "index").iterdir())
    assert {p.name for p in artefacts} >= {"entities.sqlite", "derivations.sqlite", "search.sqlite", "counts.json"}
    leaks = []
    for path in artefacts:
        if path.suffix == ".sqlite":   # every row as SQL text: a value split across database pages is whole here
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                text = "\n".join(db.iterdump())
        else:
            text = path.read_text(encoding="utf-8")
        leaks += [(path.name, v) for v in contact_values if v in text]
    assert leaks == []


def test_restricted_graph_holds_them_and_only_there(release, dataset, base, contact_values):
    restricted = (release / "restricted" / "cps-lac-restricted.trig").read_text(encoding="utf-8")
    emails = [v for v in contact_values if "@" in v]
    assert all(e in restricted for e in emails)
    from rdflib.namespace import Namespace

    schema = Namespace("http://schema.org/")
    for name in ("data", "ontology"):
        graph = dataset.graph(base.graph(name))
        for prop in (schema.email, schema.telephone, schema.faxNumber, schema.address, schema.contactPoint):
            assert (None, prop, None) not in graph, f"{prop} in the {name} graph"


def test_malformed_addresses_are_kept_and_flagged(dataset, base):
    # Anexo III: some e-mails are malformed in the source (e.g. a comma for a dot); kept as written, flagged.
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    graph = dataset.graph(base.graph("restricted"))
    flagged = list(graph.subjects(URIRef("https://w3id.org/cps-lac/ontology#malformed"),
                                  Literal(True, datatype=XSD.boolean)))
    assert flagged
    values = [str(v) for node in flagged for p, v in graph.predicate_objects(node) if "schema.org/email" in str(p)]
    assert any("," in v or "@" not in v for v in values)
