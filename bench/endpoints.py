"""Part 1: latency and throughput of every stored query on our /sparql and its peers, and the floor.

For each query of queries/ (its parameters bound to their defaults, as `cpsgraph query NAME` runs it), each
concurrency level and each round, the peers take turns (the order rotates every round), so that a noisy
moment of the shared machine falls on all of them alike. The floor is the same query evaluated on an
in-memory pyoxigraph Store in this process, its results serialized to SPARQL JSON, with no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import client
from .stats import geomean, median, ms, p95, ratio, table, times

PEERS = ("ours", "oxigraph", "rdflib-endpoint")
SMALL_RESULT = 100      # rows: the HTTP-overhead target is about answers this small
MULTI_JOIN = 4          # triple patterns (path steps included) from which a query counts as multi-join


@dataclass
class Plan:
    levels: tuple[int, ...] = (1, 8, 32)
    rounds: int = 3
    budget: float = 0.6          # seconds each batch keeps sending after every client has sent once
    max_requests: int = 200      # per client per batch
    max_batch: float = 20.0      # seconds a batch may be expected to take; above, that level is skipped
    timeout: float = 60.0        # seconds one request may take
    sources: tuple[str, ...] | None = None   # each client's loopback address (None: all from the default one)
    processes: bool = False      # each client a process of its own, not a thread (client.run_batch)


def stored_queries(directory: Path, only: list[str] | None = None) -> dict[str, str]:
    """name -> query text with its parameters bound to their defaults (cpsgraph.queries.bind)."""
    from cpsgraph.queries import bind, load_queries

    queries = load_queries(directory)
    names = [name for name in queries if not only or name in only]
    return {name: bind(queries[name], {})[0] for name in names}


def triple_patterns(text: str) -> int:
    """Triple patterns of a query, each step of a property path counted as one, from rdflib's algebra."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def walk(node) -> int:
        if isinstance(node, CompValue):
            own = sum(_path_steps(t[1]) for t in node.get("triples") or []) if node.name == "BGP" else 0
            return own + sum(walk(value) for value in node.values())
        if isinstance(node, (list, tuple)):
            return sum(walk(item) for item in node)
        return 0

    return walk(prepareQuery(text).algebra)


def _path_steps(predicate) -> int:
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(predicate, SequencePath):
        return sum(_path_steps(p) for p in predicate.args)
    if isinstance(predicate, AlternativePath):
        return max(_path_steps(p) for p in predicate.args)
    if isinstance(predicate, (InvPath, MulPath, NegatedPath)):
        return _path_steps(getattr(predicate, "arg", None) or getattr(predicate, "path", None))
    return 1


def run(servers: dict, queries: dict[str, str], store, plan: Plan, log=print) -> dict:
    """Measure every query on every server in `servers` (name -> Server) and on `store` (the floor)."""
    results: dict = {"plan": plan.__dict__, "queries": {}}
    for number, (name, text) in enumerate(queries.items(), 1):
        log(f"  [{number}/{len(queries)}] {name}")
        floor_times, floor_rows = client.floor(store, text, budget=plan.budget / 2, max_runs=plan.max_requests)
        patterns = triple_patterns(text)
        entry = {"patterns": patterns, "multi_join": patterns >= MULTI_JOIN, "peers": {},
                 "floor": {"median": median(floor_times), "p95": p95(floor_times), "rows": floor_rows,
                           "n": len(floor_times)}}
        single = _probe(servers, text, plan, entry["peers"])
        for level in plan.levels:
            for peer, cell in _level_of(servers, text, plan, single, level).items():
                entry["peers"][peer]["levels"][str(level)] = cell
        results["queries"][name] = entry
    return results


def _probe(servers: dict, text: str, plan: Plan, peers: dict) -> dict[str, float]:
    """One warm-up and one measured request per server: fills `peers` with the answer's size or the error;
    returns the seconds of the measured request of every server that answered."""
    single = {}
    for peer, server in servers.items():
        client.probe(server.url, text, plan.timeout)  # warm-up: parse caches, pages, connections
        answer, problem = client.probe(server.url, text, plan.timeout)
        peers[peer] = {"rows": answer.result_size() if answer else None, "error": problem,
                       "truncated": bool(answer and answer.headers.get("X-Result-Truncated")), "levels": {}}
        if answer:
            single[peer] = answer.seconds
    return single


