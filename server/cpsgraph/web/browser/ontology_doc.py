"""The ontology's documentation page, generated from the published ontology graph (ontology/cps.ttl as the
build loads it into `{base}graph/ontology`): header, classes and properties with their labels and comments in
the reader's language, superclasses, domains and ranges. Each term has an anchor named after it, so
`https://w3id.org/cps-lac/ontology#Meeting` lands on `/ontology.html#Meeting` (see docs/decisions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from ...namespaces import ONTOLOGY_IRI
from .terms import prefixed, standard_label

NS = str(ONTOLOGY_IRI) + "#"
VANN = "http://purl.org/vocab/vann/"
KINDS = ((OWL.Class, "onto.classes"), (OWL.ObjectProperty, "onto.properties"),
         (OWL.DatatypeProperty, "onto.properties"))
LINKS = ((RDFS.subClassOf, "onto.subclass"), (RDFS.subPropertyOf, "onto.subproperty"), (RDFS.domain, "onto.domain"),
         (RDFS.range, "onto.range"), (OWL.inverseOf, "onto.inverse"))


@dataclass
class Ref:
    text: str
    href: str
    external: bool


@dataclass
class Term:
    name: str                     # the anchor: the term's local name
    iri: str
    label: str
    comment: str
    kind: str                     # the human label of its OWL type
    links: list[tuple[str, list[Ref]]] = field(default_factory=list)   # (catalogue key, terms)


@dataclass
class OntologyPage:
    iri: str
    title: str
    description: str
    version: str
    modified: str
    licence: str
    prefix: str
    namespace: str
    classes: list[Term]
    properties: list[Term]


def ontology_page(ntriples: bytes, lang: str) -> OntologyPage:
    graph = Graph()
    graph.parse(data=ntriples, format="nt")
    onto = ONTOLOGY_IRI
    sections: dict[str, list[Term]] = {"onto.classes": [], "onto.properties": []}
    for owl_type, section in KINDS:
        for term in sorted(set(graph.subjects(RDF.type, owl_type))):
            if isinstance(term, URIRef) and str(term).startswith(NS):
                sections[section].append(_term(graph, term, owl_type, lang))
    return OntologyPage(
        iri=str(onto), title=_text(graph, onto, DCTERMS.title, lang), version=str(graph.value(onto, OWL.versionInfo) or ""),
        description=_text(graph, onto, DCTERMS.description, lang), modified=str(graph.value(onto, DCTERMS.modified) or ""),
        licence=str(graph.value(onto, DCTERMS.license) or ""),
        prefix=str(graph.value(onto, URIRef(VANN + "preferredNamespacePrefix")) or "cps"), namespace=NS,
        classes=sorted(sections["onto.classes"], key=lambda t: t.label.casefold()),
        properties=sorted(sections["onto.properties"], key=lambda t: t.label.casefold()))


def _term(graph: Graph, term: URIRef, owl_type, lang: str) -> Term:
    name = str(term)[len(NS):]
    links = []
    for prop, key in LINKS:
        refs = [_ref(graph, other, lang) for other in sorted(graph.objects(term, prop)) if isinstance(other, URIRef)]
        if refs:
            links.append((key, refs))
    return Term(name, str(term), _text(graph, term, RDFS.label, lang) or name, _text(graph, term, RDFS.comment, lang),
                standard_label(str(owl_type), lang) or prefixed(str(owl_type)), links)


def _ref(graph: Graph, other: URIRef, lang: str) -> Ref:
    if str(other).startswith(NS):
        return Ref(_text(graph, other, RDFS.label, lang) or prefixed(str(other)), "#" + str(other)[len(NS):], False)
    return Ref(prefixed(str(other)), str(other), True)


def _text(graph: Graph, subject, prop, lang: str) -> str:
    """The value of `prop` in `lang`, else untagged, else any."""
    values = [v for v in graph.objects(subject, prop) if isinstance(v, Literal)]
    for wanted in (lang, None):
        for value in values:
            if value.language == wanted:
                return str(value)
    return str(values[0]) if values else ""
