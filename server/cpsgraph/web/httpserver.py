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
- **Kept answers never queue either.** A request whose answer the release cache keeps (web/httpcache.py) is
  answered by the I/O loop as soon as it has arrived, with no request thread (`Server._kept_answer`); the
  dispatcher never sees it, since it costs no worker and almost no time.
- **Fair request threads.** A request waits for a thread in the dispatcher's queue, holding none
  (FairDispatcher): one client (web/fairness.py: its address, or the one a trusted proxy forwarded for) has
  at most CPS_CLIENT_QUERIES requests on threads, the SPARQL endpoint (/sparql, /store, /dumps) at most as
  many threads as it may have query workers, so pages and the API always find threads; a request held back
  for CPS_ADMISSION_WAIT is answered at once 429 (its client's share) or 503 (the endpoint's), with
  `Retry-After` (docs/decisions/0017-answers-and-fair-admission.md).
- **Lingering close.** When the server closes a connection after its answer (`Connection: close`, a refused
  body, a 408), it first shuts its sending side and reads what the client still sends, discarding it, for at
  most LINGER_SECONDS or LINGER_BYTES, then closes. Closing at once, with a body still arriving, made the
  kernel reset the connection, and a reset discards the answer the client had not read yet: a client sending
  a body over the limit got "connection reset" instead of the 413 (Apache's lingering_close does the same).
- **Draining.** While the server drains (serve.py), every answer says `Connection: close`. Before a listening
  socket is closed, it stops completing new handshakes (`refuse_handshakes`), so that closing it resets no
  connection a client believes open.
"""

from __future__ import annotations

import json
import logging
import resource
import socket
import threading
import time
import uuid
from collections import Counter
from email.utils import formatdate

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher, WSGITask

from ..store.admission import TAKE_BACK, newcomer_room
from . import fairness, ops
from .processes import attach_program, listening_socket, pin_clients, shard_of

log = logging.getLogger("cpsgraph.serve")
RESERVED_DESCRIPTORS = 256   # besides the connections: listening sockets, worker pipes, log and data files
MAINTENANCE_SECONDS = 1.0    # how often idle and slow connections are looked for
ACCEPT_BATCH = 64            # connections accepted at most per turn of the I/O loop
LIVENESS_PATH = "/healthz"
FAIR_WINDOW = 5.0            # seconds a client that asked the endpoint counts among those sharing it
LINGER_SECONDS = 2.0         # a closing connection reads (and drops) what still arrives for this long at most
LINGER_BYTES = 4 << 20       # ... and this much at most
KEPT_UNSENT = 1 << 20        # bytes unsent on a connection past which kept answers are written by a request thread
_loop = threading.local()    # `here`: this thread is in the I/O loop's read of a connection
TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Content-Length: 61\r\n\r\nThe request did not arrive in time; the connection is closed.\n")


class Task(WSGITask):
    def build_response_header(self):
        if self.channel.server.cps_draining:
            self.set_close_on_finish()   # the client opens its next request elsewhere, not on a closing socket
        return super().build_response_header()

    def get_environment(self):
        environ = super().get_environment()
        if hasattr(self.channel, "cps_client"):
            # who the client is, as the dispatcher counted it (waitress drops the forwarded headers of
            # proxies it does not trust itself, so the app could not tell)
            environ[fairness.CLIENT] = self.channel.cps_client
        refusal = getattr(self.channel, "cps_refusal", None)
        if refusal is not None:
            environ[fairness.REFUSAL] = refusal   # held back past the admission wait: the app refuses it
        return environ


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

    # --- lingering close (the module's docstring) ---------------------------------------------------------------
    cps_writing = False                  # inside handle_write: a close now is ours, after the answer went out
    cps_linger_until: float | None = None   # time.monotonic() until which a closing connection reads and drops
    cps_linger_left = 0                  # bytes it may still drop

    def handle_write(self):
        self.cps_writing = True
        try:
            super().handle_write()
        finally:
            self.cps_writing = False

    def handle_close(self):
        if self.cps_linger_until is None and self.cps_writing and self.connected and not self.requests:
            try:
                self.socket.shutdown(socket.SHUT_WR)   # the client reads our answer, then end of file
            except OSError:
                return super().handle_close()
            self.cps_linger_until = time.monotonic() + LINGER_SECONDS
            self.cps_linger_left = LINGER_BYTES
            self.will_close = self.close_when_flushed = False
            return None
        return super().handle_close()   # an error, the client's end of file, or the end of lingering

    def lingering(self) -> bool:
        return self.cps_linger_until is not None

    def readable(self):
        return True if self.lingering() else super().readable()

    def writable(self):
        return False if self.lingering() else super().writable()

    def handle_read(self):
        if not self.lingering():
            _loop.here = True   # add_task, called from here, runs in the I/O loop (not in a request thread)
            try:
                return super().handle_read()
            finally:
                _loop.here = False
        try:
            data = self.recv(65536)   # wasyncore: end of file calls handle_close, which closes
        except OSError:
            return super().handle_close()
        self.cps_linger_left -= len(data)
        if self.connected and (self.cps_linger_left <= 0 or time.monotonic() > self.cps_linger_until):
            super().handle_close()
        return None


class Server(TcpWSGIServer):
    channel_class = Channel
    cps_wsgi = None   # the WSGI app as given to create(): serve.Switch under `cpsgraph serve`
    cps_draining = False
    cps_read_timeout = 30.0

    def maintenance(self, now):
        """Close what waitress's own maintenance leaves open: a request arriving too slowly (408)."""
        super().maintenance(now)   # idle connections, and answers nobody reads, past channel_timeout (IDLE_TIMEOUT)
        monotonic = time.monotonic()
        for channel in list(self.active_channels.values()):
            if channel.lingering():
                if monotonic > channel.cps_linger_until:
                    HTTPChannel.handle_close(channel)   # the client kept its side open: closed now
                continue
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
        while channel.requests and (_is_liveness(channel.requests[0]) or self._kept_answer(channel)):
            request = channel.requests.pop(0)
            kept, channel.cps_kept = getattr(channel, "cps_kept", None), None
            close = _answer_kept(channel, request, *kept) if kept else _answer_liveness(channel, request)
            request.close()
            if close:
                for later in channel.requests:
                    later.close()
                channel.requests = []
                channel.close_when_flushed = True
        if channel.requests:
            super().add_task(channel)
        elif getattr(_loop, "here", False):
            channel._flush_some_if_lockable()   # in the loop: sent now, not at its next turn
        else:
            self.pull_trigger()   # the answer is flushed by the loop (asleep, as this is a request thread)

    def _kept_answer(self, channel) -> bool:
        """Whether the release cache holds the answer to the channel's first request (web/httpcache.HttpCache.hit),
        kept on the channel (`cps_kept`) for add_task to write here and now: a hit costs the I/O loop a look-up
        and a write, and takes no request thread, no hand-off and no wake-up of the loop (five times the hits
        per second; docs/benchmarks.md). Not once KEPT_UNSENT bytes wait on the connection: a client that
        pipelines requests for a large kept page and reads nothing would make the loop buffer answer after
        answer, so its next requests go to a request thread, which waits for the client to read."""
        request = channel.requests[0]
        if request.error is not None or request.command not in ("GET", "HEAD", "POST") or self.cps_draining \
                or channel.total_outbufs_len > KEPT_UNSENT:
            return False
        app = getattr(self.cps_wsgi, "app", None)   # serve.Switch: the app of the release served now
        cache = app.extensions.get("cpsgraph.httpcache") if app is not None else None
        if cache is None:
            return False
        try:
            kept = cache.hit(Task(channel, request).get_environment())
        except Exception:   # noqa: BLE001 - a bug here must not cost the connection: the app answers instead
            log.exception("the release cache could not be asked in the I/O loop; the request goes to the app")
            kept = None
        channel.cps_kept = kept
        return kept is not None


class FairDispatcher(ThreadedTaskDispatcher):
    """waitress's pool of request threads, taking the queued requests fairly (see the module's docstring).

    A queued request (its channel) waits, holding no thread, while it is held back: its client already has
    `client_share` requests on threads, or it is for the endpoint and the endpoint holds `endpoint_threads`
    threads, or its client holds its fair part of them (the endpoint's threads divided by the clients that
    asked for them within FAIR_WINDOW seconds, at least one), or the endpoint's free threads are down to the
    room kept for newcomers (store/admission.newcomer_room) and its client already holds one. Of the endpoint
    requests a thread may take, the one whose client holds the fewest goes first. A request held back for `wait`
    seconds is taken anyway, marked with why (`cps_refusal`), and the app answers it 429 or 503 at once
    (web/fairness.py).

    A query cannot be paused, so a client that came first may hold more than its fair part once others come
    (three of four threads before the second and third client asked). When every endpoint thread is busy and
    a client holding none waits, the dispatcher takes one back (`_take_back`): the most recent request of the
    client furthest over its part is told to stop (store.admission.TAKE_BACK; its worker is replaced and it is
    answered 503, QueryTakenBack), and the thread it frees goes to the waiting client, the lightest."""

    def __init__(self, *, endpoint_threads: int, client_share: int, wait: float, trusted: list,
                 take_back: bool = True):
        super().__init__()
        self.take_back = take_back   # whether a running query can be stopped (the embedded store's workers)
        self.endpoint_threads = max(1, int(endpoint_threads))
        self.room = newcomer_room(self.endpoint_threads)
        self.client_share = max(0, int(client_share)) or None
        self.wait = max(0.0, float(wait))
        self.trusted = trusted
        self.endpoint_busy = 0
        self.client_busy: Counter = Counter()     # requests on threads, by client
        self.endpoint_clients: Counter = Counter()  # endpoint requests on threads, by client
        self.asked: dict = {}                       # client: when it last queued an endpoint request
        self.running: dict = {}                     # endpoint requests on threads: thread -> (client, since, event)

    def add_task(self, channel) -> None:
        request = channel.requests[0]
        path = (getattr(request, "path", None) or "") if request.error is None else ""   # an error: a quick 4xx
        channel.cps_endpoint = fairness.is_endpoint(path)
        channel.cps_client = None if path in fairness.UNCOUNTED_PATHS or not channel.addr else fairness.client_key(
            channel.addr[0], _header(request, "FORWARDED"), _header(request, "X_FORWARDED_FOR"), self.trusted)
        channel.cps_queued = time.monotonic()
        channel.cps_refusal = None
        channel.cps_took_back = False   # whether a request was taken back for this one (FairDispatcher._take_back)
        if channel.cps_endpoint and channel.cps_client is not None:
            with self.lock:
                self.asked[channel.cps_client] = channel.cps_queued
        super().add_task(channel)

    def handler_thread(self, thread_no) -> None:
        while True:
            with self.lock:
                while True:
                    if self.stop_count > 0:
                        self.active_count -= 1
                        self.stop_count -= 1
                        self.threads.discard(thread_no)
                        self.thread_exit_cv.notify()
                        return
                    channel, wake_in = self._next()
                    if channel is not None:
                        break
                    self.active_count -= 1
                    self.queue_cv.wait(wake_in)
                    self.active_count += 1
                # what this request counts as, kept here: the channel's next request may be queued (and its
                # attributes set again) before this one's service() returns
                counted = (channel.cps_endpoint, channel.cps_client) if channel.cps_refusal is None else None
                if counted:
                    self._count(*counted, 1)
                take_back = None
                if counted and counted[0] and counted[1] is not None:
                    take_back = threading.Event()
                    self.running[thread_no] = (counted[1], time.monotonic(), take_back)
            token = TAKE_BACK.set(take_back)
            try:
                channel.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", channel)
            finally:
                TAKE_BACK.reset(token)
                if counted:
                    with self.lock:
                        self._count(*counted, -1)
                        self.running.pop(thread_no, None)
                        self.queue_cv.notify_all()   # a held-back request may go now

    def _next(self):
        """The queued channel a thread should take now (removed from the queue), or None and the seconds
        until the first held-back one is due for refusal (None: no request is queued)."""
        now, due, best = time.monotonic(), None, None
        # the clients sharing the endpoint: those on it and those that asked within FAIR_WINDOW (a hostile
        # client between two of its requests still counts, so the fair part does not swing up and down)
        for client in [c for c, when in self.asked.items() if now - when > FAIR_WINDOW]:
            del self.asked[client]
        fair = max(1, self.endpoint_threads // max(1, len(self.asked.keys() | self.endpoint_clients.keys())))
        for index, channel in enumerate(self.queue):
            reason = self._held_back(channel, fair)
            if reason == "full" and self.take_back and not getattr(channel, "cps_took_back", False):
                self._take_back(channel, fair)
            waited = now - getattr(channel, "cps_queued", now)
            if reason is not None and waited < self.wait:
                due = min(due if due is not None else self.wait, self.wait - waited)
                continue
            if reason is not None or not getattr(channel, "cps_endpoint", False):
                best = (index, reason)   # a refusal, or a page, API or probe request: at once, in order
                break
            load = self.endpoint_clients[getattr(channel, "cps_client", None)]
            if best is None or load < best[2]:
                best = (index, None, load)
        if best is None:
            return None, (None if due is None else max(0.005, due))
        channel = self.queue[best[0]]
        del self.queue[best[0]]
        channel.cps_refusal = best[1]
        return channel, None

    def _held_back(self, channel, fair: int) -> str | None:
        client = getattr(channel, "cps_client", None)
        if self.client_share and client is not None and self.client_busy[client] >= self.client_share:
            return "client"
        if getattr(channel, "cps_endpoint", False):
            if self.endpoint_busy >= self.endpoint_threads:
                return "full"
            if client is not None and self.endpoint_clients[client] and (
                    self.endpoint_clients[client] >= fair or self.endpoint_threads - self.endpoint_busy <= self.room):
                return "fair"
        return None

    def _take_back(self, channel, fair: int) -> None:
        """For `channel`, held back because every endpoint thread is busy: if its client holds none of them
        and another client holds more than its `fair` part (not counting requests already taken back), tell
        that client's most recent request to stop, once per waiting request."""
        client = getattr(channel, "cps_client", None)
        if client is None or not getattr(channel, "cps_endpoint", False) or self.endpoint_clients[client]:
            return
        held: Counter = Counter()
        for holder, _since, event in self.running.values():
            if not event.is_set():
                held[holder] += 1
        over = [(count - fair, holder) for holder, count in held.items() if count > fair]
        if not over:
            return
        _excess, holder = max(over)
        _since, event = max(((since, event) for who, since, event in self.running.values()
                             if who == holder and not event.is_set()), key=lambda entry: entry[0])
        event.set()
        channel.cps_took_back = True
        log.info("took back a request of %s (%d endpoint threads, fair part %d) for %s",
                 holder, held[holder], fair, client)

    def _count(self, endpoint: bool, client: str | None, step: int) -> None:
        if endpoint:
            self.endpoint_busy += step
            if client is not None:
                _add(self.endpoint_clients, client, step)
        if client is not None:
            _add(self.client_busy, client, step)


def _add(counter: Counter, key, step: int) -> None:
    counter[key] += step
    if counter[key] <= 0:
        del counter[key]


def _header(request, name: str) -> list[str]:
    value = request.headers.get(name)
    return [value] if value else []


def endpoint_threads(config: dict) -> int:
    """Request threads the SPARQL endpoint may hold: as many as the query workers it may use
    (store/admission.py), leaving at least max(2, SITE_WORKERS) threads to the rest."""
    from ..store.admission import sparql_workers

    threads, site = int(config["SERVER_THREADS"]), max(2, int(config["SITE_WORKERS"]))
    return max(1, min(threads - site, sparql_workers(int(config["QUERY_WORKERS"]), int(config["SITE_WORKERS"]))))


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
               "Date": http_date()}
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


_date: list = [0, ""]   # the second and its HTTP date, formatted once per second (a tenth of a kept answer's time)


def http_date() -> str:
    """Now as an HTTP date (`Date`), formatted once per second."""
    now = int(time.time())
    if _date[0] != now:
        _date[:] = [now, formatdate(now, usegmt=True)]
    return _date[1]


def _answer_kept(channel, request, status: str, headers: list, chunks: list) -> bool:
    """Write a kept answer (status, headers and body as the cache gives them) to `channel`, with the connection
    handling waitress gives an answer of known length; True when the connection closes after it."""
    connection = request.headers.get("CONNECTION", "").lower()
    close = channel.server.cps_draining or connection == "close" or (
        request.version == "1.0" and connection != "keep-alive")
    lines = [f"HTTP/{request.version} {status}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if close:
        lines.append("Connection: close")
    elif request.version == "1.0":
        lines.append("Connection: Keep-Alive")
    lines += ["Server: cpsgraph", f"Date: {http_date()}", "", ""]
    _write(channel, "\r\n".join(lines).encode("latin-1") + b"".join(chunks))
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
    try:
        attach_program(listening, SO_ATTACH_FILTER, DROP_SYN)
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
    dispatcher = FairDispatcher(endpoint_threads=endpoint_threads(config), client_share=int(config["CLIENT_QUERIES"]),
                                wait=float(config["ADMISSION_WAIT"]),
                                trusted=fairness.trusted_proxies(config["TRUSTED_PROXIES"]),
                                take_back=config["STORE"] == "embedded")   # a remote store's query runs on
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict = {}
    _index, processes = shard_of(config)
    if processes > 1:   # one of several HTTP processes on this port, each client pinned to one (web/processes.py)
        listeners = []
        for info in adj.listen:
            listeners.append(Server(app, socket_map, _sock=listening_socket(info), dispatcher=dispatcher, adj=adj,
                                    sockinfo=info, bind_socket=False))
            pin_clients(listeners[-1].socket, processes)
    else:
        listeners = [Server(app, socket_map, dispatcher=dispatcher, adj=adj, sockinfo=info) for info in adj.listen]
    for listener in listeners:
        listener.cps_read_timeout = float(config["REQUEST_READ_TIMEOUT"])
        listener.cps_wsgi = app   # (waitress wraps `application` in its proxy-headers middleware)
    first = listeners[0]
    first.cps_map, first.cps_listeners = socket_map, listeners
    first.effective_listen = [(s.effective_host, s.effective_port) for s in listeners]
    return first
