"""Search as you type: a full-text index of every name of the graph's entities, built once per served release
(SQLite FTS5, from Python's standard library) and asked on every key press.

Each name (labels in both languages, other names, acronyms) is one row of an FTS5 table whose tokenizer folds
case and accents (`unicode61 remove_diacritics 2`), so "panama" finds Panamá and "pnu" finds PNUMA. Every word
of the query is a prefix ("grac sca" finds Graciela Scavone). The hits are entities, not names: one per entity,
ranked by what kind of thing it is (persons, organizations, countries and groups first; passages and
intermediate records such as participations last), then by how the query met the name (the whole name, its
start, the start of a later word), then by the name's length.

    index = SearchIndex(entries)          # entries: IndexEntry, from the entity index
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


class SearchIndex:
    """An in-memory FTS5 index; safe to share between request threads (one connection behind a lock)."""

    def __init__(self, entries: Iterable[IndexEntry]):
        self._lock = threading.Lock()
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, tier INTEGER, "
                   "label_es TEXT, label_en TEXT, kind_es TEXT, kind_en TEXT, desc_es TEXT, desc_en TEXT)")
        db.execute(f"CREATE VIRTUAL TABLE names USING fts5(name, entity UNINDEXED, folded UNINDEXED, "
                   f"alt UNINDEXED, tokenize='{TOKENIZER}', prefix='1 2 3')")
        entity_rows, name_rows = [], []
        for number, entry in enumerate(entries, start=1):
            entity_rows.append((number, entry.iri, entry.kind, tier_of(entry.kind), label_in(entry.labels, "es"),
                                label_in(entry.labels, "en"), entry.kind_label.get("es", ""),
                                entry.kind_label.get("en", ""), entry.description.get("es", ""),
                                entry.description.get("en", "")))
            seen = set()
            for names, alt in ((entry.labels.values(), 0), (entry.names, 1)):
                for name in names:
                    folded = fold(name)
                    if folded and folded not in seen:
                        seen.add(folded)
                        name_rows.append((name, number, folded, alt))
        db.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?)", entity_rows)
        db.executemany("INSERT INTO names (name, entity, folded, alt) VALUES (?,?,?,?)", name_rows)
        db.execute("INSERT INTO names(names) VALUES ('optimize')")
        db.commit()
        self._db = db
        self.size = len(entity_rows)
        self.names = len(name_rows)

    def search(self, query: str, *, lang: str = "es", limit: int = 10, offset: int = 0,
               kind: str | None = None, max_tier: int = 2) -> list[SearchHit]:
        """The entities one of whose names holds every word of `query` as a word prefix, best first; one hit
        per entity. `kind` keeps one kind; `max_tier` 0 keeps the primary kinds, 1 also the others but the
        intermediate records."""
        expression = match_expression(query)
        if expression is None:
            return []
        folded = fold(query)
        sql = f"""
            SELECT e.iri, e.kind, e.label_{_lang(lang)}, e.kind_{_lang(lang)}, e.desc_{_lang(lang)},
                   best.name, best.alt
            FROM (SELECT entity, name, alt, MIN(score) AS score FROM (
                    SELECT n.entity, n.name, n.alt,
                           (CASE WHEN n.folded = :q THEN 0 WHEN substr(n.folded, 1, length(:q)) = :q THEN 1
                                 ELSE 2 END) * 4 + n.alt * 2 + (length(n.folded) > 40) AS score
                    FROM names n WHERE names MATCH :match)
                  GROUP BY entity) AS best
            JOIN entity e ON e.id = best.entity
            WHERE e.tier <= :max_tier {"AND e.kind = :kind" if kind else ""}
            ORDER BY e.tier, best.score, length(best.name), e.label_{_lang(lang)}, e.iri
            LIMIT :limit OFFSET :offset"""
        params = {"q": folded, "match": expression, "limit": int(limit), "offset": int(offset),
                  "max_tier": int(max_tier), "kind": kind}
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [SearchHit(iri, kind_, label, kind_label, description, name, bool(alt))
                for iri, kind_, label, kind_label, description, name, alt in rows]

    def kind_counts(self, query: str, *, max_tier: int = 2) -> dict[str, int]:
        """How many entities of each kind match `query` (the facet of the search page)."""
        expression = match_expression(query)
        if expression is None:
            return {}
        sql = """SELECT e.kind, COUNT(*) FROM (SELECT DISTINCT entity FROM names WHERE names MATCH :match) AS m
                 JOIN entity e ON e.id = m.entity WHERE e.tier <= :max_tier GROUP BY e.kind"""
        with self._lock:
            rows = self._db.execute(sql, {"match": expression, "max_tier": int(max_tier)}).fetchall()
        return dict(rows)

    def kind_labels(self, lang: str = "es") -> dict[str, str]:
        """What each kind is called in `lang` (the commonest wording among its entities)."""
        column = f"kind_{_lang(lang)}"
        with self._lock:
            rows = self._db.execute(f"SELECT kind, {column}, COUNT(*) AS n FROM entity GROUP BY kind, {column} "
                                    "ORDER BY kind, n DESC").fetchall()
        labels: dict[str, str] = {}
        for kind, label, _ in rows:
            labels.setdefault(kind, label or kind)
        return labels

    def close(self) -> None:
        self._db.close()


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "es"

