"""The VoID/DCAT description of the public dataset: counts, partitions, dumps, licence and source."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from .dumps import Summary
from .formats import rdf_format
from .namespaces import ONTOLOGY_IRI, Base

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"


def describe(public: Summary, objects: int, base: Base, dumps: dict[str, int]) -> Graph:
    """The description of the public dataset, from the counts of its distinct triples (`public`, as
    dumps.summarize reads them; `objects`, its distinct objects) and its dump files (release path -> bytes)."""
    g = Graph()
    ds = base.dataset
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Grafo de conocimiento de la IV Reunión del Consejo de Expertos en CPS", lang="es")))
    g.add((ds, DCTERMS.title, Literal("Knowledge graph of the 4th Meeting of the Council of Experts on SCP", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.source, base.iri("report")))
    g.add((ds, VOID.uriSpace, Literal(str(base.id))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base.base + "sparql")))
    for vocabulary in vocabularies(set(public.properties) | set(public.classes)):
        g.add((ds, VOID.vocabulary, vocabulary))
    g.add((ds, VOID.triples, Literal(public.triples, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(public.subjects, datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(objects, datatype=XSD.integer)))

    classes = {URIRef(iri): count for iri, count in public.classes.items()}
    properties = {URIRef(iri): count for iri, count in public.properties.items()}
    g.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for cls, count in sorted(classes.items()):
        part = base.iri("dataset", "class", _slug(cls))
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        part = base.iri("dataset", "property", _slug(prop))
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))

    for rel, size in sorted(dumps.items()):
        name = rel.split("/")[-1]
        packed = name.endswith(".gz")   # the build's gzipped copy of a dump (decision 0023)
        fmt = rdf_format(name.removesuffix(".gz").rsplit(".", 1)[-1])
        url = URIRef(f"{base.base}dumps/{name}")
        dist = base.iri("dataset", "distribution", fmt.extension + ("-gz" if packed else ""))
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        if packed:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.format, URIRef(fmt.w3c)))
        g.add((dist, DCTERMS.license, LICENSE))
    return g


# The namespaces of the vocabularies the graph may use, longest first; void:vocabulary lists those whose
# terms the public triples use as a predicate or a class (VoID section 4.7).
VOCABULARIES = sorted((URIRef(str(ONTOLOGY_IRI) + "#"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
                       URIRef("http://www.w3.org/2000/01/rdf-schema#"), URIRef("http://www.w3.org/2002/07/owl#"),
                       URIRef("http://www.w3.org/2004/02/skos/core#"), URIRef("http://www.w3.org/ns/org#"),
                       URIRef("http://xmlns.com/foaf/0.1/"), URIRef("http://schema.org/"),
                       URIRef("http://www.w3.org/ns/prov#"), URIRef("http://purl.org/dc/terms/"),
                       URIRef("http://purl.org/ontology/bibo/"), URIRef("http://www.w3.org/ns/adms#"),
                       URIRef("http://purl.org/vocab/vann/"), URIRef("http://www.w3.org/2001/XMLSchema#")),
                      key=lambda ns: -len(ns))


def vocabularies(terms: set[str]) -> list[URIRef]:
    """The namespace of every vocabulary of some terms (the predicates and classes the triples use). A term
    of a namespace not in VOCABULARIES is named by its namespace as far as its last '#' or '/'."""
    found = set()
    for term in terms:
        namespace = next((ns for ns in VOCABULARIES if term.startswith(str(ns))), None)
        if namespace is None:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespace = URIRef(term[:cut + 1])
        found.add(namespace)
    return sorted(found)


def _slug(iri: URIRef) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(iri).split("//", 1)[-1]).strip("-").lower()
