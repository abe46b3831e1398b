"""One node per real-world thing: name variants are merged and kept as alternative labels."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

ID = "https://w3id.org/cps-lac/id/"


def names(graph, iri: str) -> set[str]:
    node = URIRef(ID + iri)
    return {str(x) for x in graph.objects(node, RDFS.label)} | {str(x) for x in graph.objects(node, SKOS.altLabel)}


@pytest.mark.parametrize("iri,variants", [
    # §6 and Anexo I write Beláustegui, §42 Belaustegui.
    ("person/victoria-belaustegui", {"Beláustegui", "Belaustegui"}),
    # §5 Christopher Browne, Anexo II Chris Browne.
    ("person/christopher-browne", {"Christopher Browne", "Chris Browne"}),
    # Anexo III #16 prints Buirago.
    ("person/cesar-augusto-buitrago", {"Buirago"}),
    # PNUMA / UNEP (§62 "UNEP y UNDESA").
    ("organization/pnuma", {"PNUMA", "UNEP", "Programa de las Naciones Unidas para el Medio Ambiente"}),
    ("organization/onudi", {"ONUDI", "UNIDO"}),
])
def test_variants_are_kept_on_one_node(public_graph, iri, variants):
    found = " | ".join(names(public_graph, iri))
    for variant in variants:
        assert variant in found, f"{variant!r} missing from {iri}: {found}"


def test_a_person_who_attends_presents_and_drafts_is_one_node(public_graph):
    # Luciano Ramírez: Anexo III #15, panel 4 presenter (Anexo II), drafting committee (Anexo I).
    node = URIRef(ID + "person/luciano-ramirez")
    cps = "https://w3id.org/cps-lac/ontology#"
    assert (None, URIRef(cps + "presenter"), node) in public_graph
    assert any(public_graph.objects(None, URIRef("http://www.w3.org/ns/org#member")))
    memberships = set(public_graph.subjects(URIRef("http://www.w3.org/ns/org#member"), node))
    kinds = {str(o) for m in memberships for o in public_graph.objects(m, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))}
    assert cps + "Participation" in kinds
    assert any("drafting-member" in str(m) for m in memberships)
    persons = [s for s in public_graph.subjects(RDFS.label, None) if "ramirez" in str(s) and "/person/" in str(s)]
    assert set(persons) == {node}


def test_every_entity_has_spanish_and_english_labels(public_graph):
    # Persons (names, untagged), passages (locators) are the only exceptions.
    from rdflib.namespace import FOAF, RDF

    missing = []
    cps = "https://w3id.org/cps-lac/ontology#"
    for subject in set(public_graph.subjects(RDF.type, None)):
        if not str(subject).startswith(ID) or (subject, RDF.type, FOAF.Person) in public_graph:
            continue
        if (subject, RDF.type, URIRef(cps + "Passage")) in public_graph or (subject, RDF.type, RDF.Statement) in public_graph:
            continue  # a relation's rdf:Statement is about a triple and has no label (docs/decisions/0018)
        langs = {getattr(label, "language", None) for label in public_graph.objects(subject, RDFS.label)}
        if not {"es", "en"} <= langs:
            missing.append(str(subject))
    assert missing == []
