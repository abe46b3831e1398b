"""Who an activity names, and in which capacity: responsible, supporter, beneficiary, addressee (issue 13,
items 6 and 9). Every expected value is read off the report (the locator and line say where)."""

from __future__ import annotations

import pytest

from graph_helpers import short

CAPACITY = {"responsible": "cps:responsible", "support": "cps:supportedBy", "beneficiary": "cps:beneficiary",
            "recipient": "schema:recipient"}


def _actors(sparql, locator: str, capacity: str) -> set[str]:
    rows = sparql(f"""SELECT ?actor WHERE {{
        ?activity a cps:Activity ; prov:wasDerivedFrom/bibo:locator "{locator}" ; {CAPACITY[capacity]} ?actor }}""")
    return {short(r["actor"]) for r in rows}


@pytest.mark.parametrize("locator,line,words,capacity,expected", [
    # "Apoyar a los gobiernos de Canadá y Brasil para el establecimiento de un nuevo Grupo de Trabajo en PyMES"
    ("Anexo IV.1 A.corto.6", 1661, "apoyar a los gobiernos de canadá y brasil", "beneficiary",
     {"gobierno-ca", "gobierno-br"}),
    ("Anexo IV.1 A.corto.6", 1661, "apoyar a los gobiernos", "responsible", set()),
    # "... a nivel subregional con el apoyo de PNUMA (basado en la aprobación del Foro del Ministros)"
    ("Anexo IV.1 A.corto.7", 1663, "con el apoyo de pnuma", "support", {"pnuma"}),
    ("Anexo IV.1 A.corto.7", 1663, "con el apoyo de pnuma", "responsible", set()),
    # "Pequeño Gabinete, aprobación del Punto Focal y comunicación al PNUMA"
    ("Anexo IV.1 A.corto.1", 1651, "comunicación al pnuma", "recipient", {"pnuma"}),
    # "... para remitir al Secretario General de CARICOM para luego ser presentado a COTED."
    ("Anexo IV.1 A.corto.2", 1653, "secretario general de caricom para luego ser presentado a coted", "recipient",
     {"caricom", "coted"}),
    # "Las ONG podrían apoyar ese proceso ... Otros grupos podrían también aportar sus experiencias, como, por
    # ejemplo, empresas, academia"
    ("Anexo IV.5 act.c", 2745, "las ong podrían apoyar ese proceso", "support",
     {"ong", "sector-empresarial", "academia"}),
    ("Anexo IV.5 act.c", 2745, "solicitar al pnuma", "responsible", {"pnuma"}),
    # "promover la capacitación y entrenamiento a MiPyMEs, grandes empresas y gobiernos locales"
    ("Anexo IV.5 act.e", 2750, "mipymes, grandes empresas y gobiernos locales", "beneficiary",
     {"mipymes", "grandes-empresas", "gobiernos-locales"}),
    # "Realizar capacitación dirigida al sector financiero"
    ("Anexo IV.6 P7 A1", 2831, "capacitación dirigida al sector financiero", "beneficiary", {"sector-financiero"}),
])
def test_capacity_as_the_report_states_it(sparql, report, locator, line, words, capacity, expected):
    assert words in report.lines[line - 1].lower()
    assert _actors(sparql, locator, capacity) == expected


