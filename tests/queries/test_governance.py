"""Governance and task forces, against the report. Expected values are read off the report."""

from __future__ import annotations


def test_steering_committee_before_and_after(run):
    rows = run("steering-committee")
    table = {(row["subregion"], row["after"]): (row["before"], row["after_role_en"], row["ad_referendum"])
             for row in rows}
    # §59: the Committee is made of the four subregional coordinators; the seats elected in Nicaragua carry no
    # other title, so each one's role is that of subregional coordinator
    assert {row["before_role_en"] for row in rows} == {"Subregional coordinator"}
    # §59: elected in Nicaragua -- Nicaragua (Mesoamerica), Trinidad and Tobago (Caribbean), Peru (Andean),
    # Argentina (Southern Cone). §60a i-iv: Trinidad and Tobago (ad referéndum); Panamá titular and República
    # Dominicana alterno; Ecuador; Brasil.
    assert table == {
        ("subregion/caribe", "country/TT"): ("country/TT", "Subregional coordinator", True),
        ("subregion/mesoamerica", "country/PA"): ("country/NI", "Full member", False),
        ("subregion/mesoamerica", "country/DO"): ("country/NI", "Alternate", False),
        ("subregion/andina", "country/EC"): ("country/PE", "Subregional coordinator", False),
        ("subregion/cono-sur", "country/BR"): ("country/AR", "Subregional coordinator", False),
    }


def test_council_focal_points(run):
    rows = run("council-focal-points")
    # Anexo III: 22 entries say "Punto Focal CPS" in the Comentarios column, one per country
    assert len(rows) == 22 and len({row["country"] for row in rows}) == 22
    per_subregion: dict[str, int] = {}
    for row in rows:
        per_subregion[row["subregion_en"]] = per_subregion.get(row["subregion_en"], 0) + 1
    # #1-7 Caribbean, #8-15 Mesoamerica, #16-17 Andean, #18, #20, #32, #33, #36 Southern Cone
    assert per_subregion == {"Caribbean subregion": 7, "Mesoamerica subregion": 8, "Andean subregion": 2,
                             "Southern Cone subregion": 5}


def test_council_agreements_in_order(run):
    rows = run("council-agreements")
    # §60 a)-g): seven agreements, from the new Steering Committee to the Regional Information Centre
    assert [row["locator"] for row in rows] == [f"§60{letter}" for letter in "abcdefg"]
    # §71d i)-iv) (lines 292-303) restate a), c), d) and e)
    assert [row.get("restated_in") or None for row in rows] == [
        "§71d.i", None, "§71d.ii", "§71d.iii", "§71d.iv", None, None]
    assert [row["position"] for row in rows] == list(range(1, 8))
    assert "2009" in rows[3]["label_en"]           # §60d: the V meeting in 2009
    assert "Information Centre" in rows[6]["label_en"]  # §60g
    assert {row["meeting_en"] for row in rows} == {
        "Fourth Meeting of the Council of Government Experts on Sustainable Consumption and Production (SCP) "
        "for Latin America and the Caribbean"}


def test_recommendation_points(run):
    rows = run("recommendation-points")
    # Anexo I: seven numbered points, addressed to the XVI Forum of Ministers (title, lines 320-322)
    assert [row["position"] for row in rows] == list(range(1, 8))
    assert {row["addressed_to_en"] for row in rows} == {
        "XVI Meeting of the Forum of Ministers of Environment of Latin America and the Caribbean"}
    # point 2 ratifies the five common areas (lines 340-355); point 6 asks UNEP for support (line 361)
    assert rows[1]["names"] == 5
    assert rows[5]["named_entities"] == "United Nations Environment Programme"


