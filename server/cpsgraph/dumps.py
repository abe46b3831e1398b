"""The release's dump files, written from files rather than from the graph held in memory.

The build writes each named graph once, unsorted, as canonical N-Triples (`write_graph`). Each file is then
sorted by GNU sort in the C locale (`sort_graph`): bytewise order of canonical N-Triples lines is the order
of (subject, predicate, object) compared as their N-Triples text, so the dumps come out in a stable order
and the same inputs give byte-identical files. Sorting runs outside Python, on disk, in bounded memory,
so the sort takes no more of the build's memory for ten million triples than for ten thousand.

The dumps are then read back from those sorted files and streamed to their final files (`write_dumps`):
TriG from the graphs in graph-name order, the triples formats from the public graphs merged without
repeats (`sort -m -u`), each public dump gzipped beside it (decision 0023). Nothing is held whole.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .formats import prefixes_for, rdf_format, to_ox

SORT_MEMORY = "512M"     # GNU sort's buffer; beyond it, it merges runs from temporary files
CHUNK = 1 << 20
RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def write_graph(triples: Iterable[tuple], path: Path) -> None:
    """rdflib (s, p, o) triples as canonical N-Triples, in the order given. The predicates are few, so
    their conversion is looked up rather than repeated."""
    predicates: dict = {}

    def converted():
        for s, p, o in triples:
            predicate = predicates.get(p)
            if predicate is None:
                predicate = predicates[p] = to_ox(p)
            yield ox.Triple(to_ox(s), predicate, to_ox(o))

    ox.serialize(converted(), str(path), ox.RdfFormat.N_TRIPLES)


def _sort(args: list[str], work: Path) -> None:
    env = {**os.environ, "LC_ALL": "C"}   # bytewise: the order of the lines' UTF-8, which is code point order
    command = ["sort", f"--buffer-size={SORT_MEMORY}", f"--temporary-directory={work}", *args]
    done = subprocess.run(command, env=env, capture_output=True)
    if done.returncode != 0:
        raise OSError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace').strip()}")


def sort_graph(path: Path, out: Path, work: Path) -> None:
    """The lines of an N-Triples file sorted bytewise, repeats dropped (a graph is a set)."""
    _sort(["--unique", f"--output={out}", str(path)], work)


def merge_graphs(paths: list[Path], out: Path, work: Path) -> None:
    """Sorted N-Triples files merged into one sorted file, each triple once."""
    _sort(["--merge", "--unique", f"--output={out}", *map(str, paths)], work)


def _triples(path: Path):
    return ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)


def _quads(graphs: list[tuple[str, Path]]):
    for name, path in graphs:
        graph = ox.NamedNode(name)
        for t in _triples(path):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


@dataclass
class Summary:
    """What the VoID description counts, read from the merged public triples in one pass."""
    triples: int = 0
    subjects: int = 0
    classes: Counter = field(default_factory=Counter)      # class IRI -> rdf:type triples
    properties: Counter = field(default_factory=Counter)   # predicate IRI -> triples


def summarize(merged: Path) -> Summary:
    """Counts of a sorted, canonical N-Triples file, read as lines: a subject's triples are consecutive, so
    distinct subjects are counted without a set. (Distinct objects are not consecutive: the caller counts
    them in the store.)"""
    summary = Summary()
    last_subject = None
    with merged.open("rb") as lines:
        for line in lines:
            subject, predicate, rest = line.split(b" ", 2)
            summary.triples += 1
            if subject != last_subject:
                summary.subjects += 1
                last_subject = subject
            summary.properties[predicate] += 1
            if predicate == RDF_TYPE:
                summary.classes[rest[:rest.index(b">") + 1]] += 1
    summary.properties = Counter({p[1:-1].decode(): n for p, n in summary.properties.items()})
    summary.classes = Counter({c[1:-1].decode(): n for c, n in summary.classes.items()})
    return summary


def gzip_file(path: Path) -> Path:
    """`path` gzipped beside it at level 9, with no name or time in the header, so the bytes are stable."""
    packed = path.with_name(path.name + ".gz")
    with path.open("rb") as source, packed.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as out:
        shutil.copyfileobj(source, out, CHUNK)
    return packed


def write_dumps(sorted_graphs: dict[str, Path], public: set[str], target: Path, work: Path, stem: str,
                public_formats: tuple[str, ...], prefixes: dict[str, str]) -> Path:
    """Every dump of a release under `target` (public/ and restricted/) from the graphs' sorted N-Triples
    files (graph IRI -> path). Returns the merged public triples file (for `summarize`)."""
    named = sorted(sorted_graphs.items(), key=lambda item: f"<{item[0]}>")   # as the graph names' N-Triples
    public_graphs = [(name, path) for name, path in named if name in public]
    restricted_graphs = [(name, path) for name, path in named if name not in public]
    merged = work / "public-triples.nt"
    merge_graphs([path for _, path in public_graphs], merged, work)

    (target / "public").mkdir(parents=True, exist_ok=True)
    (target / "restricted").mkdir(parents=True, exist_ok=True)
    # one dump is gzipped while the next is written: zlib lets go of the interpreter lock while it packs
    with ThreadPoolExecutor(max_workers=1) as pool:
        packed = []
        for name in public_formats:
            fmt = rdf_format(name)
            out = target / "public" / f"{stem}.{fmt.extension}"
            if fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
                shutil.copyfile(merged, out)   # the merged file is canonical N-Triples already
            else:
                ox.serialize(_quads(public_graphs) if fmt.datasets else _triples(merged), str(out), fmt.oxigraph,
                             prefixes=prefixes_for(fmt, prefixes))
            packed.append(pool.submit(gzip_file, out))
        trig = ox.RdfFormat.TRIG
        ox.serialize(_quads(restricted_graphs), str(target / "restricted" / f"{stem}-restricted.trig"), trig,
                     prefixes=prefixes)
        ox.serialize(_quads(named), str(target / "restricted" / f"{stem}-all.trig"), trig, prefixes=prefixes)
        for future in packed:
            future.result()
    return merged


def graph_sources(graphs: Iterable[tuple[str, Iterable[tuple]]], work: Path) -> dict[str, Path]:
    """Each (graph IRI, rdflib triples) written and sorted: graph IRI -> its sorted N-Triples file."""
    found = {}
    for number, (name, triples) in enumerate(graphs):
        raw = work / f"graph-{number}.nt"
        write_graph(triples, raw)
        found[name] = work / f"graph-{number}.sorted.nt"
        sort_graph(raw, found[name], work)
        raw.unlink()
    return found

