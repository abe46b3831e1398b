"""Spanish end to end, the parts a test client can see (issue 14 item 6; the Chromium reading is in
test_e2e_spanish.py): error pages and the SPARQL endpoint's pages in the site's layout and the reader's
language, with a search box on error pages; the stored queries' questions and the shapes' messages in Spanish."""

from __future__ import annotations

import pytest
from browser_helpers import Page

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("path", ["/page/person/nobody-at-all", "/no/such/page"])
@pytest.mark.parametrize("lang, title", [("es", "No encontrado"), ("en", "Not found")])
def test_an_error_page_is_in_the_sites_layout_with_a_search_box(client, path, lang, title):
    response = client.get(path, headers={**HTML, "Accept-Language": lang})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert response.headers["Content-Language"] == lang
    page = Page(response.get_data(as_text=True))
    assert ("html", {"lang": lang}) in page.tags
    assert title in page.text
    forms = [attrs for tag, attrs in page.tags if tag == "form" and attrs.get("action") == "/search"]
    assert len(forms) == 2, "the header's search and the page's own"
    assert "/persons" in {a.get("href") for a in page.links}, "the site's navigation"


def test_a_bad_query_says_so_in_spanish_and_keeps_the_detail(client):
    """The detail too is in Spanish now, with where it is (decision 0025); no English of ours is left."""
    response = client.get("/sparql", query_string={"query": "SELEC nothing"}, headers={**HTML, "Accept-Language": "es"})
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert "Solicitud no válida" in page.text and "Qué pasó" in page.text
    assert "'SELEC' en la línea 1, columna 1 no es una palabra clave de SPARQL" in page.text
    assert "is not a SPARQL keyword" not in page.text and ("pre", {"lang": "en"}) not in page.tags


@pytest.mark.parametrize("lang, words", [("es", ("Punto de acceso SPARQL", "Consultas de ejemplo", "Ejecutar")),
                                         ("en", ("SPARQL endpoint", "Example queries", "Run"))])
def test_the_endpoints_page_speaks_the_readers_language(client, lang, words):
    response = client.get("/sparql", headers={**HTML, "Accept-Language": lang})
    assert response.headers["Content-Language"] == lang
    page = Page(response.get_data(as_text=True))
    assert all(word in page.text for word in words)
    results = Page(client.get("/sparql?query=ASK%7B%7D", headers={**HTML, "Accept-Language": lang}).get_data(as_text=True))
    assert ("Resultados de ASK" if lang == "es" else "ASK results") in results.text


def test_every_stored_query_has_its_question_in_spanish(root, client):
    from cpsgraph.queries import load_queries

    queries = load_queries(root / "queries")
    assert sorted(name for name, query in queries.items() if not query.question_es) == []
    page = Page(client.get("/query?lang=es").get_data(as_text=True))
    assert queries["agenda"].question_es in page.text   # (the English one is only in the query's own text)


def test_the_quality_page_gives_the_shapes_messages_in_spanish(client):
    html = client.get("/quality?lang=es").get_data(as_text=True)
    assert "Esta organización no tiene sector" in html and "Aviso" in html
    assert "This organization has no sector" not in html
    english = client.get("/quality?lang=en").get_data(as_text=True)
    assert "This organization has no sector" in english and "Warning" in english


def test_the_editor_is_told_yasguis_words_in_spanish(client):
    config = client.get("/query/config.json?lang=es").get_json()
    assert config["ui"]["Run query"] == "Ejecutar la consulta" and config["uiPatterns"]
    assert client.get("/query/config.json?lang=en").get_json()["ui"] == {}


@pytest.mark.parametrize("path", ["/query/config.json", "/network/person/victoria-belaustegui.json", "/"])
def test_an_answer_in_the_readers_language_says_it_varies_on_it(client, path):
    """Was: /query/config.json (the examples' titles, YASGUI's words) said no Vary, so Chromium, having fetched
    it for an English page, handed the English one to the Spanish editor from its cache."""
    spanish = client.get(path, headers={"Accept-Language": "es"})
    english = client.get(path, headers={"Accept-Language": "en"})
    assert spanish.status_code == english.status_code == 200
    for response in (spanish, english):
        assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response.headers["Vary"].split(",")}


def test_the_reports_own_words_are_marked_spanish_on_an_english_page(client):
    """WCAG 3.1.2 (language of parts): /report in English shows the report's Spanish titles, paragraphs and
    entries; a screen reader must read them as Spanish, and our own words around them as English."""
    page = Page(client.get("/report?lang=en").get_data(as_text=True))
    words = [attrs for tag, attrs in page.tags if tag == "div" and attrs.get("class") == "words"]
    headings = [attrs for tag, attrs in page.tags if attrs.get("class") == "report-heading"]
    contents = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("#")
                and attrs.get("lang")]
    assert words and all(attrs.get("lang") == "es" for attrs in words)
    assert headings and sum(attrs.get("lang") == "es" for attrs in headings) >= len(headings) - 1   # "Notes" is ours
    assert len(contents) >= 10 and {attrs["lang"] for attrs in contents} == {"es"}
    asides = [attrs for tag, attrs in page.tags if tag == "aside" and "derived" in attrs.get("class", "")]
    assert asides and not any("lang" in attrs for attrs in asides)   # "In the graph" and our labels stay English
