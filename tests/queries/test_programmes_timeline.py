"""Programmes, initiatives and the timeline, against the report. Expected values are read off the report."""

from __future__ import annotations


def test_table_i_proposals_by_group(run):
    rows = run("cuadro-i-proposals")
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["group_en"], row["category_en"])
        counts[key] = counts.get(key, 0) + 1
    # Cuadro I (§68, lines 221-272): columns Grupo 1 Caribe, Grupo 2 Mesoamérica, Grupo 4 Cono Sur; five
    # common programmes each; new proposals: Caribbean 5, Mesoamerica 3, Southern Cone 1 ("PYMES")
    assert counts == {
        ("Group 1: Caribbean subregion", "Common programmes"): 5,
        ("Group 1: Caribbean subregion", "New proposals"): 5,
        ("Group 2: Mesoamerica subregion", "Common programmes"): 5,
        ("Group 2: Mesoamerica subregion", "New proposals"): 3,
        ("Group 4: Southern Cone subregion", "Common programmes"): 5,
        ("Group 4: Southern Cone subregion", "New proposals"): 1,
    }
    assert rows[0]["label_es"] == "Programa para el Desarrollo de planes de acción sobre SCP a nivel nacional"
    assert rows[-1]["label_es"] == "PYMES"


def test_caribbean_proposals_by_priority(run):
    rows = run("caribbean-proposals")
    # Anexo V, "Propuesta del Grupo del Caribe" (lines 3004-3049): ten programmes; "Media" for #2
    # (procurement) and #6 (construction and disasters), "Alta" for the rest; high ones come first
    assert [row["position"] for row in rows] == [1, 3, 4, 5, 7, 8, 9, 10, 2, 6]
    assert {row["level_en"] for row in rows[-2:]} == {"Medium"}
    # #10: "Global Water Partnership, CEHI, EU, BID, Centros para el Control de la Enfermedad"
    assert rows[7]["agencies"] == 5
    # #4: "PNUMA, DESA"
    assert set(rows[2]["key_agencies"].split("; ")) == {
        "United Nations Environment Programme", "United Nations Department of Economic and Social Affairs"}


def test_key_agencies(run):
    rows = {row["agency"]: (row["proposals"], row["high_priority"]) for row in run("key-agencies")}
    # Anexo V Caribbean table: PNUMA (#1, #4), ONUDI (#3, #7), PNUD (#8, #9), CARICOM (#1, #9), all "Alta";
    # HABITAT only for #6, "Media"
    for agency in ("organization/pnuma", "organization/onudi", "organization/pnud", "organization/caricom"):
        assert rows[agency] == (2, 2)
    assert rows["organization/habitat"] == (1, 0)


def test_initiatives(run):
    rows = {row["initiative"]: row for row in run("initiatives")}
    # §45: the MERCOSUR policy on SCP, its action plan by SGT 6, the Competitiveness and Environment Programme
    # with GTZ; §46: the Andean Environmental Agenda (CAN); §10b: the Regional Strategy approved by the Forum
    policy = rows["initiative/mercosur-politica-cps"]
    assert (policy["kind_en"], policy["responsible"]) == ("Policy", "MERCOSUR")
    assert rows["initiative/agenda-ambiental-andina"]["kind_en"] == "Agenda"
    # GTZ supports the programme ("con el apoyo de"); it is not responsible for it (issue 13, item 6)
    assert rows["initiative/programa-competitividad-medio-ambiente"]["responsible"] == "MERCOSUR"
    assert rows["initiative/mercosur-plan-accion-cps"]["part_of"].startswith("Policy for the Promotion")
    # §12: the Johannesburg Plan of Implementation, 2002
    assert rows["initiative/plan-implementacion-johannesburgo"]["dated"] == "2002"


def test_annex_v_answers_to_question_two(run):
    rows = run("annex-v-answers")  # default: question 2, the task forces
    # Anexo V q2 (lines 2929-2931): the Caribbean names Bahamas (TFST), Mesoamerica Costa Rica (lifestyles
    # and tourism); the other groups left the cell empty
    assert [row["group_en"] for row in rows] == ["Group 1: Caribbean subregion", "Group 2: Mesoamerica subregion"]
    assert "Bahamas" in rows[0]["named"] and "Costa Rica" in rows[1]["named"]


