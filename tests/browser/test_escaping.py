"""Every label is HTML-escaped: a graph whose labels hold markup (<script>, <img onerror>, <iframe>) is
served, and every kind of page shows that markup as text; no element of the page comes from the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import Page, app_config

from cpsgraph.web import create_app
from cpsgraph.web.stores import stores

DATA = Path(__file__).parent / "data" / "markup-labels.ttl"
PAGES = ("/page/person/mallory", "/page/organization/evil", "/page/participation/1", "/page/passage/p-1",
         "/page/working-group/wg", "/search?q=mallory", "/search?q=mal", "/persons", "/organizations",
         "/network/person/mallory", "/network/working-group/wg", "/interlocks/organization/evil",
         "/paths?from=person/mallory&to=person/trent", "/paths?from=person/mallory&to=person/trent&lang=es")
MARKUP = ("<script>alert", "<img src=x", "<iframe", "<svg onload", "<b>Mal</b>", "<i>one</i>", "<u>1</u>")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(app_config(tmp_path_factory.mktemp("no-build"), DATA_FILES=[str(DATA)]))
    yield app.test_client()
    stores(app).close()


@pytest.mark.parametrize("path", PAGES)
def test_markup_in_labels_is_shown_as_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    html = response.get_data(as_text=True)
    for markup in MARKUP:
        assert markup not in html, f"{markup!r} reached {path} unescaped"
    page = Page(html)
    assert all("src" in script for script in page.scripts), "every script is one of our files"
    assert not [tag for tag, _ in page.tags if tag in ("img", "iframe", "svg", "b", "i", "u")]


def test_the_escaped_label_is_there_to_read(client):
    page = Page(client.get("/page/person/mallory").get_data(as_text=True))
    assert "<script>alert('label')</script> Mallory" in page.text      # shown, as text
    assert "Mallory <img src=x onerror=alert(1)>" in page.text
    network = client.get("/network/person/mallory.json").get_json()
    assert {n["label"] for n in network["nodes"]} >= {"<script>alert('label')</script> Mallory"}
    found = client.get("/search.json?q=mal").get_json()["results"]
    assert found[0]["iri"].endswith("person/mallory") and found[0]["matched"] == "Mallory <img src=x onerror=alert(1)>"
    assert "Mallory <img src=x onerror=alert(1)>" in Page(client.get("/search?q=mal").get_data(as_text=True)).text
