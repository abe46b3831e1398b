"""Participation queries against the report. Every expected value was read off the report (Anexo III unless
a locator says otherwise), never off the query's output."""

from __future__ import annotations


def test_participants_by_country(run):
    rows = run("participants-by-country")
    entries = {row["country"]: row["entries"] for row in rows}
    # Anexo III "País" column: 26 countries. Brazil: #20-29, #39, #40, #43, #44, #52-55, #58, #63-67,
    # #70-77 write "Brasil" in the cell, and #22, #30, #31, #42, #51 on the line after it (lines 791, 870,
    # 883, 1022, 1131): 36 entries.
    assert len(entries) == 26
    assert entries["country/BR"] == 36
    assert rows[0]["country"] == "country/BR"  # the largest delegation comes first
    # Chile #32, #45, #46, #56b; Colombia #16, #47, #48, #59; Argentina #18, #19, #38
    assert (entries["country/CL"], entries["country/CO"], entries["country/AR"]) == (4, 4, 3)
    # the United Kingdom (#50), the United States (#68, "USA") and France (#69) lie outside the subregions
    outside = {row["country"] for row in rows if "subregion_en" not in row}
    assert outside == {"country/GB", "country/US", "country/FR"}
    assert sum(entries.values()) == 86 - 8  # #78-85 name an agency, not a country, in the "País" cell


def test_participants_by_subregion(run):
    rows = {row["subregion_en"]: (row["entries"], row["countries"]) for row in run("participants-by-subregion")}
    # Caribbean: #1-7 and Barbados #41; Mesoamerica #8-15, Costa Rica #49 #60, Guatemala #61, Nicaragua #62;
    # Andean #16, #17, Peru #56a, Colombia #47, #48, #59; Southern Cone: Argentina 3, Brazil 36, Chile 4,
    # Paraguay #33-35, Uruguay #36, #37, #57 (§49 and Anexo III group the countries)
    assert rows == {
        "Southern Cone subregion": (49, 5),
        "Mesoamerica subregion": (12, 8),
        "Caribbean subregion": (8, 7),
        "Andean subregion": (6, 3),
        "outside the region": (3, 3),
        "no country": (8, 0),
    }


def test_participants_by_sector(run):
    rows = {row["sector"]: (row["entries"], row["countries"]) for row in run("participants-by-sector")}
    # Anexo III sub-headings: governments #1-37 from 22 countries (7 Caribbean, 8 Mesoamerican, Colombia,
    # Ecuador, and Argentina, Brazil, Chile, Paraguay, Uruguay); NGOs #39-50 from 6 countries (Brazil,
    # Barbados, Chile, Colombia, Costa Rica, United Kingdom); cleaner production centres #58-62, one country
    # each; international agencies #78-85 with no country.
    assert rows["sector/gobierno"] == (37, 22)
    assert rows["sector/ong"] == (12, 6)
    assert rows["sector/centro-produccion-limpia"] == (5, 5)
    assert rows["sector/agencia-internacional"] == (8, 0)
    assert sum(entries for entries, _ in rows.values()) == 86


def test_stated_versus_listed_participation(run):
    rows = {row["count"]: row for row in run("stated-vs-listed-participation")}
    # §17 states 24 countries through their Council members; the list's government headings hold 37
    # entries from 22 countries (Anexo III #1-37)
    assert (rows["count/pc-gobiernos"]["stated"], rows["count/pc-gobiernos"]["listed_countries"]) == (24, 22)
    # §17: "12 ONG de 6 países" -- the list agrees (#39-50)
    assert (rows["count/pc-ong"]["listed_entries"], rows["count/pc-ong"]["listed_countries"]) == (12, 6)
    # §17: 6 from business and trade unions; the list has 6 businesses (#63-68) and 2 unions (#69-70)
    assert (rows["count/pc-empresarial-sindical"]["stated"],
            rows["count/pc-empresarial-sindical"]["listed_entries"]) == (6, 8)
    # §17: 10 members of international agencies; the list has 8 (#78-85). §17's total: 85 persons
    assert rows["count/pc-agencias-internacionales"]["listed_entries"] == 8
    assert rows["count/pc-total"]["stated"] == 85


