"""Defence in depth behind the query gate (issue 12, item 1): the query workers, and the fork server they come
from, cannot open network connections, so a query that slipped past the gate still cannot reach out. The
queries here go to the worker pool directly, past the gate; the same queries in a plain pyoxigraph store in
this process do connect to the listener, so the listener would see a worker's connection."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from cpsgraph.errors import QuerySyntaxError
from cpsgraph.store.workers import WorkerPool
from support import descendants

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="network namespaces and seccomp are Linux's")


def federated(url: str) -> list[str]:
    """Federated queries, among them the spellings that once slipped past the gate (glued keywords)."""
    return [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICESILENT<{url}> {{ ?s ?p ?o }} }}",
            f"PREFIX ex: <{url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
            f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * FROMNAMED<{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"]


@pytest.fixture
def pool(release):
    opened = WorkerPool({"files": [[str(release / "public" / "cps-lac.trig"), "trig", None]]}, 1)
    opened.start()
    yield opened
    opened.close()


def settle(listener, seconds: float = 0.5) -> None:
    deadline = time.monotonic() + seconds
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_query_worker_cannot_reach_a_listener_that_a_plain_store_reaches(pool, listener, figures):
    for text in federated(listener.url):
        try:
            pool.call("query", {"text": text, "form": "ASK" if "ASK" in text else "SELECT", "format": "json", "cap": 10}, 5)
        except RuntimeError as error:    # the engine's own error: the connection was refused in the worker
            assert "Permission denied" in str(error) or "unreachable" in str(error), error
        except QuerySyntaxError:         # a spelling the engine itself refuses
            pass
    settle(listener)
    figures.record("no_network.queries", len(federated(listener.url)))
    figures.record("no_network.connections", len(listener.connections))
    assert listener.connections == []
    assert pool.isolation                # and the pool says what keeps its workers off the network

    plain = ox.Store()                   # the control: the same query here does reach the listener
    with pytest.raises(OSError):
        list(plain.query(federated(listener.url)[0]))
    settle(listener)
    assert listener.connections


def test_the_fork_server_and_the_workers_have_no_network_namespace_of_the_server(pool):
    ours = os.readlink("/proc/self/ns/net")
    below = descendants(os.getpid())
    workers = set(pool.pids())
    assert workers <= below
    fork_servers = {pid for pid in below - workers
                    if "forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")}
    assert fork_servers
    for pid in workers | fork_servers:
        status = Path(f"/proc/{pid}/status").read_text()
        isolated_ns = os.readlink(f"/proc/{pid}/ns/net") != ours
        filtered = "\nSeccomp:\t2" in status
        assert isolated_ns or filtered, pid
        assert [isolated_ns, filtered] == [m in pool.isolation for m in ("network namespace", "seccomp")]


def test_an_allow_listed_service_still_reaches_its_endpoint(release, listener):
    """With a SERVICE allow-list the workers need the network: they come from `spawn`, not the fork server."""
    pool = WorkerPool({"files": [[str(release / "public" / "cps-lac.trig"), "trig", None]]}, 1, network=True)
    try:
        text = federated(listener.url)[0]
        with pytest.raises(RuntimeError):   # the listener closes at once: no SPARQL answer
            pool.call("query", {"text": text, "form": "SELECT", "format": "json", "cap": 10}, 10)
        settle(listener, 5)
        assert listener.connections
        assert pool.isolation == []
    finally:
        pool.close()


# isolation.py is loaded from its file alone: it needs only the standard library, and an unprivileged user may not
# be able to read the packages installed for root (CI installs them so), which the package `cpsgraph.store` imports.
ONE_MECHANISM = """
import ctypes, importlib.util, socket, sys
spec = importlib.util.spec_from_file_location("isolation", sys.argv[3])
isolation = importlib.util.module_from_spec(spec)
spec.loader.exec_module(isolation)
steps = {"network namespace": isolation._network_namespace, "seccomp": isolation._seccomp, "none": lambda libc: None}
problem = steps[sys.argv[1]](ctypes.CDLL(None, use_errno=True))
if problem:
    sys.exit("not applied: " + problem)
for family, address in ((socket.AF_INET, ("127.0.0.1", int(sys.argv[2]))), (socket.AF_INET6, ("::1", 1))):
    try:
        socket.create_connection(address[:2], timeout=2).close()
        print("connected", family.name)
    except OSError as error:
        print("refused", family.name, error.errno)
"""


def unprivileged() -> list[str]:
    """A prefix that runs a command as nobody (uid 65534, no groups): how a stock service account runs. Empty
    when this user is not root, for it is then unprivileged already."""
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []


@pytest.mark.parametrize("user", ["this user", "an unprivileged user"])
@pytest.mark.parametrize("mechanism", ["network namespace", "seccomp"])
def test_each_isolation_alone_keeps_a_process_off_a_loopback_canary(mechanism, user, listener):
    """Either mechanism alone stops connections (so each is a fallback for the other), and both apply without
    privileges on this host: the fork server applies whichever the system allows (isolation.py)."""
    import subprocess

    prefix = unprivileged() if user == "an unprivileged user" else []
    module = Path(__file__).resolve().parents[2] / "server" / "cpsgraph" / "store" / "isolation.py"

    def run(which: str) -> str:
        done = subprocess.run([*prefix, sys.executable, "-c", ONE_MECHANISM, which, str(listener.port), str(module)],
                              capture_output=True, text=True, timeout=60, cwd="/")
        assert done.returncode == 0, done.stderr
        return done.stdout

    isolated = run(mechanism)
    settle(listener)
    assert "connected" not in isolated and isolated.count("refused") == 2, isolated
    assert listener.connections == []
    assert "connected AF_INET\n" in run("none")      # the control: without it the same process connects
    settle(listener)
    assert len(listener.connections) == 1
