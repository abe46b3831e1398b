"""Wiring the stores into the app (`init_app`), and choosing one per request (`store_for_request`).

See store/configured.py for why the restricted graph lives in a store of its own.
"""

from __future__ import annotations

import atexit
import hmac
import re

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


# RFC 7235 §2.1: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]; RFC 6750 §2.1: the Bearer
# scheme's credentials are one b64token (token68). OWS around the field value is not part of it.
TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
B64TOKEN = r"[A-Za-z0-9._~+/-]+=*"
QUOTED = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[\t\x20-\x7e\x80-\xff])*"'
PARAM = rf"{TOKEN}[ \t]*=[ \t]*(?:{TOKEN}|{QUOTED})"
CREDENTIALS = re.compile(rf"({TOKEN})(?: +({B64TOKEN}|{PARAM}(?:[ \t]*,[ \t]*{PARAM})*))?")


def bearer_token_holder() -> bool:
    """Whether the request carries the operator's bearer token (False: no Authorization at all, or a
    well-formed one of another scheme, which belongs to whatever proxy sits in front).
    Raises Unauthorized for a bearer token that is not the operator's (or when none is configured), and for an
    Authorization header that is malformed (RFC 7235, RFC 6750: `Bearer<TAB>token`, `Bearer` alone, two
    headers, ...), so that a client that believes it is the operator never silently gets the public view."""
    given = request.headers.getlist("Authorization")
    if not given:
        return False
    match = CREDENTIALS.fullmatch(given[0].strip(" \t")) if len(given) == 1 else None
    scheme = match.group(1).lower() if match else ""
    if match is not None and not scheme.startswith("bearer"):   # `BearerTOKEN` is a Bearer header missing its space
        return False
    g.cps_authenticated = True
    if match is None or scheme != "bearer" or not re.fullmatch(B64TOKEN, match.group(2) or ""):
        raise Unauthorized("The Authorization header is malformed: send `Authorization: Bearer <token>` (one "
                           "space, RFC 6750), or none to see the public graphs.", key="auth.malformed")
    token = stores().token
    if not token or not hmac.compare_digest(match.group(2).encode(), token.encode()):
        raise Unauthorized("The bearer token is not valid for this service. Requests without a token see the "
                           "public graphs.", key="auth.token")
    return True


def store_for_request() -> Store:
    """The public store, or the restricted one for a request with the operator's bearer token.
    Raises Unauthorized for a bearer token that is not the operator's (or when none is configured)."""
    wired = stores()
    if not bearer_token_holder():
        return wired.public
    if wired.restricted is None:
        raise StoreUnavailable("The restricted graph is not loaded on this service (no build with a "
                               "restricted graph, or a remote store).", key="auth.not-loaded")
    return wired.restricted
