"""The graph says what the report says: counts and memberships checked against the report.

Every expected value below was read off the report (the locator says where), never off the graph.
"""

from __future__ import annotations

from collections import Counter

import pytest

from graph_helpers import short


def test_anexo_iii_has_86_entries_numbered_to_85_with_56_twice(sparql):
    # Anexo III: entries 1-85, the number 56 printed twice (ALIDE, line 725; CIMM, line 1185).
    rows = sparql("SELECT ?n WHERE { ?p a cps:Participation ; skos:notation ?n }")
    numbers = sorted(str(r["n"]) for r in rows)
    assert len(numbers) == 86
    assert set(numbers) == {str(n) for n in range(1, 86) if n != 56} | {"56a", "56b"}


def test_entries_per_working_group(sparql):
    # Anexo III group headings: Grupo 1 Caribe #1-7; Grupo 2 Mesoamérica #8-15; Grupo 3 Andina #16, #17 and
    # ALIDE #56a; Grupo 4 Cono Sur #18-38; Grupo 5 #39-57 (with CIMM #56b); Grupo 6 #58-85.
    rows = sparql("""SELECT ?wg (COUNT(?p) AS ?n) WHERE {
        ?p a cps:Participation ; org:organization ?wg } GROUP BY ?wg""")
    counts = {short(r["wg"]): r["n"] for r in rows}
    assert counts == {"caribe": 7, "mesoamerica": 8, "andina": 3, "cono-sur": 21, "ong": 19, "empresas": 28}


def test_entries_per_kind_heading(sparql):
    # Anexo III sub-headings: governments #1-37; Agencia de Cooperación #56a and #38; Organismos no
    # Gubernamentales #39-50; Academia #51-57 with #56b; Centros Nacionales de PML #58-62; Empresas #63-68;
    # Sindicatos #69-70; Organizaciones Locales #71-77; Organismos Internacionales #78-85.
    rows = sparql("""SELECT ?kind (COUNT(?p) AS ?n) WHERE {
        ?p a cps:Participation ; cps:listedAs ?kind } GROUP BY ?kind""")
    counts = {short(r["kind"]): r["n"] for r in rows}
    assert counts == {"gobierno": 37, "agencia-cooperacion": 2, "ong": 12, "academia": 7,
                      "centro-produccion-limpia": 5, "empresa": 6, "sindicato": 2, "organizacion-local": 7,
                      "agencia-internacional": 8}


@pytest.mark.parametrize("country,entries", [
    # Anexo III "País" column.
    ("BB", {"2", "41"}), ("CR", {"8", "49", "60"}), ("CO", {"16", "47", "48", "59"}),
    ("AR", {"18", "19", "38"}), ("CL", {"32", "45", "46", "56b"}), ("PY", {"33", "34", "35"}),
    ("UY", {"36", "37", "57"}), ("GT", {"12", "61"}), ("NI", {"14", "62"}), ("PE", {"56a"}),
    ("GB", {"50"}), ("US", {"68"}),
])
def test_entries_per_country(sparql, country, entries):
    rows = sparql(f"""SELECT ?n WHERE {{ ?p a cps:Participation ; skos:notation ?n ;
        cps:country <https://w3id.org/cps-lac/id/country/{country}> }}""")
    assert {str(r["n"]) for r in rows} == entries


def test_international_agency_entries_have_no_country(sparql):
    # Anexo III #78-85: the "País" cell names UNIDO, UNDESA or PNUMA, not a country.
    rows = sparql("""SELECT ?n ?c WHERE { ?p skos:notation ?n ; cps:countryAsWritten ?c .
        FILTER(?n IN ("78", "79", "80", "81")) }""")
    assert {str(r["n"]): str(r["c"]).strip() for r in rows} == {
        "78": "UNIDO", "79": "UNDESA", "80": "PNUMA", "81": "PNUMA"}


def test_four_subregions_and_their_countries(sparql):
    # §49 and Anexo III group the countries; Trinidad and Tobago (§59-60) and Bahamas (Anexo V q2) join the
    # Caribbean, Peru the Andean group (§59), Chile the Southern Cone (§52); Cuba and the Dominican Republic
    # sit in Mesoamerica in this meeting's grouping.
    rows = sparql("SELECT ?sub ?c WHERE { ?c a schema:Country ; cps:subregion ?sub }")
    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(short(r["sub"]), set()).add(short(r["c"]))
    assert groups == {
        "caribe": {"AG", "BB", "DM", "GD", "JM", "VC", "SR", "TT", "BS"},
        "mesoamerica": {"CR", "CU", "DO", "SV", "GT", "HN", "NI", "PA"},
        "andina": {"CO", "EC", "PE"},
        "cono-sur": {"AR", "BR", "PY", "UY", "CL"},
    }


