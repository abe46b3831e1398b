"""CORS for the data protocols (SPARQL, Graph Store): any origin by default, so a web page anywhere can query
the endpoint; preflight included. Set CORS_ORIGINS to a space-separated list to narrow it, empty to turn it off.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..config import words

ALLOWED_HEADERS = "Accept, Authorization, Content-Type"
EXPOSED_HEADERS = "X-Result-Truncated, X-Result-Cap, Content-Length"


def _allowed_origin() -> str | None:
    origins = words(current_app.config.get("CORS_ORIGINS"))
    if "*" in origins:
        return "*"
    origin = request.headers.get("Origin")
    return origin if origin in origins else None


def allowed_methods() -> str:
    """The methods the matched route answers (its rule's, HEAD and OPTIONS included), for `Allow`."""
    rule = request.url_rule
    methods = set(rule.methods or ()) if rule is not None else {"GET"}
    return ", ".join(sorted(methods | {"OPTIONS"}))


def preflight() -> Response:
    """The answer to an OPTIONS request (a CORS preflight or a client asking what is allowed): the methods the
    route answers, never one it would refuse with 405."""
    response = Response(status=204)
    methods = allowed_methods()
    response.headers["Allow"] = methods
    if _allowed_origin():
        response.headers["Access-Control-Allow-Methods"] = methods
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def enable(bp: Blueprint) -> None:
    """Add the CORS headers to every response of `bp`, errors included."""

    @bp.after_request
    def add_headers(response: Response) -> Response:
        origin = _allowed_origin()
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if origin != "*":
                response.vary.add("Origin")
        return response
