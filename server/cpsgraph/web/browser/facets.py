"""Faceted lists: persons, organizations and priorities, each narrowed by facets whose values show counts.

A list is a population (a SPARQL pattern over ?item) and facets (patterns over ?item and ?value), read once
per store. Choosing values narrows the list: values of one facet are alternatives (OR), different facets
must all hold (AND); each facet counts the items that the *other* facets' choices leave, so a count says how
many items choosing that value would show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import browse_queries as q

PERSON_ENTRY = "?entry a cps:Participation ; org:member ?item ."
UNDER_PRIORITY = "cps:hasSubPriority*/(cps:hasActivity|cps:hasExpectedResult/cps:hasActivity)"


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str                       # catalogue key
    population: str                  # pattern over ?item; `{id}` is the deployment's `{base}id/`
    facets: tuple[tuple[str, str], ...]   # (facet name, pattern over ?item ?value)
    summary: tuple[str, ...]         # facets whose values are shown beside each item
    order: str = "label"             # "label", or "iri" for things with a natural order (plan positions)


LISTS = {spec.name: spec for spec in (
    ListSpec("persons", "list.persons", "?item a foaf:Person .", (
        ("country", PERSON_ENTRY + " ?entry cps:country ?value ."),
        ("subregion", PERSON_ENTRY + " ?entry cps:country/cps:subregion ?value ."),
        ("sector", PERSON_ENTRY + " ?entry cps:listedAs ?value ."),
        ("working-group", PERSON_ENTRY + " ?entry org:organization ?value ."),
        ("role", PERSON_ENTRY + " ?entry org:role ?value ."),
    ), ("working-group", "country")),
    ListSpec("organizations", "list.organizations",
             '?item a org:Organization . FILTER(STRSTARTS(STR(?item), "{id}organization/"))', (
                 ("kind", "?item org:classification ?value ."),
                 ("country", "?item cps:country ?value ."),
             ), ("kind", "country")),
    ListSpec("priorities", "list.priorities", "?item a cps:Priority .", (
        ("subregion", "?plan cps:hasPriority/cps:hasSubPriority* ?item ; cps:subregion ?value ."),
        ("theme", "?item dcterms:subject ?value ."),
        ("horizon", f"?item {UNDER_PRIORITY} ?activity . ?activity cps:timeHorizon ?value ."),
        ("plan", "?value cps:hasPriority/cps:hasSubPriority* ?item ."),
    ), ("plan", "theme"), order="iri"),
)}


def natural(text: str) -> list:
    """A sort key that puts `plan/x/p2` before `plan/x/p10`."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


class FacetedList:
    def __init__(self, spec: ListSpec, store, id_prefix: str):
        self.spec = spec
        self.items = sorted(set(q.items(store, spec.population.replace("{id}", id_prefix))), key=natural)
        population = set(self.items)
        self.values: dict[str, dict[str, set[str]]] = {}
        for name, pattern in spec.facets:
            by_item: dict[str, set[str]] = {}
            for item, value in q.pairs(store, pattern):
                if item in population:
                    by_item.setdefault(item, set()).add(value)
            self.values[name] = by_item

    def select(self, chosen: dict[str, set[str]], *, skip: str | None = None) -> list[str]:
        """The items that have, for every facet with chosen values (but `skip`), one of those values."""
        active = {name: values for name, values in chosen.items() if values and name != skip and name in self.values}
        return [item for item in self.items
                if all(self.values[name].get(item, set()) & values for name, values in active.items())]

    def counts(self, facet: str, chosen: dict[str, set[str]]) -> dict[str, int]:
        """For each value of `facet`: how many items the other facets' choices leave that have it."""
        counts: dict[str, int] = {}
        for item in self.select(chosen, skip=facet):
            for value in self.values[facet].get(item, ()):
                counts[value] = counts.get(value, 0) + 1
        return counts
