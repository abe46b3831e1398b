"""Facts that lived only in curation notes or in prose (issue 13, items 1, 2, 4 and 9): the executive
summary's main results, the Marrakech task forces taken together, what the opening speeches and the panel
talks are about.

Every expected value below was read off the report (the locator says where), never off the graph.
"""

from __future__ import annotations

import pytest
from graph_helpers import short

from cpsgraph.errors import DataError

LOCATOR = "bibo:locator"
ID = "https://w3id.org/cps-lac/id/"


def _objects(sparql, subject: str, prop: str) -> set[str]:
    return {short(r["o"]) for r in sparql(f"SELECT ?o WHERE {{ <{ID}{subject}> {prop} ?o }}")}


def _subjects(sparql, prop: str, target: str) -> set[str]:
    return {short(r["s"]) for r in sparql(f"SELECT ?s WHERE {{ ?s {prop} <{ID}{target}> }}")}


def test_each_main_result_of_section_10_is_a_conclusion_citing_it(sparql):
    # §10 (lines 12-24): the main results a)-f); §71-74 conclude the same, except e) (Brazil's initiative for
    # an MSME task force), which only §10e states.
    rows = sparql(f"""SELECT ?loc ?c WHERE {{ ?c a cps:Conclusion ; prov:wasDerivedFrom ?p . ?p {LOCATOR} ?loc
        FILTER(STRSTARTS(STR(?loc), "§10")) }}""")
    got = {str(r["loc"]): short(r["c"]) for r in rows}
    assert got == {"§10a": "c-dialogo-intersectorial", "§10b": "c-planes-subregionales",
                   "§10c": "c-fortalecimiento-consejo", "§10d": "c-areas-prioritarias-comunes",
                   "§10e": "c-grupo-mipymes-brasil", "§10f": "c-recomendacion-aprobada"}
    # §10a: the dialogue of governments with civil society, business and others
    assert {"gobierno", "ong", "empresa"} <= _objects(sparql, "finding/c-dialogo-intersectorial", "schema:about")
    # §10d (line 20): the five common areas
    assert {"cp-a", "cp-b", "cp-c", "cp-d", "cp-e"} <= _objects(
        sparql, "finding/c-areas-prioritarias-comunes", "schema:about")
    # §10f (line 24): the Recommendation for the XVI Forum
    assert {"anexo-i", "foro-ministros-xvi"} <= _objects(sparql, "finding/c-recomendacion-aprobada", "schema:about")


def test_the_marrakech_task_forces_taken_together(sparql):
    # Where the report names the Marrakech task forces without naming one: §28c (line 95), §29 (98), §33
    # (102), §64 (211), §16d and Anexo II (41, 377), §70 (280), §73 (316), Anexo V q2 (2929), Anexo IV.1 B.a
    # (1616) and O.corto.8 (1650).
    target = "actor-type/grupos-trabajo-marrakech"
    assert _subjects(sparql, "schema:about", target) >= {
        "d1-panel-1-1", "d1-panel-1-3", "d2-panel-5-1", "c-grupo-trabajo-mipymes", "f-zacarias-etapas-10yfp",
        "f-zacarias-resultados-grupos-trabajo"}
    assert _subjects(sparql, "schema:mentions", target) >= {"obj-d", "anexo-v-q2", "andina-programas-capacidades"}
    assert _subjects(sparql, "schema:mentions", target) >= {"partnerships-a", "o-corto-plazo-8"}


def test_what_the_opening_speeches_are_about(sparql):
    # §21 (line 79): Kos welcomed the meeting; §22 (80): Peck on the meeting within the new round of
    # consultations of the Marrakech Process; §23 (81): Sánchez on the participation of the network and others,
    # the Ministers' mandate and the 10-year programme; §26 (84): lifestyles.
    assert "cuarta-reunion-consejo" in _objects(sparql, "presentation/d1-inaugural-2", "schema:about")
    assert {"proceso-marrakech", "cuarta-reunion-consejo", "reunion-estocolmo-2007"} == _objects(
        sparql, "presentation/d1-inaugural-3", "schema:about")
    assert {"red-centros-pml", "foro-ministros", "10yfp"} <= _objects(
        sparql, "presentation/d1-inaugural-4", "schema:about")
    assert _objects(sparql, "presentation/d1-inaugural-4", "dcterms:subject") == {
        "cambio-climatico", "energia", "compras-publicas", "educacion-sensibilizacion"}


