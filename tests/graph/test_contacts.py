"""The contact details of the restricted graph are read from the report (cpsgraph.contacts), never kept in git.

The extractor is checked on a synthetic Anexo III (tests/data/contacts/: invented people, example.org, numbers
reserved for fiction) and, on the real report, against a digest of the curated table it replaced: the old
data/restricted/contacts.csv (in the history only) gave exactly these values, kinds, lines and flags.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pytest

from cpsgraph.contacts import extract, report_contacts
from cpsgraph.errors import ConfigError
from cpsgraph.source import Span

# sha256 of [[entry, kind, value, malformed, first line, last line], ...] as JSON: what the curated table said.
CURATED_TABLE_DIGEST = "54712cd9f7bdc9772ce0c7494d73823685a43df4520728f461c9ce5bb6fed14e"


def synthetic(root):
    path = root / "tests" / "data" / "contacts" / "anexo-iii.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    marks = [(m.group(1), n) for n, line in enumerate(lines, 1) if (m := re.match(r"^\t(\d+)$", line))]
    ends = [n - 1 for _, n in marks[1:]] + [len(lines)]
    return lines, {entry: Span(start, end) for (entry, start), end in zip(marks, ends, strict=True)}


def test_extractor_reads_every_kind_and_quirk_of_the_layout(root):
    lines, entries = synthetic(root)
    contacts, _ = extract(lines, entries, "anexo-iii.txt")
    got = [(c.entry, c.kind, c.value, c.malformed, c.lines.start, c.lines.end) for c in contacts]
    assert got == [
        ("1", "address", "12 Sample Street\nExampletown, Ruritania", False, 8, 9),  # after the names, same line
        ("1", "telephone", "1-202-555-0101", False, 10, 10),  # two numbers separated by a slash
        ("1", "telephone", "1-202-555-0102", False, 10, 10),
        ("1", "fax", "1-202-555-0103", False, 11, 11),
        ("1", "email", "ada@example.org", False, 12, 12),
        ("1", "email", "ada.example@example,org", True, 12, 12),  # a comma for a dot
        ("2", "address", "Avenida Ficticia 7", False, 20, 20),
        ("2", "telephone", "+ 44 20-7946", True, 22, 22),  # too few digits for an international number
        ("2", "email", "bob.example.org", True, 23, 23),  # no '@'
        ("2", "email", "copy@example.org", False, 24, 25),  # a cc: address repeated on the next line
        ("3", "telephone", "020 7946 0000", False, 32, 32),  # joined by 'or'
        ("3", "telephone", "020 7946 0001", False, 32, 32),
        ("3", "fax", "# 4320", False, 33, 33),  # glued to the next label
        ("3", "email", "carla@example.org", False, 33, 33),
        ("3", "email", "carla.p@example.org", False, 34, 34),  # the list goes on after a trailing ';'
    ]
    notes = {(c.entry, c.value): c.note for c in contacts}
    assert "Given as a copy ('cc:') address." in notes[("2", "copy@example.org")]
    assert "Repeated on the next line." in notes[("2", "copy@example.org")]
    assert "No '@'" in notes[("2", "bob.example.org")]
    assert "Unlabelled." not in notes[("3", "carla.p@example.org")]


def test_what_the_extractor_cannot_read_is_reported_with_where_and_why(root):
    lines, entries = synthetic(root)
    _, problems = extract(lines, entries, "anexo-iii.txt")
    assert [(p.where, p.message) for p in problems] == [
        ("anexo-iii.txt:35", "Anexo III #3: a line of the contact cell that holds no number, e-mail address or label")]
    assert "secretariat" not in str(problems[0])  # where and why, without echoing the text


def test_report_extraction_is_the_curated_table(report):
    first, problems = report_contacts(report)
    again, _ = report_contacts(report)
    assert problems == [] and first == again
    text = json.dumps([[c.entry, c.kind, c.value, c.malformed, c.lines.start, c.lines.end] for c in first],
                      ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == CURATED_TABLE_DIGEST
    assert len(first) == 303 and len({c.entry for c in first}) == 86
    kinds = {kind: sum(c.kind == kind for c in first) for kind in ("address", "telephone", "fax", "email")}
    assert kinds == {"address": 77, "telephone": 80, "fax": 50, "email": 96}
    assert sorted(c.entry for c in first if c.malformed) == ["42", "50", "59", "62"]
    for contact in first:
        assert report.entries[contact.entry].contains(contact.lines)


def built_values(release) -> list[tuple[str, str]]:
    """(kind, value) of every contact detail in a release's restricted graph, sorted."""
    from rdflib import Dataset
    from rdflib.namespace import Namespace

    schema = Namespace("http://schema.org/")
    restricted = Dataset()
    restricted.parse(release / "restricted" / "cps-lac-restricted.trig", format="trig")
    properties = {"address": schema.address, "telephone": schema.telephone, "fax": schema.faxNumber,
                  "email": schema.email}
    return sorted((kind, str(value)) for kind, prop in properties.items()
                  for _, _, value, _ in restricted.quads((None, prop, None, None)))


