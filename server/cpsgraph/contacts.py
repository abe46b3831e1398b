"""Personal contact details, read from Anexo III of the operator's copy of the report at build time.

They never live in the repository (data/README.md, "Contact details"; docs/decisions/0011). Each entry of the participant
list is laid out as cells (number, country, person and post, address, "Tel/Fax/C.E.", comments); the
flattened text puts the address after the names of the post and organization, sometimes in the same line,
and the contact cell after it. `extract` reads, for every entry, its postal address, telephone and fax
numbers and e-mail addresses exactly as written, flags the malformed ones, and says with a note how it read
anything unusual. What it cannot read is reported with the line and the reason, never guessed.

The operator may instead give a table of their own (setting CONTACTS_FILE, the columns of CONTACT_COLUMNS);
when set it wins, and the report's contact lines are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .contact_cell import is_contact_line, read_cell
from .errors import ConfigError, RowProblem
from .source import Report, Span
from .tables import Row, read_csv

if TYPE_CHECKING:
    from .mapping.core import Mapper

CONTACT_COLUMNS = ("entry", "person", "kind", "value", "malformed", "source", "lines", "note")

# Where an address begins: a part of a line (split at ', ' and '; ') holding a digit or naming a street,
# building or the like. Digits in the names of MERCOSUR's Working Subgroup 6 do not count.
_STREET = re.compile(r"^(?:(?:Av\.?|Avda\.|Avenida|Esplanada|Calle|Rua|Carrera|Ruta|Paseo|P\.O\. Box)\s|R\. ?[A-Z])"
                     r"|\b(?:Street|Gardens|Complex|Headquarters)\b")
_NOT_AN_ADDRESS_DIGIT = re.compile(r"\b(?:No\. ?6|SGT ?6)\b")
_SEGMENT = re.compile(r"[,;]\s+")
# Entries whose address begins earlier than the first such part, by this many parts, and why.
_EARLIER_START = {"14": (1, "the city is written before the road and again after it"),
                  "85": (2, "the neighbourhood and the street are written before the building")}


@dataclass(frozen=True)
class Contact:
    entry: str
    kind: str
    value: str
    lines: Span
    malformed: bool = False
    note: str = ""

    def row(self, person: str, where: str) -> Row:
        """As a row of the contacts table (the columns of CONTACT_COLUMNS), for the mapping."""
        span = f"{self.lines.start}" if self.lines.start == self.lines.end else f"{self.lines.start}-{self.lines.end}"
        row = Row(entry=self.entry, person=person, kind=self.kind, value=self.value,
                  malformed="true" if self.malformed else "false", source=f"Anexo III #{self.entry}", lines=span,
                  note=self.note)
        row.where = where
        return row


def report_contacts(report: Report) -> tuple[list[Contact], list[RowProblem]]:
    """Every contact detail of the report's Anexo III, in the order written, and what could not be read."""
    return extract(report.lines, report.entries, report.path.name)


def extract(lines: list[str], entries: dict[str, Span], source_name: str) -> tuple[list[Contact], list[RowProblem]]:
    """The contact details of each entry (`entries`: entry -> its lines, 1-based, of `lines`)."""
    contacts: list[Contact] = []
    problems: list[RowProblem] = []
    for entry, span in entries.items():
        text = [(n, lines[n - 1].replace("\xa0", " ")) for n in range(span.start, span.end + 1)]
        found, unread = _read_entry(entry, text)
        contacts += found
        problems += [RowProblem(f"{source_name}:{n}", f"Anexo III #{entry}: {why}") for n, why in unread]
    return contacts, problems


def _read_entry(entry: str, text: list[tuple[int, str]]) -> tuple[list[Contact], list[tuple[int, str]]]:
    tab_lines = [i for i, (_, line) in enumerate(text) if line.startswith("\t")]
    if len(tab_lines) < 3:
        return [], [(text[0][0], "no person cell (the third cell of the entry) was found")]
    person = tab_lines[2]  # the cells before it: the entry number, the country
    start = next((i for i in range(person + 1, len(text)) if is_contact_line(text[i][1])), None)
    if start is None:
        return [], [(text[person][0], "no telephone, fax or e-mail address was found in the entry")]
    items, unread = read_cell(text[start:])
    return _address(entry, text[person + 1:start]) + [Contact(entry, *item) for item in items], unread


def _address(entry: str, block: list[tuple[int, str]]) -> list[Contact]:
    """The address: from the first part that looks like one to the end of the address cell."""
    for i, (n, line) in enumerate(block):
        starts = [0] + [m.end() for m in _SEGMENT.finditer(line)]
        parts = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line)])]
        hit = next((k for k, part in enumerate(parts) if _street_like(part)), None)
        if hit is None:
            continue
        notes = []
        back, why = _EARLIER_START.get(entry, (0, ""))
        if back:
            hit = max(0, hit - back)
            notes.append(f"Begins {back} part(s) before the first that names a street or number: {why}.")
        first = line[starts[hit]:].strip()
        if starts[hit] > 0:
            notes.insert(0, "Begins inside a line, after the names written before it (post, organization).")
        rest = [(m, other.strip()) for m, other in block[i + 1:] if other.strip()]
        value = "\n".join([first] + [other for _, other in rest])
        end = rest[-1][0] if rest else n
        return [Contact(entry, "address", value, Span(n, end), note=" ".join(notes))]
    return []


def _street_like(part: str) -> bool:
    return bool(re.search(r"\d", _NOT_AN_ADDRESS_DIGIT.sub("", part)) or _STREET.search(part))


def contact_rows(m: Mapper, participants: list[Row], contacts_file: Path | None, data_dir: Path) -> list[Row]:
    """The rows the restricted graph is built from: the operator's table when `contacts_file` is set (it
    wins), else Anexo III of the mapper's report (none without one), each row's person taken from
    participants.csv. What cannot be read becomes a problem of the mapper `m`. Raises ConfigError for a
    contacts file that is missing or inside data/ (which is kept in git), DataError for one that is not a
    table with CONTACT_COLUMNS."""
    if contacts_file is not None:
        path = Path(contacts_file).resolve()
        if path.is_relative_to(Path(data_dir).resolve()):
            raise ConfigError(f"the contacts file {contacts_file} lies inside {data_dir}, which is kept in git: "
                              "personal contact details never go in the repository")
        if not path.is_file():
            raise ConfigError(f"the contacts file {contacts_file} (setting CONTACTS_FILE) does not exist")
        return read_csv(path, Path(data_dir).parent, required=CONTACT_COLUMNS)
    if m.report is None:
        return []
    persons = {row.text("entry"): row.text("person") for row in participants}
    name = m.report.path.name
    contacts, problems = report_contacts(m.report)
    m.problems += problems
    orphans = {c.entry: c.lines.start for c in contacts if c.entry not in persons}
    m.problems += [RowProblem(f"{name}:{line}", f"Anexo III #{entry} has contact details but no row in "
                              "participants.csv") for entry, line in orphans.items()]
    return [c.row(persons[c.entry], f"{name}:{c.lines.start} (Anexo III #{c.entry})")
            for c in contacts if c.entry in persons]
