"""Part 2 (and the measurements of part 3): how the costs grow with the graph.

For each size, report-shaped data is generated (generate.py), then in child processes (steps.py) the build's
phases are timed (pyshacl stopped at a time limit), the SHACL alternatives, the load into pyoxigraph and the
actor network; then our server is started on the public TriG, its memory read (psutil: RSS and PSS of the
server and its query workers) and a fixed mix of stored queries and the pages timed over HTTP. The first
size is one copy of the tables, which is the real graph itself.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import client, pages
from .generate import calibrate, copies_for, generate
from .servers import Servers
from .stats import median, p95
from .steps import run_step

MIX = ("participants-by-country", "participants-from-country", "co-responsible-actors", "path-between-actors",
       "activities-of-actor", "timeline", "sources-of-entity", "missing-source-violation")
GIB = 2**30


@dataclass
class GrowthPlan:
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    pyshacl_limit: float = 120.0       # seconds: the target for build plus validation at 1M is 2 minutes
    variants_up_to: int = 150_000      # the pyshacl variants cost as much as pyshacl: only up to this size
    profile_size: int = 100_000        # the build is profiled (cProfile) at the size nearest to this
    step_timeout: float = 900.0
    memory_cap: int = 6 * GIB
    mix_budget: float = 1.0            # seconds of repeated requests per query of the mix
    mix_max: int = 50
    page_runs: int = 10
    store_dir_at_largest: bool = True  # also serve the largest graph from an on-disk store (CPS_STORE_DIR)
    queries: tuple[str, ...] = field(default=MIX)


@dataclass
class Inputs:
    data: Path
    source: Path
    ontology: Path
    shapes: Path
    queries: Path


def run(plan: GrowthPlan, inputs: Inputs, work: Path, log=print) -> dict:
    from .endpoints import stored_queries

    first, per_copy = calibrate(inputs.data, work, inputs.source)
    log(f"  calibration: copy 0 has {first} data triples, each further copy adds {per_copy}")
    texts = stored_queries(inputs.queries, list(plan.queries))
    copies = sorted({copies_for(size, per_copy, first) for size in plan.sizes})
    profile_at = min(copies, key=lambda c: abs(first + (c - 1) * per_copy - plan.profile_size))
    results: dict = {"plan": {k: v for k, v in plan.__dict__.items()}, "calibration": [first, per_copy],
                     "sizes": []}
    for count in copies:
        log(f"  {count} cop{'y' if count == 1 else 'ies'}: generating")
        folder = work / f"copies-{count}"
        generate(inputs.data, folder, count)
        entry = {"copies": count}
        results["sizes"].append(entry)
        args = {"data": str(folder / "data"), "out": str(folder / "build"), "source": str(inputs.source),
                "ontology": str(inputs.ontology), "shapes": str(inputs.shapes)}
        log("    build phases, SHACL gate and its alternatives")
        entry["build"] = run_step("build", {**args, "pyshacl_limit": plan.pyshacl_limit,
                                            "variants": first + (count - 1) * per_copy <= plan.variants_up_to},
                                  timeout=plan.step_timeout, memory_cap=plan.memory_cap, log=log)
        if "failed" in entry["build"]:
            continue
        trig = entry["build"]["trig"]
        if count == profile_at:
            log("    profile of the build (cProfile)")
            entry["profile"] = run_step("profile", {**args, "out": str(folder / "profile-build")},
                                        timeout=plan.step_timeout * 2, memory_cap=plan.memory_cap, log=log)
        log("    load into pyoxigraph; the actor network")
        entry["load"] = run_step("load", {"trig": trig}, timeout=plan.step_timeout, memory_cap=plan.memory_cap,
                                 log=log)
        entry["network"] = run_step("network", {"trig": trig}, timeout=plan.step_timeout,
                                    memory_cap=plan.memory_cap, log=log)
        log("    our server: memory, query mix, pages")
        with Servers(work / "servers") as servers:
            entry["server"] = _serve(servers, Path(trig), texts, plan, inputs, entry["network"])
            if plan.store_dir_at_largest and count == copies[-1]:
                servers.stop_all()
                store_dir = work / "store-dir"
                entry["server_on_disk"] = _serve(servers, Path(trig), texts, plan, inputs, entry["network"],
                                                 STORE_DIR=store_dir, pages_too=False)
                shutil.rmtree(store_dir, ignore_errors=True)
    return results


def _serve(servers: Servers, trig: Path, texts: dict[str, str], plan: GrowthPlan, inputs: Inputs, network: dict,
           pages_too: bool = True, **settings) -> dict:
    ours = servers.ours(trig, **settings)
    out = {"settings": {k: str(v) for k, v in settings.items()}, "ready_seconds": ours.ready_seconds,
           "memory_idle": ours.memory(), "mix": {}}
    for name, text in texts.items():
        client.probe(ours.url, text, 120.0)
        batch = client.run_batch(ours.url, text, 1, budget=plan.mix_budget, max_requests=plan.mix_max,
                                 timeout=120.0)
        answer, problem = client.probe(ours.url, text, 120.0)
        out["mix"][name] = {"median": median(batch.latencies), "p95": p95(batch.latencies), "n": len(batch.latencies),
                            "rows": answer.result_size() if answer else None, "error": problem,
                            "truncated": bool(answer and answer.headers.get("X-Result-Truncated"))}
    out["memory_after_mix"] = ours.memory()
    if pages_too and "failed" not in network and network.get("path_between"):
        actor, other = network["hub"], network["path_between"][1]
        out["pages"] = pages.measure(ours.url, actor, other, pages.path_query_text(inputs.queries, actor, other),
                                     runs=plan.page_runs)
    servers.stop(ours)
    return out


def cli_build(inputs: Inputs, work: Path, runs: int) -> dict:
    """`cpsgraph build` of the real tables, as a user runs it (interpreter start-up and imports included),
    into a directory of the benchmark's own (never the project's build/): wall seconds of each run."""
    import subprocess
    import time

    out = work / "real-build"
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(["cpsgraph", "build", "--data", str(inputs.data), "--out", str(out), "--source",
                               str(inputs.source), "--ontology", str(inputs.ontology), "--shapes",
                               str(inputs.shapes)], capture_output=True, text=True)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            return {"failed": done.stderr[-1500:], "seconds": seconds}
    return {"seconds": seconds, "median": median(seconds), "trig": str(out / "current/public/cps-lac.trig")}
