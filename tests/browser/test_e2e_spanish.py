"""A Spanish-only reader (issue 14 items 6 and 4): headless Chromium asks for Spanish and reads every kind of
page, the SPARQL editor with results and the endpoint's own pages and error pages included; any interface
string left in English fails. Text the page marks as another language (`lang="en"`: a post the report gives
in English, a name's English form) and code (queries, IRIs) are not interface, and values (`dd`, `td`) are
data; but none of them may be English that is ours: a curation note, a shape's message, an ontology comment,
a stored query's title or question, a catalogue string (each has its Spanish, so English there is a
regression)."""

from __future__ import annotations

import re

import pytest

from cpsgraph.web.browser.catalogue import STRINGS

pytestmark = pytest.mark.slow

PAGES = ("/", "/persons?country=BR", "/page/organization/cu-grupo-nacional-produccion-limpia-consumo-sostenible",
         "/page/participation/18", "/page/plan/andina/p3/r1/a1", "/page/passage/nota-6", "/page/initiative/proceso-marrakech", "/organizations", "/priorities", "/countries", "/meetings", "/agenda",
         "/presentations", "/working-groups", "/task-forces", "/initiatives", "/plans", "/activities", "/passages",
         "/page/person/graciela-scavone", "/page/country/BR", "/page/organization/pnuma",
         "/page/event/cuarta-reunion-consejo", "/page/session/d2-plenaria-1", "/page/presentation/d2-panel-5-1",
         "/page/seat/nicaragua-cono-sur-ar", "/page/plan/andina", "/page/passage/anexo-iii-18",
         "/page/working-group/cono-sur", "/search?q=panama", "/search?q=zzzz",
         "/network/person/graciela-scavone", "/network/event/cuarta-reunion-consejo",
         "/paths?from=person/graciela-scavone&to=person/carmen-terry", "/interlocks/organization/pnuma",
         "/report", "/query", "/quality", "/dumps", "/ontology.html", "/sparql", "/sparql?query=ASK%7B%7D",
         "/page/person/nobody-at-all", "/no/such/page")
ERRORS = ("/page/person/nobody-at-all", "/no/such/page")
# Words of an English interface; a Spanish one has none of them (data and code are left out before this).
ENGLISH = re.compile(r"\b(the|of|and|with|from|for|Show|Showing|Search|Download|Query|Table|Response|results?|"
                     r"entries|Filter|Previous|Next|rows?|page|Run|Share|Copy|Close|Add|tab|view|Simple|Ellipse|"
                     r"Loading|Settings|Prefixes|Not Found|Found|step|steps|Home|Persons|Organizations|"
                     r"Priorities|Connections|Downloads|Ontology|Quality|Facts|Relations|Mentioned|Passages)\b")
INTERFACE = """() => {
  // data, not interface: links to the graph's pages (names as the report gives them), code, result tables,
  // and the charts' descriptions, which Vega writes itself (in English, for now: left to the charts' owner)
  const skip = el => el.closest('[lang]:not([lang^=es])') || el.closest('a[href^="/page/"]') ||
                     el.closest('code, pre, kbd, samp, script, style, .CodeMirror, .yasr_results, .vega-embed') ||
                     el.closest('dd, td, option, .details, .also, ol.items, blockquote, q') ||   // values, names,
                     el.closest('.report .words, .report-heading, nav.toc li');   // the report's own words on /report
  const out = [];
  const ui = 'button, label, legend, summary, th, caption, option, nav, h1, h2, h3, dt, p,' +
             '[role=tab], .yasr_header, .yasr_btn, .dataTables_info, .dataTables_length, .dataTables_paginate';
  document.querySelectorAll(ui).forEach(el => {
    if (skip(el) || el.offsetParent === null) { return; }
    const copy = el.cloneNode(true);   // its own words: without the parts marked as another language or code
    copy.querySelectorAll('[lang]:not([lang^=es]), code, pre, a[href^="/page/"]').forEach(n => n.remove());
    out.push(copy.innerText.trim());
  });
  document.querySelectorAll('[placeholder], [title], [aria-label], [alt]').forEach(el => {
    if (skip(el)) { return; }
    ['placeholder', 'title', 'aria-label', 'alt'].forEach(a => el.getAttribute(a) && out.push(el.getAttribute(a)));
  });
  return out.filter(Boolean);
}"""


