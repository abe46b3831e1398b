"""Relations the report states in its prose, findings and figures, footnotes, the Recommendation's
considerations and the Andean group's programme areas (issue 13, items 2, 4 and 9).

`data/statements/*.csv` hold one relation per row (`subject, relation, object`): `relation` is a key of
RELATIONS, which says the predicate, the kinds of id each side may name and the inverse stated with it.
An id may also be a path under `id/` (`plan/caribe/a-corto-plazo-6`) for the nodes that have no id of their
own (activities, the Recommendation); such a node must exist once every other table is mapped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS, TIME, XSD

from ..namespaces import SCHEMA
from ..source import Span
from ..tables import Row
from ..vocab import CPS
from .core import Mapper, date_literal
from .meeting import _position

ENTITY_KINDS = ("organization", "person", "country", "subregion", "place", "working-group", "event", "session",
                "presentation", "task-force", "initiative", "plan", "common-priority", "objective", "agreement",
                "proposal", "theme", "sector", "finding", "actor-type", "question")
AGENTS = ("organization", "person")
MEETINGS = ("event",)
# what a process works through: a kind of meeting, a body, the task forces, a dialogue, a policy theme
MECHANISMS = ("meeting-kind", "organization", "task-force", "actor-type", "initiative", "theme")
MENTIONS = SCHEMA.mentions  # what a text names (helper "model" renames cps:mentions to it everywhere)


class Relation(NamedTuple):
    predicate: URIRef
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    inverse: URIRef | None = None
    entails: tuple[tuple[URIRef, URIRef], ...] = ()  # (predicate, inverse) stated as well, so queries need no reasoner


RELATIONS = {
    # the Council, the Forum and the other meetings: history, series and calendar (§58-60)
    "conceived-at": Relation(CPS.conceivedAt, ("organization",), MEETINGS),
    "approved-at": Relation(CPS.approvedAt, ("organization", "initiative", "plan"), MEETINGS),
    "approved-by": Relation(CPS.approvedBy, ("initiative", "plan"), AGENTS),
    "proposed-at": Relation(CPS.proposedAt, ("task-force", "initiative"), MEETINGS),
    "meeting-of": Relation(CPS.meetingOf, MEETINGS, ("organization",)),
    "before": Relation(TIME.before, MEETINGS, MEETINGS, TIME.after),
    "next-meeting": Relation(CPS.nextMeeting, MEETINGS, MEETINGS, CPS.previousMeeting, ((TIME.before, TIME.after),)),
    "status": Relation(SCHEMA.eventStatus, MEETINGS, ("event-status",)),
    # programmes, plans and processes
    "launched-at": Relation(CPS.launchedAt, ("initiative",), MEETINGS),
    "presented-at": Relation(CPS.presentedAt, ("initiative",), MEETINGS),
    "prepared-at": Relation(CPS.preparedAt, ("initiative",), MEETINGS),
    "submitted-to": Relation(CPS.submittedTo, ("initiative", "plan"), MEETINGS),
    "called-for-by": Relation(CPS.calledForBy, ("initiative",), ("initiative",)),
    "developed-through": Relation(CPS.developedThrough, ("initiative",), ("initiative",)),
    "implements": Relation(CPS.implements, ("initiative",), ("initiative",)),
    "based-on": Relation(CPS.basedOn, ("plan", "initiative"), ("initiative",)),
    "signed-by": Relation(CPS.signedBy, ("initiative",), AGENTS),
    "proposed-by": Relation(CPS.proposedBy, ("initiative",), ("organization", "actor-type", "working-group")),
    "contributor": Relation(DCTERMS.contributor, ("initiative",), ("organization", "actor-type", "person")),
    "supported-by": Relation(CPS.supportedBy, ("initiative", "organization", "plan"), AGENTS + ("task-force",)),
    "part-of": Relation(DCTERMS.isPartOf, ("event", "session", "plan", "initiative"),
                        ("event", "session", "initiative"), DCTERMS.hasPart),
    "has-part": Relation(DCTERMS.hasPart, ("initiative",), ("plan", "initiative"), DCTERMS.isPartOf),
    # bodies and their members
    "member-of": Relation(ORG.memberOf, ("organization",), ("organization",), ORG.hasMember),
    "member-country": Relation(CPS.memberCountry, ("organization",), ("country",)),
    "associate-member-country": Relation(CPS.associateMemberCountry, ("organization",), ("country",)),
    # links: what a presentation presents, what an activity supports or proposes, what an agreement names
    "attendee": Relation(SCHEMA.attendee, ("session",), ("working-group",)),  # which groups worked in a session
    "about": Relation(SCHEMA.about, ("presentation", "session"), ENTITY_KINDS),
    "subject": Relation(DCTERMS.subject, ("presentation", "session", "finding", "answer"), ("theme",)),
    "mentions": Relation(MENTIONS, ("agreement", "objective", "question", "proposal"), ENTITY_KINDS),
    "supports": Relation(CPS.supports, (), ("task-force", "initiative", "organization")),
    "proposes": Relation(CPS.proposes, (), ("task-force", "initiative", "organization")),
    # the mechanisms of a process, for defining its framework of action and for its implementation (§28c, §29)
    "framework-mechanism": Relation(CPS.frameworkMechanism, ("initiative",), MECHANISMS),
    "implementation-mechanism": Relation(CPS.implementationMechanism, ("initiative",), MECHANISMS),
}


def resolve(m: Mapper, row: Row, column: str, kinds: tuple[str, ...]) -> URIRef | None:
    """An id of one of `kinds`, or a path under id/ naming a node already in the graph."""
    ident = row.text(column)
    if "/" in ident:
        node = m.base.iri(*ident.split("/"))
        if (node, None, None) not in m.data:
            m.problem(row, f"{column} '{ident}' names no node of the graph")
            return None
        return node
    return m.ref(row, column, kinds, required=True)  # an id two of `kinds` define is a problem: write kind/id


def map_relations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        relation = RELATIONS.get(row.text("relation"))
        if relation is None:
            m.problem(row, f"relation '{row.text('relation')}' is not one of {', '.join(sorted(RELATIONS))}")
            continue
        subject = resolve(m, row, "subject", relation.subjects)
        target = resolve(m, row, "object", relation.objects)
        # a relation row is checked like any other: its locators and lines must lie in the report
        m.cite(subject or m.base.iri("relation"), row, graph=Graph())
        if subject is None or target is None:
            continue
        m.relate(subject, relation.predicate, target, row)
        if relation.inverse is not None:
            m.relate(target, relation.inverse, subject, row)
        for predicate, inverse in relation.entails:
            m.relate(subject, predicate, target, row)
            m.relate(target, inverse, subject, row)


def map_findings(m: Mapper, rows: list[Row]) -> None:
    """Findings and figures: a short label, the entities they concern, who stated them and where, a value."""
    kinds = {"conclusion": (CPS.Conclusion, CPS.Finding, SCHEMA.Claim), "statement": (CPS.Finding, SCHEMA.Claim)}
    for row in rows:
        node = m.registry["finding"].get(row.text("id"))
        if node is None:
            continue
        classes = kinds.get(row.text("kind"))
        if classes is None:
            m.problem(row, f"kind '{row.text('kind')}' is not one of {', '.join(kinds)}")
            continue
        m.typed(node, row, *classes)
        m.labels(node, row)
        _position(m, node, row)
        m.link_all(node, SCHEMA.author, row, "author", AGENTS)
        m.link(node, CPS.statedIn, row, "presentation", ("presentation",))
        for ident in row.items_of("about"):
            target = _any(m, row, ident)
            if target is not None:
                m.relate(node, SCHEMA.about, target, row)
        if not row.items_of("about"):
            m.problem(row, "about is empty: a finding concerns at least one entity")
        if row.text("value"):
            try:
                m.data.add((node, SCHEMA.value, Literal(Decimal(row.text("value")), datatype=XSD.decimal)))
            except InvalidOperation:
                m.problem(row, f"value '{row.text('value')}' is not a number")
            if not row.text("unit"):
                m.problem(row, "a finding with a value gives its unit")
        if row.text("unit"):
            m.data.add((node, SCHEMA.unitText, Literal(row.text("unit"))))
        if row.text("target_date"):  # the date by which a stated goal is to be met ("para el año 2010")
            target = date_literal(row.text("target_date"))
            if target is None:
                m.problem(row, f"target_date '{row.text('target_date')}' is not an ISO date, year-month or year")
            else:
                m.data.add((node, CPS.targetDate, target))


def _any(m: Mapper, row: Row, ident: str) -> URIRef | None:
    if "/" in ident:
        node = m.base.iri(*ident.split("/"))
        if (node, None, None) in m.data:
            return node
    else:
        if m._ambiguous(ident, ENTITY_KINDS):
            return m.lookup_in(row, "about", ident, ENTITY_KINDS)  # reports the ambiguity
        node = m.lookup(ident, ENTITY_KINDS)
        if node is not None:
            return node
    m.problem(row, f"about names '{ident}', not a known id")
    return None


def map_considerations(m: Mapper, rows: list[Row]) -> None:
    """The CONSIDERANDO items of Anexo I, parts of the Recommendation in their order."""
    recommendation = m.base.iri("recommendation", "anexo-i")
    for row in rows:
        position = row.text("position")
        if not position.isdigit():
            m.problem(row, f"position '{position}' is not a whole number")
            continue
        node = m.base.iri("recommendation", "anexo-i", "consideration", position)
        if (node, None, None) in m.data:
            m.problem(row, f"consideration {position} is listed twice")
            continue
        m.mark(node, row)
        m.typed(node, row, CPS.Consideration)
        m.labels(node, row)
        _position(m, node, row)
        m.relate(recommendation, DCTERMS.hasPart, node, row)
        m.relate(node, DCTERMS.isPartOf, recommendation, row)
        m.link_all(node, MENTIONS, row, "refers_to", ENTITY_KINDS)


def map_programme_areas(m: Mapper, rows: list[Row]) -> None:
    """The Andean group's programme areas (§69-70), grouped as the report groups them."""
    for row in rows:
        node = m.register("proposal", row)
        if node is None:
            continue
        m.typed(node, row, CPS.ProgrammeProposal)
        m.labels(node, row)
        _position(m, node, row)
        for prop in (CPS.workingGroup, CPS.proposedBy):
            m.link(node, prop, row, "working_group", ("working-group",), required=True)
    for row in rows:
        node = m.registry["proposal"].get(row.text("id"))
        if node is not None and row.text("part_of"):
            parent = m.link(node, DCTERMS.isPartOf, row, "part_of", ("proposal",))
            if parent is not None:
                m.relate(parent, DCTERMS.hasPart, node, row)


