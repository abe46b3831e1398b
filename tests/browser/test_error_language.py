"""The service's own error messages in the reader's language (issue 14 item 6, decision 0025): a refused or
malformed query on a Spanish page says what happened in Spanish, with the engine's own text beside it marked
as the engine's (lang="en"); protocol clients keep the English messages unless they ask for Spanish."""

from __future__ import annotations

import re
from pathlib import Path

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


# --- Every error of ours has its entry: read off the code, so that a new one without an entry fails here -----------

SERVER = Path(__file__).resolve().parents[2] / "server" / "cpsgraph"
# Raised only on the command line or at start-up, where the operator reads English: configuration, files given,
# and the CLI's own checks (a request never meets them)
NOT_ON_A_REQUEST = {"ConfigError", "InputError", "QueryFileError", "DataError", "ValidationFailed"}
OFF_REQUEST_SITES = {
    ("store/embedded.py", "QueryRefused"),    # load() while serving: the service itself never calls it
    ("store/remote.py", "RemoteStoreError@_write"),   # publish (the CLI) writing into a triplestore
    ("store/run.py", "NotAcceptable"),        # `cpsgraph query --format`
    ("queries.py", "UnknownQuery@resolve"), ("queries.py", "InvalidParameter@resolve"),   # `cpsgraph query FILE`
    ("web/errors.py", "HttpError"),           # werkzeug's errors: their key is set where they are rendered
    ("web/errors.py", "InternalError"),       # its key is given by its own __init__
}
# Entries whose English is not word for word the message: one entry for several messages (protocol.utf8,
# protocol.empty), or a sentence that leaves out what the message adds for the operator (the worker's or the
# network's reason, the README) or says the limit's setting (remote.time)
REWORDED = {"store.no-worker", "remote.down", "remote.time", "protocol.utf8", "protocol.empty", "protocol.media",
            "api.unknown"}


def _error_classes() -> set[str]:
    import inspect

    from cpsgraph import errors

    names = {name for name, thing in vars(errors).items() if inspect.isclass(thing) and issubclass(thing, CpsError)}
    names |= {"UnknownResource", "TooManyTokens", "HttpError", "InternalError"}
    return names


def _constructions():
    """(file, function, call) for every construction of an error of ours in the service's code."""
    import ast

    names = _error_classes()
    for path in sorted(SERVER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))]:
            for call in ast.walk(function):
                if isinstance(call, ast.Call):
                    func = call.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                    if name in names and name not in NOT_ON_A_REQUEST and isinstance(function, ast.FunctionDef):
                        yield path.relative_to(SERVER).as_posix(), function.name, name, call


def _keys(node) -> list[str]:
    import ast

    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    return []   # built from a variable (gate.hidden.{kind}, http.{code}): checked by the tests that raise them


def test_every_error_a_request_can_meet_names_its_entry_and_gives_its_fields():
    """Each error built in the service's code names a catalogue entry, gives the values of the entry's fields in
    both languages, and the entry's English is the message (its fields filled with anything)."""
    import ast

    seen, problems = set(), []
    for where, function, name, call in _constructions():
        if (where, name) in OFF_REQUEST_SITES or (where, f"{name}@{function}") in OFF_REQUEST_SITES:
            continue
        said = {keyword.arg: keyword.value for keyword in call.keywords}
        if "key" not in said:
            if function != "__init__":   # a subclass handing its caller's key on
                problems.append(f"{where} {function}: {name} has no catalogue key")
            continue
        values = said.get("values")
        given = None
        if isinstance(values, ast.Dict) and all(isinstance(k, ast.Constant) for k in values.keys):
            given = {k.value for k in values.keys}
        elif values is None:
            given = set()
        for key in _keys(said.get("key")):
            seen.add(key)
            if key not in STRINGS:
                problems.append(f"{where} {function}: {key} is not in the catalogue")
                continue
            fields = set(re.findall(r"(?<!\{)\{(\w+)", " ".join(STRINGS[key])))
            if given is not None and not fields <= given:
                problems.append(f"{where} {function}: {key} needs {fields - given}")
            message = call.args[0] if call.args else None
            if "engine" in said or key in REWORDED or not isinstance(message, (ast.JoinedStr, ast.Constant)):
                continue   # with an engine's text the message is our sentence and that text
            pattern = "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".*?"
                              for part in (message.values if isinstance(message, ast.JoinedStr) else [message]))
            english = re.sub(r"\{\w+\}", "X", STRINGS[key][1])
            if not re.fullmatch(pattern, english, re.S):
                problems.append(f"{where} {function}: the English of {key} is not the message clients read")
    assert problems == [], "\n".join(problems)
    assert {"network.unknown", "remote.cut", "remote.max-rows", "auth.token", "busy.request-workers"} <= seen
