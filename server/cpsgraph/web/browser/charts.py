"""Charts where a reader would rather look than read (decision 0021): each is a Vega-Lite specification built
here from the rows of one of our stored queries (queries/NAME.rq), drawn in the browser by vega-embed (served by
us, static/charts.js), with the same rows as a table beside it and a link that opens the query in /query (with
the page's value bound when the query takes a parameter).

    chart("participants-by-country")            {"id", "title", "query", "columns", "table", "rows", "spec", "href"}
    chart("delegation-by-sector", COUNTRY_IRI)  the same, the query's parameter bound to the page's resource
    parts("agenda")                             one chart per day (a timeline is split by its `split` variable)
    page_charts(IRI), list_charts(NAME)         the charts that answer the question of a resource page or a list

Every word a chart shows or says is in the page's language: titles, axis and legend titles, tooltips, each
mark's description (`aria-label`) and the descriptions of axes and legends; the roles Vega names in English
(`aria-roledescription`) are rewritten by charts.js from `roles`. Templates call these through template
globals; each chart is cached per store, language and bound value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from datetime import date
from flask import current_app, url_for

from ...namespaces import M49 as M49_NS
from ...queries import bind, load_queries
from .catalogue import text
from .pages import lang, local_id
from .site import site


M49 = str(M49_NS)   # countries.csv's m49 codes, as skos:exactMatch (world-atlas names its shapes by them)
PALETTE = "#0b4fb3"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


@dataclass(frozen=True)
class Chart:
    name: str        # the chart's id
    query: str       # the stored query whose rows it draws
    kind: str = "bar"   # bar, stacked, grouped, map, timeline, matrix or committee
    category: str = ""  # the variable naming each bar (an IRI: shown by its label)
    value: str = ""     # the numeric variable
    series: str = ""    # stacked: the variable splitting each bar (unbound: "not stated"); matrix: the columns
    values: tuple[str, ...] = ()   # grouped: the numeric variables, one bar each
    param: str = ""     # the stored query's parameter, bound to the page's resource
    ordered: bool = False   # bars in the query's order (else longest first)
    split: str = ""     # timeline: one chart per value of this variable


CHARTS = {c.name: c for c in (
    Chart("participants-by-country", "participants-by-country", category="country", value="entries"),
    Chart("participants-by-sector", "participants-by-sector", category="sector", value="entries"),
    Chart("delegations-map", "participants-by-country", "map", "country", "entries"),
    Chart("participants-by-subregion", "participants-by-subregion", category="subregion", value="entries"),
    Chart("activities-by-horizon", "activities-by-horizon", "stacked", "plan", "activities", series="horizon"),
    Chart("agenda", "sessions-by-time", "timeline", "session", split="day"),
    Chart("steering-committee", "steering-committee", "committee", "subregion"),
    Chart("priorities-by-theme", "priorities-by-theme-and-subregion", "matrix", "theme", "priorities",
          series="subregion"),
    Chart("delegation-by-sector", "delegation-by-sector", category="sector", value="entries", param="country"),
    Chart("delegations-of-subregion", "delegations-of-subregion", category="country", value="entries",
          param="subregion"),
    Chart("plan-activities-by-horizon", "plan-activities-by-horizon", category="horizon", value="activities",
          param="plan", ordered=True),
    Chart("plan-outline", "action-plan-outline", "grouped", "priority", values=("results", "activities"),
          param="plan", ordered=True),
)}

# time horizons in reading order (short, medium, long term), then those not stated; their colours by rank
SERIES_ORDER = ("corto-plazo", "mediano-plazo", "largo-plazo")
SERIES_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#bab0ac"]   # by rank; grey: not stated
STATUS_COLOURS = {"stayed": "#4e79a7", "left": "#e15759", "joined": "#59a14f"}
# what a chart's caption says under it (where its data come from, what a mark means)
NOTES = {"agenda": "chart.source.agenda", "steering-committee": "chart.source.committee",
         "priorities-by-theme": "chart.source.themes"}
KIND_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]


def chart(name: str, value: str | None = None) -> dict | None:
    """The chart `name` in the page's language (its parameter bound to `value`), or None when its stored query
    is missing or returns nothing to draw."""
    chosen = lang()
    return site().cached(f"chart:{name}:{chosen}:{value}", lambda: _build(CHARTS[name], chosen, value))


def parts(name: str) -> list[dict]:
    """A split chart (the agenda): one chart per value of its `split` variable, in order."""
    chosen = lang()
    return site().cached(f"chart-parts:{name}:{chosen}", lambda: _parts(CHARTS[name], chosen))


def list_charts(name: str) -> list[dict]:
    """The charts that answer the question of the list `name` (browse.listing)."""
    found = {"agenda": parts("agenda"), "priorities": [chart("priorities-by-theme")]}.get(name, [])
    return [c for c in found if c]


def page_charts(iri: str) -> list[dict]:
    """The charts that answer the question of the resource page of `iri`: a country's delegation, a
    subregion's delegations and plan, a plan's priorities and horizons, the Steering Committee, the agenda."""
    kind = site().entities.kind_segment(iri)
    found: list[dict | None] = []
    if kind == "country":
        found = [chart("delegation-by-sector", iri)]
    elif kind == "subregion":
        found = [chart("delegations-of-subregion", iri)]
        for plan in _plans_of(iri):
            found += [chart("plan-outline", plan), chart("plan-activities-by-horizon", plan)]
    elif kind == "plan":
        found = [chart("plan-outline", iri), chart("plan-activities-by-horizon", iri)]
    elif iri == _steering_committee():
        found = [chart("steering-committee")]
    elif iri in _meetings_with_sessions():
        found = parts("agenda") + [chart("steering-committee")]
    return [c for c in found if c]


def roles(chosen: str) -> dict[str, str]:
    """The words charts.js puts in place of the roles Vega names in English (aria-roledescription)."""
    return {name: text(f"chart.role.{name}", chosen) for name in ("chart", "axis", "legend", "marks", "mark")}


# --- the rows ------------------------------------------------------------------------------------------------


def _rows(c: Chart, value: str | None) -> list[dict] | None:
    path = Path(current_app.config["QUERIES_DIR"])
    stored = load_queries(path).get(c.query) if (path / f"{c.query}.rq").is_file() else None
    if stored is None:
        return None
    query = bind(stored, {c.param: value} if c.param and value else {}, current_app.config["BASE_IRI"])[0]
    return site().store.select(query)


def _href(c: Chart, value: str | None) -> str:
    args = {"example": c.query}
    if c.param and value:
        args[c.param] = local_id(value).split("/", 1)[-1]
    return url_for("query.query", **args)


def _label(iri: str | None, chosen: str) -> str:
    return site().entities.label(iri, chosen, qualified=False) if iri else text("net.not_stated", chosen)


def _rank(iri: str | None) -> int:
    if iri is None:
        return len(SERIES_ORDER) + 1
    local = iri.rstrip("/").rsplit("/", 1)[-1]
    return SERIES_ORDER.index(local) if local in SERIES_ORDER else len(SERIES_ORDER)


def _cell(label, iri: str | None = None) -> dict:
    return {"text": str(label), "iri": iri}


def _say(*pairs) -> str:
    """A mark's description: `title: value; title: value` (what a screen reader reads for it)."""
    return "; ".join(f"{name}: {value}" for name, value in pairs)


