"""The browser's own pages: home (what the graph holds, the four subregions, where to start), search, and
the faceted lists of persons, organizations and priorities. Each list state and search is a URL; the
`.json` twin of each gives the same answer as data.
"""

from __future__ import annotations

import csv
import io
import json

from flask import Response, redirect, request, url_for

from . import browse_queries as q
from . import suggest
from .catalogue import text
from .facets import LISTS, WORD_VALUES, FacetedList
from .search import fold
from .pages import Alternate, browser_blueprint, id_prefix, lang, page_url, render, url_with
from .site import site
from .terms import FOAF, ORG, SCHEMA
from .values import XSD, say

bp = browser_blueprint("browse", __name__)
CPS = "https://w3id.org/cps-lac/ontology#"
XSD_DATE = XSD + "date"
PER_PAGE = 50
COUNT_CAP = 20000  # matching names the search page counts at most (its counts are then "at least")
HOME_GROUPS = 30  # working groups the home page lists besides the subregions'; the persons list has them all
# The kinds the home page counts, each with the list that shows it (its count is the list's total).
HOME_KINDS = ((FOAF + "Person", "persons"), (ORG + "Organization", "organizations"), (SCHEMA + "Country", "countries"),
              (CPS + "Meeting", "meetings"), (CPS + "Session", "agenda"), (CPS + "Presentation", "presentations"),
              (CPS + "WorkingGroup", "working-groups"), (CPS + "TaskForce", "task-forces"),
              (CPS + "ActionPlan", "plans"), (CPS + "Priority", "priorities"), (CPS + "Activity", "activities"),
              (CPS + "Initiative", "initiatives"), (CPS + "Passage", "passages"))


def _json(data) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")


@bp.route("/")
def home() -> Response:
    entities, chosen = site().entities, lang()
    kinds = [{"label": entities.term_label(cls, chosen), "count": len(faceted(name).items),
              "href": url_for("browse.listing", name=name)} for cls, name in HOME_KINDS]
    regions = [region | {"countries": sorted(region["countries"], key=lambda c: entities.label(c, chosen))}
               for region in _subregions()]
    in_regions = {r["group"] for r in regions}
    others = [g for g in _working_groups() if g not in in_regions]
    return render("browser/home.html", kinds=kinds, regions=regions, other_groups=others[:HOME_GROUPS],
                  more_groups=len(others[HOME_GROUPS:]), meeting=_meeting(chosen))


def _meeting(chosen: str) -> dict | None:
    """The report, the meeting it is about, its dates and place, said in the page's language."""
    rows = site().cached("reported-meeting", lambda: q.reported_meeting(site().store))
    if not rows:
        return None
    row = rows[0]

    def said(name: str) -> str:
        term = row.get(name)
        return say(term.value, term.datatype.value if term.datatype else None, chosen) if term is not None else ""

    return {"report": row["report"].value, "meeting": row["meeting"].value, "start": said("start"),
            "end": said("end"), "place": row["place"].value if "place" in row else None}


def _subregions() -> list[dict]:
    """Each subregion with its countries, its working group and its action plan, by working group. Kept
    instead of the query's rows: with many groups and plans per subregion they are a large cross product."""
    def make() -> list[dict]:
        regions: dict[str, dict] = {}
        for row in q.subregions(site().store):
            region = regions.setdefault(row["subregion"].value, {"iri": row["subregion"].value, "countries": set(),
                                                                "group": None, "plan": None})
            for key in ("group", "plan"):   # the first by IRI when a subregion has several
                if key in row and (region[key] is None or row[key].value < region[key]):
                    region[key] = row[key].value
            if "country" in row:
                region["countries"].add(row["country"].value)
        return sorted(regions.values(), key=lambda r: r["group"] or "")

    return site().cached("subregions", make)


def _working_groups() -> list[str]:
    return site().cached("groups-all", lambda: sorted(q.instances(site().store, CPS + "WorkingGroup")))


