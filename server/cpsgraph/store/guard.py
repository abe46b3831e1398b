"""What a query asks for, read from its text before any engine sees it: its form, its dataset clauses and
the endpoints it wants to federate with. The store refuses what the public service never does.

Neither pyoxigraph nor a remote triplestore can be told "no SPARQL Update, no SERVICE": pyoxigraph has an
HTTP client for SERVICE, and some triplestores (Virtuoso) run updates sent as `query=`. So the text is
tokenized with the SPARQL 1.1 terminals (IRIs, strings, comments, prefixed names) and checked here. Where
our tokens and the engine's grammar could disagree, the check errs on the side of refusing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryRefused, QuerySyntaxError

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
MAX_NESTING = 128     # levels of `{`, `(` and `[` a query may nest (see _check_complexity)
MAX_OPERATORS = 2000  # operators a query may hold, counted as below
OPERATOR_CHARACTERS = "!|&+-*/^=<>"   # each character counts: `||` is two
CHAINING = ("UNION", "MINUS", "OPTIONAL")
CACHED_TEXT = 16384   # queries longer than this (in characters) are inspected afresh each time, never kept
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_PN_CHARS_BASE = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D" \
                 "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00B7\u0300-\u036F\u203F-\u2040\\-"
_PREFIX = f"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?"
_LOCAL_CHAR = rf"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:(?:[{_PN_CHARS_BASE}_:0-9]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])(?:{_LOCAL_CHAR}|\.)*)?"

# Order matters: the longest terminals first, one alternative per token kind.
_TOKEN = re.compile("|".join((
    r"(?P<ws>\s+)",
    r"(?P<comment>#[^\n\r]*)",
    r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
    r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\[\s\S]))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")",
    rf"(?P<var>[?$][{_PN_CHARS}]+)",
    rf"(?P<bnode>_:[{_PN_CHARS}.]*)",
    rf"(?P<pname>{_PREFIX}:{_LOCAL})",
    rf"(?P<name>[A-Za-z_][A-Za-z_0-9]*)(?![{_PN_CHARS}.])",
    # Any other run of name characters is one token: matching inside it again at every character would make
    # the prefixed-name pattern rescan the rest of the run each time (quadratic: 80 kB of `a-a-...` took 30 s).
    rf"(?P<word>[{_PN_CHARS_BASE}_][{_PN_CHARS}.]*)",
    r"(?P<number>[0-9]+)",
    r"(?P<other>[\s\S])",
)))


@dataclass(frozen=True)
class QueryShape:
    """The parts of a query the service decides on: form, dataset clauses, SERVICE endpoints."""

    form: str                                   # SELECT, CONSTRUCT, DESCRIBE or ASK
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    limit: int | None = None                   # the outer query's own LIMIT
    open_end: bool = True                      # `LIMIT n` may be appended (no outer LIMIT or trailing VALUES)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def _tokens(text: str):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group(), match.start()


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def inspect_query(text: str) -> QueryShape:
    """The shape of a query. Raises QueryRefused for an update (INSERT, LOAD, ...) and QuerySyntaxError when
    no query form follows the prologue or it nests or chains more than the engines can take (MAX_NESTING,
    MAX_OPERATORS); anything else wrong is left for the engine's parser to report. Cached: the web layer and
    the store both ask, and the same queries come back again and again; but only short ones, so that big
    queries cannot fill the memory."""
    return _inspect_cached(text) if len(text) <= CACHED_TEXT else _inspect(text)


@lru_cache(maxsize=512)
def _inspect_cached(text: str) -> QueryShape:
    return _inspect(text)


def _inspect(text: str) -> QueryShape:
    tokens = list(_tokens(text))
    _check_complexity(text, tokens)
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(tokens) and tokens[i][0] == "name" and tokens[i][1].upper() in ("BASE", "PREFIX"):
        if tokens[i][1].upper() == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
        else:
            i += 2
    if i >= len(tokens):
        raise QuerySyntaxError("The request holds no query (only a prologue, comments or white space).")
    kind, word, offset = tokens[i]
    keyword = word.upper() if kind == "name" else ""
    if keyword in UPDATE_KEYWORDS:
        raise QueryRefused(f"This endpoint is read-only: SPARQL Update (here {keyword} at "
                           f"{_position(text, offset)}) is refused.",
                           spec="https://www.w3.org/TR/sparql11-protocol/#update-operation")
    if keyword not in QUERY_FORMS:
        raise QuerySyntaxError(f"Expected SELECT, CONSTRUCT, DESCRIBE or ASK at {_position(text, offset)}, "
                               f"found {word!r}.")
    from_graphs: list[str] = []
    from_named: list[str] = []
    services: list[str] = []
    depth, limit, open_end = 0, None, True
    for j in range(i, len(tokens)):
        kind, word, offset = tokens[j]
        if word in ("{", "}"):
            depth += 1 if word == "{" else -1
        elif depth == 0 and kind == "name" and word.upper() in ("LIMIT", "VALUES"):
            open_end = False  # the outer query's solution modifiers (a subquery's are inside braces)
            if word.upper() == "LIMIT" and j + 1 < len(tokens) and tokens[j + 1][0] == "number":
                limit = int(tokens[j + 1][1])
        if kind == "pname" and word.split(":", 1)[0].upper() in ("SERVICE", "SILENT"):
            # pyoxigraph reads `SERVICE:x` as the SERVICE keyword and `:x`; refuse rather than guess.
            raise QueryRefused(f"The prefixed name {word!r} at {_position(text, offset)} reads as a SERVICE "
                               "clause; rename the prefix.")
        if kind != "name":
            continue
        upper = word.upper()
        if upper == "FROM":
            named = j + 1 < len(tokens) and tokens[j + 1][1].upper() == "NAMED"
            k = j + 2 if named else j + 1
            target = tokens[k] if k < len(tokens) else None
            if target is not None and target[0] in ("iri", "pname"):
                iri = _resolve(target[1], prefixes)
                (from_named if named else from_graphs).append(iri or target[1])
        elif upper == "SERVICE":
            k = j + 1
            if k < len(tokens) and tokens[k][1].upper() == "SILENT":
                k += 1
            target = tokens[k] if k < len(tokens) else ("other", "", offset)
            iri = _resolve(target[1], prefixes) if target[0] in ("iri", "pname") else None
            if iri is None:
                raise QueryRefused(f"SERVICE at {_position(text, offset)} must name an absolute endpoint IRI "
                                   f"(found {target[1]!r}); variables and relative IRIs are refused.")
            services.append(iri)
        elif upper == "LOAD":
            raise QueryRefused(f"LOAD at {_position(text, offset)} is refused: this endpoint is read-only.")
    return QueryShape(keyword, tuple(from_graphs), tuple(from_named), tuple(services), limit, open_end)


def _check_complexity(text: str, tokens: list) -> None:
    """Raises QuerySyntaxError when `{`, `(` or `[` nest deeper than MAX_NESTING or the query holds more than
    MAX_OPERATORS operators. The engines' parsers and evaluators recurse once per level: pyoxigraph's worker
    dies of a stack overflow at ~10 000 nested brackets or ~8 000 chained `!`, `||`, `+` or UNION, taking the
    query with it. No real query comes near these limits."""
    depth = operators = 0
    for kind, word, offset in tokens:
        if kind == "other":
            if word in "{([":
                depth += 1
                if depth > MAX_NESTING:
                    raise QuerySyntaxError(f"The query nests groups, brackets or parentheses more than {MAX_NESTING}"
                                           f" levels deep (at {_position(text, offset)}); this service accepts at "
                                           f"most {MAX_NESTING}.")
                continue
            if word in "})]":
                depth -= 1
                continue
        if (kind == "other" and word in OPERATOR_CHARACTERS) or (kind == "name" and word.upper() in CHAINING):
            operators += 1
            if operators > MAX_OPERATORS:
                raise QuerySyntaxError(f"The query holds more than {MAX_OPERATORS} operators (`||`, `&&`, `!`, `+`, "
                                       f"`=`, UNION, ...; the last at {_position(text, offset)}); this service "
                                       f"accepts at most {MAX_OPERATORS}. Use VALUES or IN for long lists.")


def _resolve(token: str, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI an IRI token or prefixed name stands for, or None when it is relative or unknown."""
    if token.startswith("<"):
        iri = token[1:-1]
    else:
        prefix, local = token.split(":", 1)
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return iri if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else None


def check_services(shape: QueryShape, allowed: frozenset[str] | set[str]) -> None:
    """Raises QueryRefused when the query federates with an endpoint that is not on the allow-list."""
    for endpoint in shape.services:
        if endpoint not in allowed:
            listed = ", ".join(f"<{e}>" for e in sorted(allowed)) or "none"
            raise QueryRefused(f"SERVICE <{endpoint}> is refused: federated queries may only reach the endpoints "
                               f"on this service's allow-list (CPS_SERVICE_ALLOWLIST; allowed: {listed}).")
