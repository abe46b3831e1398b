"""Helpers for the graph tests: SPARQL over the public graph with the project's prefixes."""

from __future__ import annotations

import pytest

PREFIXES = """
PREFIX cps: <https://w3id.org/cps-lac/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/cps-lac/id/>
PREFIX time: <http://www.w3.org/2006/time#>
"""


@pytest.fixture(scope="session")
def sparql(public_graph):
    """Run a SELECT on the public graph; returns a list of dicts of Python values (str for IRIs)."""

    def run(query: str) -> list[dict]:
        result = public_graph.query(PREFIXES + query)
        rows = []
        for binding in result:
            rows.append({str(var): (value.toPython() if hasattr(value, "toPython") else value)
                         for var, value in zip(result.vars, binding)})
        return rows

    return run

