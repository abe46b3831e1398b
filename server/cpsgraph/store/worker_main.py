"""The code that runs inside a query worker process (see workers.py): open the store, then answer requests
from the pipe until it closes. Results are serialized here, so only bytes cross the pipe.

A source is {"path": DIR} (an on-disk pyoxigraph store, opened read-only) or {"files": [[PATH, FORMAT, SHA256],
...]} (RDF files parsed into memory; TriG and N-Quads keep their named graphs): a file is loaded only when its
bytes are the ones the service started with (SHA256; None: not checked), so a worker started after the file was
changed or damaged refuses to start rather than serve other data than its siblings.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sys
from multiprocessing import reduction

import pyoxigraph as ox

from ..formats import formats_for, rdf_format
from .answer import send_answer
from .capped import cut_native, limited_text, native
from .results import Answer, render, serialize_triples

BACKSTOP_MARGIN = 512 << 20   # bytes of address space on top of twice the memory ceiling
# Query workers run this much nicer than the web process, so that while they compute, the CPU goes first to the
# web process: its I/O loop (/healthz), its pages and the requests it refuses (docs/decisions/0017-...).
WORKER_NICENESS = 10
MAX_ENDED = 1000   # exit codes a seed keeps for workers the pool has not asked about


class ChangedFile(Exception):
    """A data file no longer holds the bytes the service started with."""


def open_source(source: dict) -> ox.Store:
    if "path" in source:
        return ox.Store.read_only(str(source["path"]))
    store = ox.Store()
    for path, format_name, *digest in source["files"]:
        with open(path, "rb") as handle:
            data = handle.read()
        if digest and digest[0] and hashlib.sha256(data).hexdigest() != digest[0]:
            raise ChangedFile(f"{path} no longer holds the data this service started with (it was changed or "
                              "damaged); restore it, or restart the service to serve the new data.")
        store.bulk_load(data, format=rdf_format(format_name).oxigraph)
    return store


def seed(conn, source: dict, limits: dict | None = None) -> None:
    """The pool's seed (workers.py): load the store once, then fork a worker whenever the pool asks, each
    sharing the loaded store copy-on-write, so a replacement is ready in milliseconds rather than after a
    reload of the data. An on-disk store is opened by each worker after the fork instead (its engine has
    threads, which a fork would not copy). Requests on `conn`, answered in order:

    - ("fork", None): ("forked", pid), then the parent's end of the new worker's pipe (an SCM_RIGHTS
      descriptor); the worker itself then sends ("ready", ...) or ("failed", why) on that pipe;
    - ("status", pid): the worker's exit code once it has ended (minus the signal that ended it, as
      multiprocessing says it), None while it runs.
    """
    prepare_process()
    name_process(b"cpsgraph-seed")
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        store = open_source(source) if "files" in source else None
    except Exception as error:
        conn.send(("failed", _failure(error)))
        return
    conn.send(("ready", _isolation()))
    ended: dict[int, int] = {}
    while True:
        try:
            op, pid = conn.recv()
        except (EOFError, OSError):
            os._exit(0)   # the pool is closed: its workers die with this process (PR_SET_PDEATHSIG)
        _reap(ended)
        if op == "status":
            conn.send(ended.pop(pid, None))
            continue
        ours, theirs = multiprocessing.Pipe()
        child = os.fork()
        if child == 0:
            conn.close()
            ours.close()
            try:
                _forked_worker(theirs, store, source, limits)
            finally:
                os._exit(0)
        theirs.close()
        conn.send(("forked", child))
        reduction.send_handle(conn, ours.fileno(), None)
        ours.close()


def _forked_worker(conn, store, source: dict, limits: dict | None) -> None:
    die_with_parent()
    name_process(b"cpsgraph-worker")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    if store is None:
        try:
            store = open_source(source)
        except Exception as error:
            conn.send(("failed", _failure(error)))
            return
    if _ready(conn, limits):
        answer_requests(conn, store)


def _reap(ended: dict[int, int]) -> None:
    """Collect the seed's workers that have ended, with their exit codes (at most MAX_ENDED kept)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        ended[pid] = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        while len(ended) > MAX_ENDED:
            del ended[next(iter(ended))]


