"""Never leaked: the restricted contacts graph is absent from every public output. The test enumerates the
restricted values (read from the report by cpsgraph.contacts: e-mail addresses, telephone and fax numbers, street
addresses) and searches every public response for them: the dumps, the Graph Store, SELECT/CONSTRUCT/DESCRIBE
over all graphs in every format, the stored-query API, the Service Description, and the browser's pages and
network JSON when the browser is there. The service runs as in production with an operator token, so the
restricted store exists beside the public one. A wrong token gets a 401 and nothing else."""

from __future__ import annotations

import json

import pytest

from reliability_helpers import RESTRICTED_GRAPH, TOKEN, readable_forms, restricted_needles

SCHEMA = "http://schema.org/"
EVERYTHING = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
RDF_ACCEPTS = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
RESULT_ACCEPTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                  "text/tab-separated-values", "text/html")


@pytest.fixture(scope="module")
def leak_client(make_app, app_config):
    """The production set-up (operator token, restricted store loaded) without a result cap, so that queries over
    everything return everything."""
    return make_app(dict(app_config, RESULT_CAP=0, QUERY_TIMEOUT=20.0)).test_client()


@pytest.fixture(scope="module")
def needles() -> list[str]:
    found = restricted_needles()
    assert len(found) > 200, "the restricted table should hold some hundreds of contact values"
    return found


def endpoint_responses(client) -> list[tuple[str, object]]:
    got = [(f"/dumps/cps-lac.{ext}", client.get(f"/dumps/cps-lac.{ext}")) for ext in ("trig", "ttl", "nt", "jsonld")]
    got += [(f"/store {accept}", client.get("/store", headers={"Accept": accept}))
            for accept in ("application/trig", "application/n-quads")]
    got += [("/store?default", client.get("/store?default"))]
    graphs = [row["g"]["value"] for row in client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"}).get_json()["results"]["bindings"]]
    got += [(f"/store?graph={g}", client.get("/store", query_string={"graph": g})) for g in graphs + [RESTRICTED_GRAPH]]
    queries = {EVERYTHING: RESULT_ACCEPTS, "SELECT * WHERE { ?s ?p ?o }": RESULT_ACCEPTS[:1],
               "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }": RDF_ACCEPTS,
               "DESCRIBE ?s WHERE { ?s ?p ?o }": RDF_ACCEPTS[:1],
               f"SELECT * WHERE {{ GRAPH <{RESTRICTED_GRAPH}> {{ ?s ?p ?o }} }}": RESULT_ACCEPTS[:1],
               f"SELECT * FROM <{RESTRICTED_GRAPH}> WHERE {{ ?s ?p ?o }}": RESULT_ACCEPTS[:1],
               f"SELECT * FROM NAMED <{RESTRICTED_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}": RESULT_ACCEPTS[:1],
               f"SELECT ?s ?v WHERE {{ ?s a <{SCHEMA}ContactPoint> ; ?p ?v }}": RESULT_ACCEPTS[:1],
               f"DESCRIBE ?c WHERE {{ ?p <{SCHEMA}contactPoint> ?c }}": RDF_ACCEPTS[:1]}
    for text, accepts in queries.items():
        got += [(f"{text} as {accept}", client.get("/sparql", query_string={"query": text}, headers={"Accept": accept}))
                for accept in accepts]
    got += [(f"{key}=restricted", client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }",
                                                                      key: RESTRICTED_GRAPH}))
            for key in ("default-graph-uri", "named-graph-uri")]
    got += [(f"service description {accept}", client.get("/sparql", headers={"Accept": accept}))
            for accept in ("text/turtle", "application/ld+json", "text/html")]
    listing = client.get("/api/queries")
    got += [("/api/queries", listing), ("/openapi.json", client.get("/openapi.json")),
            ("/readyz", client.get("/readyz"))]
    for query in listing.get_json()["queries"]:
        got.append((query["url"], client.get(f"/api/queries/{query['name']}?per_page=1000")))
    return got


