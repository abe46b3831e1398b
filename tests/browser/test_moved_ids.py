"""An id that changes keeps resolving (issue 13, item 6): data/moved_ids.csv is stated in the graph
(`old dcterms:isReplacedBy new`) and the browser answers the old IRI's every address with 301 Moved
Permanently to the new one."""

from __future__ import annotations

import csv

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from browser_helpers import CPS, ID

CHROME_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _moves(root) -> list[dict]:
    with (root / "data" / "moved_ids.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_old_steering_committee_seats_carry_no_year(root, public_graph):
    # §59 (line 170): the committee "se eligió en la última reunión del Consejo en Nicaragua"; no year is given.
    seats = set(public_graph.subjects(RDF.type, URIRef(CPS + "SteeringCommitteeSeat")))
    nicaragua = URIRef(ID + "event/reunion-consejo-nicaragua")
    old = [s for s in seats
           if (s, URIRef(CPS + "electedAt"), nicaragua) in public_graph]
    assert len(old) == 4
    for seat in old:
        assert "2006" not in str(seat)
        assert all("2006" not in str(label) for label in public_graph.objects(seat, RDFS.label))


def test_every_moved_id_is_stated_in_the_graph(root, public_graph):
    moves = _moves(root)
    assert {m["old_id"] for m in moves} >= {"seat/2006-mesoamerica-ni", "seat/2006-caribe-tt",
                                            "seat/2006-andina-pe", "seat/2006-cono-sur-ar"}
    for move in moves:
        old, new = URIRef(ID + move["old_id"]), URIRef(ID + move["new_id"])
        assert public_graph.value(old, DCTERMS.isReplacedBy) == new
        assert (new, RDF.type, None) in public_graph, "the new IRI names an entity"
        assert (old, RDF.type, None) not in public_graph, "the old IRI is no entity of its own"
        assert (None, None, old) not in public_graph, "nothing points at the old IRI any more"


@pytest.mark.parametrize("accept,suffix", [(CHROME_ACCEPT, ""), ("text/turtle", "")])
def test_an_old_iri_answers_301_to_the_new_one(root, client, accept, suffix):
    for move in _moves(root):
        response = client.get(f"/id/{move['old_id']}", headers={"Accept": accept})
        assert response.status_code == 301
        assert response.headers["Location"] == f"/id/{move['new_id']}"
        # and the new one dereferences as usual
        assert client.get(response.headers["Location"], headers={"Accept": accept}).status_code == 303


def test_old_page_and_data_addresses_answer_301_too(client):
    page = client.get("/page/seat/2006-caribe-tt")
    assert page.status_code == 301 and page.headers["Location"] == "/page/seat/nicaragua-caribe-tt"
    data = client.get("/data/seat/2006-caribe-tt.ttl")
    assert data.status_code == 301 and data.headers["Location"] == "/data/seat/nicaragua-caribe-tt.ttl"
    assert client.get(data.headers["Location"]).status_code == 200


def test_an_unknown_iri_is_still_404(client):
    assert client.get("/id/seat/2005-caribe-tt", headers={"Accept": "text/turtle"}).status_code == 404
