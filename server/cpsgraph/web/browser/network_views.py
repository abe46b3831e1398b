"""Who works with whom: the network around an actor or inside a group (interactive view, accessible table,
JSON/CSV/GEXF), the shortest paths between two actors with the evidence for every hop, and interlocks.

    /network/person/graciela-scavone?depth=2&kind=co-presenters   the page; .json .csv .gexf the same data
    /network/person/graciela-scavone.csv?limit=0                     every actor, past NETWORK_MAX_NEIGHBOURS
    /paths?from=person/a&to=person/b                                 how are A and B connected (/paths.json)
    /interlocks/organization/pnuma                                   shared memberships (.json)
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator
from urllib.parse import urlencode

from flask import Response, current_app, request, url_for

from ...network import RELATIONS, relations
from .catalogue import STRINGS
from .charts import chart
from .network_model import MAX_DEPTH, Focus, caption, chosen_kinds, focus, left_out, relation_label
from .network_page import Hrefs, evidence_of, tables
from .pages import Alternate, UnknownResource, browser_blueprint, iri_of, lang, local_id, page_url, render, url_with
from .site import meeting_participants, site
from .suggest import resolve_actor

bp = browser_blueprint("network", __name__)
bp.app_context_processor(lambda: {"chart": chart})     # the charts (charts.py), for any page's template
# suffix -> media type: the edge list as CSV keeps the plain ".csv"; the node list is ".nodes.csv"
EXPORTS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "nodes.csv": "text/csv; charset=utf-8",
           "gexf": "application/gexf+xml", "graphml": "application/graphml+xml"}


def _split(path: str) -> tuple[str, str]:
    for ext in sorted(EXPORTS, key=len, reverse=True):   # "x.nodes.csv" before "x.csv"
        if path.endswith("." + ext) and len(path) > len(ext) + 1:
            return path[:-len(ext) - 1], ext
    return path, "html"


def _depth() -> int:
    try:
        return max(1, min(int(request.args.get("depth", 1)), MAX_DEPTH))
    except ValueError:
        return 1


def _limit(ext: str) -> int | None:
    """How many actors the view shows besides the focus (None: all). The page shows at most
    NETWORK_MAX_NEIGHBOURS; `?limit=N` asks for fewer, and an export may ask for more (`limit=0`: all)."""
    cap = int(current_app.config["NETWORK_MAX_NEIGHBOURS"]) or None
    try:
        asked = int(request.args.get("limit", ""))
    except ValueError:
        return cap
    if asked < 0:
        return cap
    if ext != "html":
        return asked or None
    return min(asked, cap) if asked and cap else (asked or cap)


def _json(data) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), content_type=EXPORTS["json"])


def _json_lines(head: dict, edges: Iterable[dict]) -> Iterator[str]:
    """`head` and its "edges" as one JSON object, written an edge at a time (a whole hub's network is large)."""
    yield "{\n"
    for key, value in head.items():
        yield f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    yield ' "edges": ['
    for number, edge in enumerate(edges):
        yield ("," if number else "") + "\n  " + json.dumps(edge, ensure_ascii=False)
    yield "\n ]\n}\n"


def _cap(found: Focus, limit: int | None) -> dict:
    """What the view leaves out, as the JSON export says it."""
    hood = found.hood
    return {"limit": limit, "shown": len(hood.steps) - len(hood.seeds), "left_out": sum(hood.left_out.values()),
            "left_out_by_kind": dict(left_out(hood)), "at_least": hood.at_least}


@bp.route("/network/<path:path>")
def network(path: str) -> Response:
    stem, ext = _split(path)
    iri, net, chosen = iri_of(stem), site().network, lang()
    kinds, limit = chosen_kinds(request.args.getlist("kind")), _limit(ext)
    try:
        found = focus(net, iri, _depth(), kinds, limit, participants=meeting_participants().get(iri))
    except KeyError:
        raise UnknownResource(f"<{iri}> is neither a person or organization of the network nor a group "
                              "whose members it links.", key="network.unknown", values={"iri": iri}) from None
    download = {"Content-Disposition": f'attachment; filename="network-{stem.replace("/", "-")}.{ext}"'}
    files = {"csv": net.csv_lines, "nodes.csv": net.node_csv_lines, "gexf": net.to_gexf, "graphml": net.to_graphml}
    if ext in files:
        return Response(files[ext](found.hood, chosen), content_type=EXPORTS[ext], headers=download)
    if ext == "json":
        nodes = [net.node_dict(node, chosen) | {"href": page_url(node), "network": _network_url(node),
                                                "focus": node == iri or node in found.members}
                 for node in sorted(found.hood.steps)]
        head = {"focus": iri, "cap": _cap(found, limit), "nodes": nodes, "relations": relations(chosen)}
        edges = (net.edge_dict(a, b, ev, chosen) for a, b, ev in net.edges_among(found.hood))
        return Response(_json_lines(head, edges), content_type=EXPORTS["json"])
    return _page(found, stem, limit)


def _page(found: Focus, stem: str, limit: int | None) -> Response:
    """The page: the exports, the drawing (network.js reads the JSON export) and the two tables, capped and
    paged (network_page.py), so a hub's page costs about what anyone's does."""
    net, chosen, kinds = site().network, lang(), chosen_kinds(request.args.getlist("kind"))
    args = request.args.to_dict(flat=False)
    found_tables = tables(net, net.links_among(found.hood), chosen, _page_number(),
                          lambda n: url_with("network.network", args, page=n if n > 1 else None) + "#pairs-heading")
    exports = {name: _export_url(stem, name) for name in EXPORTS}
    kinds_shown = [{"kind": r.kind, "label": relation_label(r.kind, chosen), "count": found_tables.counts.get(r.kind, 0),
                    "checked": kinds is None or r.kind in kinds} for r in RELATIONS]
    alternates = (Alternate(exports["json"], "application/json", "JSON"), Alternate(exports["csv"], "text/csv", "CSV"),
                  Alternate(exports["gexf"], EXPORTS["gexf"], "GEXF"),
                  Alternate(exports["graphml"], EXPORTS["graphml"], "GraphML"))
    whole = {name: _export_url(stem, name, limit=0) for name in EXPORTS} if found.hood.capped else {}
    return render("browser/network.html", focus=found, stem=stem, nodes=len(found.hood.steps), tables=found_tables,
                  total=found_tables.total, cap=_cap(found, limit), left_out=left_out(found.hood), whole=whole,
                  kinds=kinds_shown, depth=_depth(), max_depth=MAX_DEPTH, exports=exports, alternates=alternates,
                  js_strings=_js_strings())


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.route("/network/evidence")
@bp.route("/network/evidence.json", endpoint="evidence_json")
def evidence() -> Response:
    """The whole evidence of one connection (`?kind=K&via=V&a=A&b=B`, local ids) or of everything a shared thing
    links (`?kind=K&via=V`): what a capped cell of the network page's tables links to."""
    net, chosen = site().network, lang()
    kind, via = request.args.get("kind", ""), request.args.get("via", "")
    a, b = request.args.get("a", ""), request.args.get("b", "")
    try:
        found = evidence_of(net, kind, iri_of(via), iri_of(a) if a else None, iri_of(b) if b else None)
    except KeyError:
        raise UnknownResource(f"The network holds no connection of kind {kind!r} through {via!r}"
                              + (f" between {a!r} and {b!r}." if a and b else "."),
                              key="network.no-connection-between" if a and b else "network.no-connection",
                              values={"kind": repr(kind), "via": repr(via), "a": repr(a), "b": repr(b)}) from None
    hrefs = Hrefs()
    found |= {"label": relation_label(kind, chosen), "via_label": net.label(found["via"], chosen),
              "via_href": page_url(found["via"]), "network": _network_url(found["via"]),
              "actors": [{"id": actor, "label": site().entities.label(actor, chosen), "href": hrefs.page(actor)}
                         for actor in found["actors"]],
              "passages": [{"locator": loc, "href": hrefs.passage(loc)} for loc in found["passages"]]}
    if a and b:
        found["caption"] = caption(net, kind, iri_of(a), iri_of(b), found["via"], chosen)
    if request.endpoint == "network.evidence_json":
        return _json(found)
    here = url_for("network.evidence_json", **request.args.to_dict(flat=False))
    return render("browser/network_evidence.html", found=found,
                  alternates=(Alternate(here, "application/json", "JSON"),))


# What the page keeps in its address besides the view: the drawing's colouring, ties among the others and actor
# selected (network.js), the page of the connections table. They change what is shown, not the data: the exports
# leave them out.
VIEW_ARGS = ("colour", "ties", "selected", "page")
JS_STRINGS = ("net.attr.sector", "net.attr.country", "net.attr.subregion", "net.attr.kind", "net.attr.organization",
              "net.attr.working_group", "net.attr.role", "net.shape.person", "net.shape.organization", "net.other",
              "net.not_stated", "net.degree", "net.legend.colour", "net.legend.shape", "net.legend.lines",
              "net.legend.size", "net.legend.faded", "net.panel.page", "net.panel.network", "net.panel.why",
              "net.panel.links", "net.passages", "net.close", "net.selected.node", "net.selected.edge", "net.panel.more")


def _js_strings() -> dict[str, str]:
    chosen = lang()
    return {key.removeprefix("net."): STRINGS[key][0 if chosen == "es" else 1] for key in JS_STRINGS}


def _network_url(node: str) -> str | None:
    ident = local_id(node)
    return url_for("network.network", path=ident) if ident else None


def _export_url(stem: str, ext: str, **changes) -> str:
    """The same view (same kinds, depth and cap) as a download; `changes` replace query arguments."""
    args = [(k, v) for k, v in request.args.items(multi=True)
            if k != "lang" and k not in changes and k not in VIEW_ARGS]
    query = urlencode(args + list(changes.items()))
    return url_for("network.network", path=f"{stem}.{ext}") + (f"?{query}" if query else "")


def actor_options() -> dict[str, list[tuple[str, str]]]:
    """Persons and organizations of the network as (local id, label), by kind, A-Z in the page's language."""
    chosen = lang()
    return site().cached(f"actor-options:{chosen}", lambda: _actor_options(chosen))


def _actor_options(chosen: str) -> dict[str, list[tuple[str, str]]]:
    net, entities = site().network, site().entities
    options: dict[str, list[tuple[str, str]]] = {"person": [], "organization": []}
    for node in net.graph.nodes:
        kind, ident = net.node_kind.get(node), local_id(node)
        if kind in options and ident:
            options[kind].append((ident, entities.label(node, chosen)))
    return {kind: sorted(values, key=lambda o: o[1].casefold()) for kind, values in options.items()}


@bp.route("/paths")
@bp.route("/paths.json", endpoint="paths_json")
def paths() -> Response:
    net, chosen = site().network, lang()
    # the ids the comboboxes chose, else the names typed (a browser without script): resolved by the search index
    start = resolve_actor(request.args.get("from", ""), request.args.get("from_name", ""))
    end = resolve_actor(request.args.get("to", ""), request.args.get("to_name", ""))
    kinds = chosen_kinds(request.args.getlist("kind"))
    found = None
    if start and end:
        a, b = iri_of(start), iri_of(end)
        for node in (a, b):
            if node not in net.graph:
                raise UnknownResource(f"<{node}> is not a person or organization of the network.",
                                      key="network.not-actor", values={"iri": node})
        found = [[_hop(net, hop, chosen) for hop in path] for path in net.paths(a, b, kinds)]
    if request.endpoint == "network.paths_json":
        return _json({"from": start, "to": end, "paths": found or []})
    alternates = (Alternate(url_for("network.paths_json", **request.args.to_dict(flat=False)), "application/json",
                            "JSON"),) if found is not None else ()
    kinds_shown = [{"kind": r.kind, "label": relation_label(r.kind, chosen), "checked": kinds is None or r.kind in kinds}
                   for r in RELATIONS]
    return render("browser/paths.html", start=start, end=end, found=found, kinds=kinds_shown,
                  start_label=net.label(iri_of(start), chosen) if start else "",
                  end_label=net.label(iri_of(end), chosen) if end else "", alternates=alternates)


def _hop(net, hop: dict, chosen: str) -> dict:
    evidence = [{"kind": ev["kind"], "label": relation_label(ev["kind"], chosen), "via": ev["via"],
                 "via_label": net.label(ev["via"], chosen), "via_href": page_url(ev["via"]),
                 "caption": caption(net, ev["kind"], hop["from"], hop["to"], ev["via"], chosen),
                 "passages": ev["passages"]} for ev in hop["evidence"]]
    return {"from": hop["from"], "to": hop["to"], "from_label": net.label(hop["from"], chosen),
            "to_label": net.label(hop["to"], chosen), "from_href": page_url(hop["from"]),
            "to_href": page_url(hop["to"]), "evidence": evidence}


@bp.route("/interlocks/<path:path>")
def interlocks(path: str) -> Response:
    stem, ext = _split(path)
    iri, net, chosen = iri_of(stem), site().network, lang()
    if iri not in net.graph and iri not in net.groups():
        raise UnknownResource(f"<{iri}> is not a person, organization or group of the network.",
                              key="network.not-member", values={"iri": iri})
    rows = net.interlocks(iri)
    if ext == "json":
        return _json({"focus": iri, "label": net.label(iri, chosen), "interlocks": [_labelled(net, row, chosen) for row in rows]})
    if ext != "html":
        raise UnknownResource("Interlocks are served as HTML and .json.", key="network.interlocks-format")
    person = net.node_kind.get(iri) == "person"
    shown = [{"other": row.get("actor") or row.get("organization"),
              "via": row.get("shared") or row.get("through")} for row in rows]
    alternates = (Alternate(url_for("network.interlocks", path=f"{stem}.json"), "application/json", "JSON"),)
    return render("browser/interlocks.html", iri=iri, stem=stem, person=person, rows=shown, alternates=alternates)


def _labelled(net, row: dict, chosen: str) -> dict:
    """An interlock with the labels beside the IRIs: "label" for the other actor, "shared_labels" or
    "through_labels" in the order of "shared" or "through"."""
    other = row.get("actor") or row.get("organization")
    many = "shared" if "shared" in row else "through"
    return {**row, "label": net.label(other, chosen), f"{many}_labels": [net.label(v, chosen) for v in row[many]]}
