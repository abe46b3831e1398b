"""`publish`: copy the public graphs into a partner's triplestore, graph by graph, and prove it by reading
them back.

Each named graph of the source replaces the graph of the same name in the target (Graph Store Protocol
PUT, or DROP + INSERT DATA in batches over SPARQL Update); the target's other graphs are left alone. The
restricted graph is never sent, whatever the source holds. Afterwards every graph is read back from the
target and compared triple by triple with ours: a store may change what it is given (Virtuoso's SPARQL
Update turns `"31"^^xsd:decimal` into `"31"^^xsd:integer`), and the report names each literal it changed.
Triples with blank nodes are compared by number only (the store labels blank nodes as it pleases).

A store that keeps a literal in a form of its own which the remote store reads back unambiguously (Virtuoso
keeps `"P2Y"^^xsd:duration` as 24, its number of months: store/remote.py) does not fail the comparison: the
value read back is ours. The report says how many literals of which datatype the store keeps so, because
what the store computes from them inside a query (STR(), comparisons) is its own form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import UnknownGraph
from ..formats import rdf_format
from . import Store

SHOWN = 10   # changed, missing or extra triples named in the report, per graph
STORE_FORMS = {   # what the remote store reads back (store/remote.py, _lexical), as the report names it
    "xsd:duration": "Virtuoso: years and months as a number of months, days to seconds as a number of seconds",
    "xsd:yearMonthDuration": "Virtuoso: a number of months", "xsd:dayTimeDuration": "Virtuoso: a number of seconds"}


@dataclass
class GraphCount:
    graph: str
    local: int          # triples we hold
    before: int         # triples the target held before
    after: int          # triples the target holds now
    missing: list = field(default_factory=list)   # our triples the target does not hold (not blank-node ones)
    extra: list = field(default_factory=list)     # the target's triples we do not hold
    changed: list = field(default_factory=list)   # (our triple, the target's literal) for each one it rewrote
    blank_local: int = 0
    blank_after: int = 0
    store_forms: dict = field(default_factory=dict)   # datatype -> literals the store keeps in a form of its own

    @property
    def retyped(self) -> list:
        """The changed literals whose datatype the store changed (a lexical form alone is not counted)."""
        return [(ours, theirs) for ours, theirs in self.changed if ours.object.datatype != theirs.datatype]

    @property
    def ok(self) -> bool:
        return (self.local == self.after and not self.missing and not self.extra and not self.retyped
                and self.blank_local == self.blank_after)


@dataclass
class PublishReport:
    graphs: list[GraphCount] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.graphs) and all(count.ok for count in self.graphs)

    def lines(self) -> list[str]:
        out = []
        for c in self.graphs:
            out.append(f"{'ok ' if c.ok else 'DIFFERENT'} <{c.graph}>: {c.local} triples here; target had "
                       f"{c.before}, now {c.after}")
            if c.changed:
                out.append(f"  the store changed {len(c.changed)} literal(s) ({len(c.retyped)} of another "
                           "datatype now), e.g.:")
                out += [f"    {ours.subject} {ours.predicate} {ours.object} became {theirs}"
                        for ours, theirs in (c.retyped or c.changed)[:SHOWN]]
            out += [f"  the store keeps {n} {_short(datatype)} literal(s) in a form of its own "
                    f"({STORE_FORMS.get(_short(datatype), 'not XSD')}); read back here in canonical form"
                    for datatype, n in sorted(c.store_forms.items())]
            out += [f"  missing there: {t}" for t in c.missing[:SHOWN]]
            out += [f"  only there: {t}" for t in c.extra[:SHOWN]]
            if c.blank_local != c.blank_after:
                out.append(f"  triples with blank nodes: {c.blank_local} here, {c.blank_after} there")
        out += [f"skipped <{iri}> (never published)" for iri in self.skipped]
        return out


def publish(source: Store, target: Store, *, never: tuple[str, ...] = ()) -> PublishReport:
    """Replace each named graph of `source` in `target`, except those in `never`, and read each back.
    Raises RemoteStoreError/ConfigError from the target; the report says which triples differ."""
    report = PublishReport()
    ntriples = rdf_format("ntriples")
    timeout = max(source.timeout, 120)
    for graph in source.named_graphs():
        if graph in never:
            report.skipped.append(graph)
            continue
        ours = source.dump(ntriples, graph=graph, timeout=timeout).body
        before = target.triple_count(graph)
        target.load(ours, format=ntriples, graph=graph)
        forms = Counter(getattr(target, "store_forms", {}))
        try:
            theirs = _triples(target.dump(ntriples, graph=graph, timeout=timeout).body)
        except UnknownGraph:   # the target holds none of it (it was sent elsewhere)
            theirs = []
        count = compare(graph, _triples(ours), theirs, before)
        count.store_forms = dict(Counter(getattr(target, "store_forms", {})) - forms)
        report.graphs.append(count)
    return report


def _short(datatype: str) -> str:
    return datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")


def _triples(body: bytes) -> list:
    return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


def _has_blank(triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def compare(graph: str, ours: list, theirs: list, before: int) -> GraphCount:
    mine = {t for t in ours if not _has_blank(t)}
    there = {t for t in theirs if not _has_blank(t)}
    missing, extra = sorted(mine - there, key=str), sorted(there - mine, key=str)
    changed = []
    by_place = {}
    for triple in extra:
        if isinstance(triple.object, ox.Literal):
            by_place.setdefault((triple.subject, triple.predicate), []).append(triple)
    for triple in list(missing):
        candidates = by_place.get((triple.subject, triple.predicate), []) \
            if isinstance(triple.object, ox.Literal) else []
        match = next((c for c in candidates if _same_value(triple.object, c.object)), None)
        if match is not None:
            changed.append((triple, match.object))
            missing.remove(triple)
            extra.remove(match)
            candidates.remove(match)
    return GraphCount(graph, len(set(ours)), before, len(set(theirs)), missing, extra, changed,
                      sum(map(_has_blank, set(ours))), sum(map(_has_blank, set(theirs))))


def _same_value(a: ox.Literal, b: ox.Literal) -> bool:
    """The same lexical form or the same number: what a store's rewriting of a literal keeps."""
    if a.value == b.value:
        return True
    truth = {"1": "true", "0": "false"}
    if truth.get(a.value, a.value) == truth.get(b.value, b.value):
        return True
    try:
        return float(a.value) == float(b.value)
    except ValueError:
        return a.value.strip().lower() == b.value.strip().lower()
