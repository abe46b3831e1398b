"""The stored queries the charts draw (issue 15 item 3) that no other test file covers, against the report."""

from __future__ import annotations


def test_sessions_by_time_are_the_two_days_of_the_agenda(run):
    rows = run("sessions-by-time")
    # Anexo II: Thursday 18 and Friday 19 October 2007, the first day opening at 08:00
    assert sorted({row["day"] for row in rows}) == ["2007-10-18", "2007-10-19"]
    assert rows[0]["start"].startswith("2007-10-18T08:00")
    assert all(row["start"].startswith(row["day"]) for row in rows)
    assert [row["start"] for row in rows] == sorted(row["start"] for row in rows)
    # the dinner of the first day (20:00) has no end in the agenda
    dinner = next(row for row in rows if row["session"] == "session/d1-cena")
    assert dinner["start"].startswith("2007-10-18T20:00") and "end" not in dinner
    assert {row["kind"] for row in rows} >= {"session-kind/panel", "session-kind/pausa", "session-kind/plenaria"}


def test_priorities_by_theme_and_subregion(run):
    cells = {(row["theme"], row["subregion"]): row["priorities"] for row in run("priorities-by-theme-and-subregion")}
    # Anexo IV.1 (Caribbean), priority 2 "Land and water use planning": water and land-use planning
    assert cells[("theme/agua", "subregion/caribe")] == 1
    assert cells[("theme/ordenamiento-territorial", "subregion/caribe")] == 1
    # the subregions only: the NGO and business groups' plans have no subregion
    assert {s for _, s in cells} == {"subregion/caribe", "subregion/mesoamerica", "subregion/andina", "subregion/cono-sur"}
    # no cell counts more priority areas than the plan has (§52: the Southern Cone's 8, Mesoamerica's 11)
    assert max(n for (_, s), n in cells.items() if s == "subregion/cono-sur") <= 8


def test_delegation_by_sector_adds_up_to_the_delegation(run):
    for country in ("BR", "AR", "TT"):
        by_sector = run("delegation-by-sector", country=country)
        assert sum(row["entries"] for row in by_sector) == len(run("participants-from-country", country=country))
    assert run("delegation-by-sector", country="TT") == []   # countries.csv: Trinidad and Tobago sent nobody


def test_delegations_of_a_subregion_count_the_countries_without_one(run):
    rows = {row["country"]: row["entries"] for row in run("delegations-of-subregion", subregion="caribe")}
    # §49 places these countries in the Caribbean; Trinidad and Tobago holds its Steering Committee seat (§59)
    # and is not in the list of participants
    assert rows["country/TT"] == 0 and rows["country/BB"] == 2
    assert "country/BR" not in rows and all(key.startswith("country/") for key in rows)


def test_plan_activities_by_horizon_match_the_regional_count(run):
    regional = {}
    for row in run("activities-by-horizon"):
        regional.setdefault(row["plan"], {})[row.get("horizon")] = row["activities"]
    for plan, counts in regional.items():
        own = {row.get("horizon"): row["activities"] for row in run("plan-activities-by-horizon", plan=plan.split("/")[1])}
        assert own == counts, plan
    # Anexo IV.1: the Caribbean sets 7 activities for the short, 5 for the medium and 3 for the long term
    assert regional["plan/caribe"] == {"horizon/corto-plazo": 7, "horizon/mediano-plazo": 5, "horizon/largo-plazo": 3}