def test_what_the_panel_talks_are_about(sparql):
    # §38 (lines 109-110): the network's results in productivity, energy, water and waste, and its training
    # centres; §46-47 (120-121): the CAN's axes (climate change, water resources) and its objectives and lines
    # of action; §45 (119): MERCOSUR's SGT6, GTZ, the extraordinary meeting of the day before.
    assert {"energia", "agua", "residuos", "capacidades", "produccion-limpia"} == _objects(
        sparql, "presentation/d1-panel-2-1", "dcterms:subject")
    assert {"cambio-climatico", "agua", "produccion-limpia", "politicas-estrategias", "dialogo-cooperacion",
            "capacidades", "proyectos-piloto"} == _objects(sparql, "presentation/d1-panel-3-2", "dcterms:subject")
    assert {"mercosur", "mercosur-sgt6", "gtz", "reunion-extraordinaria-mercosur-2007"} <= _objects(
        sparql, "presentation/d1-panel-3-3", "schema:about")
    # §65 (line 212): the São Paulo round table, the possible one in Uruguay, the UNEP/DTIE manual
    assert {"mesa-dialogo-sao-paulo-2007", "mesa-dialogo-uruguay", "manual-politicas-estrategias-nacionales-cps",
            "csd-2010-2011"} <= _objects(sparql, "presentation/d2-panel-5-1", "schema:about")
    # every talk of panels 1-5 has a subject theme, except Kos's (§40: the chemical industry's programmes)
    rows = sparql("""SELECT ?p WHERE { ?p a cps:Presentation ; schema:superEvent/cps:sessionKind ?k .
        FILTER(STRENDS(STR(?k), "/panel")) FILTER NOT EXISTS { ?p dcterms:subject ?t } }""")
    assert {short(r["p"]) for r in rows} == {"d1-panel-2-3"}


def test_andean_group_names_who_holds_the_capacities(sparql):
    # §69 (line 279): the UN agencies (PNUMA, UNDESA) organize the information system; §70 (280): the
    # capacities lie with the UN agencies, the international task forces, experts and companies.
    assert _objects(sparql, "proposal/andina-informacion", "schema:mentions") == {"pnuma", "undesa"}
    assert _objects(sparql, "proposal/andina-programas-capacidades", "schema:mentions") == {
        "agencia-internacional", "grupos-trabajo-marrakech", "empresa"}


def test_agenda_items_are_sub_events_of_their_session(sparql):
    # Anexo II lines 484-489: under the 17:30-18:30 plenary of 19 October, the presentation and approval of
    # the recommendations, then the closing; they are items of that session, not sessions of the meeting.
    rows = sparql("""SELECT ?item ?pos WHERE {
        <https://w3id.org/cps-lac/id/session/d2-plenaria-3> schema:subEvent ?item .
        ?item a cps:Session ; schema:position ?pos }""")
    assert sorted((r["pos"], short(r["item"])) for r in rows) == [(1, "d2-plenaria-3-recomendaciones"),
                                                                   (2, "d2-cierre")]
    top = _objects(sparql, "event/cuarta-reunion-consejo", "schema:subEvent")
    assert "d2-plenaria-3" in top and not {"d2-plenaria-3-recomendaciones", "d2-cierre"} & top


def test_honorifics_as_each_passage_writes_them(sparql):
    # Fernando Rei: 'Mr.' (Anexo III #71, line 1379), 'Sr.' (§19, line 77), 'Señor' (§20, 78), 'Dr.' (Anexo II,
    # 393); Ricardo Young: 'Mr.' (Anexo III #42 and Anexo II, 418), 'Sr' (§39, 111); the two MERCOSUR
    # presenters: 'las Sras.' (§45, 119).
    def titles(person: str) -> set[str]:
        return {str(r["t"]) for r in sparql(f"SELECT ?t WHERE {{ <{ID}person/{person}> foaf:title ?t }}")}

    assert titles("fernando-rei") == {"Mr.", "Sr.", "Señor", "Dr."}
    assert titles("ricardo-young") == {"Mr.", "Sr"}
    assert "Sras." in titles("giselle-beja") and "Sras." in titles("graciela-rossi")
    passages = {str(r["loc"]) for r in sparql(f"""SELECT ?loc WHERE {{
        <{ID}person/fernando-rei> prov:wasDerivedFrom/{LOCATOR} ?loc }}""")}
    assert {"Anexo III #71", "§19", "§20", "Anexo II"} <= passages


