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


def bearer_token_holder() -> bool:
    """Whether the request carries the operator's bearer token (False: no bearer token at all).
    Raises Unauthorized for a bearer token that is not the operator's (or when none is configured), so that a
    client that believes it is the operator never silently gets the public view instead."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False  # no token (other schemes belong to whatever proxy sits in front)
    g.cps_authenticated = True
    token = stores().token
    if not token or not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise Unauthorized("The bearer token is not valid for this service. Requests without a token see the "
                           "public graphs.")
    return True


def store_for_request() -> Store:
    """The public store, or the restricted one for a request with the operator's bearer token.
    Raises Unauthorized for a bearer token that is not the operator's (or when none is configured)."""
    wired = stores()
    if not bearer_token_holder():
        return wired.public
    if wired.restricted is None:
        raise StoreUnavailable("The restricted graph is not loaded on this service (no build with a "
                               "restricted graph, or a remote store).")
    return wired.restricted
