"""SHACL validation compiled to SPARQL and run on pyoxigraph: the build's gate (pyshacl stays behind
`cpsgraph validate` and checks this module in the tests).

Every constraint of a targeted shape becomes one SELECT that returns the focus nodes violating it, and the
offending value where SHACL reports one:

    SELECT DISTINCT ?this ?value WHERE { <targets of the shape> ?this <path> ?value FILTER(!(<value ok>)) }

Nested shapes (sh:node, sh:or, sh:xone, sh:not, sh:qualifiedValueShape, property shapes inside them) become
boolean SPARQL expressions, so the whole check runs inside the engine, set at a time, instead of node by node
in Python: 12-15x faster than pyshacl on our graphs, and it finishes at a million triples (docs/benchmarks.md).

It covers the SHACL Core components the project's shapes use plus their obvious neighbours, and SPARQL-based
constraints (sh:sparql with sh:select and sh:prefixes, messages with {?var} templates). Counts are 0 or 1
(all the shapes need); anything else raises Unsupported, so a shape it cannot check is an error, never a
silent pass.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

CASTABLE = {XSD[name] for name in ("boolean", "integer", "decimal", "double", "float", "date", "dateTime",
                                   "time", "gYear", "gYearMonth", "duration", "dayTimeDuration",
                                   "yearMonthDuration", "int", "long", "nonNegativeInteger", "positiveInteger")}
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
COMPARISONS = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
# predicates of a shape that are not constraint parameters (or are read together with another one)
NOT_CONSTRAINTS = {RDF.type, SH.path, SH.message, SH.name, SH.description, SH.severity, SH.targetClass,
                   SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.order, SH.group, SH.deactivated,
                   SH.flags, SH.qualifiedValueShape, SH.qualifiedValueShapesDisjoint, SH.property, SH.sparql,
                   SH.defaultValue}
# constraints SHACL reports per focus node, without a value
PER_FOCUS = {SH.minCount, SH.maxCount, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.hasValue, SH.uniqueLang}
SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


class Unsupported(Exception):
    """A shape uses a constraint this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    shape: str         # the source shape (an IRI, or "_:" for a blank node)
    severity: str      # Violation, Warning, Info
    component: str     # the constraint parameter, e.g. sh:minCount
    sparql: str        # SELECT ?this (and ?value, ?path, template variables where the check has them)
    node: object = None     # the shape as a node of the shapes graph
    path: object = None     # its sh:path (a node of the shapes graph), None for a node shape
    message: str = ""       # its sh:message (a SPARQL constraint's own one first), may hold {?var}
    parameter: object = None  # the constraint parameter's IRI (sh:minCount, sh:sparql, ...)
    messages: tuple = ()    # every language's sh:message: (language tag, "" untagged; text), may hold {?var}

    @property
    def constraint_component(self) -> URIRef:
        """sh:MinCountConstraintComponent for sh:minCount, sh:SPARQLConstraintComponent for sh:sparql."""
        local = str(self.parameter).rsplit("#", 1)[-1]
        return SH["SPARQLConstraintComponent" if local == "sparql" else local[0].upper() + local[1:]
                  + "ConstraintComponent"]


@dataclass(frozen=True)
class Finding:
    """One violation: the check, the focus node and the offending value (pyoxigraph terms; value None where
    SHACL reports none, e.g. sh:minCount), the path a SPARQL constraint returned, and the message with its
    {?var} templates filled (`messages`: in every language the shape gives, as (tag, text) pairs)."""
    check: Check
    focus: object
    value: object
    path: object
    message: str
    messages: tuple = ()


