"""What the report states in prose, as data (issue 13): the Council's history and calendar, the order of
meetings, the cleaner-production network, findings and figures, footnotes, considerations, links.

Every expected value below was read off the report (the locator says where), never off the graph.
"""

from __future__ import annotations

from graph_helpers import short


def _objects(sparql, subject: str, prop: str) -> set[str]:
    return {short(r["o"]) for r in sparql(f"SELECT ?o WHERE {{ <https://w3id.org/cps-lac/id/{subject}> {prop} ?o }}")}


def test_council_conceived_in_buenos_aires_and_approved_by_the_xiv_forum(sparql):
    # §58 (line 169): conceived at the Primera Reunión de Buenos Aires (2003), then approved by the XIV Forum
    # of Ministers (Panamá, 20-25 November 2005).
    rows = sparql("""SELECT ?conceived ?cstart ?approved ?astart ?aend WHERE {
        <https://w3id.org/cps-lac/id/organization/consejo-expertos> cps:conceivedAt ?conceived ;
            cps:approvedAt ?approved .
        ?conceived schema:startDate ?cstart . ?approved schema:startDate ?astart ; schema:endDate ?aend }""")
    assert [(short(r["conceived"]), str(r["cstart"]), short(r["approved"]), str(r["astart"]), str(r["aend"]))
            for r in rows] == [("primera-reunion-consejo", "2003", "foro-ministros-xiv", "2005-11-20", "2005-11-25")]


def test_council_series_last_and_next_meeting(sparql):
    # §59 (line 170): the last Council meeting was in Nicaragua; the next one is planned for 2009; §60d
    # (line 190): the V meeting is to be held before the XVII Forum of Ministers.
    assert _objects(sparql, "event/cuarta-reunion-consejo", "cps:previousMeeting") == {"reunion-consejo-nicaragua"}
    assert _objects(sparql, "event/cuarta-reunion-consejo", "cps:nextMeeting") == {"quinta-reunion-consejo"}
    assert "foro-ministros-xvii" in _objects(sparql, "event/quinta-reunion-consejo", "time:before")
    assert "cuarta-reunion-consejo" in _objects(sparql, "event/quinta-reunion-consejo", "time:after")
    meetings = {short(r["m"]) for r in sparql(
        "SELECT ?m WHERE { ?m cps:meetingOf <https://w3id.org/cps-lac/id/organization/consejo-expertos> }")}
    assert meetings == {"primera-reunion-consejo", "reunion-consejo-nicaragua", "cuarta-reunion-consejo",
                        "quinta-reunion-consejo"}


def test_forum_meetings_follow_their_numbers(sparql):
    # §58 XIV, §53 XV, §3 XVI, §60d XVII: each Forum meeting's next one is the next number.
    rows = sparql("""SELECT ?a ?b WHERE { ?a cps:nextMeeting ?b ;
        cps:meetingOf <https://w3id.org/cps-lac/id/organization/foro-ministros> }""")
    assert {(short(r["a"]), short(r["b"])) for r in rows} == {
        ("foro-ministros-xiv", "foro-ministros-xv"), ("foro-ministros-xv", "foro-ministros-xvi"),
        ("foro-ministros-xvi", "foro-ministros-xvii")}


def test_every_stated_order_agrees_with_the_ordinals(sparql):
    rows = sparql("""SELECT ?a ?b ?x ?y WHERE {
        ?a time:before ?b ; (cps:ordinal|schema:position) ?x ; cps:meetingOf ?body .
        ?b (cps:ordinal|schema:position) ?y ; cps:meetingOf ?body }""")
    assert rows and all(r["x"] < r["y"] for r in rows)


def test_planned_and_possible_meetings(sparql):
    # §3, §59, §60d, §13: the XVI and XVII Forums, the V Council meeting and the CSD 2010-2011 are planned;
    # §65: a round table in Uruguay is only a possibility.
    rows = sparql("SELECT ?m ?s WHERE { ?m schema:eventStatus ?s }")
    by_status: dict[str, set[str]] = {}
    for r in rows:
        by_status.setdefault(short(r["s"]), set()).add(short(r["m"]))
    assert by_status["prevista"] == {"foro-ministros-xvi", "foro-ministros-xvii", "quinta-reunion-consejo",
                                     "csd-2010-2011"}
    assert by_status["posible"] == {"mesa-dialogo-uruguay"}
    assert {"cuarta-reunion-consejo", "reunion-consejo-nicaragua", "foro-ministros-xiv"} <= by_status["realizada"]


