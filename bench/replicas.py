"""Replicas behind nginx (issue 16, item 5): throughput through nginx with one and with two replicas, the cache
off, then on.

    python -m bench.replicas                          # 8 clients, 20 s per run
    python -m bench.replicas --clients 16 --seconds 30 --workers 4

Each replica is `cpsgraph serve` as deploy/systemd/cpsgraph@.service starts it (its ExecStart, the environment
of cpsgraph.env) on the real build (a fresh one in --work unless --build); nginx runs deploy/nginx/cpsgraph.conf
with the replicas' loopback ports, its own port and a cache directory in --work (nginx_site below). Clients
each keep one connection to nginx and ask in turn for a browser page, a stored query of the API and a
/sparql query (MIX), as fast as answers come, for --seconds: first the page and the query only, each request
at a URL of its own (no cache can answer it: what the replicas do; distinct()), then the same three URLs again
and again (what the caches do: nginx's, and the replica's own once it keeps answers). The figures: answers per
second, p50 and p95 of the time until the whole answer arrived, the share of answers from nginx's cache, and
the load average before and after each run (`os.getloadavg`).

The functions that start nginx and the replicas are the test suite's too (tests/endpoint/test_replicas.py):
the configuration in deploy/ is what both run. Every process started is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .stats import median, p95

REPO = Path(__file__).resolve().parent.parent
NGINX_CONF = REPO / "deploy" / "nginx" / "cpsgraph.conf"
UNIT = REPO / "deploy" / "systemd" / "cpsgraph@.service"
ENV_FILE = REPO / "deploy" / "systemd" / "cpsgraph.env"
# The values of deploy/nginx/cpsgraph.conf that a run on loopback replaces (each must occur exactly once)
REPLICA_ADDRESSES = ("127.0.0.1:8001", "127.0.0.1:8002")
LISTEN = "listen 80;"
CACHE_DIR = "/var/cache/nginx/cpsgraph"
CACHE_ON = "proxy_cache cpsgraph;"
MIX = {   # kind: (path, Accept)
    "page": ("/page/organization/pnuma", "text/html"),
    "api": ("/api/queries/who-represented-whom", "application/json"),
    "query": ("/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?l WHERE { ?s a <http://www.w3.org/ns/org#"
                                                             "Organization> ; <http://www.w3.org/2000/01/rdf-schema"
                                                             "#label> ?l } ORDER BY ?s ?l LIMIT 50"}),
              "application/sparql-results+json"),
}
READY_SECONDS = 120.0
REQUEST_TIMEOUT = 60.0


def nginx_executable() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is missing: `make test` installs Debian's nginx (apt-get install nginx)")
    return found


def nginx_site(replicas: list[int], port: int, cache_dir: Path, *, cache: bool = True) -> str:
    """deploy/nginx/cpsgraph.conf for loopback: the replicas' ports (one or two), nginx's port, the cache
    directory; `cache=False` turns the cache off (the benchmark's runs without it). Raises RuntimeError when
    a value to replace is not in the file exactly once (the file changed: change this function too)."""
    text = NGINX_CONF.read_text()
    for value in (*REPLICA_ADDRESSES, LISTEN, CACHE_DIR, CACHE_ON):
        if text.count(value) != 1:
            raise RuntimeError(f"{NGINX_CONF} should hold {value!r} once; it holds it {text.count(value)} times")
    if not 1 <= len(replicas) <= 2:
        raise ValueError("one or two replicas")
    lines = text.splitlines(keepends=True)
    if len(replicas) == 1:   # the second replica's server line goes
        lines = [line for line in lines if REPLICA_ADDRESSES[1] not in line]
    text = "".join(lines)
    for address, replica in zip(REPLICA_ADDRESSES, replicas):
        text = text.replace(address, f"127.0.0.1:{replica}")
    text = text.replace(LISTEN, f"listen 127.0.0.1:{port};").replace(CACHE_DIR, str(cache_dir))
    return text if cache else text.replace(CACHE_ON, "proxy_cache off;")


def nginx_main(site: Path, prefix: Path) -> str:
    """The main configuration around the site for an nginx of our own: in the foreground, its pid, logs and
    temporary files under `prefix`. As root its workers stay root (the default `nobody` could not enter the
    test's private temporary directory); a system nginx keeps Debian's own nginx.conf and user."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                                "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n    access_log off;\n{temp}\n    include {site};\n}}\n")


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log: Path
    url: str

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def start_nginx(work: Path, replicas: list[int], *, cache: bool = True) -> Process:
    """nginx on a free loopback port in front of the replicas, its files under `work`. Raises RuntimeError
    when it does not come up (with its error log)."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cache_dir = work / "cache"
    for directory in (cache_dir, *(work / k for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))):
        directory.mkdir(exist_ok=True)
    site = work / "cpsgraph.conf"
    site.write_text(nginx_site(replicas, port, cache_dir, cache=cache))
    main = work / "nginx.conf"
    main.write_text(nginx_main(site, work))
    log = work / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen([nginx_executable(), "-p", str(work), "-c", str(main)], stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server = Process("nginx", process, work / "error.log", f"http://127.0.0.1:{port}")
    _wait(server, "/healthz")
    return server


def unit_command(port: int) -> list[str]:
    """The unit's ExecStart for instance `port`, run with this Python's cpsgraph."""
    text = UNIT.read_text()
    command = shlex.split(re.search(r"^ExecStart=(.+)$", text, re.M).group(1).replace("%i", str(port)))
    if not command[0].endswith("/cpsgraph"):
        raise RuntimeError(f"{UNIT}: ExecStart should run cpsgraph, not {command[0]}")
    return [sys.executable, "-m", "cpsgraph.cli", *command[1:]]


def reload_signal() -> signal.Signals:
    """The signal the unit's ExecReload sends (`kill -HUP $MAINPID`)."""
    found = re.search(r"^ExecReload=\S*kill -(\w+) \$MAINPID$", UNIT.read_text(), re.M)
    if found is None:
        raise RuntimeError(f"{UNIT}: ExecReload should be `kill -SIG $MAINPID`")
    return signal.Signals[f"SIG{found.group(1)}"]