def test_how_often_bodies_meet_and_plans_are_approved(sparql):
    # Anexo V q8 (line 2999): the Donors' Forum meets every two years; §42 (116): the Ministers approve the PAR
    # every two years; §60e (192): the Steering Committee meets at least once a year; §60c (188): the Council's
    # extended meetings are 'bianuales', a frequency the report leaves open.
    # Anexo IV.2 P3 A2 (line 1755) and Anexo IV.3 P4 R2 (2284): the plans propose meetings twice a year, yearly.
    rows = sparql("""SELECT ?subject ?s ?freq WHERE { ?subject schema:eventSchedule ?s .
        OPTIONAL { ?s schema:repeatFrequency ?f BIND(STR(?f) AS ?freq) } }""")
    got = {short(r["s"]): (short(r["subject"]), str(r["freq"]) if r["freq"] is not None else None) for r in rows}
    assert got == {"foro-cooperantes-cada-dos-anos": ("foro-cooperantes", "P2Y"),
                   "par-ilac-cada-dos-anos": ("par-ilac", "P2Y"),
                   "comite-directivo-una-vez-al-ano": ("comite-directivo", "P1Y"),
                   "consejo-reuniones-extendidas": ("consejo-expertos", None),
                   "consejo-reuniones-virtuales": ("consejo-expertos", "P6M"),
                   "consejo-reuniones-anuales": ("consejo-expertos", "P1Y")}
    # the agreements that set two of them name them
    assert "consejo-reuniones-extendidas" in _objects(sparql, "agreement/ca-c", "schema:mentions")
    assert "comite-directivo-una-vez-al-ano" in _objects(sparql, "agreement/ca-e", "schema:mentions")


def test_goals_carry_their_target_year(sparql):
    # §34 (line 103): at least 10% of countries by 2010; §40 (112): chemicals by 2020
    rows = sparql("SELECT ?f ?d WHERE { ?f a cps:Finding ; cps:targetDate ?d }")
    assert {short(r["f"]): str(r["d"]) for r in rows} == {"f-spp-meta-2010": "2010", "f-kos-quimicos-2020": "2020"}


def test_meetings_carry_the_other_names_the_report_gives_them(sparql):
    # Anexo I (lines 321, 335) and §23 (81) name this meeting otherwise; §61 and Anexo I the Summit
    alt = {str(r["a"]) for r in sparql(f"SELECT ?a WHERE {{ <{ID}event/cuarta-reunion-consejo> skos:altLabel ?a }}")}
    assert "IV Reunión de Expertos de Gobierno" in alt
    assert "Cuarta Reunión de Expertos sobre CPS de América Latina y el Caribe" in alt
    summit = {str(r["a"]) for r in sparql(f"SELECT ?a WHERE {{ <{ID}event/cumbre-johannesburgo-2002> skos:altLabel ?a }}")}
    assert "Cumbre Mundial para el Desarrollo Sustentable" in summit


def test_agenda_sessions_say_what_they_are_about(sparql):
    # Anexo II: panel 1 and 3 on the Marrakech Process (lines 402, 423), group sessions 1-2 on the Strategy and
    # the Action Plan (432, 440), session 3 also on the Council and the Recommendation (462), session 4 and
    # panel 5 on the 10YFP (471, 474), the last plenary on the Strategy and its Plan (485), its first item on
    # the recommendations to the Forum (487).
    assert _objects(sparql, "session/d1-panel-1", "schema:about") == {"proceso-marrakech"}
    assert {"consejo-expertos", "anexo-i", "plan-accion-regional-cps"} <= _objects(
        sparql, "session/d2-sesion-grupos-3", "schema:about")
    assert {"10yfp", "estrategia-regional-cps"} <= _objects(sparql, "session/d2-sesion-grupos-4", "schema:about")
    assert _objects(sparql, "session/d2-plenaria-3-recomendaciones", "schema:about") == {"anexo-i", "foro-ministros"}
    # §16 / Anexo II objectives: a) the Strategy, c) the Council, e) the 10YFP, f) the next Forum (§16f: the
    # next one, which Anexo II names the XVI; §60d puts the Council's next meeting before the XVII)
    assert _objects(sparql, "objective/obj-a", "schema:mentions") == {"estrategia-regional-cps"}
    assert _objects(sparql, "objective/obj-e", "schema:mentions") == {"10yfp"}


