"""What an entry of the list of participants (Anexo III) says besides its person, organization and post:
the further organizations it names (data/participant_organizations.csv), the field of work and the
qualification it writes, the initiatives it names (columns of participants.csv).

One organization per cell: the entry's `cps:affiliation` stays the one organization it is listed for; every
other organization the entry names is linked from the participation with `cps:otherAffiliation`, and where
the entry gives a post in it, that post is an `org:Membership` of the person in that organization.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import ORG, RDFS

from ..namespaces import SCHEMA
from ..tables import Row
from ..vocab import CPS
from .actors import ORGANIZATION_KINDS, _label
from .core import Mapper
from .plans import MENTION_KINDS

LANGS = ("es", "en", "pt")


def map_entry_details(m: Mapper, rows: list[Row]) -> None:
    """The field of work, the qualification and the mentions of each row of participants.csv."""
    for row in rows:
        node = m.registry["participation"].get(row.text("entry"))
        if node is None:
            continue
        for column, prop in (("field_of_work", CPS.fieldOfWork), ("qualification", CPS.qualification)):
            for text in row.items_of(column):
                m.data.add((node, prop, Literal(" ".join(text.split()), lang=_lang(m, row, f"{column}_lang"))))
        m.link_all(node, SCHEMA.mentions, row, "mentions", MENTION_KINDS)


def map_participant_organizations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        node = m.ref(row, "entry", ("participation",), required=True)
        organization = m.ref(row, "organization", ORGANIZATION_KINDS, required=True)
        if node is None or organization is None:
            continue
        m.cite(node, row)
        if (node, CPS.affiliation, organization) not in m.data:
            m.relate(node, CPS.otherAffiliation, organization, row)
        if row.text("post"):
            _post(m, node, organization, row)


def _post(m: Mapper, participation: URIRef, organization: URIRef, row: Row) -> None:
    """The post the entry gives in `organization`: a membership of the entry's person."""
    person = m.data.value(participation, ORG.member)
    if person is None:
        return
    ident = f"{str(person).rsplit('/', 1)[-1]}--{str(organization).rsplit('/', 1)[-1]}"
    node = m.base.iri("affiliation", ident)
    post = Literal(" ".join(row.text("post").split()), lang=_lang(m, row, "post_lang"))
    if (node, None, None) in m.data:
        # the same membership stated elsewhere (affiliations.csv): the entry adds its post, and its citation
        m.data.add((node, SCHEMA.jobTitle, post))
        m.cite(node, row)
        return
    m.mark(node, row)
    m.typed(node, row, ORG.Membership)
    m.relate(node, ORG.member, person, row)
    m.relate(node, ORG.organization, organization, row)
    m.relate(person, ORG.memberOf, organization, row)
    m.data.add((node, SCHEMA.jobTitle, post))
    who = m.data.value(person, RDFS.label)
    m.data.add((node, RDFS.label, Literal(f"{who} en {_label(m, organization, 'es')}", lang="es")))
    m.data.add((node, RDFS.label, Literal(f"{who} at {_label(m, organization, 'en')}", lang="en")))


def _lang(m: Mapper, row: Row, column: str) -> str | None:
    lang = row.text(column)
    if lang not in LANGS:
        m.problem(row, f"{column} '{lang}' is not one of {', '.join(LANGS)}")
        return None
    return lang


# data/organization_relations.csv: relations between two organizations the report states in prose.
ORGANIZATION_RELATIONS = {"asesora": CPS.advises}


def map_organization_relations(m: Mapper, rows: list[Row]) -> None:
    for row in rows:
        prop = ORGANIZATION_RELATIONS.get(row.text("relation"))
        if prop is None:
            m.problem(row, f"relation '{row.text('relation')}' is not one of {', '.join(ORGANIZATION_RELATIONS)}")
            continue
        subject = m.ref(row, "subject", ORGANIZATION_KINDS, required=True)
        target = m.link(subject, prop, row, "object", ORGANIZATION_KINDS, required=True) if subject else None
        if subject is not None and target is not None:
            m.cite(subject, row)
