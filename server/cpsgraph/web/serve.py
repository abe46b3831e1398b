"""Running the service with waitress: a production WSGI server with a pool of request threads, so a slow
query holds up one thread (and one query worker), never the other clients."""

from __future__ import annotations

import logging
import signal
import sys

from . import create_app
from .stores import stores

log = logging.getLogger("cpsgraph.serve")


def make_server(config: dict | None = None, *, host: str | None = None, port: int | None = None):
    """A waitress server for `create_app(config)`, bound but not yet running (`server.run()`), with the query
    workers started. `port=0` binds a free port (`server.effective_port`). Raises ConfigError/InputError."""
    from waitress.server import create_server

    app = create_app(config)
    opened = stores(app)
    if hasattr(opened.public, "start"):
        opened.public.start()  # load the data now, so the first client does not wait and errors show at start
    server = create_server(app, host=host or app.config["HOST"], port=app.config["PORT"] if port is None else port,
                           threads=app.config["SERVER_THREADS"], ident="cpsgraph",
                           max_request_body_size=max(int(app.config["BODY_LIMIT"]), 1024))
    server.cps_app = app
    return server


def serve(config: dict | None = None, *, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then stop the query workers."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = make_server(config, host=host, port=port)
    app = server.cps_app
    what = app.config["STORE"] if app.config["STORE"] != "embedded" else "the embedded store"
    log.info("serving %s at http://%s:%s/sparql", what, server.effective_host, server.effective_port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the clean-up below, as Ctrl-C does
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        stores(app).close()