def map_footnotes(m: Mapper, rows: list[Row]) -> None:
    """Each footnote is the passage `nota N` itself, typed cps:Footnote, with the passage its marker is in,
    the web address it gives and the part of the report it points to."""
    for row in rows:
        number = row.text("number")
        if not number.isdigit():
            m.problem(row, f"number '{number}' is not a whole number")
            continue
        if row.text("source") != f"nota {number}":
            m.problem(row, f"source must be 'nota {number}', the footnote's own locator")
            continue
        node = m.passage_iri(f"nota {number}")
        m.mark(node, row)
        m.cite(node, row, graph=Graph())  # records the passage `nota N`; the passage does not cite itself
        m.data.add((node, RDF.type, CPS.Footnote))
        m.text_pair(node, DCTERMS.description, row, "label_es", "label_en")
        m.note(node, row.text("note"))
        if row.text("marker"):
            m.data.add((node, SKOS.notation, Literal(row.text("marker"))))
        if row.text("marked_in"):
            marked = _passage_at(m, row, row.text("marked_in"), row.text("marker_line"))
            if marked is not None:
                m.relate(node, CPS.markedIn, marked, row)
        for locator in row.items_of("references"):
            target = _passage_at(m, row, locator, None)
            if target is not None:
                m.relate(node, DCTERMS.references, target, row)
        for ident in row.items_of("mentions"):
            target = _any(m, row, ident)
            if target is not None:
                m.relate(node, MENTIONS, target, row)
        if row.text("url"):
            if not row.text("url").startswith(("http://", "https://")):
                m.problem(row, f"url '{row.text('url')}' is not an http(s) address")
            else:
                m.data.add((node, SCHEMA.url, URIRef(row.text("url"))))