def _number(term) -> int:
    return int(float(term.value)) if term is not None else 0


def _result(c: Chart, chosen: str, value: str | None, title: str, columns: list[str], table: list[list[dict]],
            rows: list[dict], spec: dict, chart_id: str | None = None) -> dict:
    spec = {"$schema": SCHEMA, "description": title, **spec}
    note = NOTES.get(c.name)
    return {"id": chart_id or c.name, "title": title, "query": c.query, "columns": columns, "table": table,
            "rows": rows, "spec": spec, "href": _href(c, value), "roles": roles(chosen),
            "note": text(note, chosen) if note else ""}


def _mark(kind: str, chosen: str, **more) -> dict:
    return {"type": kind, "ariaRoleDescription": text(f"chart.role.{kind}", chosen), **more}


def _build(c: Chart, chosen: str, value: str | None) -> dict | None:
    found = _rows(c, value)
    if found is None:
        return None
    builder = {"bar": _bars, "stacked": _stacked, "grouped": _grouped, "map": _map, "matrix": _matrix,
               "committee": _committee}[c.kind]
    return builder(c, chosen, value, list(found))


def _title(c: Chart, chosen: str, value: str | None) -> str:
    if c.param and value:
        return text(f"chart.{c.name}", chosen, name=_label(value, chosen))
    return text(f"chart.{c.name}", chosen)


