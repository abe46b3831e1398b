"""The service's own error messages in the reader's language (issue 14 item 6, decision 0025): a refused or
malformed query on a Spanish page says what happened in Spanish, with the engine's own text beside it marked
as the engine's (lang="en"); protocol clients keep the English messages unless they ask for Spanish."""

from __future__ import annotations

import re

import pytest
from browser_helpers import app_config
from support import error_sentence, says

from cpsgraph.errors import CpsError
from cpsgraph.store.guard import inspect_query, check_services
from cpsgraph.web.browser.catalogue import STRINGS, text

REFUSED = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
MALFORMED = "SELECT ?s WHERE { ?s ?p }"
HTML_ES = {"Accept": "text/html", "Accept-Language": "es"}
# Queries the gate refuses or finds too large, one per kind of message it gives
GATE = ("SELECT * { ?s ?p 'open }", "SELECT * { ?s ?p ?o } ¤", "SELECT * { ?s ?p ?o FILTER(?o = \\u0041) }",
        "PREFIX x: <http://a/>", "INSERT DATA { <a:a> <a:b> <a:c> }", "SELECT * { ?s ?p ?o } LOAD <a:b>",
        "FOO * { }", "SELECT * FROM ?g { ?s ?p ?o }", "SELECT * { SERVICE ?x { ?s ?p ?o } }",
        "SELECT * { SERVICESILENT <http://a/> { } }", "SELECT * { ?s ?p ?o . foo }",
        "PREFIX SERVICEx: <http://a/> SELECT * { ?s SERVICEx:p ?o }", "PREFIX e: <http://a/> SELECT * { ?s e:a.b.c ?o }",
        "SELECT * { ?s ?p <http://a/'b> }", "SELECT * { " + "{ " * 200 + "}" * 200 + " }",
        "SELECT * { FILTER(" + " || ".join(["?a"] * 1100) + ") }",
        "SELECT * { " + " ".join(f"?s ?p ?o{i} ." for i in range(1100)) + " }", "SELECT * { " + "#\n" * 10001 + "}")


def _gate_error(query: str) -> CpsError:
    with pytest.raises(CpsError) as caught:
        check_services(inspect_query(query), frozenset())
    return caught.value


@pytest.mark.parametrize("query", GATE + (REFUSED,), ids=range(len(GATE) + 1))
def test_every_refusal_of_the_gate_has_its_spanish_and_says_the_same_in_english(query):
    error = _gate_error(query)
    assert error.key in STRINGS, (error.key, error.message)
    spanish, english = text(error.key, "es", **error.values), text(error.key, "en", **error.values)
    # the catalogue's English is the message protocol clients read (numbers aside, which it writes with commas)
    assert re.sub(r"(?<=\d),(?=\d{3})", "", english) == error.message
    assert spanish != english and " line " not in spanish


def test_a_refused_query_on_a_spanish_page_is_explained_in_spanish(client):
    response = client.get("/sparql", query_string={"query": REFUSED}, headers=HTML_ES)
    assert response.status_code == 403 and response.headers["Content-Language"] == "es"
    body = response.get_data(as_text=True)
    assert "SERVICE &lt;http://example.org/sparql&gt; no se acepta" in body
    assert "Consulta rechazada" in body
    assert "is refused" not in body and "federated queries" not in body   # the English message is not shown
    assert "Accept-Language" in response.headers["Vary"]


def test_a_malformed_query_shows_our_spanish_sentence_and_the_engines_own_message_marked_as_english(client):
    response = client.get("/sparql", query_string={"query": MALFORMED}, headers=HTML_ES)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    engine = re.search(r'<pre class="error-engine" lang="en">(.*?)</pre>', body, re.S)
    assert engine and "1:" in engine.group(1), body        # pyoxigraph's text, line:column, as it gives it
    assert "El motor de consultas no pudo leer la consulta" in body
    assert "Mensaje del motor de consultas" in body


def test_the_english_page_and_the_protocol_answers_keep_the_stable_message(client):
    english = client.get("/sparql", query_string={"query": REFUSED}, headers={"Accept": "text/html",
                                                                              "Accept-Language": "en"})
    assert "is refused: federated queries may only reach" in english.get_data(as_text=True)
    plain = client.get("/sparql", query_string={"query": REFUSED})
    assert plain.content_type.startswith("text/plain") and plain.headers["Content-Language"] == "en"
    assert plain.get_data(as_text=True).startswith("403 Query refused\n\nSERVICE <http://example.org/sparql> is refused")
    as_json = client.get("/sparql", query_string={"query": REFUSED}, headers={"Accept": "application/json"})
    assert set(as_json.get_json()) == {"status", "title", "message"}


def test_a_program_that_asks_for_spanish_gets_it_beside_the_english_fields(client):
    as_json = client.get("/sparql", query_string={"query": MALFORMED},
                         headers={"Accept": "application/sparql-results+json", "Accept-Language": "es"}).get_json()
    assert as_json["title"] == "Query syntax error" and as_json["message"]   # the documented fields, unchanged
    localized = as_json["localized"]
    assert localized["lang"] == "es" and localized["title"] == "Solicitud no válida"
    assert localized["message"].startswith("El motor de consultas no pudo leer")
    assert localized["engine"] == as_json["message"] and localized["engine_label"].startswith("Mensaje del motor")
    plain = client.get("/sparql", query_string={"query": REFUSED}, headers={"Accept-Language": "es"})
    assert plain.get_data(as_text=True).startswith("403 Consulta rechazada\n\nSERVICE <http://example.org/sparql> "
                                                   "no se acepta")