# Everything a Spanish page shows as an island of another language, and every value, with its own text.
ISLANDS = """() => {
  const out = [];
  document.querySelectorAll('[lang]:not([lang^=es]):not(html), dd, td, li, .muted').forEach(el => {
    if (el.closest('code, pre, .CodeMirror, .vega-embed, .lang-switch') || el.offsetParent === null) { return; }
    out.push(el.innerText.trim());
  });
  return out.filter(Boolean);
}"""


@pytest.fixture(scope="module")
def our_english(public_graph) -> list[str]:
    """English that is ours and has a Spanish twin: the curation notes, the shapes' messages, the ontology's
    comments, the stored queries' titles and questions, the catalogue's strings of three words or more."""
    from pathlib import Path

    from rdflib import URIRef
    from rdflib.namespace import RDFS, SH

    from cpsgraph.queries import load_queries
    from cpsgraph.validation import load_shapes

    root = Path(__file__).resolve().parents[2]
    found = {str(o) for o in public_graph.objects(None, URIRef("https://w3id.org/cps-lac/ontology#curationNote"))
             if o.language == "en"}
    found |= {str(o) for o in load_shapes(root / "shapes").objects(None, SH.message) if o.language == "en"}
    found |= {str(o) for s, o in public_graph.subject_objects(RDFS.comment)
              if o.language == "en" and str(s).startswith("https://w3id.org/cps-lac/ontology#")}
    for query in load_queries(root / "queries").values():
        found |= {query.title_en, query.question}
    found |= {english for spanish, english in STRINGS.values() if spanish != english and "{" not in english
              and len(english.split()) >= 3}
    return sorted((text for text in found if len(text) >= 12), key=len, reverse=True)


def _english_fragments() -> list[str]:
    """The catalogue's English strings (their parts between {fields}) of two words or more that the Spanish
    string does not also hold."""
    found = set()
    for spanish, english in STRINGS.values():
        if spanish == english:
            continue
        for part in re.split(r"\{[^}]*\}", english):
            part = part.strip(" .,:;()“”«»—-")
            if len(part.split()) >= 2 and part not in spanish:
                found.add(part)
    return sorted(found, key=len, reverse=True)


@pytest.mark.parametrize("browser_page", ["es"], indirect=True)
@pytest.mark.parametrize("path", PAGES)
def test_a_spanish_reader_meets_no_english_interface_string(browser_page, path, our_english):
    page = browser_page
    if path in ERRORS:   # the real error page, handed to Chromium as a 200 so that it logs no failed load
        page.route(page.base + path, lambda route: route.fulfill(response=route.fetch(), status=200))
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    if path == "/query":
        page.wait_for_selector("#yasgui[data-ready=true]")
    assert page.evaluate("document.documentElement.lang") == "es"
    texts = page.evaluate(INTERFACE)
    assert texts, "the page has interface text"
    english = sorted({text[:100] for text in texts if ENGLISH.search(text)})
    whole = "\n".join(texts)
    leftovers = [fragment for fragment in _english_fragments() if fragment in whole]
    assert english == [] and leftovers == [], (english, leftovers)
    islands = "\n".join(page.evaluate(ISLANDS))
    ours = [text[:100] for text in our_english if text in islands]
    assert ours == [], ours     # a note, message, comment or query of ours shown in English


