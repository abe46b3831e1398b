"""The web service: `create_app(config)` builds a Flask app around one store. Nothing happens at import time.

    app = create_app({"DATA_FILES": ["my.trig"], "QUERY_TIMEOUT": 5})

Settings come from config.SETTINGS: the default, then the environment (`CPS_<NAME>`), then `config`.
"""

from __future__ import annotations

from flask import Flask

from ..config import load_settings, words

__all__ = ["create_app", "load_settings", "words"]


def create_app(config: dict | None = None, *, begin_workers: bool = False) -> Flask:
    """The application: settings, error pages, the store(s), the SPARQL and Graph Store blueprints.
    With `begin_workers` (the server), the public store's first query worker is launched as soon as the store
    is opened, so it loads the data while the rest of the app is imported and built.
    Raises ConfigError/InputError when the store cannot be opened (no build, unreadable --data file)."""
    from . import stores

    app = Flask(__name__)
    app.config.update(load_settings(config))
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["BODY_LIMIT"]) or None
    stores.init_app(app)
    if begin_workers and hasattr(stores.stores(app).public, "begin"):
        stores.stores(app).public.begin()
    try:
        from . import browser, errors, fairness, httpcache
        from .graphstore import bp as graphstore_bp
        from .ops import bp as ops_bp
        from .queries_api import bp as queries_api_bp
        from .sparql import bp as sparql_bp

        errors.init_app(app)
        app.register_blueprint(ops_bp)  # /healthz, /readyz, request ids, access log, default headers (issue 8)
        # who is asking, for fair shares of the workers (store/admission.py); after ops, so a refusal is logged
        fairness.init_app(app)
        app.register_blueprint(sparql_bp)
        app.register_blueprint(graphstore_bp)
        app.register_blueprint(queries_api_bp)
        browser.init_app(app)  # the linked-data browser (issue 5): pages, /id/ redirects, network views
        httpcache.install(app)  # ETag, 304s, Cache-Control, Vary, gzip/Brotli, the release cache (decision 0023)
    except BaseException:
        stores.stores(app).close()
        raise
    return app
