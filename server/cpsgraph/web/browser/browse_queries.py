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
"""


def _iri(iri: str) -> str:
    return str(ox.NamedNode(iri))  # raises ValueError for a malformed IRI


def index_rows(store: Store) -> list[dict]:
    """Labels, names, alternative labels, types and schemes of every IRI: what the entity index holds."""
    return store.select(PREFIXES + """SELECT ?s ?p ?o WHERE {
        ?s ?p ?o . FILTER(isIRI(?s))
        FILTER(?p IN (rdfs:label, skos:prefLabel, foaf:name, skos:altLabel, rdf:type, skos:inScheme)) }""")


def outgoing(store: Store, iri: str) -> list[dict]:
    """Every (property, value) of a resource."""
    return store.select(f"SELECT ?p ?o WHERE {{ {_iri(iri)} ?p ?o }}")


def incoming(store: Store, iri: str) -> list[dict]:
    """Every (subject, property) that points at a resource."""
    return store.select(f"SELECT ?s ?p WHERE {{ ?s ?p {_iri(iri)} FILTER(isIRI(?s)) }}")


def membership_details(store: Store, iri: str) -> list[dict]:
    """The statements of the memberships (participations, affiliations, committee seats) that point at a
    resource, so its page can say "Argentina, SCP focal point, Group 4" without another click."""
    node = _iri(iri)
    return store.select(PREFIXES + f"""SELECT ?s ?p ?o WHERE {{
        ?s ?link {node} ; a org:Membership ; ?p ?o .
        FILTER(?p NOT IN (rdf:type, rdfs:label, prov:wasDerivedFrom, cps:curationNote, cps:meeting, cps:entryNumber,
                          cps:countryAsWritten))
        FILTER(?o != {node}) }}""")


def replacements(store: Store) -> dict[str, str]:
    """Moved IRIs: old -> new (`dcterms:isReplacedBy`, from data/moved_ids.csv)."""
    rows = store.select(PREFIXES + "SELECT ?old ?new WHERE { ?old dcterms:isReplacedBy ?new FILTER(isIRI(?new)) }")
    return {row["old"].value: row["new"].value for row in rows}


def passages(store: Store, iri: str) -> list[dict]:
    """The report passages a resource cites: locator and line range."""
    return store.select(PREFIXES + f"""SELECT ?passage ?locator ?start ?end WHERE {{
        {_iri(iri)} prov:wasDerivedFrom ?passage . ?passage cps:locator ?locator .
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
    """(item, value) pairs of a facet pattern over ?item and ?value (patterns are written in lists.py)."""
    rows = store.select(PREFIXES + f"SELECT DISTINCT ?item ?value WHERE {{ {pattern} }}")
    return [(row["item"].value, row["value"].value) for row in rows if "value" in row]


def items(store: Store, pattern: str) -> list[str]:
    return [row["item"].value for row in store.select(PREFIXES + f"SELECT DISTINCT ?item WHERE {{ {pattern} }}")]


def graph_dump(store: Store, graph: str, fmt_name: str = "ntriples") -> bytes:
    """One named graph (the ontology's, for its documentation page). Raises UnknownGraph."""
    return store.dump(rdf_format(fmt_name), graph=graph).body


def public_dataset(store: Store) -> bytes:
    """Every public named graph as TriG (for the data-quality page's validation)."""
    return store.dump(rdf_format("trig")).body
