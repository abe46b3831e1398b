"""What a resource page opens with, as the profiles people know from Wikidata or LittleSis: a one-line
summary, an infobox of the few facts that say what the thing is (a person: role, organization, country,
working group; a country: subregion, delegation, focal point, Steering Committee seat), what the person or
the country's delegation did at the meeting, and a country's delegation as a table (with its CSV twin).

The patterns are in browse_queries (INFOBOX, ACTIVITY); this module arranges their rows for the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from . import browse_queries as q
from flask import url_for

from .catalogue import text
from .pages import page_url
from .resource_view import Value
from .values import say, sort_key

SHOWN = 6   # values of one infobox field shown before "and n more"
# Where the whole of a long field is: its list, narrowed to the page's resource (facet, value of the IRI's tail).
MORE = {("country", "delegation"): ("persons", "country"), ("working-group", "members"): ("persons", "working-group"),
        ("event", "participants"): ("persons", None)}
# The one-line summary: the first template whose fields are all known (catalogue keys `summary.<kind>.<n>`).
SUMMARIES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "person": (("summary.person.1", ("role", "country", "organization")), ("summary.person.2", ("country",))),
    "organization": (("summary.organization.1", ("kind", "country")), ("summary.organization.2", ("kind",))),
    "country": (("summary.country.1", ("subregion", "delegation")), ("summary.country.2", ("subregion",))),
    "working-group": (("summary.working-group.1", ("members",)),),
    "event": (("summary.event.1", ("start", "end", "place")), ("summary.event.2", ("start", "place")),
              ("summary.event.3", ("start",))),
    "session": (("summary.session.1", ("session-kind", "start")),),
    "presentation": (("summary.presentation.1", ("presenter", "session")),),
}


@dataclass
class Field:
    name: str
    label: str
    values: list[Value]
    count: int
    more: str | None = None      # the list that shows every value, when not all are shown


@dataclass
class Profile:
    summary: str = ""
    infobox: list[Field] = field(default_factory=list)
    activity: list[Field] = field(default_factory=list)
    delegation: list[dict] = field(default_factory=list)


def build(store, entities, iri: str, lang: str) -> Profile:
    kind = entities.kind_segment(iri)
    profile = Profile()
    if kind in q.INFOBOX:
        profile.infobox = _fields(store, entities, iri, kind, q.INFOBOX[kind], lang, "info")
    if kind in q.ACTIVITY:
        profile.activity = [f for f in _fields(store, entities, iri, kind, q.ACTIVITY[kind], lang, "act")]
    if kind == "country":
        profile.delegation = delegation(store, entities, iri, lang)
    profile.summary = _summary(kind, {f.name: f for f in profile.infobox}, lang) or entities.kind(iri, lang)
    return profile


def _fields(store, entities, iri: str, kind: str, patterns, lang: str, prefix: str) -> list[Field]:
    found: dict[str, dict[str, tuple]] = {}
    for row in q.fields(store, iri, patterns):
        term = row["value"]
        who = row["who"].value if "who" in row else None
        found.setdefault(row["field"].value, {}).setdefault(str(term), (term, []))[1].append(who)
    fields = []
    for name, _ in patterns:
        if name not in found:
            continue
        values = [_value(entities, term, whos, lang) for term, whos in found[name].values()]
        values = _in_language(values, lang)
        values.sort(key=lambda v: v.sort)
        more = None
        if len(values) > SHOWN and (kind, name) in MORE:
            listing, facet = MORE[(kind, name)]
            more = url_for("browse.listing", name=listing, **({facet: iri.rstrip("/").rsplit("/", 1)[-1]} if facet else {}))
        fields.append(Field(name, text(f"{prefix}.{name}", lang), values[:SHOWN] if prefix == "info" else values,
                            len(values), more))
    return fields


@dataclass
class _Shown(Value):
    literal_lang: str = ""


def _value(entities, term, whos: list, lang: str) -> _Shown:
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else None
        return _Shown(say(term.value, datatype, lang), sort=sort_key(term.value, datatype),
                      literal_lang=term.language or "")
    shown = _Shown(entities.label(term.value, lang), page_url(term.value), iri=term.value,
                   sort=(2, 0, entities.label(term.value, lang).casefold()))
    shown.details = [(text("act.by", lang), Value(entities.label(w, lang), page_url(w)))
                     for w in sorted(set(filter(None, whos)), key=lambda w: entities.label(w, lang))]
    return shown


def _in_language(values: list[_Shown], lang: str) -> list[_Shown]:
    """Literals in the page's language or untagged, if there are any such; else all of them, tagged."""
    tagged = [v for v in values if v.literal_lang]
    if not tagged:
        return values
    chosen = [v for v in tagged if v.literal_lang == lang]
    rest = [v for v in values if not v.literal_lang]
    if chosen:
        return rest + chosen
    for v in tagged:
        v.lang = v.literal_lang
    return values


def _summary(kind: str, by_name: dict[str, Field], lang: str) -> str:
    for key, needed in SUMMARIES.get(kind, ()):
        if all(name in by_name for name in needed):
            values = {name.replace("-", "_"): _joined(by_name[name]) for name in needed}
            values |= {f"{name.replace('-', '_')}_n": by_name[name].count for name in needed}
            return text(key, lang, **values)
    return ""


def _joined(found: Field) -> str:
    return ", ".join(v.text for v in found.values[:3])


# --- A country's delegation ---------------------------------------------------------------------------------------

COLUMNS = ("entry", "person", "organization", "job", "sector", "group", "role")


def delegation(store, entities, country: str, lang: str) -> list[dict]:
    """One row per participation: each column a Value (text and link), by entry number."""
    rows: dict[str, dict] = {}
    for row in q.delegation(store, country):
        entry = rows.setdefault(row["m"].value, {"iri": row["m"].value, "jobs": {}})
        for column in ("person", "organization", "sector", "group", "role"):
            if column in row:
                value = row[column].value
                entry[column] = Value(entities.label(value, lang), page_url(value))
                entry[column + "_iri"] = value
        if "job" in row:
            entry["jobs"][row["job"].language or ""] = row["job"].value
        if "entry" in row:
            entry["entry"] = Value(row["entry"].value, page_url(row["m"].value))
    for entry in rows.values():
        jobs = entry.pop("jobs")
        job = jobs.get(lang) or jobs.get("") or next(iter(jobs.values()), "")
        entry["job"] = Value(job, lang="" if job in (jobs.get(lang), jobs.get("")) else next(iter(jobs), ""))
    return sorted(rows.values(), key=lambda r: (_number(r.get("entry")), r["person"].text))


def _number(entry) -> int:
    return int(entry.text) if entry is not None and entry.text.isdigit() else 10 ** 6


def known_keys() -> set[str]:
    """Every catalogue key this module can ask for (a test checks they exist in both languages)."""
    keys = {f"info.{name}" for patterns in q.INFOBOX.values() for name, _ in patterns}
    keys |= {f"act.{name}" for patterns in q.ACTIVITY.values() for name, _ in patterns}
    keys |= {key for summaries in SUMMARIES.values() for key, _ in summaries} | {"act.by"}
    keys |= {f"delegation.{column}" for column in COLUMNS}
    return keys
