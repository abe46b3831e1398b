"""Evidence you can read: the report's own words for the lines a passage cites, read at run time from the
operator's copy of the report (the SOURCE setting) and shown with its attribution, never stored.

The text goes neither into git nor into the dumps (the report is UNEP/UNDESA's, not under our CC BY
licence): the data documents and dumps carry the locator and line numbers only, and the pages read the
words from the file when they are rendered. Without a readable copy the pages say so and show the locators.

    text = evidence.passage_text("§37", 106, 108)   # Snippet(lines=[...], report_href="/report#p37", ...)
    evidence.passage_href("Anexo III #18")           # "/page/passage/anexo-iii-18"
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from flask import current_app, url_for

from ...artefacts import open_or_make
from ...errors import ConfigError
from ...source import passage_slug
from ...report_document import WITHHELD, ReportDocument, anchor_of
from ...source import Report
from ..stores import stores
from .derivations import Derivations
from .pages import iri_of, local_id, page_url
from .site import site

log = logging.getLogger("cpsgraph.serve")
SNIPPET_LINES = 12    # lines a snippet shows in place; the passage page shows them all
PASSAGE_LINES = 400   # a passage page shows at most this many lines (an annex cited whole is long)


@dataclass
class Snippet:
    locator: str
    start: int
    end: int
    lines: list[str] = field(default_factory=list)   # WITHHELD stands for personal contact details
    more: int = 0                                    # lines left out
    report_href: str = ""                            # the passage in the whole report
    href: str | None = None                          # the passage's own page

    @property
    def available(self) -> bool:
        return bool(self.lines)


def document() -> ReportDocument | None:
    """The report of the SOURCE setting, parsed once per app; None when this server has no readable copy."""
    def load():
        path = Path(str(current_app.config.get("SOURCE") or ""))
        try:
            return ReportDocument(Report(path))
        except ConfigError as error:
            log.warning("the report's text is not shown: %s", error.message)
            return False
    found = site().cached("report-document", load)
    return found or None


QUERY_PREFIXES = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
"""
LOCATOR = "bibo:locator"  # a passage's locator (ontology 2.0; cps:lineStart/lineEnd stay)


def passages() -> dict[str, tuple[int, int]]:
    """Every passage of the graph: locator -> (first line, last line)."""
    def make():
        rows = site().store.select(QUERY_PREFIXES + f"""SELECT DISTINCT ?locator ?start ?end WHERE {{
            ?passage {LOCATOR} ?locator ; cps:lineStart ?start ; cps:lineEnd ?end }}""")
        return {row["locator"].value: (int(row["start"].value), int(row["end"].value)) for row in rows}
    return site().cached("passage-lines", make)


def derivations() -> Iterator[tuple[str, int]]:
    """(entity, first line of a passage it is derived from), for every derivation of the graph."""
    return _derivations().all()


def sources_of(iri: str) -> list[tuple[str, int, int]]:
    """The passages an entity is derived from: (locator, first line, last line), in the report's order."""
    return _derivations().of(iri)


def _derivations() -> Derivations:
    """The served release's derivations (artefacts.py), read from its file; else (files given with --data, an
    older or damaged release) read from the store into memory."""
    return site().cached("derivations", lambda: open_or_make(
        stores().release, "derivations", Derivations.open,
        lambda: Derivations(site().store.select(Derivations.QUERY))))


def passage_href(locator: str) -> str | None:
    """The page of the passage node a locator names."""
    return page_url(iri_of("passage/" + passage_slug(locator)))


def report_href(locator: str, start: int | None = None) -> str:
    """The place in /report where a locator's words are: its own anchor, else the block holding its line."""
    doc = document()
    anchor = anchor_of(locator)
    anchors = site().cached("report-anchors", lambda: {block.anchor for block in doc.blocks}) if doc else set()
    if doc is not None and start and anchor not in anchors:
        block = doc.block_at(start)
        anchor = block.anchor if block else anchor
    return url_for("report.report") + "#" + anchor


def passage_text(locator: str, start=None, end=None, *, limit: int = SNIPPET_LINES) -> Snippet:
    """The words of lines start..end (numbers or numeric strings; the passage's own lines when not given) of
    the report, at most `limit` lines."""
    first, last = _int(start), _int(end) or _int(start)
    if not first:
        first, last = passages().get(locator, (None, None))
    snippet = Snippet(locator, first or 0, last or 0, href=passage_href(locator))
    snippet.report_href = report_href(locator, first)
    doc = document()
    if doc is None or not first:
        return snippet
    lines = doc.excerpt(first, last)
    snippet.lines, snippet.more = lines[:limit], max(0, len(lines) - limit)
    return snippet


def own_words(iri: str) -> Snippet | None:
    """A passage's own words (for its page), up to PASSAGE_LINES lines; None for other resources."""
    path = local_id(iri) or ""
    if not path.startswith("passage/"):
        return None
    by_slug = site().cached("passage-slugs", lambda: {passage_slug(loc): loc for loc in passages()})
    locator = by_slug.get(path.removeprefix("passage/"))
    if locator is None:
        return None
    start, end = passages()[locator]
    return passage_text(locator, start, end, limit=PASSAGE_LINES)


def warm_up() -> None:
    """Parse the report and read the passages now (see browser.warm_up), not on a reader's first request."""
    document()
    passages()
    _derivations()


def _int(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def template_helpers() -> dict:
    """What the templates use to show evidence: `snippet(locator, start, end)`, `withheld` (the marker)."""
    return {"evidence_snippet": passage_text, "WITHHELD": WITHHELD, "passage_href": passage_href,
            "sources_of": sources_of, "report_anchor": report_href}