def test_plan_parts_name_the_bodies_and_actors_their_cells_name(sparql):
    mentions = "schema:mentions"
    # Anexo IV.4 P1 R1 (line 2558): MERCOSUR's technical forums; P8 R1: the productive sector
    assert "mercosur" in _objects(sparql, "plan/cono-sur/p1/r1", mentions)
    assert "sectores-productivos" in _objects(sparql, "plan/cono-sur/p8/r1", mentions)
    # Anexo IV.5 P1 R1: ask PNUMA/ORPALC for an analysis; P4 R1: large companies, MSMEs, local governments;
    # act. d): NGOs and academia in the Marrakech task forces
    assert _objects(sparql, "plan/ong/p1/r1", mentions) == {"pnuma-orpalc"}
    assert _objects(sparql, "plan/ong/p4/r1", mentions) == {"grandes-empresas", "mipymes", "gobiernos-locales"}
    assert {"grupos-trabajo-marrakech", "proceso-marrakech"} <= _objects(sparql, "plan/ong/a4", mentions)
    # Anexo IV.2 P1 R1 (lines 1703-1709): Honduras and Guatemala lag behind
    assert {"HN", "GT"} <= _objects(sparql, "plan/mesoamerica/p1/r1", mentions)
    # Anexo IV.3 P5 R1: Jóvenes por el Cambio among the tested methodologies
    assert "jovenes-por-el-cambio" in _objects(sparql, "plan/andina/p5/r1", mentions)
    # Anexo IV.6 P10 A1: alliances with ministries of education and universities
    assert {"ministerios-educacion", "academia"} <= _objects(sparql, "plan/empresas/p10/a1", mentions)


