"""`publish`: copy the public graphs into a partner's triplestore, graph by graph, and prove it by counting.

Each named graph of the source replaces the graph of the same name in the target (Graph Store Protocol
PUT, or DROP + INSERT DATA over SPARQL Update); the target's other graphs are left alone. The restricted
graph is never sent, whatever the source holds. Afterwards every graph is counted on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import rdf_format
from . import Store


@dataclass
class GraphCount:
    graph: str
    local: int          # triples we hold
    before: int         # triples the target held before
    after: int          # triples the target holds now

    @property
    def ok(self) -> bool:
        return self.local == self.after


@dataclass
class PublishReport:
    graphs: list[GraphCount] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.graphs) and all(count.ok for count in self.graphs)

    def lines(self) -> list[str]:
        out = [f"{'ok ' if c.ok else 'DIFFERENT'} <{c.graph}>: {c.local} triples here; target had {c.before}, "
               f"now {c.after}" for c in self.graphs]
        out += [f"skipped <{iri}> (never published)" for iri in self.skipped]
        return out


def publish(source: Store, target: Store, *, never: tuple[str, ...] = ()) -> PublishReport:
    """Replace each named graph of `source` in `target`, except those in `never`.
    Raises RemoteStoreError/ConfigError from the target; the report says which counts differ."""
    report = PublishReport()
    ntriples = rdf_format("ntriples")
    for graph in source.named_graphs():
        if graph in never:
            report.skipped.append(graph)
            continue
        local = source.triple_count(graph)
        before = target.triple_count(graph)
        target.load(source.dump(ntriples, graph=graph, timeout=max(source.timeout, 120)).body,
                    format=ntriples, graph=graph)
        report.graphs.append(GraphCount(graph, local, before, target.triple_count(graph)))
    return report
