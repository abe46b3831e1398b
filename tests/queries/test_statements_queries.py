"""The stored queries on what the report states in prose (issue 13). Expected values are read off the report."""

from __future__ import annotations

from decimal import Decimal


def test_council_history(run):
    rows = run("council-history")
    # §58: conceived at the first meeting (Buenos Aires, 2003), approved by the XIV Forum (Panamá, 20-25 Nov
    # 2005); §59: last met in Nicaragua, next meets in 2009; §60d: before the XVII Forum.
    assert len(rows) == 1
    row = rows[0]
    assert (row["conceived_place_en"], row["conceived_start"]) == ("Buenos Aires", "2003")
    assert (row["approved_place_en"], row["approved_start"], row["approved_end"]) == (
        "Panama City", "2005-11-20", "2005-11-25")
    assert (row["last_meeting_en"], row["last_country_en"]) == ("Council meeting in Nicaragua", "Nicaragua")
    assert (row["next_start"], row["next_status_en"]) == ("2009", "Planned")
    assert row["next_before_en"].startswith("XVII Meeting of the Forum of Ministers")


def test_meeting_sequence_of_the_council_and_the_forum(run):
    council = run("meeting-sequence")
    # §42: three meetings before this one; §58: the first; §59: Nicaragua the last; the second is not named.
    assert [row["ordinal"] for row in council] == [1, 3, 4, 5]
    assert council[2]["previous_en"] == "Council meeting in Nicaragua"
    assert council[2]["next_en"] == "Fifth Meeting of the Council"
    forum = run("meeting-sequence", body="foro-ministros")
    assert [row["ordinal"] for row in forum] == [14, 15, 16, 17]
    assert [row["status_en"] for row in forum] == ["Held", "Held", "Planned", "Planned"]


def test_findings_with_figures_and_passages(run):
    rows = run("findings")
    by_id = {row["finding"]: row for row in rows}
    # §71b line 287: 70% of the governments; §34 line 103: at least 10% of countries by 2010; §37: 12 centres
    assert (by_id["finding/c-participacion-gobiernos"]["value"], by_id["finding/c-participacion-gobiernos"]["unit"]
            ) == (Decimal("70"), "%")
    assert by_id["finding/c-participacion-gobiernos"]["conclusion"] is True
    assert by_id["finding/f-spp-meta-2010"]["stated_by"] == "Christopher Browne"
    assert by_id["finding/f-red-12-centros"]["locator"] == "§37"
    assert [row["line"] for row in rows] == sorted(row["line"] for row in rows)


def test_findings_about_the_network(run):
    rows = run("findings-about")
    # §23, §37: the network's first participation, its 12 centres, Sánchez's remark on the participants
    assert {row["finding"] for row in rows} >= {"finding/f-red-12-centros", "finding/f-red-primera-participacion",
                                                "finding/f-sanchez-participacion-actores"}
    brazil = run("findings-about", entity="country/BR")
    assert "finding/f-mercosur-politica-firmada" in {row["finding"] for row in brazil}  # §45


def test_cleaner_production_network(run):
    rows = run("cleaner-production-network")
    # §37: twelve countries; Anexo III #58-62: the five centres at the meeting, one in each of five of them
    assert len({row["country"] for row in rows}) == 12
    centres = {row["country_en"]: row["centre"] for row in rows if row.get("centre")}
    assert set(centres) == {"Brazil", "Colombia", "Costa Rica", "Guatemala", "Nicaragua"}
    assert {row["supported_by"] for row in rows} == {"United Nations Industrial Development Organization"}


def test_footnotes(run):
    rows = run("footnotes")
    # notes, lines 3053-3071: seven footnotes; the first gives UNIDO's address, the seventh is marked (**)
    assert [row["locator"] for row in rows] == [f"nota {n}" for n in range(1, 8)]
    assert rows[0]["url"] == "http://www.unido.org/doc/64671" and rows[0]["marked_in"] == "§38"
    assert rows[6]["marker"] == "(**)"


def test_presentation_subjects(run):
    rows = run("presentation-subjects")
    # Anexo II: 4 opening addresses, 4 + 3 + 3 panel talks on day 1, one each in panels 4 and 5 on day 2
    assert len(rows) == 16
    by_id = {row["presentation"]: row for row in rows}
    # §35-36: Graciela Scavone presented the Sustainable Lifestyles task force and its Youth for Change courses
    assert set(by_id["presentation/d1-panel-1-4"]["presents"].split("; ")) == {
        "Task Force on Sustainable Lifestyles", "Youth for Change"}
    assert "Sustainable public procurement" in by_id["presentation/d1-inaugural-4"]["themes"]  # §25


def test_recommendation_considerations(run):
    rows = run("recommendation-considerations")
    # Anexo I lines 327-335: seven considerations; the seventh names the Government of Brazil
    assert [row["position"] for row in rows] == list(range(1, 8))
    assert "Government of Brazil" in rows[6]["names"]


