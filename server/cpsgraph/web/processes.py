"""More than one HTTP process on one port (CPS_HTTP_PROCESSES; docs/decisions/0026-http-processes.md).

One waitress process spends about a core on HTTP alone when cheap queries and cached pages come fast, so
`cpsgraph serve` can run several: each is a whole service (its app, its query workers, its release cache, its
fair dispatcher), and all of them listen on the same address with SO_REUSEPORT.

**A client always reaches the same process.** The kernel picks the process of each new connection with a
small classic-BPF program attached to the listening sockets (SO_ATTACH_REUSEPORT_CBPF): a hash of the client's
IP address, modulo the number of processes. So the fair admission of web/httpserver.py holds as it did: a
client's share (CPS_CLIENT_QUERIES) is counted in one process, not once per process, and a client hammering
the endpoint shares one process's threads with the clients that hash there, while the others never meet it.
Behind a reverse proxy every connection comes from the proxy's address and so reaches one process: run one
process per proxy there, or replicas (docs/scaling.md).

**The machine's budgets are divided, not multiplied.** CPS_QUERY_WORKERS and CPS_RESPONSE_CACHE_BYTES are
totals: each process gets its part (at least one worker). The other settings hold per process.

**One supervisor.** `cpsgraph serve` forks the processes before it imports anything heavy, and then only
watches them: SIGTERM and SIGINT are passed on (each process drains as one alone would, web/serve.py) and it
exits 0 once all have stopped; SIGHUP is passed on (each process reloads on its own, all at once for the
clients it serves). A process that fails to start stops the others, and the supervisor exits with its status
(2 for a configuration error). A process that dies after it served (killed, out of memory) is started again
after RESTART_DELAY seconds (doubling up to RESTART_DELAY_MAX while it dies again before it listens, say
because the build went away), and its clients reach it (or, meanwhile, another) with their next connection.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import select
import signal
import socket
import struct
import sys
import time
import traceback
from collections.abc import Callable

log = logging.getLogger("cpsgraph.serve")
SHARD = "HTTP_SHARD"          # in a process's config: (its index, how many processes)
RESTART_DELAY = 1.0           # seconds before a process that died after serving is started again ...
RESTART_DELAY_MAX = 30.0      # ... doubling while it dies again before it listens, up to this
LOOP_SECONDS = 0.2            # how often the supervisor looks at its processes
SO_ATTACH_REUSEPORT_CBPF = 51
SKF_NET_OFF = -0x100000       # classic BPF: offsets from the IP header (the program starts past the TCP header)


def affinity_program(processes: int) -> list[tuple[int, int, int, int]]:
    """The classic BPF program that picks a listening socket by the client's address: the IPv4 source, or the last
    32 bits of the IPv6 source, mixed (a 32-bit finaliser, so neighbouring addresses spread) and taken modulo
    `processes`. Instructions are (code, jump if true, jump if false, k)."""
    def at(offset: int) -> int:
        return (SKF_NET_OFF + offset) & 0xFFFFFFFF

    ld_byte, ld_word, rsh, jeq, ja, tax, xor_x, mul, mod, ret_a = (
        0x30, 0x20, 0x74, 0x15, 0x05, 0x07, 0xAC, 0x24, 0x94, 0x16)
    return [(ld_byte, 0, 0, at(0)),          # the IP header's first byte
            (rsh, 0, 0, 4),                  # its version
            (jeq, 2, 0, 6),
            (ld_word, 0, 0, at(12)),         # IPv4: the source address
            (ja, 0, 0, 1),
            (ld_word, 0, 0, at(20)),         # IPv6: the source address's last 32 bits
            (tax, 0, 0, 0), (rsh, 0, 0, 16), (xor_x, 0, 0, 0),    # a ^= a >> 16
            (mul, 0, 0, 0x45D9F3B),
            (tax, 0, 0, 0), (rsh, 0, 0, 16), (xor_x, 0, 0, 0),
            (mod, 0, 0, processes),
            (ret_a, 0, 0, 0)]                # the socket's index in the port's group


def shard_of(config) -> tuple[int, int]:
    """(this process's index, how many HTTP processes serve the port): (0, 1) for a process alone."""
    return config.get(SHARD) or (0, 1)


def _bound(family, kind, proto, address, *, share: bool) -> socket.socket:
    """A TCP socket bound to `address` as waitress binds one (SO_REUSEADDR, IPv6 only for an IPv6 address), with
    SO_REUSEPORT when `share`. Raises OSError."""
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


def listening_socket(sockinfo: tuple) -> socket.socket:
    """A socket bound to `sockinfo` (waitress's (family, type, proto, address)) that other processes of this
    service may bind too (SO_REUSEPORT); not yet listening. Raises OSError."""
    return _bound(*sockinfo, share=True)


def pin_clients(listening: socket.socket, processes: int) -> None:
    """Make the kernel hand each client's connections to one socket of the port's group (affinity_program).
    Raises ConfigError where it cannot (not Linux): without it a client would get a share in every process."""
    from ..errors import ConfigError

    try:
        attach_program(listening, SO_ATTACH_REUSEPORT_CBPF, affinity_program(processes))
    except OSError as error:
        raise ConfigError(f"CPS_HTTP_PROCESSES={processes} needs the kernel to pin each client to one process "
                          f"(Linux's SO_ATTACH_REUSEPORT_CBPF), and it cannot here ({error.strerror or error}): "
                          "set CPS_HTTP_PROCESSES=1, or run replicas (docs/scaling.md).") from None


def attach_program(sock: socket.socket, option: int, program: list[tuple[int, int, int, int]]) -> None:
    """Attach a classic BPF `program` (its instructions as (code, jt, jf, k)) to `sock` as the socket option
    `option` (SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF). Raises OSError."""
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(code, len(code))
    sock.setsockopt(socket.SOL_SOCKET, option, struct.pack("HP", len(program), ctypes.addressof(buffer)))


def free_port(host: str, port: int) -> int:
    """`port`, checked free on every address `host` names (a plain bind, which fails beside any listener: also
    beside another service sharing its port), or a free one for `port` 0. Raises OSError."""
    chosen = port
    for family, kind, proto, _name, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                                  flags=socket.AI_PASSIVE):
        with _bound(family, kind, proto, (address[0], chosen, *address[2:]), share=False) as sock:
            chosen = sock.getsockname()[1]
    return chosen