# --- bars ----------------------------------------------------------------------------------------------------


def _bars(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    title = _title(c, chosen, value)
    value_title, category_title = text(f"chart.{c.value}", chosen), text(f"chart.{c.category}", chosen)
    rows = []
    for row in found:
        term, amount = row.get(c.category), row.get(c.value)
        if amount is None or (term is None and not c.ordered):
            continue
        iri = term.value if term is not None else None
        label, n = _label(iri, chosen), _number(amount)
        rows.append({"iri": iri, "label": label, "value": n, "rank": _rank(iri),
                     "aria": _say((category_title, label), (value_title, n))})
    if not rows or not any(r["value"] for r in rows):
        return None
    table = [[_cell(r["label"], r["iri"]), _cell(r["value"])] for r in rows]
    mark = _mark("bar", chosen, color=PALETTE)
    encoding = {"y": {"field": "label", "type": "nominal", "sort": None if c.ordered else "-x", "title": category_title,
                      "axis": {"labelLimit": 240, "description": text("chart.axis.y", chosen, title=category_title)}},
                "x": {"field": "value", "type": "quantitative", "title": value_title,
                      "axis": {"tickMinStep": 1, "description": text("chart.axis.x", chosen, title=value_title)}},
                "description": {"field": "aria"},
                "tooltip": [{"field": "label", "title": category_title}, {"field": "value", "title": value_title}]}
    if c.category == "horizon":   # a plan's horizons, coloured as in activities-by-horizon
        del mark["color"]
        parts_ = sorted({(r["rank"], r["label"]) for r in rows})
        encoding["color"] = {"field": "label", "type": "nominal", "legend": None,
                             "scale": {"domain": [p[1] for p in parts_], "range": [SERIES_COLOURS[p[0]] for p in parts_]}}
    spec = {"data": {"values": [{k: r[k] for k in ("label", "value", "aria")} for r in rows]},
            "width": "container", "height": {"step": 22 if c.category == "horizon" else 18},
            "mark": mark, "encoding": encoding}
    return _result(c, chosen, value, title, [category_title, value_title], table, rows, spec,
                   chart_id=c.name)


def _stacked(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    title = _title(c, chosen, value)
    value_title, category_title = text(f"chart.{c.value}", chosen), text(f"chart.{c.category}", chosen)
    series_title = text(f"chart.{c.series}", chosen)
    rows = []
    for row in found:
        term, amount = row.get(c.category), row.get(c.value)
        if term is None or amount is None:
            continue
        part = row.get(c.series)
        label, series, n = _label(term.value, chosen), _label(part.value if part else None, chosen), _number(amount)
        rows.append({"iri": term.value, "label": label, "series": series, "value": n,
                     "order": _rank(part.value if part else None),
                     "aria": _say((category_title, label), (series_title, series), (value_title, n))})
    if not rows:
        return None
    parts_ = sorted({(r["order"], r["series"]) for r in rows})
    domain, colours = [label for _, label in parts_], [SERIES_COLOURS[rank] for rank, _ in parts_]
    spec = {"data": {"values": [{k: r[k] for k in ("label", "series", "value", "order", "aria")} for r in rows]},
            "width": "container", "height": {"step": 26},
            "mark": _mark("bar", chosen),
            "encoding": {"y": {"field": "label", "type": "nominal", "title": None, "sort": None,
                               "axis": {"labelLimit": 200, "description": text("chart.axis.y", chosen, title=category_title)}},
                         "x": {"field": "value", "type": "quantitative", "title": value_title,
                               "axis": {"description": text("chart.axis.x", chosen, title=value_title)}},
                         "color": {"field": "series", "type": "nominal", "scale": {"domain": domain, "range": colours},
                                   "title": series_title, "legend": {
                                       "orient": "bottom", "columns": 1, "labelLimit": 300,
                                       "description": text("chart.legend", chosen, title=series_title)}},
                         "order": {"field": "order"},
                         "description": {"field": "aria"},
                         "tooltip": [{"field": "label", "title": category_title},
                                     {"field": "series", "title": series_title},
                                     {"field": "value", "title": value_title}]}}
    table = [[_cell(r["label"], r["iri"]), _cell(r["series"]), _cell(r["value"])] for r in rows]
    return _result(c, chosen, value, title, [category_title, series_title, value_title], table, rows, spec)


def _grouped(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    """One bar per numeric variable for each row, side by side (a plan's priorities: results, activities)."""
    title = _title(c, chosen, value)
    category_title, series_title = text(f"chart.{c.category}", chosen), text("chart.counted", chosen)
    names = [text(f"chart.{v}", chosen) for v in c.values]
    rows, table = [], []
    for row in found:
        term = row.get(c.category)
        if term is None:
            continue
        position = row.get("position")
        label = _label(term.value, chosen)
        short = f"{position.value}. {label}" if position is not None else label
        amounts = [_number(row.get(v)) for v in c.values]
        table.append([_cell(label, term.value)] + [_cell(n) for n in amounts])
        for name, n in zip(names, amounts):
            rows.append({"iri": term.value, "label": short, "series": name, "value": n,
                         "aria": _say((category_title, label), (name, n))})
    if not rows or not any(r["value"] for r in rows):
        return None
    spec = {"data": {"values": [{k: r[k] for k in ("label", "series", "value", "aria")} for r in rows]},
            "width": "container", "height": {"step": 30},
            "mark": _mark("bar", chosen),
            "encoding": {"y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                               "axis": {"labelLimit": 200, "description": text("chart.axis.y", chosen, title=category_title)}},
                         "yOffset": {"field": "series", "sort": names},
                         "x": {"field": "value", "type": "quantitative", "title": series_title,
                               "axis": {"tickMinStep": 1, "description": text("chart.axis.x", chosen, title=series_title)}},
                         "color": {"field": "series", "type": "nominal", "title": series_title,
                                   "scale": {"domain": names, "range": SERIES_COLOURS[:len(names)]},
                                   "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 300,
                                              "description": text("chart.legend", chosen, title=series_title)}},
                         "description": {"field": "aria"},
                         "tooltip": [{"field": "label", "title": category_title},
                                     {"field": "series", "title": series_title},
                                     {"field": "value", "title": text("chart.number", chosen)}]}}
    return _result(c, chosen, value, title, [category_title] + names, table, rows, spec)


# --- the map -------------------------------------------------------------------------------------------------


def _map(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    """Latin America and the Caribbean (the countries the report places in a subregion), each shaded by its
    number of entries in the list of participants (0: none); shapes from world-atlas (Natural Earth 1:50m)."""
    title = _title(c, chosen, value)
    value_title, category_title = text(f"chart.{c.value}", chosen), text(f"chart.{c.category}", chosen)
    counts = {row[c.category].value: _number(row.get(c.value)) for row in found if row.get(c.category) is not None}
    store, entities = site().store, site().entities
    region = []
    for row in store.select("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?country ?code WHERE { ?country cps:subregion ?subregion ; skos:exactMatch ?code
            FILTER(STRSTARTS(STR(?code), "%s")) }""" % M49):
        iri = row["country"].value
        label, n = entities.label(iri, chosen), counts.get(iri, 0)
        region.append({"iri": iri, "label": label, "value": n, "m49": row["code"].value[len(M49):],
                       "aria": _say((category_title, label), (value_title, n))})
    if not region:
        return None
    region.sort(key=lambda r: (-r["value"], r["label"].casefold()))
    spec = {"width": "container", "height": 420,
            "data": {"url": url_for("assets.static", filename="vendor/world-atlas/countries-50m.json"),
                     "format": {"type": "topojson", "feature": "countries"}},
            "transform": [{"lookup": "id", "from": {"data": {"values": region}, "key": "m49",
                                                    "fields": ["label", "value", "aria"]}},
                          {"filter": "isValid(datum.label)"}],
            "projection": {"type": "mercator"},
            "mark": _mark("geoshape", chosen, stroke="#ffffff", strokeWidth=0.5),
            "encoding": {"color": {"field": "value", "type": "quantitative", "title": value_title,
                                   "scale": {"scheme": "blues", "domainMin": 0},
                                   "legend": {"orient": "bottom", "titleLimit": 320,
                                              "description": text("chart.legend", chosen, title=value_title)}},
                         "description": {"field": "aria"},
                         "tooltip": [{"field": "label", "title": category_title},
                                     {"field": "value", "title": value_title}]}}
    table = [[_cell(r["label"], r["iri"]), _cell(r["value"])] for r in region]
    return _result(c, chosen, value, title, [category_title, value_title], table, region, spec)


# --- the agenda: one timeline per day ------------------------------------------------------------------------


def _parts(c: Chart, chosen: str) -> list[dict]:
    found = _rows(c, None)
    if found is None:
        return []
    by_day: dict[str, list] = {}
    for row in found:
        if row.get(c.split) is not None and row.get("start") is not None:
            by_day.setdefault(row[c.split].value, []).append(row)
    return [_timeline(c, chosen, day, number, rows) for number, (day, rows) in enumerate(sorted(by_day.items()), 1)]


def _clock(term) -> str | None:
    return term.value[11:16] if term is not None and len(term.value) >= 16 else None


def _timeline(c: Chart, chosen: str, day: str, number: int, found: list) -> dict:
    when = format_date(date.fromisoformat(day), "full", locale=chosen)
    title = text("chart.agenda", chosen, n=number, day=when)
    session_title, kind_title = text("chart.session", chosen), text("chart.session-kind", chosen)
    start_title, end_title = text("chart.start", chosen), text("chart.end", chosen)
    rows, kinds = [], {}
    for row in found:
        iri, kind = row["session"].value, row.get("kind")
        kind_label = _label(kind.value if kind else None, chosen)
        kinds.setdefault(kind_label, len(kinds))
        start, end = _clock(row["start"]), _clock(row.get("end"))
        shown_end = end or text("net.not_stated", chosen)
        label = _label(iri, chosen)
        rows.append({"iri": iri, "label": label, "kind": kind_label, "start": row["start"].value[:19],
                     "end": row["end"].value[:19] if row.get("end") is not None else None,
                     "from": start, "to": shown_end, "order": len(rows),
                     "aria": _say((session_title, label), (kind_title, kind_label), (start_title, start),
                                  (end_title, shown_end))})
    domain = sorted(kinds, key=kinds.get)
    colours = [KIND_COLOURS[i % len(KIND_COLOURS)] for i in range(len(domain))]
    # the y axis lists the sessions in the agenda's order (a session's label may repeat: keyed by its order)
    values = [{k: r[k] for k in ("label", "kind", "start", "end", "from", "to", "order", "aria")} for r in rows]
    common = {"y": {"field": "order", "type": "ordinal", "title": None,
                    "axis": {"labelExpr": "datum.value == null ? '' : labels[datum.value]", "labelLimit": 190,
                             "description": text("chart.axis.y", chosen, title=session_title)}},
              "color": {"field": "kind", "type": "nominal", "title": kind_title,
                        "scale": {"domain": domain, "range": colours},
                        "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300,
                                   "description": text("chart.legend", chosen, title=kind_title)}},
              "description": {"field": "aria"},
              "tooltip": [{"field": "label", "title": session_title}, {"field": "kind", "title": kind_title},
                          {"field": "from", "title": start_title}, {"field": "to", "title": end_title}]}
    x = {"field": "start", "type": "temporal", "title": text("chart.time", chosen), "scale": {"padding": 12},
         "axis": {"format": "%H:%M", "description": text("chart.axis.x", chosen, title=text("chart.time", chosen))}}
    spec = {"data": {"values": values}, "width": "container", "height": {"step": 20},
            "params": [{"name": "labels", "value": [r["label"] for r in rows]}],
            "layer": [{"transform": [{"filter": "isValid(datum.end)"}],
                       "mark": _mark("bar", chosen, cornerRadius=2),
                       "encoding": {**common, "x": x, "x2": {"field": "end"}}},
                      {"transform": [{"filter": "!isValid(datum.end)"}],
                       "mark": _mark("point", chosen, filled=True, size=90, shape="triangle-right"),
                       "encoding": {**common, "x": x}}]}
    table = [[_cell(r["label"], r["iri"]), _cell(r["kind"]), _cell(r["from"]), _cell(r["to"])] for r in rows]
    return _result(c, chosen, None, title, [session_title, kind_title, start_title, end_title], table, rows,
                   spec, chart_id=f"{c.name}-{number}")


# --- priorities: theme x subregion ---------------------------------------------------------------------------


def _matrix(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    title = _title(c, chosen, value)
    theme_title, column_title = text(f"chart.{c.category}", chosen), text(f"chart.{c.series}", chosen)
    value_title = text(f"chart.{c.value}", chosen)
    cells, themes, columns = [], {}, {}
    for row in found:
        theme, column, amount = row.get(c.category), row.get(c.series), row.get(c.value)
        if theme is None or column is None or amount is None:
            continue
        t, s, n = _label(theme.value, chosen), _label(column.value, chosen), _number(amount)
        themes[theme.value], columns[column.value] = t, s
        cells.append({"theme": t, "column": s, "value": n, "aria": _say((theme_title, t), (column_title, s), (value_title, n))})
    if not cells:
        return None
    theme_order = sorted(themes, key=lambda i: themes[i].casefold())
    top = max(r["value"] for r in cells)   # cells past half of it are dark: their numbers are white
    column_order = sorted(columns, key=lambda i: columns[i].casefold())
    counts = {(r["theme"], r["column"]): r["value"] for r in cells}
    table = [[_cell(themes[t], t)] + [_cell(counts.get((themes[t], columns[s]), 0)) for s in column_order]
             for t in theme_order]
    rows = [{"iri": t, "label": themes[t]} for t in theme_order]
    encoding = {"y": {"field": "theme", "type": "nominal", "sort": [themes[t] for t in theme_order], "title": None,
                      "axis": {"labelLimit": 220, "description": text("chart.axis.y", chosen, title=theme_title)}},
                "x": {"field": "column", "type": "nominal", "sort": [columns[s] for s in column_order], "title": None,
                      "axis": {"orient": "top", "labelAngle": -90, "labelAlign": "left", "labelLimit": 170,
                               "description": text("chart.axis.x", chosen, title=column_title)}}}
    spec = {"data": {"values": cells}, "width": "container", "height": {"step": 22},
            "encoding": encoding,
            "layer": [{"mark": _mark("rect", chosen, stroke="#ffffff", strokeWidth=1),
                       "encoding": {"color": {"field": "value", "type": "quantitative", "title": value_title,
                                              "scale": {"scheme": "blues", "domainMin": 0},
                                              "legend": {"orient": "bottom", "titleLimit": 320, "tickMinStep": 1,
                                                         "description": text("chart.legend", chosen, title=value_title)}},
                                    "description": {"field": "aria"},
                                    "tooltip": [{"field": "theme", "title": theme_title},
                                                {"field": "column", "title": column_title},
                                                {"field": "value", "title": value_title}]}},
                      {"mark": {"type": "text", "aria": False},
                       "encoding": {"text": {"field": "value"},
                                    "color": {"condition": {"test": f"datum.value > {top / 2}", "value": "#ffffff"},
                                              "value": "#1a1a1a"}}}]}
    return _result(c, chosen, value, title, [theme_title] + [columns[s] for s in column_order], table, rows, spec)


# --- the Steering Committee before and after the meeting -----------------------------------------------------


def _committee(c: Chart, chosen: str, value: str | None, found: list) -> dict | None:
    """Each subregion's seats elected at the previous Council meeting (before) and at this one (after): who
    stayed on, who left, who joined (a country's seat in the same subregion in both terms: stayed)."""
    title = _title(c, chosen, value)
    before_title, after_title = text("chart.committee.before", chosen), text("chart.committee.after", chosen)
    subregion_title, status_title = text("chart.subregion", chosen), text("chart.committee.status", chosen)
    role_title, country_title = text("chart.role", chosen), text("chart.country", chosen)
    seats: dict[str, dict[str, dict[str, dict]]] = {}
    table = []
    for row in found:
        subregion = row[c.category].value
        terms = seats.setdefault(subregion, {"before": {}, "after": {}})
        if row.get("before") is not None:
            terms["before"].setdefault(row["before"].value, {})
        if row.get("after") is not None:
            referendum = row.get("ad_referendum") is not None and row["ad_referendum"].value == "true"
            terms["after"][row["after"].value] = {"role": row.get("after_role_en"), "ad_referendum": referendum}
    role_iris = _seat_roles()

    def seat_cells(term: str, subregion: str, seat) -> list:
        if seat is None:
            return [_cell("—"), _cell("—")]
        role = role_iris.get((term, subregion, seat.value))
        return [_cell(_label(seat.value, chosen), seat.value), _cell(_label(role, chosen) if role else "—", role)]

    for row in found:
        referendum = row.get("ad_referendum") is not None and row["ad_referendum"].value == "true"
        table.append([_cell(_label(row[c.category].value, chosen), row[c.category].value),
                      *seat_cells("before", row[c.category].value, row.get("before")),
                      *seat_cells("after", row[c.category].value, row.get("after")),
                      _cell(text("chart.yes" if referendum else "chart.no", chosen))])
    if not seats:
        return None
    marks = []
    for subregion in sorted(seats, key=lambda i: _label(i, chosen).casefold()):
        terms, name = seats[subregion], _label(subregion, chosen)
        for term, term_title in (("before", before_title), ("after", after_title)):
            other = seats[subregion]["after" if term == "before" else "before"]
            for index, country in enumerate(sorted(terms[term], key=lambda i: _label(i, chosen).casefold())):
                status = "stayed" if country in other else ("left" if term == "before" else "joined")
                role = role_iris.get((term, subregion, country))
                said = [(subregion_title, name), (term_title, _label(country, chosen)),
                        (status_title, text(f"chart.committee.{status}", chosen))]
                if role:
                    said.append((role_title, _label(role, chosen)))
                if term == "after" and terms[term][country].get("ad_referendum"):
                    said.append((text("chart.ad_referendum", chosen), text("chart.yes", chosen)))
                shown = _label(country, chosen) + (" *" if term == "after" and terms[term][country].get("ad_referendum") else "")
                marks.append({"row": f"{name}|{index}", "term": term_title, "country": shown,
                              "status": text(f"chart.committee.{status}", chosen),
                              "role": _label(role, chosen) if role else "—", "aria": _say(*said)})
    statuses = [text(f"chart.committee.{s}", chosen) for s in STATUS_COLOURS]
    encoding = {"y": {"field": "row", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelExpr": "split(datum.value, '|')[1] == '0' ? split(datum.value, '|')[0] : ''",
                               "ticks": False, "domain": False, "labelLimit": 160,
                               "description": text("chart.axis.y", chosen, title=subregion_title)}},
                "x": {"field": "term", "type": "nominal", "sort": [before_title, after_title], "title": None,
                      "axis": {"orient": "top", "labelAngle": 0, "labelLimit": 200, "domain": False, "ticks": False,
                               "description": text("chart.axis.x", chosen, title=f"{before_title}, {after_title}")}}}
    spec = {"data": {"values": marks}, "width": "container", "height": {"step": 30},
            "encoding": encoding,
            "layer": [{"mark": _mark("rect", chosen, stroke="#ffffff", strokeWidth=3, cornerRadius=3),
                       "encoding": {"color": {"field": "status", "type": "nominal", "title": status_title,
                                              "scale": {"domain": statuses, "range": list(STATUS_COLOURS.values())},
                                              "legend": {"orient": "bottom", "direction": "vertical",
                                                         "description": text("chart.legend", chosen, title=status_title)}},
                                    "description": {"field": "aria"},
                                    "tooltip": [{"field": "country", "title": country_title},
                                                {"field": "term", "title": text("chart.committee.term", chosen)},
                                                {"field": "status", "title": status_title},
                                                {"field": "role", "title": role_title}]}},
                      {"mark": {"type": "text", "aria": False, "color": "#ffffff", "fontWeight": "bold", "limit": 150},
                       "encoding": {"text": {"field": "country"}}}]}
    columns = [subregion_title, before_title, text("chart.committee.role_in", chosen, term=before_title), after_title,
               text("chart.committee.role_in", chosen, term=after_title), text("chart.ad_referendum", chosen)]
    return _result(c, chosen, value, title, columns, table, marks, spec)


# --- what the page-to-chart choices read from the graph ------------------------------------------------------


def _seat_roles() -> dict[tuple[str, str, str], str]:
    """(term, subregion, country) -> the role IRI of the seat: "before" is a seat elected at the previous Council
    meeting (ordinal 3, §59), "after" one elected at this meeting (ordinal 4, §60a)."""
    def make():
        return {("after" if r["ordinal"].value == "4" else "before", r["subregion"].value, r["country"].value):
                r["role"].value for r in site().store.select(
            """PREFIX cps: <https://w3id.org/cps-lac/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
            SELECT ?subregion ?country ?role ?ordinal WHERE { ?seat a cps:SteeringCommitteeSeat ;
            cps:subregion ?subregion ; cps:country ?country ; org:role ?role ; cps:electedAt/cps:ordinal ?ordinal
            FILTER(?ordinal IN (3, 4)) }""")}
    return site().cached("chart:seat-roles", make)


def _plans_of(subregion: str) -> list[str]:
    def make():
        found: dict[str, list[str]] = {}
        for r in site().store.select("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
                SELECT ?plan ?subregion WHERE { ?plan a cps:ActionPlan ; cps:subregion ?subregion } ORDER BY ?plan"""):
            found.setdefault(r["subregion"].value, []).append(r["plan"].value)
        return found
    return site().cached("chart:plans", make).get(subregion, [])


def _steering_committee() -> str | None:
    """The body whose seats the Steering Committee chart draws (the organization the seats belong to)."""
    def make():
        for r in site().store.select("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
                PREFIX org: <http://www.w3.org/ns/org#>
                SELECT DISTINCT ?body WHERE { ?seat a cps:SteeringCommitteeSeat ; org:organization ?body }
                ORDER BY ?body LIMIT 1"""):
            return r["body"].value
        return None
    return site().cached("chart:steering-committee-body", make)


def _meetings_with_sessions() -> set[str]:
    def make():
        return {r["meeting"].value for r in site().store.select("""PREFIX cps: <https://w3id.org/cps-lac/ontology#>
                PREFIX schema: <http://schema.org/>
                SELECT DISTINCT ?meeting WHERE { ?meeting schema:subEvent ?session . ?session a cps:Session ;
                schema:startDate ?start }""")}
    return site().cached("chart:meetings", make)
