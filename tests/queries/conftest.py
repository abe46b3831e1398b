"""Fixtures for the stored-query tests: the built public graph in an embedded pyoxigraph store (the union of
its named graphs as default graph, as the endpoint serves it) and a runner for the files of queries/."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from query_helpers import load_public, run_on


@pytest.fixture(scope="session")
def public_store(release) -> ox.Store:
    """The public TriG of the built release, in memory."""
    return load_public(release)


@pytest.fixture(scope="session")
def run(public_store):
    """run(name, **params) -> rows of the stored query on the built public graph."""
    return lambda name, **params: run_on(public_store, name, **params)
