"""Labels carrying markup: a graph whose literals hold <script>, <img onerror>, <iframe>, </textarea> and whose IRIs
are javascript: and data: URLs is served; every HTML page shows that markup as text, builds no element and no
link from it, and sends a Content-Security-Policy that forbids inline script. The endpoint's own pages (results,
Service Description, errors) always; the browser's pages when the browser is part of the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability_helpers import ROOT, Elements, csp_allows_inline_script

MARKUP_DATA = Path(__file__).parent / "data" / "markup.trig"
FROM_DATA = ("alert(1)", "alert(2)", "alert(3)", "alert(4)", "alert(5)", "alert(6)", "alert(7)", "alert(8)",
             "alert(9)", "alert('label')")
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def markup_client(make_app, tmp_path_factory):
    app = make_app({"DATA_FILES": [str(MARKUP_DATA)], "BUILD_DIR": str(tmp_path_factory.mktemp("no-build")),
                    "QUERIES_DIR": str(ROOT / "queries"), "QUERY_WORKERS": 1})
    return app.test_client()


def assert_inert(response, where: str) -> Elements:
    """Nothing of the data became markup: no script but our own files, no event handler, no frame, no link or
    source to a javascript: or data: URL; and the policy would stop inline script anyway."""
    assert response.status_code == 200, (where, response.status_code, response.data[:300])
    assert response.mimetype == "text/html", where
    page = Elements(response.get_data(as_text=True))
    assert all(s.get("src", "").startswith("/assets/") for s in page.scripts), (where, page.scripts)
    assert not page.event_handlers, (where, page.event_handlers)
    assert not [tag for tag, _ in page.tags if tag in ("iframe", "object", "embed", "svg", "img")], where
    urls = [value.strip().lower() for _, attrs in page.tags for name, value in attrs.items()
            if name in ("href", "src", "action", "formaction", "data")]
    assert not [u for u in urls if u.startswith(("javascript:", "data:", "vbscript:"))], (where, urls)
    assert not csp_allows_inline_script(response.headers.get("Content-Security-Policy", "")), where
    return page


ENDPOINT_PAGES = {
    "SELECT results": "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT results": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "the query itself": "SELECT ?o WHERE { ?s ?p ?o } # </textarea><script>alert(8)</script>",
}


@pytest.mark.parametrize("name", ENDPOINT_PAGES)
def test_the_endpoints_result_pages_show_markup_as_text(markup_client, name):
    response = markup_client.get("/sparql", query_string={"query": ENDPOINT_PAGES[name]}, headers=HTML)
    page = assert_inert(response, name)
    text = "".join(page.text)
    assert "<script>alert('label')</script>" in text or "</textarea><script>alert(8)</script>" in text
    if name == "SELECT results":
        assert "\"><img src=x onerror=alert(1)>" in text and "javascript:alert(4)" in text   # as text, not a link


def test_the_service_description_page_shows_graph_iris_as_text(markup_client):
    page = assert_inert(markup_client.get("/sparql", headers=HTML), "service description")
    assert "http://example.org/graph'onmouseover='alert(7)" in "".join(page.text)


def test_an_error_page_shows_the_offending_text_as_text(markup_client):
    response = markup_client.get("/sparql", query_string={"query": "<script>alert(9)</script>"}, headers=HTML)
    assert response.status_code == 400
    response.status_code = 200      # assert_inert reads pages; this one is an error page
    page = assert_inert(response, "error page")
    assert "'<script>'" in "".join(page.text)     # the offending token, as text, in the page's language


BROWSER_PAGES = ("/page/person/mallory", "/page/organization/evil", "/search?q=mallory", "/persons",
                 "/organizations", "/", "/dumps", "/query")


@pytest.mark.parametrize("path", BROWSER_PAGES)
def test_the_browser_pages_show_markup_as_text(markup_client, path):
    assert_inert(markup_client.get(path, headers=HTML), path)
