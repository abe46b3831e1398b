"""What a query asks for, read from its text before any engine sees it: its form, its dataset clauses and
the endpoints it wants to federate with. The store refuses what the public service never does.

Neither pyoxigraph nor a remote triplestore can be told "no SPARQL Update, no SERVICE": pyoxigraph has an
HTTP client for SERVICE, and some triplestores (Virtuoso) run updates sent as `query=`. So the text is read
here with the project's SPARQL tokenizer (sparql_lexer.py), in one bounded pass. Where the grammar and the
engine read a text differently the gate refuses (docs/decisions/0014-query-gate-by-the-grammar.md lists each case):

- pyoxigraph's parser takes a keyword glued to what follows (`SERVICESILENT<...>`, `SERVICEex:x`,
  `FROMNAMED<...>`, `trueSERVICE`): in SPARQL a bare word is one keyword, so any other word is refused;
  so is a prefixed name whose prefix holds SERVICE, SILENT, FROM, NAMED or LOAD.
- pyoxigraph ends a prefixed name at its second run of dots (`ex:a.b.SERVICE` is `ex:a.b` `.` `SERVICE`).
- In an expression pyoxigraph may take `<` as "less than" where the grammar sees an IRI; an IRI that holds
  `'` (a string for the engine then), or `#` followed on its line by a string running onto the next lines,
  could then hide a part of the query from one reader: refused.
- SPARQL 1.1 (§19.2) decodes `\\uXXXX` before the grammar and pyoxigraph does not: an escape of an ASCII
  character (which could be syntax) is refused; others only ever stand in names, strings and IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryRefused, QuerySyntaxError
from ..sparql_lexer import Token, check_counts, decode_escapes, escapes, place, position, tokenize
from .limits import QueryLimits, Tally

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
CACHED_TEXT = 16384   # queries longer than this (in characters) are inspected afresh each time, never kept
UPDATE_KEYWORDS = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
                             "USING", "INTO", "DATA", "TO", "DEFAULT", "ALL"))
KEYWORDS = frozenset(("A", "TRUE", "FALSE", "ABS", "ADD", "ADJUST", "ALL", "AS", "ASC", "ASK", "AVG", "BASE", "BIND",
                      "BNODE", "BOUND", "BY", "CEIL", "CLEAR", "COALESCE", "CONCAT", "CONSTRUCT", "CONTAINS", "COPY",
                      "COUNT", "CREATE", "DATA", "DATATYPE", "DAY", "DEFAULT", "DELETE", "DESC", "DESCRIBE",
                      "DISTINCT", "DROP", "ENCODE_FOR_URI", "EXISTS", "FILTER", "FLOOR", "FROM", "GRAPH", "GROUP",
                      "GROUP_CONCAT", "HASLANG", "HASLANGDIR", "HAVING", "HOURS", "IF", "IN", "INSERT", "INTO", "IRI",
                      "ISBLANK", "ISIRI", "ISLITERAL", "ISNUMERIC", "ISTRIPLE", "ISURI", "LANG", "LANGDIR",
                      "LANGMATCHES", "LATERAL", "LCASE", "LIMIT", "LOAD", "MAX", "MD5", "MIN", "MINUS", "MINUTES",
                      "MONTH", "MOVE", "NAMED", "NOT", "NOW", "OBJECT", "OFFSET", "OPTIONAL", "ORDER", "PREDICATE",
                      "PREFIX", "RAND", "REDUCED", "REGEX", "REPLACE", "ROUND", "SAMETERM", "SAMPLE", "SECONDS",
                      "SELECT", "SEPARATOR", "SERVICE", "SHA1", "SHA256", "SHA384", "SHA512", "SILENT", "STR",
                      "STRAFTER", "STRBEFORE", "STRDT", "STRENDS", "STRLANG", "STRLANGDIR", "STRLEN", "STRSTARTS",
                      "STRUUID", "SUBJECT", "SUBSTR", "SUM", "TIMEZONE", "TO", "TRIPLE", "TZ", "UCASE", "UNDEF",
                      "UNION", "URI", "USING", "UUID", "VALUES", "VERSION", "WHERE", "WITH", "YEAR"))
DANGER = ("SERVICE", "SILENT", "FROM", "NAMED", "LOAD")   # keywords that must never hide in another token
NOT_QUERY = "https://www.w3.org/TR/sparql11-query/#rQueryUnit"


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


def inspect_query(text: str, limits: QueryLimits | None = None) -> QueryShape:
    """The shape of a query. Raises QueryRefused for an update (INSERT, LOAD, ...) or a text the engine could
    read as reaching out where the grammar does not, and QuerySyntaxError when no query form follows the
    prologue or the query is larger than `limits` allow (the store's; QueryLimits() when None). Anything else
    wrong is left for the engine's parser to report. Cached for short texts (the web layer and the store
    both ask, and the same queries come back again and again); big ones never fill the memory."""
    limits = limits or QueryLimits()
    return _inspect_cached(text, limits) if len(text) <= CACHED_TEXT else _inspect(text, limits)


@lru_cache(maxsize=512)
def _inspect_cached(text: str, limits: QueryLimits) -> QueryShape:
    return _inspect(text, limits)


def _inspect(text: str, limits: QueryLimits) -> QueryShape:
    check_counts(text, limits.tokens)
    for offset, character in escapes(text):
        if character < "\x80":
            raise QueryRefused(f"The escape at {position(text, offset)} stands for {character!r}: SPARQL 1.1 reads "
                               "such escapes before the grammar and the engine does not, so the two would read "
                               "this query differently. Write the character itself.", key="gate.escape",
                               values={"character": repr(character), **place(text, offset)})
    text = decode_escapes(text)
    tally, tokens = Tally(limits, text), []
    for token in tokenize(text, limits.tokens):   # counted as read: a text over a limit is not read further
        tally.add(token)
        tokens.append(token)
    prefixes, i = _prologue(text, tokens)
    if i >= len(tokens):
        raise QuerySyntaxError("The request holds no query (only a prologue, comments or white space).",
                               key="gate.no-query")
    form = tokens[i].text.upper() if tokens[i].kind == "word" else ""
    if tokens[i].kind == "word" and form not in KEYWORDS:
        _unknown_word(text, tokens[i], form)
    elif tokens[i].kind == "pname":
        _check_pname(text, tokens[i])
    if form in UPDATE_KEYWORDS:
        raise QueryRefused(f"This endpoint is read-only: SPARQL Update (here {form} at "
                           f"{position(text, tokens[i].start)}) is refused.",
                           spec="https://www.w3.org/TR/sparql11-protocol/#update-operation", key="gate.update",
                           values={"form": form, **place(text, tokens[i].start)})
    if form not in QUERY_FORMS:
        raise QuerySyntaxError(f"Expected SELECT, CONSTRUCT, DESCRIBE or ASK at {position(text, tokens[i].start)}, "
                               f"found {_short(tokens[i].text)!r}.", spec=NOT_QUERY, key="gate.form",
                               values={"found": repr(_short(tokens[i].text)), **place(text, tokens[i].start)})
    return _read(text, tokens, i, form, prefixes)


def _prologue(text: str, tokens: list[Token]) -> tuple[dict[str, str], int]:
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(tokens) and tokens[i].kind == "word" and tokens[i].text.upper() in ("BASE", "PREFIX", "VERSION"):
        if tokens[i].text.upper() == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1].kind == "pname" \
                and tokens[i + 2].kind == "iri":
            prefixes[tokens[i + 1].text[:-1]] = tokens[i + 2].text[1:-1]
            i += 3
        else:
            i += 2
    return prefixes, i


def _read(text: str, tokens: list[Token], first: int, form: str, prefixes: dict) -> QueryShape:
    from_graphs: list[str] = []
    from_named: list[str] = []
    services: list[str] = []
    braces, limit, open_end, line_end = 0, None, True, -1
    for j in range(first, len(tokens)):
        token = tokens[j]
        kind, word = token.kind, token.text
        if kind == "punct":
            if word in "{}":
                braces += 1 if word == "{" else -1
            continue
        if kind == "string":
            if token.start < line_end and ("\n" in word or "\r" in word):
                raise _hidden(text, token, "a string running onto the next lines after an IRI holding `#`",
                              "string")
            continue
        if kind == "iri":
            if "'" in word:
                raise _hidden(text, token, "an IRI holding `'` (write it as a prefixed name with `\\'`)", "quote")
            if "#" in word:
                line_end = max(line_end, _line_end(text, token.end))
            continue
        if kind == "pname":
            _check_pname(text, token)
            continue
        if kind != "word":
            continue
        upper = word.upper()
        if upper not in KEYWORDS:
            _unknown_word(text, token, upper)
        if upper in UPDATE_KEYWORDS:
            raise QueryRefused(f"{upper} at {position(text, token.start)} is refused: this endpoint is read-only.",
                               spec="https://www.w3.org/TR/sparql11-protocol/#update-operation",
                               key="gate.update-word", values={"form": upper, **place(text, token.start)})
        if braces == 0 and upper in ("LIMIT", "VALUES"):
            open_end = False  # the outer query's solution modifiers (a subquery's are inside braces)
            if upper == "LIMIT" and j + 1 < len(tokens) and tokens[j + 1].text.isdigit() and len(tokens[j + 1].text) < 19:
                limit = int(tokens[j + 1].text)   # anything else (1.5, 5 000 digits) is the engine's to refuse
        elif upper == "FROM":
            named = j + 1 < len(tokens) and tokens[j + 1].text.upper() == "NAMED"
            k = j + 2 if named else j + 1
            if k >= len(tokens) or tokens[k].kind not in ("iri", "pname"):
                raise QuerySyntaxError(f"FROM at {position(text, token.start)} must name a graph by an IRI.",
                                       key="gate.from", values=place(text, token.start))
            target = _iri_at(text, tokens, k, prefixes)   # None: relative, resolved by the engine against BASE
            (from_named if named else from_graphs).append(target or tokens[k].text.strip("<>"))
        elif upper == "SERVICE":
            k = j + 2 if j + 1 < len(tokens) and tokens[j + 1].text.upper() == "SILENT" else j + 1
            target = _iri_at(text, tokens, k, prefixes)
            if target is None:
                found = tokens[k].text if k < len(tokens) else ""
                raise QueryRefused(f"SERVICE at {position(text, token.start)} must name an absolute endpoint IRI "
                                   f"(found {_short(found)!r}); variables and relative IRIs are refused.",
                                   key="gate.service-iri", values={"found": repr(_short(found)),
                                                                   **place(text, token.start)})
            services.append(target)
    return QueryShape(form, tuple(from_graphs), tuple(from_named), tuple(services), limit, open_end)


def _unknown_word(text: str, token: Token, upper: str) -> None:
    hidden = [keyword for keyword in DANGER if keyword in upper]
    if hidden:
        raise QueryRefused(f"{_short(token.text)!r} at {position(text, token.start)} is not a SPARQL keyword, but the "
                           f"engine would read it as {hidden[0]} glued to what follows; write keywords apart.",
                           key="gate.glued", values={"word": repr(_short(token.text)), "keyword": hidden[0],
                                                     **place(text, token.start)})
    raise QuerySyntaxError(f"{_short(token.text)!r} at {position(text, token.start)} is not a SPARQL keyword (a name needs "
                           "a prefix, `prefix:name`, a variable a `?`).", spec=NOT_QUERY, key="gate.word",
                           values={"word": repr(_short(token.text)), **place(text, token.start)})


def _short(word: str) -> str:
    return word if len(word) <= 60 else word[:57] + "..."


def _check_pname(text: str, token: Token) -> None:
    prefix, _, local = token.text.partition(":")
    upper = prefix.upper()
    hidden = [keyword for keyword in DANGER if keyword in upper]
    if hidden:
        raise QueryRefused(f"The prefixed name {_short(token.text)!r} at {position(text, token.start)} reads as {hidden[0]} "
                           f"glued to a name for the engine; rename the prefix.", key="gate.glued-prefix",
                           values={"name": repr(_short(token.text)), "keyword": hidden[0], **place(text, token.start)})
    if "." in local and _dot_runs(local) > 1:
        raise _hidden(text, token, "a prefixed name with dots in two places (the engine ends it at the second)",
                      "dots")


def _dot_runs(local: str) -> int:
    plain = local.replace("\\.", "__")
    return sum(1 for i, c in enumerate(plain) if c == "." and (i == 0 or plain[i - 1] != "."))


def _hidden(text: str, token: Token, what: str, kind: str) -> QueryRefused:
    return QueryRefused(f"The query holds {what} at {position(text, token.start)}: the engine and the SPARQL "
                        "grammar would read the text after it differently, so it is refused.",
                        key=f"gate.hidden.{kind}", values=place(text, token.start))


def _line_end(text: str, offset: int) -> int:
    ends = [end for end in (text.find("\n", offset), text.find("\r", offset)) if end >= 0]
    return min(ends) if ends else len(text)


def _iri_at(text: str, tokens: list[Token], k: int, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI the IRI or prefixed name at tokens[k] stands for; None for anything else, a relative
    IRI or an undeclared prefix."""
    if k >= len(tokens) or tokens[k].kind not in ("iri", "pname"):
        return None
    word = tokens[k].text
    if tokens[k].kind == "iri":
        iri = word[1:-1]
    else:
        prefix, local = word.split(":", 1)
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + "".join(local.split("\\"))   # PLX: `\` dropped, as the engine does
    scheme = iri.split(":", 1)[0] if ":" in iri else ""
    valid = scheme[:1].isascii() and scheme[:1].isalpha() and all(c.isascii() and (c.isalnum() or c in "+.-")
                                                                    for c in scheme)
    return iri if valid else None


def check_services(shape: QueryShape, allowed: frozenset[str] | set[str]) -> None:
    """Raises QueryRefused when the query federates with an endpoint that is not on the allow-list."""
    for endpoint in shape.services:
        if endpoint not in allowed:
            listed = ", ".join(f"<{e}>" for e in sorted(allowed)) or "none"
            raise QueryRefused(f"SERVICE <{endpoint}> is refused: federated queries may only reach the endpoints "
                               f"on this service's allow-list (CPS_SERVICE_ALLOWLIST; allowed: {listed}).",
                               key="gate.service" if allowed else "gate.service-none",
                               values={"endpoint": endpoint, "listed": listed})
