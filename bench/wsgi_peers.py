"""Other WSGI servers for the per-request overhead comparison (bench/overhead.py): our app under granian, and
a hello-world WSGI app (a fixed SPARQL JSON answer) under waitress and granian, the floor of each server.

    python bench/wsgi_peers.py granian-ours PORT DATA.trig    # create_app(DATA_FILES=[DATA.trig]) under granian
    python bench/wsgi_peers.py granian-hello PORT
    python bench/wsgi_peers.py waitress-hello PORT
    python bench/wsgi_peers.py waitress-defaults PORT DATA.trig   # our app under waitress.serve's defaults

Not a way to run the service: under granian, `cpsgraph serve`'s graceful shutdown is missing (see
docs/benchmarks.md: the process does not exit after SIGTERM, multiprocessing waits for the query workers).
"""

from __future__ import annotations

import os
import sys

HELLO = b'{"head":{},"boolean":true}' + b" " * 1000   # about the size of a small SELECT answer
THREADS = 8   # as `cpsgraph serve` (SERVER_THREADS)


def hello(environ, start_response):
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"),
                              ("Content-Length", str(len(HELLO)))])
    return [HELLO]


def make_ours():
    """Our app as `cpsgraph serve` builds it (store started, access log to standard output)."""
    from cpsgraph.web import create_app
    from cpsgraph.web.serve import _configure_access_log
    from cpsgraph.web.stores import stores

    app = create_app({"DATA_FILES": [os.environ["CPS_BENCH_DATA"]]})
    _configure_access_log(app.config["ACCESS_LOG"])
    stores(app).public.start()
    return app


def main(argv: list[str]) -> None:
    kind, port = argv[0], int(argv[1])
    if kind == "waitress-hello":
        import waitress

        waitress.serve(hello, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)
        return
    if kind == "waitress-defaults":    # how `cpsgraph serve` ran before issue 12: waitress's own defaults
        import waitress

        os.environ["CPS_BENCH_DATA"] = argv[2]
        waitress.serve(make_ours(), host="127.0.0.1", port=port, threads=THREADS, _quiet=True)
        return
    from granian import Granian

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if kind == "granian-ours":
        os.environ["CPS_BENCH_DATA"] = argv[2]
        target, factory = "wsgi_peers:make_ours", True
    else:
        target, factory = "wsgi_peers:hello", False
    Granian(target, factory=factory, address="127.0.0.1", port=port, interface="wsgi", workers=1,
            blocking_threads=THREADS, log_enabled=False).serve()


if __name__ == "__main__":
    main(sys.argv[1:])
