"""The HTTP server under `cpsgraph serve`: waitress, with what a public endpoint needs beyond its defaults
(docs/decisions/0015-http-server-and-connections.md).

- **Connections cost a socket, never a thread.** waitress's I/O loop reads each request completely before a
  request thread sees it, so idle and slow clients hold no thread. The loop uses poll(), not select() (whose
  1024-descriptor ceiling stopped new clients), up to CONNECTION_LIMIT connections, and the process's
  descriptor limit (RLIMIT_NOFILE) is raised to fit them (or the limit lowered to fit it, with a warning).
- **Slow clients are bounded.** A request (head and body) must arrive within REQUEST_READ_TIMEOUT seconds of its
  first byte, or the connection gets a 408 and is closed; a keep-alive connection idle for IDLE_TIMEOUT
  seconds is closed. Each is checked every second by the loop's maintenance.
- **Liveness never queues.** `GET /healthz` (and HEAD) is answered by the I/O loop itself, with the same
  document and headers as the app's route and an access-log line, so busy request threads or query workers
  cannot delay it. The app keeps its own `/healthz` route (tests, other WSGI servers).
- **Draining.** While the server drains (serve.py), every answer says `Connection: close`. Before a listening
  socket is closed, it stops completing new handshakes (`refuse_handshakes`), so that closing it resets no
  connection a client believes open.
"""

from __future__ import annotations

import ctypes
import json
import logging
import resource
import socket
import struct
import time
import uuid
from email.utils import formatdate

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher, WSGITask

from . import ops

log = logging.getLogger("cpsgraph.serve")
RESERVED_DESCRIPTORS = 256   # besides the connections: listening sockets, worker pipes, log and data files
MAINTENANCE_SECONDS = 1.0    # how often idle and slow connections are looked for
ACCEPT_BATCH = 64            # connections accepted at most per turn of the I/O loop
LIVENESS_PATH = "/healthz"
TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Content-Length: 61\r\n\r\nThe request did not arrive in time; the connection is closed.\n")


class Task(WSGITask):
    def build_response_header(self):
        if self.channel.server.cps_draining:
            self.set_close_on_finish()   # the client opens its next request elsewhere, not on a closing socket
        return super().build_response_header()


class Channel(HTTPChannel):
    """One client connection: remembers when the request it is receiving began."""

    task_class = Task
    read_started: float | None = None   # time.monotonic() of the first byte of the request being received
    cps_received = False                # whether the client has sent anything yet

    def received(self, data):
        self.cps_received = True
        before = self.request
        result = super().received(data)
        if self.request is None:
            self.read_started = None          # every request received so far is complete
        elif self.request is not before or self.read_started is None:
            self.read_started = time.monotonic()
        return result

    def reading_for(self, now: float) -> float:
        """Seconds spent receiving the current request (0 when none is being received)."""
        return now - self.read_started if self.read_started is not None and self.request is not None else 0.0


class Server(TcpWSGIServer):
    channel_class = Channel
    cps_draining = False
    cps_read_timeout = 30.0

    def maintenance(self, now):
        """Close what waitress's own maintenance leaves open: a request arriving too slowly (408)."""
        super().maintenance(now)   # idle connections, and answers nobody reads, past channel_timeout (IDLE_TIMEOUT)
        monotonic = time.monotonic()
        for channel in list(self.active_channels.values()):
            if not channel.requests and channel.reading_for(monotonic) > self.cps_read_timeout:
                with channel.requests_lock:
                    _write(channel, TIMED_OUT)
                    channel.close_when_flushed = True

    def handle_accept(self):
        """Accept up to ACCEPT_BATCH waiting connections per turn of the loop, not one (waitress's own): a turn
        walks every connection held, so with a thousand held, one accept per turn let the kernel's backlog fill
        and a new client's SYN be dropped (a second's wait, or three)."""
        room = self.adj.connection_limit - len(self._map)
        for _ in range(max(1, min(ACCEPT_BATCH, room))):
            if self.accept_pending() is None:
                return

    def accept_pending(self):
        """Accept one connection waiting in the listen backlog: its channel, or None when there is none."""
        try:
            pair = self.accept()
        except OSError:
            return None
        if pair is None:
            return None
        conn, addr = pair
        self.set_socket_options(conn)
        return self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def add_task(self, channel):
        """Called (holding the channel's requests lock) when a channel's first waiting request is complete:
        a liveness probe is answered here and now, anything else goes to the request threads."""
        if channel.close_when_flushed:   # requests read after one that closes the connection are not served
            for later in channel.requests:
                later.close()
            channel.requests = []
            return
        while channel.requests and _is_liveness(channel.requests[0]):
            request = channel.requests.pop(0)
            close = _answer_liveness(channel, request)
            request.close()
            if close:
                for later in channel.requests:
                    later.close()
                channel.requests = []
                channel.close_when_flushed = True
        if channel.requests:
            super().add_task(channel)
        else:
            self.pull_trigger()   # the answer is flushed by the loop (it may be asleep if this is a task thread)


