"""CORS for the data protocols (SPARQL, Graph Store): any origin by default, so a web page anywhere can query
the endpoint; preflight included. Set CORS_ORIGINS to a space-separated list to narrow it, empty to turn it off.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..config import words

ALLOWED_METHODS = "GET, POST, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Authorization, Content-Type"
EXPOSED_HEADERS = "X-Result-Truncated, X-Result-Cap, Content-Length"


def _allowed_origin() -> str | None:
    origins = words(current_app.config.get("CORS_ORIGINS"))
    if "*" in origins:
        return "*"
    origin = request.headers.get("Origin")
    return origin if origin in origins else None


def preflight() -> Response:
    """The answer to an OPTIONS request (a CORS preflight or a client asking what is allowed)."""
    response = Response(status=204)
    response.headers["Allow"] = ALLOWED_METHODS
    if _allowed_origin():
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
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
