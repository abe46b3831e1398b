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
from .facets import LISTS, FacetedList
from .pages import Alternate, browser_blueprint, id_prefix, lang, page_url, render, url_with
from .site import site
from .terms import FOAF, ORG, SCHEMA

bp = browser_blueprint("browse", __name__)
CPS = "https://w3id.org/cps-lac/ontology#"
PER_PAGE = 50
HOME_GROUPS = 30  # working groups the home page lists besides the subregions'; the persons list has them all
# The kinds the home page counts, and the list that shows each (if any).
HOME_KINDS = ((FOAF + "Person", "browse.listing", "persons"), (ORG + "Organization", "browse.listing", "organizations"),
              (SCHEMA + "Country", None, None), (CPS + "WorkingGroup", None, None), (CPS + "TaskForce", None, None),
              (CPS + "Meeting", None, None), (CPS + "Presentation", None, None), (CPS + "ActionPlan", None, None),
              (CPS + "Priority", "browse.listing", "priorities"), (CPS + "Activity", None, None),
              (CPS + "Initiative", None, None), (CPS + "Passage", None, None))


def _json(data) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")


@bp.route("/")
def home() -> Response:
    entities, chosen = site().entities, lang()
    counts = _class_counts()
    kinds = [{"label": entities.term_label(cls, chosen), "count": counts.get(cls, 0),
              "href": url_for(endpoint, name=name) if endpoint else None} for cls, endpoint, name in HOME_KINDS]
    regions = [region | {"countries": sorted(region["countries"], key=lambda c: entities.label(c, chosen))}
               for region in _subregions()]
    in_regions = {r["group"] for r in regions}
    others = [g for g in _working_groups() if g not in in_regions]
    return render("browser/home.html", kinds=kinds, regions=regions, other_groups=others[:HOME_GROUPS],
                  more_groups=len(others[HOME_GROUPS:]))


def _class_counts() -> dict[str, int]:
    return site().cached("class-counts", lambda: q.class_counts(site().store))


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
    """Build what the home page reads (see browser.warm_up)."""
    _class_counts()
    _subregions()
    _working_groups()


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico wherever a page names no icon (a JSON or SVG document)."""
    return redirect(url_for("assets.static", filename="favicon.svg"), 301)


@bp.route("/search")
@bp.route("/search.json", endpoint="search_json")
def search() -> Response:
    entities, chosen = site().entities, lang()
    text = request.args.get("q", "").strip()[:200]
    wanted = request.args.get("kind", "")
    hits = entities.search(text) if text else []
    by_kind: dict[str, dict] = {}
    for hit in hits:
        segment = entities.kind_segment(hit.iri)
        entry = by_kind.setdefault(segment, {"kind": segment, "label": entities.kind(hit.iri, chosen), "count": 0})
        entry["count"] += 1
    shown = [h for h in hits if not wanted or entities.kind_segment(h.iri) == wanted]
    results = [{"iri": h.iri, "href": page_url(h.iri), "label": entities.label(h.iri, chosen),
                "kind": entities.kind(h.iri, chosen), "matched": h.matched, "alternative": h.alternative,
                "score": h.score} for h in shown]
    if request.endpoint == "browse.search_json":
        return _json({"q": text, "kind": wanted, "total": len(results), "results": results})
    page, pages, window = _page(results)
    args = request.args.to_dict(flat=False)
    kinds = sorted(by_kind.values(), key=lambda k: (-k["count"], k["label"]))
    for entry in kinds:
        entry["href"] = url_with("browse.search", args, kind=entry["kind"], page=None, lang=None)
    return render("browser/search.html", q=text, wanted=wanted, results=window, total=len(results), page=page,
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


@bp.route("/<any(persons, organizations, priorities):name>", endpoint="listing")
@bp.route("/<any(persons, organizations, priorities):name>.json", endpoint="listing_json")
def listing(name: str) -> Response:
    """A faceted list. `?country=AR&country=BR&role=punto-focal-cps&page=2`: facet values by their short id."""
    found, entities, chosen = faceted(name), site().entities, lang()
    shorts = {facet: {_short(v): v for values in by_item.values() for v in values}
              for facet, by_item in found.values.items()}
    selected = {facet: {shorts[facet][s] for s in request.args.getlist(facet) if s in shorts[facet]}
                for facet in found.values}
    items = found.select(selected)
    if found.spec.order == "label":
        items = sorted(items, key=lambda i: (entities.label(i, chosen).casefold(), i))
    facets = []
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("page", "lang")}
    for facet, _ in found.spec.facets:
        counts = found.counts(facet, selected)
        values = []
        for value, count in counts.items():
            on = value in selected[facet]
            others = [_short(v) for v in selected[facet] if v != value] + ([] if on else [_short(value)])
            values.append({"value": _short(value), "label": entities.label(value, chosen), "count": count,
                           "selected": on, "href": url_with("browse.listing", args, **{facet: sorted(others)})})
        values.sort(key=lambda v: (not v["selected"], -v["count"], v["label"].casefold()))
        facets.append({"name": facet, "values": values})
    rows = [{"iri": i, "href": page_url(i), "label": entities.label(i, chosen),
             "summary": [entities.label(v, chosen) for f in found.spec.summary
                         for v in sorted(found.values[f].get(i, ()))]} for i in items]
    if request.endpoint == "browse.listing_json":
        return _json({"list": name, "total": len(rows), "selected": {f: sorted(_short(v) for v in s)
                      for f, s in selected.items() if s}, "items": rows, "facets": facets})
    page, pages, window = _page(rows)
    active = [{"facet": f, "label": entities.label(v, chosen),
               "href": url_with("browse.listing", args, **{f: sorted(_short(x) for x in s if x != v)})}
              for f, s in selected.items() for v in sorted(s)]
    return render("browser/list.html", name=name, spec=found.spec, rows=window, total=len(rows), page=page,
                  pages=pages, facets=facets, active=active, args=args,
                  alternates=(Alternate(url_for("browse.listing_json", name=name, **request.args.to_dict(flat=False)),
                                        "application/json", "JSON"),))


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
