"""The network views' questions, on top of the network library (network.py): the network around an actor,
the network inside a group, the rows of the accessible table, and the evidence of a path in words.

A working group (or another group that is not itself an actor) links its members by the "shared group" edges
whose `via` is the group; its view shows the members and what else links them, leaving out those edges,
which all say the same thing (every member is in the group).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..network import KINDS, RELATIONS, Network

MAX_DEPTH = 3


@dataclass
class Focus:
    iri: str
    graph: nx.MultiGraph
    members: list[str]        # a group's members (empty for an actor's own network)

    @property
    def is_group(self) -> bool:
        return bool(self.members)


def groups(net: Network) -> dict[str, set[str]]:
    """Every shared thing (organization, working group, presentation, ...) and the actors it links."""
    found: dict[str, set[str]] = {}
    for a, b, data in net.graph.edges(data=True):
        via = data["evidence"].via
        found.setdefault(via, set()).update(n for n in (a, b) if n != via)
    return found


def chosen_kinds(values: list[str]) -> set[str] | None:
    """The relation kinds asked for (unknown names ignored); None means every kind."""
    kinds = {v for v in values if v in KINDS}
    return kinds or None


def focus(net: Network, iri: str, members_by_group: dict[str, set[str]], depth: int = 1,
          kinds: set[str] | None = None) -> Focus:
    """The network around an actor (`depth` steps) or inside a group (its members, plus `depth - 1` steps
    around them). Raises KeyError when `iri` is neither an actor nor a group of the network."""
    depth = max(1, min(depth, MAX_DEPTH))
    if iri in net.graph:
        return Focus(iri, net.ego(iri, depth, kinds), [])
    if iri not in members_by_group:
        raise KeyError(iri)
    members = sorted(members_by_group[iri])
    suffix = "|" + iri

    def keep(a, b, key) -> bool:
        return not key.endswith(suffix) and (kinds is None or key.split("|", 1)[0] in kinds)

    view = nx.subgraph_view(net.graph, filter_edge=keep)
    reach = nx.multi_source_dijkstra_path_length(view, set(members), cutoff=depth - 1)
    return Focus(iri, view.subgraph(set(reach) | set(members)).copy(), members)


def caption(net: Network, kind: str, a: str, b: str, via: str, lang: str) -> str:
    """One piece of evidence in words: "Scavone and Krieger Merico worked in Group 4: Southern Cone"."""
    relation = KINDS[kind]
    template = relation.caption_es if lang == "es" else relation.caption_en
    return template.format(a=net.label(a, lang), b=net.label(b, lang), via=net.label(via, lang))


def relation_label(kind: str, lang: str) -> str:
    relation = KINDS[kind]
    return relation.label_es if lang == "es" else relation.label_en


def shared(edges: list[dict]) -> list[dict]:
    """The edges of a network (as `Network.to_json` gives them) grouped by what links them: one row per
    relation kind and shared thing, with every actor it links and every passage cited. This is what a reader
    asks first ("the eight people of the Ministry of Environment"); the pairs follow from it."""
    rows: dict[tuple[str, str], dict] = {}
    for edge in edges:
        row = rows.setdefault((edge["kind"], edge["via"]), {"kind": edge["kind"], "label": edge["label"],
                                                            "via": edge["via"], "actors": set(), "passages": set()})
        row["actors"].update(n for n in (edge["source"], edge["target"]) if n != edge["via"])
        row["passages"].update(edge["passages"])
    order = {r.kind: i for i, r in enumerate(RELATIONS)}
    return sorted(({**row, "actors": sorted(row["actors"]), "passages": sorted(row["passages"])} for row in rows.values()),
                  key=lambda r: (order[r["kind"]], -len(r["actors"]), r["via"]))


def kind_counts(graph: nx.MultiGraph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, data in graph.edges(data=True):
        counts[data["evidence"].kind] = counts.get(data["evidence"].kind, 0) + 1
    return counts
