"""SHACL validation of a built dataset or a partner's file, with messages a curator can act on.

Each result names the table row the entity comes from (when the dataset was built from data/), the focus
node's label, the path, the value, the message, the report passage the entity cites and the shape.

Two engines give the same results (tests/shapes check it on every shape's fixtures and on damaged graphs):
- "sparql": the shapes compiled to SPARQL and run on pyoxigraph (shacl_sparql.py), 12-15x faster and the
  only one that finishes at a million triples; the build's gate (`validate_store`, `validate_dataset`).
- "pyshacl": the reference implementation, for any shapes a partner brings (`validate_graph`); the default
  of `cpsgraph validate`.
`validate_files` is what `cpsgraph validate` calls, with either engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, NamespaceManager

from .errors import ConfigError
from .namespaces import BIBO, DEFAULT_BASE, PREFIXES, PUBLIC_GRAPHS, SH, Base

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
ENGINES = ("sparql", "pyshacl")
SHAPES_NS = "https://w3id.org/cps-lac/shapes#"
# How the shapes' IRI patterns spell the default base's entity namespace (see shapes/README.md).
PATTERN_PREFIX = r"https://w3id\.org/cps-lac/id/"

Origin = Callable[[URIRef], "str | None"]


@dataclass(frozen=True)
class Result:
    severity: str
    focus: str
    label: str
    path: str
    value: str
    message: str
    shape: str
    citation: str
    row: str
    messages: tuple = ()   # the message in every language the shape gives it: (tag, text) pairs, "" untagged

    def message_in(self, lang: str) -> tuple[str, str]:
        """The message in `lang` where the shape gives it, else the English one: (text, its language)."""
        found = dict(self.messages)
        if lang in found:
            return found[lang], lang
        return self.message, "en"

    def line(self, lang: str = "en") -> str:
        """'Violation at data/x.csv:12 (cites §37): 'label' <iri>: path = value: message [shape]', the message in
        `lang` where the shape gives one in it."""
        where = f" at {self.row}" if self.row else ""
        cite = f" (cites {self.citation})" if self.citation else ""
        detail = " ".join(part for part in (self.path, f"= {self.value}" if self.value else "") if part)
        parts = [f"{self.severity}{where}{cite}", self.label, detail, f"{self.message_in(lang)[0]} [{self.shape}]"]
        return ": ".join(part for part in parts if part)


@dataclass
class Outcome:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    report: Graph | None = None

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    def warning_lines(self) -> list[str]:
        return [r.line() for r in self.warnings]

    def violation_text(self) -> str:
        lines = [r.line() for r in self.violations]
        return f"{len(lines)} SHACL violation(s):\n" + "\n".join(lines)

    def summary(self) -> str:
        if self.conforms:
            return f"conforms ({len(self.warnings)} warning(s))"
        return f"does not conform: {len(self.violations)} violation(s), {len(self.warnings)} warning(s)"


def load_shapes(shapes: Path | Sequence[Path], base: Base | None = None) -> Graph:
    """The shapes graph from shapes files or directories (their *.ttl files), rebased to `base` (see
    `rebase_shapes`). Raises ConfigError when there is no shapes file or one cannot be parsed."""
    given = [shapes] if isinstance(shapes, Path) else list(shapes)
    paths = [p for path in given for p in (sorted(path.glob("*.ttl")) if path.is_dir() else [path])]
    if not paths:
        raise ConfigError(f"no SHACL shapes (*.ttl) in {', '.join(str(path) for path in given)}")
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError as exc:
            raise ConfigError(f"no SHACL shapes at {path} (give a shapes file or directory)") from exc
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds; all mean "bad shapes file"
            raise ConfigError(f"cannot read the shapes file {path}: {exc}") from exc
    return rebase_shapes(graph, base) if base is not None else graph


def rebase_shapes(shapes: Graph, base: Base) -> Graph:
    """The shapes are written for the default base; for another base, rewrite the entity IRIs they name
    (sh:hasValue, sh:in), the IRI patterns, the SPARQL prefix namespaces and the messages."""
    if base.base == DEFAULT_BASE:
        return shapes
    old_id, new_id = DEFAULT_BASE + "id/", base.base + "id/"
    new_pattern = re.escape(new_id)
    rebased = Graph()
    for prefix, namespace in shapes.namespaces():
        rebased.bind(prefix, namespace)
    for s, p, o in shapes:
        if isinstance(o, URIRef) and str(o).startswith(old_id):
            o = URIRef(new_id + str(o)[len(old_id):])
        elif isinstance(o, Literal) and p == SH.pattern:
            o = Literal(str(o).replace(PATTERN_PREFIX, new_pattern), datatype=o.datatype, lang=o.language)
        elif isinstance(o, Literal) and p in (SH.namespace, SH.message):
            o = Literal(str(o).replace(old_id, new_id), datatype=o.datatype, lang=o.language)
        rebased.add((s, p, o))
    return rebased


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None, origin: Origin | None = None,
                   *, inplace: bool = False) -> Outcome:
    """Validate `data` against `shapes`; `ontology` is mixed in so that class targets reach subclasses.
    With `inplace`, `data` itself may be changed (it saves copying a graph the caller throws away)."""
    from pyshacl import validate as pyshacl_validate  # imported here: the build's engine does not need it

    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False, inplace=inplace)
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure: a shape it cannot apply
        raise ConfigError(f"the shapes cannot be applied: {report}")
    _retag_messages(report, shapes)
    names = _namespaces()
    # the report's own results; not the ones pyshacl nests under them as sh:detail (why a sh:node failed),
    # which name a blank-node shape and repeat their parent
    unique = {_result(report, node, data, origin, names) for node in report.objects(None, SH.result)}
    results = sorted(unique, key=_order)
    return Outcome(conforms=bool(conforms), results=results, report=report)


def _retag_messages(report: Graph, shapes: Graph) -> None:
    """Give back their language tags to the messages pyshacl wrote for a SPARQL constraint (it fills their
    {?var} templates and writes them untagged): each takes the tag of the message it matches."""
    templates = []
    for message in set(shapes.objects(None, SH.message)):
        if message.language:
            pattern = "(.*)".join(re.escape(part) for part in re.split(r"\{[?$]\w+\}", str(message)))
            templates.append((re.compile(pattern, re.S), message.language))
    for node, message in list(report.subject_objects(SH.resultMessage)):
        if message.language is None:
            tag = next((tag for pattern, tag in templates if pattern.fullmatch(str(message))), None)
            if tag is not None:
                report.remove((node, SH.resultMessage, message))
                report.add((node, SH.resultMessage, Literal(str(message), lang=tag)))
    # pyshacl also gives the shape's own messages beside its SPARQL constraint's; SHACL reports the
    # constraint's where it has them (as the SPARQL engine does)
    for node in set(report.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)):
        own = set(shapes.objects(report.value(node, SH.sourceShape), SH.message))
        given = set(report.objects(node, SH.resultMessage))
        if given - own:
            for message in given & own:
                report.remove((node, SH.resultMessage, message))


def validate_store(store, shapes: Graph, origin: Origin | None = None) -> Outcome:
    """Validate the union of the named graphs of a pyoxigraph Store with the shapes compiled to SPARQL.
    Raises ConfigError when a shape uses a constraint the compiler does not translate (use pyshacl then)."""
    import pyoxigraph as ox

    from .formats import from_ox
    from .shacl_sparql import Compiler, Unsupported, find, subclasses_in

    try:
        checks = Compiler(shapes, subclasses_in(store)).checks()
    except Unsupported as exc:
        raise ConfigError(f"the SPARQL engine cannot apply these shapes ({exc}); use the pyshacl engine") from exc
    names = _namespaces()
    described = _Describer(store)
    findings = find(store, checks)
    unique = set()
    for finding in findings:
        check, focus = finding.check, from_ox(finding.focus)
        value = from_ox(finding.value)
        path = _short(names, from_ox(finding.path)) if finding.path is not None else \
            _path(shapes, names, check.path)
        label, citation = described(finding.focus)
        unique.add(Result(
            severity=check.severity, focus=str(focus), label=label, path=path,
            value="" if value is None or value == focus else _short(names, value),
            message=finding.message, shape=_short(names, check.node),
            citation=citation, messages=finding.messages,
            row=(origin(focus) or "") if (origin and isinstance(finding.focus, ox.NamedNode)) else ""))
    results = sorted(unique, key=_order)
    conforms = not any(r.severity == "Violation" for r in results)
    return Outcome(conforms=conforms, results=results, report=_report_graph(findings, shapes, conforms))


def _report_graph(findings: list, shapes: Graph, conforms: bool) -> Graph:
    """The sh:ValidationReport of SPARQL-engine findings, as pyshacl writes one (for --report and the
    quality page's Turtle)."""
    from rdflib import BNode

    from .formats import from_ox

    report = Graph()
    for prefix, namespace in _namespaces().namespaces():
        report.bind(prefix, namespace)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    for finding in findings:
        check, node = finding.check, BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, from_ox(finding.focus)))
        report.add((node, SH.resultSeverity, SH[check.severity]))
        report.add((node, SH.sourceConstraintComponent, check.constraint_component))
        report.add((node, SH.sourceShape, _copy(shapes, check.node, report)))
        for tag, text in finding.messages:   # every language the shape gives, as pyshacl reports them
            report.add((node, SH.resultMessage, Literal(text, lang=tag or None)))
        path = from_ox(finding.path) if finding.path is not None else check.path
        if path is not None:
            report.add((node, SH.resultPath, _copy(shapes, path, report)))
        value = from_ox(finding.value) if finding.value is not None else \
            (from_ox(finding.focus) if check.path is None else None)  # a node shape's value is its focus
        if value is not None:
            report.add((node, SH.value, value))
    return report


