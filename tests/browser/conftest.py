"""Fixtures of the browser tests: the app on the real build (through the app factory, with its real store),
a test client per test, and the public graph to check pages against.

The end-to-end fixtures (a live server and headless Chromium) are in e2e.py, used by test_e2e*.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import app_config

from cpsgraph.web import create_app
from cpsgraph.web.stores import stores


@pytest.fixture(scope="session")
def build_dir(release) -> Path:
    """The build directory of the session's real build (`releases/<digest>` and the `current` link)."""
    return release.parent.parent


@pytest.fixture(scope="session")
def app(build_dir):
    app = create_app(app_config(build_dir))
    yield app
    stores(app).close()


@pytest.fixture
def client(app):
    """A test client that starts with an empty release cache (see tests/conftest.py's `client`)."""
    from cpsgraph.web.httpcache import forget

    forget(app)
    return app.test_client()


# --- End-to-end: a real server on a free loopback port, and headless Chromium ----------------------------------

@pytest.fixture(scope="session")
def live_server(build_dir):
    """The service (waitress, real store) on a free port of 127.0.0.1; yields its base URL."""
    import threading

    from cpsgraph.vendor import missing_vendor_files
    from cpsgraph.web.serve import make_server

    missing = missing_vendor_files()
    if missing:
        pytest.fail(f"front-end files missing ({', '.join(missing)}): run `make test`, or `npm ci && "
                    "python3 -m cpsgraph.vendor`")
    server = make_server(app_config(build_dir, TESTING=False, QUERY_WORKERS=2), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    stores(server.cps_app).close()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """Debian's Chromium, headless, with a fresh profile directory, driven by Playwright."""
    from browser_helpers import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api", reason="`make test` installs Playwright")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 900})
        yield context
        context.close()


class Recorder:
    """What a page did that it must not: console errors, uncaught exceptions, requests off loopback."""

    def __init__(self, base: str):
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []

    def console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def exception(self, error) -> None:
        self.errors.append(f"exception: {error}")

    def request(self, request) -> None:
        self.requests.append(request.url)

    def off_loopback(self) -> list[str]:
        from urllib.parse import urlsplit

        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def browser_page(chromium, live_server, request):
    """A new tab (language: the test's `lang` parameter if it has one, else English, as a browser would ask),
    with cookies and local storage cleared; after the test, no console error may have happened and no request may have left
    loopback."""
    lang = getattr(request, "param", "en")
    chromium.clear_cookies()
    chromium.set_extra_http_headers({"Accept-Language": "es-AR,es;q=0.9" if lang == "es" else "en-US,en;q=0.9"})
    recorder = Recorder(live_server)
    chromium.on("request", recorder.request)
    page = chromium.new_page()
    # Each test meets the site as a new visitor: the context's HTTP cache is shared by the session's tests, and
    # Playwright adds Accept-Language after Chromium's cache look-up, so a page cached for an English test would
    # be handed to a Spanish one (a real browser sends its own Accept-Language and the answers' Vary holds).
    chromium.new_cdp_session(page).send("Network.clearBrowserCache")
    # and at the context's size: a test that narrowed its page to a phone's leaves the next new page's drawing
    # area off (clicks on a drawn node then missed it), even after setting the size back
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/assets/favicon.svg")
    page.evaluate("localStorage.clear()")        # the editor's saved tabs of an earlier test
    page.on("console", recorder.console)
    page.on("pageerror", recorder.exception)
    page.set_default_timeout(15000)
    page.base = live_server
    page.recorder = recorder   # a test that expects a failed request forgets its console line itself
    yield page
    page.close()
    chromium.remove_listener("request", recorder.request)
    assert recorder.errors == [], recorder.errors
    assert recorder.off_loopback() == [], "requests left loopback"
