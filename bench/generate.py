"""Report-shaped synthetic data: the curated tables of data/, repeated as if the Council had met many times.

    python -m bench.generate --triples 1000000 --out /tmp/cps-1m      # writes /tmp/cps-1m/data/
    python -m bench.generate --copies 3 --out /tmp/cps-3

Copy 0 is the real data, unchanged. Every further copy c adds the report's meetings, sessions, presentations,
participants, persons, organizations, working groups, task forces, initiatives, plans (with their priorities,
results, indicators and activities), programme proposals and Annex V answers again, each id suffixed `-x<c>`
(participation entries are renumbered `c*1000 + n`, because their IRIs must be numbers), every reference
pointing into the same copy. The columns are the same and so are the citations: every row keeps the locator
and lines it cites, which are valid in the real report, so the real `cpsgraph build` (its citation checks
and its SHACL gate) runs unchanged on the result (tests/graph/test_bench_generate.py builds three copies).
The tables that only link things (honorifics, an entry's further organizations, the relations of
data/statements/, which name any kind of id or a path under id/ such as `plan/caribe/a-corto-plazo-6`) are
re-pointed into each copy too; their rows that name only shared things are stated by copy 0 alone.

What is shared between the copies, as it would be across real meetings: the vocabularies, countries,
subregions and places; the international and regional bodies, development banks, cooperation agencies,
networks and national governments (`gobierno-*`), and the persons who attend on their behalf; the meeting the
mapping attaches participants to (`cuarta-reunion-consejo`) and the events it looks up by id; the Steering
Committee seats and the Recommendation (their IRIs are fixed, so only copy 0 states them). So the shared
agencies (UNEP and the like) become hubs whose neighbourhood grows with the graph, which is what the network
page of "the most connected actor" has to cope with.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from fnmatch import fnmatch
from pathlib import Path

import yaml

from cpsgraph.mapping.plans import MENTION_KINDS as MENTIONS
from cpsgraph.mapping.statements import RELATIONS as STATEMENT_RELATIONS

SHARED_SECTORS = {"agencia-internacional", "organismo-integracion-regional", "foro-intergubernamental",
                  "banco-desarrollo", "agencia-cooperacion", "red"}
ANCHOR_EVENTS = {"cuarta-reunion-consejo", "reunion-consejo-nicaragua", "foro-ministros-xvi"}
ANCHOR_ORGANIZATIONS = {"comite-directivo", "comite-redactor"}
PERSONAL = ("restricted/contacts.csv", "affiliations.csv", "governance/drafting_committee.csv")
# tables whose ids no copy renames (the generator does not know their id columns): stated by copy 0 only
ONLY_ONCE = ("countries.csv", "subregions.csv", "places.csv", "governance/steering_committee.csv",
             "governance/recommendation.csv", "governance/considerations.csv", "moved_ids.csv",
             "programmes/andean_programmes.csv", "statements/findings.csv", "statements/schedules.csv")

# kind -> (file patterns, space-separated; id column): the tables that define the ids each copy renames
DEFINES = {
    "organization": ("organizations/*.csv", "id"),
    "person": ("persons/*.csv", "id"),
    "working-group": ("working_groups.csv", "id"),
    "event": ("meeting/events.csv", "id"),
    "session": ("meeting/sessions.csv", "id"),
    "presentation": ("meeting/presentations.csv", "id"),
    "objective": ("meeting/objectives.csv", "id"),
    "count": ("meeting/participation_counts.csv", "id"),
    "task-force": ("governance/task_forces.csv", "id"),
    "agreement": ("governance/council_agreements.csv", "id"),
    "initiative": ("programmes/initiatives*.csv", "id"),
    "reported-result": ("programmes/reported_results.csv", "id"),
    "common-priority": ("programmes/common_priorities.csv", "id"),
    "proposal": ("programmes/cuadro_i.csv programmes/caribe_programmes.csv", "id"),
    "question": ("programmes/anexo_v_questions.csv", "id"),
    "answer": ("programmes/anexo_v_answers.csv", "id"),
    "participation": ("participants.csv", "entry"),
}
RESPONSIBLE = ("organization", "actor-type", "working-group", "task-force")
# file pattern -> {column: kinds in the mapping's lookup order}: the references each copy re-points
REFERENCES = {
    "organizations/*.csv": {"parent": ("organization",)},
    "participants.csv": {"person": ("person",), "working_group": ("working-group",),
                         "organization": ("organization",), "mentions": MENTIONS},
    "affiliations.csv": {"person": ("person",), "organization": ("organization",)},
    "restricted/contacts.csv": {"entry": ("participation",), "person": ("person",)},
    "meeting/event_roles.csv": {"event": ("event",), "organization": ("organization",)},
    "meeting/sessions.csv": {"part_of": ("session",)},
    "meeting/presentations.csv": {"session": ("session",), "presenters": ("person",),
                                  "on_behalf_of": ("organization",)},
    "governance/task_forces.csv": {"lead": ("organization", "person"), "members": ("organization", "person"),
                                   "proposed_by": ("organization", "working-group", "person")},
    "governance/drafting_committee.csv": {"person": ("person",),
                                          "represents": ("subregion", "organization", "working-group")},
    "programmes/initiatives*.csv": {"responsible": RESPONSIBLE, "part_of": ("initiative",)},
    "programmes/reported_results.csv": {"subject": ("organization", "initiative")},
    "programmes/cuadro_i.csv": {"working_group": ("working-group",)},
    "programmes/caribe_programmes.csv": {"key_agencies": ("organization", "task-force")},
    "programmes/anexo_v_answers.csv": {"question": ("question",), "working_group": ("working-group",),
                                       "mentions": MENTIONS},
    "participant_organizations.csv": {"entry": ("participation",), "organization": ("organization",)},
    "person_honorifics.csv": {"person": ("person",)},
    "organization_relations.csv": {"subject": ("organization",), "object": ("organization",)},
}
# statements/relations-*.csv: the kinds each side may name depend on the row's relation (the mapping's table)
RELATION_TABLES = "statements/relations-*.csv"
# relations a meeting has at most one of (the shapes say so): a copy states them only between its own meetings,
# so a shared meeting keeps the one next meeting copy 0 gives it
ONE_EACH = {"next-meeting"}


class Copier:
    """Renames the ids of one copy of the tables and re-points references into it."""

    def __init__(self, data: Path):
        self.data = data
        self.defined: dict[str, set[str]] = {kind: set() for kind in DEFINES}
        sectors: dict[str, str] = {}
        for kind, (patterns, column) in DEFINES.items():
            for path in sorted(p for pattern in patterns.split() for p in data.glob(pattern)):
                for row in _read(path)[1]:
                    self.defined[kind].add(row[column])
                    if kind == "organization":
                        sectors[row["id"]] = row.get("sector", "")
        self.defined["plan"] = {yaml.safe_load(p.read_text(encoding="utf-8"))["plan"]["id"]
                                for p in data.glob("action-plans/*.yaml")}
        self.shared_organizations = {org for org, sector in sectors.items()
                                     if sector in SHARED_SECTORS or org.startswith("gobierno-")} | ANCHOR_ORGANIZATIONS
        # the same officials attend every meeting on behalf of the shared agencies
        self.shared_persons = {row["person"] for row in _read(data / "participants.csv")[1]
                               if row["organization"] in self.shared_organizations}

    def is_shared(self, kind: str, ident: str) -> bool:
        return ((kind == "organization" and ident in self.shared_organizations)
                or (kind == "person" and ident in self.shared_persons)
                or (kind == "event" and ident in ANCHOR_EVENTS)
                or kind not in self.defined)

    def rename(self, kind: str, ident: str, copy: int) -> str:
        if copy == 0 or not ident or self.is_shared(kind, ident) or ident not in self.defined[kind]:
            return ident
        if kind == "participation":  # IRIs and entry numbers are `[0-9]+[ab]?`
            number = ident.rstrip("ab")
            return f"{copy * 1000 + int(number)}{ident[len(number):]}"
        return f"{ident}-x{copy}"

    def ref(self, kinds: tuple[str, ...], ident: str, copy: int) -> str:
        """An id of one of `kinds` in this copy; an id written `kind/id` (`organization/consejo-expertos`, where
        several kinds define it) or a path under id/ (`plan/caribe/a-corto-plazo-6`) keeps its form."""
        head, _, rest = ident.partition("/")
        if rest:
            if head not in self.defined:
                return ident
            name, _, part = rest.partition("/")
            return "/".join(filter(None, (head, self.rename(head, name, copy), part)))
        for kind in kinds:  # the first kind that defines the id wins, as in the mapping's lookup
            if ident in self.defined.get(kind, ()):
                return self.rename(kind, ident, copy)
        return ident

    def refs(self, kinds: tuple[str, ...], cell: str, copy: int) -> str:
        if "|" not in cell:
            return self.ref(kinds, cell.strip(), copy) if cell.strip() else cell
        return " | ".join(self.ref(kinds, part.strip(), copy) for part in cell.split("|") if part.strip())

    def relation_row(self, row: dict, copy: int) -> dict:
        """A row of statements/relations-*.csv re-pointed by the kinds its relation allows on each side."""
        relation = STATEMENT_RELATIONS.get(row["relation"])
        if relation is None:   # the mapping reports it; the copy keeps it as it is
            return dict(row)
        return row | {"subject": self.ref(relation.subjects, row["subject"], copy),
                      "object": self.ref(relation.objects, row["object"], copy)}

    def csv_rows(self, rel: str, rows: list[dict], copy: int) -> list[dict]:
        """One copy of a CSV table's rows. Rows defining a shared id appear in copy 0 only, and so do the rows
        of the other tables that a copy would leave unchanged (they name only shared things: stating them
        again adds nothing, or a duplicate)."""
        own = next((kind for kind, (patterns, _) in DEFINES.items()
                    if any(fnmatch(rel, pattern) for pattern in patterns.split())), None)
        column = DEFINES[own][1] if own else None
        references = next((refs for pattern, refs in REFERENCES.items() if fnmatch(rel, pattern)), {})
        if fnmatch(rel, RELATION_TABLES):
            return [new for row in rows for new in [self.relation_row(row, copy)] if not copy or (
                new != row if row["relation"] not in ONE_EACH else
                new["subject"] != row["subject"] and new["object"] != row["object"])]
        out = []
        for row in rows:
            if copy and own and self.is_shared(own, row[column]):
                continue
            if copy and rel == "meeting/event_roles.csv" and row["event"] in ANCHOR_EVENTS:
                continue  # the anchor events' organizers are stated once
            if copy and rel in PERSONAL and row["person"] in self.shared_persons:
                continue  # a shared person's contacts and memberships are stated once
            new = dict(row)
            if own:
                new[column] = self.rename(own, row[column], copy)
            for name, kinds in references.items():
                new[name] = self.refs(kinds, row[name], copy)
            if copy and not own and new == row:
                continue
            out.append(new)
        return out

    def plan(self, document: dict, copy: int) -> dict:
        """One copy of an action plan: its id, its working group and every `responsible` and `mentions` list
        re-pointed."""
        document = _deep_copy(document)
        header = document["plan"]
        header["id"] = self.rename("plan", header["id"], copy)
        header["working_group"] = self.ref(("working-group",), header["working_group"], copy)
        _walk_lists(document, "responsible", lambda ident: self.ref(RESPONSIBLE, ident, copy))
        _walk_lists(document, "mentions", lambda ident: self.ref(MENTIONS + ("working-group",), ident, copy))
        return document


def generate(data: Path, out: Path, copies: int) -> Path:
    """Write `copies` copies of the tables of `data` to `out/data` (emptied first); returns that directory."""
    if copies < 1:
        raise ValueError("copies must be 1 or more")
    copier = Copier(data)
    target = out / "data"
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(data.rglob("*.csv")):
        rel = path.relative_to(data).as_posix()
        header, rows = _read(path)
        written = rows if any(fnmatch(rel, once) for once in ONLY_ONCE) or rel.startswith("vocab/") else \
            [row for copy in range(copies) for row in copier.csv_rows(rel, rows, copy)]
        _write(target / rel, header, written)
    for path in sorted(p for p in data.rglob("*") if p.is_file() and p.suffix != ".csv"
                       and not p.match("action-plans/*.yaml")):
        dest = target / path.relative_to(data)   # the notes' translations (keyed by the note), READMEs: as they are
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    for path in sorted(data.glob("action-plans/*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for copy in range(copies):
            copied = copier.plan(document, copy)
            dest = target / "action-plans" / f"{copied['plan']['id']}.yaml"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(yaml.safe_dump(copied, allow_unicode=True, sort_keys=False, width=1000),
                            encoding="utf-8")
    return target


def copies_for(triples: int, per_copy: int, first: int) -> int:
    """How many copies give about `triples`, knowing the first copy's size and what each further one adds."""
    return max(1, round((triples - first) / per_copy) + 1)


