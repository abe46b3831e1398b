"""The stored queries of `queries/`: list them, read their headers, bind their parameters safely, run a page.

A stored query is a SPARQL SELECT file with a header of `# key: value` comment lines (the format is defined
in queries/README.md). Parameters are never pasted into the query text as given: each value is checked
against the parameter's declared type, turned into a pyoxigraph term (which refuses malformed IRIs) and
written into a `VALUES` block with the term's own escaping, placed at the start of the query's top-level
`WHERE` group. Pages are cut with `LIMIT`/`OFFSET`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from .errors import InvalidParameter, QueryFileError, UnknownQuery  # noqa: F401 - re-exported for callers
from .namespaces import DEFAULT_BASE
from .query_text import append_page, insert_values, select_variables, tokens

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
KINDS = ("participation", "network", "governance", "task-forces", "priorities", "action-plans", "programmes",
         "timeline", "provenance", "quality")
REQUIRED_KEYS = ("title-en", "title-es", "question", "audience", "kind")
MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 100
_HEADER = re.compile(r"^#\s*([a-z][a-z-]*):\s*(.*?)\s*$")
_PARAM = re.compile(r'^\?([A-Za-z_][A-Za-z0-9_]*)\s+(iri|entity(?::[a-z][a-z-]*)?|string|integer)\s+'
                    r'(<[^<>\s]*>|"[^"]*"|-?\d+)\s+"([^"]+)"$')
_ID = re.compile(r"^[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*$")  # what follows `{base}id/<kind>/`: slugs, ISO codes


@dataclass(frozen=True)
class Param:
    name: str          # the SPARQL variable, without `?`
    type: str          # `iri`, `entity`, `entity:<kind>`, `string` or `integer`
    default: str       # as written in the header, a SPARQL term
    description: str


@dataclass(frozen=True)
class StoredQuery:
    name: str          # file name without `.rq`
    text: str          # the whole file, header included (comments are valid SPARQL)
    title_en: str
    title_es: str
    question: str
    audience: str
    kind: str
    params: tuple[Param, ...] = ()
    source: str = ""   # where in the report the answer lies (optional header key)
    question_es: str = ""   # the question in Spanish (optional header key `question-es`)

    @property
    def variables(self) -> list[str]:
        """The projected variables, in order (what a result row holds)."""
        return select_variables(self.text)

    def to_dict(self) -> dict:
        return {"name": self.name, "title_en": self.title_en, "title_es": self.title_es,
                "question": self.question, "question_es": self.question_es, "audience": self.audience, "kind": self.kind, "source": self.source,
                "variables": self.variables,
                "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                           for p in self.params]}


@dataclass(frozen=True)
class ResultPage:
    query: StoredQuery
    variables: list[str]
    rows: list[dict[str, object]]  # variable -> pyoxigraph term (absent when unbound)
    page: int
    per_page: int
    has_next: bool
    bindings: dict[str, object]    # the parameter values used, as pyoxigraph terms


def parse_query(text: str, name: str) -> StoredQuery:
    """Read the header of one stored query. Raises QueryFileError naming the file and the problem."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break  # the header ends at the first line of SPARQL
            continue
        match = _HEADER.match(line)
        if not match:
            continue  # free comment lines are allowed in the header
        key, value = match.groups()
        if key == "param":
            param = _PARAM.match(value)
            if not param:
                raise QueryFileError(f"{name}.rq: `# param: {value}` is not `?name type default \"description\"`")
            params.append(Param(*param.groups()))
        else:
            fields[key] = value
    missing = [key for key in REQUIRED_KEYS if not fields.get(key)]
    if missing:
        raise QueryFileError(f"{name}.rq: the header lacks {', '.join(missing)}")
    if fields["kind"] not in KINDS:
        raise QueryFileError(f"{name}.rq: kind '{fields['kind']}' is not one of {', '.join(KINDS)}")
    query = StoredQuery(name, text, fields["title-en"], fields["title-es"], fields["question"],
                        fields["audience"], fields["kind"], tuple(params), fields.get("source", ""),
                        fields.get("question-es", ""))
    used = {token.text[1:] for token in tokens(text) if token.kind == "var"}
    for param in params:  # a default that does not validate is a broken file, not a bad request
        if param.name not in used or [p.name for p in params].count(param.name) > 1:
            raise QueryFileError(f"{name}.rq: ?{param.name} is declared twice or not used in the query")
        try:
            to_term(param, param.default, DEFAULT_BASE, default=True)
        except InvalidParameter as error:
            raise QueryFileError(f"{name}.rq: default of ?{param.name}: {error.message}") from None
    return query


def load_queries(directory: Path) -> dict[str, StoredQuery]:
    """Every `*.rq` of the directory by name, sorted. Raises QueryFileError for a malformed one."""
    return {path.stem: parse_query(path.read_text(encoding="utf-8"), path.stem)
            for path in sorted(Path(directory).glob("*.rq"))}


