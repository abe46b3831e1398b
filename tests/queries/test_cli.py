"""`cpsgraph query NAME|FILE -p NAME=VALUE`: stored queries by name with bound parameters, on the build."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from cpsgraph.cli import main

from query_helpers import QUERIES


def cli(release, *args):
    return CliRunner().invoke(main, ["query", *args], env={"CPS_BUILD_DIR": str(release.parents[1]),
                                                           "CPS_QUERIES_DIR": str(QUERIES)})


def test_stored_query_with_a_parameter(release):
    result = cli(release, "participants-from-country", "-p", "country=UY", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # Anexo III #36 Graciela Rossi, #37 Giselle Beja (group 4), #57 (academia, group 5): Uruguay
    assert [row["entry_number"] for row in rows] == ["36", "37", "57"]


def test_a_file_with_a_header_takes_parameters_too(release, tmp_path):
    copy = tmp_path / "mine.rq"
    copy.write_text((QUERIES / "participants-from-country.rq").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli(release, str(copy), "--param", "country=CL", "--format", "csv")
    assert result.exit_code == 0, result.output
    # Anexo III: Chile #32, #45, #46 and #56 (CIMM, listed under academia)
    assert [row["entry_number"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["32", "45", "46", "56b"]


def test_bad_parameter_values_exit_2(release, tmp_path):
    injected = cli(release, "participants-from-country", "-p", "country=AR> } DROP ALL")
    assert injected.exit_code == 2 and "?country" in injected.output
    undeclared = cli(release, "timeline", "-p", "year=2007")
    assert undeclared.exit_code == 2 and "no parameter year" in undeclared.output
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert cli(release, str(plain), "-p", "x=1").exit_code == 2


def test_unknown_name_exits_2(release):
    result = cli(release, "no-such-question")
    assert result.exit_code == 2 and "No query file" in result.output
