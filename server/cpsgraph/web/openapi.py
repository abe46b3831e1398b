"""The OpenAPI 3.1 description of the service's query operations: one operation per stored query, with its
declared parameters, so that API tools list the questions and their inputs (as grlc does for SPARQL files).

The parameter schemas say exactly what the service accepts (queries.to_term and queries_api): a schema-valid
value is answered, any other is a 400; tests/reliability/test_schemathesis.py holds the two to that.
"""

from __future__ import annotations

import re

from .. import __version__
from ..queries import DEFAULT_PER_PAGE, StoredQuery

ID = "[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*"   # queries._ID: what follows `{base}id/<kind>/`
# One line without control characters or surrounding white space, at most 200 characters.
ONE_LINE = r"^[^\s\x00-\x1f\x7f-\x9f](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$"   # no control characters (queries.to_term)
PARAMETER_SCHEMAS = {
    "integer": {"type": "integer", "minimum": -999_999_999_999, "maximum": 999_999_999_999},
    "string": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": ONE_LINE},
    "iri": {"type": "string", "format": "iri", "pattern": "^<?https?://[^\\s<>]+>?$"},
}
QUERY_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}   # an empty or blank query is a 400
# Errors come in the client's choice (Accept) of JSON, plain text (also for `*/*`) or an HTML page.
ERROR = {"description": "The service's error shape", "content": {"application/json": {"schema": {
    "type": "object", "required": ["status", "title", "message"],
    "properties": {"status": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"},
                   "spec": {"type": "string"},
                   # only when the client asks for Spanish (Accept-Language: es): the same error in its words
                   "localized": {"type": "object", "required": ["lang", "title", "message"],
                                 "properties": {"lang": {"type": "string"}, "title": {"type": "string"},
                                                "message": {"type": "string"}, "engine": {"type": "string"},
                                                "engine_label": {"type": "string"}}}}}},
    "text/plain": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}}
# 429: the client has as many requests answered at once as its share allows (CPS_CLIENT_QUERIES), or holds its
# fair part of a busy endpoint; 503: the service is saturated (no worker or thread of the request's kind within
# CPS_ADMISSION_WAIT, or the answers held for slow readers fill CPS_ANSWER_SPOOL_BYTES), or a query ran past its
# time or memory limit, or the store is down. Both say when to come back when waiting helps (web/fairness.py).
BUSY = {"description": "Busy: too many requests from this client (429), or the service is saturated or the query "
                       "could not be answered (503). `Retry-After` says in how many seconds to try again when "
                       "waiting helps.",
        "headers": {"Retry-After": {"description": "Seconds to wait before sending the request again",
                                    "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
        "content": ERROR["content"]}
BUSY_RESPONSES = {"429": {"$ref": "#/components/responses/Busy"}, "503": {"$ref": "#/components/responses/Busy"}}
RESULTS = {"description": "One page of results, as SPARQL 1.1 results JSON (with an extra `page` member) or "
                          "CSV; a `Link` header points to the next and previous pages.",
           "headers": {"Link": {"description": 'RFC 8288 links: rel="next", "prev", "first"',
                                "schema": {"type": "string"}}},
           "content": {"application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/Results"}},
                       "text/csv": {"schema": {"type": "string"}}}}

SPARQL_RESPONSES = {
    "200": {"description": "SPARQL results or RDF, by content negotiation. An answer cut by the row cap "
                           "(CPS_RESULT_CAP) or the byte cap (CPS_RESULT_BYTES) says so in its body and headers.",
            "headers": {"X-Result-Truncated": {"description": "`true` when the answer was cut",
                                               "schema": {"type": "string", "enum": ["true"]}},
                        "X-Result-Cap": {"description": "The row cap in force when the answer was cut",
                                         "schema": {"type": "string", "pattern": "^[0-9]+$"}},
                        "X-Result-Bytes-Cap": {"description": "The byte cap, when it is what cut the answer",
                                               "schema": {"type": "string", "pattern": "^[0-9]+$"}}}},
    **{code: {"$ref": "#/components/responses/Error"} for code in ("400", "403", "406", "413", "415")},
    **BUSY_RESPONSES}


def _literal(text: str) -> str:
    return re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\1", text)