def test_who_represented_whom(run):
    rows = run("who-represented-whom")
    seen = {(row["capacity"], row["agent"], row["represented"]) for row in rows}
    # Anexo I line 323: Irma Suárez for the Andean Community; Anexo II panel 3: Irma Suárez "en representación
    # de la CAN"; §19 / Anexo II: Mohan Peck on behalf of UNDESA; §60a.ii: Panama's government holds the
    # Mesoamerican seat
    assert ("drafting committee member", "person/irma-suarez", "organization/can") in seen
    assert ("presenter", "person/irma-suarez", "organization/can") in seen
    assert ("presenter", "person/mohan-peck", "organization/undesa") in seen
    assert ("steering committee seat", "organization/gobierno-pa", "subregion/mesoamerica") in seen
    # Panel 5 (Anexo II; §62 "de UNEP y UNDESA respectivamente"): each presenter for their own body
    assert ("presenter", "person/mohan-peck", "organization/pnuma") not in seen
    assert ("presenter", "person/adriana-zacarias", "organization/undesa") not in seen


def test_meeting_organizers(run):
    rows = run("meeting-organizers")
    roles: dict[str, set[str]] = {}
    for row in rows:
        roles.setdefault(row["role"], set()).add(row["organization"])
    # §1: organised by PNUMA/ORPALC and UNDESA; §21: ABIQUIM provided the venue; §15: collaboration of
    # CETESB, CNI, FIESP, ABIQUIM and SINPROQUIM, with PNUMA/DTIE and UNDESA
    assert roles["organizer"] == {"organization/pnuma-orpalc", "organization/undesa"}
    assert roles["host"] == {"organization/abiquim"}
    assert {"organization/cetesb", "organization/cni", "organization/fiesp", "organization/abiquim",
            "organization/sinproquim", "organization/pnuma-dtie"} <= roles["collaborator"]


def test_task_forces(run):
    rows = {row["task_force"]: row for row in run("task-forces")}
    spp = rows["task-force/tf-compras-publicas-sustentables"]
    # §33: SPP is led by the Government of Switzerland; Argentina, Mexico and the State of São Paulo take part
    assert spp["leads"] == "Government of Switzerland" and spp["member_count"] == 3
    assert set(spp["members"].split("; ")) == {"Government of Argentina", "Government of Mexico",
                                              "State of São Paulo"}
    # §35: Sustainable Lifestyles is led by the Government of Sweden
    assert rows["task-force/tf-estilos-vida-sustentables"]["leads"] == "Government of Sweden"
    # §10e, §73: MSMEs proposed; Anexo V q4: waste management proposed by the Caribbean group
    proposed = {name for name, row in rows.items() if row["status_en"] == "Proposed"}
    assert proposed == {"task-force/tf-mipymes", "task-force/tf-gestion-residuos"}


def test_task_force_proposals(run):
    rows = {row["task_force"]: row for row in run("task-force-proposals")}
    # §10e: "el Gobierno de Brasil ha tomado la iniciativa"; Anexo V q4 (Caribbean): "Fuerza de Tarea en
    # gestión de residuos"
    assert rows["task-force/tf-mipymes"]["proposed_by"] == "organization/gobierno-br"
    assert set(rows["task-force/tf-mipymes"]["cited"].split("; ")) == {"§10e", "§73"}
    assert rows["task-force/tf-gestion-residuos"]["proposed_by"] == "working-group/caribe"


def test_task_forces_of_costa_rica(run):
    rows = run("task-forces-of-country")  # default: Costa Rica
    # Anexo V q2 (Mesoamerica): "Costa Rica (Estilos de Vida Sustentable y Turismo Sustentable.)"
    assert {(row["task_force"], row["part"]) for row in rows} == {
        ("task-force/tf-estilos-vida-sustentables", "member"), ("task-force/tf-turismo-sostenible", "member")}


def test_task_forces_of_switzerland_and_brazil(run):
    # §33: Switzerland leads SPP; §10e: Brazil took up the MSME task force; §33: the State of São Paulo in SPP
    assert {(r["task_force"], r["part"]) for r in run("task-forces-of-country", country="CH")} == {
        ("task-force/tf-compras-publicas-sustentables", "lead")}
    assert {(r["task_force"], r["part"]) for r in run("task-forces-of-country", country="BR")} == {
        ("task-force/tf-mipymes", "proposer"), ("task-force/tf-compras-publicas-sustentables", "member")}