def test_cleaner_production_network_countries_centres_and_support(sparql):
    # §37 (line 108): 12 centres in Bolivia, Brasil, Colombia, Costa Rica, Cuba, Ecuador, El Salvador,
    # Guatemala, Honduras, México, Nicaragua and Perú, supported by UNIDO; §17 (lines 55-56): the 5 national
    # centres at the meeting (Anexo III #58-62) are members of the network.
    net = "organization/red-centros-pml"
    assert _objects(sparql, net, "cps:memberCountry") == {"BO", "BR", "CO", "CR", "CU", "EC", "SV", "GT", "HN",
                                                          "MX", "NI", "PE"}
    assert _objects(sparql, net, "org:hasMember") == {
        "senai", "co-centro-nacional-produccion-mas-limpia", "cr-centro-nacional-produccion-mas-limpia",
        "gt-centro-produccion-mas-limpia", "cpml-nicaragua"}
    assert _objects(sparql, net, "cps:supportedBy") == {"onudi"}
    figure = sparql("""SELECT ?v WHERE { <https://w3id.org/cps-lac/id/finding/f-red-12-centros> schema:value ?v ;
        schema:about ?n }""")
    assert {int(r["v"]) for r in figure} == {12}


def test_member_countries_of_mercosur_and_the_andean_community(sparql):
    # §45/§52: MERCOSUR's members Argentina, Brasil, Paraguay, Uruguay; Chile an associate (§52, line 145);
    # §46 (line 120): the CAN's Member Countries Colombia, Ecuador and Perú.
    assert _objects(sparql, "organization/mercosur", "cps:memberCountry") == {"AR", "BR", "PY", "UY"}
    assert _objects(sparql, "organization/mercosur", "cps:associateMemberCountry") == {"CL"}
    assert _objects(sparql, "organization/can", "cps:memberCountry") == {"CO", "EC", "PE"}
    assert _objects(sparql, "initiative/mercosur-politica-cps", "cps:signedBy") == {
        "gobierno-ar", "gobierno-br", "gobierno-py", "gobierno-uy"}


def test_conclusions_and_their_figures(sparql):
    # §71b (lines 286-287): the governments' participation was 70%; §72: five common areas;
    # §71c: each of the four subregions approved its plan.
    rows = sparql("""SELECT ?c ?p ?v ?u WHERE { ?c a cps:Conclusion ; schema:position ?p .
        OPTIONAL { ?c schema:value ?v ; schema:unitText ?u } }""")
    assert sorted(r["p"] for r in rows) == list(range(1, 11))
    figures = {short(r["c"]): (int(r["v"]), str(r["u"])) for r in rows if r["v"] is not None}
    assert figures["c-participacion-gobiernos"] == (70, "%")
    assert figures["c-areas-prioritarias-comunes"] == (5, "áreas")
    assert figures["c-planes-subregionales"] == (4, "planes")
    about = _objects(sparql, "finding/c-areas-prioritarias-comunes", "schema:about")
    assert {"cp-a", "cp-b", "cp-c", "cp-d", "cp-e", "10yfp"} == about


def test_opening_speakers_and_panel_3_findings_have_their_speaker(sparql):
    # §20-26: Rei, Kos, Peck and Sánchez opened the meeting; §41-47: Beláustegui, Beja and Rossi, Suárez.
    rows = sparql("""SELECT ?f ?who ?pres WHERE { ?f a cps:Finding ; schema:author ?who ; cps:statedIn ?pres ;
        prov:wasDerivedFrom/bibo:locator ?loc . ?pres cps:presenter ?who .
        FILTER(?loc IN ("§20", "§21", "§22", "§23", "§24", "§25", "§26",
                        "§41", "§42", "§43", "§45", "§46", "§47")) }""")
    speakers = {short(r["who"]) for r in rows}
    assert speakers == {"fernando-rei", "marcelo-kos", "mohan-peck", "ricardo-sanchez-sosa", "victoria-belaustegui",
                        "giselle-beja", "graciela-rossi", "irma-suarez"}
    # §45 (line 119): the policy was signed by the presidents of the four member countries
    figure = sparql("""SELECT ?v WHERE {
        <https://w3id.org/cps-lac/id/finding/f-mercosur-politica-firmada> schema:value ?v }""")
    assert [int(r["v"]) for r in figure] == [4]


