"""The meeting and its timeline, agenda and presentations; the Council's governance and the Recommendation."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDFS, SKOS, XSD

from ..namespaces import ADMS, SCHEMA
from ..tables import Row
from ..vocab import CPS
from .actors import AGENT_KINDS, ORGANIZATION_KINDS, _label
from .core import Mapper, integer

MEETING_ID = "cuarta-reunion-consejo"
EVENT_ROLE_PROPERTY = {"organizador": SCHEMA.organizer, "colaborador": CPS.collaborator, "anfitrion": CPS.host}


def map_events(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["event"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, CPS.Meeting, SCHEMA.Event)
        m.labels(node, row)
        m.alt_labels(node, row, "alt_labels")
        m.link(node, CPS.meetingKind, row, "kind", ("meeting-kind",), required=True)
        if row.text("ordinal"):
            value = integer(row.text("ordinal"))
            if value is None:
                m.problem(row, f"ordinal '{row.text('ordinal')}' is not a whole number")
            else:
                m.data.add((node, CPS.ordinal, value))
        m.dated(node, SCHEMA.startDate, row, "start")
        m.dated(node, SCHEMA.endDate, row, "end")
        m.link(node, SCHEMA.location, row, "place", ("place",))
        m.link(node, CPS.country, row, "country", ("country",))


def map_event_roles(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        event = m.ref(row, "event", ("event",), required=True)
        agent = m.ref(row, "organization", ORGANIZATION_KINDS, required=True)
        prop = EVENT_ROLE_PROPERTY.get(row.text("role"))
        if prop is None:
            m.problem(row, f"role '{row.text('role')}' is not one of {', '.join(EVENT_ROLE_PROPERTY)}")
        if event is not None:
            m.cite(event, row)
        if event is not None and agent is not None and prop is not None:
            m.relate(event, prop, agent, row)


def map_numbered(m: Mapper, rows: list[Row], kind: str, cls: URIRef, owner: URIRef | None,
                 link: URIRef | None) -> None:
    """Objectives, agreements and other numbered items of the meeting: position, labels, citation."""
    for row in rows:
        node = m.register(kind, row)
        if node is None:
            continue
        m.typed(node, row, cls)
        m.labels(node, row)
        _position(m, node, row)
        if owner is not None and link is not None:
            m.relate(owner, link, node, row)


def map_participation_counts(m: Mapper, rows: list[Row], meeting: URIRef | None) -> None:
    for row in rows:
        node = m.register("count", row)
        if node is None:
            continue
        m.typed(node, row, CPS.ParticipationCount)
        m.labels(node, row)
        m.link_all(node, CPS.sector, row, "sector", ("sector",))
        count = integer(row.text("count"))
        if count is None:
            m.problem(row, f"count '{row.text('count')}' is not a whole number")
        else:
            m.data.add((node, CPS.count, count))
        if meeting is not None:
            m.relate(node, CPS.meeting, meeting, row)


def map_sessions(m: Mapper, rows: list[Row], meeting: URIRef | None) -> None:
    for row in rows:
        node = m.registry["session"].get(row.text("id"))
        if node is None:
            continue
        kind_id = row.text("kind")
        m.typed(node, row, CPS.Session, SCHEMA.Event, *((CPS.Panel,) if kind_id == "panel" else ()))
        m.labels(node, row)
        m.link(node, CPS.sessionKind, row, "kind", ("session-kind",), required=True)
        if row.text("number"):
            # the panel's number as printed, and as a whole number to order the panels by
            m.data.add((node, SKOS.notation, Literal(row.text("number"))))
            if integer(row.text("number")) is None:
                m.problem(row, f"number '{row.text('number')}' is not a whole number")
            else:
                m.data.add((node, SCHEMA.position, integer(row.text("number"))))
        day = row.text("date")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            m.problem(row, f"date '{day}' is not an ISO date")
            continue
        for column, prop in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            clock = row.text(column)
            if not clock:
                continue
            if not re.fullmatch(r"\d{1,2}:\d{2}", clock):
                m.problem(row, f"{column} '{clock}' is not HH:MM")
                continue
            hours, minutes = clock.split(":")
            value = Literal(f"{day}T{int(hours):02d}:{minutes}:00", datatype=XSD.dateTime)
            m.data.add((node, prop, value))
            m.comparable(node, prop, value)
        # an agenda item listed under a session (Anexo II) is part of that session, not of the meeting directly
        parent = m.ref(row, "part_of", ("session",)) if row.text("part_of") else meeting
        if row.text("part_of"):
            _position(m, node, row)
            if parent is not None:
                m.relate(node, DCTERMS.isPartOf, parent, row)
                m.relate(parent, DCTERMS.hasPart, node, row)
        elif row.text("position"):
            m.problem(row, "position is the order of an agenda item within its session: give part_of too")
        if parent is not None:
            m.relate(node, SCHEMA.superEvent, parent, row)
            m.relate(parent, SCHEMA.subEvent, node, row)


def map_presentations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.register("presentation", row)
        if node is None:
            continue
        m.typed(node, row, CPS.Presentation, SCHEMA.Event)
        m.labels(node, row, es="title_es", en="title_en")
        _position(m, node, row)
        session = m.ref(row, "session", ("session",), required=True)
        if session is not None:
            m.relate(node, SCHEMA.superEvent, session, row)
            m.relate(session, SCHEMA.subEvent, node, row)
        presenters = m.refs(row, "presenters", ("person",))
        if not presenters:
            m.problem(row, "presenters is empty: a presentation has at least one presenter")
        for person in presenters:
            m.relate(node, CPS.presenter, person, row)
        m.link_all(node, CPS.onBehalfOf, row, "on_behalf_of", ORGANIZATION_KINDS)


def map_steering_committee(m: Mapper, rows: list[Row]) -> None:
    """The seats of the Steering Committee. A seat's id and label name the meeting that elected it by what the
    report says of that meeting (its place, and its year where the report dates it), never by a guessed year."""
    committee = m.lookup("comite-directivo", ORGANIZATION_KINDS)
    for row in rows:
        code = row.text("country")
        node = m.register("seat", row)
        if node is None:
            continue
        m.typed(node, row, CPS.SteeringCommitteeSeat, ORG.Membership)
        subregion = m.link(node, CPS.subregion, row, "subregion", ("subregion",), required=True)
        country = m.link(node, CPS.country, row, "country", ("country",), required=True)
        government = m.lookup(f"gobierno-{code.lower()}", ORGANIZATION_KINDS)
        if government is None:
            m.problem(row, f"no government organization gobierno-{code.lower()} for country {code}")
        else:
            m.relate(node, ORG.member, government, row)
        role = m.link(node, ORG.role, row, "role", ("role",), required=True)
        if committee is not None:
            m.relate(node, ORG.organization, committee, row)
        meeting = m.link(node, CPS.electedAt, row, "elected_at", ("event",), required=True)
        flag = row.text("ad_referendum").lower()
        if flag not in ("true", "false"):
            m.problem(row, "ad_referendum must be true or false")
        m.data.add((node, CPS.adReferendum, Literal(flag == "true", datatype=XSD.boolean)))
        if None not in (country, subregion, role, meeting):
            for lang, word, elected in (("es", "por", "elegido en"), ("en", "for", "elected in")):
                label = f"{_label(m, country, lang)}, {_label(m, role, lang).lower()} {word} " \
                        f"{_label(m, subregion, lang)} ({elected} {_where_and_when(m, meeting, lang)})"
                m.data.add((node, RDFS.label, Literal(label, lang=lang)))


def _where_and_when(m: Mapper, meeting: URIRef, lang: str) -> str:
    """'São Paulo, 2007' or 'Nicaragua': the meeting's place (else its country) and the year the report gives."""
    place = m.data.value(meeting, SCHEMA.location) or m.data.value(meeting, CPS.country)
    where = _label(m, place, lang) if place is not None else _label(m, meeting, lang)
    start = m.data.value(meeting, SCHEMA.startDate)
    return f"{where}, {str(start)[:4]}" if start is not None else where


