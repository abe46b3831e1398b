"""The read side of the SPARQL 1.1 Graph Store Protocol (`/store`) and the dumps (`/dumps/cps-lac.<ext>`).

    GET /store?graph=IRI   one named graph, in any RDF format (Turtle unless `Accept` or `format=` says otherwise)
    GET /store?default     the default graph (the union of the graphs, as queries see it)
    GET /store             the whole dataset (TriG unless asked otherwise)

Writes (PUT, POST, DELETE) are refused with 405: the public service is read-only. The restricted graph
is not in the public store, so asking for it without the operator's token is a 404 like any unknown graph.

The dumps `cps-lac.<ext>` are the public dataset whoever asks, the operator included. The token holder's
dataset (every graph, the restricted one included) has names of its own, `cps-lac-all.<ext>`: without the
operator's token they are a 404 like any unknown file, and only the token holder sees them listed.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, g, request

from ..errors import ProtocolError, UnknownGraph
from ..formats import GRAPH_FORMATS, RDF_FORMATS, content_type, format_from_param, negotiate, rdf_format
from ..store.answer import Answer
from . import cors
from .httpcache import accepted_codings
from .sparql.description import DUMP_FORMATS, DUMP_STEM
from .sparql.protocol import answer_response, parse_params
from .stores import bearer_token_holder, store_for_request, stores

bp = Blueprint("graphstore", __name__)
cors.enable(bp)
SPEC = "https://www.w3.org/TR/sparql11-http-rdf-update/#http-get"
RESTRICTED_STEM = DUMP_STEM + "-all"
SINGLE_GRAPH_FORMATS = ("turtle",) + tuple(f.name for f in RDF_FORMATS if f.name != "turtle")


@bp.route("/store", methods=["GET", "OPTIONS"])
def graph() -> Response:
    if request.method == "OPTIONS":
        return cors.preflight()
    params = parse_params(request.query_string, "query string")
    names = [value for key, value in params if key == "graph"]
    default = any(key == "default" for key, _ in params)
    if len(names) > 1 or (names and default):
        raise ProtocolError("Name one graph: `?graph=IRI` once, or `?default`.", spec=SPEC, key="gsp.one-graph")
    if default:
        offered = GRAPH_FORMATS
    elif names:
        offered = tuple(rdf_format(name) for name in SINGLE_GRAPH_FORMATS)
    else:
        offered = tuple(f for f in RDF_FORMATS if f.datasets) + GRAPH_FORMATS
    chosen = _chosen(params, offered)
    store = store_for_request()
    return _respond(store.dump(chosen, graph=names[0] if names else None), chosen)


@bp.route("/dumps/<name>", methods=["GET", "OPTIONS"])
def dump(name: str) -> Response:
    """A dataset as a file: cps-lac.trig keeps the graph names, .ttl/.nt/.jsonld hold their union; the same for
    the token holder's cps-lac-all.*. Raises UnknownGraph (404) for any other name, the restricted names
    included when the request lacks the operator's token."""
    if request.method == "OPTIONS":
        return cors.preflight()
    stem, _, extension = name.rpartition(".")
    packed = extension == "gz"   # the build's gzipped copy (decision 0023)
    if packed:
        stem, _, extension = stem.rpartition(".")
    try:
        fmt = rdf_format(extension)
    except KeyError:
        fmt = None
    restricted = stem == RESTRICTED_STEM and bearer_token_holder()
    if stem not in dump_stems() or fmt is None or fmt.name not in DUMP_FORMATS:
        dumps = ", ".join(f"{DUMP_STEM}.{rdf_format(n).extension}" for n in DUMP_FORMATS)
        raise UnknownGraph(f"There is no dump {name[:80]!r}; the dumps are {dumps} (each also gzipped, `.gz`).",
                           key="gsp.no-dump", values={"name": repr(name[:80]), "dumps": dumps})
    plain = name.removesuffix(".gz")
    own = None if restricted else release_file(plain)
    gzipped = None if restricted else release_file(plain + ".gz")
    if packed:
        if gzipped is None:
            raise UnknownGraph(f"There is no {name[:80]!r}: only a build's release has gzipped dumps (this "
                               f"service serves other data); {plain[:80]!r} is served gzipped on request "
                               "(Accept-Encoding: gzip) when the build made it.", key="gsp.no-gzip",
                               values={"name": repr(name[:80]), "plain": repr(plain[:80])})
        answer = Answer("GRAPH", None, "application/gzip", file=gzipped.open("rb"), size=gzipped.stat().st_size)
        response = _respond(answer, None)
    elif gzipped is not None and "gzip" in accepted_codings(request.headers.get("Accept-Encoding")):
        answer = Answer("GRAPH", None, fmt.media_type, file=gzipped.open("rb"), size=gzipped.stat().st_size)
        response = _respond(answer, fmt)
        response.headers["Content-Encoding"] = "gzip"   # the same bytes as the .gz download
    elif own is not None:   # the build's own file: the bytes whose SHA-256 and size the dataset page shows
        answer = Answer("GRAPH", None, fmt.media_type, file=own.open("rb"), size=own.stat().st_size)
        response = _respond(answer, fmt)
    else:
        answer = (store_for_request() if restricted else stores().public).dump(fmt)
        response = _respond(answer, fmt)
    if gzipped is not None and not packed:
        response.vary.add("Accept-Encoding")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def release_file(name: str) -> Path | None:
    """`public/<name>` of the served release (pinned when the stores were opened, so the dump is the data the
    queries read, whatever `build/current` names now) when the embedded store serves the build (not --data
    files), else None."""
    config = current_app.config
    if config.get("DATA_FILES") or str(config.get("STORE", "embedded")) != "embedded":
        return None
    path = (stores().release or Path(config["BUILD_DIR"]) / "current") / "public" / name
    return path if path.is_file() else None


def dump_stems() -> tuple[str, ...]:
    """The dump names this request may download: the public one, and the token holder's when it has the token
    and the service holds the restricted graph."""
    if bearer_token_holder() and stores().restricted is not None:
        return DUMP_STEM, RESTRICTED_STEM
    return (DUMP_STEM,)


def _chosen(params: list, offered: tuple):
    formats = [value for key, value in params if key == "format"]
    if formats:
        return format_from_param(formats, offered)
    return negotiate(request.headers.get("Accept"), offered)


def _respond(answer, fmt) -> Response:
    """The dump from its spooled file (never whole in this process's memory; see store/answer.py)."""
    response = answer_response(answer, content_type(fmt) if fmt is not None else answer.media_type)
    response.vary.add("Accept")
    if g.get("cps_authenticated"):
        response.headers["Cache-Control"] = "no-store"
    return response
