"""Helpers for the stored-query tests: where the queries are, the built public graph in an embedded
pyoxigraph store, result terms as plain values. (A module of its own name: `conftest` is ambiguous when
several test directories run together.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from cpsgraph.queries import find_query, oxigraph_select, run_page

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
ID = "https://w3id.org/cps-lac/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def load_public(release: Path) -> ox.Store:
    """The public TriG of a built release (ontology and data graphs), in memory."""
    store = ox.Store()
    store.bulk_load(path=str(release / "public" / "cps-lac.trig"), format=ox.RdfFormat.TRIG)
    return store


def plain(term):
    """A result term as a Python value: our IRIs as `kind/id`, other IRIs whole, literals by datatype."""
    if isinstance(term, ox.NamedNode):
        return term.value[len(ID):] if term.value.startswith(ID) else term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == XSD + "integer":
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def run_on(store: ox.Store, name: str, **params) -> list[dict]:
    """Every row of a stored query (all pages in one), as dicts of plain values."""
    page = run_page(find_query(name, QUERIES), oxigraph_select(store), params, per_page=1000)
    assert not page.has_next
    return [{key: plain(value) for key, value in row.items()} for row in page.rows]
