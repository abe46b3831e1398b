"""The SPARQL editor page (YASGUI, served by us, offline: our prefixes, our classes and properties for
completion, no prefix.cc or LOV) with the example queries of `queries/`, and the data-quality page (the
SHACL validation report of the published graph, each result beside the resource it is about).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, current_app, request, url_for

from ...namespaces import PREFIXES, Base
from ...validation import Outcome, load_shapes, validate_store
from ...vendor import missing_vendor_files
from . import browse_queries as q
from .catalogue import text
from .pages import Alternate, browser_blueprint, lang, page_url, render
from .site import site

bp = browser_blueprint("query", __name__)
# YASGUI writes its controls in English and has no translations: query.js replaces these texts (and titles,
# labels and placeholders) with the catalogue's, whenever YASGUI draws them.
YASGUI_STRINGS = (
    ("Query", "yasgui.query"), ("Add a new tab", "yasgui.add_tab"), ("Add tab", "yasgui.add_tab"),
    ("Close tab", "yasgui.close_tab"), ("Run query", "yasgui.run"), ("Share query", "yasgui.share"),
    ("Download Results", "yasgui.download"), ("Download result", "yasgui.download"), ("Table", "yasgui.table"),
    ("Response", "yasgui.response"), ("Shows Table view", "yasgui.show_table"),
    ("Shows Response view", "yasgui.show_response"), ("View documentation of Table", "yasgui.table_docs"),
    ("View documentation of Response", "yasgui.response_docs"), ("Simple view", "yasgui.simple"),
    ("Ellipse", "yasgui.ellipse"), ("Filter query results", "yasgui.filter"), ("Page size: ", "yasgui.page_size"),
    ("Page size:", "yasgui.page_size"), ("All", "yasgui.all"), ("Next", "list.next"), ("Previous", "list.prev"),
    ("entries", "yasgui.entries"), ("Search:", "yasgui.search"), ("No data available in table", "yasgui.no_data"),
    ("Loading...", "yasgui.loading"), ("Copy", "yasgui.copy"), ("Fullscreen", "yasgui.fullscreen"),
    ("Edit", "yasgui.edit"), ("Endpoint", "query.label.endpoint"), ("Prefixes", "yasgui.prefixes"),
    ("Settings", "yasgui.settings"), ("Abort query", "yasgui.abort"), ("Copy URL", "yasgui.copy_url"),
    ("Shorten URL", "yasgui.shorten"), ("Download not supported", "yasgui.no_download"), ("Show more", "yasgui.more"), ("Show less", "yasgui.less"),
)
YASGUI_PATTERNS = (   # (JavaScript regular expression, catalogue template with $1, $2)
    (r"^(\d+) results? in ([\d.]+) seconds?$", "yasgui.results_in"),
    (r"^Response in ([\d.]+) seconds?$", "yasgui.response_in"),
    (r"^Showing (\d+) to (\d+) of (\d+) entries$", "yasgui.showing"),
    (r"^(.*): Activate to sort", "yasgui.sort"),
)


def examples() -> list:
    """The stored queries (an empty list when queries/ is missing or a file is malformed)."""
    from ..sparql.description import example_queries

    return example_queries(Path(current_app.config["QUERIES_DIR"]))


# the query a first visit opens (instead of YASGUI's `?sub ?pred ?obj`): short, answered at once, and chartable
DEFAULT_EXAMPLE = "participants-by-country"


@bp.route("/query")
def query() -> Response:
    chosen = lang()
    by_kind: dict[str, list] = {}
    for e in examples():
        by_kind.setdefault(e.kind, []).append({"name": e.name, "title": e.title_es if chosen == "es" else e.title_en,
                                               "question": e.question_es if chosen == "es" and e.question_es
                                               else e.question, "text": e.text})
    shown = [(kind, sorted(items, key=lambda e: e["title"].casefold())) for kind, items in sorted(by_kind.items())]
    names = {e.name for e in examples()}
    return render("browser/query.html", examples=shown, endpoint=url_for("sparql.endpoint", _external=True),
                  opened=request.args.get("example", ""), opened_text=_bound_example(), missing=missing_vendor_files(),
                  default_example=DEFAULT_EXAMPLE if DEFAULT_EXAMPLE in names else "")


def _bound_example() -> str:
    """`/query?example=NAME&country=BR` (a chart's link): the example's text with its parameters bound to the
    values given, as the stored-query API binds them; empty when none is given or a value does not fit."""
    from ...queries import InvalidParameter, bind

    found = {e.name: e for e in examples()}.get(request.args.get("example", ""))
    if found is None or not found.params:
        return ""
    given = {p.name: request.args[p.name] for p in found.params if request.args.get(p.name)}
    if not given:
        return ""
    try:
        return bind(found, given, current_app.config["BASE_IRI"])[0]
    except InvalidParameter:
        return ""


@bp.route("/query/config.json")
def query_config() -> Response:
    """What the editor's script needs: the endpoint, our prefixes, the examples, terms to complete."""
    store = site().store
    terms = site().cached("terms", lambda: {
        "classes": sorted(q.class_counts(store)),
        "properties": sorted(row["p"].value for row in store.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))})
    config = {"endpoint": url_for("sparql.endpoint", _external=True),
              "prefixes": {name: str(ns) for name, ns in PREFIXES.items()},
              "examples": [{"name": e.name, "title": e.title_es if lang() == "es" else e.title_en, "text": e.text}
                           for e in examples()],
              # result IRIs of ours link to their pages: `{pagePrefix}kind/id` -> `{pagePath}kind/id`
              "pagePrefix": current_app.config["BASE_IRI"] + "id/", "pagePath": url_for("linkeddata.page", path="x")[:-1],
              "ui": {} if lang() == "en" else {english: text(key, lang()) for english, key in YASGUI_STRINGS},
              "uiPatterns": [] if lang() == "en" else [[pattern, text(key, lang())] for pattern, key in YASGUI_PATTERNS],
              **terms}
    return Response(json.dumps(config, ensure_ascii=False), content_type="application/json")


def outcome() -> Outcome:
    """The published graph validated against the shapes, once per store (it takes seconds)."""
    def validate() -> Outcome:
        import pyoxigraph as ox

        public = ox.Store()
        public.load(q.public_dataset(site().store), format=ox.RdfFormat.TRIG)
        shapes = load_shapes(Path(current_app.config["SHAPES_DIR"]), Base(current_app.config["BASE_IRI"]))
        return validate_store(public, shapes)  # the build's engine

    return site().cached("quality", validate)


@bp.route("/quality")
def quality() -> Response:
    found, chosen = outcome(), lang()
    rows = []
    for r in found.results:
        message, message_lang = r.message_in(chosen)   # the shapes give every message in Spanish and English
        rows.append({"result": r, "href": page_url(r.focus), "message": message,
                     "message_lang": "" if message_lang == chosen else message_lang,
                     "severity": text(f"quality.sev.{r.severity}", chosen)})
    return render("browser/quality.html", outcome=found, rows=rows,
                  alternates=(Alternate(url_for("query.quality_report"), "text/turtle", "Turtle"),))


@bp.route("/quality.ttl")
def quality_report() -> Response:
    report = outcome().report
    return Response(report.serialize(format="turtle", encoding="utf-8"), content_type="text/turtle; charset=utf-8")