def find_query(name: str, directory: Path) -> StoredQuery:
    """One stored query by name. Raises UnknownQuery."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name or ""):
        raise UnknownQuery(f"'{name}' is not the name of a stored query", key="api.unknown", values={"name": name})
    path = Path(directory) / f"{name}.rq"
    if not path.is_file():
        raise UnknownQuery(f"no stored query named '{name}' (see GET /api/queries or queries/README.md)",
                           key="api.unknown", values={"name": name})
    return parse_query(path.read_text(encoding="utf-8"), name)


def resolve(name_or_file: str, directory: Path, values: Mapping[str, str] | None = None,
            base: str = DEFAULT_BASE) -> str:
    """The text to run for `cpsgraph query NAME|FILE`: a stored query (a file with a header, or NAME for
    `directory/NAME.rq`) with its parameters bound (given values, else defaults); a plain SPARQL file as
    written. Raises UnknownQuery (neither a file nor a stored query), InputError (unreadable file),
    InvalidParameter (bad values, or values for a file that declares no parameters)."""
    from .errors import InputError

    path, stored = Path(name_or_file), Path(directory) / f"{name_or_file}.rq"
    if not path.is_file():
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name_or_file) or not stored.is_file():
            raise UnknownQuery(f"No query file {name_or_file!r} and no stored query {stored}.")
        return bind(find_query(name_or_file, directory), values or {}, base)[0]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read {path}: {error}") from None
    try:
        query = parse_query(text, path.stem)
    except QueryFileError:
        if values:
            raise InvalidParameter(f"{path} declares no parameters (no `# param:` header)") from None
        return text  # a plain SPARQL file: run as written
    return bind(query, values or {}, base)[0]


def to_term(param: Param, value: str, base: str, default: bool = False):
    """The RDF term for one parameter value. Raises InvalidParameter when the value is not of the type."""
    value = value.strip()
    if param.type == "integer":
        if not re.fullmatch(r"-?\d{1,12}", value):
            raise InvalidParameter(f"?{param.name} must be a whole number, not {value[:80]!r}", key="param.integer",
                                   values={"name": param.name, "value": repr(value[:80])})
        return ox.Literal(str(int(value)), datatype=XSD_INTEGER)
    if param.type == "string":
        if default:
            value = value[1:-1]
        # no control characters (C0, DEL, C1): the gate would read them in the bound query as hidden text
        if len(value) > 200 or any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
            raise InvalidParameter(f"?{param.name} must be one line of at most 200 characters", key="param.string",
                                   values={"name": param.name})
        return ox.Literal(value)
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if param.type == "iri":
        return _named_node(param, value)
    prefix = base + "id/" + (param.type.split(":", 1)[1] + "/" if ":" in param.type else "")
    short = value
    for known in ((prefix, DEFAULT_BASE + prefix[len(base):]) if default else (prefix,)):
        if value.startswith(known):
            short = value[len(known):]
            break
    if not _ID.match(short):
        raise InvalidParameter(f"?{param.name} must be an IRI under {prefix} or the id that follows it, "
                               f"not {value[:80]!r}", key="param.id",
                               values={"name": param.name, "prefix": prefix, "value": repr(value[:80])})
    return _named_node(param, prefix + short)


def _named_node(param: Param, value: str):
    if not re.match(r"^https?://", value):
        raise InvalidParameter(f"?{param.name} must be an absolute http(s) IRI, not {value[:80]!r}", key="param.iri",
                               values={"name": param.name, "value": repr(value[:80])})
    try:
        return ox.NamedNode(value)
    except ValueError as error:
        raise InvalidParameter(f"?{param.name} is not a valid IRI ({error})", key="param.invalid-iri",
                               values={"name": param.name}, engine=str(error)) from None


def bind(query: StoredQuery, values: Mapping[str, str], base: str = DEFAULT_BASE) -> tuple[str, dict]:
    """The query text with every declared parameter bound (given value, else default) and the terms used.
    Raises InvalidParameter for an undeclared parameter or a value of the wrong type."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        names = ", ".join(sorted(declared)) or "none"
        raise InvalidParameter(f"{query.name} has no parameter {', '.join(unknown)} (it takes: {names})",
                               key="param.unknown", values={"query": query.name, "unknown": ", ".join(unknown),
                                                            "names": names})
    terms = {}
    for name, param in declared.items():
        given = values.get(name)
        terms[name] = (to_term(param, given, base) if given is not None and given != ""
                       else to_term(param, param.default, base, default=True))
    if not terms:
        return query.text, terms
    return insert_values(query.text, {name: str(term) for name, term in terms.items()}), terms


def run_page(query: StoredQuery, select, values: Mapping[str, str] | None = None, *, page: int = 1,
             per_page: int = DEFAULT_PER_PAGE, max_per_page: int = MAX_PER_PAGE,
             base: str = DEFAULT_BASE) -> ResultPage:
    """Run one page of a stored query. `select(text)` runs a SELECT on the public graphs (the union as
    default graph) and returns its solutions as dicts of pyoxigraph terms, as `Store.select` does.
    Raises InvalidParameter (bad values, page or per_page), and whatever `select` raises
    (QuerySyntaxError, QueryTimeout, StoreUnavailable)."""
    if page < 1 or not 1 <= per_page <= max_per_page:
        raise InvalidParameter(f"page must be 1 or more and per_page between 1 and {max_per_page}", key="api.page",
                               values={"largest": max_per_page})
    text, terms = bind(query, values or {}, base)
    # one row more than asked tells whether there is a next page without counting the whole result
    rows = list(select(append_page(text, per_page + 1, (page - 1) * per_page)))
    variables = query.variables or sorted({name for row in rows for name in row})
    return ResultPage(query, variables, rows[:per_page], page, per_page, len(rows) > per_page, terms)


def oxigraph_select(store: ox.Store):
    """A `select` callable over an embedded pyoxigraph store, reading the union of its graphs as default."""

    def select(text: str) -> list[dict]:
        solutions = store.query(text, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{name: value for name, value in zip(names, row) if value is not None} for row in solutions]

    return select


def violations(select, directory: Path) -> dict[str, list[dict]]:
    """The rows of every `*-violation.rq` check that finds something (an empty dict: the graph keeps the
    data contract). `select` as for run_page; meant for the build's quality gate and the tests."""
    found = {}
    for name, query in load_queries(directory).items():
        if name.endswith("-violation"):
            rows = list(select(bind(query, {})[0]))
            if rows:
                found[name] = rows
    return found
