"""The worked examples of docs/queries.md, run as written (curl, SPARQLWrapper, rdflib) against a real
waitress server on the build, so the README material cannot drift from the service."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import threading

import pytest

from cpsgraph.web.serve import make_server
from cpsgraph.web.stores import stores

from query_helpers import QUERIES, ROOT

DOCS = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(sh|python)\n(.*?)```", DOCS, re.S)
# Anexo III #33-35: the three entries from Paraguay
PARAGUAY = ("Roberto Ramon Amarilla Martinez", "Domingo Silvo Benitez Ruiz Diaz", "Sonia Maria Servin Estigarribia")


@pytest.fixture(scope="module")
def service(release):
    server = make_server({"BUILD_DIR": str(release.parents[1]), "QUERIES_DIR": str(QUERIES), "QUERY_WORKERS": 1},
                         host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    stores(server.cps_app).close()


def _on(service: str, code: str) -> str:
    return code.replace("http://127.0.0.1:8000", service)


def test_docs_have_one_example_per_client():
    languages = [language for language, _ in BLOCKS]
    assert languages.count("sh") == 1 and languages.count("python") == 2
    assert "SPARQLWrapper" in BLOCKS[1][1] and "rdflib" in BLOCKS[2][1]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_example(service):
    result = subprocess.run(["bash", "-e", "-c", _on(service, BLOCKS[0][1])], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name in PARAGUAY:
        assert result.stdout.count(name) == 2  # once from the API, once from the endpoint


@pytest.mark.parametrize("index", [1, 2], ids=["sparqlwrapper", "rdflib"])
def test_python_example(service, index, monkeypatch):
    monkeypatch.chdir(ROOT)  # the SPARQLWrapper example reads queries/ relative to the repository
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_on(service, BLOCKS[index][1]), f"docs/queries.md example {index}", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["33", "34", "35"]
    assert all(name in printed.getvalue() for name in PARAGUAY)
