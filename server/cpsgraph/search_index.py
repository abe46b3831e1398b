"""Search as you type: a full-text index of every name of the graph's entities, built once per served release
(SQLite FTS5, from Python's standard library) and asked on every key press.

Each name (labels in both languages, other names, acronyms) is one row of an FTS5 table whose tokenizer folds
case and accents (`unicode61 remove_diacritics 2`), so "panama" finds Panamá and "pnu" finds PNUMA. Every word
of the query is a prefix ("grac sca" finds Graciela Scavone). The hits are entities, not names: one per entity,
ranked by what kind of thing it is (persons, organizations, countries and groups first; passages and
intermediate records such as participations last), then by how the query met the name (the whole name, its
start, the start of a later word), then by the name's length.

    index = SearchIndex(entries)          # entries: IndexEntry, from the entity index
    SearchIndex.open(path)                # the one a build wrote (index.to_bytes()), read-only
    index.search("pana", limit=8)        # [SearchHit(iri=..., kind="country", ...), ...]
    index.kind_counts("pana")            # {"country": 1, "person": 2, ...}
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

# Tier of each kind (the IRI's `{base}id/<kind>/` segment): what a reader most likely looks for comes first.
PRIMARY = ("person", "organization", "country", "subregion", "working-group", "task-force", "initiative", "event",
           "place")
INTERMEDIATE = ("participation", "affiliation", "drafting-member", "seat", "count", "passage", "dataset")
TOKENIZER = "unicode61 remove_diacritics 2"
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, words separated by one space: "Panamá," -> "panama"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


def tier_of(kind: str) -> int:
    return 0 if kind in PRIMARY else 2 if kind in INTERMEDIATE else 1


@dataclass
class IndexEntry:
    iri: str
    kind: str                                             # the IRI's kind segment
    labels: dict[str, str]                                # "es", "en" (and "" untagged) -> label
    names: list[str] = field(default_factory=list)        # other names, acronyms
    kind_label: dict[str, str] = field(default_factory=dict)    # "es"/"en" -> what it is, in words
    description: dict[str, str] = field(default_factory=dict)   # "es"/"en" -> one line of context


@dataclass(frozen=True)
class SearchHit:
    iri: str
    kind: str
    label: str
    kind_label: str
    description: str
    matched: str          # the name the query met, as written
    alternative: bool     # `matched` is not a label of the entity


def label_in(labels: dict[str, str], lang: str) -> str:
    return labels.get(lang) or labels.get("") or labels.get("es") or labels.get("en") or \
        next(iter(labels.values()), "")


def match_expression(query: str) -> str | None:
    """The FTS5 query for what a person typed: every folded word as a quoted prefix; None when nothing is left
    (punctuation only). Quoting keeps FTS5's operators (AND, NEAR, *, ^, :) from being read in user text."""
    words = fold(query).split()
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words[:12])


NAMES_PER_ENTITY = 64   # rowid = entity * 64 + the name's number: the FTS5 rowid says which entity a name is of
WINDOW = 240            # best candidates (in static order) that are ranked by how the query meets them


