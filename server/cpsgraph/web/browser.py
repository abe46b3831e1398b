"""The linked-data browser, wired into an app in one call (`init_app`, from `create_app`): dereferenceable
IRIs and data documents, the pages, the network views, the query and data-quality pages, and the static
files (our CSS and scripts, and the vendor files copied from node_modules by `python3 -m cpsgraph.vendor`).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from .pages import STATIC


def init_app(app: Flask) -> None:
    from .browse import bp as browse_bp
    from .linkeddata import bp as linkeddata_bp
    from .network_views import bp as network_bp
    from .query_page import bp as query_bp

    assets = Blueprint("assets", __name__, static_folder=str(STATIC), static_url_path="/assets")
    for bp in (assets, browse_bp, linkeddata_bp, network_bp, query_bp):
        app.register_blueprint(bp)
