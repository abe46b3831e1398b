"""Charts where a reader would rather look than read (decision 0021): each is a Vega-Lite specification built
here from the rows of one of our stored queries (queries/NAME.rq), drawn in the browser by vega-embed (served by
us, static/charts.js), with the same rows as a table beside it and a link that opens the query in /query.

    chart("participants-by-country")       {"id", "title", "query", "columns", "rows", "spec", "href"}

Templates call `chart(name)` (a template global); the result is cached per store and language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for

from ...namespaces import M49 as M49_NS
from .catalogue import text
from .pages import lang
from .site import site


M49 = str(M49_NS)   # countries.csv's m49 codes, as skos:exactMatch (world-atlas names its shapes by them)
PALETTE = "#0b4fb3"


@dataclass(frozen=True)
class Chart:
    name: str        # the chart's id
    query: str       # the stored query whose rows it draws
    category: str    # the variable naming each bar (an IRI: shown by its label)
    value: str       # the numeric variable
    kind: str = "bar"   # "bar", "stacked" (bars split by `series`) or "map" (LAC's countries shaded by `value`)
    series: str = ""    # for "stacked": the variable splitting each bar (unbound: "not stated")


CHARTS = {c.name: c for c in (
    Chart("participants-by-country", "participants-by-country", "country", "entries"),
    Chart("participants-by-sector", "participants-by-sector", "sector", "entries"),
    Chart("delegations-map", "participants-by-country", "country", "entries", kind="map"),
    Chart("participants-by-subregion", "participants-by-subregion", "subregion", "entries"),
    Chart("activities-by-horizon", "activities-by-horizon", "plan", "activities", kind="stacked", series="horizon"),
)}


def chart(name: str) -> dict | None:
    """The chart `name` in the page's language, or None when its stored query is missing or returns nothing."""
    chosen = lang()
    return site().cached(f"chart:{name}:{chosen}", lambda: _build(CHARTS[name], chosen))


# a stacked chart's parts in reading order (time horizons: short, medium, long term), then those not stated
SERIES_ORDER = ("corto-plazo", "mediano-plazo", "largo-plazo")
SERIES_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#bab0ac"]   # by rank; grey: not stated


def _rank(iri: str | None) -> int:
    if iri is None:
        return len(SERIES_ORDER) + 1
    local = iri.rstrip("/").rsplit("/", 1)[-1]
    return SERIES_ORDER.index(local) if local in SERIES_ORDER else len(SERIES_ORDER)


def _query_text(name: str) -> str | None:
    path = Path(current_app.config["QUERIES_DIR"]) / f"{name}.rq"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _build(c: Chart, chosen: str) -> dict | None:
    query = _query_text(c.query)
    if query is None:
        return None
    store, entities = site().store, site().entities
    rows = []
    for row in store.select(query):
        term, amount = row.get(c.category), row.get(c.value)
        if term is None or amount is None:
            continue
        found = {"iri": term.value, "label": entities.label(term.value, chosen), "value": int(float(amount.value))}
        if c.series:
            part = row.get(c.series)
            found["series"] = entities.label(part.value, chosen) if part is not None else text("net.not_stated", chosen)
            found["rank"] = _rank(part.value if part is not None else None)
        rows.append(found)
    if not rows:
        return None
    title = text(f"chart.{c.name}", chosen)
    value_title, category_title = text(f"chart.{c.value}", chosen), text(f"chart.{c.category}", chosen)
    columns = [category_title, text(f"chart.{c.series}", chosen), value_title] if c.series else [category_title, value_title]
    if c.kind == "stacked":
        series_title = columns[1]
        parts = sorted({(r["rank"], r["series"]) for r in rows})
        domain, colours = [label for _, label in parts], [SERIES_COLOURS[rank] for rank, _ in parts]
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": title,
                "data": {"values": [{"label": r["label"], "series": r["series"], "value": r["value"],
                                     "order": r["rank"]} for r in rows]},
                "width": "container", "height": {"step": 26},
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {"y": {"field": "label", "type": "nominal", "title": None, "sort": None,
                                   "axis": {"labelLimit": 200}},
                             "x": {"field": "value", "type": "quantitative", "title": value_title},
                             "color": {"field": "series", "type": "nominal", "title": series_title,
                                       "scale": {"domain": domain, "range": colours},
                                       "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300}},
                             "order": {"field": "order"}}}
    elif c.kind == "map":
        rows, spec = _map(rows, title, value_title, category_title)
    else:
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": title,
                "data": {"values": [{"label": r["label"], "value": r["value"]} for r in rows]},
                "width": "container", "height": {"step": 18},
                "mark": {"type": "bar", "color": PALETTE, "tooltip": True},
                "encoding": {"y": {"field": "label", "type": "nominal", "sort": "-x", "title": category_title,
                                   "axis": {"labelLimit": 240}},
                             "x": {"field": "value", "type": "quantitative", "title": value_title,
                                   "axis": {"tickMinStep": 1}}}}
    return {"id": c.name, "title": title, "query": c.query, "columns": columns, "rows": rows, "spec": spec,
            "href": url_for("query.query", example=c.query)}


def _map(rows: list[dict], title: str, value_title: str, category_title: str) -> tuple[list[dict], dict]:
    """Latin America and the Caribbean (the countries the report places in a subregion), each shaded by its
    number of entries in the list of participants (0: none); shapes from world-atlas (Natural Earth 1:50m)."""
    store, entities, chosen = site().store, site().entities, lang()
    counts = {r["iri"]: r["value"] for r in rows}
    region = []
    for row in store.select("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?country ?code WHERE { ?country cps:subregion ?subregion ; skos:exactMatch ?code
            FILTER(STRSTARTS(STR(?code), "%s")) }""" % M49):
        iri = row["country"].value
        region.append({"iri": iri, "label": entities.label(iri, chosen), "value": counts.get(iri, 0),
                       "m49": row["code"].value[len(M49):]})
    region.sort(key=lambda r: (-r["value"], r["label"].casefold()))
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": title,
            "width": "container", "height": 420,
            "data": {"url": url_for("assets.static", filename="vendor/world-atlas/countries-50m.json"),
                     "format": {"type": "topojson", "feature": "countries"}},
            "transform": [{"lookup": "id", "from": {"data": {"values": region}, "key": "m49",
                                                    "fields": ["label", "value"]}},
                          {"filter": "isValid(datum.label)"}],
            "projection": {"type": "mercator"},
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5, "tooltip": True},
            "encoding": {"color": {"field": "value", "type": "quantitative", "title": value_title,
                                   "scale": {"scheme": "blues", "domainMin": 0},
                                   "legend": {"orient": "bottom", "titleLimit": 320}},
                         "tooltip": [{"field": "label", "title": category_title},
                                     {"field": "value", "title": value_title}]}}
    return region, spec
