"""The SPARQL 1.1 Service Description of the endpoint, with VoID statistics of every graph, the dumps, the
licence and the example queries of `queries/` (https://www.w3.org/TR/sparql11-service-description/).

The statistics are counted with SPARQL through the store interface, so they are right for the embedded
and for a remote store alike; they are computed once per store and kept for STATS_SECONDS.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import urlencode

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from ...formats import GRAPH_FORMATS, RESULT_FORMATS
from ...store import Store
from ...void import LICENSE

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("http://schema.org/")
STATS_SECONDS = 300.0
DUMP_STEM = "cps-lac"
DUMP_FORMATS = ("trig", "turtle", "ntriples", "jsonld")
log = logging.getLogger(__name__)

TOTALS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CLASSES = "SELECT ?g ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } FILTER(isIRI(?c)) } GROUP BY ?g ?c"
PROPERTIES = "SELECT ?g ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ?p"
DEFAULT_TOTAL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def statistics(store: Store, cache: dict) -> dict:
    """Per named graph: triples, and entities per class and triples per property; plus the default graph.
    Kept in `cache` (one per app) for STATS_SECONDS."""
    cached = cache.get(id(store))
    if cached and time.monotonic() - cached[0] < STATS_SECONDS:
        return cached[1]
    graphs: dict[str, dict] = {}
    for row in store.select(TOTALS):
        graphs[row["g"].value] = {"triples": int(row["n"].value), "classes": {}, "properties": {}}
    for query, key, var in ((CLASSES, "classes", "c"), (PROPERTIES, "properties", "p")):
        for row in store.select(query):
            if row["g"].value in graphs:
                graphs[row["g"].value][key][row[var].value] = int(row["n"].value)
    stats = {"default": int(store.select(DEFAULT_TOTAL)[0]["n"].value), "graphs": graphs}
    cache[id(store)] = (time.monotonic(), stats)
    return stats


def example_queries(directory: Path) -> list:
    """The stored queries of `queries/` (an empty list when the directory is missing or a file is malformed)."""
    if not directory.is_dir():
        return []
    try:
        from ...queries import load_queries

        return sorted(load_queries(directory).values(), key=lambda q: q.name)
    except Exception as error:  # a malformed example must not take the Service Description down
        log.warning("example queries not listed: %s", error)
        return []


def describe_service(store: Store, endpoint: str, *, dumps: list[str], queries: list, federation: bool,
                     cache: dict) -> Graph:
    """The Service Description graph of `endpoint` (its IRI as the client reached it)."""
    g = Graph()
    for prefix, ns in (("sd", SD), ("void", VOID), ("dcterms", DCTERMS), ("sh", SH), ("schema", SCHEMA)):
        g.bind(prefix, ns)
    service, dataset, default = URIRef(endpoint + "#service"), URIRef(endpoint + "#dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if federation:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        g.add((service, SD.resultFormat, URIRef(fmt.w3c)))
    g.add((service, DCTERMS.license, LICENSE))
    g.add((service, SD.defaultDataset, dataset))

    stats = statistics(store, cache)
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    g.add((dataset, DCTERMS.license, LICENSE))
    for url in dumps:
        g.add((dataset, VOID.dataDump, URIRef(url)))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(stats["default"], datatype=XSD.integer)))
    for iri, graph_stats in sorted(stats["graphs"].items()):
        named, described = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, described))
        _void_partitions(g, described, graph_stats)

    for query in queries:
        _example(g, service, endpoint, query)
    return g


def _void_partitions(g: Graph, node, stats: dict) -> None:
    g.add((node, RDF.type, SD.Graph))
    g.add((node, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((node, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((node, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    for cls, count in sorted(stats["classes"].items()):
        part = BNode()
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(stats["properties"].items()):
        part = BNode()
        g.add((node, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))


def _example(g: Graph, service: URIRef, endpoint: str, query) -> None:
    """An example query as the SIB SPARQL-examples convention writes it (sh:SPARQLExecutable, schema:target)."""
    node = URIRef(f"{endpoint}#query-{query.name}")
    g.add((node, RDF.type, SH.SPARQLExecutable))
    g.add((node, RDF.type, SH.SPARQLSelectExecutable))
    g.add((node, RDFS.label, Literal(query.title_en, lang="en")))
    g.add((node, RDFS.label, Literal(query.title_es, lang="es")))
    g.add((node, RDFS.comment, Literal(query.question, lang="en")))
    if query.question_es:
        g.add((node, RDFS.comment, Literal(query.question_es, lang="es")))
    g.add((node, SH.select, Literal(query.text)))
    g.add((node, SCHEMA.target, service))
    g.add((node, SCHEMA.url, URIRef(f"{endpoint}?{urlencode({'query': query.text})}")))
