"""What the browser computes once per store and keeps: the entity index, the who-works-with-whom network,
the faceted lists, the ontology's documentation, the validation report.

The browser reads the public store only (the restricted graph is never shown in pages). The data does not
change while the service runs, so each piece is built on first use, under a lock so that concurrent first
requests build it once.
"""

from __future__ import annotations

import threading
from typing import Callable

from flask import current_app

from ...artefacts import open_or_make
from ...network import Network
from ...store import Store
from . import browse_queries as q
from .entities import Entities
from ..stores import stores

KEY = "cpsgraph.browser"


class Site:
    def __init__(self, store: Store, base: str):
        self.store = store
        self.base = base
        self._built: dict[str, object] = {}
        self._lock = threading.RLock()  # reentrant: one cached piece may be built from others

    def cached(self, name: str, make: Callable[[], object]):
        """The value built by `make()` the first time `name` is asked for; errors are not cached."""
        if name in self._built:
            return self._built[name]
        with self._lock:
            if name not in self._built:
                self._built[name] = make()
            return self._built[name]

    @property
    def entities(self) -> Entities:
        return self.cached("entities", self._open_or_build_entities)

    def _open_or_build_entities(self) -> Entities:
        """The served release's entity index (artefacts.py), read from its file; else (files given with --data,
        an older or damaged release) built from the store."""
        return open_or_make(stores().release, "entities", lambda path: Entities.open(path, self.base),
                            lambda: Entities(q.index_rows(self.store), self.base))

    @property
    def moved(self) -> dict[str, str]:
        """IRIs that changed: old -> new, as the graph states them (dcterms:isReplacedBy)."""
        return self.cached("moved", lambda: q.replacements(self.store))

    @property
    def network(self) -> Network:
        return self.cached("network", lambda: Network(self.select_plain))

    def select_plain(self, text: str) -> list[dict]:
        """A SELECT's rows as plain strings (what the network library reads)."""
        return [{name: term.value for name, term in row.items()} for row in self.store.select(text)]


def meeting_participants() -> dict[str, list[str]]:
    """Each meeting -> the persons the list of participants records at it: who its network view shows."""
    def make() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for meeting, person in q.meeting_participants(site().store):
            found.setdefault(meeting, []).append(person)
        return found

    return site().cached("meeting-participants", make)


def site() -> Site:
    """The current app's Site, made on first use for its public store."""
    app = current_app
    found = app.extensions.get(KEY)
    if found is None:
        found = app.extensions.setdefault(KEY, Site(stores(app).public, app.config["BASE_IRI"]))
    return found