def map_task_forces(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["task-force"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, CPS.TaskForce, ORG.Organization)
        m.labels(node, row)
        m.alt_labels(node, row, "acronym", "alt_labels")
        m.link(node, ADMS.status, row, "status", ("status",), required=True)
        m.link_all(node, CPS.ledBy, row, "lead", AGENT_KINDS)
        for member in m.refs(row, "members", AGENT_KINDS):
            m.relate(node, ORG.hasMember, member, row)
            m.relate(member, ORG.memberOf, node, row)
        m.link_all(node, CPS.proposedBy, row, "proposed_by", ("organization", "working-group", "person"))


def map_drafting_committee(m: Mapper, rows: list[Row]) -> None:
    committee = m.lookup("comite-redactor", ORGANIZATION_KINDS)
    representative = m.lookup("representante", ("role",))
    for row in rows:
        person = m.ref(row, "person", ("person",), required=True)
        if person is None:
            continue
        node = m.base.iri("drafting-member", row.text("person"))
        m.mark(node, row)
        m.typed(node, row, ORG.Membership)
        m.relate(node, ORG.member, person, row)
        if committee is not None:
            m.relate(node, ORG.organization, committee, row)
            m.relate(person, ORG.memberOf, committee, row)
        if representative is not None:
            m.relate(node, ORG.role, representative, row)
        represents = m.link(node, CPS.represents, row, "represents", ("subregion", "organization", "working-group"),
                            required=True)
        m.link(node, CPS.country, row, "country", ("country",))
        who = m.data.value(person, RDFS.label)
        whom_es = _label(m, represents, "es") if represents is not None else row.text("represents")
        whom_en = _label(m, represents, "en") if represents is not None else row.text("represents")
        m.data.add((node, RDFS.label, Literal(f"{who} en el Comité Redactor, por {whom_es}", lang="es")))
        m.data.add((node, RDFS.label, Literal(f"{who} on the Drafting Committee, for {whom_en}", lang="en")))


def map_recommendation(m: Mapper, rows: list[Row], meeting: URIRef | None, addressed_to: URIRef | None) -> None:
    node = m.base.iri("recommendation", "anexo-i")
    header = Row({"source": "Anexo I", "lines": "320-364"})
    header.where = "data/governance/recommendation.csv"
    m.typed(node, header, CPS.Recommendation)
    m.data.add((node, RDFS.label, Literal("Recomendación de la Cuarta Reunión de Expertos sobre Consumo y "
                                          "Producción Sustentable (CPS) de América Latina y el Caribe a la XVI "
                                          "Reunión del Foro de Ministros de Medio Ambiente de ALyC", lang="es")))
    m.data.add((node, RDFS.label, Literal("Recommendation of the Fourth Meeting of Experts on Sustainable "
                                          "Consumption and Production (SCP) of Latin America and the Caribbean "
                                          "to the XVI Meeting of the Forum of Ministers of Environment of LAC",
                                          lang="en")))
    committee = m.lookup("comite-redactor", ORGANIZATION_KINDS)
    for prop, value in ((DCTERMS.creator, committee), (CPS.adoptedAt, meeting), (CPS.addressedTo, addressed_to)):
        if value is not None:
            m.relate(node, prop, value, header)
    for row in rows:
        point = row.text("point")
        if integer(point) is None:
            m.problem(row, f"point '{point}' is not a number")
            continue
        item = m.base.iri("recommendation", "anexo-i", "point", point)
        m.mark(item, row)
        m.typed(item, row, CPS.RecommendationPoint)
        m.labels(item, row)
        m.data.add((item, SCHEMA.position, integer(point)))
        m.relate(node, DCTERMS.hasPart, item, row)
        m.link_all(item, SCHEMA.mentions, row, "refers_to", ("organization", "common-priority", "initiative", "event",
                                                          "task-force", "subregion"))


def _position(m: Mapper, node: URIRef, row: Row) -> None:
    if not row.text("position"):
        return
    value = integer(row.text("position"))
    if value is None:
        # letters a)-f) as the report numbers them: keep the letter, order by it
        letter = row.text("position").strip(") ").lower()
        if len(letter) == 1 and letter.isalpha():
            m.data.add((node, SKOS.notation, Literal(letter)))
            m.data.add((node, SCHEMA.position, Literal(ord(letter) - ord("a") + 1, datatype=XSD.integer)))
            return
        m.problem(row, f"position '{row.text('position')}' is neither a number nor a letter")
        return
    m.data.add((node, SCHEMA.position, value))
