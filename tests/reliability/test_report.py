"""docs/reliability.md shows the figures the suite measures: its table has one row per entry of the catalogue
(figures.py), every entry is recorded by the test the table names, and the table renders from a figures file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from figures import BEGIN, CATALOGUE, END, REPORT, render, table

HERE = Path(__file__).parent


def test_every_figure_is_recorded_by_the_test_the_report_names():
    for name, (_, _, test) in CATALOGUE.items():
        assert f'"{name}"' in (HERE / test).read_text(encoding="utf-8"), f"{test} does not record {name}"


def test_the_report_has_one_row_per_figure():
    text = REPORT.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    rows = [line for line in text.split(BEGIN, 1)[1].split(END, 1)[0].splitlines() if line.startswith("| ")]
    described = [row.split("|")[1].strip() for row in rows[1:]]
    assert described == [what for what, _, _ in CATALOGUE.values()]
    assert "python tests/reliability/figures.py" in text and "pytest tests/reliability" in text


def test_the_table_renders_from_a_figures_file(tmp_path):
    report = tmp_path / "reliability.md"
    report.write_text(f"# Report\n\n{BEGIN}\nold\n{END}\n\nafter\n", encoding="utf-8")
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"load.errors": 0, "load.throughput": 123.45}), encoding="utf-8")
    render(report, figures)
    text = report.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("after\n")
    assert re.search(r"\| Throughput \| 123.45 req/s \| `tests/reliability/test_load.py` \|", text)
    assert "| Requests that failed (any status but 200, or no answer) | 0 |" in text
    assert text.count("not measured") == len(CATALOGUE) - 2
    assert table({}).count("\n") == len(CATALOGUE) + 1