def _is_liveness(request) -> bool:
    return request.error is None and request.command in ("GET", "HEAD") and request.path == LIVENESS_PATH


def _write(channel, data: bytes) -> None:
    with channel.outbuf_lock:
        channel.outbufs[-1].append(data)
        channel.current_outbuf_count += len(data)
        channel.total_outbufs_len += len(data)


def _answer_liveness(channel, request) -> bool:
    """Write the liveness answer to `channel`; True when the connection closes after it."""
    started = time.perf_counter()
    given = request.headers.get("X_REQUEST_ID", "")
    request_id = given if ops.REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    connection = request.headers.get("CONNECTION", "").lower()
    close = channel.server.cps_draining or connection == "close" or (
        request.version == "1.0" and connection != "keep-alive")
    body = json.dumps(ops.LIVE).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Cache-Control": "no-store",
               "X-Request-Id": request_id, "X-Content-Type-Options": "nosniff", "Server": "cpsgraph",
               "Date": formatdate(usegmt=True)}
    if close:
        headers["Connection"] = "close"
    elif request.version == "1.0":
        headers["Connection"] = "Keep-Alive"
    head = f"HTTP/{request.version} 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    _write(channel, head.encode("latin-1") + (b"" if request.command == "HEAD" else body))
    if ops.access_log.isEnabledFor(logging.INFO):
        ops.access_log.info(json.dumps(ops.access_line(
            request_id=request_id, remote=channel.addr[0] if channel.addr else None, method=request.command,
            path=request.path, status=200, size=len(body), started=started), ensure_ascii=True))
    return close


# A classic BPF socket filter (the program sees the TCP header): drop a segment whose SYN flag is set, keep the rest.
SO_ATTACH_FILTER = 26
DROP_SYN = [(0x30, 0, 0, 13),          # ldb [13]: the TCP flags
            (0x45, 0, 1, 0x02),        # jset SYN: drop
            (0x06, 0, 0, 0),           # ret 0: dropped
            (0x06, 0, 0, 0xFFFFFFFF)]  # ret all: kept


def refuse_handshakes(listening: socket.socket) -> bool:
    """From now on the kernel drops new connection attempts (SYN) on `listening` instead of completing them
    into its backlog, while handshakes under way still complete (their last ACK is no SYN). The client retries
    its SYN after about a second and, the socket being closed by then, is refused: closing a listening socket
    with connections in its backlog or half open would reset connections that the client already holds for
    established (Linux; False where it cannot be done, and closing is then racy as it always was)."""
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in DROP_SYN)
    program = ctypes.create_string_buffer(code, len(code))
    try:
        listening.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER,
                             struct.pack("HP", len(DROP_SYN), ctypes.addressof(program)))
    except OSError as error:
        log.info("cannot make the listening socket refuse new handshakes before it closes: %s", error)
        return False
    return True


def descriptor_limit(connections: int) -> int:
    """Raise the soft RLIMIT_NOFILE so that `connections` fit beside RESERVED_DESCRIPTORS (up to the hard
    limit); return how many connections fit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + RESERVED_DESCRIPTORS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as error:
            log.warning("cannot raise the open-file limit to %d: %s", target, error)
    fits = connections if soft == resource.RLIM_INFINITY else max(1, min(connections, soft - RESERVED_DESCRIPTORS))
    if fits < connections:
        log.warning("CONNECTION_LIMIT lowered from %d to %d: the open-file limit is %d (raise it with ulimit -n)",
                    connections, fits, soft)
    return fits


def create(app, config: dict, *, host: str, port: int) -> Server:
    """Bound, listening servers for `app` (one per address `host` resolves to, sharing one socket map and one
    pool of request threads); returns the first, with `cps_map` and `cps_listeners`. Raises OSError."""
    connections = descriptor_limit(int(config["CONNECTION_LIMIT"]))
    adj = Adjustments(host=host, port=port, threads=int(config["SERVER_THREADS"]), ident="cpsgraph",
                      max_request_body_size=max(int(config["BODY_LIMIT"]), 1024),
                      connection_limit=connections + 2,   # the socket map also holds the listener and the trigger
                      channel_timeout=float(config["IDLE_TIMEOUT"]), cleanup_interval=MAINTENANCE_SECONDS,
                      asyncore_use_poll=True)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict = {}
    listeners = [Server(app, socket_map, dispatcher=dispatcher, adj=adj, sockinfo=info) for info in adj.listen]
    for listener in listeners:
        listener.cps_read_timeout = float(config["REQUEST_READ_TIMEOUT"])
    first = listeners[0]
    first.cps_map, first.cps_listeners = socket_map, listeners
    first.effective_listen = [(s.effective_host, s.effective_port) for s in listeners]
    return first
