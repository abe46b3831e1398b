"""Fixtures of the reliability tests: apps and a real server (`cpsgraph serve`) on the session's real build, the
figures the tests measure, and a loopback listener. Every process started here is stopped here."""

from __future__ import annotations

import pytest

from figures import Figures
from reliability_helpers import ROOT, TOKEN, Listener, start_server, stop


@pytest.fixture(scope="session")
def figures():
    """Where tests record the figures of docs/reliability.md; written to the figures file at the end."""
    recorded = Figures()
    yield recorded
    if recorded.values:
        recorded.save()



@pytest.fixture(scope="session")
def app_config(build_dir) -> dict:
    return {"BUILD_DIR": str(build_dir), "QUERIES_DIR": str(ROOT / "queries"), "OPERATOR_TOKEN": TOKEN,
            "QUERY_TIMEOUT": 3.0, "QUERY_WORKERS": 2}


@pytest.fixture(scope="session")
def app(make_app, app_config):
    return make_app(app_config)  # one per directory: see `client` in tests/conftest.py


@pytest.fixture(scope="session")
def live(build_dir, tmp_path_factory):
    """`cpsgraph serve` on the real build, a 2 s time limit, two query workers and the operator's token."""
    server = start_server(tmp_path_factory.mktemp("live"), {
        "CPS_BUILD_DIR": str(build_dir), "CPS_OPERATOR_TOKEN": TOKEN, "CPS_QUERY_TIMEOUT": "2",
        "CPS_QUERY_WORKERS": "2"})
    yield server
    stop(server.process)


@pytest.fixture
def listener():
    opened = Listener()
    yield opened
    opened.close()
