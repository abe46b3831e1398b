"""The SHACL gate's alternatives, measured on the same mapped dataset as the build's own pyshacl run.

- `sparql-oxigraph`: the shapes compiled to SPARQL (shacl_sparql.py) and run on an in-memory pyoxigraph
  Store; its time includes converting the rdflib dataset into the Store, as a build would have to.
- `pyshacl-no-advanced`: pyshacl with `advanced=False` (SHACL-AF off; the shapes' SPARQL-based constraints
  are SHACL-SPARQL and still run).
- `pyshacl-data-only`: pyshacl on the `data` graph alone, without the ontology mixed in (class targets then
  reach only direct instances, so results may differ).
- `pyshacl-no-sparql`: pyshacl with the four SPARQL-based constraints taken out of the shapes: their share
  of pyshacl's time (pyshacl parses each constraint's query again for every focus node).

`equivalence` checks that the SPARQL check finds what pyshacl finds: on the graph and on damaged copies
(triples removed, objects moved between triples, ill-typed or wrong-kind values added).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from cpsgraph.shacl_sparql import Check, Compiler, find, subclasses_in


def public_graph(dataset, base, names=("ontology", "data")) -> Graph:
    graph = Graph()
    for name in names:
        for triple in dataset.graph(base.graph(name)):
            graph.add(triple)
    return graph


def run_checks(store, checks: list[Check]) -> set[tuple[str, str, str]]:
    """(severity, focus, shape) of every violation of the build's SPARQL engine, blank nodes named '_:': the
    form pyshacl_results gives too, so that the two can be compared."""
    import pyoxigraph as ox

    return {(f.check.severity, "_:" if isinstance(f.focus, ox.BlankNode) else f.focus.value, f.check.shape)
            for f in find(store, checks)}


def pyshacl_results(report: Graph) -> set[tuple[str, str, str]]:
    """The same triples from a pyshacl report graph, blank-node shapes as '_:'. Only the report's own
    results (sh:result), not the nested ones pyshacl adds as sh:detail of a failed sh:node."""
    found = set()
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = report.value(result, SH.focusNode)
        name = "_:" if isinstance(focus, BNode) else str(focus)
        found.add((severity, name, str(shape) if isinstance(shape, URIRef) else "_:"))
    return found


def sparql_check(dataset, base, shapes: Graph) -> tuple[dict, set]:
    """Convert the public graphs to a pyoxigraph Store, compile the shapes, run the checks."""
    from cpsgraph.validation import graph_store

    timings = {}
    started = time.perf_counter()
    store = graph_store(*(dataset.graph(base.graph(name)) for name in ("ontology", "data")))
    timings["convert"] = time.perf_counter() - started
    started = time.perf_counter()
    checks = Compiler(shapes, subclasses_in(store)).checks()
    timings["compile"] = time.perf_counter() - started
    started = time.perf_counter()
    found = run_checks(store, checks)
    timings["check"] = time.perf_counter() - started
    timings["seconds"] = sum(timings.values())
    timings["queries"] = len(checks)
    return timings, found


def _pyshacl(graph: Graph, shapes: Graph, **options) -> tuple[float, set]:
    from pyshacl import validate

    started = time.perf_counter()
    _, report, _ = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                            abort_on_first=False, inplace=True, **{"advanced": True, **options})
    return time.perf_counter() - started, pyshacl_results(report)


def without_sparql_constraints(shapes: Graph) -> Graph:
    trimmed = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            trimmed.add(triple)
    return trimmed


def alternatives(dataset, base, shapes: Graph, reference: set | None, *, variants: bool) -> dict:
    """Time each alternative; compare its findings with pyshacl's (`reference`, None when pyshacl was
    stopped). The pyshacl variants run only when `variants` (they cost as much as pyshacl itself)."""
    timings, found = sparql_check(dataset, base, shapes)
    out = {"sparql-oxigraph": {**timings, "results": len(found), **_compare(reference, found)}}
    if not variants:
        return out
    for name, graph_names, shapes_graph, options in (
            ("pyshacl-no-advanced", ("ontology", "data"), shapes, {"advanced": False}),
            ("pyshacl-data-only", ("data",), shapes, {}),
            ("pyshacl-no-sparql", ("ontology", "data"), without_sparql_constraints(shapes), {})):
        seconds, results = _pyshacl(public_graph(dataset, base, graph_names), shapes_graph, **options)
        out[name] = {"seconds": seconds, "results": len(results), **_compare(reference, results)}
    return out


def _compare(reference: set | None, found: set) -> dict:
    if reference is None:
        return {"same_as_pyshacl": None}
    return {"same_as_pyshacl": reference == found, "only_pyshacl": sorted(reference - found)[:3],
            "only_this": sorted(found - reference)[:3]}


def damage(graph: Graph, seed: int) -> Graph:
    """A copy of `graph` with faults planted at random: 2% of the triples removed, 60 objects moved to other
    triples, 20 values of the wrong kind added (an impossible date, untagged and Portuguese texts, a negative
    number, a blank node, a foreign IRI)."""
    rnd = random.Random(seed)
    triples = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    damaged = Graph()
    removed = set(rnd.sample(range(len(triples)), len(triples) // 50))
    for i, triple in enumerate(triples):
        if i not in removed:
            damaged.add(triple)
    for _ in range(60):
        (s, p, _), (_, _, o) = rnd.choice(triples), rnd.choice(triples)
        damaged.add((s, p, o))
    wrong = [Literal("2007-13-45", datatype=XSD.date), Literal("x"), Literal("y", lang="pt"), Literal(-3),
             BNode(), URIRef("http://example.org/elsewhere")]
    for _ in range(20):
        s, p, _ = rnd.choice(triples)
        damaged.add((s, p, rnd.choice(wrong)))
    return damaged


def equivalence(trig: Path, seeds: int) -> dict:
    """pyshacl and the SPARQL check on the public graph of `trig` and on `seeds` damaged copies: how many
    findings (severity, focus, shape) each has and where they differ. Blank-node focus nodes are left out
    (their labels differ between the two libraries)."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from cpsgraph.namespaces import Base
    from cpsgraph.validation import load_shapes

    shapes = load_shapes(Path("shapes"), Base("https://w3id.org/cps-lac/"))
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    whole = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            whole.add(triple)
    cases = []
    for seed in [None, *range(seeds)]:
        graph = whole if seed is None else damage(whole, seed)
        store = ox.Store()
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        started = time.perf_counter()
        checks = Compiler(shapes, subclasses_in(store)).checks()  # the hierarchy as this graph states it
        mine = {r for r in run_checks(store, checks) if not _blank(r[1])}
        sparql_seconds = time.perf_counter() - started
        case = {"seed": seed, "sparql": len(mine), "sparql_seconds": sparql_seconds}
        try:
            seconds, theirs = _pyshacl(graph, shapes)
            theirs = {r for r in theirs if not _blank(r[1])}
            case.update(pyshacl=len(theirs), pyshacl_seconds=seconds, agree=len(mine & theirs),
                        only_pyshacl=sorted(theirs - mine), only_sparql=sorted(mine - theirs))
        except Exception as error:  # noqa: BLE001 - pyshacl stops on some damaged graphs; that is a finding
            case.update(pyshacl_error=f"{type(error).__name__}: {error}")
        cases.append(case)
    return {"checks": len(Compiler(shapes).checks()), "cases": cases}


def _blank(focus: str) -> bool:
    return focus == "_:"
