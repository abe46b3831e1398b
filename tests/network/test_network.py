"""Who works with whom, checked against the report: each edge's kind and evidence."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from cpsgraph.network import KINDS, Network

ID = "https://w3id.org/cps-lac/id/"


@pytest.fixture(scope="module")
def network(release) -> Network:
    store = ox.Store()
    store.load(path=str(release / "public" / "cps-lac.trig"), format=ox.RdfFormat.TRIG)

    def select(query):
        result = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]

    return Network(select)


def kinds_between(network, a, b):
    return {key.split("|", 1)[0] for key in (network.graph.get_edge_data(ID + a, ID + b) or {})}


def test_co_presenters(network):
    # §37: Elisa Tonda presented jointly with César Barahona; §45: Giselle Beja and Graciela Rossi.
    assert "co-presenters" in kinds_between(network, "person/elisa-tonda", "person/cesar-barahona")
    assert "co-presenters" in kinds_between(network, "person/giselle-beja", "person/graciela-rossi")


def test_drafting_committee_links_all_five_drafters(network):
    # Anexo I: Terry, Ramírez, Suárez, Krieger Merico, Beláustegui -> 10 pairs.
    edges = [(a, b) for a, b, key in network.graph.edges(keys=True) if key.startswith("drafting-committee|")]
    assert len(edges) == 10


def test_steering_committee_links_governments_of_one_term(network):
    # §60a: Panamá titular and República Dominicana alterno on the committee elected at this meeting.
    assert "steering-committee" in kinds_between(network, "organization/gobierno-pa", "organization/gobierno-do")


def test_every_edge_has_a_known_kind_and_a_cited_passage(network):
    for a, b, key in network.graph.edges(keys=True):
        evidence = network.evidence(a, b, key)
        assert evidence.kind in KINDS and f"{evidence.kind}|{evidence.via}" == key
        assert evidence.facts and evidence.locators, (a, b, evidence)


def test_path_between_two_actors_with_evidence_for_every_hop(network):
    # Scavone (Anexo III #18) and Krieger Merico (#20) are both in Grupo 4 Cono Sur; Krieger Merico and
    # Carmen Terry both sat on the drafting committee (Anexo I). No direct link between Scavone and Terry.
    paths = network.paths(ID + "person/graciela-scavone", ID + "person/carmen-terry")
    assert paths and all(len(path) == 2 for path in paths)
    via = [[e["kind"] for e in hop["evidence"]] for hop in paths[0]]
    hops = [(hop["from"], hop["to"]) for hop in paths[0]]
    assert any(ID + "person/luiz-fernando-krieger-merico" in pair for pair in hops)
    assert "same-working-group" in via[0] and "drafting-committee" in via[1]
    locators = {loc for hop in paths[0] for e in hop["evidence"] for loc in e["passages"]}
    assert {"Anexo III #18", "Anexo III #20"} <= locators


def test_unknown_actor_is_a_key_error(network):
    with pytest.raises(KeyError):
        network.paths(ID + "person/nobody", ID + "person/carmen-terry")


def test_edge_kind_filter_and_depth(network):
    only = network.ego(ID + "person/elisa-tonda", depth=1, kinds={"co-presenters"})
    assert set(only.nodes) == {ID + "person/elisa-tonda", ID + "person/cesar-barahona"}
    wider = network.ego(ID + "person/elisa-tonda", depth=2)
    assert wider.number_of_nodes() > only.number_of_nodes()


def test_interlocks_of_a_person_share_two_groups(network):
    # Luciano Ramírez (Mesoamerica group, Anexo III #15) and Carmen Terry (Cuba, Mesoamerica group #9) also
    # sat together on the drafting committee (Anexo I).
    others = {row["actor"]: row["shared"] for row in network.interlocks(ID + "person/luciano-ramirez")}
    assert ID + "person/carmen-terry" in others
    assert all(len(shared) >= 2 for shared in others.values())


def test_interlocks_of_an_organization_include_its_units_people(network):
    # UNEP's people are listed under its units (ORPALC, DTIE, the Brazil office: Anexo III #80-85).
    rows = network.interlocks(ID + "organization/pnuma")
    assert rows, "UNEP's staff belong to other groups (drafting committee, working group)"
    assert all(not row["organization"].endswith(("pnuma-orpalc", "pnuma-dtie")) for row in rows)


def test_exports_json_csv_gexf(network):
    sub = network.ego(ID + "person/elisa-tonda", depth=1)
    data = network.to_json(sub, "es")
    json.dumps(data)
    assert {n["id"] for n in data["nodes"]} == set(sub.nodes)
    assert any(e["label"] == "copresentadores" for e in data["edges"])
    assert network.to_csv(sub).splitlines()[0].startswith("source,source_label,target")
    root = ET.fromstring(network.to_gexf(sub))
    assert len(root.findall(".//{http://www.gexf.net/1.2draft}node")) == sub.number_of_nodes()


# --- Exports for graph tools (issue 15): read back with networkx's GEXF and GraphML readers, as Gephi reads them ---

def test_gexf_and_graphml_carry_named_node_and_edge_attributes(network, tmp_path):
    import networkx as nx

    from cpsgraph.network import NODE_ATTRIBUTES

    sub = network.ego(ID + "person/graciela-scavone", depth=1)
    for name, text in (("gexf", network.to_gexf(sub, "en")), ("graphml", network.to_graphml(sub, "en"))):
        path = tmp_path / f"scavone.{name}"
        path.write_text(text, encoding="utf-8")
        read = nx.read_gexf(path) if name == "gexf" else nx.read_graphml(path)
        assert set(read.nodes) == set(sub.nodes) and read.number_of_edges() == sub.number_of_edges()
        scavone = read.nodes[ID + "person/graciela-scavone"]
        # Anexo III #18: Argentina, government, SCP focal point, Group 4 Southern Cone
        assert scavone["country"] == "Argentina" and scavone["kind"] == "person"
        assert scavone["sector"] == "Government" and scavone["role"] == "SCP focal point"
        assert "Southern Cone" in scavone["working_group"] and scavone["subregion"]
        assert int(scavone["degree"]) == len(network.graph.adj[ID + "person/graciela-scavone"])
        assert set(NODE_ATTRIBUTES) <= set(scavone)
        for _, _, data in read.edges(data=True):
            assert {"kind", "via", "via_label", "passages", "weight"} <= set(data), data
            assert data["kind"] in KINDS and float(data["weight"]) == len(data["passages"].split("; "))
            assert not {"evidence", "facts"} & set(data)       # nothing internal
        labels = {data["label"] for _, _, data in read.edges(data=True)}
        assert "same working group" in labels


def test_an_organization_has_its_country_sector_and_parent(network):
    unep = network.described(ID + "organization/pnuma", "en")
    assert unep["kind"] == "organization" and unep["country"] == ""       # an international body
    assert unep["organization"] == network.label(ID + "organization/onu", "en")   # part of the UN
    assert unep["sector"] == network.label(ID + "sector/agencia-internacional", "en")


def test_the_csv_node_list_has_every_node_and_its_attributes(network):
    import csv
    import io

    from cpsgraph.network import NODE_ATTRIBUTES

    sub = network.ego(ID + "person/giselle-beja", depth=1)
    rows = list(csv.DictReader(io.StringIO("".join(network.node_csv_lines(sub, "es")))))
    assert [r["id"] for r in rows] == sorted(sub.nodes)
    assert list(rows[0]) == ["id", "label", *NODE_ATTRIBUTES]
    beja = next(r for r in rows if r["id"] == ID + "person/giselle-beja")
    assert beja["country"] == "Uruguay" and beja["label"].startswith("Giselle Beja")
    edges = list(csv.DictReader(io.StringIO(network.to_csv(sub, "es"))))
    assert {"source", "target", "type", "label", "weight"} <= set(edges[0])
    assert {e["type"] for e in edges} <= {"Directed", "Undirected"}
    assert all(e["type"] == "Directed" for e in edges if e["kind"] == "affiliation")


# --- Capped views (issue 7: the network page of a hub at 1M triples) -----------------------------------------

def most_connected(network):
    return max(network.graph.nodes, key=lambda n: (len(network.graph.adj[n]), n))


def whole_ego(network, node, depth, kinds=None):
    """The depth-`depth` ego network as networkx computes it: the reference for the walk."""
    import networkx as nx

    view = network._view(kinds)
    return view.subgraph(nx.single_source_shortest_path_length(view, node, cutoff=depth))


def edge_keys(graph):
    return sorted((*sorted((a, b)), *key.split("|", 1)) for a, b, key in graph.edges(keys=True))


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("kinds", [None, {"same-working-group", "co-presenters"}])
def test_an_uncapped_neighbourhood_is_the_whole_ego_network(network, depth, kinds):
    for node in (ID + "person/graciela-scavone", ID + "organization/pnuma", most_connected(network)):
        expected = whole_ego(network, node, depth, kinds)
        found = network.ego(node, depth, kinds)
        assert set(found.nodes) == set(expected.nodes) and edge_keys(found) == edge_keys(expected)


def test_a_capped_neighbourhood_keeps_the_neighbours_with_the_most_evidence(network):
    hub = most_connected(network)
    evidence = {other: len(keys) for other, keys in network.graph.adj[hub].items()}
    hood = network.neighbourhood([hub], 1, limit=5)
    shown = set(hood.steps) - {hub}
    assert len(shown) == 5 and hood.capped and not hood.at_least
    assert min(evidence[n] for n in shown) >= max(evidence[n] for n in set(evidence) - shown)
    assert sum(hood.left_out.values()) == len(evidence) - 5
    assert set(hood.left_out) <= {"person", "organization"}
    # every edge among the shown actors, with its evidence, and no other
    expected = whole_ego(network, hub, 1).subgraph(hood.steps)
    assert edge_keys(network.subgraph(hood)) == edge_keys(expected)


def test_a_cap_reached_before_the_last_step_says_the_count_is_a_lower_bound(network):
    hub = most_connected(network)
    hood = network.neighbourhood([hub], 2, limit=3)
    assert len(hood.steps) == 4 and hood.at_least
    assert not network.neighbourhood([hub], 2).capped


def test_affiliation_edges_go_from_the_person_to_the_organization(network):
    """Regression: the exports took each edge's direction from the subgraph's node order (a set's, so it changed
    from one start of the server to the next), and half the affiliations read "<organization> belongs to <person>"."""
    sub = network.ego(ID + "person/carmen-terry", depth=1)
    affiliations = [e for e in network.to_json(sub)["edges"] if e["kind"] == "affiliation"]
    assert affiliations
    for edge in affiliations:
        assert edge["target"] == edge["via"] and network.node_kind[edge["source"]] == "person"
        assert edge["caption"].startswith(network.label(edge["source"]))


def test_paths_come_as_networkx_gives_them_from_a_simple_graph(network):
    """`paths` no longer converts the network on every call; the paths and their order are those of
    nx.all_shortest_paths on the converted graph."""
    import itertools

    import networkx as nx

    people = sorted(n for n in network.graph.nodes if network.node_kind.get(n) == "person")[::7]
    for kinds in (None, {"same-working-group", "drafting-committee"}):
        simple = nx.Graph(network._view(kinds))
        for a, b in itertools.islice(itertools.permutations(people, 2), 300):
            try:
                expected = list(itertools.islice(nx.all_shortest_paths(simple, a, b), 10))
            except nx.NetworkXNoPath:
                expected = []
            found = [[hop["from"] for hop in path] + [path[-1]["to"]] for path in network.paths(a, b, kinds)]
            assert found == expected, (a, b, kinds)


def test_links_among_are_the_edges_without_their_evidence(network):
    """The network page makes evidence only for the rows it shows: its links must be the edges, in their order."""
    hub = most_connected(network)
    hood = network.neighbourhood([hub], 2)
    links = network.links_among(hood)
    assert links == sorted(links)
    assert sorted((*sorted((a, b)), kind, via) for a, b, kind, via in links) == edge_keys(whole_ego(network, hub, 2))
    assert [(a, b, ev.kind, ev.via) for a, b, ev in network.edges_among(hood)] == links
    directed = [(a, b, kind, via) for a, b, kind, via in network.links_among(hood) if kind == "affiliation"]
    assert directed and all(b == via != a for a, b, kind, via in directed)