def _copy(source: Graph, node, target: Graph):
    """`node` into `target`; a blank node (a path, a nested shape) with everything it describes."""
    from rdflib import BNode

    if isinstance(node, BNode):
        for p, o in source.predicate_objects(node):
            target.add((node, p, _copy(source, o, target)))
    return node


class _Describer:
    """The label and the citations of a focus node, read from the store once per node."""

    def __init__(self, store):
        self.store = store
        self.seen: dict = {}

    def __call__(self, node) -> tuple[str, str]:
        if node not in self.seen:
            self.seen[node] = self._describe(node)
        return self.seen[node]

    def _describe(self, node) -> tuple[str, str]:
        import pyoxigraph as ox

        from .formats import from_ox

        def objects(predicate, subject):
            return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None)]

        labels = [from_ox(term) for term in objects(RDFS.label, node)]
        citations = []
        for passage in set(objects(PROV.wasDerivedFrom, node)):
            locators = objects(BIBO.locator, passage) if isinstance(passage, ox.NamedNode) else []
            citations.append(locators[0].value if locators else passage.value)
        return _label_of(from_ox(node), labels), "; ".join(sorted(citations))


def validate_dataset(dataset, base: Base, shapes_dir: Path, origin: Origin | None = None, *,
                     engine: str = "sparql", store=None) -> Outcome:
    """Validate the public graphs of a built dataset (data and ontology together: the ontology's
    rdfs:subClassOf lets class targets reach subclasses). With the sparql engine, `store` may be a pyoxigraph
    Store already holding the public graphs (the build has one). Raises ConfigError for missing shapes."""
    shapes = load_shapes(shapes_dir, base)
    if engine == "sparql":
        if store is None:
            store = graph_store(*(dataset.graph(base.graph(name)) for name in PUBLIC_GRAPHS))
        return validate_store(store, shapes, origin)
    data = Graph()
    for name in PUBLIC_GRAPHS:
        for triple in dataset.graph(base.graph(name)):
            data.add(triple)
    return validate_graph(data, shapes, None, origin, inplace=True)