def warm_up() -> None:
    """Build what the home page reads (see browser.warm_up): the lists it counts, the subregions, the groups."""
    for _, name in HOME_KINDS:
        faceted(name)
    _subregions()
    _working_groups()


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico wherever a page names no icon (a JSON or SVG document)."""
    return redirect(url_for("assets.static", filename="favicon.svg"), 301)


@bp.route("/search")
@bp.route("/search.json", endpoint="search_json")
def search() -> Response:
    text = request.args.get("q", "").strip()[:200]
    wanted = request.args.get("kind", "")
    counts = suggest.index().kind_counts(text, cap=COUNT_CAP) if text else {}
    complete = suggest.index().counted_all(text, COUNT_CAP) if text else True
    total = counts.get(wanted, 0) if wanted else sum(counts.values())
    pages = max(1, -(-total // PER_PAGE))
    try:
        page = max(1, min(int(request.args.get("page", 1)), pages))
    except ValueError:
        page = 1
    results, _ = suggest.search_hits(text, wanted, page=page, per_page=PER_PAGE) if text else ([], {})
    names = suggest.index().kind_labels(lang()) if counts else {}
    by_kind = {segment: {"kind": segment, "label": names.get(segment, segment), "count": n}
               for segment, n in counts.items()}
    if request.endpoint == "browse.search_json":
        return _json({"q": text, "kind": wanted, "total": total, "total_is_exact": complete, "page": page,
                      "pages": pages, "results": results})
    args = request.args.to_dict(flat=False)
    kinds = sorted(by_kind.values(), key=lambda k: (-k["count"], k["label"]))
    for entry in kinds:
        entry["href"] = url_with("browse.search", args, kind=entry["kind"], page=None, lang=None)
    return render("browser/search.html", q=text, wanted=wanted, results=results, total=total, complete=complete,
                  page=page,
                  pages=pages, kinds=kinds, args=args,
                  alternates=(Alternate(url_for("browse.search_json", **args), "application/json", "JSON"),))


def _page(rows: list) -> tuple[int, int, list]:
    pages = max(1, -(-len(rows) // PER_PAGE))
    try:
        page = max(1, min(int(request.args.get("page", 1)), pages))
    except ValueError:
        page = 1
    return page, pages, rows[(page - 1) * PER_PAGE: page * PER_PAGE]


def faceted(name: str) -> FacetedList:
    return site().cached(f"list:{name}", lambda: FacetedList(LISTS[name], site().store, id_prefix()))


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


LIST_NAMES = "any(" + ", ".join(f"\"{name}\"" for name in LISTS) + ")"


@bp.route(f"/<{LIST_NAMES}:name>", endpoint="listing")
@bp.route(f"/<{LIST_NAMES}:name>.json", endpoint="listing_json")
@bp.route(f"/<{LIST_NAMES}:name>.csv", endpoint="listing_csv")
def listing(name: str) -> Response:
    """A faceted list. `?country=AR&country=BR&role=punto-focal-cps&page=2`: facet values by their short id."""
    found, entities, chosen = faceted(name), site().entities, lang()
    shorts = {facet: {_short(v): v for values in by_item.values() for v in values}
              for facet, by_item in found.values.items()}
    selected = {facet: {shorts[facet][s] for s in request.args.getlist(facet) if s in shorts[facet]}
                for facet in found.values}
    items = found.select(selected)
    if found.spec.order == "label":
        # by the letters, accents aside (César among the Ce-, not after Cristina), then as written
        items = sorted(items, key=lambda i: (fold(entities.label(i, chosen)), entities.label(i, chosen), i))

    def named(facet: str, value: str) -> str:
        return _value_label(found.spec, facet, value, chosen)

    facets = []
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("page", "lang")}
    for facet, _ in found.spec.facets:
        counts = found.counts(facet, selected)
        values = []
        for value, count in counts.items():
            on = value in selected[facet]
            others = [_short(v) for v in selected[facet] if v != value] + ([] if on else [_short(value)])
            values.append({"value": _short(value), "label": named(facet, value), "count": count,
                           "selected": on, "href": url_with("browse.listing", args, **{facet: sorted(others)})})
        if facet in found.spec.dates:
            values.sort(key=lambda v: (not v["selected"], v["value"]))
        else:
            values.sort(key=lambda v: (not v["selected"], -v["count"], fold(v["label"]), v["label"]))
        facets.append({"name": facet, "values": values})
    rows = [{"iri": i, "href": page_url(i), "label": entities.label(i, chosen, qualified=i not in found.when),
             "when": say(*found.when[i], chosen) if i in found.when else "",
             "summary": sorted(named(f, v) for f in found.spec.summary for v in found.values[f].get(i, ()))}
            for i in items]
    if request.endpoint == "browse.listing_json":
        return _json({"list": name, "total": len(rows), "selected": {f: sorted(_short(v) for v in s)
                      for f, s in selected.items() if s}, "items": rows, "facets": facets})
    if request.endpoint == "browse.listing_csv":
        return _csv(found, rows, named, name)
    page, pages, window = _page(rows)
    active = [{"facet": f, "label": named(f, v),
               "href": url_with("browse.listing", args, **{f: sorted(_short(x) for x in s if x != v)})}
              for f, s in selected.items() for v in sorted(s)]
    twins = {key: value for key, value in request.args.to_dict(flat=False).items() if key != "page"}
    return render("browser/list.html", name=name, spec=found.spec, rows=window, total=len(rows), page=page,
                  pages=pages, facets=facets, active=active, args=args,
                  alternates=(Alternate(url_for("browse.listing_json", name=name, **twins), "application/json", "JSON"),
                              Alternate(url_for("browse.listing_csv", name=name, **twins), "text/csv", "CSV")))


def _value_label(spec, facet: str, value: str, chosen: str) -> str:
    """A facet value's name: a resource's label, a date said the language's way, or a word of the catalogue."""
    if facet in spec.dates:
        return say(value, XSD_DATE, chosen)
    words = WORD_VALUES.get(facet, {})
    if value in words:
        return text(words[value], chosen)
    return site().entities.label(value, chosen)


