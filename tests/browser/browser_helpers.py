"""Helpers of the browser tests: an HTML page parsed into what the tests look at, and the project's paths."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/cps-lac/id/"
CPS = "https://w3id.org/cps-lac/ontology#"


def app_config(build_dir: Path, **more) -> dict:
    """Settings for `create_app` serving the build in `build_dir` (environment overrides neutralised)."""
    return {"TESTING": True, "BUILD_DIR": str(build_dir), "QUERIES_DIR": str(ROOT / "queries"),
            "SHAPES_DIR": str(ROOT / "shapes"), "QUERY_WORKERS": 1, "DATA_FILES": "", "OPERATOR_TOKEN": "", **more}


class Page(HTMLParser):
    """An HTML page as the tests need it: its text, its links, its <link> and <script> elements, element ids."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text_parts: list[str] = []
        self.links: list[dict] = []
        self.heads: list[dict] = []
        self.scripts: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.links.append(attrs)
        elif tag == "link":
            self.heads.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def alternates(self) -> dict[str, str]:
        return {link["type"]: link["href"] for link in self.heads if link.get("rel") == "alternate" and "type" in link}


def page_of(response) -> Page:
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


# --- End-to-end: headless Chromium driven by Playwright ------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"   # Debian's package; Playwright's own browser download is never used
# Without these, Chromium reaches for the network (updates, sync, QUIC probes) and the tests' "nothing leaves
# loopback" check fails; headless and no sandbox for running as root in a container.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now (axe injected from node_modules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]
