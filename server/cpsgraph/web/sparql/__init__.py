"""The SPARQL 1.1 Protocol endpoint (`/sparql`): queries by GET, form POST and direct POST, results in the
negotiated format, the Service Description on a GET with no parameters, HTML views for browsers.

Every negotiated response carries `Vary: Accept`; a result cut by the result cap carries
`X-Result-Truncated: true` and `X-Result-Cap: N` (and `X-Result-Bytes-Cap: B` when the byte cap cut it) and
says so in its body (see store/results.py). Answers are sent from a spooled file, never whole in memory.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template, request, url_for

from ...config import words
from ...formats import GRAPH_FORMATS, HTML, content_type, format_from_param, formats_for, negotiate, \
    rdf_format, serialize, sorted_quads
from ...store.guard import inspect_query
from .. import cors
from ..stores import store_for_request
from .description import DUMP_FORMATS, DUMP_STEM, describe_service, example_queries
from .protocol import answer_response, read_query_request

bp = Blueprint("sparql", __name__, template_folder="templates")
cors.enable(bp)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return cors.preflight()
    query_request = read_query_request(request)
    store = store_for_request()
    if query_request is None:
        return service_description(store)
    shape = inspect_query(query_request.text, store.limits)
    offered = formats_for(shape.form)
    if query_request.formats:
        chosen = format_from_param(query_request.formats, offered, extra=(HTML,))
    else:
        chosen = negotiate(request.headers.get("Accept"), offered, explicit_only=(HTML,))
    evaluated_as = chosen if chosen is not HTML else offered[0]
    answer = store.query(query_request.text, default_graph=query_request.default_graph,
                         named_graphs=query_request.named_graphs, base_iri=endpoint_iri(), format=evaluated_as)
    if chosen is HTML:
        response = Response(_results_page(query_request.text, shape.form, answer), content_type=content_type(HTML))
        if answer.truncated:
            response.headers["X-Result-Truncated"] = "true"
            response.headers["X-Result-Cap"] = str(answer.limit)
    else:
        response = answer_response(answer, content_type(chosen))
    return _finish(response)


def endpoint_iri() -> str:
    """The endpoint's IRI as the client reached it (what `request.base_url` gives, without its IRI decoding,
    which costs more than the rest of a small query)."""
    return f"{request.scheme}://{request.host}{request.script_root}{request.path}"


def _finish(response: Response) -> Response:
    response.vary.add("Accept")
    if getattr(g, "cps_authenticated", False):
        response.headers["Cache-Control"] = "no-store"   # the operator's answers never sit in a shared cache
        response.vary.add("Authorization")
    return response


def _results_page(text: str, form: str, answer) -> str:
    table = None
    if form in ("SELECT", "ASK"):
        table = json.loads(answer.body)
    return render_template("sparql/results.html", query=text, form=form, answer=answer, table=table,
                           body=None if table is not None else answer.body.decode("utf-8"))


SD_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#", "void": "http://rdfs.org/ns/void#",
               "dcterms": "http://purl.org/dc/terms/", "sh": "http://www.w3.org/ns/shacl#",
               "schema": "http://schema.org/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
               "xsd": "http://www.w3.org/2001/XMLSchema#", "formats": "http://www.w3.org/ns/formats/"}
MAX_DESCRIPTIONS = 64  # descriptions kept per (store, endpoint IRI, format); the Host header is the client's


def service_description(store) -> Response:
    """The Service Description in the negotiated RDF format, or a page with a query form for browsers.
    The serialized description is kept (the data does not change while the store serves)."""
    chosen = negotiate(request.headers.get("Accept"), GRAPH_FORMATS, explicit_only=(HTML,))
    endpoint = endpoint_iri()
    cache = current_app.extensions.setdefault("cpsgraph.description", {"stats": {}, "documents": {}})
    from ..browser.pages import lang

    documents, key = cache["documents"], (id(store), endpoint, chosen.name, lang() if chosen is HTML else "")
    if key not in documents:
        if len(documents) >= MAX_DESCRIPTIONS:
            documents.clear()
        queries = example_queries(Path(current_app.config["QUERIES_DIR"]))
        dumps = [url_for("graphstore.dump", name=f"{DUMP_STEM}.{rdf_format(name).extension}", _external=True)
                 for name in DUMP_FORMATS]
        graph = describe_service(store, endpoint, dumps=dumps, queries=queries, cache=cache["stats"],
                                 federation=bool(words(current_app.config["SERVICE_ALLOWLIST"])))
        if chosen is HTML:
            documents[key] = render_template("sparql/service.html", endpoint=endpoint, queries=queries,
                                             dumps=dumps, stats=cache["stats"][id(store)][1]).encode()
        else:
            documents[key] = serialize(sorted_quads((s, p, o, None) for s, p, o in graph), chosen, SD_PREFIXES)
    response = Response(documents[key], content_type=content_type(chosen))
    if chosen is HTML:  # the page's data twin
        response.headers["Link"] = f'<{endpoint}>; rel="alternate"; type="text/turtle"'
    return _finish(response)
