"""What every page of the browser shares: the language of the request, the response headers (a
Content-Security-Policy that forbids inline script, Content-Language, Link alternates), the links between
IRIs and local pages, and the template helpers.

The language is, in order: `?lang=` (which also sets a cookie, so the choice persists), the cookie, the
browser's Accept-Language, Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, has_request_context, render_template, request, url_for

from ...errors import CpsError
from .catalogue import DEFAULT_LANG, LANGS, text

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parents[2] / "static"  # shared with vendor.py's static/vendor/
ONTOLOGY_NS = "https://w3id.org/cps-lac/ontology#"
LANG_COOKIE = "cps_lang"
# No inline script anywhere ('self' only); styles may be set by the vendor libraries (Cytoscape, YASGUI).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


class UnknownResource(CpsError):
    """No page for this address: the IRI is not in the graph, or the page does not exist."""

    status = 404
    title = "Not found"
    exit_code = 2


@dataclass(frozen=True)
class Alternate:
    href: str
    media_type: str
    name: str


def browser_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of the browser: our templates, the language choice and the headers (the template helpers are
    the app's, see install)."""
    bp = Blueprint(name, import_name, template_folder=str(TEMPLATES))
    bp.before_request(_choose_language)
    bp.after_request(_headers)
    return bp


def _choose_language() -> None:
    asked = request.args.get("lang")
    if asked in LANGS:
        g.lang, g.remember_lang = asked, True
    elif request.cookies.get(LANG_COOKIE) in LANGS:
        g.lang = request.cookies[LANG_COOKIE]
    else:
        g.lang = request.accept_languages.best_match(LANGS) or DEFAULT_LANG


def lang() -> str:
    """The request's language; chosen on first use where no browser blueprint chose it (an error page, /sparql)."""
    if not has_request_context():
        return DEFAULT_LANG
    if not hasattr(g, "lang"):
        _choose_language()
    return g.lang


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        response.headers["Content-Language"] = lang()
    # Every answer of the browser is made in the chosen language (a page, the editor's config.json with the
    # examples' titles and YASGUI's words, the network's JSON with its labels): a browser's cache must not hand
    # the English one to a reader who switched to Spanish.
    response.vary.update(("Accept-Language", "Cookie"))
    if getattr(g, "remember_lang", False):
        response.set_cookie(LANG_COOKIE, lang(), max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def render(template: str, *, alternates: tuple[Alternate, ...] = (), status: int = 200, **context) -> Response:
    """An HTML page; its data twins go in `<link rel="alternate">` (base template) and the Link header."""
    body = render_template(template, alternates=alternates, **context)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    if alternates:
        response.headers["Link"] = link_header(alternates)
    return response


def link_header(alternates, *, describes: str | None = None) -> str:
    links = [f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates]
    if describes:
        links.append(f'<{describes}>; rel="describes"')
    return ", ".join(links)


# --- IRIs and local addresses -------------------------------------------------------------------------------

def id_prefix() -> str:
    return current_app.config["BASE_IRI"] + "id/"


def local_id(iri: str) -> str | None:
    """`person/graciela-scavone` for `{base}id/person/graciela-scavone`; None for other IRIs."""
    prefix = id_prefix()
    return iri[len(prefix):] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def iri_of(path: str) -> str:
    return id_prefix() + path


def page_url(iri: str) -> str | None:
    """Where the browser shows an IRI of ours (its page, or the ontology documentation); None otherwise."""
    path = local_id(iri)
    if path is not None:
        return url_for("linkeddata.page", path=path)
    if iri.startswith(ONTOLOGY_NS):
        return url_for("linkeddata.ontology_document", ext="html") + "#" + iri[len(ONTOLOGY_NS):]
    return None


def url_with(endpoint: str, args: dict, **changes) -> str:
    """The URL of `endpoint` with query arguments `args` (lists for repeated keys) changed by `changes`
    (None removes a key); empty values are dropped, so every state has one shareable URL."""
    merged = {key: value for key, value in args.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    pairs = [(key, v) for key, value in sorted(merged.items())
             for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")]
    query = urlencode(pairs)
    return url_for(endpoint, **request.view_args) + (f"?{query}" if query else "")


def _switch_url() -> str:
    other = "en" if lang() == "es" else "es"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", other)]
    return request.path + "?" + urlencode(args)


def install(app: Flask) -> None:
    """The template helpers everywhere, so that pages outside the browser (error pages, the SPARQL endpoint's
    HTML views) share its layout and language; the language's headers on those HTML views too."""
    app.context_processor(_helpers)
    app.after_request(_language_headers)


def _language_headers(response: Response) -> Response:
    if response.mimetype == "text/html" and "Content-Language" not in response.headers and has_request_context():
        response.headers["Content-Language"] = lang()
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def _helpers() -> dict:
    from .site import site

    def label(iri: str) -> str:
        return site().entities.label(iri, lang())

    def kind(iri: str) -> str:
        return site().entities.kind(iri, lang())

    from .evidence import template_helpers

    return template_helpers() | {"t": lambda key, **values: text(key, lang(), **values), "lang": lang(),
            "other_lang": "en" if lang() == "es" else "es", "switch_url": _switch_url(), "page_url": page_url,
            "label": label, "kind": kind, "local_id": local_id, "url_with": url_with}
