"""The dataset page for partners (issue 14, item 8): the endpoint first, the release's digest and date, every
dump's size in human units and SHA-256 (checked against the files), the licence, how to cite it (text, BibTeX,
and the repository's CITATION.cff saying the same), the named graphs as links."""

from __future__ import annotations

import gzip
import hashlib
import json

import yaml
from browser_helpers import ID, ROOT, page_of

from cpsgraph.web.browser.dataset import AUTHOR, SOURCE, SOURCE_ES, TITLE, bibtex, human_size


def test_the_endpoint_comes_first_then_the_release(client, release):
    response = client.get("/dumps", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    page = page_of(response)
    assert html.index('id="endpoint-url"') < html.index('id="release"') < html.index('id="files"')
    assert "http://localhost/sparql" in page.text
    assert release.name in page.text                       # the digest of the served release
    assert "Built on" in page.text and "Public triples" in page.text
    assert "version 1." in page.text or "version 2." in page.text


def test_every_dump_has_its_human_size_and_its_sha256(client, release):
    page = page_of(client.get("/dumps", headers={"Accept-Language": "es"}))
    manifest = json.loads((release / "manifest.json").read_text())
    for name in ("cps-lac.trig", "cps-lac.ttl", "cps-lac.nt", "cps-lac.jsonld"):
        body = client.get(f"/dumps/{name}").data
        digest = hashlib.sha256(body).hexdigest()
        assert digest == manifest[f"public/{name}"] and digest in page.text
        assert human_size(len(body), "es") in page.text
    assert human_size(1629224, "es") == "1,6 MB" and human_size(1629224, "en") == "1.6 MB"
    assert human_size(880334, "en") == "880.3 kB" and human_size(512, "en") == "512 byte"


def test_the_gzipped_dumps_are_listed_beside_the_others_in_both_languages(client, release):
    """Issue 16 item 4: the build's pre-compressed dumps, as VoID/DCAT lists them, are on the page too: each
    right after its plain file, linked, with the size of the .gz and its SHA-256 (checked against the bytes
    downloaded), and said to be gzipped in the page's language."""
    manifest = json.loads((release / "manifest.json").read_text())
    for lang, word in (("es", "comprimido con gzip"), ("en", "gzipped")):
        page = page_of(client.get("/dumps", headers={"Accept-Language": lang}))
        links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("/dumps/")]
        assert links == [f"/dumps/cps-lac.{ext}{gz}" for ext in ("trig", "ttl", "nt", "jsonld") for gz in ("", ".gz")]
        for ext in ("trig", "ttl", "nt", "jsonld"):
            name = f"cps-lac.{ext}.gz"
            response = client.get(f"/dumps/{name}")
            assert response.status_code == 200 and response.content_type == "application/gzip"
            body = response.data
            assert gzip.decompress(body) == client.get(f"/dumps/cps-lac.{ext}",
                                                       headers={"Accept-Encoding": "identity"}).data
            digest = hashlib.sha256(body).hexdigest()
            assert digest == manifest[f"public/{name}"] and digest in page.text
            assert human_size(len(body), lang) in page.text
        assert page.text.count(f"({word})") == 4


def test_a_service_on_other_data_lists_no_gzipped_dumps(build_dir, release):
    """Only a build's release has the .gz files: a service on other data (here --data files) lists the plain
    dumps and no .gz link that would answer 404."""
    from browser_helpers import app_config

    from cpsgraph.web import create_app
    from cpsgraph.web.stores import stores

    app = create_app(app_config(build_dir, DATA_FILES=[str(release / "public" / "cps-lac.trig")]))
    try:
        client = app.test_client()
        page = page_of(client.get("/dumps", headers={"Accept-Language": "en"}))
        links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("/dumps/")]
        assert links == [f"/dumps/cps-lac.{ext}" for ext in ("trig", "ttl", "nt", "jsonld")]
        assert client.get("/dumps/cps-lac.ttl.gz").status_code == 404
    finally:
        stores(app).close()


def test_licence_citation_and_named_graphs(client):
    page = page_of(client.get("/dumps", headers={"Accept-Language": "es"}))
    hrefs = [a.get("href", "") for a in page.links]
    assert "https://creativecommons.org/licenses/by/4.0/deed.es" in hrefs
    assert ("a", {"rel": "license", "href": "https://creativecommons.org/licenses/by/4.0/deed.es"}) in page.tags
    assert "@misc{cps_lac_graph," in page.text and TITLE in page.text
    graphs = [h for h in hrefs if h.startswith("/store?graph=")]
    assert len(graphs) == 2
    for href in graphs:
        assert client.get(href).status_code == 200


def test_the_citation_reads_in_the_readers_language(client, public_graph):
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    spanish = client.get("/dumps", headers={"Accept-Language": "es"}).get_data(as_text=True)
    cite = spanish[spanish.index('class="cite-text"'):]
    cite = cite[:cite.index("</p>")]
    assert "Conjunto de datos" in cite and "Derivado de:" in cite and "Derived from" not in cite
    assert f'<span lang="en">{TITLE}</span>' in cite and SOURCE_ES in cite   # the report in its own language
    report = {label.language: str(label) for label in public_graph.objects(URIRef(ID + "report"), RDFS.label)}
    assert SOURCE_ES.startswith(report["es"])
    english = client.get("/dumps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Derived from: " + SOURCE in english and "[Data set, CC BY 4.0]" in english


def test_citation_cff_says_what_the_page_says():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert cff["title"] == TITLE and cff["authors"] == [{"name": AUTHOR}]
    assert cff["references"][0]["type"] == "report"
    text = bibtex("http://example.org/sparql", "abc", 2026)
    assert text.startswith("@misc{cps_lac_graph,") and text.rstrip().endswith("}") and "abc" in text
