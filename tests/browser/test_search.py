"""Search over labels and alternative labels in both languages: accent- and case-insensitive, word prefixes,
ranked (primary entities first), one hit per entity, with the kind and a description line of every hit; and
the suggestions the comboboxes fetch."""

from __future__ import annotations

import pytest
from browser_helpers import ID, page_of

from cpsgraph.search_index import fold


def results(client, text, **args):
    response = client.get("/search.json", query_string={"q": text, **args})
    assert response.status_code == 200
    return response.get_json()["results"]


@pytest.mark.parametrize("text", ["panama", "PANAMA", "Panamá", "panamá"])
def test_panama_finds_panama_first(client, text):
    found = results(client, text)
    assert found[0]["iri"] == ID + "country/PA"
    assert found[0]["kind"] in ("Country", "País")
    # the organizations and the city named after it follow, ranked below the country
    others = [r["iri"] for r in found[1:]]
    assert ID + "place/ciudad-de-panama" in others or any("/organization/pa-" in i for i in others)


def test_unep_finds_pnuma_through_its_alternative_label(client):
    found = results(client, "UNEP", lang="en")
    assert found[0]["iri"] == ID + "organization/pnuma"
    assert found[0]["matched"] == "UNEP" and found[0]["alternative"]
    assert found[0]["label"] == "United Nations Environment Programme"
    spanish = results(client, "unep", lang="es")
    assert spanish[0]["label"] == "Programa de las Naciones Unidas para el Medio Ambiente"
    assert spanish[0]["kind"] == "Organización"


def test_a_person_comes_before_the_records_that_mention_her(client):
    found = results(client, "scavone")
    iris = [r["iri"] for r in found]
    assert iris[0] == ID + "person/graciela-scavone"
    assert ID + "participation/18" in iris   # found too, ranked after her
    assert [r["rank"] for r in found] == list(range(1, len(found) + 1))
    assert len(iris) == len(set(iris))   # one hit per entity
    assert found[0]["description"]       # what she is: her organizations, country or group


def test_accents_are_folded_both_ways(client):
    for text in ("sao paulo", "SÃO PAULO"):
        first = results(client, text, lang="en")[0]
        assert first["iri"] == ID + "place/sao-paulo" and first["label"] == "São Paulo"
    assert fold("Panamá, ") == "panama" and fold("São  Paulo") == "sao paulo"
    # word prefixes: the start of any word of a name, every word of the query
    assert ID + "place/sao-paulo" in [r["iri"] for r in results(client, "paul", lang="en")]
    assert results(client, "grac sca")[0]["iri"] == ID + "person/graciela-scavone"


def test_results_page_shows_the_kind_and_filters_by_it(client):
    page = page_of(client.get("/search", query_string={"q": "panama"}, headers={"Accept-Language": "es"}))
    assert "Panamá" in page.text and "País" in page.text
    kind_links = [a["href"] for a in page.links if "kind=" in a.get("href", "")]
    assert kind_links
    countries = results(client, "panama", kind="country")
    assert [r["iri"] for r in countries] == [ID + "country/PA"]


def test_no_match_and_empty_query(client):
    assert results(client, "zzzxxq") == []
    page = page_of(client.get("/search", query_string={"q": "zzzxxq"}))
    assert "Nothing matches" in page.text or "Nada coincide" in page.text
    assert client.get("/search").status_code == 200


def test_a_hit_shows_its_passages_with_the_words_in_place(client):
    page = page_of(client.get("/search", query_string={"q": "scavone"}))
    summaries = [attrs for tag, attrs in page.tags if tag == "details"]
    assert summaries, "no evidence disclosure on the hits"
    assert any(a.get("href") == "/page/passage/anexo-iii-18" for a in page.links)


def test_suggestions_are_options_of_primary_entities(client):
    response = client.get("/search/suggest", query_string={"q": "pana"}, headers={"Accept-Language": "es"})
    assert response.status_code == 200
    options = [attrs for tag, attrs in page_of(response).tags if attrs.get("role") == "option"]
    assert options[0]["href"] == "/page/country/PA"
    assert all("/participation/" not in o.get("href", "") for o in options)
    assert options[-1]["href"].startswith("/search?q=pana")   # and a way to every hit
    data = client.get("/search/suggest.json", query_string={"q": "UNEP", "lang": "en"}).get_json()["results"]
    assert data[0]["id"] == "organization/pnuma" and data[0]["kind_label"] == "Organization"


def test_actor_suggestions_are_persons_and_organizations_of_the_network(client):
    data = client.get("/search/suggest.json", query_string={"q": "bra", "scope": "actors"}).get_json()["results"]
    assert data and {r["kind"] for r in data} <= {"person", "organization"}
    assert client.get("/search/suggest.json", query_string={"q": ""}).get_json()["results"] == []


def test_the_paths_form_resolves_a_typed_name_without_script(client):
    page = page_of(client.get("/paths", query_string={"from_name": "graciela scavone", "to_name": "PNUMA"}))
    assert "paths" in page.ids
    missing = client.get("/paths", query_string={"from_name": "zzzxxq", "to_name": "PNUMA"})
    assert missing.status_code == 404 and b"zzzxxq" in missing.data
    assert not [t for t, a in page_of(client.get("/paths")).tags if t == "select"]   # no 190-entry dropdowns