def _level_of(servers: dict, text: str, plan: Plan, single: dict[str, float], level: int) -> dict[str, dict]:
    """`plan.rounds` batches of `level` clients per server, the servers taking turns (the order rotates each
    round); a server whose single request suggests a batch longer than `plan.max_batch` is skipped."""
    names = list(single)
    pooled = {peer: client.Batch(level) for peer in names}
    rates: dict[str, list[float]] = {peer: [] for peer in names}
    too_slow = {peer for peer in names if single[peer] * level > plan.max_batch}
    for turn in range(plan.rounds):
        shift = turn % len(names) if names else 0
        for peer in names[shift:] + names[:shift]:
            if peer in too_slow:
                continue
            batch = client.run_batch(servers[peer].url, text, level, budget=plan.budget,
                                     max_requests=plan.max_requests, timeout=plan.timeout,
                                     sources=list(plan.sources) if plan.sources else None, processes=plan.processes)
            pooled[peer].latencies += batch.latencies
            pooled[peer].errors += batch.errors
            pooled[peer].timeouts += batch.timeouts
            rates[peer].append(batch.throughput)
    cells = {}
    for peer in names:
        batch = pooled[peer]
        cells[peer] = {"median": median(batch.latencies), "p95": p95(batch.latencies), "n": len(batch.latencies),
                       "throughput": median(rates[peer]), "errors": len(batch.errors) + batch.timeouts,
                       "first_error": (batch.errors or [""])[0],
                       "skipped": (f"one request takes {single[peer]:.1f} s: {level} clients would take about "
                                   f"{single[peer] * level:.0f} s") if peer in too_slow else ""}
    return cells


