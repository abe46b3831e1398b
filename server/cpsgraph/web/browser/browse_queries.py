"""Every SPARQL query of the linked-data browser, one small function each, run through the store interface.

IRIs reach a query only after the entity index has found them in the store (see entities.py) and are
written with pyoxigraph's own escaping (`str(NamedNode)`), never pasted from a URL.
"""

from __future__ import annotations

import pyoxigraph as ox

from ...formats import rdf_format
from ...store import Store

PREFIXES = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX adms: <http://www.w3.org/ns/adms#>
"""


def _iri(iri: str) -> str:
    return str(ox.NamedNode(iri))  # raises ValueError for a malformed IRI


def index_rows(store: Store) -> list[dict]:
    """Labels, names, alternative labels, types and schemes of every IRI, and what tells same-named things
    apart (an organization's country, a session's start, a talk's presenters, a proposal's working group, a
    plan part's plan and priority, through dcterms:hasPart): what the entity index holds."""
    return store.select(PREFIXES + """SELECT ?s ?p ?o WHERE {
        ?s ?p ?o . FILTER(isIRI(?s))
        FILTER(?p IN (rdfs:label, skos:prefLabel, foaf:name, skos:altLabel, rdf:type, skos:inScheme, cps:country,
                      schema:startDate, cps:presenter, cps:workingGroup, dcterms:hasPart)) }""")


def outgoing(store: Store, iri: str) -> list[dict]:
    """Every (property, value) of a resource."""
    return store.select(f"SELECT ?p ?o WHERE {{ {_iri(iri)} ?p ?o }}")


def incoming(store: Store, iri: str) -> list[dict]:
    """Every (subject, property) that points at a resource."""
    # the rdf:Statement of each relation points at both ends; the page shows the relation itself instead
    return store.select(PREFIXES + f"""SELECT ?s ?p WHERE {{ ?s ?p {_iri(iri)} FILTER(isIRI(?s))
        FILTER(?p NOT IN (rdf:subject, rdf:object)) }}""")


def statements_citing(store: Store, iri: str) -> list[dict]:
    """The relations a passage states: each rdf:Statement citing it, with its subject, predicate and object."""
    return store.select(PREFIXES + f"""SELECT ?st ?s ?p ?o WHERE {{ ?st prov:wasDerivedFrom {_iri(iri)} ;
        a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}""")


def membership_details(store: Store, iri: str) -> list[dict]:
    """The statements of the memberships (participations, affiliations, committee seats) that point at a
    resource, so its page can say "Argentina, SCP focal point, Group 4" without another click."""
    node = _iri(iri)
    return store.select(PREFIXES + f"""SELECT ?s ?p ?o WHERE {{
        ?s ?link {node} ; a org:Membership ; ?p ?o .
        FILTER(?p NOT IN (rdf:type, rdfs:label, prov:wasDerivedFrom, cps:curationNote, cps:meeting, skos:notation,
                          cps:countryAsWritten))
        FILTER(?o != {node}) }}""")


def replacements(store: Store) -> dict[str, str]:
    """Moved IRIs: old -> new (`dcterms:isReplacedBy`, from data/moved_ids.csv)."""
    rows = store.select(PREFIXES + "SELECT ?old ?new WHERE { ?old dcterms:isReplacedBy ?new FILTER(isIRI(?new)) }")
    return {row["old"].value: row["new"].value for row in rows}


def passages(store: Store, iri: str) -> list[dict]:
    """The report passages a resource cites: locator and line range."""
    return store.select(PREFIXES + f"""SELECT ?passage ?locator ?start ?end WHERE {{
        {_iri(iri)} prov:wasDerivedFrom ?passage . ?passage bibo:locator ?locator .
        OPTIONAL {{ ?passage cps:lineStart ?start }} OPTIONAL {{ ?passage cps:lineEnd ?end }} }}""")


def description(store: Store, iri: str, fmt_name: str = "ntriples") -> bytes:
    """The resource's description: its own triples, the triples pointing at it, and the labels of the
    resources on the other side (so a client can show them without another request)."""
    node = _iri(iri)
    text = PREFIXES + f"""CONSTRUCT {{ {node} ?p ?o . ?o rdfs:label ?olabel . ?s ?q {node} . ?s rdfs:label ?slabel }}
        WHERE {{ {{ {node} ?p ?o OPTIONAL {{ ?o rdfs:label ?olabel }} }}
                 UNION {{ ?s ?q {node} OPTIONAL {{ ?s rdfs:label ?slabel }} }} }}"""
    return store.query(text, format=rdf_format(fmt_name), limit=0).body


def class_counts(store: Store) -> dict[str, int]:
    """Entities per class in the data graph."""
    rows = store.select("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
    return {row["class"].value: int(row["n"].value) for row in rows}


def subregions(store: Store) -> list[dict]:
    """Each subregion, then one row per country, working group and action plan of it (a union, not three
    OPTIONALs: their cross product grows with the square of the groups and plans of a subregion)."""
    return store.select(PREFIXES + """SELECT ?subregion ?country ?group ?plan WHERE {
        ?subregion a cps:Subregion .
        { } UNION { ?country cps:subregion ?subregion ; a <http://schema.org/Country> }
        UNION { ?group a cps:WorkingGroup ; cps:subregion ?subregion }
        UNION { ?plan a cps:ActionPlan ; cps:subregion ?subregion } }""")


def instances(store: Store, cls: str) -> list[str]:
    return [row["s"].value for row in store.select(f"SELECT DISTINCT ?s WHERE {{ ?s a {_iri(cls)} }}")]


def pairs(store: Store, pattern: str) -> list[tuple[str, str]]:
    """(item, value) pairs of a facet pattern over ?item and ?value (patterns are written in facets.py)."""
    rows = store.select(PREFIXES + f"SELECT DISTINCT ?item ?value WHERE {{ {pattern} }}")
    return [(row["item"].value, row["value"].value) for row in rows if "value" in row]


def literal_pairs(store: Store, pattern: str) -> list[tuple[str, ox.Literal]]:
    """(item, literal) pairs of a pattern over ?item and ?value (a date beside each item of a list)."""
    rows = store.select(PREFIXES + f"SELECT DISTINCT ?item ?value WHERE {{ {pattern} }}")
    return [(row["item"].value, row["value"]) for row in rows if isinstance(row.get("value"), ox.Literal)]


def items(store: Store, pattern: str) -> list[str]:
    return [row["item"].value for row in store.select(PREFIXES + f"SELECT DISTINCT ?item WHERE {{ {pattern} }}")]


def graph_dump(store: Store, graph: str, fmt_name: str = "ntriples") -> bytes:
    """One named graph (the ontology's, for its documentation page). Raises UnknownGraph."""
    return store.dump(rdf_format(fmt_name), graph=graph).body


def public_dataset(store: Store) -> bytes:
    """Every public named graph as TriG (for the data-quality page's validation)."""
    return store.dump(rdf_format("trig")).body


# --- Profiles: what a page opens with (profile.py arranges it) --------------------------------------------------
# Each field is a pattern over ?this (the page's resource) and ?value; a field may also bind ?who (the delegate
# through whom a country did something). The order is the infobox's.
PARTICIPATION = "?m a cps:Participation ; org:member ?this ."
DELEGATE = "?d a cps:Participation ; cps:country ?this ; org:member ?who ."
INFOBOX: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (
        ("role", PARTICIPATION + " ?m org:role ?value ."),
        ("job", PARTICIPATION + " ?m schema:jobTitle ?value ."),
        ("organization", PARTICIPATION + " ?m cps:affiliation ?value ."),
        ("country", PARTICIPATION + " ?m cps:country ?value ."),
        ("working-group", PARTICIPATION + " ?m org:organization ?value ."),
        ("sector", PARTICIPATION + " ?m cps:listedAs ?value ."),
    ),
    "organization": (
        ("kind", "?this org:classification ?value ."),
        ("country", "?this cps:country ?value ."),
        ("parent", "?this org:subOrganizationOf ?value ."),
        ("people", "?m a cps:Participation ; cps:affiliation ?this ; org:member ?value ."),
    ),
    "country": (
        ("subregion", "?this cps:subregion ?value ."),
        ("delegation", "?m a cps:Participation ; cps:country ?this ; org:member ?value ."),
        ("focal-point", '?m a cps:Participation ; cps:country ?this ; org:member ?value ; org:role ?role . '
                        'FILTER(STRENDS(STR(?role), "/role/punto-focal-cps"))'),
        ("seat", "?value a cps:SteeringCommitteeSeat ; cps:country ?this ."),
        ("working-group", "?this cps:subregion ?s . ?value a cps:WorkingGroup ; cps:subregion ?s ."),
        ("code", "?this skos:notation ?value ."),
    ),
    "working-group": (
        ("subregion", "?this cps:subregion ?value ."),
        ("meeting", "?this cps:meeting ?value ."),
        ("members", "?m a cps:Participation ; org:organization ?this ; org:member ?value ."),
        ("plan", "?value a cps:ActionPlan ; cps:workingGroup ?this ."),
    ),
    "event": (
        ("start", "?this schema:startDate ?value ."),
        ("end", "?this schema:endDate ?value ."),
        ("place", "?this schema:location ?value ."),
        ("country", "?this cps:country ?value ."),
        ("meeting-of", "?this cps:meetingOf ?value ."),
        ("organizer", "?this schema:organizer ?value ."),
        ("host", "?this cps:host ?value ."),
        ("participants", "?m a cps:Participation ; cps:meeting ?this ; org:member ?value ."),
    ),
    "session": (
        ("start", "?this schema:startDate ?value ."),
        ("end", "?this schema:endDate ?value ."),
        ("session-kind", "?this cps:sessionKind ?value ."),
        ("part-of", "?this schema:superEvent ?value ."),
    ),
    "presentation": (
        ("presenter", "?this cps:presenter ?value ."),
        ("on-behalf-of", "?this cps:onBehalfOf ?value ."),
        ("session", "?this schema:superEvent ?value ."),
        ("start", "?this schema:superEvent/schema:startDate ?value ."),
        ("about", "?this schema:about ?value ."),
    ),
    "task-force": (
        ("status", "?this adms:status ?value ."),
        ("led-by", "?this cps:ledBy ?value ."),
        ("members", "?this org:hasMember ?value ."),
    ),
    "plan": (
        ("subregion", "?this cps:subregion ?value ."),
        ("working-group", "?this cps:workingGroup ?value ."),
        ("part-of", "?this dcterms:isPartOf ?value ."),
    ),
    "initiative": (
        ("date", "?this dcterms:date ?value ."),
        ("responsible", "?this cps:responsible ?value ."),
        ("part-of", "?this dcterms:isPartOf ?value ."),
    ),
}
# What someone did at the meeting, on a person's page (?this a person) and a country's (through its delegates).
ACTIVITY: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (
        ("presented", "?value cps:presenter ?this ."),
        ("committee", "?value a org:Membership ; org:member ?this ; org:role ?r . "
                      "FILTER NOT EXISTS { ?value a cps:Participation }"),
        ("authored", "?value schema:author ?this ."),
        ("working-group", PARTICIPATION + " ?m org:organization ?value ."),
    ),
    "country": (
        ("presented", DELEGATE + " ?value cps:presenter ?who ."),
        ("committee", DELEGATE + " ?value a org:Membership ; org:member ?who ; org:role ?r . "
                      "FILTER NOT EXISTS { ?value a cps:Participation }"),
        ("seat", "?value a cps:SteeringCommitteeSeat ; cps:country ?this ."),
        ("authored", DELEGATE + " ?value schema:author ?who ."),
    ),
}


