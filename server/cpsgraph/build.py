"""`build`: curated tables -> validated graph -> dumps, written atomically.

The output directory holds releases (`releases/<digest>/`) and a `current` symlink swapped in one
`os.replace`, so a reader (the server) always sees a complete release and a failed build never replaces
a good one. The same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import void
from .artefacts import render_artefacts
from .errors import ValidationFailed
from .dumps import graph_sources, summarize, write_dumps
from .formats import rdf_format, serialize, sorted_quads
from .mapping import map_tables
from .namespaces import PREFIXES, PUBLIC_GRAPHS, Base
from .ontology import load_ontology
from .queries import oxigraph_select
from .source import Report
from .validation import validate_dataset

PUBLIC_DUMPS = ("trig", "turtle", "ntriples", "jsonld")
DUMP_STEM = "cps-lac"
KEEP_RELEASES = 3


@dataclass
class BuildResult:
    release: Path
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _without_cyclic_gc():
    """The build makes millions of small objects and almost no reference cycles: the cyclic collector's
    passes over them cost ~18% of the mapping at 1M triples and free nothing (docs/benchmarks.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_without_cyclic_gc()
def build(*, data_dir: Path, ontology_path: Path, shapes_dir: Path | None, out_dir: Path,
          base: Base, source: Path | None, validate: bool = True, queries_dir: Path | None = None,
          engine: str = "sparql", contacts_file: Path | None = None) -> BuildResult:
    """Build the graph and write a new release. Raises DataError for bad rows, ValidationFailed for
    shape violations or rows returned by a `queries/*-violation.rq` check, ConfigError for a missing or
    wrong source report; in every case no release is written. `engine` is the SHACL engine of the gate
    ("sparql", the default, or "pyshacl"; see validation.py). The restricted graph's contact details are read
    from the source report's Anexo III, or from `contacts_file` when given (cpsgraph.contacts).

    The mapping's rdflib dataset is the largest thing the build holds (about 0.9 GiB a million triples). It
    is written out as one sorted N-Triples file per graph and let go; the checks run on a pyoxigraph store
    of the public graphs and the dumps are streamed from the files (cpsgraph.dumps)."""
    report = Report(source) if source is not None else None
    mapper = map_tables(data_dir, base, report, contacts_file)
    onto_graph = mapper.dataset.graph(base.graph("ontology"))
    for triple in load_ontology(ontology_path):
        onto_graph.add(triple)
    origin = mapper.origin.get
    named = [g for g in mapper.dataset.graphs() if str(g.identifier) != "urn:x-rdflib:default" and len(g)]
    counts = {str(g.identifier).rsplit("/", 1)[-1]: len(g) for g in named}

    releases = out_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    with _one_build_at_a_time(releases), tempfile.TemporaryDirectory(prefix=".work-", dir=releases) as work:
        work = Path(work)
        outcome = None
        if validate and shapes_dir is not None and engine != "sparql":   # pyshacl reads the rdflib dataset
            outcome = validate_dataset(mapper.dataset, base, shapes_dir, origin=origin, engine=engine)
        graphs = graph_sources(((str(g.identifier), g) for g in named), work)
        del mapper, onto_graph, named
        gc.collect()   # the dataset's graphs refer to each other, so only the collector frees them

        store = public_store(graphs, base)   # the public graphs, as the SHACL gate and the quality checks see them
        if validate and shapes_dir is not None and outcome is None:
            outcome = validate_dataset(None, base, shapes_dir, origin=origin, engine=engine, store=store)
        warnings = outcome.warning_lines() if outcome is not None else []
        if outcome is not None and not outcome.conforms:
            raise ValidationFailed(outcome.violation_text(), outcome.violations)
        if validate and queries_dir is not None:
            check_quality(store, queries_dir)

        select = oxigraph_select(store)
        artefacts = render_artefacts(select, base.base)
        objects = int(select("SELECT (COUNT(DISTINCT ?o) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)
        del store, select
        release = write_release(out_dir, lambda staging: render(staging, graphs, work, base, objects, artefacts))
    return BuildResult(release=release, counts=counts, warnings=warnings)


@contextlib.contextmanager
def _one_build_at_a_time(releases: Path):
    """Hold the releases' build lock (a second build into the same place waits for the first), and remove
    what builds that were killed left: their work files (gigabytes at ten million triples) and any release
    they were writing. While the lock is held, no other build owns them."""
    import fcntl

    with open(releases / ".build.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for left in releases.iterdir():
            if left.is_dir() and left.name.startswith((".work-", ".staging-")):
                shutil.rmtree(left, ignore_errors=True)
        yield


def _public_names(base: Base) -> set[str]:
    return {str(base.graph(name)) for name in PUBLIC_GRAPHS}


def public_store(graphs: dict[str, Path], base: Base):
    """An in-memory pyoxigraph Store holding the public graphs, from their N-Triples files."""
    import pyoxigraph as ox

    store = ox.Store()
    for name in sorted(_public_names(base) & graphs.keys()):
        store.bulk_load(path=str(graphs[name]), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return store


def check_quality(store, queries_dir: Path) -> None:
    """Run every `*-violation.rq` of queries/ on the store of the public graphs; any row fails the build."""
    from .queries import oxigraph_select, violations

    found = violations(oxigraph_select(store), queries_dir)
    if found:
        lines = [f"{name}: {len(rows)} row(s), e.g. {_row_text(rows[0])}" for name, rows in sorted(found.items())]
        raise ValidationFailed("quality checks of queries/ found problems:\n" + "\n".join(lines))


def _row_text(row: dict) -> str:
    return ", ".join(f"{key}={getattr(value, 'value', value)}" for key, value in sorted(row.items()))


def render(target: Path, graphs: dict[str, Path], work: Path, base: Base, objects: int,
           artefacts: dict[str, bytes] | None = None) -> None:
    """Every file of a release under `target`, deterministically: the dumps from the graphs' sorted N-Triples
    files (graph IRI -> path, as dumps.graph_sources writes them), the VoID description (`objects`: the
    public graphs' distinct objects), the release's `artefacts` (artefacts.render_artefacts: path -> bytes),
    and the manifest of them all."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    merged = write_dumps(graphs, _public_names(base), target, work, DUMP_STEM, PUBLIC_DUMPS, prefixes)
    sizes = {str(path.relative_to(target)): path.stat().st_size for path in (target / "public").iterdir()}
    description = void.describe(summarize(merged), objects, base, sizes)
    (target / "public" / "void.ttl").write_bytes(
        serialize(sorted_quads((s, p, o, None) for s, p, o in description), rdf_format("turtle"), prefixes))
    for rel, content in (artefacts or {}).items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(content)
    files = sorted(str(path.relative_to(target)) for path in target.rglob("*") if path.is_file())
    digests = {}
    for rel in files:
        with (target / rel).open("rb") as content:
            digests[rel] = hashlib.file_digest(content, "sha256").hexdigest()
    (target / "manifest.json").write_bytes(json.dumps(digests, indent=2, sort_keys=True).encode() + b"\n")


def write_release(out_dir: Path, files: dict[str, bytes] | Callable[[Path], None]) -> Path:
    """A fresh release directory, named by the digest of its manifest.json, with `files` (relative path ->
    bytes, the manifest among them) or what `files(directory)` writes there; then `current` pointed at it
    atomically."""
    releases = out_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a release is meant to be read
        if callable(files):
            files(staging)
        else:
            for rel, content in files.items():
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                (staging / rel).write_bytes(content)
        digest = hashlib.sha256((staging / "manifest.json").read_bytes()).hexdigest()[:16]
        final = releases / digest
        if final.exists():
            shutil.rmtree(staging)
        else:
            os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link = out_dir / "current"
    tmp_link = out_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(Path("releases") / digest, tmp_link)
    os.replace(tmp_link, link)
    _prune(releases, keep=final)
    return final


def _prune(releases: Path, keep: Path) -> None:
    """Delete all but the newest KEEP_RELEASES releases, except one a running service serves (it holds a lock
    on its manifest, see store/configured.py: its replacement workers load that release's files)."""
    old = sorted((p for p in releases.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")),
                 key=lambda p: p.stat().st_mtime, reverse=True)
    for path in old[KEEP_RELEASES - 1:]:
        if not _served(path):
            shutil.rmtree(path, ignore_errors=True)


def _served(release: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # not POSIX: no service can say so
        return False
    try:
        with open(release / "manifest.json", "rb") as manifest:
            fcntl.flock(manifest, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False

