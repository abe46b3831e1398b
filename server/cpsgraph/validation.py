"""SHACL validation of a built dataset or a partner's file, with messages a curator can act on.

Each result names the focus node's label, the path, the value, the message, the report passage the
entity comes from and, when the dataset was built from data/, the table row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from .namespaces import PUBLIC_GRAPHS, SH, Base

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
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
        where = f" ({self.row})" if self.row else ""
        cite = f" [{self.citation}]" if self.citation else ""
        value = f" value {self.value}" if self.value else ""
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.label}{where}{cite}:{path}{value}: {self.message} (shape {self.shape})"


@dataclass
class Outcome:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    report: Graph | None = None

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    def warning_lines(self) -> list[str]:
        return [r.line() for r in self.results if r.severity != "Violation"]

    def violation_text(self) -> str:
        lines = [r.line() for r in self.violations]
        return f"{len(lines)} SHACL violation(s):\n" + "\n".join(lines)


def load_shapes(shapes: Path | list[Path]) -> Graph:
    paths = sorted(shapes.glob("*.ttl")) if isinstance(shapes, Path) and shapes.is_dir() else (
        [shapes] if isinstance(shapes, Path) else shapes)
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None,
                   origin: Callable[[URIRef], str | None] | None = None) -> Outcome:
    if len(shapes) == 0:
        return Outcome(conforms=True)
    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False)
    results = [_result(report, node, data, origin) for node in report.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=lambda r: (r.severity != "Violation", r.row, r.focus, r.path, r.message))
    return Outcome(conforms=bool(conforms), results=results, report=report)


def validate_dataset(dataset, base: Base, shapes_dir: Path, origin=None) -> Outcome:
    """Validate the public graphs of a built dataset (data and ontology together)."""
    shapes = load_shapes(shapes_dir)
    data = Graph()
    for name in PUBLIC_GRAPHS:
        for triple in dataset.graph(base.graph(name)):
            data.add(triple)
    return validate_graph(data, shapes, None, origin)


def _result(report: Graph, node, data: Graph, origin) -> Result:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    severity = SEVERITY.get(report.value(node, SH.resultSeverity), "Violation")
    message = report.value(node, SH.resultMessage)
    shape = report.value(node, SH.sourceShape)
    label = _label(data, focus)
    citations = sorted(str(data.value(p, URIRef("https://w3id.org/cps-lac/ontology#locator")) or p)
                       for p in data.objects(focus, PROV.wasDerivedFrom)) if focus is not None else []
    row = origin(focus) if (origin and isinstance(focus, URIRef)) else None
    return Result(
        severity=severity,
        focus=str(focus),
        label=label,
        path=_short(data, path),
        value=_short(data, value),
        message=str(message) if message else "",
        shape=_short(data, shape),
        citation="; ".join(citations),
        row=row or "",
    )


def _label(data: Graph, node) -> str:
    if node is None:
        return "?"
    labels = list(data.objects(node, RDFS.label))
    english = [str(x) for x in labels if getattr(x, "language", None) == "en"]
    text = english[0] if english else (str(labels[0]) if labels else "")
    return f"'{text}' <{node}>" if text else f"<{node}>"


def _short(data: Graph, term) -> str:
    if term is None:
        return ""
    try:
        return term.n3(data.namespace_manager)
    except Exception:  # noqa: BLE001 - a blank-node path or odd term: show it as it is
        return str(term)
