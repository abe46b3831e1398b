"""The measured steps that run in a child process of their own, so that each starts cold, its memory is given
back when it ends, and the parent can stop it at a time or memory limit (`run_step`).

    python -m bench.steps build '{"data": "...", "out": "...", ...}'     # prints one line of JSON

Steps: `build` (the phases of cpsgraph.build.build, timed one by one, plus the SHACL alternatives), `load`
(the public TriG into an in-memory pyoxigraph Store) and `network` (the actor network of cpsgraph.network,
built and queried in-process: what a network page will cost when there is one).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent


class StepTimeout(Exception):
    """A phase ran past its time limit (raised from SIGALRM in the step's own process)."""


@contextmanager
def time_limit(seconds: float | None):
    """Interrupt the block after `seconds` (pure-Python work like pyshacl's is interruptible)."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise StepTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def step_build(data: str, out: str, source: str, ontology: str, shapes: str, pyshacl_limit: float | None = None,
               variants: bool = False) -> dict:
    """The build's phases as cpsgraph.build.build runs them (map, ontology, the graphs written out sorted,
    the public store, the SHACL gate on the SPARQL engine, the quality checks, the artefacts, render and
    write the release), each timed, with the cyclic garbage collector off as in the build; then pyshacl on
    the same dataset (the other engine, stopped at `pyshacl_limit`) and the SHACL alternatives, whose
    findings are compared with pyshacl's. The mapped dataset is kept for those, so the peak RSS here is
    above the build's own (measure that with `/usr/bin/time -v cpsgraph build`)."""
    import gc
    import tempfile

    from cpsgraph.artefacts import render_artefacts
    from cpsgraph.build import check_quality, public_store, render, write_release
    from cpsgraph.dumps import graph_sources
    from cpsgraph.mapping import map_tables
    from cpsgraph.namespaces import Base
    from cpsgraph.ontology import load_ontology
    from cpsgraph.queries import oxigraph_select
    from cpsgraph.source import Report
    from cpsgraph.validation import load_shapes, validate_dataset

    from . import validators

    base = Base("https://w3id.org/cps-lac/")
    result: dict = {"phases": {}}
    phases = result["phases"]

    def timed(name, work):
        started = time.perf_counter()
        value = work()
        phases[name] = time.perf_counter() - started
        return value

    gc.disable()  # as cpsgraph.build.build
    mapper = timed("map", lambda: map_tables(Path(data), base, Report(Path(source))))

    def add_ontology():
        graph = mapper.dataset.graph(base.graph("ontology"))
        for triple in load_ontology(Path(ontology)):
            graph.add(triple)

    timed("ontology", add_ontology)
    result["counts"] = {str(g.identifier).rsplit("/", 1)[-1]: len(g) for g in mapper.dataset.graphs() if len(g)}
    result["public_triples"] = result["counts"].get("data", 0) + result["counts"].get("ontology", 0)
    Path(out).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out, prefix=".work-"))
    named = [(str(g.identifier), g) for g in mapper.dataset.graphs()
             if str(g.identifier) != "urn:x-rdflib:default" and len(g)]
    graphs = timed("graphs", lambda: graph_sources(named, work))
    store = timed("store", lambda: public_store(graphs, base))
    outcome = timed("validate", lambda: validate_dataset(None, base, Path(shapes), origin=mapper.origin_of,
                                                         engine="sparql", store=store))
    result["gate"] = {"conforms": outcome.conforms, "results": len(outcome.results)}
    timed("quality", lambda: check_quality(store, REPO / "queries"))
    select = oxigraph_select(store)
    artefacts = timed("artefacts", lambda: render_artefacts(select, base.base))
    objects = int(select("SELECT (COUNT(DISTINCT ?o) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)
    release = timed("render", lambda: write_release(Path(out), lambda staging: render(staging, graphs, work, base,
                                                                                       objects, artefacts)))
    shutil.rmtree(work, ignore_errors=True)
    result["trig"] = str(release / "public" / "cps-lac.trig")
    result["trig_bytes"] = (release / "public" / "cps-lac.trig").stat().st_size
    result["peak_rss"] = peak_rss()
    store = select = artefacts = outcome = None  # freed before pyshacl runs
    gc.enable()

    reference = None
    started = time.perf_counter()
    try:
        with time_limit(pyshacl_limit):
            outcome = validate_dataset(mapper.dataset, base, Path(shapes), origin=mapper.origin_of, engine="pyshacl")
        result["pyshacl"] = {"seconds": time.perf_counter() - started, "conforms": outcome.conforms,
                             "results": len(outcome.results)}
        reference = validators.pyshacl_results(outcome.report)
        del outcome
    except StepTimeout:
        result["pyshacl"] = {"stopped_after": pyshacl_limit}
    result["alternatives"] = validators.alternatives(mapper.dataset, base, load_shapes(Path(shapes), base),
                                                     reference, variants=variants)
    return result


def step_load(trig: str) -> dict:
    """The public TriG into an in-memory pyoxigraph Store, as each of our query workers loads it."""
    import pyoxigraph as ox

    before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "quads": len(store), "rss_added": psutil.Process().memory_info().rss - before}


def step_network(trig: str) -> dict:
    """cpsgraph.network on the graph: build the Network once (what a server caches), then the view of the most
    connected actor (depth 1, all relations) as its page builds it, capped at NETWORK_MAX_NEIGHBOURS, with its
    JSON; the whole, uncapped view too (what `?limit=0` exports); and the paths between two actors."""
    import pyoxigraph as ox

    from cpsgraph.config import SETTINGS
    from cpsgraph.network import Network
    from cpsgraph.queries import oxigraph_select

    store = ox.Store()
    store.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    raw = oxigraph_select(store)

    def select(text: str) -> list[dict]:  # the network module wants plain strings, as Store.select gives
        return [{k: v.value for k, v in row.items()} for row in raw(text)]

    started = time.perf_counter()
    net = Network(select)
    built = time.perf_counter() - started
    degree = {node: len(set(net.graph.neighbors(node))) for node in net.graph.nodes}
    hub = max(degree, key=lambda n: (degree[n], n))
    cap = next(s.default for s in SETTINGS if s.name == "NETWORK_MAX_NEIGHBOURS")

    def view(limit):
        """(seconds to choose the actors and their edges, seconds for the JSON, the view, its JSON's size)"""
        times, json_times = [], []
        for _ in range(3):
            started = time.perf_counter()
            hood = net.neighbourhood([hub], 1, limit=limit)
            edges = net.edges_among(hood)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            size = len(json.dumps(net.to_json(hood)))
            json_times.append(time.perf_counter() - started)
        return min(times), min(json_times), hood, edges, size

    ego, to_json, hood, edges, size = view(cap)
    whole_ego, whole_json, whole, whole_edges, whole_size = view(None)
    people = sorted((n for n in degree if net.node_kind.get(n) == "person"), key=lambda n: (-degree[n], n))
    started = time.perf_counter()
    paths = net.paths(people[0], people[-1]) if len(people) > 1 else []
    path_seconds = time.perf_counter() - started
    return {"build": built, "nodes": net.graph.number_of_nodes(), "edges": net.graph.number_of_edges(),
            "hub": hub, "hub_neighbours": degree[hub], "cap": cap, "ego_nodes": len(hood.steps),
            "ego_edges": len(edges), "ego": ego, "to_json": to_json, "json_bytes": size,
            "whole": {"nodes": len(whole.steps), "edges": len(whole_edges), "ego": whole_ego,
                      "to_json": whole_json, "json_bytes": whole_size},
            "path_between": [people[0], people[-1]] if people else [],
            "paths": len(paths), "path_seconds": path_seconds, "peak_rss": peak_rss()}


def step_profile(data: str, out: str, source: str, ontology: str, shapes: str, top: int = 25) -> dict:
    """cProfile of the build in two parts: `cpsgraph.build.build` without the SHACL gate (mapping, dumps), and
    the gate alone (`validate_dataset`, pyshacl) on the same mapped dataset. Each: the functions that take the
    time, by own time and by cumulative time, and the wall time under the profiler."""
    import cProfile

    from cpsgraph.build import build
    from cpsgraph.mapping import map_tables
    from cpsgraph.namespaces import Base
    from cpsgraph.ontology import load_ontology
    from cpsgraph.source import Report
    from cpsgraph.validation import validate_dataset

    base = Base("https://w3id.org/cps-lac/")
    result = {}
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(build, data_dir=Path(data), ontology_path=Path(ontology), shapes_dir=Path(shapes),
                     out_dir=Path(out), base=base, source=Path(source), validate=False)
    result["build_without_gate"] = _stats(profiler, top, time.perf_counter() - started)
    mapper = map_tables(Path(data), base, Report(Path(source)))
    graph = mapper.dataset.graph(base.graph("ontology"))
    for triple in load_ontology(Path(ontology)):
        graph.add(triple)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(validate_dataset, mapper.dataset, base, Path(shapes), origin=mapper.origin_of,
                      engine="pyshacl")
    result["gate"] = _stats(profiler, top, time.perf_counter() - started)
    return result


def _stats(profiler, top: int, wall: float) -> dict:
    import io
    import pstats

    texts = {"wall": wall}
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(key).print_stats(top)
        texts[key] = buffer.getvalue()
    return texts


def step_overhead(trig: str, queries: dict, profile: str, runs: int = 300) -> dict:
    """Where our endpoint's time goes, layer by layer, for each query of `queries` (name -> text): the floor
    (pyoxigraph in-process, native JSON writer), the store layer (cpsgraph.store: the gate, the pipe to a
    query worker, the worker's own JSON writer), the Flask app (the test client: routing, negotiation,
    headers), plus a cProfile of the app's request path. HTTP through waitress is measured by part 1."""
    import cProfile
    import io
    import pstats

    import pyoxigraph as ox

    from cpsgraph.formats import result_format
    from cpsgraph.web import create_app
    from cpsgraph.web.stores import stores

    from .stats import median

    floor_store = ox.Store()
    floor_store.bulk_load(path=trig, format=ox.RdfFormat.TRIG)
    app = create_app({"DATA_FILES": [trig], "QUERY_WORKERS": 1, "OPERATOR_TOKEN": ""})
    store, web = stores(app).public, app.test_client()
    headers = {"Accept": "application/sparql-results+json"}
    out: dict = {}
    try:
        for name, text in queries.items():
            layers: dict[str, list[float]] = {"floor": [], "store": [], "flask": []}
            calls = {
                "floor": lambda text=text: floor_store.query(text, use_default_graph_as_union=True).serialize(
                    format=ox.QueryResultsFormat.JSON),
                "store": lambda text=text: store.query(text, format=result_format("json")),
                "flask": lambda text=text: web.post("/sparql", data=text.encode(), headers=headers,
                                                    content_type="application/sparql-query"),
            }
            for _ in range(runs):
                for layer, call in calls.items():  # interleaved, like the peers
                    started = time.perf_counter()
                    call()
                    layers[layer].append(time.perf_counter() - started)
            out.setdefault("layers", {})[name] = {layer: median(values) for layer, values in layers.items()}
        name, text = profile, queries[profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            web.post("/sparql", data=text.encode(), headers=headers, content_type="application/sparql-query")
        profiler.disable()
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("tottime").print_stats(25)
        out["profile"] = {"query": name, "runs": runs, "text": buffer.getvalue()}
    finally:
        stores(app).close()
    return out


def step_equivalence(trig: str, seeds: int) -> dict:
    """pyshacl and the SPARQL check on the graph and on `seeds` damaged copies of it (validators.equivalence)."""
    from . import validators

    return validators.equivalence(Path(trig), seeds)


STEPS = {"build": step_build, "load": step_load, "network": step_network, "profile": step_profile,
         "equivalence": step_equivalence, "overhead": step_overhead}


def run_step(name: str, args: dict, *, timeout: float, memory_cap: int, log=print) -> dict:
    """Run one step in a child process; its JSON result plus `peak_rss_sampled` and `wall`, or `{"failed": why}`
    when it fails, runs past `timeout` seconds or past `memory_cap` bytes (it is then killed)."""
    command = [sys.executable, "-m", "bench.steps", name, json.dumps(args)]
    started = time.perf_counter()
    # files, not pipes: a child that logs a lot must never block on a full pipe
    stdout, stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=REPO, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    peak, reason = 0, ""
    try:
        while process.poll() is None:
            try:
                tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.NoSuchProcess:
                pass
            if peak > memory_cap:
                reason = f"stopped at the memory cap ({memory_cap / 2**30:.1f} GiB)"
            elif time.perf_counter() - started > timeout:
                reason = f"stopped at the time limit ({timeout:g} s)"
            if reason:
                _kill(process)
                break
            time.sleep(0.25)
        process.wait()
    except BaseException:
        _kill(process)
        raise
    wall = time.perf_counter() - started
    if reason or process.returncode != 0:
        why = reason or f"exit {process.returncode}: {_read(stderr)[-1500:]}"
        log(f"    step {name} failed: {why}")
        return {"failed": why, "wall": wall, "peak_rss_sampled": peak}
    result = json.loads(_read(stdout).strip().splitlines()[-1])
    result.update(wall=wall, peak_rss_sampled=peak)
    return result


def _read(handle) -> str:
    handle.seek(0)
    text = handle.read().decode(errors="replace")
    handle.close()
    return text


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


if __name__ == "__main__":
    import logging

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    output = STEPS[sys.argv[1]](**json.loads(sys.argv[2]))
    sys.stdout.write("\n" + json.dumps(output) + "\n")
