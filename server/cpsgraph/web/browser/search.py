"""Search over labels and alternative labels in both languages: accent- and case-insensitive, ranked.

"panama" finds Panamá and "UNEP" finds PNUMA (an alternative label). A hit's score says how the query met
a name (the whole name, its start, the start of a word, anywhere), then what kind of thing it is: the actors
and places people look for come before the passages and participation records that also mention them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[^0-9a-z]+")

# Score bonus by the kind in the IRI (`{base}id/<kind>/...`): what a reader most likely looks for first.
KIND_BONUS = {"person": 20, "organization": 15, "country": 15, "subregion": 12, "working-group": 12,
              "task-force": 12, "initiative": 8, "event": 8, "place": 6, "plan": 2,
              "participation": -20, "affiliation": -20, "drafting-member": -20, "passage": -25, "seat": -10,
              "count": -10}
MATCH_SCORES = (("whole", 100), ("start", 80), ("word", 60), ("inside", 40))
ALTERNATIVE_PENALTY = 5  # the name the report uses most beats an acronym or a variant spelling


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, words separated by one space: "Panamá," -> "panama"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


def match(query: str, name: str) -> int:
    """How well a folded query meets a folded name: 100 whole, 80 start, 60 start of a word, 40 inside;
    a query of several words scores 50 when every word starts a word of the name; 0 no match."""
    if not query or not name:
        return 0
    if name == query:
        return 100
    if name.startswith(query):
        return 80
    if f" {query}" in f" {name}":
        return 60
    if query in name:
        return 40
    words = query.split()
    if len(words) > 1 and all(f" {w}" in f" {name}" for w in words):
        return 50
    return 0


@dataclass(frozen=True)
class Hit:
    iri: str
    score: int
    matched: str          # the name (as written) that the query met
    alternative: bool     # True when `matched` is not one of the entity's labels


def rank(query: str, candidates, kind_of) -> list[Hit]:
    """The candidates that match `query`, best first. `candidates` yields (iri, labels, alternatives) with
    names as written; `kind_of(iri)` is the IRI's kind segment. Ties go to the shorter name, then A-Z."""
    folded = fold(query)
    if not folded:
        return []
    hits = []
    for iri, labels, alternatives in candidates:
        best = None
        for names, penalty in ((labels, 0), (alternatives, ALTERNATIVE_PENALTY)):
            for name in names:
                score = match(folded, fold(name))
                if score and (best is None or score - penalty > best[0]):
                    best = (score - penalty, name, penalty > 0)
        if best:
            score = best[0] + KIND_BONUS.get(kind_of(iri), 0)
            hits.append(Hit(iri, score, best[1], best[2]))
    return sorted(hits, key=lambda h: (-h.score, len(h.matched), fold(h.matched), h.iri))
