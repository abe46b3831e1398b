"""The entity index: every IRI of the store with its labels in both languages, its other names, its types and
what tells same-named things apart; asked many times per page ("does this IRI exist?", "what is it called in
Spanish?", "what kind of thing is it?").

It is an SQLite table, one row per entity, read one entity at a time (and the most recently read kept in
memory), so the web process does not hold the whole graph's names: at ten million triples they were 1.6 GiB
of Python objects and the query that reads them took longer than the endpoint's time limit. `cpsgraph build`
writes it into the release (artefacts.py); the server opens that file, and builds the same table in memory
from its store only when it serves files given with --data or a release without it.

    entities = Entities(index_rows(store), base)     # from the store's rows (the build; --data)
    entities = Entities.open(path, base)              # the release's index/entities.sqlite, read-only
    entities.label(iri, "en"); entities.kind(iri, "es"); iri in entities
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern
from typing import Iterator

from ...artefacts import open_sqlite
from .catalogue import STRINGS, text
from .terms import RDF, RDFS, SCHEMA, SKOS, FOAF, prefixed, standard_label
from .values import say

CPS = "https://w3id.org/cps-lac/ontology#"
LABEL, PREF, NAME, ALT, TYPE, SCHEME = (RDFS + "label", SKOS + "prefLabel", FOAF + "name", SKOS + "altLabel",
                                        RDF + "type", SKOS + "inScheme")
COUNTRY, START = CPS + "country", SCHEMA + "startDate"
PRESENTER, GROUP, HAS_PART = CPS + "presenter", CPS + "workingGroup", "http://purl.org/dc/terms/hasPart"
LANGUAGES = ("es", "en")   # the languages of the pages: what tells same-named things apart is found for each
CACHED = 1 << 15           # entities kept in memory once read (a page reads tens to a few thousand)


@dataclass(slots=True)
class Entity:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)   # language tag ("" untagged) -> label
    names: list[str] = field(default_factory=list)          # alternative labels and other names
    types: list[str] = field(default_factory=list)
    scheme: str | None = None
    country: str | None = None                              # what tells same-named bodies apart
    start: tuple[str, str] | None = None                    # (value, datatype): what tells same-named sessions apart
    presenters: list[str] = field(default_factory=list)     # a talk's: what tells same-titled talks apart
    group: str | None = None                                # a proposal's or plan's working group
    parent: str | None = None                               # what it is a part of (dcterms:hasPart), for plan parts
    qualifiers: dict[str, tuple[str, str]] = field(default_factory=dict)   # lang -> (qualifier, the way's name)

    def record(self) -> str:
        """The entity as its row stores it (JSON), without its IRI."""
        return json.dumps([self.labels, self.names, self.types, self.scheme, self.country, self.start,
                           self.presenters, self.group, self.parent, self.qualifiers],
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_record(cls, iri: str, record: str) -> "Entity":
        labels, names, types, scheme, country, start, presenters, group, parent, qualifiers = json.loads(record)
        return cls(iri, labels, names, [intern(t) for t in types], scheme and intern(scheme),
                   country and intern(country), tuple(start) if start else None, presenters, group, parent,
                   {lang: tuple(found) for lang, found in qualifiers.items()})


class Entities:
    def __init__(self, rows: list[dict], base: str):
        """The index of `rows` from browse_queries.index_rows (dicts of pyoxigraph terms s, p, o), in memory."""
        found = _Collected(rows, base)
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE TABLE entity (iri TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO entity VALUES (?, ?)", ((e.iri, e.record()) for e in found.entities()))
        db.commit()
        self._attach(db, base)

    @classmethod
    def open(cls, path, base: str) -> "Entities":
        """The index a build wrote (`to_bytes`, artefacts.py), read-only. Raises sqlite3.DatabaseError for a file
        that is not such an index."""
        index = cls.__new__(cls)
        index._attach(open_sqlite(path, "SELECT iri, record FROM entity LIMIT 1"), base)
        return index

    def _attach(self, db: sqlite3.Connection, base: str) -> None:
        self.base = base
        self.id_prefix = base + "id/"
        self._db = db
        self._lock = threading.Lock()   # one connection shared by the request threads
        # get(iri) -> the Entity, or None: its row read once, then kept while it is among the CACHED last read
        self.get = lru_cache(maxsize=CACHED)(self._read)

    def _read(self, iri: str) -> Entity | None:
        with self._lock:
            row = self._db.execute("SELECT record FROM entity WHERE iri = ?", (iri,)).fetchone()
        return Entity.from_record(iri, row[0]) if row else None

    def to_bytes(self) -> bytes:
        """The whole index as an SQLite database file (what `cpsgraph build` writes into a release)."""
        with self._lock:
            return self._db.serialize()

    def __contains__(self, iri: str) -> bool:
        return self.get(iri) is not None

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM entity").fetchone()[0]

    def all(self) -> Iterator[Entity]:
        """Every entity of the index, in IRI order (read in batches, not held)."""
        after = ""
        while True:
            with self._lock:
                rows = self._db.execute("SELECT iri, record FROM entity WHERE iri > ? ORDER BY iri LIMIT 2000",
                                        (after,)).fetchall()
            if not rows:
                return
            yield from (Entity.from_record(iri, record) for iri, record in rows)
            after = rows[-1][0]

    def ours(self, iri: str) -> bool:
        """An IRI of this deployment's entities (`{base}id/...`)."""
        return iri.startswith(self.id_prefix)

    def kind_segment(self, iri: str) -> str:
        """`person` for `{base}id/person/x`; empty for other IRIs."""
        return iri[len(self.id_prefix):].split("/", 1)[0] if self.ours(iri) else ""

    def label(self, iri: str, lang: str, *, qualified: bool = True) -> str:
        """The label in `lang`, else the untagged one (a person's name), else the other language's, else the
        standard term's label, else the IRI's prefixed name or last segment; with what tells it apart in
        brackets (country, start, presenters, working group, priority) when another thing of its kind has
        the same label (`qualified` False: a list that shows the start beside each item, so not the start)."""
        entity = self.get(iri)
        label = _label_of(entity, iri, lang)
        found = entity.qualifiers.get(lang) if entity else None
        if found is None or (not qualified and found[1] == "start") or found[0] in label:
            return label
        return f"{label} ({found[0]})"

    def term_label(self, iri: str, lang: str) -> str:
        """A property or class by its human label: the ontology's, else the standard table's."""
        entity = self.get(iri)
        if entity and entity.labels:
            return self.label(iri, lang)
        return standard_label(iri, lang) or prefixed(iri)

    def kind(self, iri: str, lang: str) -> str:
        """What a resource is, in words: its own class from our ontology, else, for a concept of one of our
        vocabularies, what its concepts are (a sector, a role), else a standard class."""
        entity = self.get(iri)
        if entity is None:
            return ""
        types = entity.types
        ours = [t for t in types if t.startswith(CPS)]
        if ours:
            return " · ".join(dict.fromkeys(self.term_label(t, lang) for t in sorted(ours)))
        concept = f"kind.{self.kind_segment(iri)}"
        if entity.scheme and concept in STRINGS:
            return text(concept, lang)
        if entity.scheme and entity.scheme in self:
            return self.label(entity.scheme, lang)
        known = [t for t in types if standard_label(t, lang)]
        return standard_label(sorted(known)[0], lang) if known else ""


