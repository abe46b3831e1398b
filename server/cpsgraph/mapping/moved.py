"""Moved identifiers (data/moved_ids.csv): an id that changes keeps resolving.

A published IRI never breaks: when a row's id has to change (it said something the report does not), the old
IRI stays in the graph with `dcterms:isReplacedBy` the new one, and the browser answers the old `/id/...`
with 301 Moved Permanently to the new one. The old IRI carries nothing else: no type, no label, so no query
of the entities counts it twice.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

from ..tables import Row
from .core import SLUG, Mapper


def map_moved_ids(m: Mapper, rows: list[Row]) -> None:
    """State `old dcterms:isReplacedBy new` for each row. A row is a problem when an id is not a path of
    slugs, the new IRI names nothing the graph holds, or the old one is still in use."""
    seen: set[str] = set()
    for row in rows:
        old, new = (_iri(m, row, column) for column in ("old_id", "new_id"))
        if old is None or new is None:
            continue
        if row.text("old_id") in seen:
            m.problem(row, f"old_id '{row.text('old_id')}' is listed twice")
            continue
        seen.add(row.text("old_id"))
        if (new, None, None) not in m.data:
            m.problem(row, f"new_id '{row.text('new_id')}' names nothing the graph holds")
            continue
        if (old, None, None) in m.data or (None, None, old) in m.data:
            m.problem(row, f"old_id '{row.text('old_id')}' is still in use: an id moves only when nothing uses it")
            continue
        if not row.text("reason"):
            m.problem(row, "reason is empty: say why the id moved")
        m.mark(old, row)
        # not m.relate: the old IRI is no entity (no type, no citation), and nothing, not even an rdf:Statement,
        # points at it; the row's reason and passage are in moved_ids.csv and the change note
        m.data.add((old, DCTERMS.isReplacedBy, new))
        m.data.add((old, OWL.deprecated, Literal(True, datatype=XSD.boolean)))
        if row.text("reason"):
            m.data.add((old, SKOS.changeNote, Literal(row.text("reason"), lang="en")))


def _iri(m: Mapper, row: Row, column: str) -> URIRef | None:
    parts = row.text(column).split("/")
    if len(parts) < 2 or not all(SLUG.match(part) for part in parts):
        m.problem(row, f"{column} '{row.text(column)}' is not a path of slugs under id/ (seat/nicaragua-caribe-tt)")
        return None
    return m.base.iri(*parts)

