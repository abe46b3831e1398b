"""`cpsgraph query` as a library: find the query (a file, or NAME for `queries/NAME.rq`), run it against the
configured store, and print a table or the chosen format."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import NotAcceptable
from ..formats import format_from_param, formats_for
from ..namespaces import PREFIXES
from .guard import inspect_query
from .results import Answer

TABLE = "table"
CELL_WIDTH = 60
SHORT = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda pair: -len(pair[0]))


def resolve_query(name_or_file: str, queries_dir: Path, values: dict | None = None, base: str | None = None) -> str:
    """The text of a query file, or of the stored query `queries_dir/NAME.rq`, with a stored query's
    parameters bound (given `values`, else their defaults) by the stored-query library (queries.resolve).
    Raises UnknownQuery naming both places tried, InputError, InvalidParameter."""
    from ..namespaces import DEFAULT_BASE
    from ..queries import resolve

    return resolve(name_or_file, queries_dir, values, base or DEFAULT_BASE)


def run_query(store, text: str, output: str = TABLE) -> tuple[str | bytes, Answer]:
    """Run a query; return what to print (a text table, or the bytes of `output`) and the answer.
    Raises NotAcceptable for a format the query form cannot be written in, and the store's errors."""
    shape = inspect_query(text, store.limits)
    offered = formats_for(shape.form)
    if output == TABLE:
        answer = store.query(text, format=offered[0])
        return (table(answer) if shape.form in ("SELECT", "ASK") else answer.body.decode("utf-8")), answer
    try:
        fmt = format_from_param([output], offered)
    except NotAcceptable:
        raise NotAcceptable(f"A {shape.form} result cannot be written as {output!r}; choose table or "
                            + ", ".join(f.name for f in offered) + ".") from None
    answer = store.query(text, format=fmt)
    return answer.body, answer


def table(answer: Answer) -> str:
    """A SPARQL JSON answer as an aligned text table (IRIs shortened with the project's prefixes)."""
    doc = json.loads(answer.body)
    if "boolean" in doc:
        return ("true" if doc["boolean"] else "false") + "\n"
    names = doc["head"]["vars"]
    rows = [[_cell(binding.get(name)) for name in names] for binding in doc["results"]["bindings"]]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(names, widths)).rstrip(),
             "  ".join("-" * width for width in widths)]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}"
                 + (f"; TRUNCATED at the result cap of {answer.limit})" if answer.truncated else ")"))
    return "\n".join(lines) + "\n"


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    value = term["value"]
    if term["type"] == "uri":
        value = next((f"{name}:{value[len(ns):]}" for ns, name in SHORT if value.startswith(ns)), f"<{value}>")
    elif term["type"] == "bnode":
        value = f"_:{value}"
    elif "xml:lang" in term:
        value = f"{value}@{term['xml:lang']}"
    value = " ".join(value.split())
    return value if len(value) <= CELL_WIDTH else value[:CELL_WIDTH - 1] + "…"
