"""The search index on its own (cpsgraph.search_index): folding, word prefixes, one hit per entity, tiers,
FTS5 syntax in user text taken as words."""

from __future__ import annotations

import pytest

from cpsgraph.search_index import IndexEntry, SearchIndex, match_expression

ID = "https://example.org/id/"


@pytest.fixture(scope="module")
def index():
    entries = [
        IndexEntry(ID + "country/PA", "country", {"es": "Panamá", "en": "Panama"}, kind_label={"es": "País"}),
        IndexEntry(ID + "place/panama", "place", {"es": "Ciudad de Panamá", "en": "Panama City"}),
        IndexEntry(ID + "participation/7", "participation", {"es": "Participación de Ana (Panamá)"}),
        IndexEntry(ID + "organization/pnuma", "organization", {"es": "Programa de las Naciones Unidas para el Medio "
                   "Ambiente", "en": "United Nations Environment Programme"}, names=["PNUMA", "UNEP"],
                   description={"es": "Organización de las Naciones Unidas"}),
        IndexEntry(ID + "person/ana", "person", {"": "Ana Pérez"}, names=["Ana Perez"]),
    ]
    built = SearchIndex(entries)
    yield built
    built.close()


def iris(hits):
    return [h.iri for h in hits]


def test_accents_and_case_are_folded_both_ways(index):
    assert iris(index.search("PANAMA"))[0] == ID + "country/PA"
    assert iris(index.search("pérez")) == [ID + "person/ana"] == iris(index.search("PEREZ"))


def test_every_word_is_a_prefix_of_a_word(index):
    assert iris(index.search("pan"))[:2] == [ID + "country/PA", ID + "place/panama"]
    assert iris(index.search("nac unid")) == [ID + "organization/pnuma"]
    assert index.search("anama") == []   # inside a word is not a prefix


def test_one_hit_per_entity_and_intermediate_records_last(index):
    found = index.search("ana")
    assert len(iris(found)) == len(set(iris(found)))   # "Ana Pérez" and "Ana Perez" are one person
    assert iris(found)[-1] == ID + "participation/7"
    assert iris(index.search("ana", max_tier=1)) == [ID + "person/ana"]


def test_an_acronym_finds_its_organization_and_says_so(index):
    hit = index.search("unep", lang="en")[0]
    assert (hit.iri, hit.label, hit.matched, hit.alternative) == (
        ID + "organization/pnuma", "United Nations Environment Programme", "UNEP", True)
    assert index.search("unep", lang="es")[0].description == "Organización de las Naciones Unidas"


def test_kind_counts_and_filter(index):
    assert index.kind_counts("pan") == {"country": 1, "place": 1, "participation": 1}
    assert index.counted_all("pan", 4) and not index.counted_all("pan", 3)   # four names match (two of a city)
    assert sum(index.kind_counts("pan", cap=2).values()) == 2   # a lower bound past the cap
    assert iris(index.search("pan", kind="place")) == [ID + "place/panama"]


@pytest.mark.parametrize("text", ['"', "NEAR(a b)", "a OR b", "*", "col:x", "^pan", "AND", "'; DROP TABLE x"])
def test_query_syntax_in_user_text_is_read_as_words(index, text):
    index.search(text)   # raises nothing
    expression = match_expression(text)
    assert expression is None or all(part.startswith('"') and part.endswith('"*') for part in expression.split())