@pytest.mark.parametrize("browser_page", ["es"], indirect=True)
def test_the_editor_and_its_results_speak_spanish(browser_page):
    page = browser_page
    page.goto(page.base + "/query?example=working-group-composition")
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr tbody tr")
    page.wait_for_timeout(200)   # YASGUI draws its controls after the rows
    texts = page.evaluate(INTERFACE)
    english = sorted({text[:100] for text in texts if ENGLISH.search(re.sub(r"\?\w+", "", text))})  # not ?variables
    assert english == [], english
    assert any(re.search(r"\d+ resultados en [\d.]+ s", text) for text in texts), texts


# --- A refused and a malformed query, on /sparql and in the editor (decision 0025) -------------------------------
REFUSED = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
MALFORMED = "SELECT ?s WHERE { ?s ?p }"


def _error_english() -> list[str]:
    """The English of every error message of ours (catalogue_errors.py), cut at its {fields}: none of it may be
    on a Spanish page, in a `pre` or anywhere else; only the engine's own text, marked as the engine's."""
    from cpsgraph.web.browser.catalogue_errors import STRINGS as ERRORS

    found = set()
    for spanish, english in ERRORS.values():
        for part in re.split(r"\{[^}]*\}", english):
            part = part.strip(" .,:;()`'")
            if len(part.split()) >= 3 and part not in spanish:
                found.add(part)
    return sorted(found, key=len, reverse=True)


# What a Spanish page shows of an error but the engine's own text
OURS = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('.error-engine, .query-error-engine, .CodeMirror, script, style').forEach(n => n.remove());
  return copy.innerText;
}"""


@pytest.mark.parametrize("browser_page", ["es"], indirect=True)
@pytest.mark.parametrize("query, said", [(REFUSED, "no se acepta"), (MALFORMED, "El motor de consultas no pudo leer")])
def test_a_refused_or_malformed_query_on_sparql_is_told_in_spanish(browser_page, query, said):
    from urllib.parse import quote

    page = browser_page
    url = page.base + "/sparql?query=" + quote(query)
    page.route(url, lambda route: route.fulfill(response=route.fetch(), status=200))  # no failed load logged
    page.goto(url)
    assert page.evaluate("document.documentElement.lang") == "es"
    shown = page.evaluate(OURS)
    assert said in shown, shown
    left = [part for part in _error_english() if part in shown]
    assert left == [] and not ENGLISH.search(re.sub(r"<[^>]*>|\S*:\S*|[A-Z_]{4,}", "", shown)), (left, shown)
    if query == MALFORMED:   # the engine's own message beside ours, marked as English
        engine = page.locator("pre.error-engine")
        assert engine.get_attribute("lang") == "en" and engine.inner_text().strip()


@pytest.mark.parametrize("browser_page", ["es"], indirect=True)
@pytest.mark.parametrize("query, said", [(REFUSED, "no se acepta"), (MALFORMED, "El motor de consultas no pudo leer")])
def test_the_editor_tells_a_refused_or_malformed_query_in_spanish(browser_page, query, said):
    page = browser_page
    page.goto(page.base + "/query")
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", query)
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".query-error")
    # Chromium logs the refused request's 4xx itself: expected here, and the only console line forgiven
    page.recorder.errors[:] = [e for e in page.recorder.errors
                               if not re.search(r"status of 40[03] .*/sparql\)$", e)]
    box = page.locator(".query-error")
    shown = box.evaluate("el => { const c = el.cloneNode(true); c.querySelectorAll('.query-error-engine')"
                         ".forEach(n => n.remove()); return c.innerText; }")
    assert said in shown, shown
    left = [part for part in _error_english() if part in shown]
    assert left == [] and not ENGLISH.search(re.sub(r"\S*:\S*|[A-Z_]{4,}", "", shown)), (left, shown)
    page.wait_for_timeout(200)   # YASGUI draws its controls after the error
    texts = page.evaluate(INTERFACE)   # and the editor's own controls around it
    assert not [t for t in texts if ENGLISH.search(re.sub(r"\?\w+", "", t))], texts
    if query == MALFORMED:
        engine = page.locator(".query-error-engine")
        assert engine.get_attribute("lang") == "en" and engine.inner_text().strip()
