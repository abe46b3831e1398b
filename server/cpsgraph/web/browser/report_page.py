"""`/report`: the whole report as hypertext, read at run time from the operator's copy (see evidence.py).

Its sections, numbered paragraphs, items and the annexes' tables (where the flattened text allows one), each
block anchored by its locator (`/report#p37`, `#anexo-iii-18`, `#anexo-iv-3`, `#nota-2`, else `#l<line>`),
the names of the entities derived from a block linked to their pages, and beside each block those entities.
Anexo III is the list of participants as a table, its contact cells withheld.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from flask import Response, render_template
from markupsafe import Markup

from ...report_document import Block, Piece, ReportDocument
from ...search_index import tier_of
from ...source import passage_slug
from .evidence import derivations, document, passage_href, passage_text, passages
from .pages import UnknownResource, browser_blueprint, lang, page_url, render
from .site import site

bp = browser_blueprint("report", __name__)
ASIDE = 12            # entities listed beside a block; the rest are counted and the passage page lists them
MIN_NAME = 3          # names shorter than this are not linked in the text (too many false matches)


@dataclass
class Segment:
    text: str
    href: str | None = None


@dataclass
class PieceView:
    kind: str
    segments: list[Segment] = field(default_factory=list)
    items: list[tuple[str, list[Segment]]] = field(default_factory=list)
    rows: list[list[list[Segment]]] = field(default_factory=list)
    header: bool = False
    width: int = 0


@dataclass
class BlockView:
    block: Block
    pieces: list[PieceView] = field(default_factory=list)
    cells: list[list[Segment]] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    more: int = 0
    passage_href: str | None = None


@dataclass
class EntryTable:
    """Anexo III's entries, one table: its column heads, then rows (entries and group headings)."""
    head: list[str]
    rows: list = field(default_factory=list)      # BlockView, or str (a group heading)
    kind: str = "entries"


@bp.route("/report")
def report() -> Response:
    doc, chosen = document(), lang()
    views = site().cached(f"report:{chosen}", lambda: _views(doc, chosen)) if doc else []
    toc = [v.block for v in views if isinstance(v, BlockView) and v.block.kind == "heading" and v.block.level == 2]
    # the blocks do not change while the release is served: rendered once per language
    body = site().cached(f"report-html:{chosen}", lambda: Markup(render_template("browser/report_body.html",
                                                                                  views=views))) if doc else ""
    return render("browser/report.html", body=body, toc=toc, available=doc is not None)


@bp.route("/evidence/<slug>")
def evidence_fragment(slug: str) -> Response:
    """The words of one passage as an HTML fragment (what a disclosure in a long table fetches when opened)."""
    locator = {passage_slug(loc): loc for loc in passages()}.get(slug)
    if locator is None:
        raise UnknownResource(f"The graph has no passage '{slug}'.", key="page.passage", values={"slug": slug})
    return render("browser/evidence_fragment.html", snippet=passage_text(locator))


def _views(doc: ReportDocument, chosen: str) -> list:
    derived = _derived(doc)
    entities = site().entities
    views: list = []
    for block in doc.blocks:
        found = derived.get(block.start, {})
        shown = sorted(found, key=lambda iri: (tier_of(entities.kind_segment(iri)), entities.label(iri, chosen)))
        primary = [iri for iri in shown if tier_of(entities.kind_segment(iri)) < 2]
        view = BlockView(block, entities=[{"label": entities.label(i, chosen), "href": page_url(i),
                                           "kind": entities.kind(i, chosen)} for i in primary[:ASIDE]],
                         more=len(primary) - min(len(primary), ASIDE),
                         passage_href=passage_href(block.locator) if block.locator else None)
        linker = _Linker([(name, page_url(iri)) for iri in primary if tier_of(entities.kind_segment(iri)) == 0
                          for name in _names(entities, iri)])
        view.pieces = [_piece(piece, linker) for piece in block.pieces]
        view.cells = [linker.segments(cell) for cell in block.cells]
        if block.kind == "entry":
            table = views[-1] if views and isinstance(views[-1], EntryTable) else None
            if table is None:
                table = EntryTable(head=[], rows=[])
                previous = views[-1] if views else None
                if isinstance(previous, BlockView) and previous.pieces and previous.pieces[-1].kind == "table":
                    rows = previous.block.pieces[-1].rows
                    table.head = rows[0]
                    table.rows += [" ".join(r) for r in rows[1:]]
                    previous.pieces.pop()
                views.append(table)
            table.rows.append(view)
            table.rows += block.group_after
            continue
        views.append(view)
    return views


def _derived(doc: ReportDocument) -> dict[int, set[str]]:
    """For each block (by its first line), the entities derived from a passage that begins in it."""
    starts = sorted(block.start for block in doc.blocks)
    found: dict[int, set[str]] = {}
    for iri, start in derivations():
        at = bisect.bisect_right(starts, start) - 1
        if at >= 0:
            found.setdefault(starts[at], set()).add(iri)
    return found


def _names(entities, iri: str) -> list[str]:
    entity = entities.get(iri)
    if entity is None:
        return []
    names = list(entity.labels.values()) + entity.names
    return [n for n in dict.fromkeys(names) if len(n) >= MIN_NAME]


class _Linker:
    """Links the first mention of each name in a block's text to its page (names as written, whole words)."""

    def __init__(self, names: list[tuple[str, str | None]]):
        self.href = {}
        for name, href in sorted(names, key=lambda pair: -len(pair[0])):
            if href:
                self.href.setdefault(name, href)
        self.pattern = (re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in self.href) + r")(?!\w)")
                        if self.href else None)
        self.done: set[str] = set()

    def segments(self, text: str) -> list[Segment]:
        if self.pattern is None or not text:
            return [Segment(text)]
        out, at = [], 0
        for match in self.pattern.finditer(text):
            href = self.href[match.group(1)]
            if href in self.done:
                continue
            self.done.add(href)
            out += [Segment(text[at:match.start()]), Segment(match.group(1), href)]
            at = match.end()
        out.append(Segment(text[at:]))
        return [s for s in out if s.text]


def _piece(piece: Piece, linker: _Linker) -> PieceView:
    if piece.kind == "items":
        return PieceView("items", items=[(marker, linker.segments(text)) for marker, text in piece.items])
    if piece.kind == "table":
        width = max(len(row) for row in piece.rows)
        return PieceView("table", rows=[[linker.segments(cell) for cell in row] for row in piece.rows],
                         header=piece.header, width=width)
    return PieceView("text", segments=linker.segments(piece.text))