def validate_files(paths: Sequence[Path], fmt: str | None = None, shapes: Path | Sequence[Path] | None = None,
                   ontology: Path | None = None, base: Base | None = None, engine: str = "pyshacl") -> Outcome:
    """Validate RDF files (all their triples, named graphs merged) against `shapes` (a directory or files),
    with `ontology` mixed in. Raises InputError when a file cannot be read, is malformed or is empty;
    ConfigError when the shapes or the ontology cannot be read, or the engine cannot apply the shapes."""
    from .ontology import load_ontology
    from .rdf_input import read_rdf_files

    if shapes is None:
        raise ConfigError("no shapes given")
    if engine not in ENGINES:
        raise ConfigError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    shapes_graph = load_shapes(shapes, base)
    data = read_rdf_files(paths, fmt)
    ontology_graph = None
    if ontology is not None:
        if not ontology.exists():
            raise ConfigError(f"the ontology file {ontology} does not exist")
        ontology_graph = load_ontology(ontology)
    if engine == "sparql":
        return validate_store(graph_store(data, ontology_graph), shapes_graph)
    return validate_graph(data, shapes_graph, ontology_graph, inplace=True)


def graph_store(*graphs: Graph | None):
    """A pyoxigraph Store holding the triples of some rdflib graphs (each in a named graph of its own)."""
    import pyoxigraph as ox

    from .formats import to_ox

    store = ox.Store()
    for number, graph in enumerate(g for g in graphs if g is not None):
        graph_name = ox.NamedNode(f"urn:x-cpsgraph:validated:{number}")
        store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_name) for s, p, o in graph)
    return store