def _label_of(entity: Entity | None, iri: str, lang: str) -> str:
    if entity and entity.labels:
        labels = entity.labels
        return labels.get(lang) or labels.get("") or labels.get("es") or labels.get("en") \
            or next(iter(labels.values()))
    if entity and entity.names:
        return entity.names[0]
    return standard_label(iri, lang) or _short(iri)


class _Collected:
    """The entities of index rows, gathered in memory once to find what tells same-named ones apart (which
    needs every label of a kind at once); then written to the index's table and let go."""

    def __init__(self, rows: list[dict], base: str):
        self.id_prefix = base + "id/"
        self._all: dict[str, Entity] = {}
        preferred: dict[str, dict[str, str]] = {}
        parents: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: (r["s"].value, r["p"].value, str(r["o"]))):
            iri, prop, value = row["s"].value, row["p"].value, row["o"]
            entity = self._all.get(iri)
            if entity is None:
                entity = self._all[iri] = Entity(iri)
            if prop == TYPE:     # classes, schemes and countries are few: one string each, not one per entity
                entity.types.append(intern(value.value))
            elif prop == SCHEME:
                entity.scheme = intern(value.value)
            elif prop == COUNTRY:
                entity.country = intern(value.value)
            elif prop == START:
                entity.start = (value.value, value.datatype.value if value.datatype else "")
            elif prop == PRESENTER:
                entity.presenters.append(value.value)
            elif prop == GROUP:
                entity.group = value.value
            elif prop == HAS_PART:
                parents[value.value] = iri
            elif prop == LABEL:
                entity.labels.setdefault(_lang(value), value.value)
            elif prop == PREF:
                preferred.setdefault(iri, {}).setdefault(_lang(value), value.value)
            elif value.value not in entity.names:   # foaf:name, skos:altLabel
                entity.names.append(value.value)
        for child, parent in parents.items():
            if child in self._all:
                self._all[child].parent = parent
        for iri, labels in preferred.items():        # skos:prefLabel only where rdfs:label is missing
            for lang, label in labels.items():
                self._all[iri].labels.setdefault(lang, label)

    def entities(self) -> Iterator[Entity]:
        """Every entity, with what tells it apart from same-named ones of its kind in each language."""
        for lang in LANGUAGES:
            for iri, found in self._qualifiers(lang).items():
                self._all[iri].qualifiers[lang] = found
        return iter(self._all.values())

    def ours(self, iri: str) -> bool:
        return iri.startswith(self.id_prefix)

    def kind_segment(self, iri: str) -> str:
        return iri[len(self.id_prefix):].split("/", 1)[0] if self.ours(iri) else ""

    def _label(self, iri: str, lang: str) -> str:
        return _label_of(self._all.get(iri), iri, lang)

    def _qualifiers(self, lang: str) -> dict[str, tuple[str, str]]:
        """What to add to a label that things of the same kind share, as Wikidata's descriptions tell
        same-named items apart ("División de Medio Ambiente" of two countries, three "Café" breaks, two
        "Apertura y bienvenida" talks, the same priority in two plans): the first of the organization's
        country, the start, the presenters, the working group (its own or its plan's) and the plan's priority
        that differs for every one of them; only for labels that are shared."""
        by_name: dict[tuple[str, str], list[Entity]] = {}
        for entity in self._all.values():
            if self.ours(entity.iri) and (entity.labels or entity.names):
                by_name.setdefault((self.kind_segment(entity.iri), self._label(entity.iri, lang)), []).append(entity)
        qualifiers: dict[str, tuple[str, str]] = {}
        for same in (group for group in by_name.values() if len(group) > 1):
            qualifiers.update(self._tell_apart(same, lang))
        return qualifiers

    def _tell_apart(self, same: list[Entity], lang: str) -> dict[str, tuple[str, str]]:
        """For same-named entities, the first way of qualifying them that gives each a different qualifier;
        where none does, each its first qualifier: iri -> (qualifier, the way's name)."""
        ways = (
            ("country", lambda e: self._label(e.country, lang) if e.country and e.country != e.iri else None),
            ("start", lambda e: say(e.start[0], e.start[1], lang) if e.start else None),
            ("presenters", lambda e: ", ".join(sorted(self._label(p, lang) for p in e.presenters)) or None),
            ("group", lambda e: self._label(self._group(e), lang) if self._group(e) else None),
            ("priority", lambda e: self._label(self._within(e)[-2], lang) if len(self._within(e)) > 1 else None),
        )
        for name, way in ways:
            found = [way(e) for e in same]
            if all(found) and len(set(found)) == len(found):
                return {e.iri: (q, name) for e, q in zip(same, found)}
        firsts = {e.iri: next(((q, name) for name, q in ((n, w(e)) for n, w in ways) if q), None) for e in same}
        return {iri: q for iri, q in firsts.items() if q}

    def _group(self, entity: Entity) -> str | None:
        """The working group of an entity or of the nearest whole it is part of (a priority's plan's)."""
        for iri in (entity.iri, *self._ancestors(entity)):
            if iri in self._all and self._all[iri].group:
                return self._all[iri].group
        return None

    def _within(self, entity: Entity) -> list[str]:
        """The wholes an entity is part of that are of its own kind, nearest first: a plan part's result,
        priority and plan (not the meeting the plan belongs to)."""
        kind = self.kind_segment(entity.iri)
        return [iri for iri in self._ancestors(entity) if self.kind_segment(iri) == kind]

    def _ancestors(self, entity: Entity) -> list[str]:
        """What an entity is a part of, nearest first, up to the whole (a plan part's priority, ..., its plan)."""
        found: list[str] = []
        parent = entity.parent
        while parent and parent not in found and len(found) < 8:
            found.append(parent)
            parent = self._all[parent].parent if parent in self._all else None
        return found


def _lang(literal) -> str:
    return getattr(literal, "language", None) or ""


def _short(iri: str) -> str:
    named = prefixed(iri)
    if named != iri:
        return named
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri
