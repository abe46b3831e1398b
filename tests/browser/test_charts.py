"""Charts (issue 15, item 3): each is drawn from one of our stored queries, carries the same rows as a table, and
links the query in /query; the map shades the countries of Latin America and the Caribbean by delegation size.
In-process (the rows against the graph) and in headless Chromium (the drawings, offline, under the CSP)."""

from __future__ import annotations

import json

import pytest
from browser_helpers import ID, Page, axe_violations, page_of

PARTICIPANTS = """PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?country (COUNT(DISTINCT ?entry) AS ?n) WHERE { ?entry a cps:Participation ; cps:country ?country }
GROUP BY ?country"""


def charts_of(page: Page) -> dict[str, dict]:
    return {attrs["id"]: attrs for tag, attrs in page.tags if tag == "figure" and "chart-figure" in attrs.get("class", "")}


def test_the_home_page_charts_come_with_their_data_and_query(client, public_graph):
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    assert {"chart-delegations-map", "chart-participants-by-country", "chart-participants-by-sector"} <= set(charts_of(page))
    specs = [json.loads(attrs["data-spec"]) for tag, attrs in page.tags if tag == "div" and "data-spec" in attrs]
    by_name = {spec["description"]: spec for spec in specs}
    counts = {str(row.country): int(row.n) for row in public_graph.query(PARTICIPANTS)}
    bars = by_name["Participants by country"]["data"]["values"]
    assert {b["label"]: b["value"] for b in bars}["Brazil"] == counts[ID + "country/BR"]
    assert sum(b["value"] for b in bars) == sum(counts.values())
    links = {a.get("href") for a in page.links}
    assert {"/query?example=participants-by-country", "/query?example=participants-by-sector"} <= links
    assert "The chart's data" in page.text and "Open its SPARQL query" in page.text
    # the map: every country the report places in a subregion, with its M49 code and its count (0: none)
    region = by_name["Size of the delegations of Latin America and the Caribbean"]["transform"][0]["from"]["data"]["values"]
    brazil = next(r for r in region if r["iri"] == ID + "country/BR")
    assert brazil["m49"] == "076" and brazil["value"] == counts[ID + "country/BR"]
    assert ID + "country/US" not in {r["iri"] for r in region}              # outside the region
    assert by_name["Size of the delegations of Latin America and the Caribbean"]["data"]["url"] == \
        "/assets/vendor/world-atlas/countries-50m.json"
    assert client.get("/assets/vendor/world-atlas/countries-50m.json").status_code == 200


def test_activities_by_horizon_stack_in_reading_order(client, public_graph):
    page = page_of(client.get("/", headers={"Accept-Language": "en"}))
    spec = next(json.loads(attrs["data-spec"]) for tag, attrs in page.tags if tag == "div" and "data-spec" in attrs
                and json.loads(attrs["data-spec"])["description"].startswith("Activities of the action plans"))
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"][-1] == "Not stated" and colour["range"][-1] == "#bab0ac"     # grey, last
    assert colour["domain"][:3] == ["Short term (2 years)", "Medium term (5 years)", "Long term (10 years)"]
    total = sum(int(row.n) for row in public_graph.query("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a cps:Activity }"""))
    assert sum(part["value"] for part in spec["data"]["values"]) == total
    assert "/query?example=activities-by-horizon" in {a.get("href") for a in page.links}


def specs_of(page: Page) -> dict[str, dict]:
    """Each chart of the page by its id: its Vega-Lite specification."""
    found = {}
    for tag, attrs in page.tags:
        if tag == "div" and "data-spec" in attrs:
            found[attrs["aria-labelledby"][len("chart-"):-len("-title")]] = json.loads(attrs["data-spec"])
    return found


def words_of(spec) -> list[str]:
    """Every interface word of a specification a reader sees or hears: titles, descriptions, role names,
    tooltip titles (data values aside)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "description", "ariaRoleDescription") and isinstance(value, str):
                found.append(value)
            elif key != "data":
                found += words_of(value)
    elif isinstance(spec, list):
        for item in spec:
            found += words_of(item)
    return found


def test_the_charts_speak_the_pages_language(client):
    page = page_of(client.get("/?lang=es"))
    assert "Participantes por país" in page.text and "Los datos del gráfico" in page.text
    assert "Brasil" in page.text


CHART_PAGES = {"/": ["delegations-map", "participants-by-country", "participants-by-sector", "activities-by-horizon",
                     "priorities-by-theme", "steering-committee"],
               "/agenda": ["agenda-1", "agenda-2"], "/priorities": ["priorities-by-theme"],
               "/page/country/BR": ["delegation-by-sector"],
               "/page/subregion/caribe": ["delegations-of-subregion", "plan-activities-by-horizon"],
               "/page/plan/andina": ["plan-outline", "plan-activities-by-horizon"],
               "/page/organization/comite-directivo": ["steering-committee"],
               "/page/event/cuarta-reunion-consejo": ["agenda-1", "agenda-2", "steering-committee"]}


@pytest.mark.parametrize("path", sorted(CHART_PAGES))
def test_every_word_of_a_chart_is_in_the_pages_language(client, path):
    """Item 5 of issue 15: titles, axis and legend titles and descriptions, tooltips, every mark's description
    and role: Spanish on Spanish pages, English on English pages (each word differs between the two)."""
    spanish = specs_of(page_of(client.get(path, headers={"Accept-Language": "es"})))
    english = specs_of(page_of(client.get(path, headers={"Accept-Language": "en"})))
    assert sorted(spanish) == sorted(english) == sorted(CHART_PAGES[path])
    for name, spec in spanish.items():
        es, en = words_of(spec), words_of(english[name])
        assert len(es) == len(en) > 4
        same = [(a, b) for a, b in zip(es, en) if a == b]
        assert same == [], (name, same)
        assert any(w.startswith(("Eje ", "Leyenda")) for w in es) and any(w.startswith(("Horizontal axis", "Legend")) for w in en)
        assert "barra" in es or "casilla" in es or "país" in es
        # each mark says what it is in words of the page's language (Vega's default names its fields in English)
        values = spec["data"].get("values") or spec["transform"][0]["from"]["data"]["values"]
        assert all("aria" in v for v in values)
        assert spec.get("encoding", {}).get("description") == {"field": "aria"} or \
            all(layer["encoding"].get("description", {"field": "aria"}) == {"field": "aria"} for layer in spec["layer"]
                if layer["mark"].get("aria") is not False)


def test_the_agenda_is_two_timelines_of_the_sessions_the_agenda_times(client, public_graph):
    page = page_of(client.get("/agenda", headers={"Accept-Language": "en"}))
    specs = specs_of(page)
    timed = {str(row.s): (str(row.start), str(row.end) if row.end else None) for row in public_graph.query(
        """PREFIX cps: <https://w3id.org/cps-lac/ontology#> PREFIX schema: <http://schema.org/>
        SELECT ?s ?start ?end WHERE { ?m schema:subEvent ?s . ?s a cps:Session ; schema:startDate ?start
        OPTIONAL { ?s schema:endDate ?end } }""")}
    days = {start[:10] for start, _ in timed.values()}
    assert len(days) == 2
    drawn = [v for name in ("agenda-1", "agenda-2") for v in specs[name]["data"]["values"]]
    assert len(drawn) == len(timed)
    assert sorted((v["start"], v["end"]) for v in drawn) == sorted((s[:19], e[:19] if e else None) for s, e in timed.values())
    assert "Thursday, October 18, 2007" in page.text and "Friday, October 19, 2007" in page.text
    dinner = next(v for v in drawn if v["label"] == "Dinner")
    assert dinner["end"] is None and dinner["to"] == "Not stated"          # drawn as a mark at its start
    assert "/query?example=sessions-by-time" in {a.get("href") for a in page.links}


def test_the_steering_committee_before_and_after(client):
    spec = specs_of(page_of(client.get("/page/organization/comite-directivo", headers={"Accept-Language": "en"})))["steering-committee"]
    seats = {(v["term"], v["country"]): v["status"] for v in spec["data"]["values"]}
    assert seats == {("Before", "Peru"): "Left", ("After", "Ecuador"): "Joined",
                     ("Before", "Trinidad and Tobago"): "Stayed on",
                     ("After", "Trinidad and Tobago *"): "Stayed on",   # ad referendum (§60a.i)
                     ("Before", "Argentina"): "Left", ("After", "Brazil"): "Joined",
                     ("Before", "Nicaragua"): "Left", ("After", "Panama"): "Joined",
                     ("After", "Dominican Republic"): "Joined"}
    roles = {(v["term"], v["country"]): v["role"] for v in spec["data"]["values"]}
    assert roles[("After", "Panama")] == "Full member" and roles[("After", "Dominican Republic")] == "Alternate"
    # §59: the seats elected in Nicaragua are the subregions' coordinators; no seat goes without its role
    assert {role for (term, _), role in roles.items() if term == "Before"} == {"Subregional coordinator"}
    assert "—" not in roles.values()


def test_priorities_theme_by_subregion(client, public_graph):
    page = page_of(client.get("/priorities", headers={"Accept-Language": "en"}))
    cells = specs_of(page)["priorities-by-theme"]["data"]["values"]
    expected = {(str(r.t), str(r.s)): int(r.n) for r in public_graph.query(
        """PREFIX cps: <https://w3id.org/cps-lac/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?t ?s (COUNT(DISTINCT ?p) AS ?n) WHERE { ?plan a cps:ActionPlan ; cps:subregion ?sr ; dcterms:hasPart ?p .
        ?p a cps:Priority ; dcterms:subject ?theme . ?theme rdfs:label ?t . ?sr rdfs:label ?s
        FILTER(LANG(?t) = "en" && LANG(?s) = "en") } GROUP BY ?t ?s""")}
    assert {(c["theme"], c["column"]): c["value"] for c in cells} == expected
    assert expected[("Water", "Caribbean subregion")] == 1


def test_a_countrys_subregions_and_plans_charts_answer_for_that_page(client, public_graph):
    page = page_of(client.get("/page/country/BR", headers={"Accept-Language": "en"}))
    bars = specs_of(page)["delegation-by-sector"]["data"]["values"]
    brazil = sum(int(r.n) for r in public_graph.query(PARTICIPANTS) if str(r.country) == ID + "country/BR")
    assert sum(b["value"] for b in bars) == brazil
    assert "/query?example=delegation-by-sector&country=BR" in {a.get("href") for a in page.links}
    assert "The delegation of Brazil by kind of organization" in page.text

    caribbean = specs_of(page_of(client.get("/page/subregion/caribe", headers={"Accept-Language": "en"})))
    countries = {b["label"]: b["value"] for b in caribbean["delegations-of-subregion"]["data"]["values"]}
    assert countries["Bahamas"] == 0 and countries["Barbados"] == 2 and "Brazil" not in countries
    horizons = {b["label"]: b["value"] for b in caribbean["plan-activities-by-horizon"]["data"]["values"]}
    assert horizons == {"Short term (2 years)": 7, "Medium term (5 years)": 5, "Long term (10 years)": 3}

    andean = specs_of(page_of(client.get("/page/plan/andina", headers={"Accept-Language": "en"})))["plan-outline"]
    activities = sum(v["value"] for v in andean["data"]["values"] if v["series"] == "Activities")
    assert activities == sum(int(r.n) for r in public_graph.query(
        """PREFIX cps: <https://w3id.org/cps-lac/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { <https://w3id.org/cps-lac/id/plan/andina> dcterms:hasPart ?p .
        ?p a cps:Priority ; dcterms:hasPart+ ?a . ?a a cps:Activity }"""))


def test_a_charts_link_opens_its_query_with_the_pages_value_bound(client):
    page = page_of(client.get("/query?example=delegation-by-sector&country=BR"))
    opened = next(attrs for tag, attrs in page.tags if tag == "div" and attrs.get("id") == "yasgui")
    assert "<https://w3id.org/cps-lac/id/country/BR>" in opened["data-open-text"] and "VALUES" in opened["data-open-text"]
    refused = page_of(client.get("/query?example=delegation-by-sector&country=BR%3E%20%7D%20DROP%20ALL%20%7B"))
    assert next(attrs for tag, attrs in refused.tags if tag == "div" and attrs.get("id") == "yasgui")["data-open-text"] == ""


@pytest.mark.slow
@pytest.mark.parametrize("browser_page", ["en", "es"], indirect=True)
def test_the_charts_are_drawn_offline(browser_page):
    page = browser_page
    page.goto(page.base + "/")
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn]').length === 6")
    assert page.locator(".chart[data-error]").count() == 0
    bars = page.locator("#chart-participants-by-country svg .mark-rect path").count()
    assert bars == page.locator("#chart-participants-by-country table tbody tr").count() > 20
    shapes = page.locator("#chart-delegations-map svg .mark-shape path").count()
    assert shapes == page.locator("#chart-delegations-map table tbody tr").count() > 20
    assert axe_violations(page) == []


def drawn(page) -> dict:
    """Wait until every chart of the page is drawn; what each drew."""
    page.wait_for_function("document.querySelectorAll('.chart[data-spec]').length === "
                           "document.querySelectorAll('.chart[data-drawn], .chart[data-error]').length")
    assert page.locator(".chart[data-error]").count() == 0
    return page.evaluate("""Object.fromEntries(Array.from(document.querySelectorAll('.chart')).map(box => [
        box.closest('figure').id, {marks: box.querySelectorAll('svg .role-mark path, svg .role-mark text').length,
                                    legend: box.querySelectorAll('svg .role-legend').length,
                                    svg: box.querySelector('svg').outerHTML,
                                    width: box.querySelector('svg').getBoundingClientRect().width,
                                    roles: Array.from(new Set(Array.from(box.querySelectorAll('[aria-roledescription]'))
                                                              .map(e => e.getAttribute('aria-roledescription'))))}]))""")


@pytest.mark.slow
@pytest.mark.parametrize("browser_page", ["es", "en"], indirect=True)
@pytest.mark.parametrize("path", sorted(set(CHART_PAGES) - {"/"}))
def test_each_chart_page_draws_its_charts_the_same_twice_in_the_readers_language(browser_page, path):
    page = browser_page
    page.goto(page.base + path)
    first = drawn(page)
    assert sorted(first) == sorted(f"chart-{name}" for name in CHART_PAGES[path])
    for name, chart in first.items():
        assert chart["marks"] > 0, name
        assert chart["legend"] >= (0 if "delegation" in name or name.endswith("horizon") else 1), name
    spanish = page.evaluate("document.documentElement.lang") == "es"
    english_roles = {"axis", "legend"} | {r for c in first.values() for r in c["roles"] if r.endswith("mark") or "mark container" in r}
    for name, chart in first.items():
        if spanish:
            assert not set(chart["roles"]) & english_roles, (name, chart["roles"])
            assert "eje" in chart["roles"] and "gráfico" in chart["roles"]
    page.reload()
    again = drawn(page)
    assert {n: c["svg"] for n, c in again.items()} == {n: c["svg"] for n, c in first.items()}   # deterministic
    assert axe_violations(page) == []


@pytest.mark.slow
def test_a_charts_table_and_query_link_by_keyboard(browser_page):
    page = browser_page
    page.goto(page.base + "/page/country/BR")
    drawn(page)
    summary = page.locator("#chart-delegation-by-sector summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#chart-delegation-by-sector details").get_attribute("open") is not None
    rows = page.locator("#chart-delegation-by-sector table tbody tr").count()
    assert rows == page.locator("#chart-delegation-by-sector svg .role-mark path").count() > 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    link = page.locator("#chart-delegation-by-sector .chart-links a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/query?example=delegation-by-sector&country=BR")
    page.wait_for_selector("#yasgui[data-ready]")
    assert "country/BR>" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


@pytest.mark.slow
def test_the_charts_fit_a_phone(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for path in ("/agenda", "/page/organization/comite-directivo", "/priorities", "/page/plan/andina"):
            page.goto(page.base + path)
            for name, chart in drawn(page).items():
                assert 0 < chart["width"] <= 390, (path, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
