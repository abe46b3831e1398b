"""Dereferenceable IRIs, after the W3C "Cool URIs for the Semantic Web" recipe (303 See Other):

    GET /id/person/x         303 -> /page/person/x (browsers) or /data/person/x.ttl|.nt|.jsonld|.rdf (RDF)
    GET /ontology            303 -> /ontology.html (documentation) or /ontology.ttl|... (the ontology graph)
    GET /graph/data          303 -> /dumps (browsers) or /store?graph=... (Graph Store Protocol)

`{BASE_IRI}id/...` is served at `/id/...` whatever host the service runs on. Every page and data document
carries `Link` headers to its other formats and `rel="describes"` to the resource.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, current_app, request, url_for

from ...formats import GRAPH_FORMATS, HTML, content_type, negotiate, rdf_format, serialize
from ...namespaces import ONTOLOGY_IRI, PREFIXES, PUBLIC_GRAPHS
from . import browse_queries as q
from . import dataset, profile, resource_view
from .evidence import own_words
from .ontology_doc import ontology_page
from .pages import Alternate, UnknownResource, browser_blueprint, iri_of, lang, link_header, local_id, render
from .site import site
from ..stores import stores

bp = browser_blueprint("linkeddata", __name__)
FORMAT_NAMES = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}


def _accept() -> str | None:
    return request.headers.get("Accept")


def see_other(target: str, alternates=()) -> Response:
    response = Response(status=303, headers={"Location": target}, content_type="text/plain; charset=utf-8")
    response.vary.add("Accept")
    if alternates:
        response.headers["Link"] = link_header(alternates)
    return response


def data_alternates(path: str) -> tuple[Alternate, ...]:
    return tuple(Alternate(url_for("linkeddata.data", path=f"{path}.{f.extension}"), f.media_type,
                           FORMAT_NAMES[f.name]) for f in GRAPH_FORMATS)


def _known(path: str) -> str:
    """The IRI of `/id/<path>`. Raises Moved when the IRI was replaced by another (data/moved_ids.csv), and
    UnknownResource when the graph does not hold it."""
    iri = iri_of(path)
    if iri not in site().entities:
        replacement = _replacement(iri)
        if replacement is not None:
            raise Moved(replacement)
        raise UnknownResource(f"The graph holds nothing about <{iri}>. Search for it from the home page.",
                              key="page.unknown", values={"iri": iri})
    return iri


class Moved(Exception):
    """An IRI that was replaced: `path` is the path (after `id/`) of the IRI that replaces it."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def _replacement(iri: str) -> str | None:
    """The path of the entity that replaces `iri`, following a chain of moves; None if it never moved."""
    moved, seen = site().moved, {iri}
    while iri in moved and moved[iri] not in seen:
        iri = moved[iri]
        seen.add(iri)
    path = local_id(iri)
    return path if path is not None and iri in site().entities else None


def moved_permanently(target: str) -> Response:
    """301: a published IRI never breaks; its old address points for good to the new one."""
    return Response(status=301, headers={"Location": target}, content_type="text/plain; charset=utf-8")


@bp.errorhandler(Moved)
def _moved(error: Moved) -> Response:
    endpoint = request.endpoint or ""
    if endpoint.endswith(".page"):
        return moved_permanently(url_for(".page", path=error.path))
    if endpoint.endswith(".data"):
        extension = request.view_args["path"].rpartition(".")[2]
        return moved_permanently(url_for(".data", path=f"{error.path}.{extension}"))
    return moved_permanently(url_for(".resource", path=error.path))


@bp.route("/id/<path:path>")
def resource(path: str) -> Response:
    if path == "dataset" or path.startswith("dataset/"):  # the VoID description's own IRIs
        chosen = negotiate(_accept(), GRAPH_FORMATS, explicit_only=(HTML,))
        return see_other(url_for(".dumps") if chosen is HTML else url_for(".void"))
    _known(path)
    chosen = negotiate(_accept(), GRAPH_FORMATS, explicit_only=(HTML,))
    html = url_for(".page", path=path)
    target = html if chosen is HTML else url_for(".data", path=f"{path}.{chosen.extension}")
    return see_other(target, (Alternate(html, HTML.media_type, "HTML"),) + data_alternates(path))


