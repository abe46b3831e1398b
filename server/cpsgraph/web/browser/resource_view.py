"""What a resource page shows, read from the store and arranged for the template: the label and kind, the
facts (literals), the relations to other resources, what points at it ("mentioned in"), the report passages
it comes from, and its links to other datasets (Wikidata, UN M49, SDG, GeoNames), every property by its
human label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from . import browse_queries as q
from .pages import page_url
from .terms import PROV, RDF, RDFS, SCHEMA, SKOS
from .values import say, sort_key

HEADER_PROPERTIES = {RDF + "type", RDFS + "label", SKOS + "prefLabel"}
SOURCE = PROV + "wasDerivedFrom"
# Other datasets the graph links to, by IRI prefix: how to name the link.
OUTBOUND = (("http://www.wikidata.org/entity/", "Wikidata"), ("http://metadata.un.org/sdg/codes/geoArea/", "UN M49"),
            ("http://metadata.un.org/sdg/", "UN SDG"), ("https://www.geonames.org/", "GeoNames"),
            ("https://creativecommons.org/", "Creative Commons"))
MAX_LINKS = 200  # per group of incoming links: a passage cited by hundreds of rows is shown in part
# Properties that come first, in this order (start before end); the others follow A-Z by their label.
FIRST = tuple(SCHEMA + name for name in ("startDate", "endDate", "location", "superEvent", "subEvent"))


@dataclass
class Value:
    text: str
    href: str | None = None      # a local page, or the external IRI for outbound links
    kind: str = ""               # what the linked resource is
    lang: str = ""               # a literal's language, shown when it is not the page's
    details: list = field(default_factory=list)   # (property label, Value): what a membership states
    iri: str = ""                # the linked resource (what orders it: its start, its position)
    sort: tuple = ()             # a literal's order (dates by time, numbers by value)


@dataclass
class Group:
    label: str
    values: list[Value]
    hidden: int = 0              # values left out (MAX_LINKS)
    rank: int = 0                # where the group goes (FIRST), before the label's A-Z

    @property
    def count(self) -> int:
        return len(self.values) + self.hidden


@dataclass
class Passage:
    locator: str
    start: str = ""
    end: str = ""
    href: str | None = None


@dataclass
class StatedRelation:
    """A relation a passage states (its rdf:Statement), readable: subject, property and object by their labels."""
    subject: Value
    predicate: str
    object: Value
    href: str | None = None      # the statement's own page


@dataclass
class ResourcePage:
    iri: str
    label: str
    kind: str
    other_labels: list[Value] = field(default_factory=list)
    facts: list[Group] = field(default_factory=list)
    relations: list[Group] = field(default_factory=list)
    incoming: list[Group] = field(default_factory=list)
    outbound: list[Group] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    statements: list[StatedRelation] = field(default_factory=list)   # a passage's page: the relations it states
    statements_hidden: int = 0   # left out past MAX_LINKS


def build(store, entities, iri: str, lang: str) -> ResourcePage:
    """The page of `iri` (which the caller has found in `entities`) in `lang`."""
    page = ResourcePage(iri, entities.label(iri, lang), entities.kind(iri, lang))
    entity = entities.get(iri)
    page.other_labels = [Value(text, lang=tag) for tag, text in sorted(entity.labels.items())
                         if text != page.label] if entity else []
    facts: dict[str, list] = {}
    relations: dict[str, list] = {}
    outbound: dict[str, list] = {}
    for row in q.outgoing(store, iri):
        prop, value = row["p"].value, row["o"]
        if prop in HEADER_PROPERTIES or prop == SOURCE:
            continue
        if isinstance(value, ox.Literal):
            facts.setdefault(prop, []).append(value)
        elif isinstance(value, ox.NamedNode) and page_url(value.value) is None and value.value not in entities:
            # Outbound IRIs become links only when they are web addresses: a `javascript:` or `data:` IRI in
            # a partner's data is shown as text (the CSP would block it, but it must not be a link at all).
            href = value.value if value.value.startswith(("http://", "https://")) else None
            outbound.setdefault(prop, []).append(Value(_outbound_name(value.value), href))
        elif isinstance(value, ox.NamedNode):
            relations.setdefault(prop, []).append(_link(entities, value.value, lang))
    order = q.order_keys(store, iri)
    page.facts = _groups(entities, {p: _in_language(values, lang) for p, values in facts.items()}, lang)
    page.relations = _groups(entities, relations, lang, order)
    page.outbound = _groups(entities, outbound, lang)
    details = _membership_details(store, entities, iri, lang)
    stated = _stated_relations(store, entities, iri, lang)
    page.statements, page.statements_hidden = stated[:MAX_LINKS], max(0, len(stated) - MAX_LINKS)
    statement_pages = {r.href for r in stated}
    pointing: dict[str, list] = {}
    for row in q.incoming(store, iri):
        if page_url(row["s"].value) in statement_pages:
            continue  # shown readably as a relation the passage states, not as a bare statement IRI
        link = _link(entities, row["s"].value, lang)
        link.details = details.get(row["s"].value, [])
        pointing.setdefault(row["p"].value, []).append(link)
    page.incoming = _groups(entities, pointing, lang, order)
    page.passages = sorted((Passage(row["locator"].value, _value(row, "start"), _value(row, "end"),
                                    page_url(row["passage"].value)) for row in q.passages(store, iri)),
                           key=lambda p: (_number(p.start), p.locator))
    return page


def _stated_relations(store, entities, iri: str, lang: str) -> list[StatedRelation]:
    """The relations whose statements cite `iri` (a passage), by subject, property and object label."""
    stated = []
    for row in q.statements_citing(store, iri):
        target = row["o"]
        obj = (_in_language([target], lang)[0] if isinstance(target, ox.Literal)
               else _link(entities, target.value, lang))
        stated.append(StatedRelation(_link(entities, row["s"].value, lang), entities.term_label(row["p"].value, lang),
                                     obj, page_url(row["st"].value)))
    return sorted(stated, key=lambda r: (r.subject.text.casefold(), r.predicate.casefold(), r.object.text.casefold()))


def _membership_details(store, entities, iri: str, lang: str) -> dict[str, list]:
    """For each membership pointing at `iri`: its other statements, as (property label, Value), A-Z."""
    found: dict[str, dict[str, list]] = {}
    for row in q.membership_details(store, iri):
        found.setdefault(row["s"].value, {}).setdefault(row["p"].value, []).append(row["o"])
    details = {}
    for membership, by_property in found.items():
        pairs = []
        for prop, values in by_property.items():
            literals = [v for v in values if isinstance(v, ox.Literal)]
            shown = _in_language(literals, lang) + [_link(entities, v.value, lang) for v in values
                                                     if isinstance(v, ox.NamedNode)]
            pairs.extend((entities.term_label(prop, lang), value) for value in shown)
        details[membership] = sorted(pairs, key=lambda pair: (pair[0].casefold(), pair[1].text))
    return details


def _link(entities, iri: str, lang: str) -> Value:
    return Value(entities.label(iri, lang), page_url(iri), entities.kind(iri, lang), iri=iri)


def _in_language(literals: list, lang: str) -> list[Value]:
    """The literals in the page's language or untagged, as a reader says them (dates, yes/no, numbers); all of
    them (tagged) when there are none such."""
    chosen = [lit for lit in literals if (lit.language or "") in ("", lang)]
    shown = chosen or literals
    values = []
    for lit in shown:
        datatype = lit.datatype.value if lit.datatype and not lit.language else None
        values.append(Value(say(lit.value, datatype, lang), lang=(lit.language or "") if not chosen else "",
                            sort=sort_key(lit.value, datatype)))
    return values


def _groups(entities, by_property: dict[str, list[Value]], lang: str, order: dict | None = None) -> list[Group]:
    """One group per property, its values in the order that has meaning: by start (the agenda), then by
    position (plan priorities, presentations of a panel), then numbers as numbers, then A-Z; the groups
    start-before-end first, then A-Z by label."""
    order = order or {}

    def key(v: Value) -> tuple:
        start, position = order.get(v.iri, ("", ""))
        return (start == "", start, position == "", _number(position), v.sort or (2, 0, v.text.casefold()))

    groups = []
    for prop, values in by_property.items():
        unique = list({(v.text, v.href): v for v in values}.values())
        unique.sort(key=key)
        group = Group(entities.term_label(prop, lang), unique[:MAX_LINKS], max(0, len(unique) - MAX_LINKS))
        group.rank = FIRST.index(prop) if prop in FIRST else len(FIRST)
        groups.append(group)
    return sorted(groups, key=lambda g: (g.rank, g.label.casefold()))


def _outbound_name(iri: str) -> str:
    for prefix, name in OUTBOUND:
        if iri.startswith(prefix):
            return f"{name} {iri[len(prefix):]}"
    return iri


def _value(row: dict, name: str) -> str:
    return row[name].value if name in row else ""


def _number(text: str) -> tuple:
    """Numbers sort as numbers ("2" before "10"), other text after them."""
    return (0, int(text), "") if text.isdigit() else (1, 0, text)
