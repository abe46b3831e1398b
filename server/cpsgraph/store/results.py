"""Query results, capped and serialized. Used where the results are produced: in a query worker for the
embedded store, in the request thread for the remote store (after parsing the remote answer back).

Both caps are applied while iterating, row by row: the row cap (CPS_RESULT_CAP) and the byte cap
(CPS_RESULT_BYTES, the bytes of the rows), so a query with millions of solutions, or with a few enormous
ones, never materialises them. A result cut after N rows says so in its body, in the place each format's
readers look (the message says which cap cut it):
- SPARQL JSON: a top-level `"truncated": {"limit": N, "message": ...}` member (with `"bytes": B` when the byte
  cap cut it), before `"results"`;
- SPARQL XML: a `<link href="urn:x-cps-lac:truncated:N"/>` in the head and a comment before the results;
- CSV and TSV: a last row whose first cell starts with `TRUNCATED:` (these formats have no other slot);
- RDF: a triple `[] rdfs:comment "TRUNCATED: ..."` (and a `#` comment in Turtle and N-Triples).
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import Format
from .answer import Answer, Cut, truncation_message

__all__ = ["Answer", "Cut", "json_term", "render", "serialize_triples", "SourceCut", "take", "truncation_message"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


@cache
def turtle_prefixes() -> dict[str, str]:
    """The project's prefixes for Turtle, TriG and RDF/XML answers (namespaces.py needs rdflib, which the query
    workers' fork server does not import: it is imported here on the first such answer)."""
    from ..namespaces import PREFIXES

    return {name: str(ns) for name, ns in PREFIXES.items()}


def render(result, form: str, fmt: Format, cap: int | None, byte_cap: int | None = None) -> Answer:
    """Serialize a pyoxigraph result (QuerySolutions, QueryBoolean or an iterable of Triples) in `fmt`,
    keeping at most `cap` solutions or triples and at most `byte_cap` bytes of them (the note that says the
    answer was cut comes on top). Raises ValueError for a format that does not fit the form."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(form, result.serialize(format=fmt.oxigraph), fmt.media_type)
    if hasattr(result, "variables"):  # QuerySolutions, or a source of them that may end early (SourceCut)
        if fmt.name not in _SOLUTION_WRITERS:
            raise ValueError(f"{fmt.media_type} cannot carry the solutions of a {form} query")
        names = [v.value for v in result.variables]
        head, encode, separator, tail = _SOLUTION_WRITERS[fmt.name]
        rows, cut = take(result, cap, byte_cap, encode(names))
        body = head(names, cut) + separator.join(rows) + tail(names, cut)
        return Answer.cut(form, body, fmt.media_type, len(rows), cut, cap, byte_cap)
    triples, cut = take(result, cap, byte_cap, None)
    body, cut = _fitted_triples(triples, fmt, cut, byte_cap)
    return Answer.cut(form, body, fmt.media_type, len(triples) if cut is None else cut.rows, cut, cap, byte_cap)


def take(iterable, cap: int | None, byte_cap: int | None, encode) -> tuple[list, Cut | None]:
    """At most `cap` items (each as `encode` makes it: bytes; None keeps triples, measured as N-Triples) and
    at most `byte_cap` bytes of them, and where the iteration was cut (None: nothing was left out)."""
    items, total = [], 0
    try:
        for item in iterable:
            if cap is not None and len(items) >= cap:
                return items, Cut(cap)
            item = encode(item) if encode else item
            total += (len(item) if encode else len(str(item)) + 3) + 1
            if byte_cap is not None and total > byte_cap:
                return items, Cut(len(items), byte_cap)
            items.append(item)
    except SourceCut as cut:
        return items, Cut(len(items), cut.limit)
    return items, None


class SourceCut(Exception):
    """Raised by a source of rows that stopped reading at a byte limit of its own (the remote store's)."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def _fitted_triples(triples: list, fmt: Format, cut: Cut | None, byte_cap: int | None) -> tuple[bytes, Cut | None]:
    """The triples serialized within `byte_cap`: the N-Triples measure of `take` can under-count a format
    (RDF/XML, JSON-LD), so a body past the cap is made again from fewer triples."""
    while True:
        body = serialize_triples(triples, fmt, cut)
        over = len(body) - len(serialize_triples([], fmt, cut))
        if byte_cap is None or over <= byte_cap or not triples:
            return body, cut
        triples = triples[: max(0, min(len(triples) - 1, int(len(triples) * byte_cap / over * 0.95)))]
        cut = Cut(len(triples), byte_cap)


def serialize_triples(triples: list, fmt: Format, cut: Cut | int | None = None) -> bytes:
    if isinstance(cut, int):
        cut = Cut(cut)
    if cut is not None:
        triples = triples + [ox.Triple(ox.BlankNode("truncated"), RDFS_COMMENT, ox.Literal(cut.message))]
    with_prefixes = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    prefixes = turtle_prefixes() if fmt.oxigraph in with_prefixes else None
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes) if prefixes else \
        ox.serialize(triples, format=fmt.oxigraph)
    if cut is not None and fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        body = f"# {cut.message}\n".encode() + body
    return body


