"""End to end, in Debian's headless Chromium against the real server on a loopback port: a reader's journey
(search, page, language, network, path, query), the "done when" question in both languages, keyboard use.
Every test also checks (in the `browser_page` fixture) that no console error happened and that no request
left loopback."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def test_search_page_language_network_path_and_query(browser_page):
    page = browser_page
    page.goto(page.base + "/")
    page.fill("#site-search", "Scavone")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Scavone"))
    page.get_by_role("link", name="Graciela Scavone", exact=True).click()
    page.wait_for_url(re.compile(r"/page/person/graciela-scavone$"))
    assert page.locator("h1").inner_text() == "Graciela Scavone"
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator(".lang-switch").click()                       # to Spanish
    page.wait_for_url(re.compile(r"lang=es"))
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Su red: quién trabaja con quién").click()
    page.wait_for_url(re.compile(r"/network/person/graciela-scavone"))
    assert page.locator("html").get_attribute("lang") == "es"   # the choice persists without ?lang
    page.wait_for_selector("#network-graph canvas")              # Cytoscape drew the network
    assert page.locator("#network-table tbody tr").count() > 10
    page.locator("details.net-pairs > summary").click()           # the one-row-per-connection table folds away
    assert "Luiz Fernando Krieger Merico" in page.locator("#network-table").inner_text()

    page.get_by_role("link", name="Conexiones").click()
    for field, typed, option in (("#path-from", "scavone", "Graciela Scavone"), ("#path-to", "carmen ter", "Carmen Terry")):
        page.fill(field, typed)                                   # the combobox, not a 190-entry dropdown
        page.locator(f"{field}-list [role=option]", has_text=option).first.click()
    assert page.input_value("#path-from-id") == "person/graciela-scavone"
    page.get_by_role("button", name="Buscar caminos").click()
    page.wait_for_url(re.compile(r"/paths\?"))
    assert "camino" in page.locator("#paths-result").inner_text()
    hops = page.locator("#paths").inner_text()
    assert "Luiz Fernando Krieger Merico" in hops and "comité redactor" in hops

    page.get_by_role("link", name="Consultas SPARQL").click()
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.locator("[data-example=co-presenters]").click()
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr tbody tr")
    assert "Giselle Beja" in page.locator(".yasr").inner_text()
    page.wait_for_selector(".yasr .iri-label")                  # labels beside the IRIs of the results
    hrefs = page.eval_on_selector_all(".yasr a.iri", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("/page/") for h in hrefs if "w3id.org/cps-lac/id/" not in h)
    assert any(h.startswith("/page/presentation/") for h in hrefs)


def test_query_editor_completes_from_our_own_terms(browser_page):
    page = browser_page
    page.goto(page.base + "/query")
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("PREFIX cp")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints")
    hints.locator("li").first.wait_for()
    assert "cps: <https://w3id.org/cps-lac/ontology#>" in hints.inner_text()     # our prefixes, not prefix.cc
    page.keyboard.press("Enter")
    page.keyboard.type("\nSELECT * WHERE { ?x a cps:Partic")
    page.keyboard.press("Control+Space")
    hints.locator("li").first.wait_for()
    assert "cps:Participation" in hints.inner_text()                               # our classes, not LOV
    page.keyboard.press("Escape")
    assert "PREFIX cps: <https://w3id.org/cps-lac/ontology#>" in page.locator(".CodeMirror").first.inner_text()


def test_query_urls_are_shareable(browser_page):
    from urllib.parse import quote

    page = browser_page
    page.goto(page.base + "/query?example=drafting-committee")
    page.wait_for_selector("#yasgui[data-ready=true]")
    assert "title-en: The Drafting Committee" in page.locator(".CodeMirror").first.inner_text()
    query = "SELECT ?person WHERE { ?person a <http://xmlns.com/foaf/0.1/Person> } LIMIT 3"
    page.goto(page.base + "/query#query=" + quote(query))      # YASGUI's own share links
    page.wait_for_selector("#yasgui[data-ready=true]")
    assert "LIMIT 3" in page.locator(".CodeMirror").first.inner_text()


@pytest.mark.parametrize("browser_page, lang", [("en", "en"), ("es", "es")], indirect=["browser_page"])
def test_done_when_who_in_the_southern_cone_group_works_with_whom_and_why(browser_page, lang):
    """A newcomer, from the home page and without SPARQL, finds who in the Southern Cone group works with
    whom and why, in either language."""
    page = browser_page
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == lang     # chosen by the browser's Accept-Language
    words = {"en": ("Southern Cone subregion", "Who works with whom in this group", "What links them",
                    "same organization", "Ministry of Environment", "co-presenters", "presented"),
             "es": ("Subregión Cono Sur", "Quién trabaja con quién en este grupo", "Qué los une",
                    "misma organización", "Ministerio de Medio Ambiente", "copresentadores", "presentaron")}[lang]
    region, link, heading, same_org, ministry, co_presenters, presented = words
    card = page.locator(".card", has=page.get_by_role("heading", name=region))
    card.get_by_role("link", name=re.compile(link)).click()
    page.wait_for_url(re.compile(r"/network/working-group/cono-sur"))
    assert page.get_by_role("heading", name=heading).is_visible()
    shared = page.locator("#network-shared")
    ministry_row = shared.locator("tr", has_text=ministry)
    assert same_org in ministry_row.inner_text()
    assert "Luiz Fernando Krieger Merico" in ministry_row.inner_text()        # Anexo III #20-#28
    assert re.search(r"Anexo III #2\d", ministry_row.inner_text())
    pair = shared.locator("tr", has_text=co_presenters)
    assert "Giselle Beja Valent" in pair.inner_text() and "Graciela Rossi Rauchfuss" in pair.inner_text()
    assert "§45" in pair.inner_text()                                          # where the report says so
    page.locator("details.net-pairs > summary").click()
    why = page.locator("#network-table tr", has_text=co_presenters).first.inner_text()
    assert presented in why


def test_keyboard_alone_reaches_search_results_and_network_filters(browser_page):
    page = browser_page
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto(page.base + "/")
    for _ in range(3):
        page.keyboard.press("Tab")                                 # skip link, site name, search field
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("panama")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=panama"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/page/country/PA":
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"                                       # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page/country/PA$"))
    assert page.locator("h1").inner_text() == "Panama"

    page.goto(page.base + "/network/person/giselle-beja")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    page.keyboard.press("Space")                                   # leave out the first kind (affiliation)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON" and \
                page.evaluate("document.activeElement.type") == "submit" and \
                page.evaluate("document.activeElement.closest('form').className") == "net-filters":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kind="))
    assert "kind=affiliation" not in page.url and "kind=co-presenters" in page.url


def test_a_name_typed_before_the_suggestions_script_ran_gets_its_suggestions(browser_page):
    """On a slow connection a reader types before the combobox's script has run: its input events went unheard
    and no suggestion ever came (seen in a full run under load). The script asks for them when it starts; a
    value the server wrote into the field is left alone."""
    page = browser_page
    page.route("**/auto-complete-element/bundle.js*", lambda route: (page.wait_for_timeout(1500), route.continue_()))
    page.goto(page.base + "/paths", wait_until="commit")
    page.fill("#path-from", "scavone")
    assert not page.evaluate("!!customElements.get('auto-complete')")    # typed before the element existed
    page.locator("#path-from-list [role=option]", has_text="Graciela Scavone").first.click()
    assert page.input_value("#path-from-id") == "person/graciela-scavone"
    page.unroute("**/auto-complete-element/bundle.js*")
    page.goto(page.base + "/paths?from=person/graciela-scavone&to=person/carmen-terry")
    page.wait_for_function("!!customElements.get('auto-complete')")
    page.wait_for_timeout(500)                                               # the element's debounce, and more
    assert page.locator("#path-from-list [role=option]").count() == 0       # nothing asked for a server value
    assert page.input_value("#path-from-id") == "person/graciela-scavone"
