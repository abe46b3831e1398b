"""One table of RDF and result formats, read by the build, the CLI, content negotiation and the Service
Description alike; and the conversion of rdflib terms to pyoxigraph terms for deterministic output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef


@dataclass(frozen=True)
class Format:
    name: str            # short name, also the `format=` parameter value
    media_type: str
    extension: str
    oxigraph: object     # pyoxigraph RdfFormat or QueryResultsFormat
    w3c: str | None      # the W3C format IRI (http://www.w3.org/ns/formats/)
    datasets: bool = False  # can carry named graphs


RDF_FORMATS = (
    Format("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE, "http://www.w3.org/ns/formats/Turtle"),
    Format("ntriples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES,
           "http://www.w3.org/ns/formats/N-Triples"),
    Format("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, "http://www.w3.org/ns/formats/JSON-LD"),
    Format("rdfxml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, "http://www.w3.org/ns/formats/RDF_XML"),
    Format("trig", "application/trig", "trig", ox.RdfFormat.TRIG, "http://www.w3.org/ns/formats/TriG", True),
    Format("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, "http://www.w3.org/ns/formats/N-Quads",
           True),
)

RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON,
           "http://www.w3.org/ns/formats/SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML,
           "http://www.w3.org/ns/formats/SPARQL_Results_XML"),
    Format("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV, "http://www.w3.org/ns/formats/SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV,
           "http://www.w3.org/ns/formats/SPARQL_Results_TSV"),
)

# Media types clients send for the same formats.
ALIASES = {
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain": "ntriples",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/x-trig": "trig",
}


def rdf_format(key: str) -> Format:
    """The RDF format named by a short name, media type or file extension. Raises KeyError."""
    key = key.strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    for fmt in RDF_FORMATS:
        if key in (fmt.name, fmt.media_type, fmt.extension):
            return fmt
    raise KeyError(key)


def result_format(key: str) -> Format:
    key = key.strip().lower()
    for fmt in RESULT_FORMATS:
        if key in (fmt.name, fmt.media_type, fmt.extension):
            return fmt
    raise KeyError(key)


def to_ox(term):
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def sorted_quads(quads: Iterable[tuple]) -> list[ox.Quad]:
    """rdflib (s, p, o, graph IRI) tuples as pyoxigraph quads in a stable order (for byte-identical files)."""
    converted = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if g is not None else ox.DefaultGraph())
                 for s, p, o, g in quads]
    return sorted(converted, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def serialize(quads: list[ox.Quad], fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize quads; for a triples-only format the graph names are dropped."""
    if fmt.datasets:
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes or {})
    triples = sorted({q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes or {})
    return ox.serialize(triples, format=fmt.oxigraph)
