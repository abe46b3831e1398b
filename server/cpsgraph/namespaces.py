"""Namespaces, and the IRIs of our own resources under one configurable base.

All entity IRIs are `{base}id/{kind}/{id}`; named graphs are `{base}graph/{name}`. The ontology namespace
is fixed: its terms are the same whichever base a deployment chooses.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from .config import DEFAULT_BASE
from .vocab import CPS

ONTOLOGY_IRI = URIRef("https://w3id.org/cps-lac/ontology")

SCHEMA = Namespace("http://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
M49 = Namespace("http://metadata.un.org/sdg/codes/geoArea/")
SDG = Namespace("http://metadata.un.org/sdg/")
GEONAMES = Namespace("https://www.geonames.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
ADMS = Namespace("http://www.w3.org/ns/adms#")

PREFIXES = {
    "cps": CPS._NS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "bibo": BIBO,
    "adms": ADMS,
    "dcat": DCAT,
    "void": VOID,
    "wd": WD,
    "m49": M49,
    "sdg": SDG,
}

GRAPH_NAMES = ("ontology", "data", "restricted")
PUBLIC_GRAPHS = ("ontology", "data")


class Base:
    """Mints the IRIs of one deployment from its base (which must end with '/')."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith("/"):
            raise ValueError(f"the base IRI must end with '/': {base}")
        self.base = base
        self.id = Namespace(base + "id/")
        self.ns = {"cpsid": self.id}

    def iri(self, kind: str, *parts: str) -> URIRef:
        return URIRef(self.id + "/".join((kind,) + tuple(parts)))

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}id/dataset")