@bp.route("/page/<path:path>")
def page(path: str) -> Response:
    iri = _known(path)
    model = resource_view.build(site().store, site().entities, iri, lang())
    alternates = data_alternates(path)
    response = render("browser/resource.html", page=model, path=path, alternates=alternates,
                      actions=_actions(iri), profile=profile.build(site().store, site().entities, iri, lang()),
                      words=own_words(iri))
    response.headers["Link"] = link_header(alternates, describes=iri)
    return response


def _actions(iri: str) -> dict:
    """Which network views apply: an actor's own network, or the network inside a group."""
    from .site import meeting_participants

    net = site().network
    group = iri in net.groups() or iri in meeting_participants()
    return {"actor": iri in net.graph, "group": group and iri not in net.graph}


@bp.route("/data/<path:path>")
def data(path: str) -> Response:
    stem, _, extension = path.rpartition(".")
    fmt = _graph_format(extension)
    iri = _known(stem)
    triples = ox.parse(q.description(site().store, iri), format=ox.RdfFormat.N_TRIPLES)
    response = Response(serialize(list(triples), fmt, _prefixes()), content_type=content_type(fmt))
    alternates = (Alternate(url_for(".page", path=stem), HTML.media_type, "HTML"),) + data_alternates(stem)
    response.headers["Link"] = link_header(alternates, describes=iri)
    return response


def _graph_format(extension: str):
    try:
        fmt = rdf_format(extension)
    except KeyError:
        fmt = None
    if fmt not in GRAPH_FORMATS:
        extensions = ", ".join(f".{f.extension}" for f in GRAPH_FORMATS)
        raise UnknownResource(f"Data documents end in {extensions}.", key="page.format",
                              values={"extensions": extensions})
    return fmt


def _prefixes() -> dict[str, str]:
    return {name: str(namespace) for name, namespace in PREFIXES.items()}


# --- The ontology, the named graphs, the dataset -----------------------------------------------------------------

@bp.route("/ontology")
@bp.route("/ontology/<path:version>")
def ontology(version: str | None = None) -> Response:
    chosen = negotiate(_accept(), GRAPH_FORMATS, explicit_only=(HTML,))
    return see_other(url_for(".ontology_document", ext=chosen.extension),
                     (Alternate(url_for(".ontology_document", ext="html"), HTML.media_type, "HTML"),)
                     + _ontology_alternates())


def _ontology_alternates() -> tuple[Alternate, ...]:
    return tuple(Alternate(url_for(".ontology_document", ext=f.extension), f.media_type, FORMAT_NAMES[f.name])
                 for f in GRAPH_FORMATS)


@bp.route("/ontology.<ext>")
def ontology_document(ext: str) -> Response:
    graph = current_app.config["BASE_IRI"] + "graph/ontology"
    if ext == "html":
        chosen = lang()
        model = site().cached(f"ontology:{chosen}", lambda: ontology_page(q.graph_dump(site().store, graph), chosen))
        return render("browser/ontology.html", onto=model, alternates=_ontology_alternates())
    fmt = _graph_format(ext)
    triples = ox.parse(q.graph_dump(site().store, graph), format=ox.RdfFormat.N_TRIPLES)
    response = Response(serialize(list(triples), fmt, _prefixes()), content_type=content_type(fmt))
    response.headers["Link"] = link_header(_ontology_alternates(), describes=str(ONTOLOGY_IRI))
    return response


