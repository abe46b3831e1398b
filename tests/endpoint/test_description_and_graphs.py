"""The Service Description (parsed back and checked against the build), the dumps it links to, and the read
side of the Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import FOAF, RDF, VOID

from endpoint_helpers import ROOT, triples

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("http://schema.org/")
BASE = "https://w3id.org/cps-lac/"


@pytest.fixture(scope="module")
def description(app) -> Graph:
    response = app.test_client().get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.data, format="turtle")


def graph_stats(description: Graph, iri: str):
    named = description.value(predicate=SD.name, object=URIRef(iri))
    return description.value(named, SD.graph)


def test_sd_endpoint_is_the_real_endpoint_iri(app):
    response = app.test_client().get("/sparql", base_url="https://sparql.example.org",
                                     headers={"Accept": "text/turtle"})
    g = Graph().parse(data=response.data, format="turtle")
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == URIRef("https://sparql.example.org/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g


def test_sd_lists_each_public_graph_with_its_triple_count(description, counts):
    for name in ("data", "ontology"):
        assert int(description.value(graph_stats(description, BASE + "graph/" + name), VOID.triples)) == counts[name]
    assert graph_stats(description, BASE + "graph/restricted") is None


def test_sd_class_and_property_partitions_match_the_data(description, public_graph):
    data = graph_stats(description, BASE + "graph/data")
    persons = next(int(description.value(part, VOID.entities))
                   for part in description.objects(data, VOID.classPartition)
                   if description.value(part, VOID["class"]) == FOAF.Person)
    assert persons == len(set(public_graph.subjects(RDF.type, FOAF.Person)))
    labels = next(int(description.value(part, VOID.triples))
                  for part in description.objects(data, VOID.propertyPartition)
                  if description.value(part, VOID.property) == URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert labels > 100


def test_sd_links_dumps_and_licence_and_every_dump_is_the_public_graph(app, description, public_graph):
    dataset = description.value(predicate=RDF.type, object=SD.Dataset)
    assert (dataset, URIRef("http://purl.org/dc/terms/license"),
            URIRef("https://creativecommons.org/licenses/by/4.0/")) in description
    dumps = sorted(str(url) for url in description.objects(dataset, VOID.dataDump))
    assert [url.rsplit("/", 1)[-1] for url in dumps] == ["cps-lac.jsonld", "cps-lac.nt", "cps-lac.trig", "cps-lac.ttl"]
    client = app.test_client()
    for url in dumps:
        response = client.get(url.replace("http://localhost", ""))
        assert response.status_code == 200
        assert len(triples(response.data, response.mimetype)) == len(public_graph), url


def test_sd_lists_the_example_queries(description):
    examples = set(description.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(examples) == len(list((ROOT / "queries").glob("*.rq")))
    for example in examples:
        assert str(description.value(example, SH.select)).strip()
        assert description.value(example, SCHEMA.target) is not None


def test_sd_as_html_for_browsers_has_a_query_form(app):
    page = app.test_client().get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "<form" in page and "textarea" in page and "graph/data" in page


def test_head_on_the_service_description(app):
    response = app.test_client().head("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.data == b"" and response.mimetype == "text/turtle"


# --- Graph Store Protocol, read side ------------------------------------------------------------------------

@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/ld+json",
                                        "application/rdf+xml", "application/trig", "application/n-quads"])
def test_gsp_get_a_named_graph_in_any_rdf_format(client, counts, media_type):
    response = client.get("/store", query_string={"graph": BASE + "graph/ontology"}, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert len(triples(response.data, media_type)) == counts["ontology"]


def test_gsp_get_the_default_graph_is_the_union(client, public_graph):
    response = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert len(triples(response.data, "application/n-triples")) == len(public_graph)


def test_gsp_unknown_graph_is_404_and_writes_are_405(client):
    assert client.get("/store", query_string={"graph": "http://example.org/nothing"}).status_code == 404
    put = client.put("/store", query_string={"graph": BASE + "graph/data"}, data="<a:s> <a:p> <a:o> .",
                     content_type="text/turtle")
    assert put.status_code == 405 and "GET" in put.headers["Allow"]
    assert client.delete("/store", query_string={"graph": BASE + "graph/data"}).status_code == 405
    assert client.head("/store", query_string={"graph": "http://example.org/nothing"}).status_code == 404


def test_unknown_dump_is_404(client):
    assert client.get("/dumps/cps-lac-restricted.trig").status_code == 404
    assert client.get("/dumps/cps-lac.csv").status_code == 404


def test_dump_file_is_the_trig_of_the_build(client, release):
    response = client.get("/dumps/cps-lac.trig")
    built = triples((Path(release) / "public" / "cps-lac.trig").read_bytes(), "application/trig")
    assert triples(response.data, "application/trig") == built
