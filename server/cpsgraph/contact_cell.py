"""The "Tel/Fax/C.E." cell of an Anexo III entry: telephone and fax numbers and e-mail addresses, as written.

A label (`Tel:`, `Cell:`, `Fax:` or `Fax;`, `C.E.:`, `email:`, `cc:`) may stand anywhere in a line, even glued
to the text before it (`# 4320email: ...`); its text holds one or more values. An unlabelled number is a
telephone, an unlabelled text with `@` an e-mail address, and a line after one that ends with `;` continues
its list. Used by cpsgraph.contacts, which finds where the cell begins.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .source import Span

LABEL = re.compile(r"(?i)(tel\s*\.?\s*:|cell\s*:|fax\s*[:;]|c\.e\.\s*:|e-?mail\s*:|cc\s*:)")
_NUMBER_LINE = re.compile(r"[(+\s]*\d[\d\s\-–()/.+]*")
_EMAIL = re.compile(r"[^@\s,;]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NOT_IN_A_NUMBER = re.compile(r"[^\d\s+\-–()/.#A-Za-z]")


class Item(NamedTuple):
    kind: str  # telephone, fax or email
    value: str
    lines: Span
    malformed: bool
    note: str


def is_contact_line(line: str) -> bool:
    """Whether a line holds a label, an e-mail address or (alone) a number of seven digits or more."""
    stripped = line.strip()
    return bool(LABEL.match(stripped) or "@" in stripped
                or (_NUMBER_LINE.fullmatch(stripped) and sum(c.isdigit() for c in stripped) >= 7))


def read_cell(cell: list[tuple[int, str]]) -> tuple[list[Item], list[tuple[int, str]]]:
    """The items of the cell's (line number, text) lines, up to the comments cell (the first cell that holds
    no contact); and (line number, why) for each line that cannot be read."""
    found: list[Item] = []
    unread: list[tuple[int, str]] = []
    carry = None  # the kind a list continues with, when a line ends with ';'
    for n, line in cell:
        stripped = line.strip()
        if not stripped:
            continue
        if not is_contact_line(stripped):
            if line.startswith("\t"):
                break  # the comments cell
            unread.append((n, "a line of the contact cell that holds no number, e-mail address or label"))
            continue
        pieces = _pieces(stripped, carry)
        carry = pieces[-1][0] if stripped.endswith(";") and pieces else None
        for index, (kind, label, text) in enumerate(pieces):
            values = _values(kind, text, last=index == len(pieces) - 1)
            if not values:
                unread.append((n, f"a '{label or 'unlabelled'}' part with nothing readable after it"))
            for value, notes in values:
                previous = found[-1] if found else None
                if previous and previous[:2] == (kind, value) and previous.lines.end == n - 1:
                    found[-1] = previous._replace(lines=Span(previous.lines.start, n), note=" ".join(
                        filter(None, [previous.note, "Repeated on the next line."])))
                    continue
                notes = [*_label_note(label), *notes]
                if index and pieces[index - 1][0] != kind:
                    notes.append("Written in the same line as another kind of contact.")
                bad, why = _malformed(kind, value)
                found.append(Item(kind, value, Span(n, n), bad, " ".join(notes + why)))
    return found, unread


def _pieces(line: str, carry: str | None) -> list[tuple[str, str | None, str]]:
    """(kind, label as written, text) for each part of a line: the text before the first label (None: no
    label; "": it continues the previous line's list), then each label with its text."""
    marks = list(LABEL.finditer(line))
    pieces: list[tuple[str, str | None, str]] = []
    head = line[:marks[0].start()] if marks else line
    if head.strip():
        pieces.append((carry or ("email" if "@" in head else "telephone"), "" if carry else None, head.strip()))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
        label = re.sub(r"\s+", " ", mark.group(1))
        pieces.append((_kind_of(label), label, line[mark.end():end].strip()))
    return pieces


def _kind_of(label: str) -> str:
    word = label.lower()
    if word.startswith(("tel", "cell")):
        return "telephone"
    return "fax" if word.startswith("fax") else "email"  # C.E. (correo electrónico), email, cc


def _label_note(label: str | None) -> list[str]:
    if label is None:
        return ["Unlabelled."]
    if label.lower().startswith("cc"):
        return ["Given as a copy ('cc:') address."]
    if label.lower().startswith("cell"):
        return ["Labelled 'Cell' (mobile)."]
    return [f"Labelled '{label}' (semicolon)."] if label.endswith(";") else []


def _values(kind: str, text: str, last: bool) -> list[tuple[str, tuple[str, ...]]]:
    trailing = last and text.endswith(";")  # a ';' before another label only separates
    text = text.rstrip("; ").strip()
    if not text:
        return []
    values = [(v, ()) for v in re.split(r"[;\s]+", text) if v] if kind == "email" else _numbers(text)
    if trailing:
        value, notes = values[-1]
        values[-1] = (value, notes + ("Written with a trailing semicolon.",))
    return values


def _numbers(text: str) -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        joined = re.split(r"\s+(or|y)\s+", part)
        head, slash, tail = part.partition("/")
        if len(joined) == 3:
            word = joined[1]
            out += [(joined[0].strip(), (f"First of two numbers joined by '{word}'.",)),
                    (joined[2].strip(), (f"Second of two numbers joined by '{word}'.",))]
        elif slash and sum(c.isdigit() for c in tail) >= 7:
            out += [(head.strip(), ("First of two numbers separated by a slash.",)),
                    (tail.strip(), ("Second of two numbers separated by a slash.",))]
        elif slash:
            out.append((part, ("The part after the slash is too short to be a number of its own (the last "
                               "digits of a second line); kept as one value.",)))
        else:
            out.append((part, ()))
    return [(value, notes + _short(value)) for value, notes in out]


def _short(value: str) -> tuple[str, ...]:
    if sum(c.isdigit() for c in value) < 6:
        return ("Too few digits for a number of its own (an extension, as written).",)
    return ()


def _malformed(kind: str, value: str) -> tuple[bool, list[str]]:
    if kind == "email":
        if _EMAIL.fullmatch(value):
            return False, []
        if "@" not in value:
            return True, ["No '@' in the address as written."]
        if "," in value:
            return True, ["A comma stands where a dot is expected."]
        return True, ["Not a well-formed e-mail address as written."]
    odd = _NOT_IN_A_NUMBER.search(value)
    if odd:
        return True, [f"'{odd.group()}' does not belong in a number (as written)."]
    if "+" in value and sum(c.isdigit() for c in value) < 10:
        return True, ["Too few digits for an international number: incomplete as written."]
    return False, []