def overhead_queries(results: dict) -> list[str]:
    """The queries whose overhead is broken down: the one with the smallest floor (where a fixed per-request
    cost weighs most) first, then a middle one and the one with the most rows."""
    measured = {n: e for n, e in results["queries"].items() if e["floor"]["median"] is not None}
    by_floor = sorted(measured, key=lambda n: measured[n]["floor"]["median"])
    by_rows = sorted(measured, key=lambda n: measured[n]["floor"]["rows"])
    chosen = [by_floor[0], by_floor[len(by_floor) // 2], by_rows[-1]] if measured else []
    return list(dict.fromkeys(chosen))


def render_overhead(results: dict) -> str:
    """Ours, layer by layer, against the floor and Oxigraph server, at one client."""
    overhead = results.get("overhead") or {}
    if "layers" not in overhead:
        return f"The breakdown did not run: {overhead.get('failed', 'not asked')}."
    rows = []
    for name, layers in overhead["layers"].items():
        entry = results["queries"][name]
        http = _level(entry, "ours", 1).get("median")
        ox = _level(entry, "oxigraph", 1).get("median")
        steps = [layers["floor"], layers["store"], layers["flask"], http]
        deltas = [None] + [b - a if a is not None and b is not None else None for a, b in zip(steps, steps[1:])]
        rows.append([f"`{name}`", str(entry["floor"]["rows"]),
                     *[f"{ms(v)} (+{ms(d)})" if d is not None else ms(v) for v, d in zip(steps, deltas)], ms(ox)])
    header = ["query", "rows", "floor: pyoxigraph in-process", "store layer: gate, pipe, worker's JSON writer",
              "Flask app (test client)", "HTTP via waitress (part 1)", "Oxigraph server"]
    prof = overhead.get("profile", {})
    text = table(header, rows)
    if prof:
        cut = "\n".join(prof["text"].strip().splitlines()[:32])
        text += (f"\n\ncProfile of the Flask app answering `{prof['query']}` {prof['runs']} times (test client, "
                 f"one query worker; `poll` is the wait for the worker), by own time:\n\n```\n{cut}\n```")
    return text


def _level(entry: dict, peer: str, level: int) -> dict:
    return entry["peers"].get(peer, {}).get("levels", {}).get(str(level), {})


def summary(results: dict) -> dict:
    """The figures the targets are about, at one client."""
    mine, versus_ox, versus_rdflib, overhead = [], [], [], []
    for name, entry in results["queries"].items():
        ours = _level(entry, "ours", 1).get("median")
        ox = _level(entry, "oxigraph", 1).get("median")
        rdf = _level(entry, "rdflib-endpoint", 1).get("median")
        if ratio(ours, ox) is not None:
            versus_ox.append((name, ratio(ours, ox)))
        if entry["multi_join"] and ratio(rdf, ours) is not None:
            versus_rdflib.append((name, ratio(rdf, ours)))
        if ours is not None and entry["floor"]["median"] is not None and entry["floor"]["rows"] <= SMALL_RESULT:
            overhead.append(ours - entry["floor"]["median"])
        mine.append(name)
    return {
        "queries": len(mine),
        "ours_vs_oxigraph_geomean": geomean([r for _, r in versus_ox]),
        "within_1_5x_of_oxigraph": sum(1 for _, r in versus_ox if r <= 1.5), "compared_with_oxigraph": len(versus_ox),
        "worst_vs_oxigraph": sorted(versus_ox, key=lambda x: -x[1])[:5],
        "multi_join": len(versus_rdflib), "multi_join_10x": sum(1 for _, r in versus_rdflib if r >= 10),
        "slowest_rdflib_margin": sorted(versus_rdflib, key=lambda x: x[1])[:5],
        "rdflib_vs_ours_geomean_multi_join": geomean([r for _, r in versus_rdflib]),
        "http_overhead_median": median(overhead), "http_overhead_p95": p95(overhead),
    }


def render(results: dict) -> str:
    """The Markdown tables of part 1: one per concurrency level, a row per query."""
    parts = []
    peers = [p for p in PEERS if any(p in e["peers"] for e in results["queries"].values())]
    for level in results["plan"]["levels"]:
        header = ["query", "rows", "joins"] + (["floor ms"] if level == 1 else [])
        for peer in peers:
            header += [f"{peer} med ms", f"{peer} p95 ms"] + ([] if level == 1 else [f"{peer} q/s"])
        header += ["ours / oxigraph", "rdflib / ours"]
        rows = []
        for name, entry in results["queries"].items():
            row = [f"`{name}`", _rows(entry), f"{entry['patterns']}{'*' if entry['multi_join'] else ''}"]
            if level == 1:
                row.append(ms(entry["floor"]["median"]))
            for peer in peers:
                cell = _level(entry, peer, level)
                problem = entry["peers"].get(peer, {}).get("error") or cell.get("skipped")
                if problem or not cell.get("n"):
                    row += ["n/a"] + ["" for _ in range(1 if level == 1 else 2)]
                    continue
                row += [ms(cell["median"]), ms(cell["p95"])] + ([] if level == 1 else [f"{cell['throughput']:.0f}"])
            row.append(times(ratio(_level(entry, "ours", level).get("median"),
                                   _level(entry, "oxigraph", level).get("median"))))
            row.append(times(ratio(_level(entry, "rdflib-endpoint", level).get("median"),
                                   _level(entry, "ours", level).get("median"))))
            rows.append(row)
        parts.append(f"#### {level} concurrent client{'s' if level > 1 else ''}\n\n" + table(header, rows))
    problems = [f"- `{name}` on {peer}: {info['error'] or 'rows differ'}"
                for name, entry in results["queries"].items() for peer, info in entry["peers"].items()
                if info["error"] or (info["rows"] is not None and info["rows"] != entry["floor"]["rows"])]
    skipped = sorted({f"- `{name}` on {peer} at {lvl} clients: {cell['skipped']}"
                      for name, entry in results["queries"].items() for peer, info in entry["peers"].items()
                      for lvl, cell in info["levels"].items() if cell.get("skipped")})
    if problems:
        parts.append("Answers that failed or differ from the floor's row count:\n\n" + "\n".join(problems))
    if skipped:
        parts.append("Levels not measured (bounded run):\n\n" + "\n".join(skipped))
    return "\n\n".join(parts)


def _rows(entry: dict) -> str:
    rows = entry["floor"]["rows"]
    truncated = entry["peers"].get("ours", {}).get("truncated")
    return f"{rows}{' (capped)' if truncated else ''}"