def unit_environment(build_dir: Path, **settings) -> dict[str, str]:
    """The environment of deploy/systemd/cpsgraph.env with its build directory replaced, plus `settings`
    (CPS_<NAME> values)."""
    env = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env["CPS_BUILD_DIR"] = str(build_dir)
    env.update({f"CPS_{name}": str(value) for name, value in settings.items()})
    return env


def start_replica(work: Path, build_dir: Path, **settings) -> Process:
    """One replica as the unit starts it, on a free loopback port; its output in `work`. Raises RuntimeError
    when it does not come up (with its output's tail)."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = work / f"replica-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(unit_command(port), stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True,
                                   env={**os.environ, **unit_environment(build_dir, **settings)})
    server = Process(f"replica {port}", process, log, f"http://127.0.0.1:{port}")
    _wait(server, "/readyz")
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_of(server: Process) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _wait(server: Process, path: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.tail()}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} within {READY_SECONDS:g} s:\n{server.tail()}")


def stop(server: Process, timeout: float = 30.0) -> None:
    """SIGTERM to the process group (nginx: a fast shutdown; a replica: a graceful one), SIGKILL after
    `timeout`. Safe to call twice."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    except ProcessLookupError:
        pass


# --- the benchmark ----------------------------------------------------------------------------------------------

@dataclass
class Run:
    label: str
    times: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    cached: int = 0
    seconds: float = 0.0
    load_before: tuple = ()
    load_after: tuple = ()

    def row(self) -> str:
        ok = self.statuses.get(200, 0)
        others = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()) if status != 200)
        p50, p95_ = median(self.times) or 0.0, p95(self.times) or 0.0
        return (f"| {self.label} | {ok / self.seconds:.1f} | {p50 * 1000:.0f} | {p95_ * 1000:.0f} | "
                f"{100 * self.cached / max(1, sum(self.statuses.values())):.0f} % | {others or '–'} | "
                f"{' '.join(f'{x:.2f}' for x in self.load_before)} → {' '.join(f'{x:.2f}' for x in self.load_after)} |")


