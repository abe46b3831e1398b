"""The code that runs inside a query worker process (see workers.py): open the store, then answer requests
from the pipe until it closes. Results are serialized here, so only bytes cross the pipe.

A source is {"path": DIR} (an on-disk pyoxigraph store, opened read-only) or {"files": [[PATH, FORMAT], ...]}
(RDF files parsed into memory; TriG and N-Quads keep their named graphs).
"""

from __future__ import annotations

import pyoxigraph as ox

from ..formats import formats_for, rdf_format
from .capped import cut_native, limited_text
from .results import Answer, render, serialize_triples


def open_source(source: dict) -> ox.Store:
    if "path" in source:
        return ox.Store.read_only(str(source["path"]))
    store = ox.Store()
    for path, format_name in source["files"]:
        store.bulk_load(path=str(path), format=rdf_format(format_name).oxigraph)
    return store


def serve(conn, source: dict) -> None:
    from .workers import prepare_worker_process

    prepare_worker_process()
    try:
        store = open_source(source)
    except Exception as error:  # reported to the parent, which raises ConfigError with it
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    try:
        conn.send(("ready", None))
    except OSError:  # the pool was closed while this worker loaded (a replacement started at shutdown)
        return
    while True:
        try:
            op, args, cpu_seconds = conn.recv()
        except (EOFError, OSError):
            return
        cpu_budget(cpu_seconds)
        try:
            conn.send(("ok", OPERATIONS[op](store, **args)))
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
        except Exception as error:
            conn.send(("error", f"{type(error).__name__}: {error}"))


def cpu_budget(seconds: float) -> None:
    """A kernel-enforced backstop: the worker dies (SIGXCPU) if this request uses more CPU than `seconds`.
    The pool kills a worker at the time limit anyway; this also holds when the server itself was killed."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))
    except (ImportError, ValueError, OSError):  # not POSIX, or a hard limit below: the pool's kill still holds
        pass


def query(store: ox.Store, *, text: str, form: str, format: str, cap: int | None, default_graph=None,
          named_graphs=None, base_iri=None, union: bool = True, limit: int | None = None,
          open_end: bool = False) -> Answer:
    """Evaluate and serialize. SELECT takes the native fast path (capped.py) when the cap can be left to
    the engine: the query's own LIMIT is within the cap, or a LIMIT can be appended."""
    options = {"base_iri": base_iri}
    if default_graph is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in default_graph]
    if named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        options.setdefault("default_graph", [])  # the protocol's dataset replaces the whole default dataset
    elif default_graph is not None:
        options["named_graphs"] = []
    if union and default_graph is None and named_graphs is None:
        options["use_default_graph_as_union"] = True
    fmt = next(f for f in formats_for(form) if f.name == format)
    if form == "SELECT":
        if cap is None or (limit is not None and limit <= cap):
            return cut_native(store.query(text, **options).serialize(format=fmt.oxigraph), fmt, None)
        if open_end:
            results = store.query(limited_text(text, cap), **options)
            return cut_native(results.serialize(format=fmt.oxigraph), fmt, cap)
    return render(store.query(text, **options), form, fmt, cap)


def dump(store: ox.Store, *, format: str, graph: str | None = None) -> Answer:
    fmt = rdf_format(format)
    if graph is not None:
        node = ox.NamedNode(graph)
        quads = list(store.quads_for_pattern(None, None, None, node))
    else:
        quads = list(store.quads_for_pattern(None, None, None, None))
    if fmt.datasets:
        body = ox.serialize(sorted(quads, key=str), format=fmt.oxigraph)
    else:
        triples = sorted({q.triple for q in quads}, key=str)
        body = serialize_triples(triples, fmt)
    return Answer("GRAPH", body, fmt.media_type, len(quads))


def named_graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


OPERATIONS = {"query": query, "dump": dump, "named_graphs": named_graphs}