def fields(store: Store, iri: str, patterns: tuple[tuple[str, str], ...]) -> list[dict]:
    """The rows (?field, ?value, and ?who where the pattern binds it) of named patterns over ?this."""
    node = _iri(iri)
    union = " UNION ".join("{ " + pattern.replace("?this", node) + f' BIND("{name}" AS ?field) }}'
                           for name, pattern in patterns)
    return store.select(PREFIXES + f"SELECT DISTINCT ?field ?value ?who WHERE {{ {union} }}")


def order_keys(store: Store, iri: str) -> dict[str, tuple[str, str]]:
    """For every resource linked to or from `iri`: its start (schema:startDate) and its position, what orders
    the agenda by time and plan priorities by position on the page. The linked resources are found first, in a
    subquery: Virtuoso 7.2 drops the rows of the UNION's second branch that have a position but no start when the
    OPTIONALs sit beside the UNION (the event page's agreements came A-Z instead of by position)."""
    node = _iri(iri)
    rows = store.select(PREFIXES + f"""SELECT ?o (MIN(STR(?start)) AS ?s) (MIN(?pos) AS ?n) WHERE {{
        {{ SELECT DISTINCT ?o WHERE {{ {{ {node} ?p ?o }} UNION {{ ?o ?p {node} }} FILTER(isIRI(?o)) }} }}
        OPTIONAL {{ ?o schema:startDate ?start }} OPTIONAL {{ ?o schema:position ?pos }} }} GROUP BY ?o""")
    return {row["o"].value: (row["s"].value if "s" in row else "", row["n"].value if "n" in row else "")
            for row in rows if "s" in row or "n" in row}