def test_the_build_reads_the_contacts_from_the_report(release, report):
    contacts, _ = report_contacts(report)
    assert built_values(release) == sorted((c.kind, c.value) for c in contacts)


def test_an_operator_contacts_file_wins_over_the_report(root, tmp_path, source_path, base):
    from cpsgraph.build import build

    result = build(data_dir=root / "data", ontology_path=root / "ontology" / "cps.ttl", shapes_dir=None,
                   out_dir=tmp_path / "out", base=base, source=source_path, validate=False,
                   contacts_file=root / "tests" / "data" / "contacts" / "contacts.csv")
    # only the table's values: the report's contact lines were not read
    assert built_values(result.release) == [("email", "synthetic.one@example.org"),
                                            ("email", "synthetic.two@example,org"), ("telephone", "+1-202-555-0199")]


def test_a_contacts_file_inside_data_is_refused(root, tmp_path, source_path, base, data_copy):
    from cpsgraph.build import build

    inside = data_copy / "restricted" / "contacts.csv"
    inside.parent.mkdir(exist_ok=True)
    inside.write_text((root / "tests" / "data" / "contacts" / "contacts.csv").read_text(encoding="utf-8"))
    with pytest.raises(ConfigError, match="kept in git"):
        build(data_dir=data_copy, ontology_path=root / "ontology" / "cps.ttl", shapes_dir=None,
              out_dir=tmp_path / "out", base=base, source=source_path, validate=False, contacts_file=inside)
    with pytest.raises(ConfigError, match="does not exist"):
        build(data_dir=data_copy, ontology_path=root / "ontology" / "cps.ttl", shapes_dir=None,
              out_dir=tmp_path / "out", base=base, source=source_path, validate=False,
              contacts_file=tmp_path / "missing.csv")


def test_contact_details_are_not_in_git(root, report):
    """Regression: data/restricted/contacts.csv put 86 people's e-mails and numbers into git (issue 12)."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git work tree")
    contacts, _ = report_contacts(report)
    needles = {c.value for c in contacts if c.kind != "address" and len(c.value) >= 8}
    needles |= {line.strip() for c in contacts if c.kind == "address" for line in c.value.splitlines()
                if re.search(r"\d", line) and len(line.strip()) >= 8}  # a bare city name may well be public
    leaks = []
    for name in listed.stdout.decode().split("\0"):
        path = root / name
        if not name or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        leaks += [(name, needle) for needle in sorted(needles) if needle in text]
    assert leaks == []


def test_cli_build_takes_the_contacts_file_setting(root, tmp_path, source_path):
    from click.testing import CliRunner

    from cpsgraph.cli import main

    synthetic_table = root / "tests" / "data" / "contacts" / "contacts.csv"
    args = ["build", "--data", str(root / "data"), "--ontology", str(root / "ontology" / "cps.ttl"),
            "--source", str(source_path), "--out", str(tmp_path / "out"), "--no-validate"]
    result = CliRunner().invoke(main, args, env={"CPS_CONTACTS_FILE": str(synthetic_table)})
    assert result.exit_code == 0, result.output
    assert ("telephone", "+1-202-555-0199") in built_values(tmp_path / "out" / "current")
    inside = CliRunner().invoke(main, args + ["--contacts", str(root / "data" / "participants.csv")])
    assert inside.exit_code != 0 and "kept in git" in inside.output
