"""Programmes and initiatives, the common priorities, the programme proposals, Annex V and the action plans."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from ..namespaces import SCHEMA
from ..tables import Row, walk_rows, yaml_row
from ..vocab import CPS
from .actors import ORGANIZATION_KINDS
from .core import Mapper, integer
from .meeting import _position

INITIATIVE_CLASS = {
    "programa": CPS.Programme,
    "estrategia": CPS.Strategy,
    "politica": CPS.Policy,
    "marco": CPS.Framework,
    "plan": CPS.Plan,
    "agenda": CPS.Agenda,
    "iniciativa": CPS.Initiative,
}
RESPONSIBLE_KINDS = ("organization", "actor-type", "working-group", "task-force")
MENTION_KINDS = ("organization", "task-force", "country", "initiative", "subregion", "event", "actor-type")


def map_initiatives(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["initiative"].get(row.text("id"))
        if node is None or m.defined_at.get(("initiative", row.text("id"))) != row.where:
            continue
        cls = INITIATIVE_CLASS.get(row.text("kind"))
        if cls is None:
            m.problem(row, f"kind '{row.text('kind')}' is not one of {', '.join(INITIATIVE_CLASS)}")
            cls = CPS.Initiative
        m.typed(node, row, cls, CPS.Initiative)
        m.labels(node, row)
        m.alt_labels(node, row, "acronym", "alt_labels")
        m.link_all(node, CPS.responsible, row, "responsible", RESPONSIBLE_KINDS)
        m.link(node, DCTERMS.isPartOf, row, "part_of", ("initiative",))
        m.dated(node, DCTERMS.date, row, "date")
        target = row.text("sdg_target")
        if target:
            if not target.startswith("http://metadata.un.org/sdg/"):
                m.problem(row, f"sdg_target '{target}' is not a UN SDG IRI (http://metadata.un.org/sdg/...)")
            else:
                m.data.add((node, CPS.sdgTarget, URIRef(target)))


def map_reported_results(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.register("reported-result", row)
        if node is None:
            continue
        m.typed(node, row, CPS.ReportedResult, SCHEMA.QuantitativeValue)
        m.labels(node, row)
        m.link(node, CPS.reportedFor, row, "subject", ("organization", "initiative"), required=True)
        if row.text("value"):
            try:
                m.data.add((node, SCHEMA.value, Literal(Decimal(row.text("value")), datatype=XSD.decimal)))
            except InvalidOperation:
                m.problem(row, f"value '{row.text('value')}' is not a number")
        if row.text("unit"):
            m.data.add((node, SCHEMA.unitText, Literal(row.text("unit"))))


def map_common_priorities(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["common-priority"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, CPS.CommonPriorityArea)
        m.labels(node, row)
        _position(m, node, row)
        m.link_all(node, DCTERMS.subject, row, "themes", ("theme",))


def map_programme_proposals(m: Mapper, rows: list[Row], group_column: str | None) -> None:
    caribe = m.lookup("caribe", ("working-group",))
    for row in rows:
        node = m.register("proposal", row)
        if node is None:
            continue
        m.typed(node, row, CPS.ProgrammeProposal)
        m.labels(node, row)
        group = m.ref(row, group_column, ("working-group",), required=True) if group_column else caribe
        if group is not None:
            m.relate(node, CPS.workingGroup, group, row)
            m.relate(node, CPS.proposedBy, group, row)
        if row.get("category") is not None:
            m.link(node, CPS.proposalCategory, row, "category", ("proposal-category",), required=True)
        position = integer(row.text("row") or row.text("position"))
        if position is None:
            m.problem(row, "row/position must be a whole number")
        else:
            m.data.add((node, SCHEMA.position, position))
        if row.get("priority_level") is not None:
            m.link(node, CPS.priorityLevel, row, "priority_level", ("priority-level",), required=True)
            m.link_all(node, CPS.keyAgency, row, "key_agencies", ORGANIZATION_KINDS + ("task-force", "actor-type"))


def map_questions(m: Mapper, questions: list[Row], answers: list[Row]) -> None:
    for row in questions:
        node = m.register("question", row)
        if node is None:
            continue
        m.typed(node, row, CPS.GuidingQuestion)
        m.labels(node, row)
        _position(m, node, row)
    for row in answers:
        node = m.register("answer", row)
        if node is None:
            continue
        m.typed(node, row, CPS.Answer)
        m.labels(node, row)
        m.link(node, CPS.question, row, "question", ("question",), required=True)
        m.link(node, CPS.workingGroup, row, "working_group", ("working-group",), required=True)
        m.link_all(node, SCHEMA.mentions, row, "mentions", MENTION_KINDS)


# -- action plans --------------------------------------------------------------------------------

def map_action_plan(m: Mapper, document: dict, rel: str) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        m.problems.append(_problem(rel, "an action-plan file starts with a 'plan:' mapping"))
        return
    header = yaml_row(document["plan"], rel)
    plan = m.register("plan", header)
    if plan is None:
        return
    m.typed(plan, header, CPS.ActionPlan)
    m.labels(plan, header)
    m.link(plan, CPS.subregion, header, "subregion", ("subregion",))
    group = m.ref(header, "working_group", ("working-group",), required=True)
    if group is not None:
        m.relate(plan, CPS.workingGroup, group, header)
        m.relate(plan, CPS.proposedBy, group, header)
    path = m.base.iri("plan", header.text("id"))
    for row in walk_rows(document.get("priorities"), rel):
        _priority(m, plan, plan, f"{path}/p{row.text('position')}", row, rel)
    for row in walk_rows(document.get("objectives"), rel):
        node = _child(m, plan, CPS.hasObjective, f"{path}/o-{row.text('horizon')}-{row.text('position')}",
                      row, CPS.Objective)
        if node is not None:
            _horizon(m, node, row)
            _themes(m, node, row)
            _mentions(m, node, row)
    for row in walk_rows(document.get("activities"), rel):
        suffix = f"{row.text('horizon')}-{row.text('position')}" if row.text("horizon") else row.text("position")
        _activity(m, plan, f"{path}/a{'-' if row.text('horizon') else ''}{suffix}", row, rel)
    for key in ("partnerships", "background"):
        for row in walk_rows(document.get(key), rel):
            node = _child(m, plan, DCTERMS.hasPart, f"{path}/{key}-{row.text('position')}", row,
                          CPS.PlanStatement)
            if node is not None:
                m.data.add((node, DCTERMS.type, Literal(key)))
                _mentions(m, node, row)


def _priority(m: Mapper, plan: URIRef, parent: URIRef, iri: str, row: Row, rel: str) -> None:
    node = _child(m, parent, DCTERMS.hasPart, iri, row, CPS.Priority)
    if node is None:
        return
    _themes(m, node, row)
    _mentions(m, node, row)
    m.text_pair(node, CPS.dimension, row, "dimension_es", "dimension_en")
    m.text_pair(node, CPS.observation, row, "observation_es", "observation_en")
    for item in walk_rows(row.get("items"), rel):
        _priority(m, plan, node, f"{iri}/{item.text('position')}", item, rel)
    for result in walk_rows(row.get("results"), rel):
        _result(m, node, f"{iri}/r{result.text('position')}", result, rel)
    for activity in walk_rows(row.get("activities"), rel):
        _activity(m, node, f"{iri}/a{activity.text('position')}", activity, rel)


def _result(m: Mapper, priority: URIRef, iri: str, row: Row, rel: str) -> None:
    node = _child(m, priority, DCTERMS.hasPart, iri, row, CPS.ExpectedResult)
    if node is None:
        return
    if row.text("number"):
        m.data.add((node, SKOS.notation, Literal(row.text("number"))))
    _mentions(m, node, row)
    for indicator in walk_rows(row.get("indicators"), rel):
        found = _child(m, node, CPS.hasIndicator, f"{iri}/i{indicator.text('position')}", indicator, CPS.Indicator)
        if found is not None:
            _mentions(m, found, indicator)
    for activity in walk_rows(row.get("activities"), rel):
        _activity(m, node, f"{iri}/a{activity.text('position')}", activity, rel)


def _activity(m: Mapper, parent: URIRef, iri: str, row: Row, rel: str) -> None:
    node = _child(m, parent, DCTERMS.hasPart, iri, row, CPS.Activity)
    if node is None:
        return
    _horizon(m, node, row)
    m.text_pair(node, CPS.timeFrame, row, "time_frame_es", "time_frame_en")
    m.text_pair(node, CPS.responsibleText, row, "responsible_es", "responsible_en")
    m.text_pair(node, CPS.resources, row, "resources_es", "resources_en")
    m.link_all(node, CPS.responsible, row, "responsible", RESPONSIBLE_KINDS)
    _involved(m, node, row)
    for indicator in walk_rows(row.get("indicators"), rel):
        found = _child(m, node, CPS.hasIndicator, f"{iri}/i{indicator.text('position')}", indicator, CPS.Indicator)
        if found is not None:
            _mentions(m, found, indicator)


# Actors an activity names other than its responsible ones: who supports it ("con el apoyo de X"), whom it
# supports or is meant for ("apoyar a X", "capacitación a X"), to whom it sends something, and what else it
# names. Kept apart from cps:responsible so that "who is responsible" counts only the responsible.
INVOLVED = (("support", CPS.supportedBy), ("beneficiary", CPS.beneficiary), ("recipient", SCHEMA.recipient))


def _involved(m: Mapper, node: URIRef, row: Row) -> None:
    for column, prop in INVOLVED:
        m.link_all(node, prop, row, column, RESPONSIBLE_KINDS)
    _mentions(m, node, row)


def _mentions(m: Mapper, node: URIRef, row: Row) -> None:
    m.link_all(node, SCHEMA.mentions, row, "mentions", MENTION_KINDS + ("working-group",))


def _child(m: Mapper, parent: URIRef, link: URIRef, iri: str, row: Row, cls: URIRef) -> URIRef | None:
    if not row.text("position"):
        m.problem(row, "position is empty")
        return None
    node = URIRef(iri)
    if (node, None, None) in m.data:
        m.problem(row, f"position {row.text('position')} is used twice at this level")
        return None
    m.mark(node, row)
    m.typed(node, row, cls)
    m.labels(node, row)
    _position(m, node, row)
    m.relate(parent, link, node, row)
    return node


def _horizon(m: Mapper, node: URIRef, row: Row) -> None:
    m.link(node, CPS.timeHorizon, row, "horizon", ("horizon",))


def _themes(m: Mapper, node: URIRef, row: Row) -> None:
    m.link_all(node, DCTERMS.subject, row, "themes", ("theme",))


def _problem(rel: str, message: str):
    from ..errors import RowProblem
    return RowProblem(rel, message)
