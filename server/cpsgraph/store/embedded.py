"""The embedded store: pyoxigraph, evaluated in query worker processes that are killed at the time limit.

By default every worker parses the data files into its own memory (milliseconds for this graph, and
pyoxigraph answers several times faster from memory than from disk). With `store_dir`, the files are
loaded once into an on-disk store there and every worker opens it read-only (for data too large to hold
once per worker). The default graph of a query without a dataset is the union of all graphs, as with
`oxigraph serve --union-default-graph`; a graph the store does not hold is an empty graph, never fetched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConfigError, InputError, QueryRefused, UnknownGraph
from ..formats import Format, rdf_format
from . import Store
from .answer import Shared
from .guard import QueryShape
from .results import Answer
from .upkeep import shared_budget
from .workers import WorkerPool

log = logging.getLogger(__name__)


def data_format(path: Path) -> str:
    """The RDF format name of a data file, from its extension. Raises InputError if unknown or missing."""
    if not path.is_file():
        raise InputError(f"Cannot read {path}: no such file.")
    try:
        return rdf_format(path.suffix).name
    except KeyError:
        raise InputError(f"Cannot tell the RDF format of {path} from its extension "
                         "(.trig, .nq, .ttl, .nt, .jsonld or .rdf).") from None


class EmbeddedStore(Store):
    """Serves the RDF files in `data` (TriG and N-Quads keep their named graphs; triples from other formats
    go to the default graph). Raises InputError for a missing or unreadable file."""

    def __init__(self, data, *, store_dir: str | Path | None = None, workers: int = 2, memory_mb: int = 0,
                 memory_budget: int = 0, **options):
        super().__init__(**options)
        self._given = list(data)
        self.files = [(Path(path), data_format(Path(path))) for path in self._given]
        if not self.files:
            raise ConfigError("The embedded store needs at least one data file.")
        self.store_dir = Path(store_dir) if store_dir else None
        if self.store_dir is not None:
            self._load_on_disk(self.store_dir)
            source = {"path": str(self.store_dir)}
        else:
            source = {"files": [[str(path), name, digest] for (path, name), digest in
                                zip(self.files, self._check_parses())]}
        # Allow-listed SERVICE endpoints are reached by the workers: only then may they open connections.
        # memory_budget: bytes all workers of the process may grow by together (upkeep.MemoryBudget; 0: none)
        self.pool = WorkerPool(source, workers, memory_mb=memory_mb, network=bool(self.service_allowlist),
                               budget=shared_budget(memory_budget) if memory_budget else None)
        self._graphs: list[str] | None = None

    def _check_parses(self) -> list[str]:
        """Parse each file once here, so a broken file is an InputError at start-up and not a dead worker.
        Returns the SHA-256 of each: the bytes every worker must load (worker_main.open_source). A file of a
        build release (configured.BuildFile) was parsed by the build and its digest checked: it is not parsed
        again (at 1M triples that took seconds of every start)."""
        digests = []
        for (path, name), given in zip(self.files, self._given):
            if getattr(given, "digest", ""):
                digests.append(given.digest)
                continue
            try:
                data = path.read_bytes()
                for _ in ox.parse(data, format=rdf_format(name).oxigraph):
                    pass
            except (SyntaxError, ValueError, OSError) as error:
                raise InputError(f"Cannot parse {path}: {error}") from None
            digests.append(hashlib.sha256(data).hexdigest())
        return digests

    def _load_on_disk(self, directory: Path) -> None:
        """Load the files into a fresh store beside `directory`, then put it in its place: `directory` only
        ever holds a complete store, even when the process is killed (kill -9) while loading.
        Whatever `directory` held before is replaced: a stale store from other files must not be served."""
        loading = directory.with_name(directory.name + ".loading")
        if loading.exists():
            shutil.rmtree(loading)  # left by a load that was killed
        loading.mkdir(parents=True)
        store = ox.Store(str(loading))
        try:
            for path, name in self.files:
                store.bulk_load(path=str(path), format=rdf_format(name).oxigraph)
            store.flush()
        except (SyntaxError, ValueError, OSError) as error:
            problem = f"Cannot load {path}: {error}"
        else:
            problem = None
        del store  # close the read-write handle before any worker opens the directory read-only
        if problem:
            shutil.rmtree(loading, ignore_errors=True)
            raise InputError(problem)
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(loading, directory)

    def begin(self) -> None:
        """Start the pool's seed and let it load while the caller goes on (WorkerPool.begin)."""
        self.pool.begin()

    def start(self, *, first_only: bool = False) -> None:
        """Start the query workers now rather than on the first query (the server does this at start-up);
        with `first_only`, wait for the first one alone (WorkerPool.start)."""
        self.pool.start(first_only=first_only)

    def _evaluate(self, text: str, shape: QueryShape, *, format: Format, default_graph, named_graphs, base_iri,
                  timeout: float, cap: int | None, byte_cap: int | None) -> Answer:
        args = {"text": text, "form": shape.form, "format": format.name, "cap": cap, "byte_cap": byte_cap,
                "default_graph": default_graph,
                "named_graphs": named_graphs, "base_iri": base_iri, "union": not shape.has_dataset,
                "limit": shape.limit, "open_end": shape.open_end}
        try:
            return self.pool.call("query", args, timeout, budget=self.budget)
        except RuntimeError as error:
            raise _evaluation_error(str(error), shape) from None

    def load(self, data, *, format: Format, graph: str | None = None) -> None:
        raise QueryRefused("The embedded store is read-only while it serves: give the files with "
                           "`cpsgraph serve --data FILE...` and restart.")

    def _dump(self, format: Format, graph: str | None, *, timeout: float | None) -> Answer:
        if graph is not None and graph not in self.named_graphs():
            raise UnknownGraph(f"This store holds no graph <{graph}>.", key="store.no-graph", values={"graph": graph})
        return self.pool.call("dump", {"format": format.name, "graph": graph}, timeout or self.timeout,
                              budget=Shared(self.budget))

    def named_graphs(self) -> list[str]:
        if self._graphs is None:  # the data never changes while the store serves
            self._graphs = self.pool.call("named_graphs", {}, self.timeout)
        return list(self._graphs)

    def close(self) -> None:
        self.pool.close()


def _evaluation_error(message: str, shape: QueryShape) -> Exception:
    """An engine error during evaluation, as the error the client should see."""
    from ..errors import RemoteStoreError

    if shape.services and ("OSError" in message or "Connection" in message or "service" in message.lower()):
        said = message.split(': ', 1)[-1]
        return RemoteStoreError(f"A SERVICE endpoint failed: {said}", key="store.service", engine=said)
    log.error("query evaluation failed: %s", message)
    return RuntimeError(message)
