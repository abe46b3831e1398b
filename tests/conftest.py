"""Fixtures shared by every test: the project's paths and one real build of the graph per session.

Expensive things are built once (session scope); tests that change data work on a copy (`data_copy`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpsgraph.build import build
from cpsgraph.namespaces import DEFAULT_BASE, Base
from cpsgraph.source import Report, default_source_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def source_path() -> Path:
    path = default_source_path(ROOT)
    if not path.exists():
        pytest.fail(f"the source report is missing at {path}: shared/ must sit beside the repository")
    return path


@pytest.fixture(scope="session")
def report(source_path) -> Report:
    return Report(source_path)


@pytest.fixture(scope="session")
def base() -> Base:
    return Base(DEFAULT_BASE)


@pytest.fixture(scope="session")
def built(tmp_path_factory, source_path, base):
    """The real graph, built once from data/ with the shapes gate on. Returns the BuildResult."""
    out = tmp_path_factory.mktemp("build")
    return build(data_dir=ROOT / "data", ontology_path=ROOT / "ontology" / "cps.ttl",
                 shapes_dir=ROOT / "shapes", out_dir=out, base=base, source=source_path,
                 queries_dir=ROOT / "queries")


@pytest.fixture(scope="session")
def release(built) -> Path:
    """The directory of the built release (public/ and restricted/ dumps, manifest.json)."""
    return built.release


@pytest.fixture(scope="session")
def dataset(release):
    """The whole built dataset (every named graph, restricted included) as an rdflib Dataset."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(release / "restricted" / "cps-lac-all.trig", format="trig")
    return ds


@pytest.fixture(scope="session")
def public_graph(release):
    """The public union graph as published in the Turtle dump."""
    from rdflib import Graph

    g = Graph()
    g.parse(release / "public" / "cps-lac.ttl", format="turtle")
    return g


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break; returns the copied data directory."""
    target = tmp_path / "project" / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def run_build(data_dir: Path, out_dir: Path, source_path: Path, base: Base):
    return build(data_dir=data_dir, ontology_path=ROOT / "ontology" / "cps.ttl", shapes_dir=ROOT / "shapes",
                 out_dir=out_dir, base=base, source=source_path, queries_dir=ROOT / "queries")


@pytest.fixture(scope="session")
def build_from(source_path, base):
    """build_from(data_dir, out_dir): build a (possibly broken) copy of data/ with the real ontology and
    shapes. Raises what the build raises."""
    return lambda data_dir, out_dir: run_build(data_dir, out_dir, source_path, base)


@pytest.fixture(scope="session")
def build_dir(release) -> Path:
    """The output directory of the session's real build (it holds the `current` link)."""
    return release.parents[1]


@pytest.fixture(scope="session")
def make_app():
    """create_app for the session; the query workers of every app made are stopped at its end."""
    from cpsgraph.web import create_app
    from cpsgraph.web.stores import stores

    made = []

    def make(config: dict):
        app = create_app(config)
        made.append(app)
        return app

    yield make
    for app in made:
        stores(app).close()


@pytest.fixture
def client(app):
    """A test client of the directory's own `app` fixture. Each directory defines `app` itself: one
    session-scoped `app` here would be made for the first directory that asks and handed to the others with
    their own `app_config` ignored. Each test starts with an empty release cache, so that no answer kept for
    an earlier test (with other settings or module limits) is handed to this one."""
    from cpsgraph.web.httpcache import forget

    forget(app)
    return app.test_client()
