"""The source report: where each part lies, and whether a citation locator points into it.

Locators are documented in data/README.md. A locator resolves to the line range of the part it names
(a numbered paragraph, an Anexo III entry, an annex); a row's `lines` must lie inside that range.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import ConfigError

SOURCE_SHA256 = "89d24124669240660041b4779fae2ea890113021f421a1487e29235bbe4543db"
SOURCE_NAME = "000_784fad76bf69b00c.txt"

# Line ranges of the report's parts (../shared/source/README.md, "Map").
BODY = (1, 319)
PARTS = {
    "Anexo I": (320, 364),
    "Anexo II": (365, 492),
    "Anexo III": (493, 1551),
    "Anexo IV": (1552, 2910),
    "Anexo IV.1": (1552, 1694),
    "Anexo IV.2": (1695, 1860),
    "Anexo IV.3": (1861, 2550),
    "Anexo IV.4": (2551, 2690),
    "Anexo IV.5": (2691, 2750),
    "Anexo IV.6": (2751, 2910),
    "Anexo V": (2911, 3050),
    "Anexo V questions": (2911, 3003),
    "Anexo V Caribe": (3004, 3050),
    "notes": (3051, 3072),
}

_PARAGRAPH = re.compile(r"^§(\d+)([a-z])?(?:\.([ivx]+))?$")
_ANEXO_I_POINT = re.compile(r"^Anexo I #(\d+)$")
_ENTRY = re.compile(r"^Anexo III #(\d+[ab]?)$")
_ANEXO_IV = re.compile(r"^(Anexo IV\.[1-6])(?: (\S.*))?$")
_ANEXO_V_Q = re.compile(r"^Anexo V q([1-8])(?: (\S.*))?$")
_ANEXO_V_CARIBE = re.compile(r"^Anexo V Caribe #(\d+)$")
_NOTE = re.compile(r"^nota (\d+)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


class Report:
    """The report's text, with the spans of its paragraphs, entries and points."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"cannot read the source report at {self.path} ({exc.strerror}); "
                "set --source or CPS_SOURCE to the report's text file"
            ) from exc
        digest = hashlib.sha256(raw).hexdigest()
        if digest != SOURCE_SHA256:
            raise ConfigError(f"{self.path} is not the expected report (sha256 {digest})")
        self.lines = raw.decode("utf-8").split("\n")

    def text(self, span: Span) -> str:
        return "\n".join(self.lines[span.start - 1 : span.end])

    @cached_property
    def paragraphs(self) -> dict[int, Span]:
        return _numbered_spans(self.lines, BODY, re.compile(r"^(\d{1,2})\. \S"), expected=range(1, 75))

    @cached_property
    def recommendation_points(self) -> dict[int, Span]:
        return _numbered_spans(
            self.lines, PARTS["Anexo I"], re.compile(r"^(\d)\. \S"), expected=range(1, 8)
        )

    @cached_property
    def entries(self) -> dict[str, Span]:
        """Anexo III entries; the number 56 is used twice, told apart as 56a and 56b."""
        start, end = PARTS["Anexo III"]
        marks: list[tuple[str, int]] = []
        for n in range(start, end + 1):
            m = re.match(r"^\t(\d{1,2}) ?$", self.lines[n - 1])
            if m:
                number = m.group(1)
                if number == "56":
                    number = "56a" if not any(k == "56a" for k, _ in marks) else "56b"
                marks.append((number, n))
        spans = {}
        for i, (number, line) in enumerate(marks):
            stop = marks[i + 1][1] - 1 if i + 1 < len(marks) else end
            spans[number] = Span(line, stop)
        return spans

    @cached_property
    def notes(self) -> dict[int, Span]:
        start, end = PARTS["notes"]
        marks = [n for n in range(start, end + 1) if re.match(r"^\s*\(", self.lines[n - 1])]
        return {i + 1: Span(line, (marks[i + 1] - 1) if i + 1 < len(marks) else end)
                for i, line in enumerate(marks)}

    def resolve(self, locator: str) -> Span:
        """The span a locator names. Raises ValueError with the reason when it names nothing."""
        loc = locator.strip()
        if m := _PARAGRAPH.match(loc):
            number = int(m.group(1))
            if number not in self.paragraphs:
                raise ValueError(f"the report has no paragraph {number}")
            return self.paragraphs[number]
        if m := _ANEXO_I_POINT.match(loc):
            point = int(m.group(1))
            if point not in self.recommendation_points:
                raise ValueError(f"the Recommendation has no point {point}")
            return self.recommendation_points[point]
        if m := _ENTRY.match(loc):
            number = m.group(1)
            if number == "56":
                raise ValueError("entry 56 is used twice: cite it as Anexo III #56a or #56b")
            if number not in self.entries:
                raise ValueError(f"Anexo III has no entry {number}")
            return self.entries[number]
        if m := _ANEXO_IV.match(loc):
            return Span(*PARTS[m.group(1)])
        if _ANEXO_V_Q.match(loc):
            return Span(*PARTS["Anexo V questions"])
        if m := _ANEXO_V_CARIBE.match(loc):
            return Span(*PARTS["Anexo V Caribe"])
        if m := _NOTE.match(loc):
            number = int(m.group(1))
            if number not in self.notes:
                raise ValueError(f"the report has no note {number}")
            return self.notes[number]
        if loc == "Cuadro I":
            return self.paragraphs[68]
        if loc in ("Anexo I", "Anexo II", "Anexo III", "Anexo IV", "Anexo V"):
            return Span(*PARTS[loc])
        raise ValueError(f"'{locator}' is not a locator (see data/README.md, Locators)")


def _numbered_spans(lines, part, pattern, expected) -> dict[int, Span]:
    start, end = part
    marks: list[tuple[int, int]] = []
    want = iter(expected)
    nxt = next(want, None)
    for n in range(start, end + 1):
        m = pattern.match(lines[n - 1])
        if m and nxt is not None and int(m.group(1)) == nxt:
            marks.append((nxt, n))
            nxt = next(want, None)
    spans = {}
    for i, (number, line) in enumerate(marks):
        stop = marks[i + 1][1] - 1 if i + 1 < len(marks) else end
        spans[number] = Span(line, stop)
    return spans


def parse_lines(value: str) -> list[Span]:
    """'600-611; 97' -> [Span(600, 611), Span(97, 97)]. Raises ValueError when malformed."""
    spans = []
    for part in str(value).split(";"):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if not m:
            raise ValueError(f"'{part}' is not a line range (write 600-611 or 97)")
        start = int(m.group(1))
        stop = int(m.group(2) or start)
        if stop < start:
            raise ValueError(f"line range {part} ends before it starts")
        spans.append(Span(start, stop))
    return spans


def default_source_path(root: Path) -> Path:
    return (root / ".." / "shared" / "source" / SOURCE_NAME).resolve()


def passage_slug(locator: str) -> str:
    """'§60a.ii' -> 'par-60a-ii'; 'Anexo III #62' -> 'anexo-iii-62'; 'Anexo IV.3 P1 R2' -> 'anexo-iv-3-p1-r2'.
    (Here, not in the mapping, so that the browser names passages without importing the build.)"""
    text = locator.strip().replace("§", "par-").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")