class SearchIndex:
    """An in-memory FTS5 index; safe to share between request threads (one connection behind a lock).

    Entities are numbered in a static order of preference: tier, then the kind's order (PRIMARY), then the
    length of the label. A name's FTS5 rowid is its entity's number times NAMES_PER_ENTITY plus its own
    number (labels before other names), so FTS5 hands out the matches best entity first, and a query reads
    only the first WINDOW of them however many names match ("a" matches most of a million-triple graph).
    Those candidates are then ranked by how the query met the name: the whole name, its start, a later word.
    """

    def __init__(self, entries: Iterable[IndexEntry]):
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db, entries)
        self._attach(db)

    @classmethod
    def open(cls, path) -> "SearchIndex":
        """The index a build wrote (`to_bytes`, see artefacts.py), opened read-only: nothing is rebuilt, so the
        cost does not grow with the graph beyond reading the entities' kinds. Raises sqlite3.DatabaseError for a
        file that is not such an index."""
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        try:
            index = cls.__new__(cls)
            index._attach(db)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return index

    def to_bytes(self) -> bytes:
        """The whole index as an SQLite database file (what `cpsgraph build` writes into a release)."""
        with self._lock:
            return self._db.serialize()

    def _attach(self, db: sqlite3.Connection) -> None:
        """Read what queries need besides the database: each entity's kind and label count, and where each tier
        starts."""
        self._lock = threading.Lock()
        self._db = db
        self._kind_of = [""]
        self._labels = {}
        self._tier_start = {}
        self._kind_labels: dict[str, dict[str, str]] = {}   # kind_<lang> column -> kind_labels: read-only index
        for number, kind, tier, labels in db.execute("SELECT id, kind, tier, labels FROM entity ORDER BY id"):
            self._kind_of.append(kind)
            self._labels[number] = labels
            self._tier_start.setdefault(tier, number)
        self.size = len(self._kind_of) - 1
        self.names = db.execute("SELECT COUNT(*) FROM exact").fetchone()[0]

    def _rowid_bounds(self, max_tier: int) -> int:
        """The first rowid past the entities of tiers above `max_tier`."""
        later = [start for tier, start in self._tier_start.items() if tier > max_tier]
        return (min(later) if later else self.size + 1) * NAMES_PER_ENTITY

    def _candidates(self, expression: str, folded: str, bound: int, kind: str | None, limit: int):
        """(entity, name, folded, rowid) of the best names matching, entity by entity in static order."""
        kind_filter = "" if kind is None else " AND e.kind = :kind"
        exact = self._db.execute(
            f"""SELECT x.rowid_ / {NAMES_PER_ENTITY}, n.name, n.folded, x.rowid_ FROM exact x
                JOIN names n ON n.rowid = x.rowid_ JOIN entity e ON e.id = x.rowid_ / {NAMES_PER_ENTITY}
                WHERE x.folded = :q AND x.rowid_ < :bound {kind_filter} LIMIT :limit""",
            {"q": folded, "bound": bound, "kind": kind, "limit": limit}).fetchall()
        if kind is None:
            sql = f"""SELECT rowid / {NAMES_PER_ENTITY}, name, folded, rowid FROM names
                      WHERE names MATCH :match AND rowid < :bound ORDER BY rowid LIMIT :window"""
        else:
            sql = f"""SELECT n.rowid / {NAMES_PER_ENTITY}, n.name, n.folded, n.rowid FROM names n
                      JOIN entity e ON e.id = n.rowid / {NAMES_PER_ENTITY}
                      WHERE names MATCH :match AND n.rowid < :bound AND e.kind = :kind ORDER BY n.rowid LIMIT :window"""
        window = self._db.execute(sql, {"match": expression, "bound": bound, "kind": kind,
                                        "window": max(WINDOW, limit * 4)}).fetchall()
        return exact + window

    def _ranked(self, query: str, bound: int, kind: str | None, limit: int) -> list[tuple]:
        expression = match_expression(query)
        if expression is None:
            return []
        folded = fold(query)
        best: dict[int, tuple] = {}
        for entity, name, name_folded, rowid in self._candidates(expression, folded, bound, kind, limit):
            quality = 0 if name_folded == folded else 1 if name_folded.startswith(folded) else 2
            alt = int(rowid % NAMES_PER_ENTITY >= self._labels.get(entity, 1))
            key = (tier_of(self._kind_of[entity]), quality, alt, entity)
            if entity not in best or key < best[entity][0]:
                best[entity] = (key, name, alt)
        return sorted(best.values())

    def search(self, query: str, *, lang: str = "es", limit: int = 10, offset: int = 0,
               kind: str | None = None, max_tier: int = 2) -> list[SearchHit]:
        """The entities one of whose names holds every word of `query` as a word prefix, best first; one hit
        per entity. `kind` keeps one kind; `max_tier` 0 keeps the primary kinds, 1 also the others but the
        intermediate records. Past the best WINDOW candidates, hits come in static order (see the class)."""
        with self._lock:
            ranked = self._ranked(query, self._rowid_bounds(max_tier), kind, limit + offset)
            if len(ranked) < limit + offset and len(ranked) >= WINDOW:
                ranked += self._rest(query, {key[3] for key, _, _ in ranked}, self._rowid_bounds(max_tier),
                                     kind, limit + offset - len(ranked))
            chosen = ranked[offset:offset + limit]
            column = _lang(lang)
            found = []
            for (_, _, _, entity), name, alt in chosen:
                iri, kind_, label, kind_label, description = self._db.execute(
                    f"SELECT iri, kind, label_{column}, kind_{column}, desc_{column} FROM entity WHERE id = ?",
                    (entity,)).fetchone()
                found.append(SearchHit(iri, kind_, label, kind_label, description, name, bool(alt)))
        return found

    def _rest(self, query: str, seen: set[int], bound: int, kind: str | None, wanted: int) -> list[tuple]:
        """Hits past the window, in static order (for the search page's later pages)."""
        expression = match_expression(query)
        rows = self._db.execute(f"SELECT rowid / {NAMES_PER_ENTITY}, name, rowid FROM names WHERE names MATCH ? "
                                "AND rowid < ? ORDER BY rowid", (expression, bound))
        more: list[tuple] = []
        for entity, name, rowid in rows:
            if entity in seen or (kind is not None and self._kind_of[entity] != kind):
                continue
            seen.add(entity)
            alt = int(rowid % NAMES_PER_ENTITY >= self._labels.get(entity, 1))
            more.append(((tier_of(self._kind_of[entity]), 2, alt, entity), name, alt))
            if len(more) >= wanted:
                break
        return more

    def kind_counts(self, query: str, *, max_tier: int = 2, cap: int | None = None) -> dict[str, int]:
        """How many entities of each kind match `query` (the facet of the search page). With `cap`, at most
        that many matching names are read (a one-letter query matches most of a large graph) and the counts
        are then lower bounds: `counted_all(query, cap)` says which."""
        expression = match_expression(query)
        if expression is None:
            return {}
        limit = -1 if cap is None else int(cap)
        with self._lock:
            rows = self._db.execute(f"SELECT rowid / {NAMES_PER_ENTITY} FROM names WHERE names MATCH ? "
                                    "AND rowid < ? LIMIT ?", (expression, self._rowid_bounds(max_tier), limit))
            entities = {entity for (entity,) in rows}
        counts: dict[str, int] = {}
        for entity in entities:
            kind = self._kind_of[entity]
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def counted_all(self, query: str, cap: int, *, max_tier: int = 2) -> bool:
        """Whether no more than `cap` names match `query` (so `kind_counts(query, cap=cap)` is exact)."""
        expression = match_expression(query)
        if expression is None:
            return True
        with self._lock:
            row = self._db.execute("SELECT rowid FROM names WHERE names MATCH ? AND rowid < ? LIMIT 1 OFFSET ?",
                                   (expression, self._rowid_bounds(max_tier), int(cap))).fetchone()
        return row is None

    def kind_labels(self, lang: str = "es") -> dict[str, str]:
        """What each kind is called in `lang` (the commonest wording among its entities). Counted once per
        language: the count reads every entity (62 of a search page's 92 ms at a million triples)."""
        column = f"kind_{_lang(lang)}"
        with self._lock:
            if column not in self._kind_labels:
                rows = self._db.execute(f"SELECT kind, {column}, COUNT(*) AS n FROM entity GROUP BY kind, "
                                        f"{column} ORDER BY kind, n DESC").fetchall()
                labels: dict[str, str] = {}
                for kind, label, _ in rows:
                    labels.setdefault(kind, label or kind)
                self._kind_labels[column] = labels
            return dict(self._kind_labels[column])

    def close(self) -> None:
        self._db.close()


