"""Parameters are bound as RDF terms in a VALUES block, never pasted: values of the wrong kind, and injection
attempts, are refused before any query runs. Pages are windows of one ordered result."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cpsgraph.queries import InvalidParameter, UnknownQuery, bind, find_query, oxigraph_select, run_page
from cpsgraph.query_text import select_variables

from query_helpers import QUERIES, plain

INJECTIONS = [
    "AR> } ; DROP ALL ; #",
    "https://w3id.org/cps-lac/id/country/AR> } DELETE WHERE { ?s ?p ?o } #",
    "AR } UNION { ?country ?p ?o",
    "AR\nSELECT * WHERE { ?s ?p ?o }",
    "../person/graciela-scavone",
    "AR'",
    "",  # not refused: empty means "use the default"
]


@pytest.fixture(scope="module")
def from_country():
    return find_query("participants-from-country", QUERIES)


@pytest.mark.parametrize("value", [v for v in INJECTIONS if v])
def test_injection_into_an_entity_parameter_is_refused(from_country, value):
    with pytest.raises(InvalidParameter) as caught:
        bind(from_country, {"country": value})
    assert caught.value.status == 400 and "?country" in caught.value.message


@pytest.mark.parametrize("value", ["1 } DROP ALL", "2; 3", "1e3", "two", "0x10"])
def test_injection_into_an_integer_parameter_is_refused(value):
    with pytest.raises(InvalidParameter):
        bind(find_query("annex-v-answers", QUERIES), {"position": value})


def test_a_string_parameter_stays_one_literal(public_store):
    query = find_query("facts-from-passage", QUERIES)
    evil = '§59" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    text, terms = bind(query, {"locator": evil})
    assert terms["locator"] == ox.Literal(evil)
    # the whole value is one escaped literal in the VALUES block: the query still parses and finds nothing
    page = run_page(query, oxigraph_select(public_store), {"locator": evil})
    assert page.rows == []
    assert len(public_store) > 10000  # nothing was dropped


@pytest.mark.parametrize("value", ["line\nbreak", "x" * 201])
def test_a_string_parameter_must_be_one_short_line(value):
    with pytest.raises(InvalidParameter):
        bind(find_query("facts-from-passage", QUERIES), {"locator": value})


def test_values_of_the_right_kind_are_accepted_in_both_spellings(from_country):
    short, _ = bind(from_country, {"country": "PY"})
    full, _ = bind(from_country, {"country": "https://w3id.org/cps-lac/id/country/PY"})
    bracketed, _ = bind(from_country, {"country": "<https://w3id.org/cps-lac/id/country/PY>"})
    assert short == full == bracketed
    assert "VALUES (?country) { (<https://w3id.org/cps-lac/id/country/PY>) }" in short


def test_an_entity_of_another_kind_or_namespace_is_refused(from_country):
    for value in ("https://w3id.org/cps-lac/id/person/graciela-scavone", "http://example.org/country/AR"):
        with pytest.raises(InvalidParameter):
            bind(from_country, {"country": value})


def test_values_follow_the_deployment_base(from_country):
    text, terms = bind(from_country, {}, base="http://localhost/cps/")
    # the default written under the published base is rebased; the published base is not accepted there
    assert terms["country"] == ox.NamedNode("http://localhost/cps/id/country/AR")
    with pytest.raises(InvalidParameter):
        bind(from_country, {"country": "https://w3id.org/cps-lac/id/country/AR"}, base="http://localhost/cps/")


def test_values_open_the_top_level_where_group(from_country):
    text, _ = bind(from_country, {"country": "UY"})
    where = text.index("WHERE {")
    assert text[where:].startswith("WHERE { VALUES (?country) { (<https://w3id.org/cps-lac/id/country/UY>) }")
    assert text.count("VALUES") == 1


def test_undeclared_parameters_are_refused(from_country):
    with pytest.raises(InvalidParameter) as caught:
        bind(from_country, {"country": "AR", "graph": "<urn:x>"})
    assert "graph" in caught.value.message and "country" in caught.value.message


def test_unknown_query_names_are_refused():
    for name in ("no-such-query", "../README", "Participants-By-Country", "x.rq"):
        with pytest.raises(UnknownQuery):
            find_query(name, QUERIES)


def test_pages_are_windows_of_one_ordered_result(public_store):
    query = find_query("participants-by-country", QUERIES)
    select = oxigraph_select(public_store)
    whole = run_page(query, select, per_page=100)
    pages, number = [], 1
    while True:
        page = run_page(query, select, page=number, per_page=7)
        pages.extend(page.rows)
        if not page.has_next:
            break
        number += 1
    assert number == 4  # 26 countries: 7 + 7 + 7 + 5
    assert [plain(row["country"]) for row in pages] == [plain(row["country"]) for row in whole.rows]
    assert not whole.has_next and len(whole.rows) == 26
    assert run_page(query, select, page=9, per_page=7).rows == []


@pytest.mark.parametrize("page,per_page", [(0, 10), (1, 0), (1, 100000), (-1, 5)])
def test_page_bounds_are_checked(public_store, page, per_page):
    with pytest.raises(InvalidParameter):
        run_page(find_query("timeline", QUERIES), oxigraph_select(public_store), page=page, per_page=per_page)


def test_projected_variables_are_read_from_the_query():
    assert select_variables("SELECT ?a (COUNT(?b) AS ?n) ?c WHERE { ?a ?b ?c } GROUP BY ?a ?c") == ["a", "n", "c"]
    assert select_variables("SELECT DISTINCT ?x WHERE { ?x ?p ?o }") == ["x"]
    assert select_variables("SELECT * WHERE { ?x ?p ?o }") == []