def _failure(error: Exception) -> str:
    return str(error) if isinstance(error, ChangedFile) else f"{type(error).__name__}: {error}"


def _isolation() -> dict:
    isolation = sys.modules.get("cpsgraph.store.isolation")  # imported by the fork server only
    return {"isolation": list(isolation.APPLIED) if isolation else [],
            "problems": list(isolation.PROBLEMS) if isolation else []}


def _ready(conn, limits: dict | None) -> bool:
    memory_backstop((limits or {}).get("memory", 0))
    try:
        conn.send(("ready", _isolation()))
    except OSError:  # the pool was closed while this worker loaded (a replacement started at shutdown)
        return False
    return True


def answer_requests(conn, store: ox.Store) -> None:
    """Answer requests from the pipe until it closes."""
    while True:
        try:
            op, args, cpu_seconds = conn.recv()
        except (EOFError, OSError):
            return
        cpu_budget(cpu_seconds)
        try:
            send_result(conn, OPERATIONS[op](store, **args))
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
        except Exception as error:
            conn.send(("error", f"{type(error).__name__}: {error}"))


def name_process(name: bytes) -> None:
    """The process's name in `ps` and /proc/PID/comm (Linux; elsewhere nothing)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(15, ctypes.c_char_p(name[:15]), 0, 0, 0)   # PR_SET_NAME
    except (OSError, AttributeError):
        pass


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent ends (PR_SET_PDEATHSIG, Linux); exit at once if
    the parent has already gone. Elsewhere the process ends at its next request instead (a closed pipe)."""
    try:
        import ctypes

        parent = os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)
    except (OSError, AttributeError):
        pass


def prepare_process() -> None:
    """Workers leave Ctrl-C and SIGTERM to the server, which finishes the requests in flight and then closes
    the pool; and they die with their parent (the fork server, which exits at once with the server, or the
    server itself), so a killed server leaves no query running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: the workers compete with the web process as equals
        pass
    try:  # the fork server hands every child the write end of the pipe that tells it the server is gone:
        from multiprocessing import forkserver  # held open here, it kept the fork server (and so, busy workers)
        server = forkserver._forkserver         # alive after a kill -9 of the server until their query ended
        if server._forkserver_alive_fd is not None:
            os.close(server._forkserver_alive_fd)
            server._forkserver_alive_fd = None
    except (ImportError, AttributeError, OSError):
        pass
    die_with_parent()


def memory_backstop(ceiling: int) -> None:
    """RLIMIT_AS well above the memory ceiling the pool's watchdog enforces (which stops a query first): should
    the watchdog not look in time, an allocation past it fails and the engine aborts (SIGABRT)."""
    if not ceiling:
        return
    try:
        import resource

        with open("/proc/self/statm", "rb") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + 2 * ceiling + BACKSTOP_MARGIN
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ImportError, ValueError, OSError):  # not Linux or a lower hard limit: the watchdog alone holds
        pass


def send_result(conn, result) -> None:
    """An Answer goes in pieces (answer.send_answer), so neither side holds it twice; anything else whole."""
    if isinstance(result, Answer):
        send_answer(conn, result)
    else:
        conn.send(("ok", result))


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


def query(store: ox.Store, *, text: str, form: str, format: str, cap: int | None, byte_cap: int | None = None,
          default_graph=None, named_graphs=None, base_iri=None, union: bool = True, limit: int | None = None,
          open_end: bool = False) -> Answer:
    """Evaluate and serialize within the row cap `cap` and the byte cap `byte_cap`. SELECT takes the native
    fast path (capped.py) when the row cap can be left to the engine (the query's own LIMIT is within the cap,
    or a LIMIT can be appended) and the output fits the byte cap; else the row by row path of results.py."""
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
            body = native(store.query(text, **options), fmt, byte_cap)
            if body is not None:
                return _capped(cut_native(body, fmt, None), byte_cap)
        elif open_end:
            text = limited_text(text, cap)
            body = native(store.query(text, **options), fmt, byte_cap)
            if body is not None:
                return _capped(cut_native(body, fmt, cap), byte_cap)
    return render(store.query(text, **options), form, fmt, cap, byte_cap)


def _capped(answer: Answer, byte_cap: int | None) -> Answer:
    answer.byte_limit = byte_cap
    return answer


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
