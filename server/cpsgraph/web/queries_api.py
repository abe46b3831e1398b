"""The stored queries of `queries/` as a web API (as grlc does for SPARQL files):

    GET /api/queries                         every query: name, titles, question, kind, parameters (JSON)
    GET /api/queries/NAME?param=...&page=&per_page=&format=json|csv
                                             one page of its results, SPARQL 1.1 results JSON or CSV
    GET /openapi.json                        the OpenAPI 3.1 description of these operations

Parameters are bound by the library (queries.bind: validated RDF terms in a VALUES block, never pasted);
a bad value is a 400, an unknown query a 404, an unacceptable format a 406, all through the app's one
error handler. Queries run on the public store. Pages are linked with `Link: <...>; rel="next"` headers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from ..errors import QuerySyntaxError
from ..formats import content_type, format_from_param, negotiate, result_format
from ..queries import DEFAULT_PER_PAGE, MAX_PER_PAGE, InvalidParameter, ResultPage, find_query, load_queries, run_page
from ..store.results import json_term
from . import cors
from .openapi import openapi_document
from .stores import stores

bp = Blueprint("queries_api", __name__)
cors.enable(bp)  # web pages anywhere may call the API, as they may call /sparql
RESERVED = ("page", "per_page", "format")
MAX_PAGE = 1_000_000   # times MAX_PER_PAGE, far past the end of any answer and far inside the engine's OFFSET
DIGITS = re.compile(r"[0-9]{1,7}")
OFFERED = (result_format("json"), result_format("csv"))


def _directory() -> Path:
    return Path(current_app.config["QUERIES_DIR"])


@bp.get("/api/queries")
def list_queries() -> Response:
    """Every stored query, optionally only one kind (`?kind=network`). Raises InvalidParameter (400) for an
    unknown kind."""
    kind = request.args.get("kind")
    queries = load_queries(_directory())
    kinds = sorted({query.kind for query in queries.values()})
    if kind is not None and kind not in kinds:   # a typo must not look like an empty list
        raise InvalidParameter(f"kind must be one of {', '.join(kinds)}, not {kind[:40]!r}", key="api.kind",
                               values={"kinds": ", ".join(kinds), "kind": repr(kind[:40])})
    listed = [dict(query.to_dict(), url=url_for(".run_query", name=name, _external=True))
              for name, query in queries.items() if kind in (None, query.kind)]
    return jsonify({"queries": listed, "count": len(listed)})


@bp.get("/api/queries/<name>")
def run_query(name: str) -> Response:
    """One page of a stored query's results. Raises UnknownQuery (404), InvalidParameter (400),
    NotAcceptable (406), and what the store raises (QueryTimeout 503, StoreUnavailable 503)."""
    query = find_query(name, _directory())
    fmt = (format_from_param(request.args.getlist("format"), OFFERED) if "format" in request.args
           else negotiate(request.headers.get("Accept"), OFFERED))
    values = {}
    for key in request.args:
        if key in RESERVED:
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            raise InvalidParameter(f"?{key} is given {len(given)} times; give it once", key="api.twice",
                                   values={"name": key, "n": len(given)})
        if not given[0] or given[0] != given[0].strip():
            raise InvalidParameter(f"?{key} is empty or begins or ends with white space; give its value "
                                   "exactly, or leave the parameter out for its default", key="api.blank", values={"name": key})
        values[key] = given[0]
    try:
        page = run_page(query, stores().public.select, values, page=_number("page", 1, MAX_PAGE),
                        per_page=_number("per_page", DEFAULT_PER_PAGE, _max_per_page()),
                        max_per_page=_max_per_page(), base=str(current_app.config["BASE_IRI"]))
    except QuerySyntaxError as error:   # our query with bound values: a bug, and its text is not the client's
        current_app.logger.error("stored query %s with %s failed to parse: %s", name, values, error.message)
        raise InvalidParameter("These parameters make a query the engine refuses; check their values.",
                               key="api.refused") from None
    body = _json(page) if fmt.name == "json" else _csv(page)
    response = Response(body, content_type=content_type(fmt))
    response.headers["Vary"] = "Accept"
    links = _links(name, page)
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    document = openapi_document(load_queries(_directory()), request.url_root.rstrip("/"),
                                max_per_page=_max_per_page(), max_page=MAX_PAGE,
                                base=str(current_app.config["BASE_IRI"]))
    return Response(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json")


def _max_per_page() -> int:
    cap = int(current_app.config.get("RESULT_CAP") or 0)
    return min(cap, MAX_PER_PAGE) if cap else MAX_PER_PAGE


def _number(key: str, default: int, largest: int) -> int:
    """A whole number from 1 to `largest` in ASCII digits (not `²`, `٣` or 5,000 digits). Raises InvalidParameter."""
    if key not in request.args:
        return default
    text = request.args[key]
    if not DIGITS.fullmatch(text) or not 1 <= int(text) <= largest:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise InvalidParameter(f"{key} must be a whole number from 1 to {largest}, not {shown!r}", key="api.number",
                               values={"name": key, "largest": largest, "shown": repr(shown)})
    return int(text)


def _links(name: str, page: ResultPage) -> list[str]:
    """RFC 8288 links to the neighbouring pages, keeping the request's own parameters."""
    def link(number: int, rel: str) -> str:
        args = {key: request.args.getlist(key) for key in request.args if key != "page"}
        return f'<{url_for(".run_query", name=name, _external=True, page=number, **args)}>; rel="{rel}"'

    links = []
    if page.page > 1:
        links += [link(1, "first"), link(page.page - 1, "prev")]
    if page.has_next:
        links.append(link(page.page + 1, "next"))
    return links


def _json(page: ResultPage) -> str:
    """SPARQL 1.1 results JSON, with the page in an extra top-level member that result readers ignore. It
    comes before `results`: pyoxigraph's reader refuses anything after the bindings."""
    document = {"head": {"vars": page.variables},
                "page": {"query": page.query.name, "number": page.page, "per_page": page.per_page,
                         "has_next": page.has_next,
                         "parameters": {name: term.value for name, term in page.bindings.items()}},
                "results": {"bindings": [{name: json_term(value) for name, value in row.items()}
                                         for row in page.rows]}}
    return json.dumps(document, ensure_ascii=False)


def _csv(page: ResultPage) -> str:
    """SPARQL 1.1 results CSV: IRIs and literals as their plain text, unbound as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(page.variables)
    for row in page.rows:
        writer.writerow([row[name].value if name in row else "" for name in page.variables])
    return out.getvalue()