def _entity_schema(kind: str, base: str) -> dict:
    """An entity: its id (`AR`) or full IRI under `{base}id/<kind>/`, either also in angle brackets."""
    prefix = _literal(base + "id/" + (kind.split(":", 1)[1] + "/" if ":" in kind else ""))
    return {"type": "string", "pattern": f"^(?:(?:{prefix})?{ID}|<(?:{prefix})?{ID}>)$"}


def _parameter(param, base: str) -> dict:
    kind = param.type.split(":", 1)[0]
    schema = dict(PARAMETER_SCHEMAS[kind]) if kind != "entity" else _entity_schema(param.type, base)
    default = param.default.strip("<>")
    if kind == "string":
        default = param.default[1:-1]
    schema["default"] = int(default) if kind == "integer" else default
    return {"name": param.name, "in": "query", "required": False,
            "description": f"{param.description} (type `{param.type}`; default {param.default})",
            "schema": schema}


def _operation(query: StoredQuery, base: str) -> dict:
    return {"operationId": query.name, "tags": [query.kind],
            "summary": query.title_en,
            "description": f"{query.question}\n\nEs: {query.title_es}. Asked by: {query.audience}.\n\n"
                           f"Columns: {', '.join(query.variables)}. SPARQL: `queries/{query.name}.rq`.",
            "parameters": [_parameter(param, base) for param in query.params] + [
                {"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"},
                {"$ref": "#/components/parameters/format"}],
            "responses": {"200": RESULTS, "400": {"$ref": "#/components/responses/Error"},
                          "406": {"$ref": "#/components/responses/Error"}, **BUSY_RESPONSES}}


def openapi_document(queries: dict[str, StoredQuery], server: str, *, max_per_page: int, max_page: int,
                     base: str) -> dict:
    """The OpenAPI document for `queries` served at `server` (the service's root URL, no trailing slash),
    whose entities are under `base`."""
    paths = {
        "/api/queries": {"get": {
            "operationId": "listQueries", "summary": "List the stored queries",
            "parameters": [{"name": "kind", "in": "query", "required": False, "description": "Only this kind",
                            "schema": {"type": "string", "enum": sorted({q.kind for q in queries.values()})}}],
            "responses": {"200": {"description": "The stored queries with their parameters",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": {"$ref": "#/components/responses/Error"}, **BUSY_RESPONSES}}},
        "/sparql": {"get": {
            "operationId": "sparqlQuery", "summary": "SPARQL 1.1 Protocol query endpoint",
            "description": "Any SPARQL 1.1 query on the public graphs (their union is the default graph). "
                           "Without `query`, the Service Description of the endpoint.",
            "parameters": [{"name": "query", "in": "query", "required": False, "schema": QUERY_TEXT}],
            "responses": SPARQL_RESPONSES}, "post": {
            "operationId": "sparqlQueryPost", "summary": "SPARQL 1.1 Protocol query by POST",
            "description": "The query form-encoded (`query=`) or as the body itself (application/sparql-query).",
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["query"], "properties": {"query": QUERY_TEXT}}},
                "application/sparql-query": {"schema": QUERY_TEXT}}},
            "responses": SPARQL_RESPONSES}},
    }
    for name, query in sorted(queries.items()):
        paths[f"/api/queries/{name}"] = {"get": _operation(query, base)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "CPS-LAC knowledge graph: stored queries", "version": __version__,
                 "description": "The questions researchers ask of the graph of the 4th Meeting of the LAC "
                                "Council of Government Experts on SCP (São Paulo, 2007), as web operations. "
                                "Each runs one SPARQL file of `queries/`.",
                 "license": {"name": "Code: MIT; data: CC BY 4.0"}},
        "servers": [{"url": server}],
        "tags": [{"name": kind} for kind in sorted({q.kind for q in queries.values()})],
        "paths": paths,
        "components": {
            "parameters": {
                "page": {"name": "page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": max_page, "default": 1}},
                "per_page": {"name": "per_page", "in": "query", "required": False,
                             "schema": {"type": "integer", "minimum": 1, "maximum": max_per_page,
                                        "default": min(DEFAULT_PER_PAGE, max_per_page)}},
                "format": {"name": "format", "in": "query", "required": False,
                           "description": "Instead of the Accept header", "schema": {"enum": ["json", "csv"]}},
            },
            "responses": {"Error": ERROR, "Busy": BUSY},
            "schemas": {"Results": {"type": "object", "required": ["head", "results"], "properties": {
                "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                "results": {"type": "object", "properties": {"bindings": {"type": "array"}}},
                "page": {"type": "object"}}}},
        },
    }
