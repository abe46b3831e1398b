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
    rows = sparql("SELECT ?n ?org WHERE { ?p skos:notation ?n ; cps:otherAffiliation ?org }")
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
    rows = sparql("""SELECT ?field WHERE { ?p skos:notation "2" ; cps:fieldOfWork ?field }""")
    assert [(str(r["field"])) for r in rows] == ["Environmental Policy"]
    rows = sparql("""SELECT ?q WHERE { ?p skos:notation "11" ; cps:qualification ?q }""")
    assert [(str(r["q"])) for r in rows] == ["Ingeniero Civil"]


def test_the_council_is_the_forums_advisory_body(sparql, report):
    # §58 (line 169): "Su misión principal es la de ser un órgano asesor en CPS del Foro"
    assert "órgano asesor en cps del foro" in report.lines[168].lower()
    rows = sparql("SELECT ?s ?o WHERE { ?s cps:advises ?o }")
    assert [(short(r["s"]), short(r["o"])) for r in rows] == [("consejo-expertos", "foro-ministros")]


@pytest.mark.parametrize("locator,line,words,expected", [
    # "Articular con demás subgrupos de trabajo del MERCOSUR para incluir CPS, tales como SGT 5, 7, 8, 9, 11 y 15"
    ("Anexo IV.4 P1 A1", 2629, "sgt 5, 7, 8, 9, 11 y 15",
     {"mercosur-sgt5", "mercosur-sgt7", "mercosur-sgt8", "mercosur-sgt9", "mercosur-sgt11", "mercosur-sgt15",
      "mercosur"}),
    # "1.2. El GMC y la Comisión de Comercio incorporan en su visión a la CPS ... perfil del MERCOSUR"
    ("Anexo IV.4 P1 R2", 2562, "el gmc y la comisión de comercio", {"mercosur-gmc", "mercosur-comision-comercio",
                                                                    "mercosur"}),
    # "Acercamiento a la Unión Europea, fundaciones y otros donantes ... (conjuntamente con COFAB)"
    ("Anexo IV.1 B.b", 1619, "unión europea", {"union-europea", "cofab"}),
    # "Contar con un representante o delegado subregional ... (CARICOM, COTED)"
    ("Anexo IV.1 O.corto.2", 1638, "(caricom, coted)", {"caricom", "coted"}),
    # "... (basado en la aprobación del Foro del Ministros)"
    ("Anexo IV.1 A.corto.7", 1663, "foro del ministros", {"foro-ministros"}),
    # "... colaboran con el Grupo de Trabajo de Marrakech sobre educación"
    ("Anexo IV.1 A.largo.2", 1689, "grupo de trabajo de marrakech sobre educación", {"tf-educacion"}),
    # "El CE se consolida como un órgano asesor del Foro de Ministros de Ambiente en CPS"
    ("Anexo IV.3 P4 R1", 2249, "el ce se consolida como un órgano asesor del foro de ministros",
     {"consejo-expertos", "foro-ministros"}),
    # "... debe tomar parte activa otros actores como Naciones Unidas"; the item (line 2699) criticises a process
    # centred on the government
    ("Anexo IV.5 ant.b", 2700, "otros actores como naciones unidas", {"onu", "gobiernos"}),
])
def test_what_a_plan_item_names_is_linked(sparql, report, locator, line, words, expected):
    assert words in report.lines[line - 1].lower()
    rows = sparql(f"""SELECT ?x WHERE {{ ?item prov:wasDerivedFrom/bibo:locator "{locator}" ; schema:mentions ?x }}""")
    assert {short(r["x"]) for r in rows} == expected


def test_a_degree_under_the_name_is_a_qualification_not_a_post(sparql):
    # Anexo III: the line under the name holds a degree or profession, not a post: #8 (line 603) 'Ingeniero en
    # Biotecnología', #12 (650) 'Perito Agrónomo', #13 (663) 'Abogada', #17 (713) 'Ingeniera Química', #18 (745)
    # 'Doctora', #34 (918) 'Ingeniero Civil', #36 (943) 'Licenciada en Ciencias Biológicas', #57 (1201)
    # 'Licenciado en Comunicación Educativa'; #11's post is the one its organization cell begins with (line 639).
    expected = {"8": "Ingeniero en Biotecnología", "12": "Perito Agrónomo", "13": "Abogada",
                "17": "Ingeniera Química", "18": "Doctora", "34": "Ingeniero Civil",
                "36": "Licenciada en Ciencias Biológicas", "57": "Licenciado en Comunicación Educativa"}
    for entry, degree in expected.items():
        rows = sparql(f"""SELECT ?q ?title WHERE {{ ?p a cps:Participation ; skos:notation "{entry}" ;
            cps:qualification ?q OPTIONAL {{ ?p schema:jobTitle ?title }} }}""")
        assert [(str(r["q"]), r["title"]) for r in rows] == [(degree, None)], entry
    rows = sparql("""SELECT ?title WHERE { ?p a cps:Participation ; skos:notation "11" ; schema:jobTitle ?title }""")
    assert [str(r["title"]) for r in rows] == ["Viceministro de Medio Ambiente y Recursos Naturales"]
    # nowhere is the same text both a participation's post and its qualification
    rows = sparql("""SELECT ?p WHERE { ?p a cps:Participation ; cps:qualification ?q ; schema:jobTitle ?t
        FILTER(STR(?q) = STR(?t)) }""")
    assert rows == []