@pytest.mark.parametrize("locator,line,words,expected", [
    # "Ministerios de Ambiente, Ministerios de Hacienda, Industria y Comercio, Sectores Productivos PNUMA"
    ("Anexo IV.3 P6 R1 A1", 2408, "ministerios de hacienda, industria y comercio, sectores productivos",
     {"ministerios-ambiente", "ministerios-hacienda", "ministerios-industria-comercio", "sectores-productivos",
      "pnuma"}),
    # "Ministerios de Ambiente, Ministerios de Industria y Comercio, Entidades Financieras, PNUMA"
    ("Anexo IV.3 P2 R4 A1", 2106, "ministerios de industria y comercio, entidades financieras",
     {"ministerios-ambiente", "ministerios-industria-comercio", "sector-financiero", "pnuma"}),
    # "Ministerios de Ambiente, Centro Nacional de PML, Sectores Productivos, PNUMA"
    ("Anexo IV.3 P2 R3 A1", 2043, "centro nacional de pml, sectores productivos",
     {"ministerios-ambiente", "centros-produccion-limpia", "sectores-productivos", "pnuma"}),
    ("Anexo IV.3 P7 R1 A1", 2492, "sectores productivos", {"ministerios-ambiente", "sectores-productivos", "pnuma"}),
    # "Punto Focal y mesas nacionales de CPS"
    ("Anexo IV.6 P4 A1", 2789, "mesas nacionales de cps", {"puntos-focales", "mesas-nacionales-cps"}),
    # "Punto Focal, PNUMA, consultores"
    ("Anexo IV.6 P5 A1", 2795, "consultores", {"puntos-focales", "pnuma", "consultores"}),
    # "Mesa Nacional de CPS, Punto Focal, PNUMA, Ministerios de Educación, Universidades"
    ("Anexo IV.6 P10 A1", 2851, "ministerios de educación",
     {"mesas-nacionales-cps", "puntos-focales", "pnuma", "ministerios-educacion", "academia"}),
    # "Centros de Producción mas Limpia, Centros de capacitación, de apoyo a PYMEs, de investigación, a través de
    # cadenas productivas, instituciones técnicas, asociaciones empresariales, ONG, Medios de comunicación"
    ("Anexo IV.6 P9 A1", 2845, "medios de comunicación",
     {"centros-produccion-limpia", "centros-capacitacion", "centros-apoyo-pymes", "academia",
      "instituciones-tecnicas", "asociaciones-industriales", "ong", "medios-comunicacion"}),
    # "Mesa Nacional de CPS, Instituciones financieras y de fomento, banca multilateral, bancos de desarrollo,
    # instituciones técnicas especializadas, cooperativa, organizaciones de micro-crédito"
    ("Anexo IV.6 P12 A1", 2885, "cooperativa",
     {"mesas-nacionales-cps", "sector-financiero", "instituciones-tecnicas", "cooperativas"}),
    # "Mesa Nacional de CPS, medios de comunicación"
    ("Anexo IV.6 P14 A1", 2901, "mesa nacional de cps, medios de comunicación",
     {"mesas-nacionales-cps", "medios-comunicacion"}),
    # "Universidades e instituciones educativas en la Región del Caribe colaboran ..."
    ("Anexo IV.1 A.largo.2", 1689, "universidades e instituciones educativas",
     {"academia", "instituciones-educativas"}),
])
def test_every_actor_the_responsible_cell_names_is_linked(sparql, report, locator, line, words, expected):
    assert words in report.lines[line - 1].lower()
    assert _actors(sparql, locator, "responsible") == expected


def test_every_actor_type_is_linked_to_something(sparql):
    # "who is responsible" undercounted because vocabulary actor types named in the plans were linked to
    # nothing: every actor type of data/vocab/actor_types.csv is the object of some relation now.
    rows = sparql("""SELECT ?type WHERE { ?type a cps:ActorType FILTER NOT EXISTS { ?s ?p ?type .
        FILTER(?p NOT IN (skos:topConceptOf, skos:inScheme, rdf:type)) } }""")
    assert [short(r["type"]) for r in rows] == []


def test_no_actor_is_both_responsible_and_supporter(sparql):
    rows = sparql("""SELECT ?a WHERE { ?a cps:responsible ?x .
        { ?a cps:supportedBy ?x } UNION { ?a cps:beneficiary ?x } }""")
    assert rows == []


def test_supporting_words_never_leave_a_responsible_actor(sparql):
    # An activity whose responsible cell reads only "con el apoyo de ..." names a supporter, not a responsible.
    rows = sparql("""SELECT ?a ?text WHERE { ?a cps:responsibleText ?text
        FILTER(STRSTARTS(LCASE(STR(?text)), "con el apoyo")) }""")
    assert rows == []
