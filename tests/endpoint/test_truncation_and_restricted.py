"""Two promises: a result cut by the cap says so (header and body, in every format and in the browser view),
and the restricted contacts graph is invisible to the public and served only to the operator's token."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint_helpers import TOKEN, solutions, triples

CAP = 7
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
RESTRICTED = "https://w3id.org/cps-lac/graph/restricted"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def capped(make_app, app_config):
    return make_app(dict(app_config, RESULT_CAP=CAP, QUERY_WORKERS=1)).test_client()


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml",
                                        "text/csv", "text/tab-separated-values", "text/html"])
def test_a_cut_select_says_so_in_header_and_body(capped, media_type):
    response = capped.get("/sparql", query_string={"query": ALL}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true" and response.headers["X-Result-Cap"] == str(CAP)
    body = response.data.decode()
    if media_type.endswith("json"):
        doc = json.loads(body)
        assert len(doc["results"]["bindings"]) == CAP and doc["truncated"]["limit"] == CAP
    elif media_type.endswith("xml"):
        assert f'<link href="urn:x-cps-lac:truncated:{CAP}"/>' in body
        assert len(solutions(response.data, media_type)) == CAP
    elif media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == 1 + CAP + 1 and rows[-1][0].startswith("TRUNCATED:")
    elif media_type == "text/tab-separated-values":
        lines = body.splitlines()
        assert len(lines) == 1 + CAP + 1 and lines[-1].startswith('"TRUNCATED:')
    else:       # the site speaks Spanish unless asked otherwise; the warning says so in each language
        assert f"Respuesta recortada: solo se muestran las primeras {CAP} filas" in body and 'role="alert"' in body
        english = capped.get("/sparql", query_string={"query": ALL},
                             headers={"Accept": media_type, "Accept-Language": "en"}).data.decode()
        assert f"Truncated: only the first {CAP} rows" in english and 'role="alert"' in english


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/ld+json",
                                        "application/rdf+xml"])
def test_a_cut_graph_result_carries_a_marker_triple(capped, media_type):
    response = capped.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": media_type})
    assert response.headers["X-Result-Truncated"] == "true"
    got = triples(response.data, media_type)
    markers = [t for t in got if isinstance(t.object, ox.Literal) and t.object.value.startswith("TRUNCATED:")]
    assert len(markers) == 1 and len(got) == CAP + 1


@pytest.mark.parametrize("limit, truncated", [(CAP, False), (CAP + 1, True)])
def test_the_cap_cuts_only_what_exceeds_it(capped, limit, truncated):
    response = capped.get("/sparql", query_string={"query": f"{ALL} LIMIT {limit}"})
    assert ("X-Result-Truncated" in response.headers) is truncated
    assert ("truncated" in json.loads(response.data)) is truncated
    assert len(solutions(response.data)) == min(limit, CAP)


def test_ask_is_never_truncated(capped):
    response = capped.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert "X-Result-Truncated" not in response.headers and solutions(response.data) == [{"boolean": True}]


# --- The restricted graph -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def contact_values(release) -> list[str]:
    """Contact details as the restricted graph holds them (e-mail addresses, telephone numbers)."""
    quads = ox.parse(path=str(Path(release) / "restricted" / "cps-lac-restricted.trig"), format=ox.RdfFormat.TRIG)
    values = [q.object.value for q in quads if q.predicate.value in ("http://schema.org/email",
                                                                    "http://schema.org/telephone")]
    assert len(values) > 20, "the build has no contact details to protect"
    return values


def public_responses(client, person: str):
    yield client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     headers={"Accept": "text/tab-separated-values"})
    yield client.get("/sparql", query_string={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"},
                     headers={"Accept": "text/tab-separated-values"})
    yield client.get("/sparql", query_string={"query": f"SELECT * FROM <{RESTRICTED}> WHERE {{ ?s ?p ?o }}"})
    yield client.get("/sparql", query_string={"query": f"SELECT * FROM NAMED <{RESTRICTED}> WHERE "
                                                       "{ GRAPH ?g { ?s ?p ?o } }"})
    yield client.get("/sparql", query_string=[("query", "SELECT * WHERE { ?s ?p ?o }"),
                                              ("default-graph-uri", RESTRICTED)])
    yield client.get("/sparql", query_string={"query": f"DESCRIBE <{person}>"}, headers={"Accept": "text/turtle"})
    yield client.get("/sparql", query_string={"query": "DESCRIBE ?c WHERE { ?c a <http://schema.org/ContactPoint> }"})
    yield client.get("/store", headers={"Accept": "application/n-quads"})
    yield client.get("/store?default", headers={"Accept": "application/n-triples"})
    for name in ("cps-lac.trig", "cps-lac.ttl", "cps-lac.nt", "cps-lac.jsonld"):
        yield client.get(f"/dumps/{name}")
    yield client.get("/sparql", headers={"Accept": "text/turtle"})


def test_the_restricted_graph_is_invisible_without_the_token(client, contact_values):
    person = "https://w3id.org/cps-lac/id/person/graciela-scavone"
    for response in public_responses(client, person):
        assert response.status_code == 200, response.data
        body = response.data.decode("utf-8")
        assert RESTRICTED not in body
        leaked = [value for value in contact_values if value in body]
        assert not leaked, (response.request.url, leaked[:3])
    assert client.get("/store", query_string={"graph": RESTRICTED}).status_code == 404
    ask = client.get("/sparql", query_string={"query": f"ASK {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}"})
    assert solutions(ask.data) == [{"boolean": False}]


def test_the_token_holder_sees_the_restricted_graph(client, counts):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query}, headers=BEARER)
    assert response.status_code == 200
    assert int(solutions(response.data)[0]["n"].value) == counts["restricted"]
    assert response.headers["Cache-Control"] == "no-store"
    graph = client.get("/store", query_string={"graph": RESTRICTED}, headers={**BEARER, "Accept": "text/turtle"})
    assert len(triples(graph.data, "text/turtle")) == counts["restricted"]


@pytest.mark.parametrize("header", ["Bearer wrong-token", "Bearer ", f"Bearer {TOKEN}x", f"bearer {TOKEN[:-1]}"])
def test_a_wrong_token_is_401(client, header):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_a_configured_token_nobody_gets_in(make_app, app_config):
    client = make_app(dict(app_config, OPERATOR_TOKEN="", QUERY_WORKERS=1)).test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}, headers=BEARER).status_code == 401
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_the_public_store_never_loads_the_restricted_file(app):
    from cpsgraph.web.stores import stores

    public = stores(app).public
    assert all("restricted" not in str(path) for path, _ in public.files)
    assert not re.search("restricted", " ".join(public.named_graphs()))