def test_plan_parts_supporting(run):
    rows = run("plan-parts-supporting")
    # Anexo IV.1 A.corto.6 (line 1661): support for the new task force on SMEs; A.largo.2 (line 1689): the
    # Marrakech task force on education; Anexo IV.3 P2 R6 A1: creation of a regional information centre
    seen = {(row["part"], row["how"], row["target"]) for row in rows}
    assert ("plan/caribe/a-corto-plazo-6", "supports", "task-force/tf-mipymes") in seen
    assert ("plan/caribe/a-largo-plazo-2", "supports", "task-force/tf-educacion") in seen
    assert ("plan/andina/p2/r6/a1", "proposes", "initiative/centro-regional-informacion-cps") in seen


def test_main_results_of_the_executive_summary(run):
    rows = run("main-results")
    # §10 a)-f) (lines 12-24); a)-d) and f) are concluded again in §71b, §71c, §71d, §72 and §74
    assert [row["item"] for row in rows] == ["§10a", "§10b", "§10c", "§10d", "§10e", "§10f"]
    by_item = {row["item"]: row for row in rows}
    assert by_item["§10a"]["also_in"] == "§71b"
    assert by_item["§10d"]["also_in"] == "§72"
    assert by_item["§10f"]["also_in"] == "§74"
    assert by_item["§10e"]["conclusion"] == "finding/c-grupo-mipymes-brasil"


def test_task_forces_in_general(run):
    rows = run("task-forces-in-general")
    # §16d (line 41), §28c (95), §33 (102), §64 (211), §70 (280), §73 (316), Anexo IV.1 (1616, 1650), Anexo V q2
    items = {row["item"] for row in rows}
    assert {"objective/obj-d", "presentation/d1-panel-1-3", "presentation/d2-panel-5-1",
            "finding/c-grupo-trabajo-mipymes", "proposal/andina-programas-capacidades"} <= items
    assert any("Anexo V q2" in row["passages"] for row in rows)


def test_schedules(run):
    rows = run("schedules")
    by_subject: dict[str, list[dict]] = {}
    for row in rows:
        by_subject.setdefault(row["subject"], []).append(row)
    # Anexo V q8 (line 2999): every two years; §60e (192): at least once a year; §60c (188): 'bianuales'
    assert [row["frequency"] for row in by_subject["organization/foro-cooperantes"]] == ["P2Y"]
    [committee] = by_subject["organization/comite-directivo"]
    assert committee["frequency"] == "P1Y"
    assert committee["agreement_en"].startswith("Yearly Steering Committee meeting")
    extended = [row for row in by_subject["organization/consejo-expertos"] if "§60c" in row["passages"]]
    assert len(extended) == 1 and extended[0].get("frequency") is None
    # the two plans' proposals for the Council (Anexo IV.2 P3 A2, Anexo IV.3 P4 R2)
    assert {row.get("frequency") for row in by_subject["organization/consejo-expertos"]} == {None, "P6M", "P1Y"}
    assert [row["passages"] for row in by_subject["initiative/par-ilac"]] == ["§42"]


def test_annex_v_answers_carry_their_themes(run):
    rows = {row["answer"]: row for row in run("annex-v-answers", position="3")}
    # Anexo V q3 (lines 2938-2948): the Caribbean names tourism, construction, lifestyles, procurement,
    # education and information sharing; the Southern Cone national plans, procurement and education
    caribbean = set(rows["answer/anexo-v-q3-caribe"]["themes"].split("; "))
    assert {"Tourism", "Sustainable construction", "Sustainable public procurement"} <= caribbean
    assert "Sustainable public procurement" in rows["answer/anexo-v-q3-cono-sur"]["themes"]


def test_the_mechanisms_of_the_marrakech_process(run):
    # §29 (line 98): expert meetings, round tables and SCP policies and strategies define the framework of action;
    # task forces, dialogue rounds with cooperation agencies, the NGO Forum and the Business Forum implement it.
    # §28c (95) names the task forces and the cooperation dialogue as the main implementation mechanisms.
    rows = run("marrakech-mechanisms")
    got = {(row["use"], row["mechanism_en"], row["locator"]) for row in rows}
    assert got == {
        ("framework of action", "International meeting of the Marrakech Process", "§29"),
        ("framework of action", "Round table", "§29"),
        ("framework of action", "National SCP policies and strategies", "§29"),
        ("implementation", "Marrakech Task Forces", "§28c"), ("implementation", "Marrakech Task Forces", "§29"),
        ("implementation", "Cooperation Dialogue with development agencies", "§28c"),
        ("implementation", "Cooperation Dialogue with development agencies", "§29"),
        ("implementation", "NGO Forum of the Marrakech Process", "§29"),
        ("implementation", "Business Forum of the Marrakech Process", "§29")}
