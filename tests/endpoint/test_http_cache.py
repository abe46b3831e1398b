"""HTTP caching and compression (issue 16 item 4, decision 0023): validators, 304s, Vary, gzip and Brotli,
the build's gzipped dumps, the release cache, and that nothing restricted is ever cacheable. With the Flask
test client and over real HTTP against `cpsgraph serve`."""

from __future__ import annotations

import gzip
import http.client
import json
from email.utils import format_datetime, parsedate_to_datetime
from datetime import timedelta
from urllib.parse import quote, urlsplit

import brotli
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, VOID

from endpoint_helpers import TOKEN, solutions

BEARER = {"Authorization": f"Bearer {TOKEN}"}
RESTRICTED = "https://w3id.org/cps-lac/graph/restricted"
COUNT_RESTRICTED = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}"
PERSONS = "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?p LIMIT 20"
JSON_RESULTS = "application/sparql-results+json"
# What a CDN would carry: pages, data documents, dumps, VoID, the Service Description, the API, GET answers.
CACHED = [
    ("/", {}),
    ("/page/country/AR", {}),
    ("/data/country/AR.ttl", {}),
    ("/dumps", {}),
    ("/dumps/cps-lac.ttl", {}),
    ("/dumps/cps-lac.ttl.gz", {}),
    ("/.well-known/void", {"Accept": "text/turtle"}),
    ("/sparql", {"Accept": "text/turtle"}),
    ("/api/queries", {}),
    ("/sparql?query=" + quote(PERSONS), {"Accept": JSON_RESULTS}),
]


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


@pytest.fixture(scope="module")
def web(app):
    return app.test_client()


@pytest.mark.parametrize("path, headers", CACHED)
def test_public_answers_carry_validators_freshness_and_vary(web, release, path, headers):
    response = web.get(path, headers=headers)
    assert response.status_code == 200, response.data[:300]
    etag = response.headers["ETag"]
    assert etag.startswith(f'"{release.name}-') and etag.endswith('"')
    assert parsedate_to_datetime(response.headers["Last-Modified"]).year >= 2025
    assert response.headers["Cache-Control"] == "max-age=300"
    assert "authorization" in vary(response)
    if not response.mimetype.startswith("application/gzip"):
        assert "accept-encoding" in vary(response)


