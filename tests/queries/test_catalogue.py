"""The catalogue of stored queries keeps its contract: every file has a valid header, is a SELECT with an
ORDER BY, parses on the engine, and is listed in docs/queries.md; together they cover every kind and
enough of them are multi-hop."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cpsgraph.queries import KINDS, QueryFileError, bind, load_queries, parse_query
from cpsgraph.query_text import tokens

from query_helpers import QUERIES, ROOT

CATALOGUE = load_queries(QUERIES)


def test_at_least_thirty_queries_covering_every_kind():
    assert len(CATALOGUE) >= 30
    assert {query.kind for query in CATALOGUE.values()} == set(KINDS)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_is_a_select_with_a_header_and_an_order(name):
    query = CATALOGUE[name]
    words = [token.text.upper() for token in tokens(query.text) if token.kind == "word"]
    assert "SELECT" in words and not {"CONSTRUCT", "DESCRIBE", "ASK", "INSERT", "DELETE"} & set(words)
    assert "ORDER" in words, "pages are cut with LIMIT/OFFSET: the order must be fixed"
    assert query.title_en and query.title_es and query.question and query.audience
    assert query.title_en != query.title_es
    assert query.variables, "the projected variables are named (no SELECT *)"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_parses_once_its_parameters_are_bound(name, public_store):
    text, terms = bind(CATALOGUE[name], {})
    assert set(terms) == {param.name for param in CATALOGUE[name].params}
    public_store.query(text + "\nLIMIT 0", use_default_graph_as_union=True)  # raises SyntaxError if broken


def _is_multi_hop(text: str) -> bool:
    """Three or more joins (four or more variables in the WHERE clause) and at least one of: aggregation,
    OPTIONAL, FILTER NOT EXISTS, a property path, a subquery."""
    found = list(tokens(text))
    where = next(i for i, token in enumerate(found) if token.text.upper() == "WHERE")
    variables = {token.text for token in found[where:] if token.kind == "var"}
    words = [token.text.upper() for token in found if token.kind == "word"]
    path = any(token.kind == "punct" and token.text in "/|*+^" and found[i - 1].kind in ("word", "punct")
               and found[i + 1].kind in ("word", "punct") for i, token in enumerate(found[where:-1], where))
    features = ("GROUP" in words, "OPTIONAL" in words, "EXISTS" in words, path, words.count("SELECT") > 1)
    return len(variables) >= 4 and any(features)


def test_at_least_ten_multi_hop_queries():
    multi = [name for name, query in CATALOGUE.items() if _is_multi_hop(query.text)]
    assert len(multi) >= 10, multi
    assert "path-between-actors" in multi and "organizations-responsible-in-several-subregions" in multi


def test_violation_queries_are_quality_queries():
    violations = [query for name, query in CATALOGUE.items() if name.endswith("-violation")]
    assert len(violations) >= 4
    assert all(query.kind == "quality" for query in violations)
    names = set(CATALOGUE)
    for required in ("missing-english-label-violation", "dangling-iri-violation",
                     "undeclared-property-violation", "person-without-organization-violation"):
        assert required in names


def test_docs_list_every_query_with_its_question():
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in CATALOGUE:
        assert f"`{name}`" in docs, f"{name} is missing from docs/queries.md"


def test_readme_documents_every_kind_and_type():
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"`{kind}`" in readme
    for word in ("`entity:KIND`", "`entity`", "`iri`", "`string`", "`integer`"):
        assert word in readme


@pytest.mark.parametrize("header,problem", [
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n", "kind"),
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: gossip\n", "gossip"),
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: network\n"
     "# param: ?who person <x> \"someone\"\n", "param"),
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: network\n"
     "# param: ?n integer twelve \"a number\"\n", "param"),
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: network\n"
     "# param: ?s entity:country <https://w3id.org/cps-lac/id/country/A B> \"a country\"\n", "default"),
    ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: network\n"
     "# param: ?who entity:person <https://w3id.org/cps-lac/id/person/x> \"unused\"\n", "not used"),
])
def test_malformed_headers_are_refused_with_the_reason(header, problem):
    with pytest.raises(QueryFileError) as caught:
        parse_query(header + "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", "broken")
    assert problem in caught.value.message
    assert "broken.rq" in caught.value.message


def test_the_header_ends_at_the_first_line_of_sparql():
    text = ("# title-en: A\n# title-es: B\n# question: Q\n# audience: a\n# kind: network\n"
            "SELECT ?s WHERE { ?s ?p ?o }\n# kind: quality\n")
    assert parse_query(text, "late").kind == "network"


def test_engine_rejects_what_the_tokenizer_would_misread():
    # a guard on the test above: the engine really parses the bound text (not a no-op)
    with pytest.raises(SyntaxError):
        ox.Store().query("SELECT ?s WHERE { ?s ?p }")
