"""Curated tables -> RDF dataset. `map_tables` is the one entry point; the modules hold one area each."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..contacts import contact_rows
from ..errors import ConfigError, DataError, RowProblem
from ..namespaces import BIBO, SCHEMA, Base
from ..source import SOURCE_SHA256, Report
from ..tables import Row, read_csv, read_csv_dir, read_yaml
from ..vocab import CPS
from . import actors, entries, meeting, moved, plans, statements
from .core import Mapper, passage_slug

ID_TABLES = {
    # kind -> (table, id column): registered before any row is mapped, so references can point forward
    "subregion": ("subregions", "id"),
    "country": ("countries", "id"),
    "place": ("places", "id"),
    "organization": ("organizations", "id"),
    "person": ("persons", "id"),
    "working-group": ("working_groups", "id"),
    "event": ("events", "id"),
    "session": ("sessions", "id"),
    "task-force": ("task_forces", "id"),
    "initiative": ("initiatives", "id"),
    "common-priority": ("common_priorities", "id"),
    "finding": ("findings", "id"),  # issue 13: statements
}

CSV_TABLES = {
    "subregions": "subregions.csv",
    "countries": "countries.csv",
    "places": "places.csv",
    "working_groups": "working_groups.csv",
    "participants": "participants.csv",
    "affiliations": "affiliations.csv",
    "events": "meeting/events.csv",
    "event_roles": "meeting/event_roles.csv",
    "objectives": "meeting/objectives.csv",
    "participation_counts": "meeting/participation_counts.csv",
    "sessions": "meeting/sessions.csv",
    "presentations": "meeting/presentations.csv",
    "steering_committee": "governance/steering_committee.csv",
    "task_forces": "governance/task_forces.csv",
    "drafting_committee": "governance/drafting_committee.csv",
    "recommendation": "governance/recommendation.csv",
    "council_agreements": "governance/council_agreements.csv",
    "reported_results": "programmes/reported_results.csv",
    "common_priorities": "programmes/common_priorities.csv",
    "cuadro_i": "programmes/cuadro_i.csv",
    "caribe_programmes": "programmes/caribe_programmes.csv",
    "anexo_v_questions": "programmes/anexo_v_questions.csv",
    "anexo_v_answers": "programmes/anexo_v_answers.csv",
    # issue 13: statements
    "findings": "statements/findings.csv",
    "footnotes": "report/footnotes.csv",
    "considerations": "governance/considerations.csv",
    "andean_programmes": "programmes/andean_programmes.csv",
    "person_honorifics": "person_honorifics.csv",
    "schedules": "statements/schedules.csv",
    "moved_ids": "moved_ids.csv",
    "participant_organizations": "participant_organizations.csv",
    "organization_relations": "organization_relations.csv",
}
DIR_TABLES = {"organizations": "organizations", "persons": "persons"}


def read_tables(data_dir: Path) -> tuple[dict[str, list[Row]], dict[str, list[Row]], list[tuple[str, object]]]:
    """All tables of data/: (csv tables, vocabularies, action-plan documents). Raises DataError."""
    root = data_dir.parent
    tables = {name: read_csv(data_dir / rel, root) for name, rel in CSV_TABLES.items()}
    for name, rel in DIR_TABLES.items():
        tables[name] = read_csv_dir(data_dir / rel, root)
    tables["initiatives"] = [row for path in sorted((data_dir / "programmes").glob("initiatives*.csv"))
                             for row in read_csv(path, root)]
    tables["relations"] = [row for path in sorted((data_dir / "statements").glob("relations*.csv"))
                           for row in read_csv(path, root)]
    vocab = {name: read_csv(data_dir / "vocab" / f"{name}.csv", root) for name in actors.SCHEMES}
    plan_docs = [(str(path.relative_to(root)), read_yaml(path, root))
                 for path in sorted((data_dir / "action-plans").glob("*.yaml"))]
    return tables, vocab, plan_docs


def note_translations(path: Path) -> dict[str, str]:
    """The Spanish of the curation notes: a gettext catalogue (msgid the English note, msgstr its Spanish),
    read with Babel; none when the file is missing. Raises ConfigError when it cannot be read."""
    from babel.messages.pofile import PoFileError, read_po

    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the notes' translations {path}: {exc}") from exc
    return {m.id: m.string for m in catalogue if m.id and isinstance(m.id, str) and m.string}


def map_tables(data_dir: Path, base: Base, report: Report | None, contacts_file: Path | None = None) -> Mapper:
    """Map every table into a dataset with the `data` and `restricted` graphs; the restricted graph's contact
    details come from the report's Anexo III, or from `contacts_file` when given (cpsgraph.contacts). Raises
    DataError listing every row that cannot be mapped, ConfigError for a contacts file that cannot be used."""
    tables, vocab, plan_docs = read_tables(data_dir)
    m = Mapper(base, report, data_dir.parent)
    m.notes_es = note_translations(data_dir / "translations" / "notes-es.po")

    for name, rows in vocab.items():
        actors.map_scheme(m, name, rows)
    for kind, (table, column) in ID_TABLES.items():
        for row in tables[table]:
            iri = base.iri(kind, row.text(column)) if row.text(column) else None
            m.register(kind, row, column, iri)

    the_meeting = m.lookup(meeting.MEETING_ID, ("event",))
    actors.map_subregions(m, tables["subregions"])
    actors.map_countries(m, tables["countries"])
    actors.map_places(m, tables["places"])
    actors.map_organizations(m, tables["organizations"])
    actors.map_persons(m, tables["persons"])
    actors.map_working_groups(m, tables["working_groups"], the_meeting)
    meeting.map_events(m, tables["events"])
    meeting.map_event_roles(m, tables["event_roles"])
    meeting.map_numbered(m, tables["objectives"], "objective", CPS.Objective, the_meeting, CPS.hasObjective)
    meeting.map_participation_counts(m, tables["participation_counts"], the_meeting)
    meeting.map_sessions(m, tables["sessions"], the_meeting)
    meeting.map_presentations(m, tables["presentations"])
    actors.map_participants(m, tables["participants"], the_meeting)
    actors.map_contacts(m, contact_rows(m, tables["participants"], contacts_file, data_dir))
    actors.map_affiliations(m, tables["affiliations"])
    entries.map_entry_details(m, tables["participants"])
    entries.map_participant_organizations(m, tables["participant_organizations"])
    entries.map_organization_relations(m, tables["organization_relations"])
    meeting.map_steering_committee(m, tables["steering_committee"])
    meeting.map_task_forces(m, tables["task_forces"])
    meeting.map_drafting_committee(m, tables["drafting_committee"])
    meeting.map_numbered(m, tables["council_agreements"], "agreement", CPS.Agreement, None, None)
    for row in tables["council_agreements"]:
        node = m.registry["agreement"].get(row.text("id"))
        if node is not None and the_meeting is not None:
            m.relate(node, CPS.adoptedAt, the_meeting, row)
    forum = m.lookup("foro-ministros-xvi", ("event",))
    meeting.map_recommendation(m, tables["recommendation"], the_meeting, forum)
    plans.map_initiatives(m, tables["initiatives"])
    plans.map_reported_results(m, tables["reported_results"])
    plans.map_common_priorities(m, tables["common_priorities"])
    plans.map_programme_proposals(m, tables["cuadro_i"], "working_group")
    plans.map_programme_proposals(m, tables["caribe_programmes"], None)
    plans.map_questions(m, tables["anexo_v_questions"], tables["anexo_v_answers"])
    for rel, document in plan_docs:
        plans.map_action_plan(m, document, rel)
    # issue 13: statements (after every other table, so that a relation can name any node)
    statements.map_considerations(m, tables["considerations"])
    statements.map_programme_areas(m, tables["andean_programmes"])
    statements.map_findings(m, tables["findings"])
    statements.map_honorifics(m, tables["person_honorifics"])
    statements.map_schedules(m, tables["schedules"])
    statements.map_relations(m, tables["relations"])
    statements.map_footnotes(m, tables["footnotes"])
    moved.map_moved_ids(m, tables["moved_ids"])  # after the entities: it checks the new ids against them
    map_report(m, the_meeting)

    if m.problems:
        raise DataError(m.problems)
    return m


def map_report(m: Mapper, the_meeting: URIRef | None) -> None:
    """The report itself and one node per cited passage (locator, line range)."""
    report = m.base.iri("report")
    g = m.data
    g.add((report, RDF.type, CPS.Report))
    g.add((report, RDF.type, SCHEMA.Report))
    g.add((report, RDFS.label, Literal("Informe Final de la Cuarta Reunión del Consejo de Expertos de Gobierno "
                                       "en Consumo y Producción Sustentable de América Latina y el Caribe", lang="es")))
    g.add((report, RDFS.label, Literal("Final report of the Fourth Meeting of the Latin America and Caribbean "
                                       "Council of Government Experts on Sustainable Consumption and Production",
                                       lang="en")))
    g.add((report, DCTERMS.language, Literal("es")))
    g.add((report, DCTERMS.identifier, Literal(f"sha256:{SOURCE_SHA256}")))
    if the_meeting is not None:
        g.add((report, SCHEMA.about, the_meeting))
    for locator, spans in sorted(m.passages.items()):
        node = m.passage_iri(locator)
        g.add((node, RDF.type, CPS.Passage))
        g.add((node, BIBO.locator, Literal(locator)))
        for lang in ("es", "en"):
            g.add((node, RDFS.label, Literal(locator, lang=lang)))
        g.add((node, DCTERMS.isPartOf, report))
        g.add((node, CPS.lineStart, Literal(min(s.start for s in spans), datatype=XSD.integer)))
        g.add((node, CPS.lineEnd, Literal(max(s.end for s in spans), datatype=XSD.integer)))


__all__ = ["map_tables", "read_tables", "Mapper", "passage_slug", "RowProblem"]