def _csv(found, rows: list[dict], named, name: str) -> Response:
    """The list as CSV: each item's IRI and label, then each facet's values (labels, `; ` between several)."""
    out = io.StringIO()
    writer = csv.writer(out)
    facet_names = [facet for facet, _ in found.spec.facets]
    writer.writerow(["iri", "label"] + (["date"] if found.spec.when else []) + [f.replace("-", "_") for f in facet_names])
    for row in rows:
        dates = [found.when[row["iri"]][0] if row["iri"] in found.when else ""] if found.spec.when else []
        writer.writerow([row["iri"], row["label"]] + dates +
                        ["; ".join(sorted(named(f, v) for v in found.values[f].get(row["iri"], ()))) for f in facet_names])
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return response


@bp.route("/countries/<code>/delegation.csv", endpoint="delegation_csv")
def delegation_csv(code: str) -> Response:
    """A country's delegation (Anexo III entries) as CSV: labels in the request's language, and the IRIs."""
    from .linkeddata import _known
    from .profile import delegation

    iri = _known(f"country/{code}")
    rows = delegation(site().store, site().entities, iri, lang())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["entry", "person", "person_iri", "organization", "organization_iri", "post", "sector",
                     "working_group", "role", "participation_iri"])
    for row in rows:
        writer.writerow([_text(row.get("entry")), _text(row.get("person")), row.get("person_iri", ""),
                         _text(row.get("organization")), row.get("organization_iri", ""), _text(row.get("job")),
                         _text(row.get("sector")), _text(row.get("group")), _text(row.get("role")), row["iri"]])
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="delegation-{code}.csv"'
    return response


def _text(value) -> str:
    return value.text if value is not None else ""
