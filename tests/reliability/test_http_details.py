"""Small things of issue 12, item 9, each a regression test named after its finding: page numbers, the OFFSET
overflow, the dumps the operator's token gets, the remote store's URL in messages, OPTIONS, and malformed
Authorization headers."""

from __future__ import annotations

import pytest
from reliability_helpers import RESTRICTED_GRAPH, TOKEN, free_port

JSON = {"Accept": "application/json"}
OPERATOR = {"Authorization": f"Bearer {TOKEN}"}
API = "/api/queries/participants-by-country"


# --- Page numbers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["²", "٣", "1²", "5" * 5000, "0", "-1", "+2", " 2", "1e3", "10000001", ""])
def test_a_page_that_is_not_a_plain_number_in_range_is_a_400_not_a_500(client, page):
    """Was: `?page=²` and a 5,000-digit page were 500s."""
    response = client.get(API, query_string={"page": page}, headers=JSON)
    assert response.status_code == 400, response.data[:300]
    message = response.get_json()["message"]
    assert message.startswith("page must be a whole number from 1 to ") and len(message) < 200


def test_per_page_is_checked_the_same_way(client):
    assert client.get(API, query_string={"per_page": "٣"}, headers=JSON).status_code == 400
    assert client.get(API, query_string={"per_page": "9" * 5000}, headers=JSON).status_code == 400


def test_an_offset_overflow_is_a_400_that_does_not_show_the_internal_query(client):
    """Was: a page whose OFFSET overflowed the engine's integer was a 400 quoting our whole query."""
    for page in ("9" * 19, "18446744073709551617", "1000000", "1000001"):
        response = client.get(API, query_string={"page": page, "per_page": 1000}, headers=JSON)
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 400), text[:300]
        assert "SELECT" not in text and "OFFSET" not in text and "PREFIX" not in text
    last = client.get(API, query_string={"page": "1000000", "per_page": 1000}, headers=JSON)
    assert last.status_code == 200 and last.get_json()["results"]["bindings"] == []


def test_a_parameter_value_that_is_empty_or_padded_is_a_400(client):
    for value in ("", " AR", "AR ", "AR\n"):
        response = client.get("/api/queries/participants-from-country", query_string={"country": value},
                              headers=JSON)
        assert response.status_code == 400, (value, response.data[:200])
    assert client.get("/api/queries/participants-from-country", query_string={"country": "AR"}).status_code == 200


# --- Dumps and the operator's token ---------------------------------------------------------------------------

def test_with_the_operators_token_the_public_dump_names_still_serve_the_public_dataset(client):
    """Was: with the token, /dumps/cps-lac.* served the restricted contacts under the public file names."""
    for extension in ("trig", "ttl", "nt", "jsonld"):
        public = client.get(f"/dumps/cps-lac.{extension}")
        operator = client.get(f"/dumps/cps-lac.{extension}", headers=OPERATOR)
        assert public.status_code == operator.status_code == 200
        assert operator.data == public.data, extension
        assert RESTRICTED_GRAPH.encode() not in operator.data
    restricted = client.get("/dumps/cps-lac-all.trig", headers=OPERATOR)
    assert restricted.status_code == 200 and RESTRICTED_GRAPH.encode() in restricted.data
    assert restricted.headers["Content-Disposition"] == 'attachment; filename="cps-lac-all.trig"'
    assert restricted.headers["Cache-Control"] == "no-store"


