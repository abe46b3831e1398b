"""The one SPARQL tokenizer of the project: the terminals of the SPARQL 1.1 grammar (§19.8), in one pass.

    for token in tokenize(text): token.kind, token.text, token.start, token.end

Kinds: `iri` (IRIREF), `pname` (PNAME_LN or PNAME_NS, PLX escapes included), `bnode` (BLANK_NODE_LABEL),
`var` (VAR1, VAR2), `langtag`, `string` (the four forms, with ECHAR and UCHAR), `number`, `word` (a bare
word: the grammar's only bare words are its keywords, matched case-insensitively, and `a`), `punct` (`{`,
`^^`, `&&`, `<=`, ...; NIL and ANON come out as their two brackets). White space (#x20, #x9, #xD, #xA) and
comments are skipped. `decode_escapes` does what §19.2 says of `\\uXXXX` and `\\UXXXXXXXX` before all this.

Linear in the length of the text, whatever it holds: every pattern is possessive (nothing is matched twice
but a run of name characters, which is always one token), and a string that does not close is an error at
once instead of a rescan to the end. With `limit`, the work is also bounded: past `limit` tokens, comments or
backslashes the text is refused before it is read further. Nothing here splices or resolves; the query gate
(store/guard.py) and the query editing helpers (query_text.py) decide what the tokens mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .errors import QuerySyntaxError

_BASE = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D" \
        "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"                    # PN_LOCAL_ESC; PERCENT is checked after the match
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\"'\\]"
_LONG1 = rf"'''(?:[^'\\]++|{_ECHAR}|{_UCHAR}|''?+(?=[^']))*+'''"   # one or two quotes, then another character
_LONG2 = _LONG1.replace("'", '"')
_SHORT1 = rf"'(?:[^'\\\n\r]++|{_ECHAR}|{_UCHAR})*+'"
_SHORT2 = _SHORT1.replace("'", '"')
# Names take their dots possessively; a final run of dots is given back in tokenize() (it is a `.` token).
_PREFIX = rf"[{_BASE}][{_CHARS}.]*+"
_LOCAL = rf"(?:[{_CHARS_U}:0-9%]|{_ESC})(?:[{_CHARS}:.%]++|{_ESC})*+"

_TOKEN = re.compile(r"(?:[ \t\r\n]++|\#[^\r\n]*+)*+(?:" + "|".join((
    r"(?P<punct>\^\^|&&|\|\||!=|>=|[{}()\[\];,=>!|*+\-/^])",      # the most frequent first
    rf"(?P<iri><(?:[^<>\"{{}}|^`\\\x00-\x20]++|{_UCHAR})*+>)",
    r"(?P<lt><=?)",
    rf"(?P<string>{_LONG1}|{_LONG2}|{_SHORT1}|{_SHORT2})",
    rf"(?P<var>[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*+)",
    r"(?P<query>\?)",
    rf"(?P<bnode>_:[{_CHARS_U}0-9][{_CHARS}.]*+)",
    rf"(?P<pname>(?:{_PREFIX})?+:(?:{_LOCAL})?+)",
    # Without a colon after it, the same run of name characters is one bare word (one token, never rescanned).
    rf"(?P<word>{_PREFIX}|_[{_CHARS}.]*+)",
    r"(?P<langtag>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+)",
    r"(?P<number>[0-9]++(?:\.[0-9]++|\.(?=[eE][+-]?[0-9]))?+(?:[eE][+-]?[0-9]++)?+|\.[0-9]++(?:[eE][+-]?[0-9]++)?+)",
    r"(?P<dot>\.)",
    r"(?P<quote>['\"])",
    r"(?P<other>[\s\S])",
    r"(?P<end>\Z)",
)) + ")")
_KIND = {"lt": "punct", "query": "punct", "dot": "punct"}
_NAMES = ("pname", "word", "bnode")
_new = tuple.__new__
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int


class TooManyTokens(QuerySyntaxError):
    """The text holds more tokens (or `#`, `\\` or quotes) than the caller allows."""


def tokenize(text: str, limit: int | None = None) -> Iterator[Token]:
    """The significant tokens of `text`, in order. Raises QuerySyntaxError at a string that does not close
    or a character no terminal starts with, and TooManyTokens past `limit` tokens (or `#`, backslashes or
    quotes, counted before anything is read: so that no text costs the patterns more than `limit` steps)."""
    if limit is not None:
        check_counts(text, limit)
    match_at, count, pos, length = _TOKEN.match, 0, 0, len(text)
    while True:
        match = match_at(text, pos)
        kind = match.lastgroup
        start, end = match.span(kind)
        if kind == "end":
            return
        if kind in ("quote", "other"):
            what = "a string that does not close" if kind == "quote" else f"the character {text[start]!r}"
            raise QuerySyntaxError(f"The query holds {what} at {position(text, start)}.",
                                   key="gate.unclosed" if kind == "quote" else "gate.character",
                                   values={"character": repr(text[start]), **place(text, start)})
        while kind in _NAMES and text[end - 1] == ".":
            end -= 1                                         # names never end with a dot: it is the next token
        count += 1
        if limit is not None and count > limit:
            raise TooManyTokens(f"The query holds more than {limit} tokens (the last at {position(text, start)});"
                                f" this service accepts at most {limit}.", key="gate.tokens",
                                values={"limit": limit, **place(text, start)})
        token = _new(Token, (_KIND.get(kind, kind), text[start:end], start, end))
        if kind == "pname":
            _check_name(text, token)
        yield token
        pos = min(length, end)
        if end == start:   # cannot happen (every kind but `end` takes a character); a guard against a loop
            raise QuerySyntaxError(f"The query cannot be read at {position(text, start)}.", key="gate.unreadable",
                                   values=place(text, start))


def check_counts(text: str, limit: int) -> None:
    """Raises TooManyTokens when the text holds more than `limit` of a character that may cost a step of its
    own in a comment, name or string (`#`, a backslash, a quote). C-speed counts, before any pattern runs."""
    for what, most in (("#", limit), ("\\", limit), ("'", 2 * limit), ('"', 2 * limit)):   # two per string
        count = text.count(what)
        if count > most:
            raise TooManyTokens(f"The query holds {count} `{what}` characters; this service accepts at most "
                                f"{most} (as many as tokens{', two per string' if most > limit else ''}).",
                                key="gate.quotes" if most > limit else "gate.characters", values={"count": count, "character": what, "limit": most})


def _check_name(text: str, token: Token) -> None:
    prefix, _, local = token.text.partition(":")
    if prefix.endswith(".") or ("%" in local and re.search(r"%(?![0-9A-Fa-f]{2})", local)):
        raise QuerySyntaxError(f"The prefixed name {token.text!r} at {position(text, token.start)} is not "
                               "well formed (a prefix ends with a dot, or a `%` is not followed by two hex digits).",
                               key="gate.pname", values={"name": repr(token.text), **place(text, token.start)})


def decode_escapes(text: str) -> str:
    """The text with its codepoint escapes replaced by the characters they stand for, as SPARQL 1.1 §19.2
    says: before the grammar, anywhere (so `\\u0053ERVICE` is SERVICE). An escape of no character (a
    surrogate) is left as written."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(_escaped, text)


def escapes(text: str) -> Iterator[tuple[int, str]]:
    """Offset and character of every codepoint escape in the text (as decode_escapes finds them)."""
    if "\\u" in text or "\\U" in text:
        for match in _ESCAPE.finditer(text):
            character = _escaped(match)
            if character != match.group():
                yield match.start(), character


def _escaped(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group()
    return chr(code)


def keyword(token: Token) -> str:
    """The upper-cased keyword a bare word spells ("" for another kind of token)."""
    return token.text.upper() if token.kind == "word" else ""


def position(text: str, offset: int) -> str:
    return "line {line}, column {column}".format(**place(text, offset))


def place(text: str, offset: int) -> dict[str, int]:
    """The line and column of `offset`, as the values of an error's catalogue string (CpsError.values)."""
    line = text.count("\n", 0, offset) + 1
    return {"line": line, "column": offset - (text.rfind("\n", 0, offset) + 1) + 1}