def browser_responses(client) -> list[tuple[str, object]]:
    persons = [row["p"]["value"].rsplit("/", 1)[1] for row in client.get("/sparql", query_string={
        "query": "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }"}).get_json()["results"]["bindings"]]
    paths = ["/", "/persons", "/persons.json", "/organizations", "/organizations.json", "/priorities",
             "/search?q=%40", "/search.json?q=%40", "/search?q=hotmail", "/search.json?q=tel", "/dumps",
             "/.well-known/void", "/ontology.ttl", "/ontology.html", "/query", "/query/config.json", "/quality",
             "/quality.ttl", "/contact/1-1", "/page/contact/1-1", "/data/contact/1-1.ttl", "/id/contact/1-1",
             f"/paths.json?from=person/{persons[0]}&to=person/{persons[-1]}"]
    for person in persons:
        paths += [f"/page/person/{person}", f"/data/person/{person}.ttl", f"/network/person/{person}.json"]
    return [(path, client.get(path)) for path in paths]


def leaks(responses, needles: list[str]) -> dict[str, list[str]]:
    found = {}
    for label, response in responses:
        text = readable_forms(response.data, response.content_type or "")
        hits = [needle for needle in needles if needle in text]
        if response.status_code == 200 and "id/contact/" in text:
            hits.append("a contact node's IRI")
        if hits:
            found[label] = hits[:5]
    return found


def test_no_public_response_holds_a_restricted_value(leak_client, needles, figures):
    responses = endpoint_responses(leak_client) + browser_responses(leak_client)
    assert not [label for label, r in responses if r.status_code >= 500], "a public URL failed"
    assert sum(1 for _, r in responses if r.status_code == 200) > 100
    found = leaks(responses, needles)
    figures.record("never_leaked.needles", len(needles))
    figures.record("never_leaked.responses", len(responses))
    figures.record("never_leaked.megabytes", sum(len(r.data) for _, r in responses) / 1e6)
    figures.record("never_leaked.hits", sum(len(hits) for hits in found.values()))
    assert not found, f"restricted values in public responses: {json.dumps(found, ensure_ascii=False)[:2000]}"


def test_the_search_would_find_them_where_they_are(leak_client, needles):
    """The control: with the operator's token the restricted graph is served, and the search finds its values."""
    response = leak_client.get("/store", query_string={"graph": RESTRICTED_GRAPH},
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = readable_forms(response.data, response.content_type)
    assert sum(1 for needle in needles if needle in text) >= 0.95 * len(needles)


WRONG = ("Bearer wrong", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN.upper()}", "Bearer",
         "Bearer ", "bearer nothing", "Bearer " + "x" * 2000, f"Bearer {TOKEN} {TOKEN}")
GUARDED = ("/sparql?query=" + "SELECT%20*%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
           "/store?graph=" + RESTRICTED_GRAPH, "/store", "/dumps/cps-lac.trig", "/sparql",
           "/api/queries/participants-by-country", "/api/queries", "/openapi.json", "/readyz", "/persons",
           "/page/person/graciela-scavone", "/network/person/graciela-scavone.json")


@pytest.mark.parametrize("authorization", WRONG)
def test_a_wrong_or_missing_token_gets_401_and_nothing_else(leak_client, authorization, needles):
    for path in GUARDED:
        response = leak_client.get(path, headers={"Authorization": authorization, "Accept": "application/json"})
        assert response.status_code == 401, (path, authorization[:30])
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.headers["Cache-Control"] == "no-store"
        assert "X-Result-Truncated" not in response.headers and len(response.data) < 1000
        assert set(response.get_json()) == {"status", "title", "message"}
        assert not [needle for needle in needles if needle in response.get_data(as_text=True)]


@pytest.mark.parametrize("how", [{"query_string": {"access_token": TOKEN}}, {"query_string": {"token": TOKEN}},
                                 {"headers": {"Authorization": f"Basic {TOKEN}"}},
                                 {"headers": {"Cookie": f"token={TOKEN}"}}, {}])
def test_a_token_anywhere_but_the_bearer_header_opens_nothing(leak_client, how):
    query = {"query": f"ASK {{ GRAPH <{RESTRICTED_GRAPH}> {{ ?s ?p ?o }} }}"}
    query.update(how.get("query_string", {}))
    response = leak_client.get("/sparql", query_string=query, headers=how.get("headers", {}))
    assert response.status_code == 200 and response.get_json()["boolean"] is False
    assert leak_client.get("/store", query_string={"graph": RESTRICTED_GRAPH, **how.get("query_string", {})},
                           headers=how.get("headers", {})).status_code == 404
    operator = leak_client.get("/sparql", query_string=query, headers={"Authorization": f"Bearer {TOKEN}"})
    assert operator.get_json()["boolean"] is True
