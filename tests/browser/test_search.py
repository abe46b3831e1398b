"""Search over labels and alternative labels in both languages: accent- and case-insensitive, ranked, with
the kind of every hit."""

from __future__ import annotations

import pytest
from browser_helpers import ID, page_of

from cpsgraph.web.browser.search import fold, match


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
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True)


def test_accents_are_folded_both_ways(client):
    for text in ("sao paulo", "SÃO PAULO"):
        first = results(client, text, lang="en")[0]
        assert first["iri"] == ID + "place/sao-paulo" and first["label"] == "São Paulo"
    assert fold("Panamá, ") == "panama" and fold("São  Paulo") == "sao paulo"
    assert match("sao", fold("São Paulo")) == 80 and match("paulo", fold("São Paulo")) == 60


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
