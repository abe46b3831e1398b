"""Labels taken from the report's tables are found, as written, in the lines each row cites.

Tables whose labels are names or table cells must match the report verbatim (up to white space and
quotes); curated labels (translations of English names, short labels for prose) live in other tables.
"""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest
import yaml

from cpsgraph.source import parse_lines

VERBATIM_CSV = {
    "persons/participants.csv": "name",
    "meeting/sessions.csv": "label_es",
    "meeting/objectives.csv": "label_es",
    "meeting/participation_counts.csv": "label_es",
    "places.csv": "label_es",
    "working_groups.csv": "label_es",
    "programmes/cuadro_i.csv": "label_es",
    "programmes/caribe_programmes.csv": "label_es",
    "programmes/anexo_v_questions.csv": "label_es",
    "programmes/common_priorities.csv": "label_es",
}
VERBATIM_PLANS = ("caribe.yaml", "cono-sur.yaml", "empresas.yaml")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[\s·•“”\"'´`’‘]+", " ", text)
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+", " ", text).strip(" .;:,")


def _cited_text(report, lines) -> str:
    return _norm(" ".join(report.text(span) for span in parse_lines(str(lines))))


@pytest.mark.parametrize("table,column", sorted(VERBATIM_CSV.items()))
def test_table_labels_are_in_the_cited_lines(root, report, table, column):
    with (root / "data" / table).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    missing = [row[column] for row in rows if _norm(row[column]) not in _cited_text(report, row["lines"])]
    assert missing == []


def _entries(items):
    for item in items or []:
        if isinstance(item, dict):
            yield item
            for key in ("items", "results", "indicators", "activities"):
                yield from _entries(item.get(key))


@pytest.mark.parametrize("plan", VERBATIM_PLANS)
def test_action_plan_cells_are_in_the_cited_lines(root, report, plan):
    document = yaml.safe_load((root / "data" / "action-plans" / plan).read_text(encoding="utf-8"))
    entries = [e for key in ("priorities", "objectives", "activities") for e in _entries(document.get(key))]
    assert len(entries) > 40
    missing = [e["label_es"] for e in entries if _norm(e["label_es"]) not in _cited_text(report, e["lines"])]
    assert missing == []
