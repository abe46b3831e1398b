"""Who works with whom: a network of persons and organizations whose every edge carries its evidence.

Most relations are "shared group" relations: two actors are linked because both belong to the same
organization, working group, presentation, committee, task force, activity or Annex V answer. Each kind is
described once in RELATIONS (label, caption, direction), so one generic view serves them all. The network is
read through a `select(sparql) -> list[dict]` callable, so it works on any store.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from typing import Iterator


class _Networkx:
    """networkx, imported on first use: the import takes 0.1 s, which `cpsgraph serve` would spend before its
    first answer (the network is built after it listens, browser.warm_up)."""

    def __getattr__(self, name: str):
        import networkx

        globals()["nx"] = networkx
        return getattr(networkx, name)


nx = _Networkx()

PREFIXES = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Relation:
    kind: str
    label_es: str
    label_en: str
    caption_es: str  # "{a}" and "{b}" are the two actors, "{via}" the shared thing
    caption_en: str
    query: str  # SELECT ?member ?group ?fact: one row per actor in a group; ?fact is cited
    directed: bool = False


RELATIONS: tuple[Relation, ...] = (
    Relation("affiliation", "afiliación", "affiliation",
             "{a} pertenece a {b}", "{a} belongs to {b}",
             # person -> organization: the group is the organization itself (edge person-organization)
             """SELECT ?member ?group ?fact WHERE {
                 { ?fact a cps:Participation ; org:member ?member ; cps:affiliation ?group }
                 UNION { ?fact a org:Membership ; org:member ?member ; org:organization ?group .
                         ?member a foaf:Person .
                         FILTER NOT EXISTS { ?fact a cps:Participation } } }""", directed=True),
    Relation("same-organization", "misma organización", "same organization",
             "{a} y {b} pertenecen a {via}", "{a} and {b} both belong to {via}",
             """SELECT ?member ?group ?fact WHERE {
                 { ?fact a cps:Participation ; org:member ?member ; cps:affiliation ?group }
                 UNION { ?fact a org:Membership ; org:member ?member ; org:organization ?group .
                         ?member a foaf:Person . ?group a org:Organization .
                         FILTER NOT EXISTS { ?group a cps:WorkingGroup }
                         FILTER NOT EXISTS { ?fact a cps:Participation }
                         FILTER NOT EXISTS { ?fact org:organization
                             <https://w3id.org/cps-lac/id/organization/comite-redactor> } } }"""),
    Relation("same-working-group", "mismo grupo de trabajo", "same working group",
             "{a} y {b} trabajaron en {via}", "{a} and {b} worked in {via}",
             """SELECT ?member ?group ?fact WHERE {
                 ?fact a cps:Participation ; org:member ?member ; org:organization ?group }"""),
    Relation("co-presenters", "copresentadores", "co-presenters",
             "{a} y {b} presentaron juntos {via}", "{a} and {b} presented {via} together",
             """SELECT ?member ?group ?fact WHERE {
                 ?group a cps:Presentation ; cps:presenter ?member . BIND(?group AS ?fact) }"""),
    Relation("drafting-committee", "comité redactor", "drafting committee",
             "{a} y {b} redactaron juntos la Recomendación", "{a} and {b} drafted the Recommendation together",
             """SELECT ?member ?group ?fact WHERE {
                 ?fact org:organization ?group ; org:member ?member .
                 FILTER(?group = <https://w3id.org/cps-lac/id/organization/comite-redactor>) }"""),
    Relation("steering-committee", "Comité Directivo", "Steering Committee",
             "{a} y {b} integraron el mismo Comité Directivo ({via})",
             "{a} and {b} sat on the same Steering Committee ({via})",
             """SELECT ?member ?group ?fact WHERE {
                 ?fact a cps:SteeringCommitteeSeat ; org:member ?member ; cps:electedAt ?group }"""),
    Relation("same-task-force", "mismo grupo de Marrakech", "same task force",
             "{a} y {b} participan en {via}", "{a} and {b} take part in {via}",
             """SELECT ?member ?group ?fact WHERE {
                 ?group a cps:TaskForce . { ?group cps:ledBy ?member } UNION { ?group org:hasMember ?member }
                 BIND(?group AS ?fact) }"""),
    Relation("co-responsible", "corresponsables", "co-responsible",
             "{a} y {b} son responsables de {via}", "{a} and {b} are responsible for {via}",
             """SELECT ?member ?group ?fact WHERE {
                 ?group a cps:Activity ; cps:responsible ?member . ?member a org:Organization .
                 BIND(?group AS ?fact) }"""),
    Relation("same-subregion-agency", "agencias de la misma subregión", "agencies of the same subregion",
             "{a} y {b} se nombran como agencias que trabajan en la subregión ({via})",
             "{a} and {b} are named as agencies working in the subregion ({via})",
             """SELECT ?member ?group ?fact WHERE {
                 ?group a cps:Answer ; cps:question ?q ; schema:mentions ?member . ?q schema:position 1 .
                 ?member a org:Organization . BIND(?group AS ?fact) }"""),
)
KINDS = {r.kind: r for r in RELATIONS}

PARENTS = """SELECT ?child ?parent WHERE { ?child org:subOrganizationOf ?parent }"""
CITATIONS = """SELECT ?fact ?locator WHERE { ?fact prov:wasDerivedFrom ?p . ?p bibo:locator ?locator }"""
LABELS = """SELECT ?node ?label ?lang ?kind WHERE {
    { ?node a foaf:Person . BIND("person" AS ?kind) } UNION
    { ?node a org:Organization . BIND("organization" AS ?kind) } UNION
    { ?node a cps:Presentation . BIND("presentation" AS ?kind) } UNION
    { ?node a cps:Meeting . BIND("meeting" AS ?kind) } UNION
    { ?node a cps:Activity . BIND("activity" AS ?kind) } UNION
    { ?node a cps:Answer . BIND("answer" AS ?kind) }
    ?node rdfs:label ?label BIND(LANG(?label) AS ?lang) }"""

# What the exports and the drawing say about each actor (NODE_ATTRIBUTES), read from the statements about it.
# A person's country, sector and role are those of their Anexo III entries; a person the report names elsewhere
# takes the country and sector of the organizations they belong to.
STATED = """SELECT ?member ?country ?sector ?role WHERE {
    { ?fact a cps:Participation ; org:member ?member .
      OPTIONAL { ?fact cps:country ?country } OPTIONAL { ?fact cps:listedAs ?sector } OPTIONAL { ?fact org:role ?role } }
    UNION { ?fact org:member ?member ; org:role ?role . FILTER NOT EXISTS { ?fact a cps:Participation } }
    UNION { ?member a org:Organization . { ?member cps:country ?country } UNION { ?member org:classification ?sector } } }"""
SUBREGIONS = """SELECT ?place ?subregion WHERE { ?place cps:subregion ?subregion }"""
TERMS = """SELECT ?node ?label ?lang WHERE {
    { ?node a schema:Country } UNION { ?node a cps:Subregion } UNION { ?node a skos:Concept }
    ?node rdfs:label ?label BIND(LANG(?label) AS ?lang) }"""
# The attributes of an actor in every export, in this order; each value is the labels of what the graph states,
# "; "-joined (empty when it states nothing), and `degree` the number of actors it is linked to in the whole network.
NODE_ATTRIBUTES = ("kind", "country", "subregion", "sector", "organization", "working_group", "role", "degree")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two actors are linked: made on demand from the edge's key (`Network.evidence`), not stored on
    the ~380k edges of a million-triple graph (that took ~400 MiB of the server's memory)."""
    kind: str
    via: str                     # the shared thing (organization, group, presentation, ...)
    facts: tuple[str, ...]       # the n-ary nodes stating each side
    locators: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": self.kind, "via": self.via, "facts": list(self.facts), "passages": list(self.locators)}


@dataclass
class Neighbourhood:
    """The actors a network view shows: the seeds (the focus, or a group's members), then those within
    `depth` steps of them over the chosen edge kinds, at most `limit` besides the seeds (None: no cap). At each
    step the actors with the most pieces of evidence linking them to the step before come first (ties: by
    IRI). `left_out` counts, by kind of actor, those reached but not shown; when the cap stopped the walk
    before `depth` steps, `at_least` is True: actors further out were not counted."""
    seeds: list[str]
    steps: dict[str, int]                  # shown actor -> steps from the nearest seed (seeds: 0)
    kinds: frozenset[str] | None = None
    skip_via: str | None = None            # leave out the edges that go through this shared thing
    limit: int | None = None
    left_out: dict[str, int] = field(default_factory=dict)
    at_least: bool = False

    @property
    def capped(self) -> bool:
        return bool(self.left_out) or self.at_least

    def allows(self, key: str) -> bool:
        kind, _, via = key.partition("|")
        return (self.kinds is None or kind in self.kinds) and via != self.skip_via


class Network:
    """The whole actor network, built once from a store and queried many times."""

    def __init__(self, select):
        self.graph = nx.MultiGraph()
        self.labels: dict[str, dict[str, str]] = {}
        self.node_kind: dict[str, str] = {}
        self.parents: dict[str, set[str]] = {}
        self._members: dict[str, set[str]] = {}  # group -> the actors its edges link (an index for interlocks)
        for row in select(PREFIXES + PARENTS):
            self.parents.setdefault(row["child"], set()).add(row["parent"])
        self._citations: dict[str, set[str]] = {}  # fact -> the report's locators it cites
        for row in select(PREFIXES + CITATIONS):
            self._citations.setdefault(row["fact"], set()).add(row["locator"])
        # (relation kind, group) -> member -> the facts stating the membership: each edge's evidence
        self._facts: dict[tuple[str, str], dict[str, set[str]]] = {}
        self._group_passages: dict[tuple[str, str], tuple[str, ...]] = {}   # see group_passages
        for row in select(PREFIXES + LABELS):
            lang = row.get("lang") or ""
            self.labels.setdefault(row["node"], {})[lang] = row["label"]
            self.node_kind.setdefault(row["node"], row["kind"])
        for row in select(PREFIXES + TERMS):
            self.labels.setdefault(row["node"], {})[row.get("lang") or ""] = row["label"]
        # actor -> attribute -> the IRIs stated (country, sector, role); place -> its subregions
        self._stated: dict[str, dict[str, set[str]]] = {}
        for row in select(PREFIXES + STATED):
            mine = self._stated.setdefault(row["member"], {})
            for name in ("country", "sector", "role"):
                if row.get(name):
                    mine.setdefault(name, set()).add(row[name])
        self._subregions: dict[str, set[str]] = {}
        for row in select(PREFIXES + SUBREGIONS):
            self._subregions.setdefault(row["place"], set()).add(row["subregion"])
        self._joined: dict[str, dict[str, set[str]]] = {}  # actor -> kind -> its organizations, working groups
        for relation in RELATIONS:
            members: dict[str, dict[str, set[str]]] = {}
            for row in select(PREFIXES + relation.query):
                members.setdefault(row["group"], {}).setdefault(row["member"], set()).add(row["fact"])
            for group, actors in members.items():
                self._facts[(relation.kind, group)] = actors
                if relation.kind in ("affiliation", "same-working-group"):
                    for actor in actors:
                        self._joined.setdefault(actor, {}).setdefault(relation.kind, set()).add(group)
                if relation.directed:
                    pairs = [(actor, group) for actor in actors]
                else:
                    pairs = list(itertools.combinations(sorted(actors), 2))
                key = f"{relation.kind}|{group}"  # one string for all the group's edges
                for a, b in pairs:
                    self.graph.add_edge(a, b, key=key)
                    self._members.setdefault(group, set()).update({a, b} - {group})
        # One edge per linked pair, for shortest paths; built here once, not per query. Its nodes and edges
        # come in the order nx.Graph(self.graph) gives, so the paths come in the same order as from that.
        self.pairs = nx.Graph()
        self.pairs.add_nodes_from(self.graph)
        self.pairs.add_edges_from(self.graph.edges(keys=False))

    # -- lookups --------------------------------------------------------------------------------

    def label(self, node: str, lang: str = "en") -> str:
        labels = self.labels.get(node, {})
        return labels.get(lang) or labels.get("") or labels.get("es") or labels.get("en") or node

    def evidence(self, a: str, b: str, key: str) -> Evidence:
        """The evidence of the edge `key` ("kind|group") between actors a and b: the facts stating that each
        belongs to the group (and the group itself, for a directed relation) and the passages they cite."""
        kind, group = key.split("|", 1)
        actors = self._facts[(kind, group)]
        facts = actors.get(a, set()) | actors.get(b, set()) | ({group} if KINDS[kind].directed else set())
        ordered = tuple(sorted(facts))
        locators = tuple(sorted({loc for f in (*ordered, group) for loc in self._citations.get(f, ())}))
        return Evidence(kind, group, ordered, locators)

    def group_evidence(self, kind: str, group: str) -> tuple[list[str], list[str], list[str]]:
        """(members, facts, passages) of a shared thing over the whole network: every actor the relation `kind`
        puts in `group`, the facts stating each membership (and the group itself, for a directed relation) and
        the passages they and the group cite, each sorted. Raises KeyError for a (kind, group) it does not hold."""
        actors = self._facts[(kind, group)]
        facts = set().union(*actors.values()) | ({group} if KINDS[kind].directed else set())
        return sorted(actors), sorted(facts), list(self.group_passages(kind, group))

    def group_passages(self, kind: str, group: str) -> tuple[str, ...]:
        """The passages of `group_evidence`, sorted; kept once asked for (an index of the release, not of a
        view: the network page's rows ask for the same groups again and again)."""
        key = (kind, group)
        found = self._group_passages.get(key)
        if found is None:
            facts = set().union(*self._facts[key].values())
            found = tuple(sorted({loc for f in (*facts, group) for loc in self._citations.get(f, ())}))
            self._group_passages[key] = found
        return found

    def attributes(self, node: str) -> dict[str, set[str] | str | int]:
        """What NODE_ATTRIBUTES says of an actor, as IRIs (kind: "person" or "organization"; degree: a count).
        A person's organizations are those they belong to; an organization's, those it is part of."""
        stated, joined = self._stated.get(node, {}), self._joined.get(node, {})
        kind = self.node_kind.get(node, "")
        organizations = set(joined.get("affiliation", ())) if kind == "person" else set(self.parents.get(node, ()))
        countries, sectors = set(stated.get("country", ())), set(stated.get("sector", ()))
        for organization in organizations if kind == "person" else ():   # a person named outside Anexo III
            theirs = self._stated.get(organization, {})
            countries |= theirs.get("country", set()) if not stated.get("country") else set()
            sectors |= theirs.get("sector", set()) if not stated.get("sector") else set()
        groups = set(joined.get("same-working-group", ()))
        subregions = {s for place in (countries or groups) for s in self._subregions.get(place, ())}
        return {"kind": kind, "country": countries, "subregion": subregions, "sector": sectors,
                "organization": organizations, "working_group": groups, "role": set(stated.get("role", ())),
                "degree": len(self.graph.adj[node]) - (node in self.graph.adj[node]) if node in self.graph else 0}

    def described(self, node: str, lang: str = "en") -> dict[str, str | int]:
        """NODE_ATTRIBUTES of an actor in words: each set of IRIs as its labels, A-Z, "; "-joined."""
        found = self.attributes(node)
        return {name: value if not isinstance(value, set)
                else "; ".join(sorted((self.label(v, lang) for v in value), key=str.casefold))
                for name, value in found.items()}

    def groups(self) -> dict[str, set[str]]:
        """Every shared thing (organization, working group, presentation, ...) and the actors it links."""
        return self._members

    def _view(self, kinds: set[str] | None) -> nx.MultiGraph:
        if not kinds:
            return self.graph
        return nx.subgraph_view(self.graph, filter_edge=lambda a, b, k: k.split("|", 1)[0] in kinds)

    # -- queries --------------------------------------------------------------------------------

    def neighbourhood(self, seeds: list[str], depth: int = 1, kinds: set[str] | None = None,
                      limit: int | None = None, skip_via: str | None = None) -> Neighbourhood:
        """The actors a view around `seeds` shows (see Neighbourhood). The cap is applied while walking out
        from the seeds, so the cost grows with the actors shown, not with the neighbours of a hub.
        Raises KeyError for a seed that is not in the network."""
        for seed in seeds:
            if seed not in self.graph:
                raise KeyError(seed)
        hood = Neighbourhood(list(seeds), {seed: 0 for seed in seeds}, frozenset(kinds) if kinds else None,
                             skip_via, limit)
        plain = hood.kinds is None and skip_via is None
        adjacency = self.graph.adj
        frontier, room = list(seeds), limit
        for step in range(1, depth + 1):
            if not frontier:
                break
            if room == 0:
                hood.at_least = True
                break
            score: dict[str, int] = {}
            for actor in frontier:
                for other, keys in adjacency[actor].items():
                    if other in hood.steps:
                        continue
                    found = len(keys) if plain else sum(1 for key in keys if hood.allows(key))
                    if found:
                        score[other] = score.get(other, 0) + found
            ranked = sorted(score, key=lambda n: (-score[n], n))
            shown, rest = (ranked, []) if room is None else (ranked[:room], ranked[room:])
            for other in shown:
                hood.steps[other] = step
            for other in rest:
                kind = self.node_kind.get(other, "")
                hood.left_out[kind] = hood.left_out.get(kind, 0) + 1
            if room is not None:
                room -= len(shown)
            frontier = shown
        return hood

    def edges_among(self, hood: Neighbourhood) -> list[tuple[str, str, Evidence]]:
        """Every edge between two actors the neighbourhood shows (over its kinds), as (source, target,
        evidence) in a stable order; a directed relation goes from the actor to the shared thing."""
        return [(a, b, self.evidence(a, b, f"{kind}|{via}")) for a, b, kind, via in self.links_among(hood)]

    def links_among(self, hood: Neighbourhood) -> list[tuple[str, str, str, str]]:
        """The edges of `edges_among`, in its order, as (source, target, kind, shared thing) without their
        evidence (making it is most of the cost; a page makes it only for the rows it shows)."""
        adjacency, shown, done = self.graph.adj, hood.steps, set()
        found = []
        for actor in shown:
            mine = adjacency[actor]
            for other in (shown if len(shown) < len(mine) else mine):
                if other in done or other == actor or other not in mine or other not in shown:
                    continue
                for key in mine[other]:
                    if hood.allows(key):
                        kind, via = key.split("|", 1)
                        if KINDS[kind].directed:
                            found.append((other, actor, kind, via) if actor == via else (actor, other, kind, via))
                        else:
                            found.append((actor, other, kind, via) if actor <= other else (other, actor, kind, via))
            done.add(actor)
        found.sort()
        return found

    def subgraph(self, hood: Neighbourhood) -> nx.MultiGraph:
        sub = nx.MultiGraph()
        sub.add_nodes_from(sorted(hood.steps))
        for a, b, ev in self.edges_among(hood):
            sub.add_edge(a, b, key=f"{ev.kind}|{ev.via}", evidence=ev)
        return sub

    def ego(self, node: str, depth: int = 1, kinds: set[str] | None = None, limit: int | None = None) -> nx.MultiGraph:
        """The actors within `depth` hops of `node` (over the given edge kinds, at most `limit` besides it)
        and the edges among them. Raises KeyError when the node is not in the network."""
        return self.subgraph(self.neighbourhood([node], depth, kinds, limit))

    def paths(self, a: str, b: str, kinds: set[str] | None = None, limit: int = 10) -> list[list[dict]]:
        """Shortest paths between two actors, each hop with every piece of evidence linking the pair.
        Raises KeyError for an unknown actor; returns [] when they are not connected."""
        view = self._view(kinds)
        for node in (a, b):
            if node not in view:
                raise KeyError(node)
        simple = self.pairs if not kinds else nx.subgraph_view(
            self.pairs, filter_edge=lambda x, y: any(k.split("|", 1)[0] in kinds for k in self.graph.adj[x][y]))
        try:
            hops = len(nx.bidirectional_shortest_path(simple, a, b)) - 1
        except nx.NetworkXNoPath:
            return []
        # Every shortest path, in the order nx.all_shortest_paths gives, without walking past their length.
        found = list(itertools.islice(_back(nx.predecessor(simple, a, cutoff=hops), b, a), limit))
        return [[{"from": x, "to": y, "evidence": [self.evidence(x, y, key).to_dict()
                                                    for key in view.get_edge_data(x, y)]}
                 for x, y in zip(path, path[1:])] for path in found]

    def interlocks(self, node: str) -> list[dict]:
        """For an organization or task force: the other organizations its people belong to.
        For a person: the others who share two or more of their groups."""
        if self.node_kind.get(node) == "person":
            mine = self._groups_of(node)
            counts: dict[str, set[str]] = {}
            for group in mine:
                for other in self._members_of(group):
                    if other != node:
                        counts.setdefault(other, set()).add(group)
            return sorted(({"actor": o, "shared": sorted(g)} for o, g in counts.items() if len(g) >= 2),
                          key=lambda r: (-len(r["shared"]), r["actor"]))
        family = {node} | self._descendants(node)
        people = {p for unit in family for p in self._members_of(unit) if self.node_kind.get(p) == "person"}
        others: dict[str, set[str]] = {}
        for person in people:
            for group in self._groups_of(person):
                if group not in family and self.node_kind.get(group) == "organization":
                    others.setdefault(group, set()).add(person)
        return sorted(({"organization": o, "through": sorted(p)} for o, p in others.items()),
                      key=lambda r: (-len(r["through"]), r["organization"]))

    def _descendants(self, node: str) -> set[str]:
        children = {c for c, parents in self.parents.items() if node in parents}
        found = set(children)
        for child in children:
            found |= self._descendants(child)
        return found

    def _groups_of(self, node: str) -> set[str]:
        if node not in self.graph:
            return set()
        return {key.split("|", 1)[1] for _, _, key in self.graph.edges(node, keys=True)}

    def _members_of(self, group: str) -> set[str]:
        return self._members.get(group, set())

    # -- exports: of a subgraph (ego) or of what a Neighbourhood shows ------------------------------

    def _nodes_edges(self, sub) -> tuple[list[str], list[tuple[str, str, Evidence]]]:
        if isinstance(sub, Neighbourhood):
            return sorted(sub.steps), self.edges_among(sub)
        edges = [_oriented(a, b, d["evidence"]) for a, b, d in sub.edges(data=True)]
        return sorted(sub.nodes), sorted(edges, key=lambda e: (e[0], e[1], e[2].kind, e[2].via))

    def node_dict(self, node: str, lang: str = "en") -> dict:
        return {"id": node, "label": self.label(node, lang), **self.described(node, lang)}

    def edge_dict(self, a: str, b: str, ev: Evidence, lang: str = "en") -> dict:
        return {"source": a, "target": b, "kind": ev.kind, "label": _relation_label(ev.kind, lang),
                "caption": _caption(self, a, b, ev, lang), "weight": weight(ev), **ev.to_dict()}

    def to_json(self, sub, lang: str = "en") -> dict:
        nodes, edges = self._nodes_edges(sub)
        return {"nodes": [self.node_dict(n, lang) for n in nodes],
                "edges": [self.edge_dict(a, b, ev, lang) for a, b, ev in edges],
                "relations": relations(lang)}

    def csv_lines(self, sub, lang: str = "en") -> Iterator[str]:
        """The edge list as CSV, one line at a time (a hub's whole network can be large: stream it). Its
        source, target, type, label and weight columns are those a spreadsheet import (Gephi's) reads."""
        yield from _csv_rows(EDGE_COLUMNS, (self._edge_row(a, b, ev, lang) for a, b, ev in self._nodes_edges(sub)[1]))

    def node_csv_lines(self, sub, lang: str = "en") -> Iterator[str]:
        """The node list as CSV (id, label, then NODE_ATTRIBUTES), one line at a time."""
        yield from _csv_rows(("id", "label", *NODE_ATTRIBUTES),
                             ((n, self.label(n, lang), *self.described(n, lang).values()) for n in self._nodes_edges(sub)[0]))

    def _edge_row(self, a: str, b: str, ev: Evidence, lang: str) -> tuple:
        return (a, self.label(a, lang), b, self.label(b, lang), ev.kind, ev.via, "; ".join(ev.locators),
                "Directed" if KINDS[ev.kind].directed else "Undirected", _relation_label(ev.kind, lang),
                self.label(ev.via, lang), weight(ev))

    def to_csv(self, sub, lang: str = "en") -> str:
        return "".join(self.csv_lines(sub, lang))

    def flat(self, sub, lang: str = "en") -> nx.MultiGraph:
        """The view as a plain graph for the file formats of graph tools: nodes with their label and
        NODE_ATTRIBUTES, edges with their kind, its label, the shared thing, the passages and a weight (the number
        of passages: see `weight`). No internal attribute (facts, evidence objects) goes in."""
        nodes, edges = self._nodes_edges(sub)
        flat = nx.MultiGraph()
        for node in nodes:
            flat.add_node(node, label=self.label(node, lang), **self.described(node, lang))
        for a, b, ev in edges:
            flat.add_edge(a, b, kind=ev.kind, label=_relation_label(ev.kind, lang), via=ev.via,
                          via_label=self.label(ev.via, lang), passages="; ".join(ev.locators), weight=weight(ev))
        return flat

    def to_gexf(self, sub, lang: str = "en") -> str:
        return "\n".join(nx.generate_gexf(self.flat(sub, lang))) + "\n"

    def to_graphml(self, sub, lang: str = "en") -> str:
        return "\n".join(nx.generate_graphml(self.flat(sub, lang))) + "\n"


EDGE_COLUMNS = ("source", "source_label", "target", "target_label", "kind", "via", "passages", "type", "label",
                "via_label", "weight")


def weight(ev: Evidence) -> int:
    """An edge's weight in the exports and the drawing: how many of the report's passages state it (at least 1)."""
    return max(1, len(ev.locators))


def _csv_rows(header: tuple[str, ...], rows: Iterator[tuple]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in itertools.chain([header], rows):
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        yield out.getvalue()


def relations(lang: str) -> list[dict]:
    return [{"kind": r.kind, "label": r.label_es if lang == "es" else r.label_en, "directed": r.directed}
            for r in RELATIONS]


def _oriented(a: str, b: str, ev: Evidence) -> tuple[str, str, Evidence]:
    """A directed relation (affiliation) from the actor to the shared thing; any other pair in IRI order."""
    if KINDS[ev.kind].directed:
        return (b, a, ev) if a == ev.via else (a, b, ev)
    return (a, b, ev) if a <= b else (b, a, ev)


def _back(pred: dict[str, list[str]], node: str, source: str) -> Iterator[list[str]]:
    """The paths from `source` to `node` through a breadth-first search's predecessors, depth first, in the
    order of each node's predecessors (networkx's own order for all_shortest_paths)."""
    if node == source:
        yield [node]
        return
    for before in pred[node]:
        for path in _back(pred, before, source):
            yield path + [node]


def _relation_label(kind: str, lang: str) -> str:
    relation = KINDS[kind]
    return relation.label_es if lang == "es" else relation.label_en


def _caption(net: Network, a: str, b: str, ev: Evidence, lang: str) -> str:
    relation = KINDS[ev.kind]
    template = relation.caption_es if lang == "es" else relation.caption_en
    return template.format(a=net.label(a, lang), b=net.label(b, lang), via=net.label(ev.via, lang))


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