def calibrate(data: Path, work: Path, source: Path) -> tuple[int, int]:
    """(triples of copy 0, triples each further copy adds), by mapping 1 and 2 copies (about two seconds)."""
    from cpsgraph.mapping import map_tables
    from cpsgraph.namespaces import Base
    from cpsgraph.source import Report

    report, base, sizes = Report(source), Base("https://w3id.org/cps-lac/"), []
    for copies in (1, 2):
        mapper = map_tables(generate(data, work / f"calibrate-{copies}", copies), base, report)
        sizes.append(len(mapper.data))
    shutil.rmtree(work / "calibrate-1", ignore_errors=True)
    shutil.rmtree(work / "calibrate-2", ignore_errors=True)
    return sizes[0], sizes[1] - sizes[0]


def _walk_lists(node, key: str, repoint) -> None:
    """Re-point every id of every `key:` list in a plan document."""
    if isinstance(node, dict):
        if isinstance(node.get(key), list):
            node[key] = [repoint(str(ident)) for ident in node[key]]
        for value in node.values():
            _walk_lists(value, key, repoint)
    elif isinstance(node, list):
        for item in node:
            _walk_lists(item, key, repoint)


def _deep_copy(node):
    if isinstance(node, dict):
        return {key: _deep_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_deep_copy(item) for item in node]
    return node


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="the real tables (default: data)")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/data")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--copies", type=int, help="how many copies of the tables (1: the real data)")
    size.add_argument("--triples", type=int, help="about how many triples in the data graph")
    parser.add_argument("--source", type=Path, default=Path("../shared/source/000_784fad76bf69b00c.txt"),
                        help="the report, to calibrate --triples")
    args = parser.parse_args(argv)
    copies = args.copies
    if copies is None:
        first, per_copy = calibrate(args.data, args.out, args.source)
        copies = copies_for(args.triples, per_copy, first)
        print(f"copy 0: {first} triples, each further copy: {per_copy}; {copies} copies")
    print(generate(args.data, args.out, copies))


if __name__ == "__main__":
    main()
