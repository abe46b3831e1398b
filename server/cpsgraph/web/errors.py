"""One error handler for the whole app: every CpsError (and werkzeug's 404/405/413) is rendered once, as HTML
for browsers, JSON for clients that ask for JSON, plain text otherwise. Anything else is a bug: it is
logged with its traceback and the client gets a generic 500 without the exception's text.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import Response, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import RETRY_AFTER, CpsError, QueryTimeout, RemoteStoreError, StoreUnavailable
from ..formats import parse_accept

TEXT, JSON_ERROR, HTML = "text/plain", "application/json", "text/html"


def _kind() -> str:
    """How to render an error for this request: the client's best of HTML, JSON and text."""
    scores = {TEXT: 0.0, JSON_ERROR: 0.0, HTML: 0.0}
    for media, quality in parse_accept(request.headers.get("Accept", "")):
        if media == "text/html":
            scores[HTML] = max(scores[HTML], quality)
        elif media in ("application/json", "application/problem+json") or media.endswith("+json"):
            scores[JSON_ERROR] = max(scores[JSON_ERROR], quality)
        elif media in ("text/plain", "text/*", "*/*"):
            scores[TEXT] = max(scores[TEXT], quality)
    best = max(scores, key=lambda kind: (scores[kind], kind == TEXT))
    return best if scores[best] > 0 else TEXT


def _backends() -> list[str]:
    """The remote store's URLs and their host:port, longest first: the operator's business, never a client's."""
    config = current_app.config
    urls = [str(config.get(name) or "") for name in ("STORE", "STORE_UPDATE_URL", "STORE_GRAPH_STORE_URL")]
    urls = [url for url in urls if "://" in url]
    found = set(urls) | {urlsplit(url).netloc for url in urls}
    return sorted((item for item in found if item), key=len, reverse=True)


def public_message(message: str) -> str:
    """`message` with every URL and address of the remote store replaced (an error text from the store itself
    may name them), so that a client never learns where the backend is."""
    for backend in _backends():
        message = message.replace(backend, "the remote store")
    return message


def render_error(error: CpsError) -> Response:
    # Time limits and an unreachable remote store are the client's news, not bugs; bugs are logged once.
    if error.status >= 500 and not isinstance(error, (QueryTimeout, RemoteStoreError, StoreUnavailable,
                                                      InternalError)):
        current_app.logger.error("%s: %s", type(error).__name__, error.message)
    message = public_message(error.message)
    kind = _kind()
    if kind == HTML:
        from .browser.catalogue import STRINGS

        body = render_template("error.html", error=error, message=message,
                               error_keys={key.rsplit(".", 1)[0] for key in STRINGS if key.startswith("error.")})
    elif kind == JSON_ERROR:
        body = json.dumps(dict(error.to_dict(), message=message), ensure_ascii=False)
    else:
        body = f"{error.status} {error.title}\n\n{message}\n" + (f"\nSee {error.spec}\n" if error.spec else "")
    response = Response(body, status=error.status, content_type=f"{kind}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cps-lac", error="invalid_token"'
    if getattr(g, "cps_authenticated", False):
        response.headers["Cache-Control"] = "no-store"
    for name, value in getattr(error, "headers", {}).items():
        response.headers[name] = value
    if error.status == 503 and "Retry-After" not in response.headers:   # the store down, a time or memory limit
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


class HttpError(CpsError):
    """A werkzeug HTTP error (unknown URL, wrong method, body too large) in our error shape."""

    def __init__(self, exc: HTTPException):
        super().__init__(exc.description or exc.name)
        self.status, self.title = exc.code or 500, exc.name
        self.headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}


class InternalError(CpsError):
    """What a client sees of a bug: nothing of the exception itself."""

    def __init__(self):
        super().__init__("The service failed on this request; the operator can find the details in its log.")


def render_http_error(exc: HTTPException) -> Response:
    if exc.code == 413:
        limit = current_app.config.get("BODY_LIMIT")
        exc.description = f"The request body is larger than this service accepts ({limit} bytes, CPS_BODY_LIMIT)."
    return render_error(HttpError(exc))


def render_unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return render_http_error(exc)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(InternalError())


def init_app(app) -> None:
    app.register_error_handler(CpsError, render_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)

