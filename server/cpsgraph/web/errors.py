"""One error handler for the whole app: every CpsError (and werkzeug's 404/405/413) is rendered once, as HTML
for browsers, JSON for clients that ask for JSON, plain text otherwise. Anything else is a bug: it is
logged with its traceback and the client gets a generic 500 without the exception's text.

An error says itself in the reader's language (decision 0025): a page in the page's language; JSON and plain
text in English, the stable message clients read, unless the client asks for Spanish (Accept-Language, or the
site's language cookie): then plain text is Spanish, and JSON keeps its English fields and adds `localized`
(what the editor on /query shows). An engine's own text is never translated: it comes beside our sentence.
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
    from .browser.catalogue import STRINGS, text

    message = public_message(error.message)
    kind = _kind()
    lang = _reader_language(kind)
    said, engine = _said(error, lang), public_message(error.engine) if error.engine else None
    status_key = f"error.{error.status}" if f"error.{error.status}.title" in STRINGS else "error.other"
    if kind == HTML:
        body = render_template("error.html", error=error, message=message, said=said, engine=engine,
                               status_key=status_key)
    elif kind == JSON_ERROR:
        fields = dict(error.to_dict(), message=message)
        if lang != "en":   # the English fields stay as documented; the reader's words beside them
            fields["localized"] = {"lang": lang, "title": text(f"{status_key}.title", lang),
                                   "message": said or text(f"{status_key}.what", lang),
                                   **({"engine": engine, "engine_label": text("error.engine", lang)} if engine else {})}
        body = json.dumps(fields, ensure_ascii=False)
    elif lang != "en":
        body = f"{error.status} {text(status_key + '.title', lang)}\n\n{said or text(status_key + '.what', lang)}\n" \
            + (f"\n{text('error.engine', lang)}:\n{engine}\n" if engine else "") \
            + (f"\n{error.spec}\n" if error.spec else "")
    else:
        body = f"{error.status} {error.title}\n\n{message}\n" + (f"\nSee {error.spec}\n" if error.spec else "")
    response = Response(body, status=error.status, content_type=f"{kind}; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.headers["Content-Language"] = lang
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cps-lac", error="invalid_token"'
    if getattr(g, "cps_authenticated", False):
        response.headers["Cache-Control"] = "no-store"
    for name, value in getattr(error, "headers", {}).items():
        response.headers[name] = value
    if error.status == 503 and "Retry-After" not in response.headers:   # the store down, a time or memory limit
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _reader_language(kind: str) -> str:
    """A page's language for a page; for a program, English unless it asks for Spanish."""
    from .browser.pages import LANG_COOKIE, lang

    if kind == HTML:
        return lang()
    if request.cookies.get(LANG_COOKIE) == "es":   # the editor's fetches carry the reader's choice
        return "es"
    return request.accept_languages.best_match(("en", "es"), default="en")


def _said(error: CpsError, lang: str) -> str | None:
    """The error's message in `lang` from the catalogue; None for English (the message itself) or an error
    without a catalogue entry (its status says what happened)."""
    from .browser.catalogue import STRINGS, text

    if lang == "en" or not error.key or error.key not in STRINGS:
        return None
    try:
        return public_message(text(error.key, lang, **error.values))
    except (KeyError, IndexError, ValueError):   # a field the entry names and the error lacks: a bug of ours
        current_app.logger.error("catalogue entry %s does not fit the values %s", error.key, error.values)
        return None


class HttpError(CpsError):
    """A werkzeug HTTP error (unknown URL, wrong method, body too large) in our error shape."""

    def __init__(self, exc: HTTPException):
        super().__init__(exc.description or exc.name)
        self.status, self.title = exc.code or 500, exc.name
        self.headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}


class InternalError(CpsError):
    """What a client sees of a bug: nothing of the exception itself."""

    def __init__(self):
        super().__init__("The service failed on this request; the operator can find the details in its log.",
                         key="http.500")


def render_http_error(exc: HTTPException) -> Response:
    if exc.code == 413:
        limit = current_app.config.get("BODY_LIMIT")
        exc.description = f"The request body is larger than this service accepts ({limit} bytes, CPS_BODY_LIMIT)."
        error = HttpError(exc)
        error.key, error.values = "http.413", {"limit": int(limit or 0)}
        return render_error(error)
    error = HttpError(exc)
    if exc.code in (404, 405):   # werkzeug's own English description; ours in the catalogue says the same
        error.key, error.values = f"http.{exc.code}", {"method": request.method}
    return render_error(error)


def render_unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return render_http_error(exc)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(InternalError())


def init_app(app) -> None:
    app.register_error_handler(CpsError, render_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)