def test_every_presentation_says_what_it_presents(sparql):
    rows = sparql("""SELECT ?p WHERE { ?p a cps:Presentation FILTER NOT EXISTS { ?p schema:about ?x } }""")
    assert rows == []
    # §33-34 (lines 102-103): Christopher Browne presented the task forces in general and the SPP task force
    assert _objects(sparql, "presentation/d1-panel-1-3", "schema:about") == {"tf-compras-publicas-sustentables",
                                                                             "grupos-trabajo-marrakech"}


def test_footnotes_are_passages_with_their_markers(sparql, report):
    # notes at the end (lines 3053-3071): seven footnotes; markers after 'aceptación' (§38, line 109),
    # 'Grupos de Trabajo' (§48, line 124), Cuadro I (line 218), §69 (line 278), (*) and (**) in Anexo V.
    locator = "bibo:locator"
    rows = sparql(f"""SELECT ?loc ?start ?marked WHERE {{ ?f a cps:Footnote ; {locator} ?loc ; cps:lineStart ?start .
        OPTIONAL {{ ?f cps:markedIn/{locator} ?marked }} }}""")
    got = {str(r["loc"]): (r["start"], str(r["marked"]) if r["marked"] is not None else None) for r in rows}
    assert got == {"nota 1": (3053, "§38"), "nota 2": (3056, "§48"), "nota 3": (3059, "Cuadro I"),
                   "nota 4": (3062, None), "nota 5": (3065, "§69"), "nota 6": (3068, "Anexo V q7"),
                   "nota 7": (3071, "Anexo V q8")}
    for number, (start, _) in got.items():
        assert report.lines[start - 1].lstrip().startswith("("), number
    urls = {str(r["u"]) for r in sparql("SELECT ?u WHERE { ?f a cps:Footnote ; schema:url ?u }")}
    assert "http://www.unido.org/doc/64671" in urls


def test_recommendation_considerations_in_order(sparql, report):
    # Anexo I CONSIDERANDO (lines 327-335): seven considerations before the seven points.
    rows = sparql("""SELECT ?c ?p WHERE { ?c a cps:Consideration ; schema:position ?p ;
        dcterms:isPartOf <https://w3id.org/cps-lac/id/recommendation/anexo-i> }""")
    assert sorted(r["p"] for r in rows) == list(range(1, 8))
    assert _objects(sparql, "recommendation/anexo-i/consideration/7", "schema:mentions") >= {
        "cuarta-reunion-consejo", "gobierno-br", "pnuma-orpalc"}


def test_andean_programme_areas_in_two_groups(sparql):
    # §70 (line 280): Capacitación, Asistencia Técnica e Información in a first group (supply); Transferencia de
    # tecnología y Recursos Financieros in a second.
    rows = sparql("""SELECT ?g ?a WHERE { ?a dcterms:isPartOf ?g ;
        cps:proposedBy <https://w3id.org/cps-lac/id/working-group/andina> .
        ?g a cps:ProgrammeProposal }""")
    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(short(r["g"]), set()).add(short(r["a"]))
    assert groups == {"andina-programas-capacidades": {"andina-capacitacion", "andina-asistencia-tecnica",
                                                       "andina-informacion"},
                      "andina-programas-segundo-grupo": {"andina-transferencia-tecnologia",
                                                         "andina-recursos-financieros"}}


def test_agreements_and_activities_link_what_they_name(sparql):
    # §60d (line 190): the V meeting in 2009 before the XVII Forum; §60g (line 196): the Regional Information
    # Centre; Anexo IV.1 A.corto.6 (line 1661): support for a new task force on SMEs.
    assert _objects(sparql, "agreement/ca-d", "schema:mentions") == {"quinta-reunion-consejo", "foro-ministros-xvii"}
    assert _objects(sparql, "agreement/ca-g", "schema:mentions") == {"centro-regional-informacion-cps"}
    assert _objects(sparql, "plan/caribe/a-corto-plazo-6", "cps:supports") == {"tf-mipymes"}


def test_agenda_items_nested_under_their_session(sparql):
    # Anexo II lines 484-489: the Recommendation's approval and the closing belong to the 17:30 plenary.
    assert _objects(sparql, "session/d2-plenaria-3", "dcterms:hasPart") == {"d2-plenaria-3-recomendaciones",
                                                                          "d2-cierre"}
