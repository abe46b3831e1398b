"""WCAG 2.1 AA, checked with axe-core in headless Chromium on every kind of page (zero violations), in both
languages, including the query editor with results and the network view once drawn."""

from __future__ import annotations

import pytest
from browser_helpers import axe_violations

pytestmark = pytest.mark.slow

PAGES = (
    "/", "/?lang=es",
    "/page/person/graciela-scavone", "/page/organization/pnuma?lang=es", "/page/country/AR",
    "/page/country/BR?lang=es", "/page/event/cuarta-reunion-consejo", "/page/presentation/d2-panel-5-1?lang=en",
    "/page/passage/anexo-iii-18", "/page/plan/andina/p1/r1/a2", "/page/working-group/cono-sur",
    "/persons?country=AR&country=BR", "/organizations?page=2", "/priorities?lang=es&horizon=corto-plazo",
    "/search?q=panama", "/search?q=zzzz",
    "/network/person/graciela-scavone", "/network/working-group/cono-sur?lang=es",
    "/paths", "/paths?from=person/graciela-scavone&to=person/carmen-terry",
    "/interlocks/organization/pnuma", "/interlocks/person/giselle-beja",
    "/query", "/quality", "/dumps", "/ontology.html?lang=es",
    "/agenda?lang=es", "/countries?subregion=cono-sur", "/meetings?lang=en", "/sparql", "/sparql?query=ASK%7B%7D&lang=es",
    "/report?lang=es", "/report?lang=en", "/presentations?lang=es", "/working-groups", "/task-forces?lang=es",
    "/initiatives", "/plans?lang=es", "/activities", "/passages?lang=es",
)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_aa_violation(browser_page, path):
    page = browser_page
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("/network/"):
        page.wait_for_selector("#network-graph canvas")
    if path.startswith("/query"):
        page.wait_for_selector("#yasgui[data-ready=true]")
    assert axe_violations(page) == []


def test_query_results_have_no_wcag_aa_violation(browser_page):
    page = browser_page
    page.goto(page.base + "/query?example=participants-by-country")
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr tbody tr")
    page.wait_for_selector(".yasr .iri-label")
    assert axe_violations(page) == []


REFUSED = "/sparql?query=SELECT%20*%20WHERE%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fexample.org%2Fsparql%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D"


@pytest.mark.parametrize(("browser_page", "path", "title"), [
    ("es", "/page/person/nobody-at-all", "No encontrado"), ("en", "/page/person/nobody-at-all", "Not found"),
    ("es", REFUSED, "Consulta rechazada"), ("en", REFUSED, "Query refused"),
], indirect=["browser_page"], ids=["404-es", "404-en", "403-es", "403-en"])
def test_an_error_page_has_no_wcag_aa_violation(browser_page, path, title):
    page = browser_page
    # the real error page, handed to Chromium as a 200 so that it logs no failed load
    page.route(page.base + path, lambda route: route.fulfill(response=route.fetch(), status=200))
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == title
    assert axe_violations(page) == []
