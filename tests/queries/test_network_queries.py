"""Who works with whom, against the report. Expected values are read off the report (locators in comments)."""

from __future__ import annotations


def test_shared_organizations_of_luiz_fernando_krieger_merico(run):
    rows = run("shared-organizations")  # default: Luiz Fernando Krieger Merico (Anexo III #20)
    by_org: dict[str, set[str]] = {}
    for row in rows:
        by_org.setdefault(row["organization"], set()).add(row["colleague"])
    # Anexo III #20-28 all give the Ministry of Environment (Esplanada dos Ministerios, Bloco B), lines 766-854
    assert by_org["organization/br-ministerio-medio-ambiente"] == {
        "person/julio-baena", "person/sergia-oliveira", "person/jose-araujo", "person/shigeo-shiki",
        "person/paula-galvani", "person/alexandre-silva", "person/vandre-monteiro", "person/fernanda-altoe"}
    # Anexo I, line 323: the Drafting Committee's other four members
    assert by_org["organization/comite-redactor"] == {
        "person/carmen-terry", "person/luciano-ramirez", "person/irma-suarez", "person/victoria-belaustegui"}
    assert set(by_org) == {"organization/br-ministerio-medio-ambiente", "organization/comite-redactor"}


def test_working_group_peers_of_irma_suarez(run):
    rows = run("working-group-peers")  # default: Irma Suárez (Anexo III #17)
    # Anexo III "Grupo 3: Comunidad Andina de Naciones": #16 César Augusto Buirago Gomez (Colombia) and #56
    # Romy Calderon (ALIDE, Perú)
    assert {(row["peer"], row["country_en"]) for row in rows} == {
        ("person/cesar-augusto-buitrago", "Colombia"), ("person/romy-calderon", "Peru")}


def test_co_presenters(run):
    pairs = {frozenset((row["first"], row["second"])) for row in run("co-presenters")}
    # §37: Elisa Tonda presented "conjuntamente con" César Barahona; Anexo II panel 3 and §45: Giselle Beja
    # and Graciela Rossi for MERCOSUR; Anexo II panel 5 and §62: Adriana Zacarías and Mohan Peck. Chris Browne
    # and Graciela Scavone share one agenda line but presented separate task forces (§33, §35).
    assert pairs == {frozenset(("person/elisa-tonda", "person/cesar-barahona")),
                     frozenset(("person/giselle-beja", "person/graciela-rossi")),
                     frozenset(("person/adriana-zacarias", "person/mohan-peck"))}


def test_drafting_committee(run):
    rows = {row["person"]: (row.get("country_en"), row["represents"]) for row in run("drafting-committee")}
    # Anexo I, line 323: Carmen Terry (Cuba) for the Caribbean, Luciano Ramírez (Panamá) for Mesoamerica,
    # Irma Suárez (Ecuador) for the Andean Community, Luiz Fernando Krieger Merico for the Southern Cone,
    # Victoria Beláustegui for the UNEP Secretariat
    assert rows == {
        "person/carmen-terry": ("Cuba", "subregion/caribe"),
        "person/luciano-ramirez": ("Panama", "subregion/mesoamerica"),
        "person/irma-suarez": ("Ecuador", "organization/can"),
        "person/luiz-fernando-krieger-merico": ("Brazil", "subregion/cono-sur"),
        "person/victoria-belaustegui": (None, "organization/pnuma"),
    }


def test_who_shares_responsibility_with_unep(run):
    partners = {row["partner"]: row for row in run("co-responsible-actors")}  # default: UNEP (PNUMA)
    # Anexo IV.3, line 1882: "Ministerios de Ambiente, Entidades de Gobierno, Sector Empresarial, ONG,
    # Comunidad en General, PNUMA"; Anexo IV.2, line 1778: "PNUMA, IHOBE, Gobiernos, Punto Focal";
    # line 1750: "PNUMA, Consejo Regional de Expertos de Gobierno en CPS"
    for partner in ("actor-type/ministerios-ambiente", "actor-type/entidades-gobierno",
                    "actor-type/sector-empresarial", "actor-type/ong", "actor-type/comunidad",
                    "organization/ihobe", "actor-type/gobiernos", "actor-type/puntos-focales",
                    "organization/consejo-expertos"):
        assert partner in partners
    assert "organization/pnuma" not in partners
    # the Andean ministries of environment appear with UNEP in every Andean responsible cell (lines 1882-2492)
    assert partners["actor-type/ministerios-ambiente"]["plans"] == 1
    # focal points share UNEP's activities in Mesoamerica (line 1740) and in the business plan (line 2783)
    assert partners["actor-type/puntos-focales"]["plans"] == 2


def test_path_from_graciela_scavone_to_carmen_terry(run):
    rows = run("path-between-actors")  # defaults: Graciela Scavone -> Carmen Terry
    # No direct tie: Scavone sat in group 4 (Anexo III #18), Terry in group 2 (#9); neither presented
    # (Anexo II). Luiz Fernando Krieger Merico sat in group 4 (#20) and on the Drafting Committee with Terry
    # (Anexo I, line 323).
    assert {row["hops"] for row in rows} == {2}
    assert {(row["hub1"], row["mid"], row["hub2"]) for row in rows} == {
        ("working-group/cono-sur", "person/luiz-fernando-krieger-merico", "organization/comite-redactor")}


def test_path_between_co_presenters_is_one_hop(run):
    rows = run("path-between-actors", **{"from": "person/giselle-beja", "to": "person/graciela-rossi"})
    # Anexo II panel 3: one presentation by both; Anexo III #36, #37: both in group 4, both in SGT 6
    direct = {row["hub1"] for row in rows if row["hops"] == 1}
    assert {"presentation/d1-panel-3-3", "working-group/cono-sur"} <= direct


def test_organizations_across_working_groups(run):
    rows = {row["organization"]: row["group_numbers"] for row in run("organizations-across-working-groups")}
    # CETESB: Flavio de Miranda Ribeiro in group 4 (#29, line 861) and its President Fernando Rei in group 6
    # (#71, line 1381); with the Secretaria de Estado do Meio Ambiente (#30, #31, group 4) both belong to the
    # State of São Paulo (§19, §33)
    assert set(rows) == {"organization/cetesb", "organization/gobierno-estado-sao-paulo"}
    assert set(rows["organization/cetesb"].split(", ")) == {"4", "6"}
