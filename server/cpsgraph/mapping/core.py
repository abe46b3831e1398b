"""The machinery every table mapping shares: the id registry, labels, citations and problems.

A `Mapper` collects every problem it finds (unknown reference, bad locator, missing label) instead of
stopping at the first, so one build run reports all the rows to fix.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..errors import RowProblem
from ..namespaces import SCHEMA, Base
from ..source import Report, Span, parse_lines, passage_slug  # noqa: F401 - passage_slug: used by the build's mappers
from ..tables import Row
from ..vocab import CPS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Mapper:
    """Holds the dataset being built and everything needed to map rows into it."""

    def __init__(self, base: Base, report: Report | None, root: Path):
        self.base = base
        self.report = report
        self.root = root
        self.dataset = Dataset()
        self.data: Graph = self.dataset.graph(base.graph("data"))
        self.restricted: Graph = self.dataset.graph(base.graph("restricted"))
        self.problems: list[RowProblem] = []
        # kind -> id -> IRI, filled before any reference is resolved
        self.registry: dict[str, dict[str, URIRef]] = defaultdict(dict)
        self.defined_at: dict[tuple[str, str], str] = {}
        # locator -> line spans cited with it, for the passage nodes
        self.passages: dict[str, list[Span]] = defaultdict(list)
        # IRI -> where its row is, so that validation messages can name the row
        self.origin: dict[URIRef, str] = {}
        # a row's citation, checked once: (where, source, lines) -> its passage IRIs
        self._cited: dict[tuple[str, str, str], list[URIRef]] = {}
        # a curation note (English, as its row writes it) -> its Spanish (data/translations/notes-es.po)
        self.notes_es: dict[str, str] = {}

    # -- problems -------------------------------------------------------------------------------

    def problem(self, row: Row, message: str) -> None:
        self.problems.append(RowProblem(row.where, message, row.text("source")))

    # -- registry -------------------------------------------------------------------------------

    def register(self, kind: str, row: Row, key: str = "id", iri: URIRef | None = None) -> URIRef | None:
        ident = row.text(key)
        if not ident:
            self.problem(row, f"empty {key}")
            return None
        if kind != "country" and not SLUG.match(ident):
            self.problem(row, f"{key} '{ident}' is not a slug (lowercase letters, digits, hyphens)")
            return None
        if ident in self.registry[kind]:
            self.problem(row, f"{kind} id '{ident}' is already defined at {self.defined_at[(kind, ident)]}")
            return None
        node = iri if iri is not None else self.base.iri(kind, ident)
        self.registry[kind][ident] = node
        self.defined_at[(kind, ident)] = row.where
        self.origin[node] = row.where
        return node

    def lookup(self, ident: str, kinds: tuple[str, ...]) -> URIRef | None:
        for kind in kinds:
            if ident in self.registry[kind]:
                return self.registry[kind][ident]
        return None

    def ref(self, row: Row, column: str, kinds: tuple[str, ...], required: bool = False) -> URIRef | None:
        ident = row.text(column)
        if not ident:
            if required:
                self.problem(row, f"{column} is empty")
            return None
        node = self.lookup_in(row, column, ident, kinds)
        if node is None and not self._ambiguous(ident, kinds):
            self.problem(row, f"{column} '{ident}' is not a known {' or '.join(kinds)} id")
        return node

    def refs(self, row: Row, column: str, kinds: tuple[str, ...]) -> list[URIRef]:
        nodes = []
        for ident in row.items_of(column):
            node = self.lookup_in(row, column, ident, kinds)
            if node is None and not self._ambiguous(ident, kinds):
                self.problem(row, f"{column} names '{ident}', not a known {' or '.join(kinds)} id")
            elif node is not None:
                nodes.append(node)
        return nodes

    def lookup_in(self, row: Row, column: str, ident: str, kinds: tuple[str, ...]) -> URIRef | None:
        """The node an id of a cell names among `kinds`. An id that several of those kinds define ('ong' is a
        sector, an actor type and a working group) is a problem of the row unless written `kind/id`
        (`sector/ong`): picking the first kind silently linked the NGO working group where NGOs were meant."""
        if "/" in ident:
            kind, _, rest = ident.partition("/")
            return self.registry[kind].get(rest) if kind in kinds else None
        hits = self._ambiguous(ident, kinds)
        if hits:
            self.problem(row, f"{column}: '{ident}' is an id of {', '.join(hits)} alike: write which, "
                              f"{' or '.join(f'{kind}/{ident}' for kind in hits)}")
            return None
        return self.lookup(ident, kinds)

    def _ambiguous(self, ident: str, kinds: tuple[str, ...]) -> list[str]:
        hits = [kind for kind in kinds if ident in self.registry[kind]]
        return hits if len(hits) > 1 else []

    def relate(self, subject: URIRef, prop: URIRef, target: URIRef | Literal, row: Row) -> None:
        """State `subject prop target`, a relation between two entities that `row` (and so its cited
        passages) states (or a value, when a passage of its own states it: a person's honorific). Every relation of the data goes through here: besides the triple it states an
        rdf:Statement about it (a stable IRI made from the triple) that cites the row's passages, so that
        "which relations does passage X state" can be asked (docs/decisions/0018). The same relation
        stated by several rows is one statement citing all their passages."""
        self.data.add((subject, prop, target))
        statement = self.statement_iri(subject, prop, target)
        if (statement, RDF.type, RDF.Statement) not in self.data:
            self.data.add((statement, RDF.type, RDF.Statement))
            self.data.add((statement, RDF.subject, subject))
            self.data.add((statement, RDF.predicate, prop))
            self.data.add((statement, RDF.object, target))
            self.mark(statement, row)
        for passage in self.passages_of(row):
            self.data.add((statement, PROV.wasDerivedFrom, passage))

    def statement_iri(self, subject: URIRef, prop: URIRef, target: URIRef | Literal) -> URIRef:
        """`{base}id/statement/<16 hex digits>`: the first digits of the SHA-256 of the triple in
        N-Triples, so the same relation always gets the same IRI, whatever the order of the build."""
        text = f"{subject.n3()} {prop.n3()} {target.n3()} ."
        return self.base.iri("statement", hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])

    def link(self, node: URIRef, prop: URIRef, row: Row, column: str, kinds: tuple[str, ...],
             required: bool = False) -> URIRef | None:
        """Resolve the id in `column` and state `node prop target`; returns the target (None if absent)."""
        target = self.ref(row, column, kinds, required)
        if target is not None:
            self.relate(node, prop, target, row)
        return target

    def link_all(self, node: URIRef, prop: URIRef, row: Row, column: str, kinds: tuple[str, ...]) -> list[URIRef]:
        """Resolve every id of a list cell and state `node prop target` for each."""
        targets = self.refs(row, column, kinds)
        for target in targets:
            self.relate(node, prop, target, row)
        return targets

    def dated(self, node: URIRef, prop: URIRef, row: Row, column: str) -> None:
        """State an optional ISO date, year-month or year, typed by its precision, and its comparable form
        (`comparable`); a malformed one is a problem of the row."""
        if not row.text(column):
            return
        value = date_literal(row.text(column))
        if value is None:
            self.problem(row, f"{column} '{row.text(column)}' is not an ISO date, year-month or year")
        else:
            self.data.add((node, prop, value))
            self.comparable(node, prop, value)

    def comparable(self, node: URIRef, prop: URIRef, value: Literal) -> None:
        """The comparable form of a date at any precision: cps:earliestStart (for a start, or a date) and
        cps:latestEnd (for an end, or a date), xsd:dateTime, the first and last instants the value allows."""
        first, last = date_bounds(value)
        if prop in (SCHEMA.startDate, DCTERMS.date):
            self.data.add((node, CPS.earliestStart, first))
        if prop in (SCHEMA.endDate, DCTERMS.date):
            self.data.add((node, CPS.latestEnd, last))

    # -- common statements ----------------------------------------------------------------------

    def labels(self, node: URIRef, row: Row, es: str = "label_es", en: str = "label_en",
               graph: Graph | None = None) -> None:
        graph = graph if graph is not None else self.data
        for column, lang in ((es, "es"), (en, "en")):
            text = _clean(row.text(column))
            if text:
                graph.add((node, RDFS.label, Literal(text, lang=lang)))
            else:
                self.problem(row, f"{column} is empty: every entity needs a label in Spanish and English")

    def alt_labels(self, node: URIRef, row: Row, *columns: str) -> None:
        for column in columns:
            for text in row.items_of(column):
                self.data.add((node, SKOS.altLabel, Literal(_clean(text))))

    def text_pair(self, node: URIRef, prop: URIRef, row: Row, es: str, en: str) -> None:
        """An optional property given in Spanish and English (both or neither)."""
        texts = {lang: _clean(row.text(column)) for column, lang in ((es, "es"), (en, "en"))}
        if any(texts.values()) and not all(texts.values()):
            self.problem(row, f"{es} and {en} must both be given or both be empty")
        for lang, text in texts.items():
            if text:
                self.data.add((node, prop, Literal(text, lang=lang)))

    def typed(self, node: URIRef, row: Row, *classes: URIRef, graph: Graph | None = None) -> None:
        graph = graph if graph is not None else self.data
        for cls in classes:
            graph.add((node, RDF.type, cls))
        self.cite(node, row, graph)
        self.note(node, row.text("note"), graph)

    def note(self, node: URIRef, note: str, graph: Graph | None = None) -> None:
        """The row's curation note (English), and its Spanish where notes-es.po gives it (the shapes warn
        where it does not)."""
        graph = graph if graph is not None else self.data
        if note:
            graph.add((node, CPS.curationNote, Literal(note, lang="en")))
            if self.notes_es.get(note):
                graph.add((node, CPS.curationNote, Literal(self.notes_es[note], lang="es")))

    def cite(self, node: URIRef, row: Row, graph: Graph | None = None) -> None:
        """Link the node to the report passages its row cites, after checking the locators."""
        graph = graph if graph is not None else self.data
        for passage in self.passages_of(row):
            graph.add((node, PROV.wasDerivedFrom, passage))

    def passages_of(self, row: Row) -> list[URIRef]:
        """The passages a row cites, its locators and line ranges checked against the report (once per
        row: a row that several entities or relations cite reports its problems once)."""
        key = (row.where, row.text("source"), row.text("lines"))
        if key not in self._cited:
            self._cited[key] = self._check_citation(row)
        return self._cited[key]

    def _check_citation(self, row: Row) -> list[URIRef]:
        locators = [part.strip() for part in row.text("source").split(";") if part.strip()]
        if not locators:
            self.problem(row, "source is empty: every row cites the report")
            return []
        try:
            spans = parse_lines(row.text("lines")) if row.text("lines") else []
        except ValueError as exc:
            self.problem(row, f"lines: {exc}")
            spans = []
        if not spans:
            self.problem(row, "lines is empty: give the source lines the row comes from")
        elif len(spans) != len(locators):
            self.problem(row, f"{len(locators)} locator(s) in source but {len(spans)} range(s) in lines")
            spans = []
        passages = []
        for i, locator in enumerate(locators):
            span = spans[i] if spans else None
            if self.report is not None:
                try:
                    part = self.report.resolve(locator)
                except ValueError as exc:
                    self.problem(row, f"source: {exc}")
                    continue
                if span is not None and not part.contains(span):
                    self.problem(row, f"lines {span.start}-{span.end} lie outside {locator} "
                                      f"(lines {part.start}-{part.end})")
            if span is not None:
                self.passages[locator].append(span)
            passages.append(self.passage_iri(locator))
        return passages

    def passage_iri(self, locator: str) -> URIRef:
        return self.base.iri("passage", passage_slug(locator))

    def concept(self, scheme: str, ident: str) -> URIRef:
        return self.base.iri(scheme, ident)

    def origin_of(self, node: URIRef) -> str | None:
        return self.origin.get(node)

    def mark(self, node: URIRef, row: Row) -> None:
        self.origin.setdefault(node, row.where)


def date_literal(value: str) -> Literal | None:
    """ISO 8601 date, year-month or year, typed accordingly; None when the text is none of these."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return None


def date_bounds(value: Literal) -> tuple[Literal, Literal]:
    """The first and last instants (xsd:dateTime, no time zone, as the report gives none) that a date of
    any precision allows: '2007' -> 2007-01-01T00:00:00 .. 2007-12-31T23:59:59; a dateTime is its own."""
    text = str(value)
    if value.datatype == XSD.dateTime:
        return Literal(text, datatype=XSD.dateTime), Literal(text, datatype=XSD.dateTime)
    year = int(text[:4])
    if value.datatype == XSD.gYear:
        first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    elif value.datatype == XSD.gYearMonth:
        month = int(text[5:7])
        first, last = f"{text[:7]}-01", f"{text[:7]}-{calendar.monthrange(year, month)[1]:02d}"
    else:
        first = last = text[:10]
    return (Literal(f"{first}T00:00:00", datatype=XSD.dateTime),
            Literal(f"{last}T23:59:59", datatype=XSD.dateTime))


def integer(value) -> Literal | None:
    text = str(value).strip()
    return Literal(int(text), datatype=XSD.integer) if re.fullmatch(r"-?\d+", text) else None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


__all__ = ["Mapper", "passage_slug", "date_literal", "date_bounds", "integer", "DCTERMS"]
