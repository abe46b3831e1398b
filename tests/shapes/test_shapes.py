"""The shapes are code: every shape catches the smallest graph that breaks its rule and accepts one that
keeps it (tests/shapes/data/<Shape>-invalid.ttl / -valid.ttl, both kinds run, on both SHACL engines, which
must report the same results), every shape explains itself, the shapes are valid SHACL, and the real graph
passes them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from cpsgraph.namespaces import SH, Base
from cpsgraph.validation import SHAPES_NS, load_shapes, validate_files

from shapes_helpers import FIXTURES, ONTOLOGY, SHAPES_DIR

FIXTURE_FILES = sorted(FIXTURES.glob("*-valid.ttl")) + sorted(FIXTURES.glob("*-invalid.ttl"))
WARNING_SHAPES = {"OrganizationHasSector", "CurationNoteHasSpanish"}


def _shape_and_kind(path: Path) -> tuple[str, str]:
    name, kind = path.stem.rsplit("-", 1)
    return name, kind


def _named_shapes(graph: Graph) -> set[str]:
    typed = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return {str(s)[len(SHAPES_NS):] for s in typed if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)}


def _lines(outcome, lang: str = "en") -> list[str]:
    return sorted(r.line(lang) for r in outcome.results)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_shape_fixture(path, check):
    shape, kind = _shape_and_kind(path)
    outcome = check(path, engine="sparql")  # the build's engine
    reference = check(path)  # pyshacl
    assert _lines(outcome) == _lines(reference), "the SPARQL engine and pyshacl report different results"
    assert _lines(outcome, "es") == _lines(reference, "es"), "the engines give different Spanish messages"
    assert outcome.conforms == reference.conforms
    fired = [r for r in outcome.results if r.shape == f"cpssh:{shape}"]
    if kind == "valid":
        assert not fired, f"cpssh:{shape} rejected its valid fixture:\n" + "\n".join(r.line() for r in fired)
        return
    others = sorted({r.shape for r in outcome.results})
    assert fired, f"cpssh:{shape} did not catch its invalid fixture; fired: {others}"
    expected = "Warning" if shape in WARNING_SHAPES else "Violation"
    assert {r.severity for r in fired} == {expected}
    assert all(len(r.message) > 20 for r in fired), "every result carries the shape's message"
    assert all(r.message_in("es")[1] == "es" and r.message_in("es")[0] != r.message for r in fired), \
        "every result carries the shape's message in Spanish too"


def test_every_shape_has_a_valid_and_an_invalid_fixture(shapes_graph):
    fixtures = {_shape_and_kind(p) for p in FIXTURES.glob("*.ttl")}
    shapes = _named_shapes(shapes_graph)
    missing = sorted(f"{s}-{k}.ttl" for s in shapes for k in ("valid", "invalid") if (s, k) not in fixtures)
    orphans = sorted(f"{s}-{k}.ttl" for s, k in fixtures if s not in shapes)
    assert not missing, f"shapes without fixtures: {missing}"
    assert not orphans, f"fixtures of no shape: {orphans}"


def _by_language(graph: Graph, node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in graph.objects(node, SH.message):
        found.setdefault(message.language or "", []).append(str(message))
    return found


def test_every_shape_has_one_message_in_english_and_one_in_spanish(shapes_graph):
    # Spanish for /quality and `cpsgraph validate --lang es` (issue 14): a reader of either language is told
    # what to fix; the English one is what both engines report by default
    nodes = [URIRef(SHAPES_NS + name) for name in sorted(_named_shapes(shapes_graph))]
    nodes += [c for c in shapes_graph.objects(None, SH.sparql) if shapes_graph.value(c, SH.message) is not None]
    for node in nodes:
        messages = _by_language(shapes_graph, node)
        assert sorted(messages) == ["en", "es"] and all(len(m) == 1 for m in messages.values()), (node, messages)
        (english,), (spanish,) = messages["en"], messages["es"]
        assert spanish != english, node
        # the same {?var} templates and the same IRIs, file names and terms to fix
        assert sorted(re.findall(r"\{[?$]\w+\}", spanish)) == sorted(re.findall(r"\{[?$]\w+\}", english)), node
        terms = r"https?://[^\s<]+|\b[\w/.-]+\.(?:csv|md)\b|\b[a-z]+:[A-Za-z]+\b"
        assert sorted(set(re.findall(terms, spanish))) == sorted(set(re.findall(terms, english))), node


def test_sparql_constraints_carry_their_own_message(shapes_graph):
    constraints = list(shapes_graph.objects(None, SH.sparql))
    assert len(constraints) >= 4  # seats (2), dates, contact details
    for constraint in constraints:
        assert shapes_graph.value(constraint, SH.message) is not None
        assert shapes_graph.value(constraint, SH.prefixes) is not None


def test_shapes_are_valid_shacl(shapes_graph):
    shacl_shacl = Graph().parse(Path(os.path.dirname(pyshacl.__file__)) / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_shacl)
    assert conforms, text


@pytest.mark.parametrize("path", sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_shape_file_header_has_version_and_licence(path):
    header = path.read_text(encoding="utf-8").split("@prefix", 1)[0]
    assert re.search(r"Version \d+\.\d+\.\d+", header)
    assert "CC BY 4.0" in header


def test_real_graph_conforms(built, release):
    # `built` ran the gate; only the sector warnings may remain, and they name their rows
    assert all("[cpssh:OrganizationHasSector]" in line for line in built.warnings)
    assert all(" at data/organizations/" in line for line in built.warnings)
    outcome = validate_files([release / "public" / "cps-lac.trig"], shapes=SHAPES_DIR, ontology=ONTOLOGY)
    assert outcome.conforms and not outcome.violations


def test_restricted_triples_fail_the_public_rules(release, tmp_path):
    # a slice of the restricted dump, as if it had leaked into a public file
    restricted = ox.parse(path=str(release / "restricted" / "cps-lac-restricted.trig"), format=ox.RdfFormat.TRIG)
    leaked = tmp_path / "leaked.nq"
    leaked.write_bytes(ox.serialize(list(restricted)[:40], format=ox.RdfFormat.N_QUADS))
    outcome = validate_files([leaked], shapes=SHAPES_DIR, ontology=ONTOLOGY)
    assert not outcome.conforms
    leaks = [r for r in outcome.violations if r.shape == "cpssh:NoContactDetailsInPublicGraph"]
    assert leaks and all(r.path.startswith("schema:") for r in leaks)


def test_shapes_follow_another_base(check, tmp_path):
    """The shapes are written for the default base; loaded for another one, the IRI patterns and the
    IRIs they name move with it."""
    other = Base("https://example.org/cps/")
    shapes = load_shapes(SHAPES_DIR, other)
    source = (FIXTURES / "AgencyParticipationHasNoCountry-invalid.ttl").read_text(encoding="utf-8")
    moved = tmp_path / "moved.ttl"
    moved.write_text(source.replace("https://w3id.org/cps-lac/id/", other.base + "id/"), encoding="utf-8")

    fired_default = {r.shape for r in check(moved).results}
    fired_rebased = {r.shape for r in check(moved, shapes).results}
    assert "cpssh:ParticipationShape" in fired_default          # wrong base for the default shapes
    assert "cpssh:ParticipationShape" not in fired_rebased      # right base for the rebased ones
    assert "cpssh:AgencyParticipationHasNoCountry" in fired_rebased  # sh:hasValue moved too


def test_readme_describes_every_shape_file_and_validate_option():
    readme = (SHAPES_DIR / "README.md").read_text(encoding="utf-8")
    for path in SHAPES_DIR.glob("*.ttl"):
        assert f"`{path.name}`" in readme
    from cpsgraph.cli import main

    for param in main.commands["validate"].params:
        for option in getattr(param, "opts", []):
            if option.startswith("--") and option != "--help":
                assert option in readme, f"{option} of `cpsgraph validate` is not in shapes/README.md"
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in readme


STANDARD_CLASSES = ("http://xmlns.com/foaf/0.1/Person", "http://www.w3.org/ns/org#Organization",
                    "http://www.w3.org/ns/org#Membership", "http://schema.org/Country", "http://schema.org/Place",
                    "http://www.w3.org/2004/02/skos/core#Concept", "http://www.w3.org/2004/02/skos/core#ConceptScheme")


def test_every_class_has_a_node_shape(shapes_graph, ontology_graph):
    from rdflib.namespace import OWL

    classes = {str(c) for c in ontology_graph.subjects(RDF.type, OWL.Class)
               if str(c).startswith("https://w3id.org/cps-lac/ontology#")} | set(STANDARD_CLASSES)
    shaped = {str(c) for s in shapes_graph.subjects(RDF.type, SH.NodeShape)
              for c in shapes_graph.objects(s, SH.targetClass)}
    assert not classes - shaped, f"classes without a node shape: {sorted(classes - shaped)}"
    for cls in classes:
        local = cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        shape = URIRef(f"{SHAPES_NS}{local}Shape")
        assert (shape, SH.targetClass, URIRef(cls)) in shapes_graph, f"no cpssh:{local}Shape for {cls}"
        assert shapes_graph.value(shape, SH.pattern) is not None, f"cpssh:{local}Shape checks no IRI pattern"