def delegation(store: Store, country: str) -> list[dict]:
    """A country's delegation: one row per participation (Anexo III entry) with its person, organization,
    post (in every language stated), sector, working group and role."""
    return store.select(PREFIXES + f"""SELECT ?m ?person ?organization ?job ?sector ?group ?role ?entry WHERE {{
        ?m a cps:Participation ; cps:country {_iri(country)} ; org:member ?person .
        OPTIONAL {{ ?m cps:affiliation ?organization }} OPTIONAL {{ ?m schema:jobTitle ?job }}
        OPTIONAL {{ ?m cps:listedAs ?sector }} OPTIONAL {{ ?m org:organization ?group }}
        OPTIONAL {{ ?m org:role ?role }} OPTIONAL {{ ?m skos:notation ?entry }} }}""")


def reported_meeting(store: Store) -> list[dict]:
    """The report and the meeting it is about, with the meeting's dates and place (the home page's opening)."""
    return store.select(PREFIXES + """SELECT ?report ?meeting ?start ?end ?place WHERE {
        ?report a schema:Report ; schema:about ?meeting .
        OPTIONAL { ?meeting schema:startDate ?start } OPTIONAL { ?meeting schema:endDate ?end }
        OPTIONAL { ?meeting schema:location ?place } } ORDER BY ?report LIMIT 1""")


def meeting_participants(store: Store) -> list[tuple[str, str]]:
    """(meeting, person) for every participation recorded at a meeting (Anexo III)."""
    rows = store.select(PREFIXES + """SELECT DISTINCT ?meeting ?person WHERE {
        ?m a cps:Participation ; cps:meeting ?meeting ; org:member ?person }""")
    return [(row["meeting"].value, row["person"].value) for row in rows]
