"""The model a query can rely on (issue 13, items 5, 7, 8): standard vocabularies, one datatype per
property, dates with a comparable form, and every relation traceable to the passage that states it."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from cpsgraph.ontology import NAMESPACE, deprecated_terms, load_ontology

ID = "https://w3id.org/cps-lac/id/"
DATA = URIRef("https://w3id.org/cps-lac/graph/data")
# The report gives dates at several precisions (2007, 2007-10, 2007-10-18; an agenda item at 09:30): these
# three properties keep each value typed by its precision; cps:earliestStart / cps:latestEnd are the
# comparable form. A label is tagged @es / @en, except a person's name, the same in every language.
PRECISION_TYPED = {"http://schema.org/startDate", "http://schema.org/endDate", "http://purl.org/dc/terms/date"}
UNTAGGED_NAMES = {str(RDFS.label)}


def _data(dataset):
    return dataset.graph(DATA)


def _standard_super(ontology, prop: URIRef, seen=()) -> bool:
    for parent in ontology.objects(prop, RDFS.subPropertyOf):
        if not str(parent).startswith(NAMESPACE) or (parent not in seen and
                                                      _standard_super(ontology, parent, seen + (prop,))):
            return True
    return False


def test_at_least_90_percent_of_the_predicates_are_standard(dataset, root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    predicates = set(_data(dataset).predicates())
    own = {p for p in predicates if str(p).startswith(NAMESPACE)}
    unrefined = sorted(str(p) for p in own if not _standard_super(ontology, p))
    share = (len(predicates) - len(unrefined)) / len(predicates)
    print(f"{len(predicates)} predicates, {len(own)} own, {len(unrefined)} own without a standard super-property: "
          f"{share:.1%} standard or refining a standard term")
    assert share >= 0.90, f"{share:.1%} < 90%: give these an rdfs:subPropertyOf a standard term: {unrefined}"


def test_no_deprecated_term_is_used_and_each_names_its_replacement(dataset, root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    deprecated = deprecated_terms(ontology)
    assert {"organizer", "mentions", "position", "number", "entryNumber", "locator", "status",
            "hasPriority", "hasActivity", "draftedBy"} <= set(deprecated)
    assert all(deprecated.values()), "every deprecated term says what replaces it (schema:supersededBy)"
    used = {str(p) for p in _data(dataset).predicates()}
    assert not used & {NAMESPACE + name for name in deprecated}


def test_actors_are_agents_in_the_published_ontology(root):
    ontology = load_ontology(root / "ontology" / "cps.ttl")
    agent = URIRef("http://xmlns.com/foaf/0.1/Agent")
    for cls in ("http://xmlns.com/foaf/0.1/Person", "http://xmlns.com/foaf/0.1/Organization",
                "http://www.w3.org/ns/org#Organization"):
        assert (URIRef(cls), RDFS.subClassOf, agent) in ontology
    header = URIRef("https://w3id.org/cps-lac/ontology")
    assert str(ontology.value(header, OWL.versionInfo)) == "2.1.0"
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/creator")) is not None
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/publisher")) is not None


def test_one_datatype_per_property(dataset):
    datatypes = defaultdict(set)
    for _, p, o in _data(dataset):
        if isinstance(o, Literal):
            datatypes[str(p)].add("@" if o.language else str(o.datatype or XSD.string))
    mixed = {p: sorted(d) for p, d in datatypes.items() if len(d) > 1 and p not in PRECISION_TYPED | UNTAGGED_NAMES}
    assert mixed == {}
    assert datatypes["http://schema.org/position"] == {str(XSD.integer)}
    assert datatypes["http://www.w3.org/2004/02/skos/core#notation"] == {str(XSD.string)}
    assert datatypes[NAMESPACE + "earliestStart"] == datatypes[NAMESPACE + "latestEnd"] == {str(XSD.dateTime)}


def test_panels_are_numbered_and_ordered_like_every_other_list(sparql):
    rows = sparql("""SELECT ?notation ?position WHERE { ?panel a cps:Panel ; skos:notation ?notation ;
                                                           schema:position ?position }""")
    # Anexo II: panels 1 to 5
    assert sorted((r["notation"], r["position"]) for r in rows) == [(str(n), n) for n in range(1, 6)]


def test_every_date_has_its_comparable_form(sparql):
    missing = sparql("""SELECT ?node WHERE {
        { ?node schema:startDate|dcterms:date ?d FILTER NOT EXISTS { ?node cps:earliestStart ?e } } UNION
        { ?node schema:endDate|dcterms:date ?d FILTER NOT EXISTS { ?node cps:latestEnd ?e } } }""")
    assert missing == []
    # §14: the Fourth Meeting, São Paulo, 18-19 October 2007
    row, = sparql("""SELECT ?start ?end WHERE { <https://w3id.org/cps-lac/id/event/cuarta-reunion-consejo> cps:earliestStart ?start ;
                                                   cps:latestEnd ?end }""")
    assert (str(row["start"]), str(row["end"])) == ("2007-10-18 00:00:00", "2007-10-19 23:59:59")


def test_a_time_filter_finds_the_meetings_of_2007(sparql):
    rows = sparql("""SELECT ?m WHERE { ?m a cps:Meeting ; cps:earliestStart ?s .
        FILTER(?s >= "2007-01-01T00:00:00"^^xsd:dateTime && ?s < "2008-01-01T00:00:00"^^xsd:dateTime) }""")
    assert ID + "event/cuarta-reunion-consejo" in {str(r["m"]) for r in rows}


def test_collaborators_named_in_paragraph_15(sparql):
    rows = sparql("""SELECT ?who WHERE {
        ?st rdf:subject <https://w3id.org/cps-lac/id/event/cuarta-reunion-consejo> ; rdf:predicate cps:collaborator ; rdf:object ?who ;
            prov:wasDerivedFrom ?passage . ?passage <http://purl.org/ontology/bibo/locator> "§15" }""")
    # §15 (line 30): with the collaboration of PNUMA/DTIE and UNDESA, and of CETESB, CNI, FIESP, ABIQUIM and
    # SINPROQUIM. The Government of Brazil is a collaborator by Anexo I (line 335), not by §15.
    assert {str(r["who"])[len(ID):] for r in rows} == {
        f"organization/{o}" for o in ("pnuma-dtie", "undesa", "cetesb", "cni", "fiesp", "abiquim", "sinproquim")}


def test_a_relation_stated_twice_is_one_statement_citing_both_passages(sparql):
    rows = sparql("""SELECT ?st ?locator WHERE {
        ?st rdf:subject <https://w3id.org/cps-lac/id/event/cuarta-reunion-consejo> ; rdf:predicate schema:organizer ;
            rdf:object <https://w3id.org/cps-lac/id/organization/pnuma-orpalc> ; prov:wasDerivedFrom/<http://purl.org/ontology/bibo/locator> ?locator }""")
    # meeting/event_roles.csv: PNUMA/ORPALC organised the meeting, by §1, §15 and Anexo I
    assert len({r["st"] for r in rows}) == 1
    assert {r["locator"] for r in rows} == {"§1", "§15", "Anexo I"}


def test_statement_iris_are_made_from_the_triple(dataset):
    import hashlib

    data = _data(dataset)
    statements = set(data.subjects(RDF.type, RDF.Statement))
    assert len(statements) > 1000
    for st in sorted(statements)[:50]:
        triple = tuple(data.value(st, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in data
        text = " ".join(t.n3() for t in triple) + " ."
        assert str(st) == ID + "statement/" + hashlib.sha256(text.encode()).hexdigest()[:16]


def test_void_lists_every_vocabulary_the_graph_uses(release):
    from rdflib import Graph
    from rdflib.namespace import VOID

    void = Graph().parse(release / "public" / "void.ttl", format="turtle")
    listed = {str(v) for v in void.objects(None, VOID.vocabulary)}
    assert {"https://w3id.org/cps-lac/ontology#", "http://schema.org/", "http://www.w3.org/ns/org#",
            "http://purl.org/ontology/bibo/", "http://www.w3.org/ns/adms#", "http://purl.org/dc/terms/",
            "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#", "http://xmlns.com/foaf/0.1/",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#"} <= listed
    public = Graph().parse(release / "public" / "cps-lac.ttl", format="turtle")
    for predicate in set(public.predicates()):
        assert any(str(predicate).startswith(ns) for ns in listed), f"{predicate}: its vocabulary is not listed"


def test_data_readme_lists_every_vocabulary_id(root):
    import csv

    readme = (root / "data" / "README.md").read_text()
    section = readme[readme.index("## Vocabularies"):readme.index("## Types in the graph")]
    missing = []
    for path in sorted((root / "data" / "vocab").glob("*.csv")):
        assert f"`{path.name}`" in section, f"data/README.md does not describe {path.name}"
        with path.open(newline="") as f:
            missing += [f"{path.name}: {row['id']}" for row in csv.DictReader(f) if f"`{row['id']}`" not in section]
    assert missing == []
