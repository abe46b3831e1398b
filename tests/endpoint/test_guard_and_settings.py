"""The gate every query passes (its form, dataset clauses and SERVICE endpoints read from the text), content
negotiation on its own, and the settings: typed, and every one of them documented."""

from __future__ import annotations

import re

import pytest

from cpsgraph.config import SETTINGS, load_settings
from cpsgraph.errors import ConfigError, NotAcceptable, QueryRefused, QuerySyntaxError
from cpsgraph.formats import HTML, formats_for, negotiate
from cpsgraph.store.guard import check_services, inspect_query
from endpoint_helpers import ROOT


@pytest.mark.parametrize("text, form, graphs, named", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", [], []),
    ("prefix ex: <http://ex/> # comment SELECT\nconstruct { ?s ?p ?o } FROM ex:g FROM NAMED <http://n> WHERE {}",
     "CONSTRUCT", ["http://ex/g"], ["http://n"]),
    ("BASE <http://b/> ASK { FILTER(?x<2&&?y>1) }", "ASK", [], []),
    ('DESCRIBE ?x WHERE { ?x ?p "FROM <http://no/>" }', "DESCRIBE", [], []),
])
def test_the_shape_of_a_query(text, form, graphs, named):
    shape = inspect_query(text)
    assert (shape.form, list(shape.from_graphs), list(shape.from_named)) == (form, graphs, named)


@pytest.mark.parametrize("text", ["INSERT DATA { <a:a> <a:b> <a:c> }", "PREFIX a: <a:> DELETE WHERE { ?s ?p ?o }",
                                  "LOAD <http://example.org/x>", "clear all", "WITH <a:g> DELETE { ?s ?p ?o } WHERE {}",
                                  "DROP GRAPH <a:g>", "CREATE GRAPH <a:g>", "COPY DEFAULT TO <a:g>"])
def test_updates_are_refused_before_any_engine_sees_them(text):
    with pytest.raises(QueryRefused, match="read-only"):
        inspect_query(text)


@pytest.mark.parametrize("text", ["", "# only a comment", "PREFIX a: <a:>", "DEFINE input:inference 'x' SELECT * {}"])
def test_no_query_form_is_a_syntax_error(text):
    with pytest.raises(QuerySyntaxError):
        inspect_query(text)


@pytest.mark.parametrize("text, endpoints", [
    ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
    ("PREFIX e: <http://a/> SELECT * { SERVICE SILENT e:sparql { ?s ?p ?o } }", ["http://a/sparql"]),
    ("SELECT * { { SERVICE <http://a/x> {} } UNION { SERVICE <http://b/y> {} } }", ["http://a/x", "http://b/y"]),
    ("SELECT * { ?s <http://schema.org/serviceType> ?service }", []),
    ("SELECT * { BIND('SERVICE <http://a/>' AS ?x) } # SERVICE <http://b/>", []),
    ("SELECT * { BIND('''multi\nSERVICE <http://a/>''' AS ?x) }", []),
])
def test_service_endpoints_are_read_from_the_text(text, endpoints):
    assert list(inspect_query(text).services) == endpoints


def test_service_off_the_allow_list_is_refused():
    shape = inspect_query("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }")
    check_services(shape, {"http://a/sparql"})
    with pytest.raises(QueryRefused, match="allow-list"):
        check_services(shape, {"http://a/sparql/"})


@pytest.mark.parametrize("accept, form, expected", [
    (None, "SELECT", "json"), ("", "CONSTRUCT", "turtle"),
    ("text/csv;q=0.5, application/sparql-results+xml", "SELECT", "xml"),
    ("application/*;q=0.2, text/tab-separated-values;q=0.3", "ASK", "tsv"),
    ("text/html", "SELECT", "html"), ("*/*", "SELECT", "json"),
    ("text/plain", "DESCRIBE", "ntriples"), ("application/xml", "CONSTRUCT", "rdfxml"),
    ("application/xml", "SELECT", "xml"),
])
def test_negotiation(accept, form, expected):
    assert negotiate(accept, formats_for(form), explicit_only=(HTML,)).name == expected


def test_wildcards_never_choose_html_and_q0_excludes():
    with pytest.raises(NotAcceptable):
        negotiate("text/html;q=0, application/*;q=0, text/*;q=0", formats_for("SELECT"), explicit_only=(HTML,))
    assert negotiate("text/*", formats_for("SELECT"), explicit_only=(HTML,)).name == "csv"


# --- Settings ---------------------------------------------------------------------------------------------------

def configuration_section(text: str) -> str:
    match = re.search(r"^#+ *Configur\w*.*?$(.*?)(?=^#{1,2} |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("document", ["docs/configuration.md", "README.md"])
def test_every_setting_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    section = configuration_section(text) if document == "README.md" else text
    if document == "README.md" and not section:
        pytest.skip("the README has no configuration section yet (docs/configuration.md is the text to paste)")
    missing = [s.name for s in SETTINGS if f"CPS_{s.name}" not in section]
    assert not missing, f"{document} does not document: {', '.join(missing)}"


def test_documented_defaults_match_the_settings():
    text = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = next(line for line in text.splitlines() if f"`CPS_{setting.name}`" in line)
        shown = str(setting.default) if setting.default != "" else "(empty)"
        assert shown in row, (setting.name, row)


def test_settings_are_typed_from_the_environment(monkeypatch):
    monkeypatch.setenv("CPS_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("CPS_RESULT_CAP", "10")
    settings = load_settings({"QUERY_WORKERS": "3"})
    assert settings["QUERY_TIMEOUT"] == 2.5 and settings["RESULT_CAP"] == 10 and settings["QUERY_WORKERS"] == 3
    monkeypatch.setenv("CPS_RESULT_CAP", "many")
    with pytest.raises(ConfigError, match="RESULT_CAP"):
        load_settings()
