"""Who works with whom through the web: an actor's network and a group's as JSON, CSV and GEXF (parsed back),
filters by kind and depth, the accessible table, shortest paths with evidence per hop, interlocks."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from browser_helpers import ID, Page, app_config, page_of
from rdflib import URIRef

from cpsgraph.network import KINDS
from cpsgraph.web.httpcache import forget

SCAVONE, KRIEGER, TERRY = ID + "person/graciela-scavone", ID + "person/luiz-fernando-krieger-merico", ID + "person/carmen-terry"
BEJA, ROSSI = ID + "person/giselle-beja", ID + "person/graciela-rossi"


def network(client, path, **args):
    response = client.get(f"/network/{path}.json", query_string=args)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def pairs(data, kind=None):
    return {frozenset((e["source"], e["target"])) for e in data["edges"] if kind in (None, e["kind"])}


def test_an_actors_network_with_evidence_on_every_edge(client):
    data = network(client, "person/graciela-scavone")
    assert data["focus"] == SCAVONE
    assert frozenset((SCAVONE, KRIEGER)) in pairs(data, "same-working-group")   # both in Grupo 4 (Anexo III)
    for edge in data["edges"]:
        assert edge["kind"] in KINDS and edge["passages"] and edge["caption"]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[SCAVONE]["focus"] and nodes[KRIEGER]["href"] == "/page/person/luiz-fernando-krieger-merico"


def test_kind_and_depth_filters(client):
    only = network(client, "person/giselle-beja", kind="co-presenters")
    assert {e["kind"] for e in only["edges"]} == {"co-presenters"}
    assert frozenset((BEJA, ROSSI)) in pairs(only)                   # §45: they presented together
    near = network(client, "person/graciela-scavone", kind="same-working-group")
    far = network(client, "person/graciela-scavone", kind="same-working-group", depth=2)
    assert len(far["nodes"]) >= len(near["nodes"])
    assert network(client, "person/graciela-scavone", kind="not-a-kind")["edges"]  # unknown kinds: all kinds


def test_csv_and_gexf_hold_the_same_edges_as_json(client):
    data = network(client, "person/giselle-beja")
    rows = list(csv.DictReader(io.StringIO(client.get("/network/person/giselle-beja.csv").get_data(as_text=True))))
    assert len(rows) == len(data["edges"])
    assert {(r["source"], r["target"], r["kind"]) for r in rows} == {(e["source"], e["target"], e["kind"]) for e in data["edges"]}
    gexf = client.get("/network/person/giselle-beja.gexf")
    assert gexf.mimetype == "application/gexf+xml"
    root = ET.fromstring(gexf.data)
    namespace = root.tag[:root.tag.index("}") + 1]     # whichever GEXF version networkx writes
    assert len(root.findall(f".//{namespace}node")) == len(data["nodes"])
    assert len(root.findall(f".//{namespace}edge")) == len(data["edges"])


def test_graphml_and_the_node_list_are_served_and_read_back(client, tmp_path):
    import networkx as nx

    data = network(client, "person/giselle-beja")
    response = client.get("/network/person/giselle-beja.graphml", headers={"Accept-Language": "en"})
    assert response.mimetype == "application/graphml+xml"
    assert 'filename="network-person-giselle-beja.graphml"' in response.headers["Content-Disposition"]
    (tmp_path / "beja.graphml").write_bytes(response.data)
    read = nx.read_graphml(tmp_path / "beja.graphml")
    assert set(read.nodes) == {n["id"] for n in data["nodes"]} and read.number_of_edges() == len(data["edges"])
    nodes = client.get("/network/person/giselle-beja.nodes.csv?lang=en")
    assert nodes.mimetype == "text/csv"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(nodes.get_data(as_text=True)))}
    assert set(rows) == set(read.nodes) and rows[BEJA]["country"] == "Uruguay"
    assert {n["id"]: n["country"] for n in data["nodes"]}[BEJA] == "Uruguay"   # the JSON's nodes say the same
    page = page_of(client.get("/network/person/giselle-beja", headers={"Accept-Language": "en"}))
    assert "application/graphml+xml" in page.alternates()
    assert "for Gephi" in page.text and "network-exports" in page.ids
    links = {a.get("href") for a in page.links}
    assert {"/network/person/giselle-beja.nodes.csv", "/network/person/giselle-beja.graphml"} <= links


def test_a_working_groups_network_shows_what_else_links_its_members(client, public_graph):
    data = network(client, "working-group/cono-sur", lang="en")
    rows = public_graph.query("""PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX cps: <https://w3id.org/cps-lac/ontology#>
        SELECT ?p WHERE { ?e a cps:Participation ; org:member ?p ; org:organization ?group }""",
                              initBindings={"group": URIRef(ID + "working-group/cono-sur")})
    members = {str(row.p) for row in rows}
    assert {n["id"] for n in data["nodes"] if n["focus"]} == members and len(members) == 21
    assert all(e["via"] != ID + "working-group/cono-sur" for e in data["edges"])   # the group itself is a given
    assert frozenset((BEJA, ROSSI)) in pairs(data, "co-presenters")


def test_the_network_page_has_a_table_for_every_edge(client):
    page = page_of(client.get("/network/working-group/cono-sur", headers={"Accept-Language": "en"}))
    data = network(client, "working-group/cono-sur")
    assert "network-table" in page.ids and "network-shared" in page.ids
    graph = next(attrs for tag, attrs in page.tags if attrs.get("id") == "network-graph")
    assert graph["role"] == "img" and f"{len(data['edges'])} connections" in graph["aria-label"]
    rows = [attrs for tag, attrs in page.tags if tag == "tr"]
    shared_rows = len({(e["kind"], e["via"]) for e in data["edges"]})
    assert len(rows) == 2 + len(data["edges"]) + shared_rows   # two header rows
    assert set(page.alternates()) >= {"application/json", "text/csv", "application/gexf+xml"}


def test_shortest_paths_with_evidence_for_every_hop(client):
    response = client.get("/paths.json", query_string={"from": "person/graciela-scavone", "to": "person/carmen-terry"})
    paths = response.get_json()["paths"]
    assert paths and all(len(path) == 2 for path in paths)          # no direct link, one intermediary
    via_krieger = [p for p in paths if p[0]["to"] == KRIEGER]
    assert via_krieger
    first, second = via_krieger[0]
    assert "same-working-group" in {e["kind"] for e in first["evidence"]}
    assert "drafting-committee" in {e["kind"] for e in second["evidence"]}
    assert all(e["passages"] for hop in via_krieger[0] for e in hop["evidence"])
    page = page_of(client.get("/paths", query_string={"from": "person/graciela-scavone", "to": "person/carmen-terry",
                                                     "lang": "es"}))
    assert "Graciela Scavone y Luiz Fernando Krieger Merico trabajaron en" in page.text


def test_paths_form_and_unknown_actors(client):
    page = page_of(client.get("/paths"))
    assert {"path-from", "path-to"} <= page.ids
    assert client.get("/paths", query_string={"from": "person/nobody", "to": "person/carmen-terry"}).status_code == 404


def test_interlocks_of_a_person_and_of_an_organization(client):
    person = client.get("/interlocks/person/giselle-beja.json?lang=en").get_json()["interlocks"]
    rossi = next(row for row in person if row["actor"] == ROSSI)
    assert {ID + "organization/mercosur-sgt6", ID + "working-group/cono-sur"} <= set(rossi["shared"])
    assert rossi["label"] == "Graciela Rossi Rauchfuss" and len(rossi["shared_labels"]) == len(rossi["shared"])
    assert rossi["shared_labels"][rossi["shared"].index(ID + "working-group/cono-sur")].startswith("Group 4")
    organization = client.get("/interlocks/organization/pnuma.json").get_json()["interlocks"]
    assert ID + "working-group/empresas" in {row["organization"] for row in organization}
    group = client.get("/interlocks/working-group/cono-sur.json").get_json()["interlocks"]
    ministry = next(row for row in group if row["organization"] == ID + "organization/br-ministerio-medio-ambiente")
    assert KRIEGER in ministry["through"]                  # a group's people and their other organizations
    assert ministry["through_labels"][ministry["through"].index(KRIEGER)] == "Luiz Fernando Krieger Merico"
    page = page_of(client.get("/interlocks/person/giselle-beja", headers={"Accept-Language": "en"}))
    assert "Graciela Rossi Rauchfuss" in page.text
    assert client.get("/interlocks/person/nobody").status_code == 404


# --- Capped views (issue 7): a hub's page shows the neighbours with the most evidence and says so ---------------

HUB = "person/victoria-belaustegui"    # the most connected actor of the real graph (33 neighbours)


@pytest.fixture(scope="module")
def capped_client(build_dir):
    from cpsgraph.web import create_app
    from cpsgraph.web.stores import stores

    app = create_app(app_config(build_dir, NETWORK_MAX_NEIGHBOURS=5))
    yield app.test_client()
    stores(app).close()


def test_the_real_graphs_views_are_not_capped(client):
    data = network(client, HUB)
    assert data["cap"]["left_out"] == 0 and not data["cap"]["at_least"] and len(data["nodes"]) == 34
    assert "network-cap" not in page_of(client.get(f"/network/{HUB}")).ids


def test_a_capped_page_says_so_and_links_the_whole_network(capped_client, client):
    whole = network(client, HUB)
    data = network(capped_client, HUB)
    assert len(data["nodes"]) == 6 and data["cap"] == {"limit": 5, "shown": 5, "left_out": 28,
                                                        "left_out_by_kind": data["cap"]["left_out_by_kind"],
                                                        "at_least": False}
    assert sum(data["cap"]["left_out_by_kind"].values()) == 28
    shown = {n["id"] for n in data["nodes"]}
    assert [e for e in whole["edges"] if {e["source"], e["target"]} <= shown] == data["edges"]  # evidence kept
    page = page_of(capped_client.get(f"/network/{HUB}", headers={"Accept-Language": "en"}))
    assert "network-cap" in page.ids and "This view is capped at the 5 actors" in page.text
    links = {a.get("href") for tag, a in page.tags if tag == "a"}
    assert f"/network/{HUB}.csv?limit=0" in links and f"/network/{HUB}.json?limit=0" in links
    everything = capped_client.get(f"/network/{HUB}.json?limit=0").get_json()
    assert everything["edges"] == whole["edges"] and everything["cap"]["limit"] is None
    rows = list(csv.DictReader(io.StringIO(capped_client.get(f"/network/{HUB}.csv?limit=0").get_data(as_text=True))))
    assert len(rows) == len(whole["edges"])
    assert len(network(capped_client, HUB, limit=3)["nodes"]) == 4
    # the page itself never shows more than the setting, whatever the address asks
    assert "6 actors" in page_of(capped_client.get(f"/network/{HUB}?limit=0", headers={"Accept-Language": "en"})).text


def test_the_json_export_is_one_document_even_when_streamed(client):
    response = client.get("/network/working-group/cono-sur.json?limit=0")
    assert json.loads(response.get_data(as_text=True))["focus"] == ID + "working-group/cono-sur"


def test_the_home_page_caps_the_other_working_groups(client, monkeypatch):
    from cpsgraph.web.browser import browse

    full = page_of(client.get("/", headers={"Accept-Language": "en"}))
    assert "more-groups" not in full.ids
    monkeypatch.setattr(browse, "HOME_GROUPS", 1)
    forget(client.application)   # the answers kept before the change
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    assert "more-groups" in page.ids and "and 1 more groups" in page.text
    assert "/persons#facet-working-group" in {a.get("href") for tag, a in page.tags if tag == "a"}


def test_warm_up_builds_what_the_pages_read(build_dir):
    """`cpsgraph serve` calls warm_up before it listens; it must not wait on itself (the Site's lock)."""
    import threading

    from cpsgraph.web import create_app
    from cpsgraph.web.browser import warm_up
    from cpsgraph.web.browser.site import site
    from cpsgraph.web.stores import stores

    from cpsgraph.web.ops import INDEXES_WARMED

    app = create_app(app_config(build_dir))
    try:
        assert "indexes" not in app.test_client().get("/readyz").get_json()   # nothing builds them in the background
        app.extensions[INDEXES_WARMED] = False   # as serve.open_app says before it starts warm_up in a thread
        assert app.test_client().get("/readyz").get_json()["indexes"] == "building"
        worker = threading.Thread(target=warm_up, args=(app,), daemon=True)
        worker.start()
        worker.join(120)
        assert not worker.is_alive(), "warm_up did not finish"
        assert app.test_client().get("/readyz").get_json()["indexes"] == "built"
        with app.app_context():
            assert {"entities", "network", "list:persons", "list:passages", "subregions", "groups-all"} <= set(site()._built)
            assert site()._built["network"].groups()  # the member index comes with the network
    finally:
        stores(app).close()


# --- The page's tables at any size (issue 15's target): capped lists with a link to the rest, paged rows ------

def _evidence_links(page):
    return [a for tag, a in page.tags if tag == "a" and "evidence-more" in (a.get("class") or "")]


def test_a_cells_passages_are_capped_and_link_the_whole_evidence(client):
    from cpsgraph.web.browser.network_page import PASSAGES_SHOWN

    html = client.get(f"/network/{HUB}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for cell in re.findall(r'<span class="evidence-list">(.*?)</span>', html):
        assert cell.count('class="evidence-link"') <= PASSAGES_SHOWN
    more = _evidence_links(Page(html))
    assert more, "no cell of the hub's page has more passages than it shows"
    for link in more[:5]:
        whole = client.get(link["data-src"]).get_json()
        cell = next(c for c in re.findall(r'<span class="evidence-list">(.*?)</span>', html)
                    if f'data-src="{link["data-src"].replace("&", "&amp;")}"' in c)
        shown = re.findall(r'class="evidence-link" href="[^"]*">([^<]*)</a>', cell)
        stated = int(re.search(r">and (\d+) more passage", cell).group(1))
        assert set(shown) <= {p["locator"] for p in whole["passages"]}
        assert len(whole["passages"]) == len(shown) + stated
        page = page_of(client.get(link["href"], headers={"Accept-Language": "en"}))
        assert all(p["locator"] in page.text for p in whole["passages"])
        assert {p["href"] for p in whole["passages"]} <= {a.get("href") for tag, a in page.tags if tag == "a"}


def test_a_connections_evidence_is_that_of_its_edge(client):
    data = network(client, "person/giselle-beja", kind="co-presenters")
    edge = next(e for e in data["edges"] if {e["source"], e["target"]} == {BEJA, ROSSI})
    local = lambda iri: iri.removeprefix(ID)  # noqa: E731
    found = client.get("/network/evidence.json", query_string={
        "kind": "co-presenters", "via": local(edge["via"]), "a": local(BEJA), "b": local(ROSSI)}).get_json()
    assert [p["locator"] for p in found["passages"]] == edge["passages"]
    assert found["caption"] == edge["caption"] and found["facts"] == edge["facts"]
    for query in ({"kind": "co-presenters", "via": "person/nobody"}, {"kind": "no-kind", "via": local(edge["via"])},
                  {"kind": "co-presenters", "via": local(edge["via"]), "a": local(BEJA), "b": local(SCAVONE)}):
        assert client.get("/network/evidence", query_string=query).status_code == 404


def test_a_shared_things_row_names_a_few_and_links_its_network(client, monkeypatch):
    from cpsgraph.web.browser import network_page

    monkeypatch.setattr(network_page, "ACTORS_SHOWN", 2)
    forget(client.application)   # the answers kept before the change
    page = page_of(client.get("/network/working-group/cono-sur", headers={"Accept-Language": "en"}))
    more = [a for tag, a in page.tags if tag == "a" and a.get("class") == "actors-more"]
    assert more and all(a["href"].startswith("/network/") for a in more)
    assert re.search(r"and \d+ more \(all in its network\)", page.text)


def test_the_connections_are_paged_and_every_page_is_reachable(client, monkeypatch):
    from cpsgraph.web.browser import network_page

    monkeypatch.setattr(network_page, "PAIRS_PER_PAGE", 10)
    forget(client.application)   # the answers kept before the change
    data = network(client, HUB)
    pages = -(-len(data["edges"]) // 10)
    assert pages > 2
    first = page_of(client.get(f"/network/{HUB}", headers={"Accept-Language": "en"}))
    links = {a["href"] for tag, a in first.tags if tag == "a" and "page=" in a.get("href", "")}
    assert f"/network/{HUB}?page=2#pairs-heading" in links and len(links) == pages - 1
    seen = []
    for number in range(1, pages + 2):   # one past the last: the last page again
        html = client.get(f"/network/{HUB}?page={number}").get_data(as_text=True)
        table = html[html.index('id="network-table"'):]
        table = table[:table.index("</table>")]
        seen.append(table.count("<tr>") - 1)
    assert sum(seen[:pages]) == len(data["edges"]) and seen[pages] == seen[pages - 1]
    assert "page=" not in first.alternates()["application/json"]   # the exports hold the whole view


def test_fast_addresses_are_those_of_url_for(app, client):
    from cpsgraph.web.browser.evidence import passage_href
    from cpsgraph.web.browser.network_page import Hrefs
    from cpsgraph.web.browser.pages import page_url
    from cpsgraph.web.browser.site import site

    with app.test_request_context("/network/x"):
        hrefs, net = Hrefs(), site().network
        nodes = list(net.graph.nodes) + [via for _, _, key in net.graph.edges(keys=True) for via in [key.split("|", 1)[1]]]
        assert all(hrefs.page(node) == page_url(node) for node in nodes)
        locators = {loc for locs in net._citations.values() for loc in locs}
        assert locators and all(hrefs.passage(loc) == passage_href(loc) for loc in locators)
