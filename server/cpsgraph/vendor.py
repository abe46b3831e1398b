"""The front-end files the browser serves itself (no CDN): copied from `node_modules/` (installed with
`npm ci` from the repository's package.json and package-lock.json) into `static/vendor/`, which git ignores.

    npm ci && python3 -m cpsgraph.vendor        # what `make serve` and `make test` run

Only the files a page loads are copied, with the package's licence beside them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# target under static/vendor/ -> source under node_modules/
FILES = {
    "cytoscape/cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "cytoscape/LICENSE": "cytoscape/LICENSE",
    # the network drawing's layout (fCoSE, with the two Bilkent libraries it is built on) and the
    # seeded random numbers that make the layout the same on every load
    "cytoscape-fcose/cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    "cytoscape-fcose/LICENSE": "cytoscape-fcose/LICENSE",
    "cytoscape-fcose/cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose/cose-base.LICENSE": "cose-base/LICENSE",
    "cytoscape-fcose/layout-base.js": "layout-base/layout-base.js",
    "cytoscape-fcose/layout-base.LICENSE": "layout-base/LICENSE",
    "seedrandom/seedrandom.min.js": "seedrandom/seedrandom.min.js",
    "seedrandom/package.json": "seedrandom/package.json",  # its licence (MIT) and version
    # the charts (Vega-Lite compiled to Vega, drawn by vega-embed; its expression interpreter keeps the CSP) and
    # the countries' shapes of the map (Natural Earth, 1:50m, as TopoJSON)
    "vega/vega.min.js": "vega/build/vega.min.js",
    "vega/LICENSE": "vega/LICENSE",
    "vega/vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "vega/vega-lite.LICENSE": "vega-lite/LICENSE",
    "vega/vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
    "vega/vega-embed.LICENSE": "vega-embed/LICENSE",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "yasgui/package.json": "@zazuko/yasgui/package.json",  # its licence (MIT) and version; it ships no LICENSE
    # search as you type: GitHub's <auto-complete> element (ARIA combobox, with @github/combobox-nav bundled)
    "auto-complete-element/bundle.js": "@github/auto-complete-element/dist/bundle.js",
    "auto-complete-element/LICENSE": "@github/auto-complete-element/LICENSE",
}
PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PACKAGE_DIR / "static" / "vendor"
ROOT = PACKAGE_DIR.parents[1]


class VendorFilesMissing(RuntimeError):
    """node_modules/ lacks a file the pages need: `npm ci` has not been run (or package.json changed)."""


def copy_vendor(node_modules: Path = ROOT / "node_modules", target: Path = VENDOR_DIR) -> list[Path]:
    """Copy FILES from `node_modules` into `target`, replacing what is there; returns the copied paths.
    Raises VendorFilesMissing, naming every missing file, before copying anything."""
    missing = [source for source in FILES.values() if not (node_modules / source).is_file()]
    if missing:
        raise VendorFilesMissing(f"missing in {node_modules}: {', '.join(missing)}; run `npm ci` at the "
                                 "repository root first")
    if target.exists():
        shutil.rmtree(target)  # files of a package no longer used must not linger
    copied = []
    for name, source in sorted(FILES.items()):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source, destination)
        copied.append(destination)
    return copied


def missing_vendor_files(target: Path = VENDOR_DIR) -> list[str]:
    """The vendor files a page needs that are not in `target` (empty when `copy_vendor` has run)."""
    return [name for name in FILES if not (target / name).is_file()]


def main() -> int:
    try:
        copied = copy_vendor()
    except VendorFilesMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"copied {len(copied)} files into {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
