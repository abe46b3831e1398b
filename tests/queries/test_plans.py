"""Priorities and action plans, against the report. Expected values are read off the report."""

from __future__ import annotations


def test_common_priority_areas(run):
    rows = run("common-priority-areas")
    # §54 a)-e) (also §10d, §72): round tables, SMEs, public procurement, national policies, information network
    assert [row["label_es"] for row in rows] == [
        "Mesas de Diálogo Nacionales", "Pequeñas y Medianas Empresas", "Compras públicas sustentables",
        "Políticas y Estrategias Nacionales en CPS", "Red Regional de información en CPS"]
    # Anexo I #2 (lines 340-355) ratifies the five of them
    assert {row["recommendation_points"] for row in rows} == {"2"}


def test_priorities_of_the_southern_cone(run):
    rows = run("priorities-of-subregion")  # default: the Southern Cone
    # §52, Grupo 4: "Destacaron 8 áreas prioritarias", in this order (Anexo IV.4)
    assert [row["position"] for row in rows] == list(range(1, 9))
    for row, words in zip(rows, ("integración de políticas", "diálogo", "prácticas de cps", "innovación",
                                 "educación", "información", "capacidades", "actitud preventiva")):
        assert words in row["label_es"].lower()


def test_priorities_of_mesoamerica(run):
    # §52, Grupo 2: "El grupo identificó 11 áreas prioritarias", the first "políticas nacionales"
    rows = run("priorities-of-subregion", subregion="mesoamerica")
    assert len(rows) == 11
    assert "polític" in rows[0]["label_es"].lower()


def test_themes_shared_across_subregions(run):
    rows = {row["theme"]: row for row in run("themes-shared-across-subregions")}
    # §52: the financial sector is a Caribbean priority ("financiero", line 139), a Mesoamerican one
    # ("fortalecimiento de capacidades en el sector financiero", line 141) and an Andean one ("sector
    # financiero", line 143)
    financial = rows["theme/sector-financiero"]
    assert financial["subregions"] == 3
    assert set(financial["subregion_names"].split("; ")) == {
        "Caribbean subregion", "Mesoamerica subregion", "Andean subregion"}
    # §52: strengthening the Council of Experts -- Mesoamerica (line 141) and the Andean group (line 143)
    assert rows["theme/consejo-expertos"]["subregions"] == 2
    # a shared theme that is also one of the five common areas (§54d, national policies and strategies)
    assert rows["theme/politicas-estrategias"]["common_area"] == "common-priority/cp-d"
    assert all(row["subregions"] > 1 for row in rows.values())


def test_priorities_tied_to_sdg_targets(run):
    rows = run("priorities-and-sdg-targets")
    ties = {(row["sdg_target"].rsplit("/", 1)[-1], row["item"]) for row in rows}
    # §54c sustainable public procurement <-> SDG 12.7 (public procurement); §54d national SCP policies
    # <-> 12.1 (the 10YFP and national action); §12 and Anexo I: the 10YFP itself <-> 12.1. The SDG
    # targets are the curated close matches of data/vocab/themes.csv.
    assert ("12.7", "common-priority/cp-c") in ties
    assert ("12.1", "common-priority/cp-d") in ties
    assert ("12.1", "initiative/10yfp") in ties
    # Anexo IV.4 P3 "Promoción de prácticas de CPS en sector público y privado" is the Southern Cone's
    # public-procurement priority
    assert ("12.7", "plan/cono-sur/p3") in ties
    assert {row["kind"] for row in rows} == {"common priority area", "plan priority", "initiative"}


def test_activities_by_horizon(run):
    counts = {(row["plan"], row.get("horizon")): row["activities"] for row in run("activities-by-horizon")}
    # Anexo IV.1 table (lines 1630-1694): the second filled cell of each horizon row lists the activities:
    # 7 paragraphs for the short term (lines 1651-1663), 5 for the medium term (1672-1681), 3 for the long
    # term (1687-1691)
    assert counts[("plan/caribe", "horizon/corto-plazo")] == 7
    assert counts[("plan/caribe", "horizon/mediano-plazo")] == 5
    assert counts[("plan/caribe", "horizon/largo-plazo")] == 3
    assert ("plan/caribe", None) not in counts
    # Anexo IV.3's "Plazo" cells: 2 años (short), 5 años (medium), and 1 año, 3 años, Permanente, which are
    # none of the three horizons
    andean = {horizon for plan, horizon in counts if plan == "plan/andina"}
    assert andean == {"horizon/corto-plazo", "horizon/mediano-plazo", None}
    # Anexo IV.2 and IV.4 give no time frames
    assert {horizon for plan, horizon in counts if plan in ("plan/mesoamerica", "plan/cono-sur")} == {None}