@pytest.mark.parametrize("path, headers", CACHED)
def test_conditional_get_is_answered_304(web, path, headers):
    first = web.get(path, headers=headers)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for given in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = web.get(path, headers={**headers, "If-None-Match": given})
        assert again.status_code == 304, given
        assert again.data == b"" and again.headers["ETag"] == etag
        assert "authorization" in vary(again)
    assert web.get(path, headers={**headers, "If-None-Match": '"not-this-one"'}).status_code == 200
    assert web.get(path, headers={**headers, "If-Modified-Since": modified}).status_code == 304
    older = format_datetime(parsedate_to_datetime(modified) - timedelta(days=1), usegmt=True)
    assert web.get(path, headers={**headers, "If-Modified-Since": older}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    assert web.get(path, headers={**headers, "If-None-Match": '"x"', "If-Modified-Since": modified}).status_code == 200


@pytest.mark.parametrize("path, headers", [c for c in CACHED if c[0] not in ("/dumps/cps-lac.ttl.gz",)])
def test_gzip_and_brotli_bodies_equal_the_plain_one(web, path, headers):
    plain = web.get(path, headers={**headers, "Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    zipped = web.get(path, headers={**headers, "Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data)
    assert zipped.headers["ETag"] != plain.headers["ETag"]   # another representation, another strong tag
    if path.startswith("/dumps/"):
        return   # the build's gzip only: Brotli would be computed per request
    squeezed = web.get(path, headers={**headers, "Accept-Encoding": "gzip;q=0.5, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain.data
    # the compressed variant revalidates with its own tag, and with the plain one (weak comparison)
    for tag in (squeezed.headers["ETag"], plain.headers["ETag"]):
        assert web.get(path, headers={**headers, "Accept-Encoding": "br", "If-None-Match": tag}).status_code == 304


def test_no_compression_when_refused_or_for_tiny_bodies(web):
    ask = web.get("/sparql?query=" + quote("ASK {}"), headers={"Accept": JSON_RESULTS, "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in ask.headers and json.loads(ask.data) == {"head": {}, "boolean": True}
    refused = web.get("/api/queries", headers={"Accept-Encoding": "gzip;q=0, br;q=0"})
    assert "Content-Encoding" not in refused.headers and json.loads(refused.data)


@pytest.mark.parametrize("path, headers", [
    ("/network/organization/pnuma.json?depth=2", {}),                        # streamed an edge at a time
    ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"), {"Accept": JSON_RESULTS}),   # past the entry limit
])
def test_streamed_and_large_bodies_are_compressed_on_their_way_out(make_app, app_config, path, headers):
    # An answer the release cache does not hold (no length, or longer than RESPONSE_CACHE_ENTRY_BYTES) is
    # compressed as it streams: the drawing of a hub's network was 2.2 MiB of plain JSON at 1M triples.
    client = make_app(dict(app_config, RESPONSE_CACHE_ENTRY_BYTES=4096, QUERY_WORKERS=1)).test_client()
    plain = client.get(path, headers={**headers, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and len(plain.data) > 4096 and "Content-Encoding" not in plain.headers
    for coding, unpack in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = client.get(path, headers={**headers, "Accept-Encoding": coding})
        assert packed.headers["Content-Encoding"] == coding and "accept-encoding" in vary(packed)
        assert "Content-Length" not in packed.headers and len(packed.data) < len(plain.data) / 4
        assert unpack(packed.data) == plain.data
        assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + f'-{coding}"'
        # HEAD is answered as before: headers only
        assert client.head(path, headers={**headers, "Accept-Encoding": coding}).data == b""


def test_variants_have_their_own_tags(web):
    turtle = web.get("/sparql", headers={"Accept": "text/turtle"})
    xml = web.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert turtle.headers["ETag"] != xml.headers["ETag"] and "accept" in vary(turtle)
    english = web.get("/page/country/AR", headers={"Accept-Language": "en"})
    spanish = web.get("/page/country/AR", headers={"Accept-Language": "es"})
    assert (english.headers["Content-Language"], spanish.headers["Content-Language"]) == ("en", "es")
    assert english.headers["ETag"] != spanish.headers["ETag"]
    assert {"accept-language", "cookie"} <= vary(english)
    # a cache holding the Spanish page never gets a 304 for the English one
    crossed = web.get("/page/country/AR", headers={"Accept-Language": "en", "If-None-Match": spanish.headers["ETag"]})
    assert crossed.status_code == 200 and crossed.headers["Content-Language"] == "en"


def test_the_release_cache_never_serves_another_language(web):
    for _ in range(2):   # the second round comes from the release cache
        by_header = web.get("/page/country/AR", headers={"Accept-Language": "en"})
        web.set_cookie("cps_lang", "es")
        by_cookie = web.get("/page/country/AR", headers={"Accept-Language": "en"})
        web.delete_cookie("cps_lang")
        assert by_header.headers["Content-Language"] == "en" and b'lang="en"' in by_header.data
        assert by_cookie.headers["Content-Language"] == "es" and b'lang="es"' in by_cookie.data


def test_choosing_a_language_sets_a_cookie_and_is_not_cacheable(web):
    response = web.get("/page/country/AR?lang=en")
    assert "cps_lang=en" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_restricted_answers_are_never_cacheable(web, app, counts):
    url = "/sparql?query=" + quote(COUNT_RESTRICTED)
    cache = app.extensions["cpsgraph.httpcache"]
    for order in ("operator first", "public first"):
        answers = {}
        for who in ((["operator", "public"]) if order == "operator first" else ["public", "operator"]):
            headers = {"Accept": JSON_RESULTS, "Accept-Encoding": "gzip", **(BEARER if who == "operator" else {})}
            answers[who] = web.get(url, headers=headers)
        operator, public = answers["operator"], answers["public"]
        assert int(solutions(operator.data)[0]["n"].value) == counts["restricted"]
        assert int(solutions(public.data)[0]["n"].value) == 0
        assert operator.headers["Cache-Control"] == "no-store"
        assert "ETag" not in operator.headers and "Last-Modified" not in operator.headers
        assert "authorization" in vary(operator) and "authorization" in vary(public)
    # every kind of answer to the token holder: no-store, whatever it is
    for path in ("/sparql", "/dumps/cps-lac-all.trig", "/store?graph=" + quote(RESTRICTED), "/", "/api/queries"):
        response = web.get(path, headers=BEARER)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers, path
    # a wrong token is a 401 even when the URL's public answer is in the release cache
    web.get(url, headers={"Accept": JSON_RESULTS})
    hits = cache.stats()["hits"]
    wrong = web.get(url, headers={"Accept": JSON_RESULTS, "Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.headers["Cache-Control"] == "no-store"
    assert cache.stats()["hits"] == hits


def test_a_repeated_request_is_served_from_the_release_cache(web, app):
    cache = app.extensions["cpsgraph.httpcache"]
    url = "/sparql?query=" + quote(PERSONS + " # cached")
    first = web.get(url, headers={"Accept": JSON_RESULTS, "X-Request-Id": "first-one"})
    before = cache.stats()
    second = web.get(url, headers={"Accept": JSON_RESULTS, "X-Request-Id": "second-one"})
    assert cache.stats()["hits"] == before["hits"] + 1
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert (first.headers["X-Request-Id"], second.headers["X-Request-Id"]) == ("first-one", "second-one")
    head = web.head(url, headers={"Accept": JSON_RESULTS})
    assert head.data == b"" and head.headers["Content-Length"] == str(len(first.data))
    other = web.get(url, headers={"Accept": "text/csv"})   # another Accept: another entry, another format
    assert other.mimetype == "text/csv" and other.headers["ETag"] != first.headers["ETag"]


def test_the_release_cache_keeps_to_its_byte_budget(make_app, app_config):
    small = make_app(dict(app_config, RESPONSE_CACHE_BYTES=40_000, QUERY_WORKERS=1))
    client, cache = small.test_client(), small.extensions["cpsgraph.httpcache"]
    sizes = []
    for n in range(1, 30):
        response = client.get("/sparql?query=" + quote(f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n * 10}"),
                              headers={"Accept": JSON_RESULTS, "Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        sizes.append(cache.stats()["bytes"])
    assert max(sizes) <= 40_000 and cache.stats()["entries"] < 29
    first = "/sparql?query=" + quote("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    hits = cache.stats()["hits"]
    assert client.get(first, headers={"Accept": JSON_RESULTS}).status_code == 200
    assert cache.stats()["hits"] == hits   # the oldest went first
    off = make_app(dict(app_config, RESPONSE_CACHE_BYTES=0, QUERY_WORKERS=1))
    response = off.test_client().get(first, headers={"Accept": JSON_RESULTS, "Accept-Encoding": "gzip"})
    assert response.headers["ETag"] and off.extensions["cpsgraph.httpcache"].stats()["entries"] == 0


def test_another_release_has_other_tags(make_app, tmp_path):
    tags = []
    for value in ("1", "2"):
        data = tmp_path / f"data{value}.nt"
        data.write_text(f'<http://example.org/s> <http://example.org/p> "{value}" .\n', encoding="utf-8")
        other = make_app({"DATA_FILES": [str(data)], "QUERY_WORKERS": 1, "RESPONSE_CACHE_BYTES": 1 << 20})
        response = other.test_client().get("/sparql?query=" + quote("SELECT ?o WHERE { ?s ?p ?o }"),
                                           headers={"Accept": JSON_RESULTS})
        assert solutions(response.data)[0]["o"].value == value
        tags.append(response.headers["ETag"])
    assert tags[0] != tags[1]


def test_dumps_come_gzipped_from_the_build_and_are_listed_so(web, release):
    manifest = json.loads((release / "manifest.json").read_text())
    void = Graph().parse(release / "public" / "void.ttl", format="turtle")
    for extension in ("trig", "ttl", "nt", "jsonld"):
        packed = (release / "public" / f"cps-lac.{extension}.gz").read_bytes()
        plain = (release / "public" / f"cps-lac.{extension}").read_bytes()
        assert gzip.decompress(packed) == plain and f"public/cps-lac.{extension}.gz" in manifest
        download = web.get(f"/dumps/cps-lac.{extension}.gz")
        assert download.data == packed and download.mimetype == "application/gzip"
        assert download.headers["Content-Disposition"] == f'attachment; filename="cps-lac.{extension}.gz"'
        encoded = web.get(f"/dumps/cps-lac.{extension}", headers={"Accept-Encoding": "gzip, br"})
        assert encoded.headers["Content-Encoding"] == "gzip" and encoded.data == packed
        assert "accept-encoding" in vary(encoded)
        url = URIRef(f"https://w3id.org/cps-lac/dumps/cps-lac.{extension}.gz")
        assert (None, VOID.dataDump, url) in void
        distribution = void.value(predicate=DCAT.downloadURL, object=url)
        assert void.value(distribution, DCAT.compressFormat) == \
            URIRef("https://www.iana.org/assignments/media-types/application/gzip")
        assert void.value(distribution, DCAT.byteSize).toPython() == len(packed)
    assert web.get("/dumps/cps-lac-all.trig.gz", headers=BEARER).status_code == 404


# --- over real HTTP -------------------------------------------------------------------------------------------

def fetch(base: str, path: str, headers: dict) -> tuple[int, dict, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_over_real_http(live_server, release):
    base = live_server.base
    query = "/sparql?query=" + quote(PERSONS)
    for path, headers in [(query, {"Accept": JSON_RESULTS}), ("/page/country/AR", {"Accept-Language": "en"}),
                          ("/dumps/cps-lac.nt", {}), ("/.well-known/void", {"Accept": "text/turtle"})]:
        status, plain_headers, plain = fetch(base, path, headers)
        assert status == 200 and plain_headers["etag"].startswith(f'"{release.name}-')
        assert plain_headers["cache-control"] == "max-age=300" and "last-modified" in plain_headers
        status, zipped_headers, zipped = fetch(base, path, {**headers, "Accept-Encoding": "gzip"})
        assert zipped_headers["content-encoding"] == "gzip" and gzip.decompress(zipped) == plain
        if not path.startswith("/dumps/"):
            _, br_headers, squeezed = fetch(base, path, {**headers, "Accept-Encoding": "br"})
            assert br_headers["content-encoding"] == "br" and brotli.decompress(squeezed) == plain
        status, again, body = fetch(base, path, {**headers, "If-None-Match": plain_headers["etag"]})
        assert status == 304 and body == b"" and again["etag"] == plain_headers["etag"]
        status, _, _ = fetch(base, path, {**headers, "If-Modified-Since": plain_headers["last-modified"]})
        assert status == 304
    status, private, body = fetch(base, "/sparql?query=" + quote(COUNT_RESTRICTED),
                                  {"Accept": JSON_RESULTS, **BEARER})
    assert status == 200 and private["cache-control"] == "no-store" and "etag" not in private
    assert int(solutions(body)[0]["n"].value) > 0
    status, public, body = fetch(base, "/sparql?query=" + quote(COUNT_RESTRICTED), {"Accept": JSON_RESULTS})
    assert int(solutions(body)[0]["n"].value) == 0 and "authorization" in public["vary"].lower()


def test_a_query_sent_by_post_is_kept_by_its_body(web, app):
    cache = app.extensions["cpsgraph.httpcache"]
    headers = {"Accept": JSON_RESULTS, "Content-Type": "application/sparql-query"}
    first = web.post("/sparql", data=PERSONS + " # posted", headers=headers)
    hits = cache.stats()["hits"]
    again = web.post("/sparql", data=PERSONS + " # posted", headers=headers)
    assert cache.stats()["hits"] == hits + 1 and again.data == first.data
    assert "ETag" not in again.headers and "max-age" not in again.headers.get("Cache-Control", "")
    other = web.post("/sparql", data=PERSONS.replace("LIMIT 20", "LIMIT 3") + " # posted", headers=headers)
    assert len(solutions(other.data)) == 3   # another body, another answer
    form = web.post("/sparql", data={"query": PERSONS + " # posted"}, headers={"Accept": JSON_RESULTS})
    assert form.data == first.data
    operator = web.post("/sparql", data=COUNT_RESTRICTED, headers={**headers, **BEARER})
    public = web.post("/sparql", data=COUNT_RESTRICTED, headers=headers)
    again = web.post("/sparql", data=COUNT_RESTRICTED, headers={**headers, **BEARER})
    assert int(solutions(operator.data)[0]["n"].value) == int(solutions(again.data)[0]["n"].value) > 0
    assert int(solutions(public.data)[0]["n"].value) == 0 and operator.headers["Cache-Control"] == "no-store"


def test_answers_from_a_remote_store_are_revalidated_and_never_kept(oxigraph_app):
    """A remote store's data may change under the service: no validator, `no-cache`, nothing kept."""
    client = oxigraph_app.test_client()
    for _ in range(2):
        response = client.get("/sparql?query=" + quote(PERSONS), headers={"Accept": JSON_RESULTS,
                                                                            "Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers
        assert len(solutions(gzip.decompress(response.data))) == 20
    assert oxigraph_app.extensions["cpsgraph.httpcache"].stats()["entries"] == 0
