"""The fast path for SELECT in the embedded store: pyoxigraph evaluates and serializes natively, and the cap
is checked on its output instead of by iterating solutions in Python (which costs more than the query).

The engine is asked for at most cap+1 solutions (a `LIMIT` appended to the query when the query has no outer
LIMIT of its own; a query whose own LIMIT is within the cap needs none). Then a cheap upper bound on the
rows in the output (a byte count that can only over-count) decides: within the cap, the bytes go out as
they are; otherwise the rows are counted exactly and the output is cut and marked as results.py does.

The byte cap holds on this path too: pyoxigraph writes into a `BoundedOutput` that stops the serialization
as soon as it would pass the cap (`native` then gives None), and the caller evaluates again on the row by
row path of results.py, which cuts at the last row within the cap and says so.
"""

from __future__ import annotations

import csv
import io
import json

from ..formats import Format
from .results import Answer, truncation_message


class Full(Exception):
    """Raised into pyoxigraph's serializer by BoundedOutput: the output would pass the byte cap."""


class BoundedOutput:
    """A binary file for pyoxigraph's serializers that refuses to hold more than `limit` bytes."""

    def __init__(self, limit: int | None):
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise Full
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def native(results, fmt: Format, byte_cap: int | None) -> bytes | None:
    """pyoxigraph's own serialization of `results`, or None when it would be larger than `byte_cap`."""
    output = BoundedOutput(byte_cap)
    try:
        results.serialize(output, format=fmt.oxigraph)
    except Full:
        return None
    return b"".join(output.parts)


def limited_text(text: str, cap: int) -> str:
    """The query asking the engine for one row more than the cap (to know that there is more)."""
    return f"{text}\nLIMIT {cap + 1}"


def cut_native(body: bytes, fmt: Format, cap: int | None) -> Answer:
    """Answer for pyoxigraph's serialization `body` of at most cap+1 solutions."""
    if cap is None or _upper_bound(body, fmt.name) <= cap:
        return Answer("SELECT", body, fmt.media_type, None, False, cap)
    cut = _CUTTERS[fmt.name](body, cap)
    if cut is None:
        return Answer("SELECT", body, fmt.media_type, None, False, cap)
    return Answer("SELECT", cut, fmt.media_type, cap, True, cap)


def _upper_bound(body: bytes, name: str) -> int:
    if name == "json":  # rows are objects separated by `},{`; a literal may hold that too, never fewer
        return 0 if b'"bindings":[]' in body else body.count(b"},{") + 1
    if name == "xml":  # `<` is escaped inside values: exact
        return body.count(b"<result>")
    return body.count(b"\n") - 1  # CSV may quote newlines (over-counts); TSV escapes them (exact)


def _cut_json(body: bytes, cap: int) -> bytes | None:
    doc = json.loads(body)
    bindings = doc["results"]["bindings"]
    if len(bindings) <= cap:
        return None
    out = {"head": doc["head"], "truncated": {"limit": cap, "message": truncation_message(cap)},
           "results": {"bindings": bindings[:cap]}}  # "truncated" before "results", as results.py explains
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()


def _cut_xml(body: bytes, cap: int) -> bytes | None:
    starts, position = [], body.find(b"<result>")
    while position >= 0 and len(starts) <= cap:
        starts.append(position)
        position = body.find(b"<result>", position + 1)
    if len(starts) <= cap:
        return None
    head_end = body.index(b"</head>")
    note = f'<link href="urn:x-cps-lac:truncated:{cap}"/></head><!-- {truncation_message(cap)} -->'.encode()
    return body[:head_end] + note + body[head_end + len(b"</head>"):starts[cap]] + b"</results></sparql>"


def _cut_tsv(body: bytes, cap: int) -> bytes | None:
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) - 1 <= cap:
        return None
    columns = lines[0].count(b"\t") + 1
    marker = json.dumps(truncation_message(cap)).encode() + b"\t" * (columns - 1)
    return b"\n".join(lines[: cap + 1] + [marker]) + b"\n"


def _cut_csv(body: bytes, cap: int) -> bytes | None:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if len(rows) - 1 <= cap:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows[: cap + 1])
    writer.writerow([truncation_message(cap)] + [""] * (len(rows[0]) - 1))
    return buffer.getvalue().encode()


_CUTTERS = {"json": _cut_json, "xml": _cut_xml, "tsv": _cut_tsv, "csv": _cut_csv}