def test_a_key_written_twice_in_an_action_plan_fails_the_build(data_copy, tmp_path, build_from):
    # YAML keeps only the last of two equal keys; a second `note` once hid the first one silently.
    path = data_copy / "action-plans" / "ong.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  label_es: " in text
    path.write_text(text.replace("\n  label_es: ", "\n  note: first\n  note: second\n  label_es: ", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_from(data_copy, tmp_path / "out")
    assert "key 'note' is written twice" in str(caught.value)
    assert "action-plans/ong.yaml:" in str(caught.value)


def test_the_regional_plan_within_the_par_and_the_plans_common_framework(sparql):
    # §42 (line 116) and §55 (164): the Regional SCP Action Plan goes into the PAR of ILAC; §53 (151): each
    # subregion's plan starts from ILAC and the Regional Strategy.
    assert "par-ilac" in _objects(sparql, "initiative/plan-accion-regional-cps", "dcterms:isPartOf")
    for plan in ("caribe", "mesoamerica", "andina", "cono-sur"):
        assert {"ilac", "estrategia-regional-cps"} <= _objects(sparql, f"plan/{plan}", "cps:basedOn"), plan


def test_what_panel_1_and_2_speakers_reported(sparql):
    # §27 (line 86), §29 (98), §31 (100), §34 (103), §38 (109-110): one finding each, stated in its talk
    rows = sparql("SELECT ?f ?p WHERE { ?f a cps:Finding ; cps:statedIn ?p }")
    stated = {short(r["f"]): short(r["p"]) for r in rows}
    assert {key: stated.get(key) for key in ("f-zacarias-desacoplamiento", "f-zacarias-mecanismos",
                                              "f-peck-legislacion-europea", "f-spp-principios-metodologia",
                                              "f-red-cd-herramientas")} == {
        "f-zacarias-desacoplamiento": "d1-panel-1-1", "f-zacarias-mecanismos": "d1-panel-1-1",
        "f-peck-legislacion-europea": "d1-panel-1-2", "f-spp-principios-metodologia": "d1-panel-1-3",
        "f-red-cd-herramientas": "d1-panel-2-1"}
    # §29: the task forces, the cooperation dialogue and the NGO forum are mechanisms of the process
    assert {"grupos-trabajo-marrakech", "dialogo-cooperacion-agencias", "foro-ong"} <= _objects(
        sparql, "finding/f-zacarias-mecanismos", "schema:about")
    assert "union-europea" in _objects(sparql, "finding/f-peck-legislacion-europea", "schema:about")


def test_resource_cells_name_who_supports_an_activity(sparql):
    # Anexo IV.2 P11 R1 A1 (lines 1848-1849): cooperation resources from the Donor Forum and UNEP; P10 R1 A1
    # (1841-1844): from companies; P4 A2 (1776-1781): consultants. They support; they are not responsible.
    assert _objects(sparql, "plan/mesoamerica/p11/r1/a1", "cps:supportedBy") == {"foro-cooperantes", "pnuma"}
    assert _objects(sparql, "plan/mesoamerica/p11/r1/a1", "cps:responsible") == {"consejo-ministros-america-central"}
    assert _objects(sparql, "plan/mesoamerica/p10/r1/a1", "cps:supportedBy") == {"sector-empresarial"}
    assert _objects(sparql, "plan/mesoamerica/p4/a2", "cps:supportedBy") == {"consultores"}


def test_the_period_of_the_plan_within_the_par(sparql):
    # §55 (line 164): the plan's activities go into the PAR ILAC for 2008/2009 and after
    rows = sparql("""SELECT ?f WHERE { ?f a cps:Finding ; schema:about
        <https://w3id.org/cps-lac/id/initiative/plan-accion-regional-cps> , <https://w3id.org/cps-lac/id/initiative/par-ilac> ;
        rdfs:label ?l FILTER(CONTAINS(STR(?l), "2008/2009")) }""")
    assert {short(r["f"]) for r in rows} == {"f-plan-regional-en-par-2008-2009"}


def test_the_mechanisms_of_the_marrakech_process_with_their_passage(sparql):
    # §29 (line 98): for defining the framework of action, the expert meetings, the round tables and the SCP
    # policies and strategies; for implementation, the task forces, the dialogue rounds with cooperation
    # agencies, the NGO Forum and the Business Forum. §28c (95) already names the task forces and the
    # cooperation dialogue as the main implementation mechanisms.
    def mechanisms(prop: str) -> dict[str, set[str]]:
        rows = sparql(f"""SELECT ?m ?loc WHERE {{ <{ID}initiative/proceso-marrakech> {prop} ?m .
            ?st rdf:subject <{ID}initiative/proceso-marrakech> ; rdf:predicate {prop} ; rdf:object ?m ;
                prov:wasDerivedFrom/{LOCATOR} ?loc }}""")
        got: dict[str, set[str]] = {}
        for r in rows:
            got.setdefault(short(r["m"]), set()).add(str(r["loc"]))
        return got

    assert mechanisms("cps:frameworkMechanism") == {
        "reunion-internacional-marrakech": {"§29"}, "mesa-dialogo": {"§29"}, "politicas-estrategias": {"§29"}}
    assert mechanisms("cps:implementationMechanism") == {
        "grupos-trabajo-marrakech": {"§28c", "§29"}, "dialogo-cooperacion-agencias": {"§28c", "§29"},
        "foro-ong": {"§29"}, "foro-empresarial": {"§29"}}
    # §29 also: the three earlier meetings were held and belong to the process; its conclusion is the 10YFP
    # presented to the CSD's 2010-2011 session
    for meeting in ("reunion-marrakech-2003", "reunion-costa-rica-2005", "reunion-estocolmo-2007"):
        rows = sparql(f"""SELECT ?loc WHERE {{ ?st rdf:subject <{ID}event/{meeting}> ; rdf:predicate dcterms:isPartOf ;
            rdf:object <{ID}initiative/proceso-marrakech> ; prov:wasDerivedFrom/{LOCATOR} ?loc }}""")
        assert "§29" in {str(r["loc"]) for r in rows}, meeting
    rows = sparql(f"""SELECT ?loc WHERE {{ ?st rdf:subject <{ID}initiative/10yfp> ; rdf:predicate cps:submittedTo ;
        rdf:object <{ID}event/csd-2010-2011> ; prov:wasDerivedFrom/{LOCATOR} ?loc }}""")
    assert "§29" in {str(r["loc"]) for r in rows}


def test_facts_that_notes_held_are_triples(sparql):
    # §30 (line 99): Germany supports Africa's SCP action plan through the creation of a task force for the region
    assert _objects(sparql, "initiative/plan-accion-cps-africa", "cps:supportedBy") == {"gobierno-de", "tf-africa"}
    # Anexo V q6 (lines 2974-2981): the question asks for the initiatives coordinated by industry and business
    for ident in ("indicadores-gestion-ambiental-empresarial", "bolsa-nacional-desechos",
                  "premiacion-produccion-mas-limpia", "acuerdos-globales-empresas-sindicatos"):
        assert _objects(sparql, f"initiative/{ident}", "cps:responsible") == {"sector-empresarial"}, ident
    # Anexo III #29 (line 861): CETESB's name in Portuguese
    alt = {str(r["a"]) for r in sparql(f"SELECT ?a WHERE {{ <{ID}organization/cetesb> skos:altLabel ?a }}")}
    assert "Companhia de Technologia de Saneamento Ambiental" in alt


def test_ngos_named_as_a_sector_are_the_sector_not_the_ngo_working_group(sparql):
    # §60c (line 188), §16d (41), Anexo II (465), §23 (81), §71a-b (285-287), nota 6 (3068) name NGOs beside
    # business, academia or trade unions: the sector, not working group 5
    for subject, prop in (("agreement/ca-c", "schema:mentions"), ("objective/obj-d", "schema:mentions"),
                          ("session/d2-plenaria-1", "schema:about"), ("finding/f-sanchez-participacion-actores", "schema:about"),
                          ("finding/c-primera-participacion-actores", "schema:about"),
                          ("finding/c-dialogo-intersectorial", "schema:about"), ("passage/nota-6", "schema:mentions")):
        targets = {str(r["o"]) for r in sparql(f"SELECT ?o WHERE {{ <{ID}{subject}> {prop} ?o }}")}
        assert f"{ID}sector/ong" in targets and f"{ID}working-group/ong" not in targets, subject


def test_an_id_that_two_kinds_define_must_say_which(data_copy, tmp_path, build_from):
    # 'ong' is a sector, an actor type, a working group and a plan: a cell that may name several of them says which
    path = data_copy / "statements" / "relations-links.csv"
    text = path.read_text(encoding="utf-8")
    assert "ca-c,mentions,sector/ong," in text
    path.write_text(text.replace("ca-c,mentions,sector/ong,", "ca-c,mentions,ong,", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_from(data_copy, tmp_path / "out")
    assert "statements/relations-links.csv:" in str(caught.value)
    assert "'ong' is an id of" in str(caught.value) and "sector/ong" in str(caught.value)


@pytest.mark.parametrize("part, actors", [
    ("plan/caribe/partnerships-c", {"gobiernos", "sector-empresarial"}),   # Anexo IV.1 B.c (line 1621)
    ("plan/caribe/partnerships-d", {"puntos-focales"}),                     # B.d (1624): all SCP focal points
    ("plan/caribe/o-corto-plazo-1", {"puntos-focales"}),                    # O.corto.1 (1637)
    ("plan/cono-sur/p8/r2", {"sector-empresarial"}),                        # Anexo IV.4 P8 R2: companies report
    ("plan/empresas/p1/a1/i1", {"puntos-focales"}),                          # Anexo IV.6 P1 A1 I1 (2764)
    ("plan/empresas/p9/a1/i1", {"asociaciones-industriales", "sindicatos"}),  # P9 A1 I1 (2844)
    ("plan/mesoamerica/p4", {"mipymes"}),                                    # Anexo IV.2 P4: MSMEs
    ("plan/ong/background-1", {"ong"}),                                     # Anexo IV.5 ant.a: NGOs
    ("plan/ong/background-2", {"onu", "gobiernos"}),                        # ant.b
])
def test_plan_parts_link_the_actors_their_text_names(sparql, part, actors):
    assert actors <= _objects(sparql, part, "schema:mentions")


def test_the_meetings_before_this_one_are_ordered_in_time(sparql):
    # §58 (line 169): the XIV Forum (Panamá, November 2005); §53 (151): the XV Forum's decisions the plans start
    # from; §13, §22, §29, §45, §59, §65: the earlier Marrakech, Council, round-table and MERCOSUR meetings
    rows = sparql(f"SELECT ?m WHERE {{ ?m time:before+ <{ID}event/cuarta-reunion-consejo> }}")
    assert {short(r["m"]) for r in rows} >= {
        "foro-ministros-xiv", "foro-ministros-xv", "primera-reunion-consejo", "reunion-consejo-nicaragua",
        "reunion-marrakech-2003", "reunion-costa-rica-2005", "reunion-estocolmo-2007", "mesa-dialogo-sao-paulo-2007",
        "reunion-extraordinaria-mercosur-2007"}
    later = {short(r["m"]) for r in sparql(f"SELECT ?m WHERE {{ <{ID}event/cuarta-reunion-consejo> time:before+ ?m }}")}
    assert {"quinta-reunion-consejo", "foro-ministros-xvi", "foro-ministros-xvii"} <= later


def test_objective_f_names_the_next_forum_the_xvi(sparql):
    # §16f (line 45): the report is for "la próxima reunión del Foro de Ministros"; Anexo II (381) names it the XVI
    assert _objects(sparql, "objective/obj-f", "schema:mentions") == {"foro-ministros-xvi"}
    rows = sparql(f"""SELECT ?loc WHERE {{ ?st rdf:subject <{ID}objective/obj-f> ; rdf:predicate schema:mentions ;
        rdf:object <{ID}event/foro-ministros-xvi> ; prov:wasDerivedFrom/{LOCATOR} ?loc }}""")
    assert {str(r["loc"]) for r in rows} == {"§16f", "Anexo II"}


def test_what_the_panel_1_speakers_said_of_the_task_forces(sparql):
    # §35 (line 104): the objective of the Sustainable Lifestyles task force; §36 (105): its expected results;
    # §34 (103): the SPP task force's 2010 goal
    rows = sparql("""SELECT ?f ?p WHERE { ?f a cps:Finding ; cps:statedIn ?p ; schema:about
        <https://w3id.org/cps-lac/id/task-force/tf-estilos-vida-sustentables> }""")
    assert {short(r["f"]) for r in rows} >= {"f-estilos-vida-objetivo", "f-estilos-vida-resultados"}
    assert {short(r["p"]) for r in rows} == {"d1-panel-1-4"}
    assert "10yfp" in _objects(sparql, "finding/f-estilos-vida-objetivo", "schema:about")


def test_who_proposed_and_who_helped_draw_up_the_regional_plan(sparql):
    # §56 (line 165): a proposal of the Region's governments; NGOs, universities, companies and cleaner production
    # centres took part in drawing it up
    plan = "initiative/plan-accion-regional-cps"
    assert _objects(sparql, plan, "cps:proposedBy") == {"gobiernos"}
    assert _objects(sparql, plan, "dcterms:contributor") == {"ong", "academia", "sector-empresarial",
                                                              "centros-produccion-limpia"}
    # §4 (line 6) restates three of the meeting's objectives: the plans, the Council, the 10YFP
    rows = sparql(f"""SELECT ?o WHERE {{ ?st rdf:subject <{ID}event/cuarta-reunion-consejo> ; rdf:predicate cps:hasObjective ;
        rdf:object ?o ; prov:wasDerivedFrom/{LOCATOR} "§4" }}""")
    assert {short(r["o"]) for r in rows} == {"obj-b", "obj-c", "obj-e"}


def test_the_unep_programmes_the_southern_cone_names(sparql):
    # Anexo V q7 (lines 2993, 2995): 'Programa PNUMA de Ciudadanía Ambiental Global', 'Jóvenes por el cambio PNUMA'
    for ident in ("ciudadania-ambiental-global", "jovenes-por-el-cambio"):
        assert _objects(sparql, f"initiative/{ident}", "cps:responsible") == {"pnuma"}, ident


def test_which_groups_worked_in_each_group_session(sparql):
    # §9 (line 11): six groups in sessions 1 to 3 (one per subregion, one of NGOs, one of business); for session 4
    # the NGO and business groups joined the subregional ones (§66, line 214: four groups)
    six = {"caribe", "mesoamerica", "andina", "cono-sur", "ong", "empresas"}
    for session in ("d1-sesion-grupos-1", "d1-sesion-grupos-2", "d2-sesion-grupos-3"):
        assert _objects(sparql, f"session/{session}", "schema:attendee") == six, session
    assert _objects(sparql, "session/d2-sesion-grupos-4", "schema:attendee") == six - {"ong", "empresas"}
