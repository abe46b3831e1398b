"""Dereferenceable IRIs: 303 See Other from every kind of `/id/` IRI to its page or its data document, the
data documents in four formats parsed back into graphs, Link headers and <link rel="alternate">, and the
ontology, named-graph and dataset IRIs."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VOID

from browser_helpers import CPS, ID, page_of

# Every kind of IRI the graph mints (`{base}id/<kind>/...`), and `{base}id/report`.
KINDS = ("actor-type", "affiliation", "agreement", "answer", "common-priority", "count", "country", "drafting-member",
         "event", "event-role", "event-status", "finding", "horizon", "initiative", "meeting-kind", "objective",
         "organization", "participation",
         "passage", "person", "place", "plan", "presentation", "priority-level", "proposal", "proposal-category",
         "question", "recommendation", "report", "reported-result", "role", "scheme", "seat", "sector", "session",
         "session-kind", "status", "subregion", "task-force", "theme", "working-group")
FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
           "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}
CHROME_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def one_of_kind(graph: Graph, kind: str) -> URIRef:
    prefix = ID + kind
    found = sorted(s for s in set(graph.subjects()) if isinstance(s, URIRef)
                   and (str(s) == prefix or str(s).startswith(prefix + "/"))
                   and (s, DCTERMS.isReplacedBy, None) not in graph)  # a moved IRI answers 301 (test_moved_ids)
    assert found, f"the graph has no IRI of kind {kind}"
    return found[0]


def parsed(response, rdflib_format: str) -> Graph:
    assert response.status_code == 200, response.data[:300]
    graph = Graph()
    graph.parse(data=response.data, format=rdflib_format)
    return graph


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_iri_redirects_to_its_page_and_its_data(client, public_graph, kind):
    iri = one_of_kind(public_graph, kind)
    path = str(iri)[len(ID):]
    to_page = client.get(f"/id/{path}", headers={"Accept": CHROME_ACCEPT})
    assert to_page.status_code == 303 and to_page.headers["Location"] == f"/page/{path}"
    assert "Accept" in to_page.headers["Vary"]
    page = page_of(client.get(to_page.headers["Location"]))
    label = public_graph.value(iri, RDFS.label)
    if label is not None:
        assert str(label) in page.text or any(str(other) in page.text for other in public_graph.objects(iri, RDFS.label))

    to_data = client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
    assert to_data.status_code == 303 and to_data.headers["Location"] == f"/data/{path}.ttl"
    described = parsed(client.get(to_data.headers["Location"]), "turtle")
    own = set(public_graph.triples((iri, None, None)))
    assert own and own <= set(described), "the data document holds every statement about the resource"


@pytest.mark.parametrize("ext", FORMATS)
def test_data_document_in_every_format_parses_to_the_same_statements(client, public_graph, ext):
    media_type, rdflib_format = FORMATS[ext]
    iri = URIRef(ID + "person/graciela-scavone")
    redirect = client.get("/id/person/graciela-scavone", headers={"Accept": media_type})
    assert redirect.status_code == 303 and redirect.headers["Location"] == f"/data/person/graciela-scavone.{ext}"
    response = client.get(redirect.headers["Location"])
    assert response.mimetype == media_type
    graph = parsed(response, rdflib_format)
    assert set(public_graph.triples((iri, None, None))) <= set(graph)
    # what points at her (her participation, her presentation) and the labels of both sides
    participation = URIRef(ID + "participation/18")
    assert (participation, URIRef("http://www.w3.org/ns/org#member"), iri) in graph
    assert (participation, RDFS.label, Literal("Participation of Graciela Scavone (Anexo III #18)", lang="en")) in graph


def test_negotiation_follows_q_values_and_wildcards(client):
    def target(accept):
        return client.get("/id/country/PA", headers={"Accept": accept}).headers["Location"]

    assert target("text/turtle;q=0.5, application/ld+json") == "/data/country/PA.jsonld"
    assert target("application/n-triples, text/html;q=0.1") == "/data/country/PA.nt"
    assert target("*/*") == "/data/country/PA.ttl"       # RDF clients that accept anything get Turtle
    assert target(CHROME_ACCEPT) == "/page/country/PA"    # browsers name text/html


def test_page_and_redirect_name_every_format(client):
    expected = {media for media, _ in FORMATS.values()}
    redirect = client.get("/id/country/PA", headers={"Accept": "text/html"})
    assert {f'type="{m}"' in redirect.headers["Link"] for m in expected} == {True}
    response = client.get("/page/country/PA")
    links = response.headers["Link"]
    assert all(f'</data/country/PA.{ext}>; rel="alternate"; type="{media}"' in links
               for ext, (media, _) in FORMATS.items())
    assert f'<{ID}country/PA>; rel="describes"' in links
    alternates = page_of(response).alternates()
    assert {alternates[media] for media in expected} == {f"/data/country/PA.{ext}" for ext in FORMATS}
    data = client.get("/data/country/PA.nt")
    assert '</page/country/PA>; rel="alternate"; type="text/html"' in data.headers["Link"]


def test_unknown_iris_and_formats_are_404(client):
    assert client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/page/person/nobody-at-all").status_code == 404
    assert client.get("/data/person/graciela-scavone.pdf").status_code == 404
    assert client.get("/data/person/graciela-scavone.trig").status_code == 404  # one graph, no dataset formats


def test_ontology_iris_dereference(client):
    for path in ("/ontology", "/ontology/1.0.0"):
        assert client.get(path, headers={"Accept": CHROME_ACCEPT}).headers["Location"] == "/ontology.html"
        assert client.get(path, headers={"Accept": "text/turtle"}).headers["Location"] == "/ontology.ttl"
    graph = parsed(client.get("/ontology.ttl"), "turtle")
    assert (URIRef(CPS + "Meeting"), RDF.type, OWL.Class) in graph
    assert (URIRef(CPS + "presenter"), RDFS.label, Literal("presentador", lang="es")) in graph
    assert len(parsed(client.get("/ontology.rdf"), "xml")) == len(graph)
    # `…/ontology#Meeting` lands on the term's anchor: browsers keep the fragment across the 303
    page = page_of(client.get("/ontology.html"))
    classes = {str(c)[len(CPS):] for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(CPS)}
    properties = {str(p)[len(CPS):] for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
                  for p in graph.subjects(RDF.type, kind) if str(p).startswith(CPS)}
    assert classes and properties and (classes | properties) <= page.ids


def test_named_graph_iris_dereference(client, public_graph):
    rdf = client.get("/graph/data", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 303 and rdf.headers["Location"].startswith("/store?graph=")
    data_graph = parsed(client.get(rdf.headers["Location"]), "turtle")
    assert (URIRef(ID + "country/AR"), RDFS.label, Literal("Argentina", lang="es")) in data_graph
    assert client.get("/graph/data", headers={"Accept": "text/html"}).headers["Location"] == "/dumps"
    assert client.get("/graph/restricted", headers={"Accept": "text/turtle"}).status_code == 404


def test_dataset_iri_and_well_known_void(client, release):
    assert client.get("/id/dataset", headers={"Accept": "text/turtle"}).headers["Location"] == "/.well-known/void"
    assert client.get("/id/dataset", headers={"Accept": "text/html"}).headers["Location"] == "/dumps"
    void = parsed(client.get("/.well-known/void", headers={"Accept": "text/turtle"}), "turtle")
    built = Graph().parse(release / "public" / "void.ttl", format="turtle")
    assert len(void) == len(built)
    dataset = URIRef(ID + "dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert void.value(dataset, VOID.triples) == built.value(dataset, VOID.triples)
    jsonld = parsed(client.get("/.well-known/void", headers={"Accept": "application/ld+json"}), "json-ld")
    assert len(jsonld) == len(built)