def test_five_panels_and_their_presenters(sparql):
    # Anexo II and §5-8, §27-47, §58, §62: panel 1 Zacarías, Peck, Browne, Scavone; panel 2 Tonda with
    # Barahona (§37), Young, Kos; panel 3 Beláustegui, Suárez, Beja and Rossi; panel 4 Ramírez; panel 5
    # UNDESA and UNEP (Zacarías and Peck, §62).
    rows = sparql("""SELECT ?number ?person WHERE {
        ?panel a cps:Panel ; skos:notation ?number . ?pres schema:superEvent ?panel ; cps:presenter ?person }""")
    panels: dict[str, set[str]] = {}
    for r in rows:
        panels.setdefault(str(r["number"]), set()).add(short(r["person"]))
    assert panels == {
        "1": {"adriana-zacarias", "mohan-peck", "christopher-browne", "graciela-scavone"},
        "2": {"elisa-tonda", "cesar-barahona", "ricardo-young", "marcelo-kos"},
        "3": {"victoria-belaustegui", "irma-suarez", "giselle-beja", "graciela-rossi"},
        "4": {"luciano-ramirez"},
        "5": {"adriana-zacarias", "mohan-peck"},
    }


def test_steering_committees_before_and_after(sparql):
    # §59: elected in Nicaragua: Nicaragua, Trinidad and Tobago, Peru, Argentina.
    # §60a / §71d: Trinidad and Tobago (ad referéndum); Panamá titular and República Dominicana alterno;
    # Ecuador; Brasil.
    rows = sparql("""SELECT ?meeting ?country ?role ?adref WHERE {
        ?seat a cps:SteeringCommitteeSeat ; cps:electedAt ?meeting ; cps:country ?country ;
              org:role ?role ; cps:adReferendum ?adref }""")
    terms: dict[str, set[tuple]] = {}
    for r in rows:
        terms.setdefault(short(r["meeting"]), set()).add((short(r["country"]), short(r["role"]), r["adref"]))
    assert {c for c, _, _ in terms["reunion-consejo-nicaragua"]} == {"NI", "TT", "PE", "AR"}
    assert terms["cuarta-reunion-consejo"] == {
        ("TT", "coordinador-subregional", True), ("PA", "titular", False), ("DO", "alterno", False),
        ("EC", "coordinador-subregional", False), ("BR", "coordinador-subregional", False)}


def test_five_common_priority_areas(sparql):
    # §54 a-e (also §10d, §72, Anexo I #2).
    rows = sparql("SELECT ?l WHERE { ?a a cps:CommonPriorityArea ; rdfs:label ?l FILTER(lang(?l) = 'es') }")
    labels = " | ".join(sorted(str(r["l"]) for r in rows)).lower()
    assert len(rows) == 5
    for words in ("mesas de diálogo", "pequeñas y medianas empresas", "compras públicas",
                  "políticas y estrategias nacionales", "red regional de información"):
        assert words in labels


def _plan_counts(sparql, plan: str) -> dict:
    def count(pattern: str) -> int:
        return sparql(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}".replace("PLAN", f"<https://w3id.org/cps-lac/id/plan/{plan}>"))[0]["n"]
    return {
        "priorities": count("PLAN dcterms:hasPart ?x . ?x a cps:Priority"),
        "results": count("PLAN dcterms:hasPart ?p . ?p a cps:Priority ; dcterms:hasPart ?x . ?x a cps:ExpectedResult"),
        "indicators": count("PLAN dcterms:hasPart ?p . ?p a cps:Priority ; dcterms:hasPart ?r . ?r a cps:ExpectedResult ; cps:hasIndicator ?x"),
        "activities": count("PLAN dcterms:hasPart ?p . ?p a cps:Priority ; dcterms:hasPart+ ?x . ?x a cps:Activity"),
    }


