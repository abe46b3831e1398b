"""How large a query the gate lets through: named limits (config.py's QUERY_MAX_* settings) and the tally of
one query against them, kept token by token as the gate reads it.

pyoxigraph's parser and evaluator recurse once per level of nesting and, for some constructs, once per item:
measured on pyoxigraph 0.5.13 in a process of its own (8 MiB stack, docs/reliability.md), a worker dies of a
stack overflow at ~2,600 BINDs, select expressions, GRAPH or MINUS blocks, ~6,700 OPTIONALs or UNIONs, ~9,500 FILTERs,
~11,000 alternatives in a path, ~2,250 nested groups, ~4,750 nested parentheses or ~9,500 negations (`python -m bench.gate
--thresholds`). The defaults stay well below those and far above the stored queries of queries/ (at most 246
tokens, 6 levels, 35 patterns, 65 operators)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QuerySyntaxError
from ..sparql_lexer import Token, place, position

OPERATOR_CHARACTERS = frozenset("!|&+-*/^=<>")   # each character counts: `||` is two
CHAINING = frozenset(("UNION", "MINUS", "OPTIONAL"))
# Each of these nests the query's algebra one level more: graph patterns, assignments (`AS`: one per BIND
# and per select expression), groups, triples.
PATTERN_WORDS = frozenset(("FILTER", "OPTIONAL", "MINUS", "UNION", "GRAPH", "SERVICE", "VALUES", "EXISTS", "AS",
                           "LATERAL"))
TRIPLE_SEPARATORS = frozenset(".;,")


@dataclass(frozen=True)
class QueryLimits:
    tokens: int = 10000      # QUERY_MAX_TOKENS: tokens (and `#`, `\`, quotes) in the text
    nesting: int = 128       # QUERY_MAX_NESTING: levels of `{`, `(` and `[`
    operators: int = 2000    # QUERY_MAX_OPERATORS: `!`, `||`, `+`, `=`, ..., UNION, MINUS, OPTIONAL
    patterns: int = 1000     # QUERY_MAX_PATTERNS: FILTER, BIND, OPTIONAL, GRAPH, `{`, `AS`, triple patterns...

    @classmethod
    def from_settings(cls, config: dict) -> QueryLimits:
        return cls(int(config["QUERY_MAX_TOKENS"]), int(config["QUERY_MAX_NESTING"]),
                   int(config["QUERY_MAX_OPERATORS"]), int(config["QUERY_MAX_PATTERNS"]))


class Tally:
    """The counts of one query; `add` raises QuerySyntaxError as soon as one passes its limit."""

    def __init__(self, limits: QueryLimits, text: str):
        self.limits, self.text = limits, text
        self.depth = self.parentheses = self.operators = self.patterns = 0

    def add(self, token: Token) -> None:
        kind, word = token.kind, token.text
        if kind == "punct":
            if word in "{([":
                self.depth += 1
                if self.depth > self.limits.nesting:
                    self._refuse(token, f"nests groups, brackets or parentheses more than {self.limits.nesting} "
                                        "levels deep", self.limits.nesting, key="gate.nesting")
                if word == "(":
                    self.parentheses += 1
                elif word == "{":
                    self._pattern(token)
            elif word in "})]":
                self.depth = max(self.depth - 1, 0)
                if word == ")":
                    self.parentheses = max(self.parentheses - 1, 0)
            elif word in TRIPLE_SEPARATORS:
                if not self.parentheses:
                    self._pattern(token)
            elif OPERATOR_CHARACTERS.issuperset(word):
                self._operators(token, len(word))
        elif kind == "word":
            upper = word.upper()
            if upper in PATTERN_WORDS:
                self._pattern(token)
            if upper in CHAINING:
                self._operators(token, 1)

    def _operators(self, token: Token, count: int) -> None:
        self.operators += count
        if self.operators > self.limits.operators:
            self._refuse(token, f"holds more than {self.limits.operators} operators (`||`, `&&`, `!`, `+`, `=`, "
                                "UNION, ...)", self.limits.operators, "Use VALUES or IN for long lists.",
                         key="gate.operators")

    def _pattern(self, token: Token) -> None:
        self.patterns += 1
        if self.patterns > self.limits.patterns:
            self._refuse(token, f"holds more than {self.limits.patterns} patterns (FILTER, BIND, OPTIONAL, UNION, "
                                "GRAPH, VALUES, `{ }` groups, `(... AS ?x)` expressions, triple patterns)",
                         self.limits.patterns, "Use VALUES or a property path for long lists.", key="gate.patterns")

    def _refuse(self, token: Token, what: str, limit: int, advice: str = "", *, key: str) -> None:
        raise QuerySyntaxError(f"The query {what} (at {position(self.text, token.start)}); this service accepts at "
                               f"most {limit}. {advice}".rstrip(), key=key,
                               values={"limit": limit, **place(self.text, token.start)})
