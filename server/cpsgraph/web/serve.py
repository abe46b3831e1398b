"""Running the service with waitress: a production WSGI server with a pool of request threads, so a slow
query holds up one thread (and one query worker), never the other clients.

Shutdown is graceful. On SIGTERM (a supervisor's stop) or SIGINT (Ctrl-C) the server closes its listening
socket at once (new connections are refused, so a load balancer moves on), lets the requests in flight finish
and their answers reach the clients for at most the query time limit plus DRAIN_MARGIN seconds, closes idle
keep-alive connections, stops the query workers and returns: `cpsgraph serve` exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time

from ..errors import ConfigError
from . import browser, create_app
from .stores import stores

log = logging.getLogger("cpsgraph.serve")
DRAIN_MARGIN = 5.0    # seconds on top of the query time limit that requests in flight get to finish at shutdown
LOOP_SECONDS = 0.2    # how long one turn of the serving loop waits for sockets before it looks at the stop flag


def make_server(config: dict | None = None, *, host: str | None = None, port: int | None = None):
    """A waitress server for `create_app(config)`, bound but not yet running (`server.run()`), with the query
    workers started. `port=0` binds a free port (`server.effective_port`). Raises ConfigError/InputError,
    ConfigError also when the address cannot be bound (in use, not ours)."""
    from waitress.server import create_server

    app = create_app(config)
    opened = stores(app)
    host = host or app.config["HOST"]
    port = app.config["PORT"] if port is None else port
    try:
        if hasattr(opened.public, "start"):
            opened.public.start()  # load the data now, so the first client does not wait and errors show at start
        browser.warm_up(app)  # the network and the indexes too: the server listens once they are built
        socket_map: dict = {}
        server = create_server(app, map=socket_map, host=host, port=port, threads=app.config["SERVER_THREADS"],
                               ident="cpsgraph", max_request_body_size=max(int(app.config["BODY_LIMIT"]), 1024))
    except OSError as error:
        opened.close()
        raise ConfigError(f"Cannot listen on {host}:{port} ({error.strerror or error}): choose another --port "
                          "(CPS_PORT) or stop the process that holds it.") from None
    except BaseException:
        opened.close()
        raise
    server.cps_app = app
    server.cps_map = socket_map
    return server


def serve(config: dict | None = None, *, host: str | None = None, port: int | None = None) -> None:
    """Serve until SIGTERM or SIGINT, then shut down gracefully (see the module's docstring).
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
    log.info("serving %s at %s", what, ", ".join(f"http://{h}:{p}/sparql" for h, p in listening))

    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.is_set():
            _turn(server)
        _drain(server, float(app.config["QUERY_TIMEOUT"]) + DRAIN_MARGIN)
    finally:
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        for dispatcher in list(server.cps_map.values()):
            dispatcher.close()
        stores(app).close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    log.info("stopped")


def _turn(server) -> None:
    from waitress import wasyncore

    wasyncore.loop(timeout=LOOP_SECONDS, use_poll=server.adj.asyncore_use_poll, map=server.cps_map, count=1)


def _drain(server, seconds: float) -> None:
    """Stop accepting, then serve the open connections until no request is in flight or `seconds` pass."""
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer

    for listener in [d for d in server.cps_map.values() if isinstance(d, BaseWSGIServer)]:
        listener.accepting = False
        listener.del_channel()      # out of the loop, but not `close()`: that would close the wake-up trigger
        listener.socket.close()
    log.info("stopping: no new connections; waiting up to %g s for the requests in flight", seconds)
    deadline = time.monotonic() + seconds
    while True:
        channels = [d for d in server.cps_map.values() if isinstance(d, HTTPChannel)]
        busy = [c for c in channels if c.requests or c.total_outbufs_len or c.close_when_flushed]
        for idle in set(channels) - set(busy):
            idle.handle_close()     # a keep-alive connection between requests: nothing is lost by closing it
        if not busy:
            return
        if time.monotonic() >= deadline:
            log.warning("stopping with %d request(s) still in flight after %g s", len(busy), seconds)
            return
        _turn(server)


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
