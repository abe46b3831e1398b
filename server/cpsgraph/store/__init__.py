"""The one door to the data: a small store interface and its backends, chosen by name, imported lazily.

    store = open_store("embedded", data=[Path("build/current/public/cps-lac.trig")])
    answer = store.query("SELECT * { ?s ?p ?o } LIMIT 3", format=result_format("json"))
    answer.body, answer.truncated       # answer.chunks(): the bytes in pieces, without holding them whole

- `embedded`: pyoxigraph in query worker processes that can be killed at the time limit (embedded.py);
- `remote`: any SPARQL 1.1 endpoint reached with SPARQLWrapper (remote.py).

Every query passes the same gate first (guard.py): no UPDATE or LOAD, SERVICE only to allow-listed
endpoints. Only this package talks to an engine.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from contextlib import nullcontext
from importlib import import_module

from ..formats import Format, formats_for, result_format
from .admission import Admission
from .answer import Budget
from .guard import QueryShape, check_services, inspect_query
from .limits import QueryLimits
from .results import Answer

BACKENDS = {"embedded": "cpsgraph.store.embedded:EmbeddedStore", "remote": "cpsgraph.store.remote:RemoteStore"}
NO_CAP = 0  # `limit=NO_CAP`: the service's own queries (statistics, counts) are never cut


class Store(ABC):
    """A read-only SPARQL dataset. Options are keyword-only and named after the SPARQL protocol."""

    limits = QueryLimits()  # how large a query the gate lets through (configured.py sets the QUERY_MAX_* settings)

    def __init__(self, *, timeout: float = 10.0, result_cap: int = 10000, result_bytes: int = 16 << 20,
                 spool_bytes: int = 256 << 20, service_allowlist=()):
        self.timeout = float(timeout)
        self.result_cap = int(result_cap)
        self.result_bytes = int(result_bytes)
        self.budget = Budget(int(spool_bytes))  # answers held for clients still reading them (answer.py)
        self.admission: Admission | None = None  # fair shares of the workers (admission.py); set by the server
        self.service_allowlist = frozenset(service_allowlist)
        self.on_query = None  # called with the seconds each query took, answered or not (the access log's figure)

    def query(self, text: str, *, default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, format: Format | None = None, timeout: float | None = None,
              limit: int | None = None) -> Answer:
        """Evaluate a query and serialize its result in `format` (the form's default when None), keeping at
        most `limit` solutions or triples (the store's result cap when None; NO_CAP for none) and at most the
        store's byte cap of them (none with `limit=NO_CAP`: the service's own queries are never cut).
        Raises QuerySyntaxError, QueryRefused (update, LOAD, SERVICE off the allow-list), QueryTimeout,
        StoreUnavailable or RemoteStoreError; NotAcceptable if `format` does not fit the query form."""
        shape = inspect_query(text, self.limits)
        check_services(shape, self.service_allowlist)
        offered = formats_for(shape.form)
        if format is None:
            format = offered[0]
        elif format not in offered:
            from ..errors import NotAcceptable
            raise NotAcceptable(f"A {shape.form} result cannot be written as {format.media_type}.", key="store.form",
                                values={"form": shape.form, "media": format.media_type})
        cap = self.result_cap if limit is None else limit
        byte_cap = (self.result_bytes or None) if limit is None or limit else None
        started = time.perf_counter()
        try:
            with self._admitted():
                return self._evaluate(text, shape, format=format, default_graph=default_graph or None,
                                      named_graphs=named_graphs or None, base_iri=base_iri,
                                      timeout=self.timeout if timeout is None else timeout, cap=cap or None,
                                      byte_cap=byte_cap)
        finally:
            if self.on_query is not None:
                self.on_query(time.perf_counter() - started)

    def dump(self, format: Format, graph: str | None = None, *, timeout: float | None = None) -> Answer:
        """Every triple of one named graph, or the whole dataset (graph names kept in TriG and N-Quads,
        the union of the graphs otherwise), never cut. Raises UnknownGraph for a graph the store does not hold."""
        with self._admitted():
            return self._dump(format, graph, timeout=timeout)

    def _admitted(self):
        return self.admission.slot() if self.admission is not None else nullcontext()

    def select(self, text: str, **options) -> list[dict]:
        """The solutions of a SELECT query as dicts of pyoxigraph terms (unbound variables left out);
        for the service's own queries (statistics, the network view). Never capped unless asked."""
        import pyoxigraph as ox

        options.setdefault("limit", NO_CAP)
        answer = self.query(text, format=result_format("json"), **options)
        solutions = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in solutions.variables]
        return [{name: value for name, value in zip(names, row) if value is not None} for row in solutions]

    def triple_count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or in the default graph as queries see it."""
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"].value) if rows else 0

    def __len__(self) -> int:
        return self.triple_count()

    @abstractmethod
    def _evaluate(self, text: str, shape: QueryShape, *, format: Format, default_graph, named_graphs, base_iri,
                  timeout: float, cap: int | None, byte_cap: int | None) -> Answer:
        """Run a query that passed the gate, cut at `cap` rows and `byte_cap` bytes (None: no cap)."""

    @abstractmethod
    def load(self, data, *, format: Format, graph: str | None = None) -> None:
        """Add RDF (a path or bytes) to the store, replacing `graph` when one is named."""

    @abstractmethod
    def _dump(self, format: Format, graph: str | None, *, timeout: float | None) -> Answer:
        """The dump (see `dump`), once admitted."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def close(self) -> None:  # noqa: B027 - nothing to release by default; stores that hold some override it
        """Release processes and connections; the store cannot be used afterwards."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(backend: str, **options) -> Store:
    """A store by backend name (`embedded`, `remote`); the backend module is imported only now.
    Raises ConfigError for an unknown name; the backend raises InputError/ConfigError for bad options."""
    from ..errors import ConfigError

    if backend not in BACKENDS:
        raise ConfigError(f"Unknown store backend {backend!r}; choose one of {', '.join(BACKENDS)}.")
    module_name, class_name = BACKENDS[backend].split(":")
    return getattr(import_module(module_name), class_name)(**options)


__all__ = ["Answer", "NO_CAP", "QueryShape", "Store", "open_store"]
