"""Just enough SPARQL reading to place a VALUES block and a page window in a SELECT query.

The text is read with the project's tokenizer (sparql_lexer.py), so a `{`, `WHERE` or `LIMIT` inside a
string, IRI or comment is never taken for syntax. Nothing here splices user input: the VALUES block is built
by the caller from RDF terms.
"""

from __future__ import annotations

from collections.abc import Iterator

from .sparql_lexer import Token, tokenize

# The kinds callers see: keywords and prefixed names (and blank node labels) are all `word`s.
_KINDS = {"pname": "word", "bnode": "word"}


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a query (no spaces, no comments): kinds `word`, `var`, `iri`, `string`,
    `number`, `langtag`, `punct`. Raises QuerySyntaxError for a text no SPARQL tokenizer can read."""
    for token in tokenize(text):
        kind = _KINDS.get(token.kind)
        yield token._replace(kind=kind) if kind else token


def _where_group(text: str) -> tuple[int, int]:
    """Offsets of the `{` and matching `}` of the query's top-level WHERE group. Raises ValueError."""
    depth, opening = 0, None
    previous = None
    for token in tokens(text):
        if token.text == "{":
            if depth == 0 and opening is None and previous is not None and (
                    previous.text.upper() == "WHERE" or previous.kind in ("var", "punct")):
                opening = token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0 and opening is not None:
                return opening, token.start
        previous = token
    raise ValueError("the query has no top-level WHERE { ... } group")


def insert_values(text: str, terms: dict[str, str]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` opening its WHERE group. `terms` maps variable names
    to terms already serialized by pyoxigraph. Raises ValueError if the query has no WHERE group."""
    opening, _ = _where_group(text)
    names = " ".join(f"?{name}" for name in terms)
    values = " ".join(terms.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    return text[:opening + 1] + block + text[opening + 1:]


def append_page(text: str, limit: int, offset: int) -> str:
    """The query restricted to one window of solutions. A query that has its own LIMIT, OFFSET or trailing
    VALUES is wrapped as a subquery; otherwise LIMIT/OFFSET are appended, keeping its ORDER BY exact."""
    window = f"LIMIT {int(limit)} OFFSET {int(offset)}"
    _, closing = _where_group(text)
    tail = {t.text.upper() for t in tokens(text[closing + 1:]) if t.kind == "word"}
    if not tail & {"LIMIT", "OFFSET", "VALUES"}:
        return f"{text.rstrip()}\n{window}\n"
    select = next(t for t in tokens(text) if t.kind == "word" and t.text.upper() == "SELECT")
    return f"{text[:select.start]}SELECT * WHERE {{ {{\n{text[select.start:]}\n}} }}\n{window}\n"


def select_variables(text: str) -> list[str]:
    """The variables a SELECT query projects, in order (`[]` for `SELECT *` or another query form)."""
    names: list[str] = []
    started, depth, after_as = False, 0, False
    for token in tokens(text):
        upper = token.text.upper()
        if not started:
            started = token.kind == "word" and upper == "SELECT"
            continue
        if token.text == "{" or (depth == 0 and token.kind == "word" and upper in ("WHERE", "FROM")):
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.kind == "var" and (depth == 0 or after_as):
            names.append(token.text[1:])
        after_as = token.kind == "word" and upper == "AS"
    return names
