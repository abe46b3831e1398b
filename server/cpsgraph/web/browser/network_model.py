"""The network views' questions, on top of the network library (network.py): the network around an actor,
the network inside a group, and the evidence of a path in words (the page's tables: network_page.py).

A working group (or another group that is not itself an actor) links its members by the "shared group" edges
whose `via` is the group; its view shows the members and what else links them, leaving out those edges,
which all say the same thing (every member is in the group).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...network import KINDS, Neighbourhood, Network

MAX_DEPTH = 3


@dataclass
class Focus:
    iri: str
    hood: Neighbourhood       # the actors shown (capped: see Network.neighbourhood)
    members: list[str]        # a group's members (empty for an actor's own network)

    @property
    def is_group(self) -> bool:
        return bool(self.members)


def chosen_kinds(values: list[str]) -> set[str] | None:
    """The relation kinds asked for (unknown names ignored); None means every kind."""
    kinds = {v for v in values if v in KINDS}
    return kinds or None


def focus(net: Network, iri: str, depth: int = 1, kinds: set[str] | None = None,
          limit: int | None = None, participants: list[str] | None = None) -> Focus:
    """The network around an actor (`depth` steps) or inside a group (its members, plus `depth - 1` steps
    around them, leaving out the edges through the group itself), with at most `limit` actors besides the
    actor or the members (None: every one). A meeting's members are its `participants` (Anexo III), not the
    few actors its own edges link. Raises KeyError when `iri` is neither an actor nor a group."""
    depth = max(1, min(depth, MAX_DEPTH))
    if iri in net.graph:
        return Focus(iri, net.neighbourhood([iri], depth, kinds, limit), [])
    present = sorted(p for p in participants or () if p in net.graph)
    if not present and iri not in net.groups():
        raise KeyError(iri)
    members = present or sorted(net.groups()[iri])
    return Focus(iri, net.neighbourhood(members, depth - 1, kinds, limit, skip_via=iri), members)


def caption(net: Network, kind: str, a: str, b: str, via: str, lang: str) -> str:
    """One piece of evidence in words: "Scavone and Krieger Merico worked in Group 4: Southern Cone"."""
    relation = KINDS[kind]
    template = relation.caption_es if lang == "es" else relation.caption_en
    return template.format(a=net.label(a, lang), b=net.label(b, lang), via=net.label(via, lang))


def relation_label(kind: str, lang: str) -> str:
    relation = KINDS[kind]
    return relation.label_es if lang == "es" else relation.label_en


def left_out(hood: Neighbourhood) -> list[tuple[str, int]]:
    """The kinds of actor a capped view leaves out, most first: [("person", 1800), ("organization", 1321)]."""
    return sorted(hood.left_out.items(), key=lambda kv: (-kv[1], kv[0]))
