"""End to end in headless Chromium: the report's words in place, /report by locator, search as you type with
the keyboard (header and paths form), the dataset page; axe-core WCAG 2.1 AA on each new kind of page (and
with a combobox open); no sideways scrolling at 390 px; screenshots in both languages for a person to look at
(written to CPS_SCREENSHOTS, when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_helpers import axe_violations

pytestmark = pytest.mark.slow

NEW_PAGES = ("/report", "/report?lang=es", "/page/passage/par-37", "/page/passage/anexo-iii-18?lang=es",
             "/dumps", "/dumps?lang=es", "/search?q=scavone", "/paths?from_name=scavone&to_name=carmen%20terry")


def shoot(page, name: str) -> None:
    folder = os.environ.get("CPS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_have_no_wcag_aa_violation(browser_page, path):
    page = browser_page
    page.goto(page.base + path)
    page.wait_for_load_state("load")
    for details in page.locator("details.evidence").all()[:3]:
        details.locator("summary").click()               # the words in place, open
    assert axe_violations(page) == []


def test_a_passage_opens_in_place_and_leads_to_the_report(browser_page):
    page = browser_page
    page.goto(page.base + "/page/person/graciela-scavone?lang=en")
    evidence = page.locator("details.evidence").first
    assert not evidence.locator("blockquote").is_visible()
    evidence.locator("summary").click()
    quote = evidence.locator("blockquote")
    assert quote.is_visible() and "Scavone" in quote.inner_text()
    assert "withheld" in quote.inner_text()                 # her contact cell is not shown
    shoot(page, "evidence-in-place-en")
    evidence.get_by_role("link", name="Read it in the report").click()
    page.wait_for_url(re.compile(r"/report#anexo-iii-18$"))
    row = page.locator("#anexo-iii-18")
    assert row.is_visible() and "Scavone" in row.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "anexo-iii-18"
    shoot(page, "report-entry-en")


def test_header_search_as_you_type_with_the_keyboard(browser_page):
    page = browser_page
    page.goto(page.base + "/?lang=es")
    field = page.locator("#site-search")
    field.focus()
    page.keyboard.type("scav")
    page.wait_for_selector("#site-search-list [role=option]")
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-search-list").get_attribute("role") == "listbox"
    first = page.locator("#site-search-list [role=option]").first
    assert "Graciela Scavone" in first.inner_text() and "Persona" in first.inner_text()
    page.wait_for_function("document.getElementById('site-search-list-status').textContent.length > 0")
    assert "sugerencia" in page.locator("#site-search-list-status").inner_text()
    shoot(page, "suggest-es")
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page/person/graciela-scavone$"))
    page.goto(page.base + "/?lang=en")
    page.fill("#site-search", "pana")
    page.wait_for_selector("#site-search-list [role=option]")
    page.keyboard.press("Escape")
    assert page.locator("#site-search").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")                                # no option chosen: the search page
    page.wait_for_url(re.compile(r"/search\?q=pana"))


def test_the_paths_form_takes_two_names_from_its_comboboxes(browser_page):
    page = browser_page
    page.goto(page.base + "/paths?lang=en")
    assert page.locator("select").count() == 0
    for field, typed in (("#path-from", "grac sca"), ("#path-to", "carmen")):
        page.locator(field).focus()
        page.keyboard.type(typed)
        page.wait_for_selector(f"{field}-list [role=option]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    assert page.input_value("#path-from-id") == "person/graciela-scavone"
    assert page.input_value("#path-to-id") == "person/carmen-terry"
    assert page.input_value("#path-from") == "Graciela Scavone"
    page.get_by_role("button", name="Find paths").click()
    page.wait_for_url(re.compile(r"/paths\?"))
    assert "path" in page.locator("#paths-result").inner_text()
    details = page.locator("#paths details.evidence").first
    details.locator("summary").click()
    assert details.locator("blockquote").is_visible()          # a hop's evidence, in place
    shoot(page, "paths-en")


def test_network_tables_fetch_a_passage_when_it_opens(browser_page):
    page = browser_page
    page.goto(page.base + "/network/person/graciela-scavone?lang=en")
    details = page.locator("#network-shared details.evidence").first
    details.locator("summary").click()
    details.locator("blockquote").wait_for()
    assert details.locator("blockquote").inner_text().strip()
    assert details.get_by_role("link", name="Read it in the report").is_visible()


@pytest.mark.parametrize("browser_page", ["es"], indirect=True)
def test_nothing_scrolls_sideways_at_390_px(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/report#p37", "/page/passage/par-37", "/dumps", "/search?q=pnuma", "/paths"):
        page.goto(page.base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        shoot(page, "m390" + re.sub(r"[^a-z0-9]+", "-", path))
    page.goto(page.base + "/dumps")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "dumps-es")