def shard_settings(overrides: dict, settings: dict, index: int, processes: int) -> dict:
    """`overrides` for process `index` of `processes`: its part of the query workers and of the release cache
    (`settings`: the whole service's, config.load_settings(overrides))."""
    return {**overrides, SHARD: (index, processes),
            "QUERY_WORKERS": max(1, math.ceil(settings["QUERY_WORKERS"] / processes)),
            "RESPONSE_CACHE_BYTES": settings["RESPONSE_CACHE_BYTES"] // processes}


class Supervisor:
    """Starts `processes` children, each running `serve_one(index, ready)` (which calls `ready()` once it
    listens, and returns the exit status), and watches them until they have all stopped (the module's
    docstring). `run()` returns the status `cpsgraph serve` exits with."""

    def __init__(self, processes: int, serve_one: Callable[[int, Callable[[], None]], int]):
        self.processes, self.serve_one = processes, serve_one
        self.children: dict[int, tuple[int, int]] = {}   # pid -> (index, the read end of its ready pipe)
        self.ready: set[int] = set()                      # indexes that have listened at least once
        self.stopping = False
        self.status = 0
        self.due: dict[int, float] = {}                   # index -> when it is started again
        self.delay: dict[int, float] = {}                 # index -> the wait before its next start
        self.listening: set[int] = set()                  # indexes whose current process has listened

    def run(self) -> int:
        handlers = {number: signal.signal(number, self._stop) for number in (signal.SIGTERM, signal.SIGINT)}
        handlers[signal.SIGHUP] = signal.signal(signal.SIGHUP, self._forward)
        try:
            for index in range(self.processes):
                self._start(index)
            while self.children or (self.due and not self.stopping):
                self._watch()
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        log.info("stopped (%d HTTP processes)", self.processes)
        return self.status

    def _start(self, index: int) -> None:
        reader, writer = os.pipe()
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:   # the child: it never returns
            os.close(reader)
            _child(index, writer, self.serve_one, supervisor)
        os.close(writer)
        self.children[pid] = (index, reader)

    def _watch(self) -> None:
        readers = {reader: index for index, reader in self.children.values()}
        try:
            readable, _, _ = select.select(list(readers), [], [], LOOP_SECONDS)
        except InterruptedError:
            readable = []
        for reader in readable:
            if os.read(reader, 1):
                index = readers[reader]
                self.listening.add(index)
                self.delay.pop(index, None)   # it serves: a later death waits RESTART_DELAY again
                if index not in self.ready:
                    self.ready.add(index)
                    if len(self.ready) == self.processes:
                        log.info("all %d HTTP processes are listening", self.processes)
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                break
            self._ended(pid, os.waitstatus_to_exitcode(status))
        now = time.monotonic()
        for index, when in list(self.due.items()):
            if when <= now and not self.stopping:
                del self.due[index]
                log.info("starting HTTP process %d again", index + 1)
                self._start(index)

    def _ended(self, pid: int, code: int) -> None:
        index, reader = self.children.pop(pid, (None, None))
        if index is None:
            return
        os.close(reader)
        if self.stopping:
            self.status = self.status or (code if code > 0 else 0)
            return
        if index not in self.ready:   # it never listened: the configuration or the build is wrong
            log.error("HTTP process %d could not start (status %d): stopping the others", index + 1, code)
            self.status = code if code > 0 else 1
            self._stop()
            return
        served = index in self.listening
        self.listening.discard(index)
        delay = RESTART_DELAY if served else min(RESTART_DELAY_MAX, 2 * self.delay.get(index, RESTART_DELAY))
        self.delay[index] = delay
        log.error("HTTP process %d ended (status %d) %s; starting it again in %g s", index + 1, code,
                  "while serving" if served else "before it listened again", delay)
        self.due[index] = time.monotonic() + delay

    def _stop(self, *_signal) -> None:
        self.stopping = True
        self.due.clear()
        for pid in self.children:
            _signal_child(pid, signal.SIGTERM)

    def _forward(self, *_signal) -> None:
        for pid in self.children:
            _signal_child(pid, signal.SIGHUP)


def _signal_child(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass   # it has just ended; the watch loop reaps it


def _child(index: int, writer: int, serve_one, supervisor: int) -> None:
    """Run one HTTP process in the forked child, and exit with its status (never returns)."""
    code = 1
    try:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)   # serve() sets its own once it runs
        _die_with_parent(supervisor)

        def ready() -> None:
            os.write(writer, b"1")

        code = serve_one(index, ready)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:   # noqa: BLE001 - the child reports and exits; the supervisor decides
        traceback.print_exc()
    finally:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def _die_with_parent(supervisor: int) -> None:
    """Ask the kernel to send this process SIGTERM when the supervisor ends (PR_SET_PDEATHSIG, Linux), so that a
    supervisor killed outright leaves no HTTP process behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != supervisor:   # the supervisor ended before the request took effect
        os._exit(1)