def _order(r: Result):
    return (r.severity != "Violation", r.row, r.focus, r.shape, r.path, r.value)


def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    names.bind("cpssh", SHAPES_NS)
    return names


def _result(report: Graph, node, data: Graph, origin: Origin | None, names: NamespaceManager) -> Result:
    focus = report.value(node, SH.focusNode)
    value = report.value(node, SH.value)
    # a shape may give its message in several languages (the quality page and `validate --lang` show the
    # reader's): `message` is the English or untagged one, as the SPARQL engine takes
    messages = sorted(report.objects(node, SH.resultMessage), key=lambda m: {"en": 0, None: 1}.get(m.language, 2))
    message = messages[0] if messages else None
    citations = sorted(str(data.value(p, BIBO.locator) or p) for p in data.objects(focus, PROV.wasDerivedFrom)) \
        if focus is not None else []
    row = origin(focus) if (origin and isinstance(focus, URIRef)) else None
    return Result(
        severity=SEVERITY.get(report.value(node, SH.resultSeverity), "Violation"),
        focus=str(focus),
        label=_label(data, focus),
        path=_path(report, names, report.value(node, SH.resultPath)),
        value="" if value == focus else _short(names, value),  # a node shape's value is its focus
        message=str(message) if message else "",
        shape=_short(names, report.value(node, SH.sourceShape)),
        citation="; ".join(citations),
        row=row or "",
        messages=tuple(sorted((m.language or "", str(m)) for m in messages)),
    )


def _label(data: Graph, node) -> str:
    if node is None:
        return "?"
    return _label_of(node, list(data.objects(node, RDFS.label)))


def _label_of(node, labels: list) -> str:
    """'English label' <iri>, else the untagged (a person's name) or any label, else just <iri>."""
    ranked = sorted(labels, key=lambda x: ({"en": 0, None: 1}.get(getattr(x, "language", None), 2), str(x)))
    return f"'{ranked[0]}' <{node}>" if ranked else f"<{node}>"


def _path(report: Graph, names: NamespaceManager, path) -> str:
    """A SHACL property path in SPARQL syntax (^inverse, a|b alternatives, a/b sequences)."""
    if path is None or isinstance(path, URIRef):
        return _short(names, path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(report, names, inverse)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(report, names, p) for p in report.items(alternatives)) + ")"
    if report.value(path, RDF.first) is not None:
        return "/".join(_path(report, names, p) for p in report.items(path))
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, key)
        if inner is not None:
            return f"({_path(report, names, inner)}){mark}"
    return str(path)


def _short(names: NamespaceManager, term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = term.n3(names)
        return text if len(text) <= 120 else text[:117] + "..."
    try:
        return term.n3(names)
    except Exception:  # noqa: BLE001 - a blank-node path or odd term: show it as it is
        return str(term)
