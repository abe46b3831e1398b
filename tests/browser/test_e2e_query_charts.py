"""The query editor for a reader (issue 15, item 4), in headless Chromium against the real server: a first visit
opens one of our examples, results show labels (not IRIs and datatypes) unless asked, and they can be charted
offline (Vega-Lite served by us, drawn under the page's Content-Security-Policy)."""

from __future__ import annotations

import pytest
from browser_helpers import axe_violations

pytestmark = pytest.mark.slow


def run(page, path="/query"):
    page.goto(page.base + path)
    page.wait_for_selector("#yasgui[data-ready=true]")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr tbody tr")
    return page


def test_a_first_visit_opens_an_example_and_shows_labels(browser_page):
    page = browser_page
    page.goto(page.base + "/query")
    page.wait_for_selector("#yasgui[data-ready=true]")
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "# title-en: Participants by country" in text            # queries/participants-by-country.rq
    run(page)
    page.wait_for_selector(".yasr tbody tr .iri-label")
    first = page.locator(".yasr tbody tr").first
    cells = first.inner_text()
    assert "Brazil" in cells and "https://w3id.org" not in cells and "^^" not in cells and "xsd:" not in cells
    link = first.locator("a.iri").first
    assert link.get_attribute("href") == "/page/country/BR" and link.get_attribute("title").endswith("/country/BR")
    page.locator("#query-raw").check()                              # the raw terms, when asked
    page.wait_for_function("document.querySelector('.yasr tbody tr').innerText.includes('xsd:integer')")


def test_results_are_charted_offline(browser_page):
    page = run(browser_page)
    page.wait_for_selector("#query-chart[data-drawn]")
    chart = page.locator("#query-chart")
    assert chart.is_visible()
    assert int(chart.get_attribute("data-drawn")) == page.locator(".yasr tbody tr").count()
    bars = page.locator("#query-chart-view svg .mark-rect path")
    assert bars.count() == page.locator(".yasr tbody tr").count()
    assert "Brazil" in page.locator("#query-chart-view").inner_html()
    assert page.locator("#chart-category").input_value() == "country"
    assert page.locator("#chart-value").input_value() == "entries"
    page.select_option("#chart-value", "persons")
    page.wait_for_function("document.querySelector('#query-chart-view svg') !== null")
    assert axe_violations(page) == []


def test_results_never_widen_a_phone_page(browser_page):
    # At 390 px the answer's table scrolls inside its own box. YASR's column resizer re-measures its grips to the
    # table's full width when the window changes size (a phone turned, a tall screenshot): they widened the page
    # to 936 px until the table's cell got its own scroll box.
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 900})
    run(page)
    page.set_viewport_size({"width": 390, "height": 1400})
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".yasr .grip-container").count() >= 1     # the resizer is there, only contained
