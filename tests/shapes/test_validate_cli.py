"""`cpsgraph validate FILE...`: a partner's file in any RDF syntax, exit 0 when it conforms, 1 when it does
not, 2 when it cannot be read; `--report` writes the sh:ValidationReport. Through click's runner, and the
exit codes once more through the real console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from cpsgraph.cli import main
from cpsgraph.namespaces import SH
from shapes_helpers import FIXTURES, ONTOLOGY, ROOT, SHAPES_DIR

# A complete file a partner could send, and the same with a second country for the participation.
VALID = Path(__file__).parent / "partner" / "participation.ttl"
SHAPE = "cpssh:ParticipationHasAtMostOneCountry"


@pytest.fixture(scope="module")
def invalid(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("partner") / "participation-two-countries.ttl"
    path.write_text(VALID.read_text(encoding="utf-8") + "\n<participation/1> cps:country <country/BR> .\n",
                    encoding="utf-8")
    return path
OXI = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
       "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
EXTENSION = {"turtle": "ttl", "ntriples": "nt", "rdfxml": "rdf", "jsonld": "jsonld", "trig": "trig", "nquads": "nq"}


def invoke(*args: str):
    return CliRunner().invoke(main, ["validate", "--shapes", str(SHAPES_DIR), "--ontology", str(ONTOLOGY),
                                     *args])


def as_format(source: Path, fmt: str, target_dir: Path) -> Path:
    """The fixture re-serialized in another RDF syntax (quads in the data named graph for TriG/N-Quads)."""
    triples = list(ox.parse(path=str(source), format=ox.RdfFormat.TURTLE))
    if fmt in ("trig", "nquads"):
        graph = ox.NamedNode("https://w3id.org/cps-lac/graph/data")
        content = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], format=OXI[fmt])
    else:
        content = ox.serialize(triples, format=OXI[fmt])
    target = target_dir / f"{source.stem}.{EXTENSION[fmt]}"
    target.write_bytes(content)
    return target


def test_conforming_file_exits_0():
    result = invoke(str(VALID))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1].startswith("conforms")


@pytest.mark.parametrize("fmt", sorted(OXI))
def test_every_rdf_syntax_is_read_and_checked(fmt, invalid, tmp_path):
    assert invoke(str(as_format(VALID, fmt, tmp_path))).exit_code == 0
    result = invoke(str(as_format(invalid, fmt, tmp_path)))
    assert result.exit_code == 1, result.output
    assert f"[{SHAPE}]" in result.stdout


def test_violations_name_focus_path_value_and_message(invalid):
    result = invoke(str(invalid))
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if SHAPE in line)
    assert line.startswith("Violation (cites Anexo III #1): ")
    assert "'Participation of Frances Fuller (Anexo III #1)' <https://w3id.org/cps-lac/id/participation/1>" in line
    assert "cps:country" in line
    assert "at most one country" in line
    assert result.stdout.strip().splitlines()[-1].startswith("does not conform: ")


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_messages_in_spanish_for_a_spanish_reader(invalid, engine, tmp_path):
    result = invoke(str(invalid), "--lang", "es", "--engine", engine, "--report", str(tmp_path / "r.ttl"))
    assert result.exit_code == 1, result.output
    line = next(line for line in result.stdout.splitlines() if SHAPE in line)
    assert "como mucho un país" in line and "at most one country" not in line
    # the report file holds the message in both languages, each tagged
    report = Graph().parse(tmp_path / "r.ttl")
    tags = {m.language for m in report.objects(None, SH.resultMessage)}
    assert tags == {"en", "es"}


def test_format_option_overrides_the_extension(invalid, tmp_path):
    odd = tmp_path / "partner-data.txt"
    odd.write_bytes(invalid.read_bytes())
    assert invoke(str(odd)).exit_code == 2  # .txt names no RDF syntax
    result = invoke("--format", "turtle", str(odd))
    assert result.exit_code == 1 and SHAPE in result.stdout


def test_report_is_a_shacl_validation_report(invalid, tmp_path):
    out = tmp_path / "report.ttl"
    result = invoke("--report", str(out), str(invalid))
    assert result.exit_code == 1
    report = Graph().parse(out, format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport)
    assert node is not None and report.value(node, SH.conforms).toPython() is False
    shapes = set(report.objects(None, SH.sourceShape))
    assert URIRef("https://w3id.org/cps-lac/shapes#ParticipationHasAtMostOneCountry") in shapes


def test_syntax_error_gives_line_and_column(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    result = invoke(str(broken))
    assert result.exit_code == 2
    assert "line 3, column" in result.stderr and "broken.ttl" in result.stderr


@pytest.mark.parametrize("content", [b"", b"   \n", b"@prefix ex: <http://example.org/> .\n"],
                         ids=["empty", "blank", "prefixes-only"])
def test_file_without_statements_is_an_error(content, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(content)
    result = invoke(str(empty))
    assert result.exit_code == 2
    assert "empty" in result.stderr or "no RDF statements" in result.stderr


def test_missing_file_is_an_error(tmp_path):
    result = invoke(str(tmp_path / "nowhere.ttl"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_missing_shapes_are_a_configuration_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--shapes", str(tmp_path), str(VALID)])
    assert result.exit_code == 2 and "no SHACL shapes" in result.stderr


# -- the real console script ------------------------------------------------------------------------------

def _console_script() -> list[str]:
    beside = Path(sys.executable).with_name("cpsgraph")
    found = str(beside) if beside.exists() else shutil.which("cpsgraph")
    assert found, "the cpsgraph console script is not installed (pip install -e .)"
    return [found]


def run_cpsgraph(*args: str) -> subprocess.CompletedProcess:
    # from the repository root, so that the default shapes/ and ontology/cps.ttl are the project's
    return subprocess.run(_console_script() + ["validate", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_console_script_exit_codes(invalid, tmp_path):
    unreadable = tmp_path / "a-directory.ttl"
    unreadable.mkdir()
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    garbled = tmp_path / "garbled.ttl"
    garbled.write_bytes(b"\xff\xfe<not rdf")

    assert run_cpsgraph(str(VALID)).returncode == 0
    failing = run_cpsgraph(str(invalid))
    assert failing.returncode == 1 and SHAPE in failing.stdout
    ill_typed = run_cpsgraph(str(FIXTURES / "EndDateWellFormed-invalid.ttl"))  # "2007-13-45"^^xsd:date
    assert ill_typed.returncode == 1 and "cpssh:EndDateWellFormed" in ill_typed.stdout
    assert "Traceback" not in ill_typed.stderr
    for path in (unreadable, empty, garbled, tmp_path / "missing.ttl"):
        proc = run_cpsgraph(str(path))
        assert proc.returncode == 2, (path, proc.stdout, proc.stderr)
        assert proc.stderr.startswith("error: ") and str(path) in proc.stderr
        assert "Traceback" not in proc.stderr
