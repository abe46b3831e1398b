"""Faceted lists, one for every kind a reader looks for (persons, organizations, countries, meetings, the
agenda, presentations, working groups, task forces, initiatives, plans, priorities, activities, passages), each
narrowed by facets whose values show counts.

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
UNDER_PRIORITY = "dcterms:hasPart+"  # sub-priorities, results and activities: the part's class says which


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str                       # catalogue key
    population: str                  # pattern over ?item; `{id}` is the deployment's `{base}id/`
    facets: tuple[tuple[str, str], ...]   # (facet name, pattern over ?item ?value)
    summary: tuple[str, ...]         # facets whose values are shown beside each item
    order: str = "label"             # "label", "iri" for things with a natural order (plan positions), or "key"
    key: str = ""                    # with order "key": a pattern over ?item ?value whose value orders the items
    when: str = ""                   # a pattern over ?item ?value (a date) shown beside each item
    dates: tuple[str, ...] = ()      # facets whose values are dates (literals), not resources


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
        ("subregion", "?plan a cps:ActionPlan ; dcterms:hasPart+ ?item ; cps:subregion ?value ."),
        ("theme", "?item dcterms:subject ?value ."),
        ("horizon", f"?item {UNDER_PRIORITY} ?activity . ?activity a cps:Activity ; cps:timeHorizon ?value ."),
        ("plan", "?value a cps:ActionPlan ; dcterms:hasPart+ ?item ."),
    ), ("plan", "theme"), order="iri"),
    ListSpec("countries", "list.countries", "?item a schema:Country .", (
        ("subregion", "?item cps:subregion ?value ."),
        ("at-meeting", '?entry a cps:Participation ; cps:country ?item . BIND("yes" AS ?value)'),
    ), ("subregion",)),
    ListSpec("meetings", "list.meetings", "?item a cps:Meeting .", (
        ("meeting-kind", "?item cps:meetingKind ?value ."),
        ("country", "?item cps:country ?value ."),
        ("status", "?item schema:eventStatus ?value ."),
    ), ("meeting-kind",), order="key", key="?item cps:earliestStart ?value .", when="?item schema:startDate ?value ."),
    ListSpec("agenda", "list.agenda", "?item a cps:Session .", (
        ("day", "?item schema:startDate ?start . BIND(SUBSTR(STR(?start), 1, 10) AS ?value)"),
        ("session-kind", "?item cps:sessionKind ?value ."),
    ), ("session-kind",), order="key", key="?item schema:startDate ?value .", when="?item schema:startDate ?value .",
        dates=("day",)),
    ListSpec("presentations", "list.presentations", "?item a cps:Presentation .", (
        ("session", "?item schema:superEvent ?value ."),
        ("on-behalf-of", "?item cps:onBehalfOf ?value ."),
        ("theme", "?item dcterms:subject ?value ."),
    ), ("session",), order="key",
        key='?item schema:superEvent/schema:startDate ?start ; schema:position ?n . '
            'BIND(CONCAT(STR(?start), "/", STR(1000 + ?n)) AS ?value)',
        when="?item schema:superEvent/schema:startDate ?value ."),
    ListSpec("working-groups", "list.working-groups", "?item a cps:WorkingGroup .", (
        ("subregion", "?item cps:subregion ?value ."),
    ), ("subregion",), order="key", key="?item schema:position ?n . BIND(STR(1000 + ?n) AS ?value)"),
    ListSpec("task-forces", "list.task-forces", "?item a cps:TaskForce .", (
        ("status", "?item adms:status ?value ."),
        ("led-by", "?item cps:ledBy ?value ."),
    ), ("led-by",)),
    ListSpec("initiatives", "list.initiatives", "?item a cps:Initiative .", (
        ("part-of", "?item dcterms:isPartOf ?value ."),
        ("responsible", "?item cps:responsible ?value ."),
    ), ("part-of",)),
    ListSpec("plans", "list.plans", "?item a cps:ActionPlan .", (
        ("subregion", "?item cps:subregion ?value ."),
        ("working-group", "?item cps:workingGroup ?value ."),
    ), ("working-group",)),
    ListSpec("activities", "list.activities", "?item a cps:Activity .", (
        ("horizon", "?item cps:timeHorizon ?value ."),
        ("responsible", "?item cps:responsible ?value ."),
        ("plan", f"?value a cps:ActionPlan ; {UNDER_PRIORITY} ?item ."),
    ), ("plan",), order="iri"),
    ListSpec("passages", "list.passages", "?item a cps:Passage .", (
        ("part", '?item bibo:locator ?locator . '
                 'BIND(IF(STRSTARTS(?locator, "Anexo"), REPLACE(?locator, "^(Anexo [IVX]+).*$", "$1"), "§") AS ?value)'),
    ), (), order="key", key="?item cps:lineStart ?n . BIND(STR(100000 + ?n) AS ?value)", dates=()),
)}
# Facets whose values are words, not resources: how to name each value (catalogue keys).
WORD_VALUES = {"at-meeting": {"yes": "facet.at-meeting.yes"}, "part": {"§": "facet.part.body"}}


def natural(text: str) -> list:
    """A sort key that puts `plan/x/p2` before `plan/x/p10`."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


class FacetedList:
    def __init__(self, spec: ListSpec, store, id_prefix: str):
        self.spec = spec
        self.items = sorted(set(q.items(store, spec.population.replace("{id}", id_prefix))), key=natural)
        population = set(self.items)
        if spec.order == "key":
            keys = {item: value for item, value in q.pairs(store, spec.key)}
            self.items.sort(key=lambda item: (item not in keys, natural(keys.get(item, "")), natural(item)))
        self.when = {item: (term.value, term.datatype.value if term.datatype else None)
                     for item, term in q.literal_pairs(store, spec.when)} if spec.when else {}
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
