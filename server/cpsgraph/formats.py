"""One table of RDF and result formats, read by the build, the CLI, content negotiation and the Service
Description alike; and the conversion of rdflib terms to pyoxigraph terms for deterministic output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox

# rdflib is imported only by the two conversions below: the query workers' fork server imports this module and
# nothing else of rdflib's (0.06 s of every start, before the first worker can load).


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
    from rdflib import BNode, Literal, URIRef

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


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term):
    """A pyoxigraph term as the equivalent rdflib term (None stays None)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib tells "x" and "x"^^xsd:string apart; RDF 1.1 does not
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def sorted_quads(quads: Iterable[tuple]) -> list[ox.Quad]:
    """rdflib (s, p, o, graph IRI) tuples as pyoxigraph quads in a stable order (for byte-identical files)."""
    converted = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if g is not None else ox.DefaultGraph())
                 for s, p, o, g in quads]
    return sorted(converted, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of some quads (graph names dropped) in a stable order. Quads in sorted_quads
    order are sorted runs, one per graph, which the sort merges in linear time."""
    ordered = sorted((q.triple for q in quads), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return [t for i, t in enumerate(ordered) if i == 0 or t != ordered[i - 1]]


def serialize(quads: list, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize quads; for a triples-only format the graph names are dropped. Triples already made by
    sorted_triples are written as given (so several formats of one graph sort it once)."""
    if fmt.datasets:
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes_for(fmt, prefixes))
    triples = quads if quads and isinstance(quads[0], ox.Triple) else sorted_triples(quads)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes_for(fmt, prefixes))


def prefixes_for(fmt: Format, prefixes: dict[str, str] | None) -> dict[str, str] | None:
    """The prefixes to write in `fmt`: Turtle, TriG and RDF/XML abbreviate with them; N-Triples and N-Quads
    have none, and JSON-LD is written with full IRIs (no @context)."""
    if fmt.datasets or fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return prefixes or {}
    return None


# --- Content negotiation (the SPARQL endpoint, the Graph Store and the CLI) ---------------------------------

HTML = Format("html", "text/html", "html", None, None)
GRAPH_FORMATS = tuple(f for f in RDF_FORMATS if not f.datasets)   # CONSTRUCT and DESCRIBE results

# Other names clients use for the results formats (SPARQLWrapper sends `application/json`, `format=xml`).
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                  "srj": "json", "srx": "xml"}
# Other names for the RDF formats in a `format=` parameter (SPARQLWrapper: json, xml, rdf+xml, json-ld, n3).
RDF_PARAM_ALIASES = {**ALIASES, "json": "jsonld", "json-ld": "jsonld", "xml": "rdfxml", "rdf+xml": "rdfxml",
                     "rdf": "rdfxml", "n3": "turtle", "ttl": "turtle", "nt": "ntriples", "nq": "nquads"}


def formats_for(form: str) -> tuple[Format, ...]:
    """The formats a query form's results can be written in, the service's preferred one first."""
    if form in ("SELECT", "ASK"):
        return RESULT_FORMATS
    if form in ("CONSTRUCT", "DESCRIBE"):
        return GRAPH_FORMATS
    return RDF_FORMATS


def _names(fmt: Format) -> set[str]:
    aliases = RESULT_ALIASES if fmt in RESULT_FORMATS else ALIASES
    return {fmt.media_type} | {alias for alias, name in aliases.items() if name == fmt.name and "/" in alias}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an `Accept` header with their q-values, parameters other than q dropped."""
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def negotiate(accept: str | None, offered: tuple[Format, ...], *, explicit_only: tuple[Format, ...] = ()) -> Format:
    """The offered format the client prefers (RFC 9110 §12.5.1: the most specific matching range sets the
    q-value; q=0 means "not acceptable"; ties go to the order of `offered`). Formats in `explicit_only`
    (HTML) are chosen only when the client names them, never through a wildcard.
    Raises NotAcceptable when nothing offered is acceptable."""
    from .errors import NotAcceptable

    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for fmt in offered + explicit_only:
        names = _names(fmt)
        specificity, quality = 0, 0.0
        for media, q in ranges:
            major = media.split("/")[0]
            # Aliases (application/json, text/xml) count only when named exactly, never through `type/*`.
            rank = 3 if media in names else 2 if media == f"{major}/*" and fmt.media_type.startswith(major + "/") \
                else 1 if media == "*/*" else 0
            if fmt in explicit_only and rank < 3:
                continue
            if rank > specificity or (rank == specificity and q > quality):
                specificity, quality = rank, q
        if specificity and quality > best_q:
            best, best_q = fmt, quality
    if best is None:
        available = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(f"None of the formats in Accept: {accept!r} can be produced here. Available: "
                            f"{available}.", key="format.accept", values={"accept": repr(accept), "available": available})
    return best


def format_from_param(values: list[str], offered: tuple[Format, ...], *, extra: tuple[Format, ...] = ()) -> Format:
    """The format named by a `format=` (or `output=`) parameter: a short name, media type or extension.
    The first value that names an offered format wins. Raises NotAcceptable if none does."""
    from .errors import NotAcceptable

    for value in values:
        key = value.strip().lower()
        for fmt in offered + extra:
            aliases = RESULT_ALIASES if fmt in RESULT_FORMATS else RDF_PARAM_ALIASES
            if key in (fmt.name, fmt.media_type, fmt.extension) or aliases.get(key) == fmt.name:
                return fmt
    available = ", ".join(f.name for f in offered)
    raise NotAcceptable(f"Unknown format {', '.join(values)!r} for this request. Available: {available}.",
                        key="format.unknown", values={"format": repr(", ".join(values)), "available": available})


def content_type(fmt: Format) -> str:
    """The Content-Type header value for a format (text types carry charset=utf-8)."""
    return f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type