def test_activities_of_caricom(run):
    rows = run("activities-of-actor")  # default: CARICOM
    # Anexo IV.1, line 1653: "Punto Focal PNUMA – CARICOM envía reporte de la Cuarta Reunión ..." (short term)
    assert len(rows) == 1
    assert rows[0]["responsible_as_written"] == "Punto Focal PNUMA – CARICOM"
    assert rows[0]["horizon_en"] == "Short term (2 years)"
    assert rows[0]["plan_en"] == "Caribbean Subregion Action Plan"


def test_activities_of_the_focal_points(run):
    rows = run("activities-of-actor", actor="actor-type/puntos-focales")
    # "Punto Focal" is responsible in Mesoamerica (Anexo IV.2, e.g. line 1740 "PNUMA, Puntos Focales") and in
    # the business group's plan (Anexo IV.6, e.g. line 2783 "Punto Focal, PNUMA")
    assert {row["plan_en"] for row in rows} >= {"Mesoamerica Subregion Action Plan",
                                                "Priorities and actions proposed by the business sector group"}


def test_organizations_responsible_in_several_subregions(run):
    rows = run("organizations-responsible-in-several-subregions")
    # UNEP (PNUMA) is named for activities in the Caribbean (Anexo IV.1 lines 1651-1663), Mesoamerican
    # (IV.2, from line 1733) and Andean plans (IV.3, from line 1882); the Southern Cone plan (IV.4) names no
    # responsible actors, and every other organization appears in one plan only
    assert [row["organization"] for row in rows] == ["organization/pnuma"]
    assert set(rows[0]["subregion_names"].split("; ")) == {
        "Caribbean subregion", "Mesoamerica subregion", "Andean subregion"}


def test_indicators_per_result_of_the_andean_plan(run):
    rows = run("indicators-per-result")  # default: the Andean plan
    # Anexo IV.3: 17 indicator cells (lines 1879-2489); every expected result has at least one
    assert sum(row["indicators"] for row in rows) == 17
    assert all(row["indicators"] >= 1 for row in rows)
    # P2 R3, MSMEs: "No. de Mipymes capacitadas" (line 2040) and "% de Mipymes que incorporan CPS" (2068)
    msme = next(row for row in rows if row["locator"] == "Anexo IV.3 P2 R3")
    assert msme["indicators"] == 2
    assert rows[0]["locator"] == "Anexo IV.3 P1 R1"


def test_outline_of_the_mesoamerican_plan(run):
    rows = run("action-plan-outline")  # default: Mesoamerica
    # §52: 11 priority areas; Anexo IV.2 names the responsible actors of each activity ("Responsable(s):")
    assert [row["position"] for row in rows] == list(range(1, 12))
    assert all(row["activities"] >= 1 for row in rows)
    assert all(row["activities_with_responsible"] == row["activities"] for row in rows)


def test_actor_roles_in_activities_keep_support_apart_from_responsibility(run):
    rows = run("actor-roles-in-activities")  # default: UNEP (pnuma)
    by_locator = {(row["locator"], row["capacity"]) for row in rows}
    # Anexo IV.1 A.corto.7 (line 1663): "con el apoyo de PNUMA": UNEP supports, is not responsible
    assert ("Anexo IV.1 A.corto.7", "supporter") in by_locator
    assert ("Anexo IV.1 A.corto.7", "responsible") not in by_locator
    # Anexo IV.1 A.corto.1 (line 1651): "comunicación al PNUMA"
    assert ("Anexo IV.1 A.corto.1", "recipient") in by_locator
    # Anexo IV.3 P1 R1 A1 (line 1882): "... Comunidad en General, PNUMA"
    assert ("Anexo IV.3 P1 R1 A1", "responsible") in by_locator


def test_actor_roles_of_the_governments_of_canada_and_brazil(run):
    # Anexo IV.1 A.corto.6 (line 1661): "Apoyar a los gobiernos de Canadá y Brasil ...": beneficiaries only
    rows = run("actor-roles-in-activities", actor="organization/gobierno-ca")
    assert [(row["locator"], row["capacity"]) for row in rows] == [("Anexo IV.1 A.corto.6", "beneficiary")]


def test_the_national_scp_round_tables_are_responsible_in_the_business_proposal(run):
    # Anexo IV.6 P4, P7, P10, P12, P14 (lines 2789, 2833, 2851, 2885, 2901) name the national SCP round tables
    rows = run("actor-roles-in-activities", actor="actor-type/mesas-nacionales-cps")
    assert {row["locator"] for row in rows} == {
        "Anexo IV.6 P4 A1", "Anexo IV.6 P7 A1", "Anexo IV.6 P10 A1", "Anexo IV.6 P12 A1", "Anexo IV.6 P14 A1"}
    assert {row["capacity"] for row in rows} == {"responsible"}
