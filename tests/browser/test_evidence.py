"""Evidence you can read (issue 14, items 1 and 2): the report's words for each passage, read at run time from
the SOURCE copy; snippets in place; /report as hypertext; personal contact details withheld everywhere; and
the report's prose never in git-tracked files, data documents or dumps.

The tests read the words they look for from the report itself at run time (the `report` fixture), so the
report's prose is not copied into this file either.
"""

from __future__ import annotations

import gzip

import subprocess

import pytest
from browser_helpers import ROOT, Page, page_of

from cpsgraph.contacts import report_contacts
from cpsgraph.report_document import ReportDocument, anchor_of


@pytest.fixture(scope="module")
def document(report):
    return ReportDocument(report)


@pytest.fixture(scope="module")
def report_page(client_module):
    return page_of(client_module.get("/report", headers={"Accept-Language": "en"}))


@pytest.fixture(scope="module")
def client_module(app):
    return app.test_client()


def prose_lines(report, length=100):
    """The numbered paragraphs' opening lines long enough to be prose (the items of a list may be labels)."""
    return [report.lines[span.start - 1].strip() for span in report.paragraphs.values()
            if len(report.lines[span.start - 1].strip()) >= length]


def test_a_passage_page_shows_the_report_words_with_attribution(client, report):
    page = page_of(client.get("/page/passage/par-37", headers={"Accept-Language": "en"}))
    span = report.paragraphs[37]
    first = report.lines[span.start - 1].strip()
    assert first[:60] in page.text
    assert "UNEP/UNDESA" in page.text and "not under their CC BY licence" in page.text
    assert any(a.get("href") == "/report#p37" for a in page.links)
    spanish = page_of(client.get("/page/passage/par-37", headers={"Accept-Language": "es"}))
    assert "PNUMA/DAES" in spanish.text and first[:60] in spanish.text


def test_resource_pages_show_each_passage_in_place(client, report):
    page = page_of(client.get("/page/person/graciela-scavone", headers={"Accept-Language": "en"}))
    assert ("details", {"class": "evidence"}) in page.tags
    entry = report.entries["18"]
    name_line = next(report.lines[n - 1].strip() for n in range(entry.start, entry.end + 1)
                     if "Scavone" in report.lines[n - 1])
    assert name_line in page.text
    assert any(a.get("href") == "/page/passage/anexo-iii-18" for a in page.links)
    assert any(a.get("href") == "/report#anexo-iii-18" for a in page.links)


def test_contact_details_are_withheld_on_every_page_that_shows_the_words(client, report, report_page):
    contacts, _ = report_contacts(report)
    values = {line.strip() for c in contacts for line in c.value.split("\n") if len(line.strip()) >= 6}
    assert len(values) > 100
    pages = [report_page] + [page_of(client.get(f"/page/passage/anexo-iii-{n}")) for n in report.entries]
    for page in pages:
        leaked = [v for v in values if v in page.text]
        assert leaked == [], leaked[:5]
        assert "@" not in page.text.replace("mailto", "")
    assert "contact details withheld" in report_page.text


def test_the_report_is_anchored_by_locator(report_page, report):
    ids = report_page.ids
    assert {f"p{n}" for n in report.paragraphs} <= ids
    assert {anchor_of(f"Anexo III #{n}") for n in report.entries} <= ids
    assert {f"anexo-iv-{n}" for n in range(1, 7)} | {"anexo-i", "anexo-ii", "anexo-iii", "anexo-v"} <= ids
    assert {f"anexo-i-{n}" for n in report.recommendation_points} <= ids
    assert {f"nota-{n}" for n in report.notes} <= ids


def test_each_paragraph_links_the_entities_derived_from_it(client):
    html = client.get("/report", headers={"Accept-Language": "en"}).get_data(as_text=True)
    start = html.index('id="p37"')
    block = Page(html[start:html.index("</section>", start)])
    hrefs = {a.get("href") for a in block.links}
    assert "/page/organization/onudi" in hrefs           # named in the text, linked, and listed beside it
    assert "/page/passage/par-37" in hrefs
    assert "In the graph" in block.text


def test_the_annex_tables_are_tables(report_page, document):
    tables = [attrs for tag, attrs in report_page.tags if tag == "table"]
    assert len(tables) >= 10
    entries = [b for b in document.blocks if b.kind == "entry"]
    assert len(entries) == 86 and all(len(b.cells) == 6 for b in entries)
    assert ("th", {"scope": "row"}) in report_page.tags


def test_without_a_copy_of_the_report_pages_say_so(make_app, build_dir, tmp_path):
    from browser_helpers import app_config

    app = make_app(app_config(build_dir, SOURCE=str(tmp_path / "missing.txt")))
    client = app.test_client()
    page = page_of(client.get("/page/passage/par-37", headers={"Accept-Language": "en"}))
    assert "no readable copy of the report" in page.text
    assert "no readable copy" in page_of(client.get("/report", headers={"Accept-Language": "en"})).text
    assert page_of(client.get("/page/person/graciela-scavone")).links   # the locators are still there


def test_the_report_words_never_reach_git_or_the_dumps(report, release, client):
    lines = prose_lines(report)
    assert len(lines) > 50
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    texts = {}
    for name in tracked.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file() and path.stat().st_size < 5_000_000:
            texts[name] = path.read_bytes().decode("utf-8", errors="ignore")
    for path in [*(release / "public").iterdir(), *(release / "restricted").iterdir()]:
        data = path.read_bytes()
        texts[str(path)] = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    texts["/data/passage/par-37.ttl"] = client.get("/data/passage/par-37.ttl").get_data(as_text=True)
    found = [(name, line[:40]) for line in lines for name, text in texts.items() if line[:90] in text]
    assert found == []
