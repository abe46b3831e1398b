"""Every fact is cited: every entity points at a passage, every passage exists in the report."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from cpsgraph.errors import DataError

CPS = "https://w3id.org/cps-lac/ontology#"
ID = "https://w3id.org/cps-lac/id/"


def test_every_passage_locator_resolves_inside_the_report(public_graph, report):
    passages = list(public_graph.subjects(RDF.type, URIRef(CPS + "Passage")))
    assert len(passages) > 200
    for passage in passages:
        locator = str(public_graph.value(passage, URIRef("http://purl.org/ontology/bibo/locator")))
        span = report.resolve(locator)  # raises on a locator that names nothing
        start = public_graph.value(passage, URIRef(CPS + "lineStart")).toPython()
        end = public_graph.value(passage, URIRef(CPS + "lineEnd")).toPython()
        assert span.start <= start <= end <= span.end, locator


def test_every_curated_entity_is_cited(public_graph):
    uncited = []
    for subject in set(public_graph.subjects(RDF.type, None)):
        text = str(subject)
        if not text.startswith(ID) or "/passage/" in text or "/scheme/" in text or text.endswith("/report"):
            continue
        if (subject, PROV.wasDerivedFrom, None) not in public_graph:
            uncited.append(text)
    assert uncited == []


@pytest.mark.parametrize("locator,lines,message", [
    ("§75", "3", "no paragraph 75"),
    ("Anexo III #86", "1540", "no entry 86"),
    ("Anexo III #56", "725", "used twice"),
    ("§5", "900", "outside §5"),
    ("Capítulo 9", "5", "is not a locator"),
])
def test_a_bad_citation_fails_the_build_naming_the_row(data_copy, tmp_path, build_from, locator, lines, message):
    path = data_copy / "subregions.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    cells = rows[1].split(",")
    cells[-2], cells[-1] = locator, lines
    rows[1] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as failure:
        build_from(data_copy, tmp_path / "out")
    assert "data/subregions.csv:2" in str(failure.value)
    assert message in str(failure.value)
