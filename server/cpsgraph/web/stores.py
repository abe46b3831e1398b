"""Wiring the stores into the app (`init_app`), and choosing one per request (`store_for_request`).

See store/configured.py for why the restricted graph lives in a store of its own.
"""

from __future__ import annotations

import atexit
import hmac

from flask import current_app, g, request

from ..errors import StoreUnavailable, Unauthorized
from ..store import Store
from ..store.configured import Stores, open_stores


def init_app(app) -> None:
    opened = open_stores(app.config)
    app.extensions["cpsgraph.stores"] = opened
    atexit.register(opened.close)  # the worker processes must not outlive the server


def stores(app=None) -> Stores:
    return (app or current_app).extensions["cpsgraph.stores"]


def store_for_request() -> Store:
    """The public store, or the restricted one for a request with the operator's bearer token.
    Raises Unauthorized for a bearer token that is not the operator's (or when none is configured)."""
    wired = stores()
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return wired.public  # no token (other schemes belong to whatever proxy sits in front)
    g.cps_authenticated = True
    if not wired.token or not hmac.compare_digest(credentials.strip().encode(), wired.token.encode()):
        raise Unauthorized("The bearer token is not valid for this service. Requests without a token see the "
                           "public graphs.")
    if wired.restricted is None:
        raise StoreUnavailable("The restricted graph is not loaded on this service (no build with a "
                               "restricted graph, or a remote store).")
    return wired.restricted