def test_who_came_from_argentina(run):
    rows = run("participants-from-country")  # default: Argentina
    # Anexo III #18 Graciela Scavone (Punto Focal CPS), #19 Alicia Moreno (Observador MERCOSUR), #38 Toshihiro
    # Nozawa (JICA in Argentina, listed under "Agencia de Cooperación")
    assert [(row["entry_number"], row["name"]) for row in rows] == [
        ("18", "Graciela Scavone"), ("19", "Alicia Moreno"), ("38", "Toshihiro Nozawa")]
    assert rows[0]["role_en"] == "SCP focal point"
    assert "JICA" in rows[2]["organization_en"]
    assert {row["working_group_en"] for row in rows} == {"Group 4: Southern Cone subregion"}


def test_who_came_from_paraguay_by_short_id(run):
    # Anexo III #33-35: Roberto Amarilla, Domingo Benitez, Sonia Servin
    rows = run("participants-from-country", country="PY")
    assert [row["entry_number"] for row in rows] == ["33", "34", "35"]


def test_members_of_the_andean_group(run):
    rows = run("participants-of-working-group")  # default: the Andean group
    # Anexo III "Grupo 3: Comunidad Andina de Naciones" (lines 696-738): #16 Colombia, #17 Ecuador, and #56
    # (ALIDE, Peru) listed there under "Agencia de Cooperación"
    assert [(row["entry_number"], row["country_en"]) for row in rows] == [
        ("16", "Colombia"), ("17", "Ecuador"), ("56a", "Peru")]
    assert rows[1]["name"] == "Irma Suárez"


def test_working_group_composition(run):
    rows = {row["number"]: (row["entries"], row["countries"], row["focal_points"])
            for row in run("working-group-composition")}
    # Anexo III: group 1 #1-7 (7 countries, 7 focal points); group 2 #8-15; group 3 #16, #17, #56a (focal
    # points #16, #17); group 4 #18-38 from Argentina, Brazil, Chile, Paraguay, Uruguay with focal points
    # at lines 752, 776, 902, 913, 948; group 5 #39-57 with #56b; group 6 #58-85 (Brazil, Colombia, Costa
    # Rica, Guatemala, Nicaragua, USA, France)
    assert rows == {"1": (7, 7, 7), "2": (8, 8, 8), "3": (3, 3, 2), "4": (21, 5, 5), "5": (19, 7, 0),
                    "6": (28, 7, 0)}


def test_participants_linked_to_the_mercosur_subgroup(run):
    rows = run("participants-linked-to-organization")  # default: mercosur-sgt6
    # Anexo III #19, #33, #34, #37 (lines 757, 907, 919, 954) name SGT6 in the organization cell; each is
    # listed for their government's environment body, so SGT6 is a further organization of the entry
    assert {(row["entry_number"], row["link"]) for row in rows} == {
        ("19", "also named"), ("33", "also named"), ("34", "also named"), ("37", "also named")}
    # #37 gives a post in it: "Coordinadora Alterna SGT 6 MEDIO Ambiente MERCOSUR" (line 954)
    assert "Coordinadora Alterna SGT 6 MEDIO Ambiente MERCOSUR" in {row.get("post_there") for row in rows}


def test_participants_linked_to_a_firm_named_in_a_post(run):
    rows = run("participants-linked-to-organization", organization="deloitte-touche-tohmatsu")
    # #66 is listed for Deloitte; #67 (line 1325) "Partner – Deloitte and Touche", listed for the ICC
    assert {(row["entry_number"], row["link"]) for row in rows} == {("66", "listed for"), ("67", "also named")}
