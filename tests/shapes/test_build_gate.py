"""The shapes gate every build: break one row of a copy of data/ and the build fails with a message that
names the row (file:line). Some breakages the mapping already refuses (DataError); the others only
SHACL can see (ValidationFailed), and their results also carry the label, path, value and citation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cpsgraph.build import build
from cpsgraph.errors import DataError, ValidationFailed
from shapes_helpers import ONTOLOGY, SHAPES_DIR


def edit_row(table: Path, key: str, value: str, **changes: str) -> int:
    """Change cells of the first row whose `key` column is `value`; return its line number."""
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    for number, line in enumerate(lines[1:], start=2):
        row = dict(zip(header, next(csv.reader([line]))))
        if row.get(key) == value:
            row.update(changes)
            lines[number - 1] = _csv_line([row[c] for c in header])
            table.write_text("".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"no row with {key}={value} in {table}")


def append_row(table: Path, **cells: str) -> int:
    """Add a row (missing cells empty); return its line number."""
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.append(_csv_line([cells.get(c, "") for c in header]))
    table.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def run_build(data_dir: Path, out: Path, source_path: Path, base):
    return build(data_dir=data_dir, ontology_path=ONTOLOGY, shapes_dir=SHAPES_DIR, out_dir=out, base=base,
                 source=source_path)


# -- breakages the mapping refuses before SHACL runs ---------------------------------------------------------

@pytest.mark.parametrize("table, key, value, changes, reason", [
    ("countries.csv", "id", "AR", {"label_en": ""}, "label_en is empty"),
    ("participants.csv", "entry", "1", {"country": "XX"}, "country 'XX' is not a known country id"),
    ("participants.csv", "entry", "1", {"country": "AG | BB"}, "country 'AG | BB' is not a known country id"),
], ids=["missing-english-label", "wrong-country-code", "second-country"])
def test_mapping_refuses_the_row(data_copy, tmp_path, source_path, base, table, key, value, changes, reason):
    line = edit_row(data_copy / table, key, value, **changes)
    with pytest.raises(DataError) as caught:
        run_build(data_copy, tmp_path / "out", source_path, base)
    where = {p.where: p.message for p in caught.value.problems}
    assert where.get(f"data/{table}:{line}", "").startswith(reason), caught.value.message
    assert f"data/{table}:{line}: {reason}" in caught.value.message
    assert not (tmp_path / "out" / "current").exists()


# -- breakages only the shapes catch -----------------------------------------------------------------------

@pytest.mark.parametrize("table, key, value, changes, shapes, also", [
    # an international agency's entry given a country
    ("participants.csv", "entry", "78", {"country": "US"}, {"cpssh:AgencyParticipationHasNoCountry"}, ()),
    # Mesoamerica's 2007 titular made an alternate: two alternates and no titular (the other seat's row,
    # line 8, is reported too: it is half of the clash)
    ("governance/steering_committee.csv", "country", "PA", {"role": "alterno"},
     {"cpssh:OneSeatPerSubregionAndTerm", "cpssh:AlternoSeatNeedsTitular"}, (8,)),
    # a meeting that ends the day before it starts
    ("meeting/events.csv", "id", "foro-ministros-xiv", {"start": "2005-11-26", "end": "2005-11-25"},
     {"cpssh:StartNotAfterEnd"}, ()),
], ids=["agency-with-country", "alternate-without-titular", "end-before-start"])
def test_shapes_refuse_the_row(data_copy, tmp_path, source_path, base, table, key, value, changes, shapes, also):
    line = edit_row(data_copy / table, key, value, **changes)
    with pytest.raises(ValidationFailed) as caught:
        run_build(data_copy, tmp_path / "out", source_path, base)
    failure = caught.value
    at_row = [r for r in failure.results if r.row == f"data/{table}:{line}"]
    assert shapes <= {r.shape for r in at_row}, failure.message
    assert {r.row for r in failure.results} == {f"data/{table}:{n}" for n in (line, *also)}
    assert all(r.severity == "Violation" for r in failure.results)
    assert f"Violation at data/{table}:{line} " in failure.message
    assert not (tmp_path / "out" / "current").exists()  # nothing is published


def test_result_names_label_path_value_message_citation_and_row(data_copy, tmp_path, source_path, base):
    # a country whose code is two capitals, as the mapping wants, but no ISO 3166-1 code
    line = append_row(data_copy / "countries.csv", id="XX", label_es="País X", label_en="Country X",
                      source="Anexo III #68", lines="1336")
    with pytest.raises(ValidationFailed) as caught:
        run_build(data_copy, tmp_path / "out", source_path, base)
    [country] = caught.value.results
    assert country.shape == "cpssh:CountryCodeIsIso3166"
    assert country.row == f"data/countries.csv:{line}"
    assert country.label == "'Country X' <https://w3id.org/cps-lac/id/country/XX>"
    assert country.path == "skos:notation"
    assert country.value == '"XX"'
    assert country.citation == "Anexo III #68"
    assert "ISO 3166-1 alpha-2" in country.message
    printed = country.line()
    assert printed in caught.value.message
    for part in (country.row, country.citation, country.label, country.path, country.value, country.message):
        assert part in printed
