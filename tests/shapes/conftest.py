"""Fixtures of the shapes tests: the project's shapes and ontology graphs, loaded once, and a helper that
validates one RDF file the way `cpsgraph validate` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpsgraph.ontology import load_ontology
from cpsgraph.rdf_input import read_rdf_files
from cpsgraph.validation import Outcome, graph_store, load_shapes, validate_graph, validate_store
from shapes_helpers import ONTOLOGY, SHAPES_DIR


@pytest.fixture(scope="session")
def shapes_graph():
    return load_shapes(SHAPES_DIR)


@pytest.fixture(scope="session")
def ontology_graph():
    return load_ontology(ONTOLOGY)


@pytest.fixture(scope="session")
def check(shapes_graph, ontology_graph):
    """Validate one file against the project's shapes, the ontology mixed in (as `cpsgraph validate`), with
    the pyshacl engine or (engine="sparql") the build's."""

    def run(path: Path, shapes=None, engine: str = "pyshacl") -> Outcome:
        shapes = shapes if shapes is not None else shapes_graph
        if engine == "sparql":
            return validate_store(graph_store(read_rdf_files([path]), ontology_graph), shapes)
        return validate_graph(read_rdf_files([path]), shapes, ontology_graph, inplace=True)

    return run
