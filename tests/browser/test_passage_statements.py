"""A passage's page lists the relations it states readably (issue 13): each citing rdf:Statement by its
subject, property and object labels in the page's language, not by its hex IRI."""

from __future__ import annotations

import re

import pytest
from browser_helpers import page_of


@pytest.mark.parametrize("lang, subject, predicate, obj, heading", [
    # §29 (line 98): the Business Forum is an implementation mechanism of the Marrakech Process
    ("es", "Proceso de Marrakech", "mecanismo de implementación", "Foro Empresarial del Proceso de Marrakech",
     "Relaciones que enuncia este pasaje"),
    ("en", "Marrakech Process", "implementation mechanism", "Business Forum of the Marrakech Process",
     "Relations this passage states"),
])
def test_a_passage_page_lists_the_relations_it_states_by_their_labels(client, lang, subject, predicate, obj, heading):
    html, items = _stated(client, "par-29", lang)
    assert heading in page_of(client.get("/page/passage/par-29", headers={"Accept-Language": lang})).text
    assert any(item.startswith(f"{subject} {predicate} {obj}") for item in items), items[:5]
    # every statement of §29 is listed once, and none is shown by its bare IRI
    assert len(items) == len(set(items)) >= 60
    assert not any(re.fullmatch(r"[0-9a-f]{16}", item.split()[0]) for item in items)
    incoming = html[html.find('id="incoming-list"'):]
    assert not re.search(r">[0-9a-f]{16}</a>", incoming), "statements are not listed again by their IRI"


def test_a_stated_honorific_is_shown_as_its_value(client):
    # §19 (line 77) writes 'Sr.' before Fernando Rei: a relation whose object is a literal
    _, items = _stated(client, "par-19", "en")
    assert "Fernando Rei honorific Sr. statement" in items


def _stated(client, passage: str, lang: str) -> tuple[str, list[str]]:
    """The page's HTML and the text of each item of its list of stated relations."""
    response = client.get(f"/page/passage/{passage}", headers={"Accept-Language": lang})
    html = response.get_data(as_text=True)
    section = html[html.index('id="stated-list"'):]
    section = section[:section.index("</ul>")]
    return html, [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in section.split("<li>")[1:]]
