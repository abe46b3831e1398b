"""The report as a document: its sections, numbered paragraphs, items, annex tables and participant entries,
each block with its line range and its anchor, read at run time from the operator's copy of the report.

Nothing of the report's text is kept in the repository or in the dumps (its licence is not ours): the
browser reads it from the SOURCE setting when it shows a passage or the whole report. Personal contact
details (Anexo III: postal addresses, telephone and fax numbers, e-mail addresses) are withheld here, before
any text leaves this module: their lines are read with the same parser that feeds the restricted graph
(`contacts.report_contacts`), and any line of the list that still holds an e-mail address or a long number is
withheld as well.

    doc = ReportDocument(Report(path))
    doc.blocks                   # headings, paragraphs, entries, notes, in order
    doc.excerpt(106, 108)        # the lines of a passage, contact details withheld
    anchor_of("Anexo III #18")   # "anexo-iii-18"; "§37" -> "p37"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .contact_cell import is_contact_line
from .contacts import report_contacts
from .source import PARTS, Report

WITHHELD = "\x00"          # stands for a line (or the rest of one) of personal contact details
FOOTNOTE_MARK = "\ufffd"   # the unreadable character of the footnote markers, shown as "*"
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_LONG_NUMBER = re.compile(r"\d[\d\s\-–()/.+]{6,}\d")
_ITEM = re.compile(r"^\s*(\(?[a-z]{1,4}\)|·)\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(.*)$")

# The report's headings, by first line: (lines it spans, level, anchor). Line numbers of the pinned source
# (../shared/source/README.md, "Map"); the heading's words are read from the report, never written here.
HEADINGS: dict[int, tuple[int, int, str]] = {
    1: (1, 2, "resumen-ejecutivo"), 26: (1, 2, "antecedentes"), 46: (1, 2, "participacion"),
    76: (1, 2, "seccion-i"), 85: (1, 2, "seccion-ii"), 106: (2, 2, "seccion-iii"), 113: (2, 2, "seccion-iv"),
    122: (2, 2, "seccion-v"), 167: (2, 2, "seccion-vi"), 197: (2, 2, "seccion-vii"), 199: (1, 3, "seccion-vii-a"),
    213: (1, 3, "seccion-vii-b"), 216: (1, 3, "seccion-vii-c"), 218: (2, 4, "cuadro-i"), 276: (2, 3, "seccion-vii-d"),
    281: (1, 4, "grafico-i"), 282: (1, 2, "seccion-viii"),
    320: (3, 2, "anexo-i"), 325: (1, 3, "anexo-i-considerando"),
    365: (2, 2, "anexo-ii"), 367: (1, 3, "anexo-ii-objetivos"), 382: (1, 3, "anexo-ii-agenda"),
    383: (1, 4, "anexo-ii-dia-1"), 449: (1, 4, "anexo-ii-dia-2"),
    493: (2, 2, "anexo-iii"),
    1552: (2, 2, "anexo-iv"), 1555: (1, 3, "anexo-iv-1"), 1695: (1, 3, "anexo-iv-2"), 1861: (1, 3, "anexo-iv-3"),
    2551: (1, 3, "anexo-iv-4"), 2691: (2, 3, "anexo-iv-5"), 2751: (2, 3, "anexo-iv-6"),
    2911: (2, 2, "anexo-v"), 3004: (1, 3, "anexo-v-caribe"),
}
NOTES_ANCHOR = "notas"


def anchor_of(locator: str) -> str:
    """Where a locator's words are in the rendered report: `§37`, `§60a.ii` -> `p37`/`p60`; `Anexo III #18` ->
    `anexo-iii-18`; `Anexo I #3` -> `anexo-i-3`; `nota 2` -> `nota-2`; `Anexo IV.3 P2 R1` -> `anexo-iv-3`;
    `Anexo V q3` -> `anexo-v`; `Anexo V Caribe #4` -> `anexo-v-caribe`; `Cuadro I` -> `cuadro-i`."""
    loc = locator.strip()
    if m := re.match(r"^§(\d+)", loc):
        return f"p{m.group(1)}"
    if m := re.match(r"^Anexo III #(\d+[ab]?)$", loc):
        return f"anexo-iii-{m.group(1)}"
    if m := re.match(r"^Anexo I #(\d+)$", loc):
        return f"anexo-i-{m.group(1)}"
    if m := re.match(r"^nota (\d+)$", loc):
        return f"nota-{m.group(1)}"
    if m := re.match(r"^Anexo IV\.([1-6])\b", loc):
        return f"anexo-iv-{m.group(1)}"
    if loc.startswith("Anexo V Caribe"):
        return "anexo-v-caribe"
    if loc.startswith("Anexo V"):
        return "anexo-v"
    return re.sub(r"[^a-z0-9]+", "-", loc.lower()).strip("-")


@dataclass
class Piece:
    """Part of a block: a line of text, a list of items, or a table (rows of cells)."""
    kind: str                                   # "text", "items", "table"
    text: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)      # (marker, text)
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False                        # the first row names the columns


@dataclass
class Block:
    kind: str            # "heading", "paragraph", "point", "entry", "note", "text"
    start: int
    end: int
    anchor: str          # the id in the page; `l<start>` when the block has no locator of its own
    locator: str = ""
    level: int = 0
    number: str = ""
    title: str = ""      # a heading's words
    pieces: list[Piece] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)   # an Anexo III entry's cells (contact cell withheld)
    group_after: list[str] = field(default_factory=list)  # group headings that follow an entry in the list


class ReportDocument:
    """The report's blocks, with personal contact details withheld. Built once per process."""

    def __init__(self, report: Report):
        self.report = report

    @cached_property
    def lines(self) -> list[str]:
        """The report's lines (1-based through `line(n)`), contact details replaced by WITHHELD."""
        lines = [line.replace("\xa0", " ") for line in self.report.lines]
        contacts, _ = report_contacts(self.report)
        for contact in contacts:
            first = contact.lines.start
            if contact.kind == "address":
                head = contact.value.split("\n", 1)[0]
                at = lines[first - 1].find(head)
                kept = lines[first - 1][:at] if at > 0 else ("\t" if lines[first - 1].startswith("\t") else "")
                lines[first - 1] = kept + WITHHELD
                rest = range(first + 1, contact.lines.end + 1)
            else:
                rest = range(first, contact.lines.end + 1)
            for n in rest:
                lines[n - 1] = ("\t" if lines[n - 1].startswith("\t") else "") + WITHHELD
        start, end = PARTS["Anexo III"]
        for n in range(start, end + 1):   # what the parser could not read is withheld all the same
            line = lines[n - 1]
            if WITHHELD not in line and (_EMAIL.search(line) or _LONG_NUMBER.search(line) or is_contact_line(line)):
                lines[n - 1] = ("\t" if line.startswith("\t") else "") + WITHHELD
        for n, line in enumerate(lines):  # and any e-mail address elsewhere
            if _EMAIL.search(line) and "@" in line:
                lines[n] = _EMAIL.sub(WITHHELD, line)
        return [line.replace(FOOTNOTE_MARK, "*") for line in lines]

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def excerpt(self, start: int, end: int) -> list[str]:
        """Lines start..end (1-based, inclusive) as shown: stripped, empty ones dropped, withheld parts as
        WITHHELD (runs of withheld lines as one)."""
        start, end = max(1, start), min(len(self.lines), end)
        shown: list[str] = []
        for n in range(start, end + 1):
            text = self.lines[n - 1].strip()
            if not text:
                continue
            if text == WITHHELD and shown and shown[-1] == WITHHELD:
                continue
            shown.append(text)
        return shown

    @cached_property
    def blocks(self) -> list[Block]:
        return _Parser(self).parse()

    def block_at(self, line: int) -> Block | None:
        """The block holding `line` (the last block starting at or before it)."""
        found = None
        for block in self.blocks:
            if block.start > line:
                break
            found = block
        return found