def test_annex_v_answers_to_question_one(run):
    rows = run("annex-v-answers", position="1")
    # Anexo V q1, Caribbean: "CEHI, PNUMA/ORPALC, CARICOM, ONUDI, PNUD, ... BID, CYEN y FMAM"
    caribbean = next(row for row in rows if row["group_en"] == "Group 1: Caribbean subregion")
    assert "Caribbean Community" in caribbean["named"]


def test_reported_results(run):
    rows = {row["label_en"]: (row["value"], row["unit"]) for row in run("reported-results")}
    # §38: 7% productivity increase, payback under two years, 19% energy, 31% water, 14% waste reduction
    assert rows == {"productivity increase": (7, "%"), "payback period of less than two years": (2, "años"),
                    "average energy savings": (19, "%"), "water savings": (31, "%"),
                    "waste reduction": (14, "%")}


def test_timeline(run):
    rows = run("timeline")
    order = [row["meeting"] for row in rows]
    # §12 Johannesburg 2002 first; §45 the MERCOSUR meeting the day before this one (§1: 18-19 October
    # 2007); §3 the XVI Forum, 27 January - 1 February 2008; §60d the V Council meeting in 2009; §13 the CSD
    # 2010-2011
    assert order[0] == "event/cumbre-johannesburgo-2002"
    meeting = order.index("event/cuarta-reunion-consejo")
    assert order[meeting - 1] == "event/reunion-extraordinaria-mercosur-2007"
    assert order[meeting + 1:meeting + 4] == ["event/foro-ministros-xvi", "event/quinta-reunion-consejo",
                                              "event/csd-2010-2011"]
    this = rows[meeting]
    assert (this["start"], this["end"], this["place_en"]) == ("2007-10-18", "2007-10-19", "São Paulo")
    # undated, last: the Nicaragua meeting (§59), the XV Forum (§53), the XVII Forum (§60d), Uruguay (§65)
    assert set(order[-4:]) == {"event/reunion-consejo-nicaragua", "event/foro-ministros-xv",
                               "event/foro-ministros-xvii", "event/mesa-dialogo-uruguay"}


def test_agenda(run):
    rows = run("agenda")
    first_day = {row["session"] for row in rows if row.get("start", "").startswith("2007-10-18")}
    # Anexo II, Thursday 18 October: organising committee, registration, opening, panels 1-3, two coffee
    # breaks, lunch, group sessions 1 and 2, plenary, dinner -- 13 items
    assert len(first_day) == 13
    panel_1 = [row["presenters"] for row in rows if row["session"] == "session/d1-panel-1"]
    # Panel 1: Adriana Zacarias, Mohan Peck, Chris Browne, Graciela Scavone, in this order
    assert panel_1 == ["Adriana Zacarias", "Mohan Peck", "Christopher Browne", "Graciela Scavone"]
    panel_5 = next(row for row in rows if row["session"] == "session/d2-panel-5")
    assert set(panel_5["presenters"].split("; ")) == {"Adriana Zacarias", "Mohan Peck"}
    # lines 484-489: the last plenary holds the recommendations' approval and the closing, in this order
    plenary = [row["presentation_en"] for row in rows if row["session"] == "session/d2-plenaria-3"]
    assert plenary[0].startswith("Presentation and approval of the recommendations")
    assert plenary[1] == "Closing of the meeting"


def test_key_agencies_include_the_task_force_and_actor_types_the_cells_name(run):
    rows = {row["agency"]: (row["proposals"], row["high_priority"]) for row in run("key-agencies")}
    # Anexo V Caribbean table: #2 "TFSPP, Commonwealth Associaction of Planners" (line 3015, "Media");
    # #1 "PNUMA, puntos focales nacionales, CARICOM" (line 3011, "Alta"); #5 "UNESCO, Universidades" ("Alta")
    assert rows["task-force/tf-compras-publicas-sustentables"] == (1, 0)
    assert rows["actor-type/puntos-focales"] == (1, 1)
    assert rows["actor-type/academia"] == (1, 1)
