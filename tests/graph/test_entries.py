"""One organization per cell (issue 13, item 3) and the facts of Anexo III entries that lived in notes
(item 1): every further organization an entry names is linked, each post it gives in one is a membership,
and the field of work and qualification it writes are data. Expected values are read off the report."""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest

from cpsgraph.source import parse_lines
from graph_helpers import short

ID = "https://w3id.org/cps-lac/id/"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"\s+", " ", text).strip(" .;:,()")


def _rows(root, table: str) -> list[dict]:
    with (root / "data" / table).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cited(report, lines: str) -> str:
    return _norm(" ".join(report.text(span) for span in parse_lines(lines)))


# Anexo III: the entries whose cells name a second organization, and the line that names it.
FURTHER = {
    "9": {"cu-grupo-nacional-produccion-limpia-consumo-sostenible"},  # 616 "Coordinator of the National Group"
    "19": {"mercosur-sgt6"},                      # line 757 "Subgrupo de trabajo No.6 Medio Ambiente – MERCOSUR"
    "33": {"mercosur-sgt6"},                      # line 907 "Sub-grupo de Trobajo No. 6 (SGT6)"
    "34": {"mercosur-sgt6"},                      # line 919 "Sub grupo de Trobajo No.6 (SGT 6)"
    "37": {"mercosur-sgt6"},                      # line 954 "Coordinadora Alterna SGT 6 MEDIO Ambiente MERCOSUR"
    "48": {"pnuma-orpalc"},                       # line 1095 "in Association with ROLAC-UNEP and Youth X Change"
    "49": {"alcala"},                             # line 1107 "ECO Global and ALCALA"
    "62": {"ni-universidad-nacional-ingenieria"},  # line 1269 "Universidad Nacional de Ingenieria"
    "67": {"deloitte-touche-tohmatsu"},           # line 1325 "Partner – Deloitte and Touche"
    "69": {"tuac"},                               # line 1355 "Trade Union Advisory Committee"
}


def test_every_organization_an_entry_names_is_linked(sparql):
    rows = sparql("SELECT ?n ?org WHERE { ?p cps:entryNumber ?n ; cps:otherAffiliation ?org }")
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(str(r["n"]), set()).add(short(r["org"]))
    assert found == FURTHER


def test_the_listed_organization_stays_one(sparql):
    rows = sparql("""SELECT ?p (COUNT(?org) AS ?n) WHERE { ?p cps:affiliation ?org }
        GROUP BY ?p HAVING (COUNT(?org) > 1)""")
    assert rows == []


def test_each_row_cites_lines_of_its_entry_that_hold_its_post(root, report):
    rows = _rows(root, "participant_organizations.csv")
    assert len(rows) >= 12
    entries = {row["entry"]: row for row in _rows(root, "participants.csv")}
    for row in rows:
        assert row["source"] == f"Anexo III #{row['entry']}"
        entry_span = parse_lines(entries[row["entry"]]["lines"])[0]
        assert all(entry_span.start <= s.start and s.end <= entry_span.end for s in parse_lines(row["lines"]))
        if row["post"]:
            assert _norm(row["post"]) in _cited(report, row["lines"]), row


@pytest.mark.parametrize("person,organization,post", [
    ("giselle-beja", "mercosur-sgt6", "Coordinadora Alterna SGT 6 MEDIO Ambiente MERCOSUR"),       # line 954
    ("marcelo-drugg", "deloitte-touche-tohmatsu", "Partner – Deloitte and Touche"),                # line 1325
    ("nilton-freitas", "sindicato-quimicos-abc",
     "Senior Advisor to the Chemical Workers Trade Union from ABC Region"),                        # line 1365
])
def test_a_post_in_a_further_organization_is_a_membership(sparql, person, organization, post):
    rows = sparql(f"""SELECT ?title WHERE {{ ?m a org:Membership ; org:member <{ID}person/{person}> ;
        org:organization <{ID}organization/{organization}> ; schema:jobTitle ?title }}""")
    assert post in {str(r["title"]) for r in rows}


def test_fields_of_work_and_qualifications_are_written_in_the_entry(root, report):
    rows = [r for r in _rows(root, "participants.csv") if r["field_of_work"] or r["qualification"]]
    assert len(rows) >= 20
    for row in rows:
        cited = _cited(report, row["lines"])
        for text in row["field_of_work"].split(" | ") + row["qualification"].split(" | "):
            assert _norm(text) in cited, (row["entry"], text)


def test_field_of_work_in_the_graph(sparql):
    # Anexo III #2 (line 524): "Environmental Policy"; #11 (line 638): "Ingeniero Civil" under the name.
    rows = sparql("""SELECT ?field WHERE { ?p cps:entryNumber "2" ; cps:fieldOfWork ?field }""")
    assert [(str(r["field"])) for r in rows] == ["Environmental Policy"]
    rows = sparql("""SELECT ?q WHERE { ?p cps:entryNumber "11" ; cps:qualification ?q }""")
    assert [(str(r["q"])) for r in rows] == ["Ingeniero Civil"]