@bp.route("/graph/<name>")
def named_graph(name: str) -> Response:
    iri = current_app.config["BASE_IRI"] + "graph/" + name
    if name not in PUBLIC_GRAPHS:
        raise UnknownResource(f"<{iri}> is not a public graph of this service.", key="page.graph",
                              values={"iri": iri})
    chosen = negotiate(_accept(), GRAPH_FORMATS, explicit_only=(HTML,))
    if chosen is HTML:
        return see_other(url_for(".dumps"))
    return see_other(url_for("graphstore.graph") + "?" + urlencode({"graph": iri, "format": chosen.name}))


@bp.route("/dumps")
def dumps() -> Response:
    """The downloads and services page; sizes come from the build's VoID description when there is one. The
    token holder's own dumps (restricted graph included) are listed only to the token holder."""
    from ..graphstore import release_file, dump_stems
    from ..sparql.description import DUMP_FORMATS, DUMP_STEM

    sizes, packed_sizes = _void_sizes(), _void_sizes(packed=True)
    files = []
    for stem in dump_stems():
        for name in DUMP_FORMATS:
            fmt = rdf_format(name)
            file = f"{stem}.{fmt.extension}"
            files.append({"format": FORMAT_NAMES.get(name, "TriG"), "media_type": fmt.media_type, "name": file,
                          "size": sizes.get(fmt.media_type) if stem == DUMP_STEM else None, "packed": False,
                          "href": url_for("graphstore.dump", name=file)})
            if stem == DUMP_STEM and release_file(file + ".gz") is not None:   # the build's gzipped copy
                files.append({**files[-1], "media_type": "application/gzip", "name": file + ".gz", "packed": True,
                              "size": packed_sizes.get(fmt.media_type),
                              "href": url_for("graphstore.dump", name=file + ".gz")})
    graphs = [(current_app.config["BASE_IRI"] + "graph/" + name, url_for(".named_graph", name=name))
              for name in PUBLIC_GRAPHS]
    data = dataset.model(files, sizes, _void_triples(), lang())
    response = render("browser/dumps.html", data=data, files=files, graphs=graphs, has_void=_void_path().is_file())
    if len(dump_stems()) > 1:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/.well-known/void")
def void() -> Response:
    """The served release's VoID/DCAT description (its public/void.ttl) in the negotiated format."""
    path = _void_path()
    if not path.is_file():
        raise UnknownResource("This service serves no build, so it has no VoID description.", key="page.no-void")
    chosen = negotiate(_accept(), GRAPH_FORMATS, explicit_only=(HTML,))
    if chosen is HTML:
        return see_other(url_for(".dumps"))
    triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    response = Response(serialize(list(triples), chosen, _prefixes()), content_type=content_type(chosen))
    response.vary.add("Accept")
    return response


def _void_path() -> Path:
    """The VoID of the release this service serves (pinned at start-up, see store/configured.py)."""
    release = stores().release
    return (release if release is not None else Path(current_app.config["BUILD_DIR"]) / "current") / "public" / "void.ttl"


def _void_triples() -> int | None:
    """void:triples of the dataset, from the build's VoID (None without one)."""
    if not _void_path().is_file():
        return None
    store = ox.Store()
    store.load(path=str(_void_path()), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n WHERE { ?d a void:Dataset ; void:triples ?n }"""))
    return int(rows[0]["n"].value) if rows else None


def _void_sizes(*, packed: bool = False) -> dict[str, int]:
    """dcat:byteSize of each distribution, by media type, from the build's VoID (empty without one);
    `packed`: of the gzipped ones (dcat:compressFormat), by the media type of what they hold."""
    if not _void_path().is_file():
        return {}
    store = ox.Store()
    store.load(path=str(_void_path()), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?type ?size WHERE {{ ?d dcat:mediaType ?type ; dcat:byteSize ?size
                                    FILTER {'' if packed else 'NOT'} EXISTS {{ ?d dcat:compressFormat ?packed }} }}""")
    iana = "https://www.iana.org/assignments/media-types/"
    return {row["type"].value.removeprefix(iana): int(row["size"].value) for row in rows}
