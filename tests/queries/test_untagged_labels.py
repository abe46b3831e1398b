"""Person names have no language tag (data/README.md, "Types in the graph"), so a stored query that keeps the
labels of one language keeps untagged ones too; otherwise a person drops out of its answer."""

from __future__ import annotations

import re

import pytest
from query_helpers import QUERIES

TESTS = re.compile(r'LANG\(\?(\w+)\)\s*(=\s*"(?:[a-z-]+)"|IN\s*\([^)]*\))')


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_a_language_filter_keeps_untagged_labels(path):
    text = path.read_text(encoding="utf-8")
    dropped = []
    for match in TESTS.finditer(text):
        variable, test = match.groups()
        inclusive = f'LANG(?{variable}) = ""' in text or (test.startswith("IN") and '""' in test)
        if test.strip('= "') != "" and not inclusive:
            dropped.append(variable)
    assert dropped == [], f"{path.name}: LANG filters on ?{', ?'.join(dropped)} drop untagged labels (person names)"

