"""Provenance queries against the report, and the quality checks: silent on the built graph, loud on a copy
with a planted fault."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cpsgraph.queries import oxigraph_select, violations
from query_helpers import ID, load_public, run_on, QUERIES

VIOLATIONS = sorted(path.stem for path in QUERIES.glob("*-violation.rq"))
DATA_GRAPH = ox.NamedNode("https://w3id.org/cps-lac/graph/data")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF_PERSON = ox.NamedNode("http://xmlns.com/foaf/0.1/Person")
ORG_MEMBER_OF = ox.NamedNode("http://www.w3.org/ns/org#memberOf")
CPS = "https://w3id.org/cps-lac/ontology#"


def test_sources_of_the_caribbean_seat(run):
    rows = run("sources-of-entity")  # default: the Caribbean seat of 2007
    # §60a.i (line 175): "Subregión Caribe Trinidad y Tobago (Ad referéndum)"; repeated in §71d.i; §59 (line
    # 170) says each subregion elects its coordinator
    assert {row["locator"] for row in rows} == {"§59", "§60a.i", "§71d.i"}
    assert next(row for row in rows if row["locator"] == "§60a.i")["line_start"] == 175
    assert all(row["line_start"] <= row["line_end"] for row in rows)
    # one row per passage: the curation note in English only (it has a Spanish twin since issue 14)
    assert len(rows) == len({row["passage"] for row in rows})
    assert all(row["note"] is None or not row["note"].startswith("El ") for row in rows)


def test_sources_of_a_person(run):
    rows = run("sources-of-entity", entity="person/graciela-scavone")
    # Anexo III #18 (lines 742-753): Ms. Graciela Scavone, Argentina
    assert "Anexo III #18" in {row["locator"] for row in rows}


def test_facts_from_paragraph_59(run):
    entities = {row["entity"] for row in run("facts-from-passage")}  # default: §59
    # §59 (line 170): the committee elected in Nicaragua -- Nicaragua, Trinidad and Tobago, Peru, Argentina
    assert {"seat/nicaragua-mesoamerica-ni", "seat/nicaragua-caribe-tt", "seat/nicaragua-andina-pe",
            "seat/nicaragua-cono-sur-ar", "event/reunion-consejo-nicaragua"} <= entities


def test_facts_from_an_entry_of_the_list(run):
    rows = run("facts-from-passage", locator="Anexo III #47")
    # Anexo III #47 (lines 1082-1089): Jaime Alberto Romero, Colombia
    assert {"participation/47", "person/jaime-romero"} <= {row["entity"] for row in rows}


def test_entities_citing_line_323(run):
    entities = {row["entity"] for row in run("entities-citing-line")}  # default: line 323
    # Anexo I, line 323: the Drafting Committee's five members
    assert {f"drafting-member/{person}" for person in (
        "carmen-terry", "luciano-ramirez", "irma-suarez", "luiz-fernando-krieger-merico",
        "victoria-belaustegui")} <= entities


def test_no_entity_cites_a_line_outside_the_report(run):
    # the report's text has 3071 lines
    assert run("entities-citing-line", line="5000") == []


def test_persons_without_organization(run):
    rows = run("persons-without-organization")
    # Anexo III #47 (lines 1082-1089): the organization cell of Jaime Alberto Romero holds only an address
    assert [(row["person"], row["entry_number"]) for row in rows] == [("person/jaime-romero", "47")]
    assert "organization" in rows[0]["note"]


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_query_is_silent_on_the_built_graph(run, name):
    assert run(name) == []


@pytest.fixture
def planted_store(release):
    """A copy of the public graph with planted faults: a person without any label or organization, a link
    to an entity never described, and a made-up cps: property."""
    store = load_public(release)
    ghost = ox.NamedNode(ID + "person/planted-ghost")
    store.add(ox.Quad(ghost, RDF_TYPE, FOAF_PERSON, DATA_GRAPH))
    store.add(ox.Quad(ox.NamedNode(ID + "person/graciela-scavone"), ORG_MEMBER_OF,
                      ox.NamedNode(ID + "organization/never-described"), DATA_GRAPH))
    store.add(ox.Quad(ghost, ox.NamedNode(CPS + "madeUpProperty"), ox.Literal("x"), DATA_GRAPH))
    return store


@pytest.mark.parametrize("name,expected", [
    ("missing-english-label-violation", {"person/planted-ghost"}),
    ("missing-spanish-label-violation", {"person/planted-ghost"}),
    ("missing-source-violation", {"person/planted-ghost"}),
    ("person-without-organization-violation", {"person/planted-ghost"}),
    ("dangling-iri-violation", {"organization/never-described"}),
    ("undeclared-property-violation", {CPS + "madeUpProperty"}),
])
def test_violation_query_catches_a_planted_fault(planted_store, name, expected):
    rows = run_on(planted_store, name)
    assert {next(iter(row.values())) for row in rows} == expected


def test_undeclared_class_is_caught(release):
    store = load_public(release)
    store.add(ox.Quad(ox.NamedNode(ID + "thing/x"), RDF_TYPE, ox.NamedNode(CPS + "MadeUpClass"), DATA_GRAPH))
    assert [row["class"] for row in run_on(store, "undeclared-class-violation")] == [CPS + "MadeUpClass"]


def test_the_quality_gate_reports_only_broken_checks(public_store, planted_store):
    assert violations(oxigraph_select(public_store), QUERIES) == {}
    found = violations(oxigraph_select(planted_store), QUERIES)
    assert set(found) == {"missing-english-label-violation", "missing-spanish-label-violation",
                          "missing-source-violation", "person-without-organization-violation",
                          "dangling-iri-violation", "undeclared-property-violation"}


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def test_a_relation_without_its_statement_is_caught(release):
    # Mapper.relate states each relation with an rdf:Statement; a triple added around it has none
    store = load_public(release)
    person, group = ox.NamedNode(ID + "person/graciela-scavone"), ox.NamedNode(ID + "working-group/caribe")
    assert list(store.quads_for_pattern(group, PROV_DERIVED, None)), "the planted relation joins two cited entities"
    store.add(ox.Quad(person, ox.NamedNode(CPS + "represents"), group, DATA_GRAPH))
    rows = run_on(store, "relation-without-passage-violation")
    assert [(row["subject"], row["property"], row["object"]) for row in rows] == [
        ("person/graciela-scavone", CPS + "represents", "working-group/caribe")]


def test_a_statement_that_cites_nothing_leaves_its_relation_uncited(release):
    store = load_public(release)
    statement = next(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"),
                                                               ox.NamedNode(CPS + "collaborator")))
    for quad in list(store.quads_for_pattern(statement, PROV_DERIVED, None)):
        store.remove(quad)
    rows = run_on(store, "relation-without-passage-violation")
    assert len(rows) == 1 and rows[0]["property"] == CPS + "collaborator"


def test_a_statement_of_no_relation_or_under_a_wrong_iri_is_caught(release):
    store = load_public(release)
    quads = list(store.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"), ox.NamedNode(CPS + "collaborator")))
    left_behind, moved = quads[0].subject, quads[1].subject
    # the relation of the first goes (its statement is left behind); the second is copied to a made-up IRI
    relation = [ox.NamedNode(RDF + name) for name in ("subject", "predicate", "object")]
    s, p, o = (next(store.quads_for_pattern(left_behind, term, None)).object for term in relation)
    store.remove(ox.Quad(s, p, o, DATA_GRAPH))
    wrong = ox.NamedNode(ID + "statement/0000000000000000")
    for quad in list(store.quads_for_pattern(moved, None, None)):
        store.add(ox.Quad(wrong, quad.predicate, quad.object, DATA_GRAPH))
    rows = {row["statement"]: row["problem"] for row in run_on(store, "statement-without-relation-violation")}
    left_behind_id, wrong_id = (term.value[len(ID):] for term in (left_behind, wrong))
    assert set(rows) == {left_behind_id, wrong_id}
    assert rows[left_behind_id] == "the graph does not state the triple"
    assert rows[wrong_id] == f"the IRI is not the digest of the triple: {moved.value}"


def test_relations_from_paragraph_15_name_its_collaborators(run):
    rows = run("relations-from-passage")  # default: §15
    collaborators = {row["object"] for row in rows if row["property"].endswith("#collaborator")}
    # §15 (line 30): in collaboration with PNUMA/DTIE and UNDESA, and with CETESB, CNI, FIESP, ABIQUIM and
    # SINPROQUIM; the Government of Brazil is a collaborator by Anexo I only
    assert {c.rsplit("/", 1)[-1] for c in collaborators} == {
        "pnuma-dtie", "undesa", "cetesb", "cni", "fiesp", "abiquim", "sinproquim"}
    assert any(row["property_label"] == "organizer" for row in rows)  # PNUMA/ORPALC, by §1, §15, Anexo I
