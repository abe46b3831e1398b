"""The network page's two tables (what links them, the connections one per row), made for a hub as cheaply as
for anyone: the rows come from the view's edges as the network holds them (no JSON dicts, no caption for an edge
the page does not show), every cell's lists are capped with a link to the rest, and the connections are paged.

The caps keep the page the accessible alternative to the drawing without making it as long as the network:
- a shared thing's row names at most ACTORS_SHOWN of the view's actors, then links the network of that thing
  (all of them); its passages are those stating every membership of the thing (Network.group_passages);
- a cell shows at most PASSAGES_SHOWN passages, then links the whole evidence (`/network/evidence`, with a JSON
  twin that network.js fetches to show the rest in place);
- the connections table shows PAIRS_PER_PAGE rows per page (`?page=N`), every page reachable without script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from flask import url_for

from ...source import passage_slug
from ...network import KINDS, RELATIONS, Network
from .network_model import caption, relation_label
from .pages import id_prefix, local_id, page_url
from .site import site

ACTORS_SHOWN = 12
PASSAGES_SHOWN = 3
PAIRS_PER_PAGE = 100
_SAFE = "!$&'()*+,/:;=@"     # what url_for leaves unquoted in a path (werkzeug's converters)


class Hrefs:
    """page_url for many IRIs at once: the page route's prefix is found once, then each address is a string
    (url_for costs ~25 µs a call, and a hub's page has thousands of links)."""

    def __init__(self):
        self.ours = id_prefix()
        self.pages = url_for("linkeddata.page", path="x")[:-1]
        self._passages = site().cached("network-passage-slugs", dict)   # locator -> slug, per release
        self.evidence, self.evidence_json = url_for("network.evidence"), url_for("network.evidence_json")

    def page(self, iri: str) -> str | None:
        if iri.startswith(self.ours) and len(iri) > len(self.ours):
            return self.pages + quote(iri[len(self.ours):], safe=_SAFE)
        return page_url(iri)

    def passage(self, locator: str) -> str:
        slug = self._passages.get(locator)
        if slug is None:
            slug = self._passages[locator] = passage_slug(locator)
        return self.pages + "passage/" + quote(slug, safe=_SAFE)


@dataclass
class Cell:
    """A capped list of passages: the first ones (locator, its page) and how many more the evidence link has."""
    shown: list[tuple[str, str]]
    more: int
    href: str            # the whole evidence (HTML), when there are more; `json` its twin
    json: str


@dataclass
class SharedRow:
    kind: str
    label: str
    via: str
    via_label: str
    via_href: str | None
    actors: list[tuple[str, str | None]]         # (label, page) of the first ACTORS_SHOWN
    more_actors: int
    network_href: str | None                     # the network of the shared thing: every actor it links
    passages: Cell


@dataclass
class PairRow:
    kind: str
    label: str
    source: tuple[str, str | None]
    target: tuple[str, str | None]
    caption: str
    via: tuple[str, str | None]
    passages: Cell


@dataclass
class Tables:
    total: int                                   # connections in the view
    counts: dict[str, int]                       # connections by kind
    shared: list[SharedRow]
    pairs: list[PairRow]                         # this page's rows
    page: int
    pages: int
    first: int                                   # number of this page's first row (1-based)
    page_hrefs: list[tuple[int, str]] = field(default_factory=list)


def evidence_query(kind: str, via: str, a: str | None = None, b: str | None = None) -> str:
    """The query of /network/evidence (and of its JSON twin) for a connection between `a` and `b` through `via`,
    or for all that `via` links."""
    args = [("kind", kind), ("via", local_id(via) or via)]
    if a and b:
        args += [("a", local_id(a) or a), ("b", local_id(b) or b)]
    return "?" + urlencode(args)


def _cell(locators, kind: str, via: str, hrefs: Hrefs, a: str | None = None, b: str | None = None) -> Cell:
    ordered = sorted(locators)
    more = max(0, len(ordered) - PASSAGES_SHOWN)
    query = evidence_query(kind, via, a, b) if more else ""
    return Cell([(loc, hrefs.passage(loc)) for loc in ordered[:PASSAGES_SHOWN]], more,
                hrefs.evidence + query if more else "", hrefs.evidence_json + query if more else "")


def tables(net: Network, links: list[tuple[str, str, str, str]], lang: str, page: int, page_href) -> Tables:
    """The page's tables for the view's `links` (Network.links_among): `page` of the connections (1-based,
    clamped), `page_href(n)` the address of page n. Only that page's rows have their evidence made."""
    hrefs, entities = Hrefs(), site().entities

    def actor(iri: str) -> tuple[str, str | None]:
        return entities.label(iri, lang), hrefs.page(iri)

    counts: dict[str, int] = {}
    groups: dict[tuple[str, str], set[str]] = {}
    for a, b, kind, via in links:
        counts[kind] = counts.get(kind, 0) + 1
        groups.setdefault((kind, via), set()).update(n for n in (a, b) if n != via)
    order = {r.kind: i for i, r in enumerate(RELATIONS)}
    labels = {r.kind: relation_label(r.kind, lang) for r in RELATIONS}
    shared = []
    for (kind, via), actors in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], -len(kv[1]), kv[0][1])):
        members = sorted(actors)
        ident = local_id(via)
        shared.append(SharedRow(kind, labels[kind], via, entities.label(via, lang), hrefs.page(via),
                                [actor(m) for m in members[:ACTORS_SHOWN]], max(0, len(members) - ACTORS_SHOWN),
                                url_for("network.network", path=ident) if ident and len(members) > ACTORS_SHOWN else None,
                                _cell(net.group_passages(kind, via), kind, via, hrefs)))
    pages = max(1, -(-len(links) // PAIRS_PER_PAGE))
    page = max(1, min(page, pages))
    start = (page - 1) * PAIRS_PER_PAGE
    pairs = [PairRow(kind, labels[kind], actor(a), actor(b), caption(net, kind, a, b, via, lang), actor(via),
                     _cell(net.evidence(a, b, f"{kind}|{via}").locators, kind, via, hrefs, a, b))
             for a, b, kind, via in links[start:start + PAIRS_PER_PAGE]]
    return Tables(len(links), counts, shared, pairs, page, pages, start + 1,
                  [(n, page_href(n)) for n in range(1, pages + 1)] if pages > 1 else [])


def evidence_of(net: Network, kind: str, via: str, a: str | None = None, b: str | None = None) -> dict:
    """The whole evidence of one connection (actors `a` and `b` linked through `via`) or of a shared thing (all
    its members): the facts and the passages they cite. Raises KeyError when the network has no such thing."""
    if kind not in KINDS:
        raise KeyError(kind)
    key = f"{kind}|{via}"
    if a and b:
        if a not in net.graph or b not in net.graph.adj[a] or key not in net.graph.adj[a][b]:
            raise KeyError(key)
        ev = net.evidence(a, b, key)
        return {"kind": kind, "via": via, "actors": sorted({a, b} - {via}), "facts": list(ev.facts),
                "passages": list(ev.locators)}
    members, facts, passages = net.group_evidence(kind, via)
    return {"kind": kind, "via": via, "actors": members, "facts": facts, "passages": passages}
