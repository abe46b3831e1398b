"""The linked-data browser, wired into an app in one call (`init_app`, from `create_app`): dereferenceable
IRIs and data documents, the pages, the network views, the query and data-quality pages, and the static
files (our CSS and scripts, and the vendor files copied from node_modules by `python3 -m cpsgraph.vendor`).
"""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask

from ...errors import CpsError
from ..ops import INDEXES_WARMED
from .pages import STATIC

log = logging.getLogger("cpsgraph.serve")


def init_app(app: Flask) -> None:
    from .browse import bp as browse_bp
    from .linkeddata import bp as linkeddata_bp
    from .network_views import bp as network_bp
    from .query_page import bp as query_bp
    from .report_page import bp as report_bp
    from .suggest import bp as suggest_bp

    from .pages import install

    install(app)
    assets = Blueprint("assets", __name__, static_folder=str(STATIC), static_url_path="/assets")
    for bp in (assets, browse_bp, linkeddata_bp, network_bp, query_bp, report_bp, suggest_bp):
        app.register_blueprint(bp)
    from . import charts

    # the charts (charts.py), for any page's template
    app.context_processor(lambda: {"chart": charts.chart, "chart_parts": charts.parts,
                                   "page_charts": charts.page_charts, "list_charts": charts.list_charts})


def warm_up(app: Flask) -> None:
    """Build what the pages read on every request (the entity index, the network with its member index, the
    home page's counts) now: `cpsgraph serve` calls this before it listens, so no visitor waits for them. A
    store that cannot answer yet is logged, not fatal: each piece is then built on first use, as without this."""
    from . import browse, evidence, suggest
    from .site import site

    started = time.perf_counter()
    try:
        with app.app_context():
            built = site()
            try:
                _ = built.entities, built.network  # cached properties: reading them builds the indexes
                browse.warm_up()
                suggest.index()   # the search index of this release
                evidence.warm_up()   # the report's words and the passages' lines
            except CpsError as error:
                log.warning("the browser's indexes will be built on first use: %s", error.message)
                return
        log.info("browser indexes built in %.1f s", time.perf_counter() - started)
    finally:
        app.extensions[INDEXES_WARMED] = True   # /readyz: "indexes": "built" (built, or left to first use)
