"""Running the service with waitress (tuned in web/httpserver.py): an I/O loop that holds the connections and
reads each request whole, and a pool of request threads, so a slow query holds up one thread (and one query
worker) and a slow client holds only its socket, never the other clients.

Shutdown is graceful. On SIGTERM (a supervisor's stop) or SIGINT (Ctrl-C) the server closes its listening
socket at once (new connections are refused, so a load balancer moves on), lets the requests in flight finish
and their answers reach the clients for at most the query time limit plus DRAIN_MARGIN seconds, closes idle
keep-alive connections, stops the query workers and returns: `cpsgraph serve` exits 0.

Reload is all at once. On SIGHUP the service opens a whole new app beside the running one (its stores on the
release `BUILD_DIR/current` names now, their workers, the browser's indexes, the Service Description), and only
once all of it is up does the server hand new requests to it; the requests in flight finish on the old app,
whose workers are then stopped. A reload that cannot open (no build, a damaged one) changes nothing: the old
release goes on being served and the log says why. Meanwhile the host holds both sets of workers.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
import time

from waitress.channel import HTTPChannel

from ..errors import ConfigError
from . import create_app
from .processes import shard_of
from .stores import stores

log = logging.getLogger("cpsgraph.serve")
DRAIN_MARGIN = 5.0    # seconds on top of the query time limit that requests in flight get to finish at shutdown
LOOP_SECONDS = 0.2    # how long one turn of the serving loop waits for sockets before it looks at the stop flag
NEW_CONNECTION_GRACE = 2.0   # seconds a connection accepted just before the stop has to send its request
RETIRE_SECONDS = 600.0  # at most this long after a reload the old app's requests in flight keep its stores open
HANDSHAKE_GRACE = 0.3   # seconds the listening socket stays open, refusing new handshakes, before it is closed


class Switch:
    """The WSGI app the server runs: it hands each request to the current app (`app`, replaced at a reload) and
    counts the requests each app has in hand (from its call until its answer's iterable is closed), so that a
    reload closes the old app's stores only once nobody uses them."""

    def __init__(self, app):
        self.app, self._in_hand, self._lock = app, {}, threading.Lock()

    def __call__(self, environ, start_response):
        from werkzeug.wsgi import ClosingIterator

        app = self.app
        with self._lock:
            self._in_hand[id(app)] = self._in_hand.get(id(app), 0) + 1
        try:
            iterable = app(environ, start_response)
            file_wrapper = environ.get("wsgi.file_wrapper")
            if isinstance(file_wrapper, type) and isinstance(iterable, file_wrapper):
                # An answer sent from its file (store/answer.py): waitress sends it as the client reads and
                # closes it when done, only if it gets the file wrapper itself (a ClosingIterator around it
                # would make the request thread copy it all into waitress's buffers). Done when closed.
                close, once = iterable.close, []

                def closed() -> None:
                    try:
                        close()
                    finally:
                        if not once:
                            once.append(True)
                            self._done(app)

                iterable.close = closed
                return iterable
            return ClosingIterator(iterable, lambda: self._done(app))
        except BaseException:
            self._done(app)
            raise

    def _done(self, app) -> None:
        with self._lock:
            self._in_hand[id(app)] -= 1
            if not self._in_hand[id(app)]:
                del self._in_hand[id(app)]

    def in_flight(self, app) -> int:
        with self._lock:
            return self._in_hand.get(id(app), 0)


def make_server(config: dict | None = None, *, host: str | None = None, port: int | None = None):
    """The server for `create_app(config)` (web/httpserver.py), bound but not yet running, with the query
    workers started. `port=0` binds a free port (`server.effective_port`). Raises ConfigError/InputError,
    ConfigError also when the address cannot be bound (in use, not ours)."""
    from . import httpserver

    app = open_app(config, warm_later=True)
    host = host or app.config["HOST"]
    port = app.config["PORT"] if port is None else port
    try:
        switch = Switch(app)
        server = httpserver.create(switch, app.config, host=host, port=port)
    except OSError as error:
        stores(app).close()
        raise ConfigError(f"Cannot listen on {host}:{port} ({error.strerror or error}): choose another --port "
                          "(CPS_PORT) or stop the process that holds it.") from None
    except BaseException:
        stores(app).close()
        raise
    server.cps_app, server.cps_config, server.cps_retired, server.cps_switch = app, config, [], switch
    return server


def open_app(config: dict | None, *, warm_later: bool = False):
    """create_app(config) with everything loaded: the query workers started (so that the first client does not
    wait, and errors show now; the pool answers once its first worker is ready, the others join as they load),
    the browser's network and indexes built. With `warm_later` (the first start: nothing else is serving yet)
    the browser's indexes are built in a background thread while the server already answers; a page asked
    meanwhile waits for the piece it needs (site.Site.cached). A reload builds them before it switches.
    Raises what create_app raises."""
    from . import browser   # imported once the first query worker is loading (create_app launches it)
    from .ops import INDEXES_WARMED

    app = create_app(config, begin_workers=True)
    try:
        if hasattr(stores(app).public, "start"):
            stores(app).public.start(first_only=warm_later)
        if warm_later:
            app.extensions[INDEXES_WARMED] = False   # /readyz says "indexes": "building" until warm_up ends
            threading.Thread(target=browser.warm_up, args=(app,), name="cpsgraph-warm-up", daemon=True).start()
        else:
            browser.warm_up(app)
    except BaseException:
        stores(app).close()
        raise
    return app


def reload(server) -> bool:
    """Open a new app from the configuration and hand the server's new requests to it, all at once; close the old
    one's stores once its requests in flight are done (at most RETIRE_SECONDS). Returns whether it reloaded; on
    failure (no build, a damaged one, a data file that does not parse) the old app goes on and the log says why."""
    if server.cps_app.config["STORE_DIR"]:
        log.warning("SIGHUP: not reloaded: with CPS_STORE_DIR the on-disk store is rebuilt under the running "
                    "workers; restart the service to serve a new build")
        return False
    old = server.cps_app
    log.info("SIGHUP: opening what the configuration names now beside %s", _release_name(old, "the running app"))
    try:
        new = open_app(server.cps_config)
    except Exception as error:  # noqa: BLE001 - whatever stops the new app keeps the old one serving
        log.error("SIGHUP: not reloaded, still serving %s: %s", _release_name(old, "the data it started with"),
                  getattr(error, "message", None) or f"{type(error).__name__}: {error}")
        return False
    server.cps_app, server.cps_retired = new, [*server.cps_retired, old]
    server.cps_switch.app = new    # every request from now on, on every listener
    log.info("SIGHUP: now serving %s", _release_name(new, "the reloaded data"))
    deadline = time.monotonic() + RETIRE_SECONDS
    while server.cps_switch.in_flight(old) and time.monotonic() < deadline:
        time.sleep(0.1)
    stores(old).close()
    server.cps_retired = [app for app in server.cps_retired if app is not old]
    return True


def _release_name(app, otherwise: str) -> str:
    release = stores(app).release
    return f"release {release.name}" if release is not None else otherwise


def serve(config: dict | None = None, *, host: str | None = None, port: int | None = None,
          ready=None) -> None:
    """Serve until SIGTERM or SIGINT, then shut down gracefully (see the module's docstring); `ready()` is
    called once the server listens (web/processes.py's supervisor waits for it).
    Raises ConfigError/InputError at start-up (no build, a damaged build, the port in use)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = make_server(config, host=host, port=port)
    app = server.cps_app
    try:
        _configure_access_log(app.config["ACCESS_LOG"])
    except OSError as error:
        stores(app).close()
        raise ConfigError(f"Cannot write the access log to {app.config['ACCESS_LOG']}: {error}") from None
    what = app.config["STORE"] if app.config["STORE"] != "embedded" else "the embedded store"
    listening = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    index, processes = shard_of(app.config)
    log.info("serving %s at %s%s", what, ", ".join(f"http://{h}:{p}/sparql" for h, p in listening),
             f" (HTTP process {index + 1} of {processes})" if processes > 1 else "")
    if ready is not None:
        ready()

    stop, hangup = threading.Event(), threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
    if hasattr(signal, "SIGHUP"):
        previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, lambda *_: hangup.set())
    reloading: threading.Thread | None = None
    try:
        while not stop.is_set():
            _turn(server)
            if hangup.is_set() and (reloading is None or not reloading.is_alive()):
                hangup.clear()   # a SIGHUP during a reload is taken once it is over
                reloading = threading.Thread(target=reload, args=(server,), name="cpsgraph-reload", daemon=True)
                reloading.start()
        _drain(server, float(app.config["QUERY_TIMEOUT"]) + DRAIN_MARGIN)
    finally:
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        for dispatcher in list(server.cps_map.values()):
            dispatcher.close()
        if reloading is not None:
            reloading.join(timeout=1)   # a reload still opening its app: its workers die with this process
        for opened in {id(a): a for a in [*server.cps_retired, server.cps_app]}.values():
            stores(opened).close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    log.info("stopped")


def _turn(server) -> None:
    from waitress import wasyncore

    wasyncore.loop(timeout=LOOP_SECONDS, use_poll=server.adj.asyncore_use_poll, map=server.cps_map, count=1)


def _drain(server, seconds: float) -> None:
    """Stop accepting, then serve the open connections until no request is in flight or `seconds` pass.

    The listening sockets first stop completing new handshakes (httpserver.refuse_handshakes) and stay open
    HANDSHAKE_GRACE seconds, so that the handshakes under way end in the backlog; then the connections the
    kernel had accepted (the listen backlog) are taken: closing the listening socket would reset them. A
    connection counts as in flight while a request is being received, queued, served or its answer sent, while
    unread bytes wait on it, and for NEW_CONNECTION_GRACE seconds after it was accepted if it has sent nothing
    yet; only then is it closed (a keep-alive connection between requests loses nothing). Answers sent while
    draining say `Connection: close`."""
    from waitress.server import BaseWSGIServer

    from .httpserver import refuse_handshakes

    listeners = [d for d in server.cps_map.values() if isinstance(d, BaseWSGIServer)]
    refusing = [refuse_handshakes(listener.socket) for listener in listeners]
    for listener in listeners:
        listener.cps_draining = True
    if any(refusing):   # the handshakes under way complete into the backlog meanwhile, and are served
        settle = time.monotonic() + HANDSHAKE_GRACE
        while time.monotonic() < settle:
            _turn(server)
    for listener in listeners:
        for _ in range(listener.adj.backlog):   # accept() returns None once the backlog is empty
            if listener.accept_pending() is None:
                break
        listener.accepting = False
        listener.del_channel()      # out of the loop, but not `close()`: that would close the wake-up trigger
        listener.socket.close()
    log.info("stopping: no new connections; waiting up to %g s for the requests in flight", seconds)
    deadline = time.monotonic() + seconds
    while True:
        channels = [d for d in server.cps_map.values() if isinstance(d, HTTPChannel)]
        busy = [c for c in channels if _in_flight(c)]
        for idle in set(channels) - set(busy):
            idle.handle_close()
        if not busy:
            return
        if time.monotonic() >= deadline:
            log.warning("stopping with %d connection(s) still in flight after %g s", len(busy), seconds)
            return
        _turn(server)


def _in_flight(channel) -> bool:
    if channel.requests or channel.request is not None or channel.total_outbufs_len or channel.close_when_flushed:
        return True
    try:
        waiting = channel.socket.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        waiting = None
    except OSError:
        return False
    if waiting is not None:
        return bool(waiting)    # b"": the client has closed its side
    return not channel.cps_received and time.time() - channel.creation_time < NEW_CONNECTION_GRACE


def _configure_access_log(where: str) -> None:
    """One JSON line per request (see ops.py) to standard output (`-`), a file, or nowhere (empty)."""
    access = logging.getLogger("cpsgraph.access")
    access.propagate = False  # not mixed into the diagnostic log on standard error
    if not where:
        access.setLevel(logging.WARNING)
        return
    handler = logging.StreamHandler(sys.stdout) if where == "-" else logging.FileHandler(where, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.setLevel(logging.INFO)
