"""`build`: curated tables -> validated graph -> dumps, written atomically.

The output directory holds releases (`releases/<digest>/`) and a `current` symlink swapped in one
`os.replace`, so a reader (the server) always sees a complete release and a failed build never replaces
a good one. The same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import void
from .artefacts import render_artefacts
from .errors import ValidationFailed
from .formats import rdf_format, serialize, sorted_quads, sorted_triples
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
    wrong source report; in every case nothing is written. `engine` is the SHACL engine of the gate
    ("sparql", the default, or "pyshacl"; see validation.py). The restricted graph's contact details are read
    from the source report's Anexo III, or from `contacts_file` when given (cpsgraph.contacts)."""
    report = Report(source) if source is not None else None
    mapper = map_tables(data_dir, base, report, contacts_file)
    dataset = mapper.dataset
    ontology = load_ontology(ontology_path)
    onto_graph = dataset.graph(base.graph("ontology"))
    for triple in ontology:
        onto_graph.add(triple)

    warnings: list[str] = []
    quads = dataset_quads(dataset)  # converted and sorted once, for the checks and every dump
    store = None
    if validate and (shapes_dir is not None or queries_dir is not None):
        store = public_store(quads, base)  # the public graphs, as the SHACL gate and the quality checks see them
        if shapes_dir is not None:
            outcome = validate_dataset(dataset, base, shapes_dir, origin=mapper.origin_of, engine=engine,
                                       store=store)
            warnings = outcome.warning_lines()
            if not outcome.conforms:
                raise ValidationFailed(outcome.violation_text(), outcome.violations)
        if queries_dir is not None:
            check_quality(store, queries_dir)

    select = oxigraph_select(store if store is not None else public_store(quads, base))
    files = render(quads, base, render_artefacts(select, base.base))
    release = write_release(out_dir, files)
    counts = {str(g.identifier).rsplit("/", 1)[-1]: len(g) for g in dataset.graphs() if len(g)}
    return BuildResult(release=release, counts=counts, warnings=warnings)


def dataset_quads(dataset) -> list:
    """Every quad of the dataset's named graphs, as pyoxigraph quads in a stable order."""
    return sorted_quads((s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g
                        if str(g.identifier) != "urn:x-rdflib:default")


def public_quads(quads: list, base: Base) -> list:
    public_names = _public_names(base)
    return [q for q in quads if q.graph_name.value in public_names]


def _public_names(base: Base) -> set[str]:
    return {str(base.graph(name)) for name in PUBLIC_GRAPHS}


def public_store(quads: list, base: Base):
    """An in-memory pyoxigraph Store holding the public quads."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_extend(public_quads(quads, base))
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


def render(everything: list, base: Base, artefacts: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every output file (relative path -> bytes), deterministically, from the sorted quads, with the release's
    `artefacts` (artefacts.render_artefacts: path -> bytes) listed in the manifest beside the dumps."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    public = public_quads(everything, base)
    public_names = _public_names(base)
    restricted = [q for q in everything if q.graph_name.value not in public_names]
    public_triples = sorted_triples(public)

    files: dict[str, bytes] = {}
    for name in PUBLIC_DUMPS:
        fmt = rdf_format(name)
        files[f"public/{DUMP_STEM}.{fmt.extension}"] = serialize(public if fmt.datasets else public_triples,
                                                                 fmt, prefixes)
        # the same bytes gzipped, once, here: served as `cps-lac.<ext>.gz` and as `Content-Encoding: gzip`
        # (decision 0023); mtime 0 keeps the build byte-identical
        files[f"public/{DUMP_STEM}.{fmt.extension}.gz"] = gzip.compress(files[f"public/{DUMP_STEM}.{fmt.extension}"],
                                                                       compresslevel=9, mtime=0)
    files[f"restricted/{DUMP_STEM}-restricted.trig"] = serialize(restricted, rdf_format("trig"), prefixes)
    files[f"restricted/{DUMP_STEM}-all.trig"] = serialize(everything, rdf_format("trig"), prefixes)

    description = void.describe(public_triples, base, {k: v for k, v in files.items() if k.startswith("public/")})
    files["public/void.ttl"] = serialize(sorted_quads((s, p, o, None) for s, p, o in description),
                                         rdf_format("turtle"), prefixes)
    files.update(artefacts or {})
    files["manifest.json"] = json.dumps(
        {path: hashlib.sha256(content).hexdigest() for path, content in sorted(files.items())},
        indent=2, sort_keys=True).encode() + b"\n"
    return files


def write_release(out_dir: Path, files: dict[str, bytes]) -> Path:
    """Write the files to a fresh release directory and point `current` at it atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    releases = out_dir / "releases"
    releases.mkdir(exist_ok=True)
    digest = hashlib.sha256(files["manifest.json"]).hexdigest()[:16]
    final = releases / digest
    if not final.exists():
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a release is meant to be read
        try:
            for rel, content in files.items():
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
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

