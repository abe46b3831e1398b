"""Reading the RDF files a user hands us (a partner's data, a dump to check) into one rdflib graph.

pyoxigraph parses (it reports the line and column of a syntax error, rdflib mostly does not); the triples
of every file and every named graph in it are merged into one graph. Every failure is an InputError
(exit code 2) that names the file and, where the parser gives them, the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph

from .errors import InputError
from .formats import RDF_FORMATS, Format, from_ox, rdf_format



def file_format(path: Path, fmt: str | None = None) -> Format:
    """The RDF format named by `fmt` (short name, media type or extension), else by the file's extension.
    Raises InputError when neither names a known format."""
    key = fmt or path.suffix
    try:
        return rdf_format(key)
    except KeyError:
        known = ", ".join(f"{f.name} (.{f.extension})" for f in RDF_FORMATS)
        what = f"format '{fmt}'" if fmt else f"the extension '{path.suffix or '(none)'}' of {path}"
        raise InputError(f"{what} is not an RDF format this tool reads; use --format with one of: {known}") from None


def read_rdf_files(paths: Iterable[Path], fmt: str | None = None) -> Graph:
    """Parse every file into one graph (named graphs merged). Raises InputError for a missing, unreadable,
    malformed or empty file."""
    graph = Graph()
    for path in paths:
        before = len(graph)
        for triple in _parse(path, file_format(path, fmt)):
            graph.add(triple)
        if len(graph) == before:
            raise InputError(f"{path}: no RDF statements in the file (an empty file does not conform to anything)")
    return graph


def _parse(path: Path, fmt: Format) -> Iterable[tuple]:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not content.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        # Relative IRIs resolve against the file's own location, as a browser would.
        quads = list(ox.parse(input=content, format=fmt.oxigraph, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(f"{path}: not valid {fmt.name}{_position(exc)}: {_reason(exc)}") from exc
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: not valid {fmt.name}: {exc}") from exc
    try:
        return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads]
    except TypeError as exc:
        raise InputError(f"{path}: RDF-star triple terms are not supported ({exc})") from exc


def _position(exc: SyntaxError) -> str:
    if exc.lineno is None:
        return ""
    return f" at line {exc.lineno}" + (f", column {exc.offset}" if exc.offset is not None else "")


def _reason(exc: SyntaxError) -> str:
    # pyoxigraph's message starts with its own "Parser error at line 3 column 5: "; keep only the reason
    text = str(exc.msg if hasattr(exc, "msg") else exc)
    return text.split(": ", 1)[1] if text.startswith("Parser error") and ": " in text else text
