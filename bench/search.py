"""Search as you type: how long one key press takes, on the real graph and on bigger ones.

    python -m bench.search                                   # the real build (build/current)
    python -m bench.search --trig /tmp/cps-1m/build/current/public/cps-lac.trig     # any public TriG
    python -m bench.generate --triples 1000000 --out /tmp/cps-1m && \\
        cpsgraph build --data /tmp/cps-1m/data --out /tmp/cps-1m/build --no-validate   # a 1M-triple graph

What is timed is what the server does for each key press (`/search/suggest`): the index query of
cpsgraph.search_index for the first 1, 2, 3, ... letters of names the graph holds (persons, organizations,
countries and the rest, as a reader types them, accents dropped and in upper case too), and for two-word
prefixes; the top 8 hits (primary and other entities, as the header's combobox asks), then the search page's
query (every hit and the counts by kind). The index is built once, the way the server builds it at start
(from the entity index of the embedded store); its build time is reported beside.

Targets (issue 14, item 5): p95 under 20 ms at the real graph, under 50 ms at 1M triples.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

TARGETS_MS = {"real": 20.0, "1M": 50.0}


def build_index(trig: Path):
    """(index, entities, triples, seconds to load the store, seconds to build the index), as the server does."""
    import pyoxigraph as ox

    from cpsgraph.web.browser import browse_queries as q
    from cpsgraph.web.browser.entities import Entities
    from cpsgraph.web.browser.suggest import build_index as build

    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    triples = len(store)
    loaded = time.perf_counter() - started

    class Select:   # the store interface the browser's queries use (`select`), over the in-process store
        @staticmethod
        def select(text):
            return list(_rows(store.query(text, use_default_graph_as_union=True)))

    started = time.perf_counter()
    entities = Entities(q.index_rows(Select), "https://w3id.org/cps-lac/")
    index = build(entities, Select.select)
    return index, entities, triples, loaded, time.perf_counter() - started


def _rows(solutions):
    variables = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {name: solution[name] for name in variables if solution[name] is not None}


def queries(entities, count: int, seed: int = 7) -> list[str]:
    """What readers type: prefixes of 1..8 letters of names in the graph, some folded or upper-cased, some of
    two words; drawn at random (seeded) over the entities, primary kinds weighted as readers look for them."""
    from cpsgraph.search_index import PRIMARY, fold

    rng = random.Random(seed)
    names = [(entities.kind_segment(e.iri), name) for e in entities.all() if entities.ours(e.iri)
             for name in list(e.labels.values()) + e.names]
    primary = [n for k, n in names if k in PRIMARY]
    others = [n for k, n in names if k not in PRIMARY]
    typed = []
    while len(typed) < count:
        name = rng.choice(primary if rng.random() < 0.8 or not others else others)
        words = name.split()
        if len(words) > 1 and rng.random() < 0.25:
            text = words[0][:rng.randint(2, 6)] + " " + words[1][:rng.randint(1, 4)]
        else:
            word = rng.choice(words) if words else name
            text = word[:rng.randint(1, 8)]
        roll = rng.random()
        text = fold(text) if roll < 0.3 else text.upper() if roll < 0.4 else text
        if text.strip():
            typed.append(text)
    return typed


def time_queries(index, typed: list[str], call) -> dict:
    """Wall-clock and CPU time (this thread's) of `call(index, text)` for each text. On a shared machine the
    wall-clock tail holds the time the process waited for a core; the CPU time is the work itself."""
    for text in typed[:20]:   # warm the page cache of the index
        call(index, text)
    wall, cpu = [], []
    for text in typed:
        started, started_cpu = time.perf_counter(), time.thread_time()
        call(index, text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {"queries": len(wall), **_percentiles("", wall), **_percentiles("cpu_", cpu)}


def _percentiles(prefix: str, values: list[float]) -> dict:
    values = sorted(values)
    at = lambda q: round(values[int(q * (len(values) - 1))], 2)  # noqa: E731
    return {f"{prefix}p50_ms": round(statistics.median(values), 2), f"{prefix}p95_ms": at(0.95),
            f"{prefix}p99_ms": at(0.99), f"{prefix}max_ms": round(values[-1], 2)}


def suggest(index, text):
    """What /search/suggest asks (suggest.suggestions): 8 hits, intermediate records only if nothing else."""
    hits = index.search(text, limit=8, max_tier=1)
    return hits or index.search(text, limit=8)


def search_page(index, text):
    """What /search asks (browse.search): the counts by kind (of at most 20,000 names), then the first page."""
    return index.kind_counts(text, cap=20000), index.counted_all(text, 20000), index.search(text, limit=50)


def run(trig: Path, label: str, count: int) -> dict:
    index, entities, triples, loaded, built = build_index(trig)
    typed = queries(entities, count)
    import os

    result = {"graph": label, "trig": str(trig), "triples": triples, "entities": index.size, "names": index.names,
              "load_average": os.getloadavg()[0], "cores": os.cpu_count(),
              "store_load_s": round(loaded, 1), "index_build_s": round(built, 1),
              "suggest": time_queries(index, typed, suggest),
              "search_page": time_queries(index, typed[: max(50, count // 10)], search_page)}
    target = TARGETS_MS.get(label)
    if target is not None:
        result["target_p95_ms"] = target
        result["meets_target"] = result["suggest"]["p95_ms"] < target
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trig", type=Path, default=Path("build/current/public/cps-lac.trig"))
    parser.add_argument("--label", default=None, help="'real' or '1M' (which target applies); from the size if absent")
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args(argv)
    if not args.trig.is_file():
        print(f"error: {args.trig} does not exist (run `cpsgraph build` first)", file=sys.stderr)
        return 2
    label = args.label
    result = run(args.trig, label or "?", args.queries)
    if label is None:
        result["graph"] = label = "1M" if result["triples"] >= 900_000 else "real"
        result["target_p95_ms"] = TARGETS_MS[label]
        result["meets_target"] = result["suggest"]["p95_ms"] < TARGETS_MS[label]
    print(json.dumps(result, indent=1))
    return 0 if result.get("meets_target", True) else 1


if __name__ == "__main__":
    sys.exit(main())