class Compiler:
    """Compiles a shapes graph. With `subclasses` (class IRI -> the IRIs of it and its subclasses, read from the
    data once, see `subclasses_in`), class tests become a lookup in a fixed list instead of an
    `rdf:type/rdfs:subClassOf*` path walked again for every value."""

    def __init__(self, shapes: Graph, subclasses=None):
        self.g = shapes
        self.subclasses = subclasses
        self._fresh = itertools.count()

    def _is_a(self, node: str, cls) -> str:
        """The pattern `node` is an instance of `cls` or of one of its subclasses."""
        if self.subclasses is None:
            return f"{node} {SUBCLASS} {cls.n3()}"
        t = f"?c{next(self._fresh)}"
        values = " ".join(f"<{iri}>" for iri in self.subclasses(str(cls)))
        # VALUES first: Oxigraph then looks up each class's instances (4.7x faster at 1M triples than
        # joining every rdf:type triple with the list afterwards)
        return f"VALUES {t} {{ {values} }} {node} <{RDF.type}> {t} ."

    def checks(self) -> list[Check]:
        """One query per constraint of every shape that has targets. Raises Unsupported."""
        found = []
        targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                    for s in self.g.subjects(p, None)}
        for shape in sorted(targeted, key=str):
            if self._deactivated(shape):
                continue
            target = self._targets(shape)
            found += self._shape_checks(shape, target)
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if not self._deactivated(prop):
                    found += self._shape_checks(prop, target)
        return found

    # -- top level ------------------------------------------------------------------------------

    def _shape_checks(self, shape, target: str) -> list[Check]:
        severity = str(self.g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        name = str(shape) if isinstance(shape, URIRef) else "_:"
        path = self.g.value(shape, SH.path)
        message, messages = _message(self.g, shape), _messages(self.g, shape)
        checks = []
        for predicate in sorted(set(self.g.predicates(shape, None)) - NOT_CONSTRAINTS, key=str):
            for value in self.g.objects(shape, predicate):
                query = self._value_query(shape, path, predicate, value, target)
                if query is None:
                    holds = self._holds(shape, predicate, value, "?this")
                    query = f"SELECT DISTINCT ?this WHERE {{ {target} FILTER(!({holds})) }}"
                checks.append(Check(name, severity, predicate.n3(self.g.namespace_manager), query, shape, path,
                                    message, predicate, messages))
        for constraint in self.g.objects(shape, SH.sparql):
            checks.append(Check(name, severity, "sh:sparql", self._sparql(constraint, target), shape, path,
                                _message(self.g, constraint) or message, SH.sparql,
                                _messages(self.g, constraint) or messages))
        return checks

    def _value_query(self, shape, path, predicate, value, target: str) -> str | None:
        """For a property shape's constraint on each value (sh:class, sh:datatype, sh:lessThan, ...), the
        query that also returns the offending value, as SHACL reports it; None for the others."""
        if path is None or predicate in PER_FOCUS:
            return None
        p = self._path(path)
        if predicate in PAIRS:
            b = f"?b{next(self._fresh)}"
            return (f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {p} ?value . ?this {value.n3()} {b} . "
                    f"FILTER(!COALESCE(?value {PAIRS[predicate]} {b}, false)) }}")
        if predicate in (SH.equals, SH.disjoint, SH.closed, SH.ignoredProperties):
            raise Unsupported(f"{predicate} on a property shape")
        holds = self._value_holds(predicate, value, "?value", shape)
        return f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {p} ?value FILTER(!({holds})) }}"

    def _targets(self, shape) -> str:
        parts = [f"{{ {self._is_a('?this', c)} }}" for c in self.g.objects(shape, SH.targetClass)]
        parts += [f"{{ VALUES ?this {{ {n.n3()} }} }}" for n in self.g.objects(shape, SH.targetNode)]
        parts += [f"{{ ?this {p.n3()} ?t{next(self._fresh)} }}" for p in self.g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ ?t{next(self._fresh)} {p.n3()} ?this }}" for p in self.g.objects(shape, SH.targetObjectsOf)]
        return " UNION ".join(parts)

    def _sparql(self, constraint, target: str) -> str:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise Unsupported("sh:sparql without sh:select")
        prefixes = []
        for declared in self.g.objects(constraint, SH.prefixes):
            for declaration in self.g.objects(declared, SH.declare):
                prefixes.append(f"PREFIX {self.g.value(declaration, SH.prefix)}: "
                                f"<{self.g.value(declaration, SH.namespace)}>")
        if "$PATH" in str(select):
            raise Unsupported("sh:sparql with $PATH (on a property shape)")
        inner = str(select).replace("$this", "?this")
        variables = sorted(set(re.findall(r"[?$](\w+)", _projection(inner))) - {"this"})
        projected = " ".join(["?this", *(f"?{v}" for v in variables)])
        return "\n".join(prefixes) + f"\nSELECT DISTINCT {projected} WHERE {{ {target} {{ {inner} }} }}"

    # -- a constraint as a boolean expression -------------------------------------------------------

    def conforms(self, shape, v: str) -> str:
        """`v` conforms to `shape` (node or property shape), as a SPARQL expression."""
        parts = [self._holds(shape, p, o, v) for p in sorted(set(self.g.predicates(shape, None)) - NOT_CONSTRAINTS,
                                                             key=str) for o in self.g.objects(shape, p)]
        parts += [self.conforms(prop, v) for prop in self.g.objects(shape, SH.property)]
        if any(True for _ in self.g.objects(shape, SH.sparql)):
            raise Unsupported("sh:sparql inside a nested shape")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _holds(self, shape, predicate, value, x: str) -> str:
        path = self.g.value(shape, SH.path)
        if path is None:
            return self._value_holds(predicate, value, x, shape)
        p = self._path(path)
        n = next(self._fresh)
        a, b = f"?a{n}", f"?b{n}"
        if predicate == SH.minCount:
            return "true" if int(value) == 0 else f"EXISTS {{ {x} {p} {a} }}" if int(value) == 1 else _no(predicate, value)
        if predicate == SH.maxCount:
            if int(value) == 0:
                return f"NOT EXISTS {{ {x} {p} {a} }}"
            return f"NOT EXISTS {{ {x} {p} {a}, {b} . FILTER(!sameTerm({a}, {b})) }}" if int(value) == 1 \
                else _no(predicate, value)
        if predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            if (self.g.value(shape, SH.qualifiedValueShapesDisjoint) or Literal(False)).toPython():
                raise Unsupported("sh:qualifiedValueShapesDisjoint true")
            qualified = self.g.value(shape, SH.qualifiedValueShape)
            if predicate == SH.qualifiedMinCount and int(value) <= 1:
                return "true" if int(value) == 0 else \
                    f"EXISTS {{ {x} {p} {a} FILTER({self.conforms(qualified, a)}) }}"
            if predicate == SH.qualifiedMaxCount and int(value) in (0, 1):
                if int(value) == 0:
                    return f"NOT EXISTS {{ {x} {p} {a} FILTER({self.conforms(qualified, a)}) }}"
                return (f"NOT EXISTS {{ {x} {p} {a}, {b} . FILTER(!sameTerm({a}, {b}) && "
                        f"{self.conforms(qualified, a)} && {self.conforms(qualified, b)}) }}")
            return _no(predicate, value)
        if predicate == SH.hasValue:
            return f"EXISTS {{ {x} {p} {a} FILTER(sameTerm({a}, {value.n3()})) }}"
        if predicate in PAIRS:
            return (f"NOT EXISTS {{ {x} {p} {a} . {x} {value.n3()} {b} . "
                    f"FILTER(!COALESCE({a} {PAIRS[predicate]} {b}, false)) }}")
        if predicate == SH.uniqueLang:
            if not value.toPython():
                return "true"
            return (f"NOT EXISTS {{ {x} {p} {a}, {b} . FILTER(!sameTerm({a}, {b}) && LANG({a}) != \"\" && "
                    f"LANG({a}) = LANG({b})) }}")
        if predicate in (SH.equals, SH.disjoint, SH.closed, SH.ignoredProperties):
            raise Unsupported(f"{predicate} on a property shape")
        return f"NOT EXISTS {{ {x} {p} {a} FILTER(!({self._value_holds(predicate, value, a, shape)})) }}"

    def _value_holds(self, predicate, value, v: str, shape=None) -> str:
        """A value-type constraint of `shape` about one value node `v`."""
        if predicate == SH["class"]:
            return f"EXISTS {{ {self._is_a(v, value)} }}"
        if predicate == SH.datatype:
            if value == RDF.langString:
                return f"(isLiteral({v}) && LANG({v}) != \"\")"
            wellformed = f" && COALESCE(isLiteral({value.n3()}(STR({v}))), false)" if value in CASTABLE else ""
            return f"(isLiteral({v}) && DATATYPE({v}) = {value.n3()}{wellformed})"
        if predicate == SH.nodeKind:
            return NODE_KINDS[value].format(v=v)
        if predicate == SH.pattern:
            flags = str(self.g.value(shape, SH.flags) or "") if shape is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_string(str(value))}, {_string(flags)}))"
        if predicate == SH.languageIn:
            tests = [f"LANGMATCHES(LANG({v}), {_string(str(tag))})" for tag in Collection(self.g, value)]
            return f"(isLiteral({v}) && ({' || '.join(tests) or 'false'}))"
        if predicate == SH["in"]:
            return "(" + " || ".join(f"sameTerm({v}, {t.n3()})" for t in Collection(self.g, value)) + ")"
        if predicate == SH.hasValue:
            return f"sameTerm({v}, {value.n3()})"
        if predicate in COMPARISONS:
            return f"COALESCE({v} {COMPARISONS[predicate]} {value.n3()}, false)"
        if predicate in (SH.minLength, SH.maxLength):
            op = ">=" if predicate == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"
        if predicate == SH.node:
            return self.conforms(value, v)
        if predicate == SH["not"]:
            return f"!{self.conforms(value, v)}"
        if predicate in (SH["or"], SH["and"]):
            glue = " || " if predicate == SH["or"] else " && "
            return "(" + glue.join(self.conforms(s, v) for s in Collection(self.g, value)) + ")"
        if predicate == SH.xone:
            count = " + ".join(f"IF({self.conforms(s, v)}, 1, 0)" for s in Collection(self.g, value))
            return f"(({count}) = 1)"
        raise Unsupported(f"{predicate} = {value}")

    def _path(self, path) -> str:
        if isinstance(path, URIRef):
            return path.n3()
        if (path, RDF.first, None) in self.g:
            return "(" + "/".join(self._path(p) for p in Collection(self.g, path)) + ")"
        for key, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                              (SH.zeroOrOnePath, "{}?")):
            inner = self.g.value(path, key)
            if inner is not None:
                return "(" + template.format(self._path(inner)) + ")"
        alternatives = self.g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in Collection(self.g, alternatives)) + ")"
        raise Unsupported(f"path {path}")

    def _deactivated(self, shape) -> bool:
        flag = self.g.value(shape, SH.deactivated)
        return bool(flag is not None and flag.toPython())