def test_the_restricted_dumps_are_unknown_and_unlisted_without_the_token(client):
    for extension in ("trig", "ttl", "nt", "jsonld"):
        assert client.get(f"/dumps/cps-lac-all.{extension}").status_code == 404
    page = client.get("/dumps", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "cps-lac.trig" in page and "cps-lac-all" not in page
    operator = client.get("/dumps", headers={"Accept": "text/html", **OPERATOR})
    assert "cps-lac-all.trig" in operator.get_data(as_text=True)
    assert operator.headers["Cache-Control"] == "no-store"


# --- The remote store's URL -----------------------------------------------------------------------------------

def test_remote_store_503_messages_do_not_show_the_backends_url(make_app, app_config):
    """Was: in remote mode, 503 messages named the backend's URL. The store here is a real closed port."""
    port = free_port()
    backend = f"http://127.0.0.1:{port}/cps/query"
    client = make_app(dict(app_config, STORE=backend, STORE_UPDATE_URL=f"http://127.0.0.1:{port}/cps/update",
                           QUERY_TIMEOUT=2.0)).test_client()
    answers = [client.get("/sparql", query_string={"query": "ASK {}"}, headers=accept)
               for accept in (JSON, {"Accept": "*/*"}, {"Accept": "text/html"})]
    answers += [client.get("/readyz"), client.get(API, headers=JSON), client.get("/dumps/cps-lac.ttl")]
    for response in answers:
        text = response.get_data(as_text=True)
        assert response.status_code == 503, text[:300]
        assert str(port) not in text and "127.0.0.1" not in text and "/cps/" not in text, text[:300]
    assert "cannot be reached" in answers[0].get_json()["message"]


# --- OPTIONS and Allow ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/sparql", "/store", "/dumps/cps-lac.ttl", "/api/queries", API, "/openapi.json",
                                  "/healthz", "/readyz"])
def test_options_advertises_only_the_methods_the_route_answers(client, path):
    """Was: OPTIONS advertised POST on routes that answer POST with 405."""
    options = client.open(path, method="OPTIONS", headers={"Origin": "https://example.org"})
    assert options.status_code in (200, 204)
    allowed = {method.strip() for method in options.headers["Allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS"} <= allowed
    if "Access-Control-Allow-Methods" in options.headers:
        assert {m.strip() for m in options.headers["Access-Control-Allow-Methods"].split(",")} == allowed
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        answered = client.open(path, method=method, data="query=ASK%7B%7D",
                               content_type="application/x-www-form-urlencoded")
        assert (answered.status_code != 405) == (method in allowed), (method, answered.status_code)
    assert ("POST" in allowed) == (path == "/sparql")


# --- Authorization ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [f"Bearer\t{TOKEN}", f"Bearer\u00a0{TOKEN}", f"Bearer{TOKEN}", f"\tBearer\t{TOKEN}",
                                    "Bearer", f"Bearer {TOKEN} extra", f"Bearer {TOKEN}\u00e9", "", ",", "Bearer ===",
                                    f"Be arer {TOKEN}", "Basic a b", 'Digest realm="unclosed'])
def test_a_malformed_authorization_header_is_a_401_not_the_public_view(client, header):
    """Was: `Authorization: Bearer<TAB>token` was taken as no token (the public graphs) instead of a 401."""
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Authorization": header, **JSON})
    assert response.status_code == 401, header
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert set(response.get_json()) == {"status", "title", "message"}


def test_two_authorization_headers_are_a_401(client):
    response = client.get("/store", query_string={"graph": RESTRICTED_GRAPH},
                          headers=[("Authorization", f"Bearer {TOKEN}"), ("Authorization", f"Bearer {TOKEN}")])
    assert response.status_code == 401


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER   {TOKEN}", f" Bearer {TOKEN}\t"])
def test_a_well_formed_bearer_header_opens_the_restricted_graph(client, header):
    response = client.get("/store", query_string={"graph": RESTRICTED_GRAPH}, headers={"Authorization": header})
    assert response.status_code == 200 and len(response.data) > 1000


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", 'Digest username="x", realm="y"', "Negotiate abc=="])
def test_another_schemes_credentials_are_left_to_the_proxy_and_see_the_public_graphs(client, header):
    response = client.get("/store", query_string={"graph": RESTRICTED_GRAPH}, headers={"Authorization": header})
    assert response.status_code == 404
    assert client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Authorization": header}).status_code == 200
