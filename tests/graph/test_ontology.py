"""The ontology is documented term by term and the generated constants match it."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cpsgraph.ontology import NAMESPACE, defined_terms, generate_vocab_module, load_ontology


def test_vocab_module_is_generated_from_the_ontology(root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    assert (root / "server" / "cpsgraph" / "vocab.py").read_text() == generate_vocab_module(ontology)


def test_every_term_has_bilingual_label_comment_and_is_defined_by(root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    problems = []
    for name in defined_terms(ontology):
        term = URIRef(NAMESPACE + name)
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop)}
            if not {"es", "en"} <= langs:
                problems.append(f"{name} {prop} {langs}")
        if (term, RDFS.isDefinedBy, URIRef("https://w3id.org/cps-lac/ontology")) not in ontology:
            problems.append(f"{name} isDefinedBy")
    assert problems == []


def test_own_classes_refine_standard_ones(root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    for cls in ontology.subjects(RDF.type, OWL.Class):
        supers = [str(s) for s in ontology.objects(cls, RDFS.subClassOf)]
        assert supers, f"{cls} refines nothing"


def test_a_misspelt_term_is_an_error():
    import pytest

    from cpsgraph.vocab import CPS

    with pytest.raises(AttributeError):
        CPS.Partcipation  # noqa: B018


def test_ontology_header(root):
    from rdflib.namespace import DCTERMS

    ontology = load_ontology(root / "ontology" / "cps.ttl")
    header = URIRef("https://w3id.org/cps-lac/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None
    assert ontology.value(header, DCTERMS.license) is not None
    assert ontology.value(header, DCTERMS.created).datatype is not None
