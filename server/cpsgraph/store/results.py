"""Query results, capped and serialized. Used where the results are produced: in a query worker for the
embedded store, in the request thread for the remote store (after parsing the remote answer back).

The cap is applied while iterating, so a query with millions of solutions never materialises them. A cut
result says so in its body, in the place each format's readers look:
- SPARQL JSON: a top-level `"truncated": {"limit": N, "message": ...}` member, before `"results"`;
- SPARQL XML: a `<link href="urn:x-cps-lac:truncated:N"/>` in the head and a comment before the results;
- CSV and TSV: a last row whose first cell starts with `TRUNCATED:` (these formats have no other slot);
- RDF: a triple `[] rdfs:comment "TRUNCATED: ..."` (and a `#` comment in Turtle and N-Triples).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import Format
from ..namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
TURTLE_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}


@dataclass
class Answer:
    """A serialized query result: what the web layer sends and the CLI prints."""

    form: str                 # SELECT, ASK, CONSTRUCT, DESCRIBE (or GRAPH for a dump)
    body: bytes
    media_type: str
    count: int | None = None  # solutions or triples in the body (None: ASK, or not counted on the fast path)
    truncated: bool = False
    limit: int | None = None  # the result cap that was in force


def truncation_message(limit: int) -> str:
    return (f"TRUNCATED: the result was cut after {limit} rows/triples (the service's result cap, "
            "CPS_RESULT_CAP). Use LIMIT and OFFSET to page through the rest, or download the dumps.")


def render(result, form: str, fmt: Format, cap: int | None) -> Answer:
    """Serialize a pyoxigraph result (QuerySolutions, QueryBoolean or an iterable of Triples) in `fmt`,
    keeping at most `cap` solutions or triples. Raises ValueError for a format that does not fit the form."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(form, result.serialize(format=fmt.oxigraph), fmt.media_type)
    if isinstance(result, ox.QuerySolutions):
        if fmt.name not in _SOLUTION_WRITERS:
            raise ValueError(f"{fmt.media_type} cannot carry the solutions of a {form} query")
        names = [v.value for v in result.variables]
        rows, truncated = _take(result, cap, tuple)
        body = _SOLUTION_WRITERS[fmt.name](names, rows, cap if truncated else None)
        return Answer(form, body, fmt.media_type, len(rows), truncated, cap)
    triples, truncated = _take(result, cap, None)
    return Answer(form, serialize_triples(triples, fmt, cap if truncated else None), fmt.media_type,
                  len(triples), truncated, cap)


def _take(iterable, cap: int | None, convert) -> tuple[list, bool]:
    rows = []
    for item in iterable:
        if cap is not None and len(rows) >= cap:
            return rows, True
        rows.append(convert(item) if convert else item)
    return rows, False


def serialize_triples(triples: list, fmt: Format, cut_at: int | None = None) -> bytes:
    if cut_at is not None:
        triples = triples + [ox.Triple(ox.BlankNode("truncated"), RDFS_COMMENT,
                                       ox.Literal(truncation_message(cut_at)))]
    with_prefixes = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    prefixes = TURTLE_PREFIXES if fmt.oxigraph in with_prefixes else None
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes) if prefixes else \
        ox.serialize(triples, format=fmt.oxigraph)
    if cut_at is not None and fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        body = f"# {truncation_message(cut_at)}\n".encode() + body
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


def _write_json(names: list[str], rows: list[tuple], cut_at: int | None) -> bytes:
    bindings = [{name: json_term(value) for name, value in zip(names, row) if value is not None} for row in rows]
    doc = {"head": {"vars": names}}
    if cut_at is not None:  # before "results": streaming parsers (pyoxigraph's) stop reading after the bindings
        doc["truncated"] = {"limit": cut_at, "message": truncation_message(cut_at)}
    doc["results"] = {"bindings": bindings}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


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


def _write_xml(names: list[str], rows: list[tuple], cut_at: int | None) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in names]
    if cut_at is not None:
        out.append(f'<link href="urn:x-cps-lac:truncated:{cut_at}"/></head>')
        out.append(f"<!-- {escape(truncation_message(cut_at))} -->")
    else:
        out.append("</head>")
    out.append("<results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                for name, value in zip(names, row) if value is not None]
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode()


def _csv_cell(term) -> str:
    if term is None:
        return ""
    if type(term) is ox.BlankNode:
        return f"_:{term.value}"
    if type(term) is ox.Triple:
        return str(term)
    return term.value


def _write_csv(names: list[str], rows: list[tuple], cut_at: int | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    if cut_at is not None:
        writer.writerow([truncation_message(cut_at)] + [""] * (len(names) - 1))
    return buffer.getvalue().encode()


def _write_tsv(names: list[str], rows: list[tuple], cut_at: int | None) -> bytes:
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join("" if value is None else str(value) for value in row) for row in rows]
    if cut_at is not None:
        lines.append("\t".join([json.dumps(truncation_message(cut_at))] + [""] * (len(names) - 1)))
    return ("\n".join(lines) + "\n").encode()


_SOLUTION_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