def _fill(db: sqlite3.Connection, entries: Iterable[IndexEntry]) -> None:
    """Create and fill the index's tables (see SearchIndex) in `db`."""
    db.execute("CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, tier INTEGER, labels INTEGER, "
               "label_es TEXT, label_en TEXT, kind_es TEXT, kind_en TEXT, desc_es TEXT, desc_en TEXT)")
    db.execute("CREATE TABLE exact (folded TEXT, rowid_ INTEGER)")
    db.execute(f"CREATE VIRTUAL TABLE names USING fts5(name, folded UNINDEXED, tokenize='{TOKENIZER}', "
               "prefix='1 2 3', detail=column)")
    entity_rows, name_rows = [], []
    for number, entry in enumerate(sorted(entries, key=_static_order), start=1):
        labels = len({fold(n) for n in entry.labels.values()} - {""})
        entity_rows.append((number, entry.iri, entry.kind, tier_of(entry.kind), labels,
                            label_in(entry.labels, "es"), label_in(entry.labels, "en"),
                            entry.kind_label.get("es", ""), entry.kind_label.get("en", ""),
                            entry.description.get("es", ""), entry.description.get("en", "")))
        seen: set[str] = set()
        names = sorted(set(entry.labels.values()), key=lambda n: (len(n), n)) + [n for n in entry.names if n]
        for name in names:
            folded = fold(name)
            if folded and folded not in seen and len(seen) < NAMES_PER_ENTITY:
                name_rows.append((number * NAMES_PER_ENTITY + len(seen), name, folded))
                seen.add(folded)
    db.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?)", entity_rows)
    db.executemany("INSERT INTO names (rowid, name, folded) VALUES (?,?,?)", name_rows)
    db.executemany("INSERT INTO exact VALUES (?,?)", [(folded, rowid) for rowid, _, folded in name_rows])
    db.execute("CREATE INDEX exact_folded ON exact (folded)")
    db.execute("INSERT INTO names(names) VALUES ('optimize')")
    db.commit()


def _static_order(entry: IndexEntry) -> tuple:
    kind_rank = PRIMARY.index(entry.kind) if entry.kind in PRIMARY else len(PRIMARY)
    label = label_in(entry.labels, "es") or (entry.names[0] if entry.names else "")
    return (tier_of(entry.kind), kind_rank, len(label), fold(label), entry.iri)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "es"