def test_the_stored_query_api_says_a_bad_parameter_in_spanish_when_asked(client):
    response = client.get("/api/queries/participants-by-country", query_string={"page": "0"},
                          headers={"Accept-Language": "es", "Accept": "application/json"})
    body = response.get_json()
    assert response.status_code == 400 and body["message"].startswith("page must be a whole number")
    assert body["localized"]["message"].startswith("page debe ser un número entero de 1 a")


def test_an_unknown_page_says_so_in_spanish(client):
    response = client.get("/page/person/nobody-at-all", headers=HTML_ES)
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "El grafo no contiene nada sobre" in body
    assert "The graph holds nothing" not in body


def test_an_unknown_address_says_so_in_spanish_without_werkzeugs_english(client):
    body = client.get("/no/such/page", headers=HTML_ES).get_data(as_text=True)
    assert "Este servicio no tiene ninguna página ni recurso en esta dirección." in body
    assert "The requested URL" not in body


# --- The rarer errors (issue 14): each with its entry, said in both languages ------------------------------------

SPARQL_ASK = "/sparql?query=ASK%7B%7D"
# (request, its headers besides the language, status, catalogue key): every error of ours a reader can meet on the
# real build that the tests above leave out
MET = (
    ("/network/person/nobody", {"Accept": "text/html"}, 404, "network.unknown"),
    ("/network/evidence?kind=no-such-kind&via=working-group/cono-sur", {"Accept": "text/html"}, 404,
     "network.no-connection"),
    ("/network/evidence.json?kind=no-such-kind&via=working-group/cono-sur&a=person/graciela-scavone"
     "&b=person/carmen-terry", {"Accept": "application/json"}, 404, "network.no-connection-between"),
    ("/paths?from=person/nobody&to=person/graciela-scavone", {"Accept": "text/html"}, 404, "network.not-actor"),
    ("/paths?from_name=zzzzqq&to=person/graciela-scavone", {"Accept": "text/html"}, 404, "network.no-match"),
    ("/interlocks/person/nobody", {"Accept": "text/html"}, 404, "network.not-member"),
    ("/interlocks/organization/pnuma.csv", {"Accept": "text/html"}, 404, "network.interlocks-format"),
    ("/data/person/graciela-scavone.xyz", {"Accept": "text/html"}, 404, "page.format"),
    ("/graph/nope", {"Accept": "text/html"}, 404, "page.graph"),
    ("/evidence/nope", {"Accept": "text/html"}, 404, "page.passage"),
    ("/store?graph=http://example.org/a&default", {}, 400, "gsp.one-graph"),
    ("/store?graph=http://example.org/none", {"Accept": "text/turtle"}, 404, "store.no-graph"),
    ("/dumps/nope.txt", {"Accept": "application/json"}, 404, "gsp.no-dump"),
    (SPARQL_ASK + "&format=foo", {"Accept": "text/html"}, 406, "format.unknown"),
    (SPARQL_ASK, {"Accept": "image/png"}, 406, "format.accept"),
    (SPARQL_ASK, {"Accept": "text/html", "Authorization": "Bearer"}, 401, "auth.malformed"),
    (SPARQL_ASK, {"Accept": "application/json", "Authorization": "Bearer not-the-token"}, 401, "auth.token"),
)


def _both_languages(client, path, headers, status, key):
    """The answer in Spanish says the entry's Spanish and none of its English; in English, the entry's English,
    which is the message protocol clients read."""
    spanish = client.get(path, headers={**headers, "Accept-Language": "es"})
    english = client.get(path, headers={**headers, "Accept-Language": "en"})
    assert (spanish.status_code, english.status_code) == (status, status), spanish.get_data(as_text=True)[:500]
    assert spanish.headers["Content-Language"] == "es" and english.headers["Content-Language"] == "en"
    said_es, said_en = error_sentence(spanish), error_sentence(english)
    assert says(key, "es", said_es), (key, said_es)
    assert says(key, "en", said_en), (key, said_en)
    assert said_en not in spanish.get_data(as_text=True).replace("&#39;", "'") or spanish.is_json
    if english.is_json:
        assert english.get_json()["message"] == said_en and "localized" not in english.get_json()


@pytest.mark.parametrize(("path", "headers", "status", "key"), MET, ids=[m[3] for m in MET])
def test_each_rarer_error_says_itself_in_spanish_and_in_english(client, path, headers, status, key):
    _both_languages(client, path, headers, status, key)


@pytest.fixture(scope="module")
def build_less_client(make_app, tmp_path_factory):
    """The service on a file of its own, with an empty build directory and an operator token: so no restricted
    graph, no VoID and no gzipped dumps."""
    empty = tmp_path_factory.mktemp("no-build")
    data = empty / "partner.ttl"
    data.write_text("<http://example.org/s> <http://example.org/p> 'o' .\n", encoding="utf-8")
    return make_app(app_config(empty / "build", DATA_FILES=str(data), OPERATOR_TOKEN="the-operators-token")).test_client()


@pytest.mark.parametrize(("path", "headers", "status", "key"), (
    (SPARQL_ASK, {"Accept": "text/html", "Authorization": "Bearer the-operators-token"}, 503, "auth.not-loaded"),
    ("/dumps/cps-lac.ttl.gz", {"Accept": "text/html"}, 404, "gsp.no-gzip"),
    ("/.well-known/void", {"Accept": "text/html"}, 404, "page.no-void"),
), ids=["auth.not-loaded", "gsp.no-gzip", "page.no-void"])
def test_the_errors_of_a_service_without_a_build_say_themselves_in_both_languages(build_less_client, path, headers,
                                                                                 status, key):
    _both_languages(build_less_client, path, headers, status, key)


def test_a_bug_says_so_in_spanish_without_the_exceptions_text():
    from cpsgraph.web.errors import InternalError

    error = InternalError()
    assert text(error.key, "en") == error.message
    assert text(error.key, "es").startswith("El servicio falló con esta solicitud")