class _Parser:
    def __init__(self, doc: ReportDocument):
        self.doc = doc
        report = doc.report
        self.starts: dict[int, tuple[str, str, str]] = {}   # line -> (kind, locator, number)
        for number, span in report.paragraphs.items():
            self.starts[span.start] = ("paragraph", f"§{number}", str(number))
        for number, span in report.recommendation_points.items():
            self.starts[span.start] = ("point", f"Anexo I #{number}", str(number))
        for number, span in report.entries.items():
            self.starts[span.start] = ("entry", f"Anexo III #{number}", number)
        for number, span in report.notes.items():
            self.starts[span.start] = ("note", f"nota {number}", str(number))
        self.heading_lines = {first + k for first, (count, _, _) in HEADINGS.items() for k in range(count)}

    def parse(self) -> list[Block]:
        doc, blocks = self.doc, []
        total = len(doc.lines)
        boundaries = sorted(set(self.starts) | set(HEADINGS) | {PARTS["notes"][0]})
        boundaries = [b for b in boundaries if b <= total]
        for i, first in enumerate(boundaries):
            last = (boundaries[i + 1] - 1) if i + 1 < len(boundaries) else total
            if first in HEADINGS:
                count, level, anchor = HEADINGS[first]
                title = " ".join(doc.line(n).strip() for n in range(first, first + count)).strip()
                blocks.append(Block("heading", first, first + count - 1, anchor, level=level,
                                    title=title.replace(" :", ":")))
                if first + count <= last:
                    blocks.append(self._text_block("text", first + count, last))
                continue
            if first == PARTS["notes"][0] and first not in self.starts:
                blocks.append(Block("heading", first, first, NOTES_ANCHOR, level=2))
                continue
            kind, locator, number = self.starts[first]
            block = self._text_block(kind, first, last, locator, number)
            if kind == "entry":
                self._entry_cells(block)
            blocks.append(block)
        return [b for b in blocks if b.kind == "heading" or b.pieces or b.cells]

    def _text_block(self, kind: str, first: int, last: int, locator: str = "", number: str = "") -> Block:
        anchor = anchor_of(locator) if locator else f"l{first}"
        block = Block(kind, first, last, anchor, locator=locator, number=number)
        lines = [self.doc.line(n) for n in range(first, last + 1)]
        if kind == "paragraph" and lines and (m := _NUMBERED.match(lines[0])):
            lines[0] = m.group(2)
        block.pieces = pieces(lines)
        return block

    def _entry_cells(self, block: Block) -> None:
        """An Anexo III entry as the list's cells: number, country, person, organization (address withheld),
        contact (withheld), comments; the list's group headings that follow it go to `group_after`."""
        cells: list[list[str]] = []
        for n in range(block.start, block.end + 1):
            line = self.doc.line(n)
            if line.startswith("\t"):
                cells.append([line.strip()])
            elif line.strip() and cells:
                cells[-1].append(line.strip())
        texts = [" ".join(part for part in cell if part) for cell in cells]
        texts = [_squeeze(text) for text in texts]
        # past the six cells of an entry: the headings of the list's next group and sector
        block.cells, block.group_after, block.pieces = (texts[:6] + [""] * 6)[:6], [t for t in texts[6:] if t], []