def test_mesoamerica_has_eleven_priorities(sparql):
    # §52 Grupo 2 and Anexo IV.2: 11 priority areas.
    assert _plan_counts(sparql, "mesoamerica")["priorities"] == 11


def test_southern_cone_lines_results_indicators_and_actions(sparql):
    # Anexo IV.4: 8 lines of action; results 1.1-1.3, 2.1, 3.1-3.2, 4.1-4.2, 5.1-5.2, 6.1-6.2, 7.1-7.2,
    # 8.1-8.2 (16); an indicator for each except 1.2 (15); actions 6+2+3+4+4+4+0+2 (25).
    assert _plan_counts(sparql, "cono-sur") == {"priorities": 8, "results": 16, "indicators": 15, "activities": 25}


def test_andean_plan_priorities_results_indicators_activities(sparql):
    # Anexo IV.3 and §52 Grupo 3: seven priorities; the table's rows give 15 results, 17 indicators and
    # 25 activities, each activity with a time frame or a noted gap.
    counts = _plan_counts(sparql, "andina")
    assert counts == {"priorities": 7, "results": 15, "indicators": 17, "activities": 25}
    frames = sparql("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
        <https://w3id.org/cps-lac/id/plan/andina> dcterms:hasPart/dcterms:hasPart/dcterms:hasPart ?a . ?a a cps:Activity .
        ?a cps:timeFrame ?t }""")[0]["n"]
    responsible = sparql("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
        <https://w3id.org/cps-lac/id/plan/andina> dcterms:hasPart/dcterms:hasPart/dcterms:hasPart ?a . ?a a cps:Activity .
        ?a cps:responsible ?r }""")[0]["n"]
    assert frames >= 20 and responsible >= 20


def test_caribbean_objectives_by_horizon(sparql):
    # Anexo IV.1 table: short term (2 years) 8 objectives, medium term (5) 5, long term (10) 2.
    rows = sparql("""SELECT ?h (COUNT(?o) AS ?n) WHERE {
        <https://w3id.org/cps-lac/id/plan/caribe> cps:hasObjective ?o . ?o cps:timeHorizon ?h } GROUP BY ?h""")
    assert {short(r["h"]): r["n"] for r in rows} == {"corto-plazo": 8, "mediano-plazo": 5, "largo-plazo": 2}


def test_recommendation_has_seven_points_and_five_drafters(sparql):
    # Anexo I: points 1-7; drafting committee Terry (Caribbean), Ramírez (Mesoamerica), Suárez (CAN),
    # Krieger Merico (Southern Cone), Beláustegui (UNEP secretariat).
    points = sparql("SELECT ?p WHERE { ?r a cps:Recommendation ; dcterms:hasPart ?p . ?p a cps:RecommendationPoint }")
    assert len(points) == 7
    drafters = sparql("""SELECT ?person WHERE { ?m org:organization <https://w3id.org/cps-lac/id/organization/comite-redactor> ;
        org:member ?person }""")
    assert {short(r["person"]) for r in drafters} == {
        "carmen-terry", "luciano-ramirez", "irma-suarez", "luiz-fernando-krieger-merico", "victoria-belaustegui"}


def test_task_forces_leads_and_members(sparql):
    # §33: SPP task force led by Switzerland, with Argentina, Mexico and the State of São Paulo;
    # §35: Sustainable Lifestyles led by Sweden.
    rows = sparql("""SELECT ?tf ?lead WHERE { ?tf a cps:TaskForce ; cps:ledBy ?lead }""")
    leads = Counter(short(r["lead"]) for r in rows)
    assert leads["gobierno-ch"] == 1 and leads["gobierno-se"] == 1
    members = sparql("""SELECT ?m WHERE { ?tf a cps:TaskForce ; cps:ledBy <https://w3id.org/cps-lac/id/organization/gobierno-ch> ;
        org:hasMember ?m }""")
    assert {"gobierno-ar", "gobierno-mx"} <= {short(r["m"]) for r in members}
    assert len(members) == 3


def test_cleaner_production_network_results(sparql):
    # §38: 7% productivity, 19% energy savings, 31% water, 14% waste (and payback under two years).
    rows = sparql("""SELECT ?v WHERE { ?r a cps:ReportedResult ; schema:value ?v }""")
    values = {float(r["v"]) for r in rows}
    assert {7.0, 19.0, 31.0, 14.0} <= values
