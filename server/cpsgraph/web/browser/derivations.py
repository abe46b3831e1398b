"""Which passages of the report each entity is derived from (prov:wasDerivedFrom, with the passage's locator and
lines): what a page's evidence shows and what links the report's blocks to the entities they gave.

An SQLite table, one row per (entity, passage), read per entity, so the web process does not hold every
derivation of the graph (at ten million triples, a gigabyte of Python objects). `cpsgraph build` writes it into
the release (artefacts.py); the server opens that file, and fills the same table in memory from its store only
when it serves files given with --data or a release without it.

    found = Derivations(store.select(Derivations.QUERY))   # from the store (the build; --data)
    found = Derivations.open(path)                            # the release's index/derivations.sqlite
    found.of(iri)          # [("§37", 106, 108), ...] in the report's order
    found.all()            # (entity, first line) of every derivation
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Iterator

from ...artefacts import open_sqlite

QUERY = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
SELECT DISTINCT ?s ?locator ?start ?end WHERE {
  ?s prov:wasDerivedFrom ?passage . ?passage bibo:locator ?locator ; cps:lineStart ?start ; cps:lineEnd ?end
  FILTER(isIRI(?s)) }"""
BATCH = 5000


class Derivations:
    QUERY = QUERY

    def __init__(self, rows):
        """The derivations of `rows`, answers to QUERY (dicts of pyoxigraph terms s, locator, start, end)."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE TABLE derivation (iri TEXT, start INTEGER, locator TEXT, end INTEGER, "
                   "PRIMARY KEY (iri, start, locator, end)) WITHOUT ROWID")
        db.executemany("INSERT OR IGNORE INTO derivation VALUES (?, ?, ?, ?)", sorted(
            (row["s"].value, _int(row["start"].value), row["locator"].value, _int(row["end"].value))
            for row in rows))
        db.commit()
        self._attach(db)

    @classmethod
    def open(cls, path) -> "Derivations":
        """The table a build wrote (`to_bytes`), read-only. Raises sqlite3.DatabaseError for another file."""
        found = cls.__new__(cls)
        found._attach(open_sqlite(path, "SELECT iri, start, locator, end FROM derivation LIMIT 1"))
        return found

    def _attach(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()   # one connection shared by the request threads

    def to_bytes(self) -> bytes:
        """The whole table as an SQLite database file (what `cpsgraph build` writes into a release)."""
        with self._lock:
            return self._db.serialize()

    def of(self, iri: str) -> list[tuple[str, int, int]]:
        """The passages `iri` is derived from: (locator, first line, last line), in the report's order."""
        with self._lock:
            rows = self._db.execute("SELECT locator, start, end FROM derivation WHERE iri = ? "
                                    "ORDER BY start, locator, end", (iri,)).fetchall()
        return [tuple(row) for row in rows]

    def all(self) -> Iterator[tuple[str, int]]:
        """(entity, first line of a passage it is derived from), for every derivation (read in batches)."""
        after: tuple = ("", -1, "", -1)
        while True:
            with self._lock:
                rows = self._db.execute("SELECT iri, start, locator, end FROM derivation "
                                        "WHERE (iri, start, locator, end) > (?, ?, ?, ?) "
                                        "ORDER BY iri, start, locator, end LIMIT ?", (*after, BATCH)).fetchall()
            if not rows:
                return
            yield from ((iri, start) for iri, start, _, _ in rows)
            after = rows[-1]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM derivation").fetchone()[0]


def _int(value: str) -> int:
    return int(str(value))