def _no(predicate, value):
    raise Unsupported(f"{predicate} {value} (only 0 and 1 are translated)")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def subclasses_in(store):
    """A `subclasses` function for Compiler reading the class hierarchy from `store` (cached per class)."""
    found: dict[str, list[str]] = {}

    def of(cls: str) -> list[str]:
        if cls not in found:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
                               f"<{cls}> }}", use_default_graph_as_union=True)
            found[cls] = sorted({row["c"].value for row in rows} | {cls})
        return found[cls]

    return of


def find(store, checks: list[Check]) -> list[Finding]:
    """Every violation, on a pyoxigraph Store whose graphs together are the data to validate (the data and the
    ontology, as the build validates them: the checks run on the union of the named graphs)."""
    found = []
    for check in checks:
        solutions = store.query(check.sparql, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            variables = {name: row[name] for name in names}
            found.append(Finding(check, row["this"], variables.get("value"), variables.get("path"),
                                 _fill(check.message, variables),
                                 tuple((tag, _fill(text, variables)) for tag, text in check.messages)))
    return found


def _message(g: Graph, node) -> str:
    """The English (or untagged) sh:message of a shape or constraint, else any, else ''."""
    messages = sorted(g.objects(node, SH.message), key=lambda m: {"en": 0, None: 1}.get(m.language, 2))
    return str(messages[0]) if messages else ""


def _messages(g: Graph, node) -> tuple:
    """Every sh:message of a shape or constraint as (language tag, text) pairs, "" for an untagged one."""
    return tuple(sorted((m.language or "", str(m)) for m in g.objects(node, SH.message)))


def _fill(message: str, variables: dict) -> str:
    """A SPARQL constraint's message with {?var} / {$var} replaced by the row's values."""
    if "{" not in message:
        return message

    def value(match):
        term = variables.get(match.group(1))
        return match.group(0) if term is None else getattr(term, "value", str(term))
    return re.sub(r"\{[?$](\w+)\}", value, message)


def _projection(select: str) -> str:
    """The projection of a SELECT (between SELECT and WHERE)."""
    match = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE)?\s*\{", select, re.S | re.I)
    if match is None:
        raise Unsupported("sh:select without a SELECT ... WHERE")
    if match.group(1).strip() == "*":
        raise Unsupported("sh:select with SELECT *: name the variables")
    return match.group(1)


__all__ = ["Check", "Compiler", "Finding", "Unsupported", "find", "subclasses_in"]
