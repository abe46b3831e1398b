"""Reading a SPARQL 1.1 Protocol query request (https://www.w3.org/TR/sparql11-protocol/#query-operation).

Parameters are parsed here, once, from the raw query string and body, strictly as UTF-8: werkzeug's own
form parsing would replace bad bytes silently, and parsing twice would decode `%25` twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from flask import Response, request
from werkzeug.wsgi import wrap_file

from ...errors import ProtocolError, QueryRefused, UnsupportedMediaType

SPEC = "https://www.w3.org/TR/sparql11-protocol/#query-operation"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
# An absolute IRI as SPARQL's IRIREF allows it (a scheme, then no space, quote, angle bracket, ...): anything
# else in default-graph-uri or named-graph-uri is the client's mistake (400), not an engine error (500).
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")


@dataclass
class QueryRequest:
    text: str
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)   # `format=` values (else `output=`), in order


def parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(f"The {where} is not valid UTF-8 (percent-encoded UTF-8 is required).",
                            spec=SPEC, key="protocol.utf8") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"The request body is not valid UTF-8 (byte {error.start}).", spec=SPEC,
                            key="protocol.utf8") from None


def read_query_request(request) -> QueryRequest | None:
    """The query request, or None for a GET with no parameters at all (the Service Description).
    Raises ProtocolError (400) for a missing, repeated or empty query, bad UTF-8 or a graph IRI that is not
    absolute, UnsupportedMediaType
    (415) for a POST body that is neither form-encoded nor a query, QueryRefused (403) for an update."""
    params = parse_params(request.query_string, "query string")
    if request.method in ("GET", "HEAD"):
        if not params:
            return None
        query_texts = [value for key, value in params if key == "query"]
    else:
        query_texts = _post_body(request, params)
    if any(key in ("update", "using-graph-uri", "using-named-graph-uri") for key, _ in params):
        raise QueryRefused("This endpoint is read-only: SPARQL Update is refused.",
                           spec="https://www.w3.org/TR/sparql11-protocol/#update-operation", key="protocol.update")
    if not query_texts:
        raise ProtocolError("The request has no `query` parameter. Send the query as `query=` (GET or form "
                            "POST) or as the body of a POST with Content-Type: application/sparql-query.", spec=SPEC,
                            key="protocol.no-query")
    if len(query_texts) > 1:
        raise ProtocolError(f"The request has {len(query_texts)} queries; send exactly one.", spec=SPEC,
                            key="protocol.queries", values={"n": len(query_texts)})
    if not query_texts[0].strip():
        raise ProtocolError("The query is empty.", spec=SPEC, key="protocol.empty")
    values = {key: [v for k, v in params if k == key] for key in ("default-graph-uri", "named-graph-uri",
                                                                    "format", "output")}
    for key in ("default-graph-uri", "named-graph-uri"):
        for iri in values[key]:
            if not ABSOLUTE_IRI.fullmatch(iri):
                raise ProtocolError(f"`{key}` must be an absolute IRI, not {iri[:200]!r}.", spec=SPEC,
                                    key="protocol.graph-iri", values={"name": key, "iri": repr(iri[:200])})
    return QueryRequest(query_texts[0], values["default-graph-uri"], values["named-graph-uri"],
                        values["format"] or values["output"])


def _post_body(request, params: list) -> list[str]:
    """The query texts of a POST; form parameters are appended to `params`."""
    media_type = (request.mimetype or "").lower()
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if not media_type:
        raise UnsupportedMediaType(f"A POST needs a Content-Type: {FORM} or {DIRECT}.", spec=SPEC,
                                   key="protocol.media", values={"form": FORM, "direct": DIRECT})
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"The body must be UTF-8, not {charset}.", spec=SPEC, key="protocol.utf8")
    body = request.get_data(cache=True)
    if media_type == FORM:
        form = parse_params(body, "form body")
        params.extend(form)
        return [value for key, value in params if key == "query"]
    if media_type == DIRECT:
        if any(key == "query" for key, _ in params):
            raise ProtocolError("A query was sent both in the body and as a `query` URL parameter.", spec=SPEC,
                                key="protocol.twice")
        if not body:
            raise ProtocolError("The request body is empty.", spec=SPEC, key="protocol.empty")
        return [_utf8(body)]
    if media_type == UPDATE:
        raise QueryRefused("This endpoint is read-only: SPARQL Update is refused.",
                           spec="https://www.w3.org/TR/sparql11-protocol/#update-operation", key="protocol.update")
    raise UnsupportedMediaType(f"A POST body of type {media_type} is not a SPARQL request; use {FORM} or {DIRECT}.",
                               spec=SPEC, key="protocol.media", values={"form": FORM, "direct": DIRECT})


def answer_response(answer, content_type: str) -> Response:
    """A response that sends `answer` (store/answer.py) from its spooled file through the server's file
    wrapper: the server sends it as the client reads, without copying it into its buffers or holding a request
    thread, and without it ever being whole in memory. The truncation headers are set here, once."""
    response = Response(wrap_file(request.environ, answer.open_file()), content_type=content_type,
                        direct_passthrough=True)
    response.content_length = answer.size
    if answer.truncated:
        response.headers["X-Result-Truncated"] = "true"
        response.headers["X-Result-Cap"] = str(answer.limit)
        if answer.cut_by_bytes:
            response.headers["X-Result-Bytes-Cap"] = str(answer.byte_limit)
    return response