def _squeeze(text: str) -> str:
    """Runs of withheld parts as one."""
    while f"{WITHHELD} {WITHHELD}" in text:
        text = text.replace(f"{WITHHELD} {WITHHELD}", WITHHELD)
    return text


def pieces(lines: list[str]) -> list[Piece]:
    """A block's lines as text lines, lists of items (`a)` on its own line, its text on the next) and tables
    (runs of tab-led cells, rows separated by empty lines)."""
    found: list[Piece] = []
    lines = _join_footnote_marks(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            j, rows = _table_run(lines, i)
            found.extend(_as_table(rows))
            i = j
            continue
        text = line.strip()
        if not text:
            i += 1
            continue
        if m := _ITEM.match(text):
            marker, rest = m.group(1), m.group(2).strip()
            if not rest:
                k = i + 1
                while k < len(lines) and not lines[k].strip():
                    k += 1
                if k < len(lines) and not lines[k].startswith("\t") and not _ITEM.match(lines[k].strip()):
                    rest, i = lines[k].strip(), k
            if found and found[-1].kind == "items":
                found[-1].items.append((marker, rest))
            else:
                found.append(Piece("items", items=[(marker, rest)]))
            i += 1
            continue
        found.append(Piece("text", text=text))
        i += 1
    return found


def _join_footnote_marks(lines: list[str]) -> list[str]:
    """A footnote marker split over two lines (`…(` then `)…`) back on one line, as `(*)`."""
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].rstrip().endswith("(") and line.lstrip().startswith(")"):
            joined[-1] = joined[-1].rstrip() + "*" + line.lstrip()
        else:
            joined.append(line)
    return joined


def _table_run(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """From line i (tab-led): the rows of cells up to the first line after an empty one that is not tab-led."""
    rows: list[list[str]] = []
    row: list[str] = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            row.append(line.strip())
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
            if i + 1 < len(lines) and lines[i + 1].strip() and not lines[i + 1].startswith("\t"):
                i += 1
                break
        elif row:
            row[-1] = (row[-1] + " " + line.strip()).strip()
        else:
            break
        i += 1
    if row:
        rows.append(row)
    return i, [[_squeeze(c) for c in r] for r in rows]


def _as_table(rows: list[list[str]]) -> list[Piece]:
    """A table where the text allows one (two rows or more, two cells or more); else the cells as text."""
    rows = [r for r in rows if any(c for c in r)]
    width = max((len(r) for r in rows), default=0)
    if len(rows) < 2 or width < 2:
        return [Piece("text", text=c) for r in rows for c in r if c]
    head = rows[0]
    header = (len(rows) > 2 and len(head) == width and all(c and not c.isdigit() and len(c) < 80 for c in head))
    return [Piece("table", rows=rows, header=header)]
