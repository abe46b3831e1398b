"""Search as you type: the search index of the served release (search_index.SearchIndex, built by `cpsgraph
build` from the entity index and a line of context per entity, artefacts.py), the suggestions the header's and the paths form's
comboboxes fetch, and the hits of the search page.

    GET /search/suggest?q=grac               HTML options for the combobox (auto-complete-element)
    GET /search/suggest?q=grac&scope=actors  persons and organizations of the network only (the paths form)
    GET /search/suggest.json?q=grac          the same as data
"""

from __future__ import annotations

import json

from flask import Response, request, url_for

from ...artefacts import open_or_make
from ...search_index import PRIMARY, IndexEntry, SearchIndex
from ..stores import stores
from .pages import UnknownResource, browser_blueprint, lang, local_id, page_url, render
from .site import site

bp = browser_blueprint("suggest", __name__)
SUGGESTIONS = 8
# What a description line names for each kind, in order: (property, how many values).
# A talk's presenters and session tell same-titled talks apart (issue 14), as Wikidata's descriptions do.
CONTEXT = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
SELECT ?s ?p ?o WHERE {
  VALUES ?p { org:memberOf org:subOrganizationOf org:classification cps:country cps:subregion cps:workingGroup
              cps:plan cps:meeting cps:presenter schema:superEvent }
  ?s ?p ?o FILTER(isIRI(?o)) }"""
CONTEXT_ORDER = ("person", "country", "organization", "working-group", "subregion", "sector", "plan", "session",
                 "event")
CONTEXT_VALUES = 3


def index() -> SearchIndex:
    """The served release's search index: the one its build wrote (artefacts.py), opened read-only; else (files
    given with --data, an older or damaged release) built from the store on first use (warm_up does it before
    the server listens)."""
    return site().cached("search-index", _open_or_build)


def _open_or_build() -> SearchIndex:
    return open_or_make(stores().release, "search", SearchIndex.open,
                        lambda: build_index(site().entities, site().store.select))


def build_index(entities, select) -> SearchIndex:
    """The search index of an entity index (entities.Entities), with a line of context per entity read by
    `select` (a SPARQL SELECT -> rows of terms); what the server builds once and bench.search times."""
    context: dict[str, list[str]] = {}
    for row in select(CONTEXT):
        value = row["o"].value
        if value in entities and entities.ours(value):
            context.setdefault(row["s"].value, []).append(value)

    def describe(iri: str, chosen: str) -> str:
        values = sorted(set(context.get(iri, ())), key=lambda v: (_order(entities.kind_segment(v)),
                                                                   entities.label(v, chosen), v))
        return " · ".join(entities.label(v, chosen) for v in values[:CONTEXT_VALUES])

    def entries():
        for entity in entities.all():
            if not entities.ours(entity.iri):
                continue
            yield IndexEntry(entity.iri, entities.kind_segment(entity.iri), dict(entity.labels), list(entity.names),
                             kind_label={c: entities.kind(entity.iri, c) for c in ("es", "en")},
                             description={c: describe(entity.iri, c) for c in ("es", "en")})
    return SearchIndex(entries())


def _order(kind: str) -> int:
    return CONTEXT_ORDER.index(kind) if kind in CONTEXT_ORDER else len(CONTEXT_ORDER)


def actor_ids() -> set[str]:
    """Persons and organizations of the network (what the paths form can connect)."""
    net = site().network
    return site().cached("actor-ids", lambda: {n for n in net.graph.nodes
                                                if net.node_kind.get(n) in ("person", "organization")})


def suggestions(text: str, *, actors: bool = False, limit: int = SUGGESTIONS) -> list[dict]:
    """The best hits for what was typed, as the combobox shows them."""
    chosen = lang()
    if actors:
        wanted = actor_ids()
        hits = [h for kind in ("person", "organization")
                for h in index().search(text, lang=chosen, limit=limit * 3, kind=kind) if h.iri in wanted]
        hits = sorted(hits, key=lambda h: (not h.label.casefold().startswith(text.strip().casefold()),
                                           h.kind != "person", len(h.label)))[:limit]
    else:
        hits = index().search(text, lang=chosen, limit=limit, max_tier=1)
        if not hits:
            hits = index().search(text, lang=chosen, limit=limit)
    return [{"iri": h.iri, "id": local_id(h.iri), "href": page_url(h.iri), "label": h.label, "kind": h.kind,
             "kind_label": h.kind_label, "description": h.description, "matched": h.matched,
             "alternative": h.alternative} for h in hits]


@bp.route("/search/suggest")
@bp.route("/search/suggest.json", endpoint="suggest_json")
def suggest() -> Response:
    text = request.args.get("q", "").strip()[:200]
    actors = request.args.get("scope") == "actors"
    found = suggestions(text, actors=actors) if text else []
    if request.endpoint == "suggest.suggest_json":
        return Response(json.dumps({"q": text, "results": found}, ensure_ascii=False),
                        content_type="application/json")
    response = render("browser/suggest.html", found=found, q=text, actors=actors,
                      all_href=url_for("browse.search", q=text))
    response.headers["Cache-Control"] = "no-store"
    return response


def resolve_actor(ident: str, typed: str) -> str:
    """The local id the paths form means: `ident` when given (the combobox chose it), else the best person
    or organization for the name typed without a script; empty when nothing matches."""
    if ident or not typed.strip():
        return ident
    found = suggestions(typed, actors=True, limit=1)
    if not found:
        raise UnknownResource(f"No person or organization of the network matches “{typed.strip()[:100]}”: "
                              "try part of a name or an acronym.", key="network.no-match",
                              values={"typed": typed.strip()[:100]})
    return found[0]["id"]


def search_hits(text: str, kind: str | None = None, *, page: int = 1, per_page: int = 50
                ) -> tuple[list[dict], dict[str, int]]:
    """One page of the search page's hits (one per entity, best first) and the count of hits per kind."""
    chosen = lang()
    counts = index().kind_counts(text)
    hits = index().search(text, lang=chosen, limit=per_page, offset=(page - 1) * per_page, kind=kind or None)
    rows = [{"iri": h.iri, "href": page_url(h.iri), "label": h.label, "kind": h.kind_label, "kind_id": h.kind,
             "description": h.description, "matched": h.matched, "alternative": h.alternative,
             "rank": number} for number, h in enumerate(hits, start=(page - 1) * per_page + 1)]
    return rows, counts


__all__ = ["PRIMARY", "bp", "index", "resolve_actor", "search_hits", "suggestions"]