def _passage_at(m: Mapper, row: Row, locator: str, line: str | None) -> URIRef | None:
    """The passage of `locator`, recorded with `line` (or the whole part) so that its node exists."""
    if m.report is None:
        return m.passage_iri(locator)
    try:
        part = m.report.resolve(locator)
    except ValueError as exc:
        m.problem(row, f"{locator}: {exc}")
        return None
    span = Span(int(line), int(line)) if line and line.isdigit() else part
    if not part.contains(span):
        m.problem(row, f"line {line} lies outside {locator} (lines {part.start}-{part.end})")
        return None
    m.passages[locator].append(span)
    return m.passage_iri(locator)


HONORIFICS = ("Mr.", "Ms.", "Ms", "Sr.", "Sr", "Sra.", "Sras.", "Señor", "Dr.")


def map_honorifics(m: Mapper, rows: list[Row]) -> None:
    """The honorifics the report writes before a person's name in passages other than the person's Anexo III
    entry (§19 'Sr.', Anexo II 'Dr.'): each is one more foaf:title of the person, stated through
    Mapper.relate so that the passage that writes it is the relation's."""
    for row in rows:
        person = m.ref(row, "person", ("person",), required=True)
        honorific = row.text("honorific")
        if honorific not in HONORIFICS:
            m.problem(row, f"honorific '{honorific}' is not one of {', '.join(HONORIFICS)}")
            continue
        m.cite(person or m.base.iri("person"), row, graph=Graph() if person is None else None)
        if person is not None:
            m.relate(person, FOAF.title, Literal(honorific), row)


def map_schedules(m: Mapper, rows: list[Row]) -> None:
    """How often a body meets or a plan is approved (schema:Schedule): the subject's schema:eventSchedule, the
    frequency as an ISO 8601 duration (schema:repeatFrequency) where the report states it without doubt."""
    for row in rows:
        node = m.register("schedule", row)
        if node is None:
            continue
        m.typed(node, row, SCHEMA.Schedule)
        m.labels(node, row)
        subject = m.ref(row, "subject", ("organization", "initiative", "event"), required=True)
        if subject is not None:
            m.relate(subject, SCHEMA.eventSchedule, node, row)
        frequency = row.text("repeat_frequency")
        if frequency:
            if not re.fullmatch(r"P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?", frequency) or frequency == "P":
                m.problem(row, f"repeat_frequency '{frequency}' is not an ISO 8601 duration of years, months, "
                               "weeks or days (P2Y)")
            else:
                m.data.add((node, SCHEMA.repeatFrequency, Literal(frequency, datatype=XSD.duration)))
