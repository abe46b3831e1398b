"""Per-release artefacts: files `cpsgraph build` derives from the validated public graphs besides the dumps (the
entity index, the derivations, the search index, the counts), so that the server opens them at start-up instead
of computing them there, and reads the indexes from disk instead of holding them in memory.

An artefact is written into the release beside the dumps (`index/<file>`), listed with its SHA-256 in the
release's manifest.json (so it is part of the release digest and pinned with it), and staged with the rest of
the release, so a failed build never replaces a good one (build.write_release). The server finds it in the
release it pinned (`artefact_file`), checked against the manifest; a release without it (an older build) or
with a damaged one is logged and the server computes the same thing from its store, as before.

An artefact holds only what the public graphs hold (it is published with them): never the report's words,
which are read at run time from the operator's copy (docs/decisions/0020-...).

To add one (the network index, for instance): a function `make(sources) -> bytes`, where `sources.select` runs
a SPARQL SELECT on the public graphs (rows of pyoxigraph terms) and `sources.entities` is the entity index,
registered in ARTEFACTS under a name; the server reads it with `artefact_file(stores().release, name)`.

    files.update(render_artefacts(select, base))     # in the build, before the manifest is written
    path = artefact_file(release, "search")          # in the server: Path, or None (then compute it)
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

log = logging.getLogger("cpsgraph.artefacts")


@dataclass(frozen=True)
class Artefact:
    path: str                                   # inside a release
    make: Callable[["Sources"], bytes]          # what the public graphs give -> the file's bytes


class Sources:
    """What artefacts are made from: the public graphs, read by `select` (a SPARQL SELECT -> rows of pyoxigraph
    terms), and the base IRI; with the entity index made once for every artefact that reads it."""

    def __init__(self, select: Callable, base: str):
        self.select = select
        self.base = base

    @cached_property
    def entities(self):
        from .web.browser.browse_queries import index_rows
        from .web.browser.entities import Entities

        class _Selecting:   # what index_rows reads: a store with `select`
            def __init__(self, run):
                self.select = run

        return Entities(index_rows(_Selecting(self.select)), self.base)


def _entity_index(sources: Sources) -> bytes:
    return sources.entities.to_bytes()


def _derivations(sources: Sources) -> bytes:
    from .web.browser.derivations import Derivations

    return Derivations(sources.select(Derivations.QUERY)).to_bytes()


def _search_index(sources: Sources) -> bytes:
    from .web.browser.suggest import build_index

    return build_index(sources.entities, sources.select).to_bytes()


def _counts(sources: Sources) -> bytes:
    """The triples of each public graph and of their union, as /readyz reports them: counted here once, since
    counting ten million triples in the served store takes longer than a readiness probe may wait."""
    from .web.ops import GRAPH_COUNTS, graph_counts

    graphs, triples = graph_counts(sources.select(GRAPH_COUNTS))
    return json.dumps({"graphs": graphs, "triples": triples}, indent=1, sort_keys=True).encode() + b"\n"


ARTEFACTS: dict[str, Artefact] = {
    "entities": Artefact("index/entities.sqlite", _entity_index),
    "derivations": Artefact("index/derivations.sqlite", _derivations),
    "search": Artefact("index/search.sqlite", _search_index),
    "counts": Artefact("index/counts.json", _counts),
}


def render_artefacts(select, base: str) -> dict[str, bytes]:
    """Every artefact's file (release path -> bytes), from the public graphs that `select` reads."""
    sources = Sources(select, base)
    return {artefact.path: artefact.make(sources) for artefact in ARTEFACTS.values()}


def artefact_file(release: Path | None, name: str) -> Path | None:
    """The artefact `name` of `release`, when the release has it and its bytes match the manifest's digest;
    None otherwise (no release: the service serves --data files; an older build; a damaged file, logged)."""
    if release is None:
        return None
    rel = ARTEFACTS[name].path
    path = release / rel
    try:
        expected = json.loads((release / "manifest.json").read_text(encoding="utf-8")).get(rel)
    except (OSError, ValueError, AttributeError):
        expected = None
    if expected is None:
        log.info("release %s has no %s artefact (%s): it is computed at start-up", release.name, name, rel)
        return None
    try:
        with path.open("rb") as content:   # read in blocks: the search index is 0.5 GiB at ten million triples
            intact = hashlib.file_digest(content, "sha256").hexdigest() == expected
    except OSError:
        intact = False
    if not intact:
        log.warning("release %s: %s is missing or does not match the digest in manifest.json; the %s is computed "
                    "from the store instead (run `cpsgraph build` again)", release.name, rel, name)
        return None
    return path


def open_sqlite(path: Path, probe: str) -> sqlite3.Connection:
    """An SQLite artefact opened read-only, shared by request threads (callers hold a lock); `probe`, a SELECT of
    the columns the reader needs, is run once so that another file raises sqlite3.DatabaseError here."""
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        db.execute(probe).fetchall()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def open_or_make(release: Path | None, name: str, open_file: Callable[[Path], object], make: Callable[[], object]):
    """The artefact `name` of `release` opened by `open_file(path)`; where the release has none, a damaged one
    (artefact_file) or one `open_file` cannot read (sqlite3.DatabaseError, logged), `make()`: the same thing
    computed from the store."""
    path = artefact_file(release, name)
    if path is not None:
        try:
            return open_file(path)
        except sqlite3.DatabaseError as error:
            log.warning("release %s: %s cannot be read (%s); the %s is computed from the store instead",
                        release.name, ARTEFACTS[name].path, error, name)
    return make()
