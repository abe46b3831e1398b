"""Concept schemes, places and the actors: countries, organizations, persons, working groups, participants."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS, XSD

from ..namespaces import GEONAMES, M49, SCHEMA, WD
from ..tables import Row
from ..vocab import CPS
from .core import Mapper, integer

# scheme file (in data/vocab/) -> (IRI path segment of its concepts, Spanish label, English label)
SCHEMES = {
    "sectors": ("sector", "Sectores", "Sectors"),
    "roles": ("role", "Roles", "Roles"),
    "time_horizons": ("horizon", "Horizontes temporales", "Time horizons"),
    "priority_levels": ("priority-level", "Niveles de prioridad", "Priority levels"),
    "actor_types": ("actor-type", "Tipos de actor", "Actor types"),
    "themes": ("theme", "Temas", "Themes"),
    "meeting_kinds": ("meeting-kind", "Tipos de reunión", "Meeting kinds"),
    "session_kinds": ("session-kind", "Tipos de sesión", "Session kinds"),
    "statuses": ("status", "Estados", "Statuses"),
    "proposal_categories": ("proposal-category", "Categorías de propuesta", "Proposal categories"),
    "event_roles": ("event-role", "Roles en una reunión", "Roles at a meeting"),
    "event_statuses": ("event-status", "Estados de una reunión", "Meeting statuses"),  # issue 13: statements
}

ORGANIZATION_KINDS = ("organization",)
AGENT_KINDS = ("organization", "person")


def map_scheme(m: Mapper, name: str, rows: list[Row]) -> None:
    kind, label_es, label_en = SCHEMES[name]
    scheme = m.base.iri("scheme", kind)
    for text, lang in ((label_es, "es"), (label_en, "en")):
        m.data.add((scheme, RDFS.label, Literal(text, lang=lang)))
        m.data.add((scheme, SKOS.prefLabel, Literal(text, lang=lang)))
    m.data.add((scheme, RDFS.comment, Literal(f"Concepts of data/vocab/{name}.csv", lang="en")))
    m.data.add((scheme, RDF.type, SKOS.ConceptScheme))
    for row in rows:
        node = m.register(kind, row)
        if node is None:
            continue
        m.typed(node, row, SKOS.Concept, *((CPS.ActorType,) if kind == "actor-type" else ()))
        m.data.add((node, SKOS.inScheme, scheme))
        m.data.add((node, SKOS.topConceptOf, scheme))
        m.data.add((node, SKOS.notation, Literal(row.text("id"))))
        m.labels(node, row)
        for column, lang in (("label_es", "es"), ("label_en", "en")):
            if row.text(column):
                m.data.add((node, SKOS.prefLabel, Literal(row.text(column), lang=lang)))
        if row.text("definition_en"):
            m.data.add((node, SKOS.definition, Literal(row.text("definition_en"), lang="en")))
        if row.text("close_match"):
            m.data.add((node, SKOS.closeMatch, URIRef(row.text("close_match"))))


def map_subregions(m: Mapper, rows: list[Row]) -> None:
    scheme = m.base.iri("scheme", "subregion")
    m.data.add((scheme, RDF.type, SKOS.ConceptScheme))
    m.data.add((scheme, RDFS.label, Literal("Subregiones del informe", lang="es")))
    m.data.add((scheme, RDFS.label, Literal("The report's subregions", lang="en")))
    for row in rows:
        node = m.registry["subregion"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, CPS.Subregion, SKOS.Concept)
        m.labels(node, row)
        m.data.add((node, SKOS.inScheme, scheme))
        # The four subregions are not M49 areas; all lie within M49 419 (Latin America and the Caribbean).
        m.data.add((node, SKOS.broadMatch, M49["419"]))


def map_countries(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["country"].get(row.text("id"))
        if node is None:
            continue
        code = row.text("id")
        if len(code) != 2 or not code.isupper():
            m.problem(row, f"id '{code}' is not an ISO 3166-1 alpha-2 code")
        m.typed(node, row, SCHEMA.Country)
        m.labels(node, row)
        m.alt_labels(node, row, "alt_labels")
        m.data.add((node, SKOS.notation, Literal(code)))
        m.link(node, CPS.subregion, row, "subregion", ("subregion",))
        if row.text("m49"):
            m.data.add((node, SKOS.exactMatch, M49[row.text("m49")]))
        if row.text("wikidata"):
            m.data.add((node, SKOS.exactMatch, WD[row.text("wikidata")]))
        if row.text("geonames"):
            m.data.add((node, RDFS.seeAlso, GEONAMES[row.text("geonames")]))


def map_places(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["place"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, SCHEMA.Place)
        m.labels(node, row)
        country = m.ref(row, "country", ("country",))
        if country is not None:
            m.relate(node, SCHEMA.containedInPlace, country, row)
            m.relate(node, CPS.country, country, row)


def map_organizations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["organization"].get(row.text("id"))
        if node is None or m.defined_at.get(("organization", row.text("id"))) != row.where:
            continue
        m.typed(node, row, ORG.Organization, FOAF.Organization)
        m.labels(node, row)
        m.alt_labels(node, row, "acronym", "alt_labels")
        # The report does not always say what kind of body an organization is: then sector stays empty.
        m.link(node, ORG.classification, row, "sector", ("sector",))
        m.link(node, CPS.country, row, "country", ("country",))
        parent = m.ref(row, "parent", ORGANIZATION_KINDS)
        if parent is not None:
            if parent == node:
                m.problem(row, "an organization cannot be its own parent")
            else:
                m.relate(node, ORG.subOrganizationOf, parent, row)
        if row.text("wikidata"):
            m.data.add((node, SKOS.exactMatch, WD[row.text("wikidata")]))


def map_persons(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.registry["person"].get(row.text("id"))
        if node is None or m.defined_at.get(("person", row.text("id"))) != row.where:
            continue
        name = row.text("name")
        if not name:
            m.problem(row, "name is empty")
            continue
        m.typed(node, row, FOAF.Person, SCHEMA.Person)
        # A person's name is the same in every language: one untagged label.
        m.data.add((node, RDFS.label, Literal(name)))
        m.data.add((node, FOAF.name, Literal(name)))
        if row.text("honorific"):
            m.data.add((node, FOAF.title, Literal(row.text("honorific"))))
        m.alt_labels(node, row, "alt_names")


def map_working_groups(m: Mapper, rows: list[Row], meeting: URIRef | None) -> None:
    for row in rows:
        node = m.registry["working-group"].get(row.text("id"))
        if node is None:
            continue
        m.typed(node, row, CPS.WorkingGroup, ORG.Organization)
        m.labels(node, row)
        if row.text("number"):
            m.data.add((node, SKOS.notation, Literal(row.text("number"))))
            m.data.add((node, SCHEMA.position, integer(row.text("number"))))
        m.link(node, CPS.subregion, row, "subregion", ("subregion",))
        # the kind of actor the NGO and business groups gather, as for any organization
        m.link(node, ORG.classification, row, "sector", ("sector",))
        if meeting is not None:
            m.relate(node, CPS.meeting, meeting, row)


def map_participants(m: Mapper, rows: list[Row], meeting: URIRef | None) -> None:
    for row in rows:
        entry = row.text("entry")
        node = m.register("participation", row, key="entry")
        if node is None:
            continue
        person = m.ref(row, "person", ("person",), required=True)
        group = m.ref(row, "working_group", ("working-group",), required=True)
        m.typed(node, row, CPS.Participation, ORG.Membership)
        m.data.add((node, SKOS.notation, Literal(entry)))
        name = m.data.value(person, RDFS.label) if person is not None else None
        who = str(name) if name else row.text("person")
        m.data.add((node, RDFS.label, Literal(f"Participación de {who} (Anexo III #{entry})", lang="es")))
        m.data.add((node, RDFS.label, Literal(f"Participation of {who} (Anexo III #{entry})", lang="en")))
        if person is not None:
            m.relate(node, ORG.member, person, row)
        if group is not None:
            m.relate(node, ORG.organization, group, row)
            if person is not None:
                m.relate(person, ORG.memberOf, group, row)
        if meeting is not None:
            m.relate(node, CPS.meeting, meeting, row)
        m.link(node, CPS.listedAs, row, "listing_kind", ("sector",), required=True)
        m.link(node, CPS.country, row, "country", ("country",))
        if row.text("country_cell"):
            m.data.add((node, CPS.countryAsWritten, Literal(row.text("country_cell"))))
        organization = m.ref(row, "organization", ORGANIZATION_KINDS)
        if organization is not None:
            m.relate(node, CPS.affiliation, organization, row)
            if person is not None:
                m.relate(person, ORG.memberOf, organization, row)
        if row.text("post"):
            lang = row.text("post_lang") or None
            m.data.add((node, SCHEMA.jobTitle, Literal(" ".join(row.text("post").split()), lang=lang)))
        m.link(node, ORG.role, row, "role", ("role",))


CONTACT_PROPERTY = {
    "email": SCHEMA.email,
    "telephone": SCHEMA.telephone,
    "fax": SCHEMA.faxNumber,
    "address": SCHEMA.address,
}


def map_contacts(m: Mapper, rows: list[Row]) -> None:
    """Personal contact details: only ever into the restricted graph."""
    counters: dict[str, int] = {}
    for row in rows:
        person = m.ref(row, "person", ("person",), required=True)
        prop = CONTACT_PROPERTY.get(row.text("kind"))
        if prop is None:
            m.problem(row, f"kind '{row.text('kind')}' is not one of {', '.join(CONTACT_PROPERTY)}")
            continue
        if person is None or not row.text("value"):
            if not row.text("value"):
                m.problem(row, "value is empty")
            continue
        entry = row.text("entry")
        counters[entry] = counters.get(entry, 0) + 1
        node = m.base.iri("contact", f"{entry}-{counters[entry]}")
        m.mark(node, row)
        m.typed(node, row, SCHEMA.ContactPoint, graph=m.restricted)
        m.restricted.add((node, prop, Literal(row.text("value"))))
        m.restricted.add((person, SCHEMA.contactPoint, node))
        if row.text("malformed").lower() == "true":
            m.restricted.add((node, CPS.malformed, Literal(True, datatype=XSD.boolean)))


def map_affiliations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        person = m.ref(row, "person", ("person",), required=True)
        organization = m.ref(row, "organization", ORGANIZATION_KINDS, required=True)
        if person is None or organization is None:
            continue
        node = m.base.iri("affiliation", f"{row.text('person')}--{row.text('organization')}")
        if (node, None, None) in m.data:
            m.problem(row, "the same person and organization are listed twice in affiliations.csv")
            continue
        m.mark(node, row)
        m.typed(node, row, ORG.Membership)
        m.relate(node, ORG.member, person, row)
        m.relate(node, ORG.organization, organization, row)
        m.relate(person, ORG.memberOf, organization, row)
        who = m.data.value(person, RDFS.label)
        org_es = _label(m, organization, "es")
        org_en = _label(m, organization, "en")
        m.data.add((node, RDFS.label, Literal(f"{who} en {org_es}", lang="es")))
        m.data.add((node, RDFS.label, Literal(f"{who} at {org_en}", lang="en")))
        m.text_pair(node, SCHEMA.jobTitle, row, "post_es", "post_en")


def _label(m: Mapper, node: URIRef, lang: str) -> str:
    for label in m.data.objects(node, RDFS.label):
        if getattr(label, "language", None) == lang:
            return str(label)
    return str(m.data.value(node, RDFS.label) or node)
