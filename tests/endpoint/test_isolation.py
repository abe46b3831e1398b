"""A query never reads outside the store: FROM/FROM NAMED and the protocol's graph IRIs are never fetched,
`file:` IRIs are never read, SERVICE reaches only allow-listed endpoints. A loopback listener proves that no
connection is made."""

from __future__ import annotations

import pytest

from endpoint_helpers import solutions


def outbound_queries(url: str) -> list[tuple[str, list]]:
    return [
        (f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}", []),
        (f"SELECT * FROM NAMED <{url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", []),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", [("default-graph-uri", f"{url}data.ttl")]),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", [("named-graph-uri", f"{url}data.ttl")]),
        (f"ASK {{ GRAPH <{url}data.ttl> {{ ?s ?p ?o }} }}", []),
    ]


def test_dataset_iris_are_never_fetched(client, listener):
    for query, extra in outbound_queries(listener.url):
        response = client.get("/sparql", query_string=[("query", query)] + extra)
        assert response.status_code == 200, response.data
        rows = solutions(response.data)
        assert rows in ([], [{"boolean": False}]), (query, rows)
    assert listener.connections == []


def test_file_iris_are_never_read(client, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text('<http://example.org/s> <http://example.org/p> "read from disk" .\n')
    for query in (f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT ?o FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                  "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200 and solutions(response.data) == []
        assert b"read from disk" not in response.data


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}> SELECT * WHERE {{ service remote:sparql {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE<{url}sparql>{{ ?s ?p ?o }} }} }}",
    "BASE <{url}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_without_an_outbound_request(client, listener, template):
    response = client.get("/sparql", query_string={"query": template.format(url=listener.url)})
    assert response.status_code == 403, response.data
    assert "SERVICE" in response.data.decode()
    assert listener.connections == []


def test_service_words_in_strings_and_comments_are_not_service_clauses(client, listener):
    query = (f'SELECT ?x WHERE {{ BIND("SERVICE <{listener.url}> {{ }}" AS ?x) }} # SERVICE <{listener.url}>\n'
             "VALUES ?service { 1 }")
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200 and len(solutions(response.data)) == 1
    assert listener.connections == []


def test_allow_listed_service_is_federated(make_app, app_config, oxigraph_server, published):
    client = make_app(dict(app_config, SERVICE_ALLOWLIST=oxigraph_server.query, QUERY_WORKERS=1)).test_client()
    query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{oxigraph_server.query}> "
             "{ ?p a <http://xmlns.com/foaf/0.1/Person> } }")
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.data
    assert int(solutions(response.data)[0]["n"].value) > 50
    other = query.replace(oxigraph_server.query, oxigraph_server.update)
    assert client.get("/sparql", query_string={"query": other}).status_code == 403
    description = client.get("/sparql", headers={"Accept": "application/n-triples"}).data.decode()
    assert "sparql-service-description#BasicFederatedQuery" in description