FRESH = itertools.count()   # one count for the whole run: no warm-up or earlier run asked for the same URL


def distinct(kind: str, path: str, n: int) -> str:
    """The request of a kind at a URL of its own (the page with `?n=`, the query with a comment; `n` from
    FRESH), so that neither nginx's cache nor the replica's own release cache has it: what the replicas
    themselves can do."""
    if kind == "query":
        return path + urllib.parse.quote(f" # {n}")
    return path + f"?n={n}"


def load(url: str, clients: int, seconds: float, label: str, *, fresh: bool = False) -> Run:
    """`clients` threads, each with one keep-alive connection to `url`, asking for MIX in turn for `seconds`
    (`fresh`: the page and the query only, each request at a URL of its own, see distinct())."""
    parts = urllib.parse.urlsplit(url)
    run, lock = Run(label, load_before=os.getloadavg()), threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection, turn = None, offset
        kinds = [(kind, *MIX[kind]) for kind in MIX if not fresh or kind != "api"]
        while time.monotonic() < deadline:
            kind, path, accept = kinds[turn % len(kinds)]
            turn += 1
            if fresh:
                path = distinct(kind, path, next(FRESH))
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
                connection.request("GET", path, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
                status, hit = response.status, response.getheader("X-Cache-Status") in ("HIT", "STALE", "UPDATING")
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection, status, hit = None, 0, False
            elapsed = time.perf_counter() - started
            with lock:
                run.statuses[status] = run.statuses.get(status, 0) + 1
                run.cached += hit
                if status == 200:
                    run.times.append(elapsed)
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT)
    run.seconds, run.load_after = time.perf_counter() - began, os.getloadavg()
    return run


def fresh_build(work: Path) -> Path:
    out = work / "build"
    subprocess.run([sys.executable, "-m", "cpsgraph.cli", "build", "--out", str(out)], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="CPS_QUERY_WORKERS of each replica")
    parser.add_argument("--build", type=Path, default=None, help="a build directory (default: a fresh build)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cps-bench-replicas"))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    args.work.mkdir(parents=True, exist_ok=True)
    build = args.build or fresh_build(args.work)
    settings = {"QUERY_WORKERS": args.workers, "ACCESS_LOG": ""}
    started: list[Process] = []
    runs: list[Run] = []
    try:
        replicas = [start_replica(args.work, build, **settings) for _ in range(2)]
        started += replicas
        plan = [("one replica, no nginx", None, 1, False), ("nginx, one replica, no cache", "one", 1, False),
                ("nginx, two replicas, no cache", "two", 2, False), ("nginx, two replicas, cache", "cache", 2, True)]
        for (label, name, count, cache), fresh in [(run, True) for run in plan[:3]] + [(run, False) for run in plan]:
            label = f"{label}, {'every URL new' if fresh else 'the same 3 URLs'}"
            if name is None:
                url = replicas[0].url
            else:
                front = start_nginx(args.work / f"nginx-{name}", [port_of(r) for r in replicas[:count]], cache=cache)
                started.append(front)
                url = front.url
            load(url, args.clients, 2.0, label, fresh=fresh)   # warm-up: connections, caches, first queries
            runs.append(load(url, args.clients, args.seconds, label, fresh=fresh))
            print(runs[-1].row(), flush=True)
            if name is not None:
                stop(front)
    finally:
        for server in reversed(started):
            stop(server)
    print(f"\n{args.clients} clients, {args.seconds:g} s per run, CPS_QUERY_WORKERS={args.workers} per replica, "
          f"{os.cpu_count()} cores; mix: {', '.join(MIX)}\n")
    print("| run | answers/s | p50 (ms) | p95 (ms) | from cache | other statuses | load average before → after |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for run in runs:
        print(run.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