# --- SPARQL results formats, written here because pyoxigraph cannot serialize a cut list of solutions ------

def json_term(term) -> dict:
    """A pyoxigraph term as a SPARQL 1.1 Query Results JSON binding (RDF-star triples included)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    if kind is ox.Literal:
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": json_term(term.subject),
                                        "predicate": json_term(term.predicate),
                                        "object": json_term(term.object)}}


# Each format as (head, row encoder, separator, tail): rows are encoded one by one, so the byte cap is
# checked while serializing; the head and tail say whether the answer was cut (`cut`: a Cut or None).

def _json_head(names: list[str], cut: Cut | None) -> bytes:
    head = json.dumps({"head": {"vars": names}}, ensure_ascii=False, separators=(",", ":"))[:-1]
    if cut is not None:  # before "results": streaming parsers (pyoxigraph's) stop reading after the bindings
        head += "," + json.dumps({"truncated": _json_note(cut)}, ensure_ascii=False, separators=(",", ":"))[1:-1]
    return (head + ',"results":{"bindings":[').encode()


def _json_note(cut: Cut) -> dict:
    note = {"limit": cut.rows, "message": cut.message}
    if cut.bytes is not None:
        note["bytes"] = cut.bytes
    return note


def _json_rows(names: list[str]):
    def encode(row) -> bytes:
        return json.dumps({name: json_term(value) for name, value in zip(names, row) if value is not None},
                          ensure_ascii=False, separators=(",", ":")).encode()
    return encode


def _xml_term(term) -> str:
    kind = type(term)
    if kind is ox.NamedNode:
        return f"<uri>{escape(term.value)}</uri>"
    if kind is ox.BlankNode:
        return f"<bnode>{escape(term.value)}</bnode>"
    if kind is ox.Literal:
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml_head(names: list[str], cut: Cut | None) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in names]
    if cut is not None:
        out.append(f'<link href="urn:x-cps-lac:truncated:{cut.rows}"/></head>')
        out.append(f"<!-- {escape(cut.message)} -->")
    else:
        out.append("</head>")
    out.append("<results>")
    return "".join(out).encode()


def _xml_rows(names: list[str]):
    def encode(row) -> bytes:
        return ("<result>" + "".join(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                                     for name, value in zip(names, row) if value is not None)
                + "</result>").encode()
    return encode


def _csv_cell(term) -> str:
    if term is None:
        return ""
    if type(term) is ox.BlankNode:
        return f"_:{term.value}"
    if type(term) is ox.Triple:
        return str(term)
    return term.value


def _csv_line(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue().encode()


def _csv_rows(names: list[str]):
    def encode(row) -> bytes:
        return _csv_line([_csv_cell(value) for value in row])
    return encode


def _csv_tail(names: list[str], cut: Cut | None) -> bytes:
    return b"" if cut is None else _csv_line([cut.message] + [""] * (len(names) - 1))


def _tsv_rows(names: list[str]):
    def encode(row) -> bytes:
        return ("\t".join("" if value is None else str(value) for value in row) + "\n").encode()
    return encode


def _tsv_tail(names: list[str], cut: Cut | None) -> bytes:
    return b"" if cut is None else ("\t".join([json.dumps(cut.message)] + [""] * (len(names) - 1)) + "\n").encode()


_SOLUTION_WRITERS = {
    "json": (_json_head, _json_rows, b",", lambda names, cut: b"]}}"),
    "xml": (_xml_head, _xml_rows, b"", lambda names, cut: b"</results></sparql>"),
    "csv": (lambda names, cut: _csv_line(names), _csv_rows, b"", _csv_tail),
    "tsv": (lambda names, cut: ("\t".join(f"?{name}" for name in names) + "\n").encode(), _tsv_rows, b"", _tsv_tail),
}
