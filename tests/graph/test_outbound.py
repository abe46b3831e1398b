"""Outbound links only where certain: every Wikidata and M49 link is one listed in shared/reference."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import SKOS


def reference_ids(root) -> set[str]:
    text = (root.parent / "shared" / "reference" / "identifiers.md").read_text(encoding="utf-8")
    confirmed = text.split("Not confirmed")[0]
    return set(re.findall(r"\bQ\d+\b", confirmed))


def test_every_wikidata_link_is_in_the_reference(public_graph, root):
    allowed = reference_ids(root)
    linked = {str(o).rsplit("/", 1)[-1] for o in public_graph.objects(None, SKOS.exactMatch)
              if str(o).startswith("http://www.wikidata.org/entity/")}
    assert linked, "no Wikidata links at all"
    assert linked <= allowed


def test_country_links(public_graph):
    argentina = URIRef("https://w3id.org/cps-lac/id/country/AR")
    matches = {str(o) for o in public_graph.objects(argentina, SKOS.exactMatch)}
    assert matches == {"http://www.wikidata.org/entity/Q414", "http://metadata.un.org/sdg/codes/geoArea/032"}
    uruguay = URIRef("https://w3id.org/cps-lac/id/country/UY")
    assert list(public_graph.objects(uruguay, SKOS.exactMatch)) == []  # not in the checked list


def test_10yfp_links_to_sdg_target_12_1(public_graph):
    cps = "https://w3id.org/cps-lac/ontology#"
    targets = {str(o) for o in public_graph.objects(None, URIRef(cps + "sdgTarget"))}
    assert "http://metadata.un.org/sdg/12.1" in targets
