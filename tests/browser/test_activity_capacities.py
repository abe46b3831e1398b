"""The browser shows each capacity an activity names under its own heading (issue 13, item 6): who is
responsible, who supports it, whom it supports, to whom it sends something."""

from __future__ import annotations

import re

import pytest


def _headings(html: str) -> dict[str, str]:
    """Each <dt> heading of the page (without the count of its values) and the HTML of its <dd>."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    return {re.sub(r"\s+", " ", re.sub(r'<span class="count">\(\d+\)</span>', "", dt)).strip(): dd for dt, dd in pairs}


@pytest.mark.parametrize("path,lang,heading,target,absent", [
    # Anexo IV.1 A.corto.7 (line 1663): "con el apoyo de PNUMA"
    ("plan/caribe/a-corto-plazo-7", "en", "supported by", "/page/organization/pnuma", "responsible"),
    ("plan/caribe/a-corto-plazo-7", "es", "con el apoyo de", "/page/organization/pnuma", "responsable"),
    # Anexo IV.1 A.corto.6 (line 1661): "Apoyar a los gobiernos de Canadá y Brasil ..."
    ("plan/caribe/a-corto-plazo-6", "en", "beneficiary", "/page/organization/gobierno-ca", "responsible"),
    # Anexo IV.1 A.corto.1 (line 1651): "... y comunicación al PNUMA"
    ("plan/caribe/a-corto-plazo-1", "en", "recipient", "/page/organization/pnuma", "responsible"),
])
def test_each_capacity_has_its_own_heading(client, path, lang, heading, target, absent):
    response = client.get(f"/page/{path}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    headings = _headings(response.get_data(as_text=True))
    assert heading in headings, sorted(headings)
    assert target in headings[heading]
    assert absent not in headings
