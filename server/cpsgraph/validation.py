"""SHACL validation of a built dataset or a partner's file, with messages a curator can act on.

Each result names the table row the entity comes from (when the dataset was built from data/), the focus
node's label, the path, the value, the message, the report passage the entity cites and the shape.
`validate_dataset` is the build's gate; `validate_files` is what `cpsgraph validate` calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, NamespaceManager

from .errors import ConfigError
from .namespaces import DEFAULT_BASE, PREFIXES, PUBLIC_GRAPHS, SH, Base
from .vocab import CPS

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
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

    def line(self) -> str:
        """'Violation at data/x.csv:12 (cites §37): 'label' <iri>: path = value: message [shape]'."""
        where = f" at {self.row}" if self.row else ""
        cite = f" (cites {self.citation})" if self.citation else ""
        detail = " ".join(part for part in (self.path, f"= {self.value}" if self.value else "") if part)
        parts = [f"{self.severity}{where}{cite}", self.label, detail, f"{self.message} [{self.shape}]"]
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
    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False, inplace=inplace)
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure: a shape it cannot apply
        raise ConfigError(f"the shapes cannot be applied: {report}")
    names = _namespaces()
    unique = {_result(report, node, data, origin, names) for node in report.subjects(RDF.type, SH.ValidationResult)}
    results = sorted(unique, key=lambda r: (r.severity != "Violation", r.row, r.focus, r.shape, r.path, r.value))
    return Outcome(conforms=bool(conforms), results=results, report=report)


def validate_dataset(dataset, base: Base, shapes_dir: Path, origin: Origin | None = None) -> Outcome:
    """Validate the public graphs of a built dataset (data and ontology together: the ontology's
    rdfs:subClassOf lets class targets reach subclasses). Raises ConfigError for missing shapes."""
    shapes = load_shapes(shapes_dir, base)
    data = Graph()
    for name in PUBLIC_GRAPHS:
        for triple in dataset.graph(base.graph(name)):
            data.add(triple)
    return validate_graph(data, shapes, None, origin, inplace=True)


def validate_files(paths: Sequence[Path], fmt: str | None = None, shapes: Path | Sequence[Path] | None = None,
                   ontology: Path | None = None, base: Base | None = None) -> Outcome:
    """Validate RDF files (all their triples, named graphs merged) against `shapes` (a directory or files),
    with `ontology` mixed in. Raises InputError when a file cannot be read, is malformed or is empty;
    ConfigError when the shapes or the ontology cannot be read."""
    from .ontology import load_ontology
    from .rdf_input import read_rdf_files

    if shapes is None:
        raise ConfigError("no shapes given")
    shapes_graph = load_shapes(shapes, base)
    data = read_rdf_files(paths, fmt)
    ontology_graph = None
    if ontology is not None:
        if not ontology.exists():
            raise ConfigError(f"the ontology file {ontology} does not exist")
        ontology_graph = load_ontology(ontology)
    return validate_graph(data, shapes_graph, ontology_graph, inplace=True)


def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    names.bind("cpssh", SHAPES_NS)
    return names


def _result(report: Graph, node, data: Graph, origin: Origin | None, names: NamespaceManager) -> Result:
    focus = report.value(node, SH.focusNode)
    value = report.value(node, SH.value)
    message = report.value(node, SH.resultMessage)
    citations = sorted(str(data.value(p, CPS.locator) or p) for p in data.objects(focus, PROV.wasDerivedFrom)) \
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
    )


def _label(data: Graph, node) -> str:
    """'English label' <iri>, else the untagged (a person's name) or any label, else just <iri>."""
    if node is None:
        return "?"
    labels = list(data.objects(node, RDFS.label))
    ranked = sorted(labels, key=lambda x: {"en": 0, None: 1}.get(getattr(x, "language", None), 2))
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
