"""docs/benchmarks.md: the targets and whether they are met, the tables, the machine and the command."""

from __future__ import annotations

from . import endpoints
from .stats import mib, ms, per_tenfold, secs, table, times

LINEAR_SLACK = 12.0   # "a tenfold graph costs at most about tenfold": up to 12x per tenfold passes


def _get(entry: dict, *keys, default=None):
    for key in keys:
        if not isinstance(entry, dict) or key not in entry or entry[key] is None:
            return default
        entry = entry[key]
    return entry


def build_total(build: dict, gate: str) -> float | None:
    """Seconds of the build's phases with the given SHACL engine: `sparql` (the build's) or `pyshacl` (its
    time in place of the gate's)."""
    phases = build.get("phases", {})
    if not phases or any(v is None for v in phases.values()):
        return None
    if gate == "sparql":
        return sum(phases.values())
    pyshacl = _get(build, "pyshacl", "seconds")
    return None if pyshacl is None else sum(phases.values()) - phases["validate"] + pyshacl


METRICS = [  # label, getter, formatter, whether the linear-growth target is about it
    ("public triples (data + ontology)", lambda e: _get(e, "build", "public_triples"), str, False),
    ("map tables → rdflib (s)", lambda e: _get(e, "build", "phases", "map"), secs, True),
    ("SHACL gate, SPARQL engine (the build's) (s)", lambda e: _get(e, "build", "phases", "validate"), secs, True),
    ("SHACL gate, pyshacl (s)", lambda e: _get(e, "build", "pyshacl", "seconds"), secs, True),
    ("render + write dumps (s)", lambda e: (_get(e, "build", "phases", "render") or 0) +
     (_get(e, "build", "phases", "write") or 0) or None, secs, True),
    ("build + validation, the build's SPARQL gate (s)", lambda e: build_total(e.get("build", {}), "sparql"), secs,
     True),
    ("build + validation, pyshacl instead (s)", lambda e: build_total(e.get("build", {}), "pyshacl"), secs, True),
    ("build peak RSS (MiB)", lambda e: _get(e, "build", "peak_rss_sampled"), mib, True),
    ("load TriG → pyoxigraph (s)", lambda e: _get(e, "load", "seconds"), secs, True),
    ("server start until it answers (s)", lambda e: _get(e, "server", "ready_seconds"), secs, False),
    ("server RSS, all processes (MiB)", lambda e: _get(e, "server", "memory_after_mix", "rss"), mib, True),
    ("server PSS, all processes (MiB)", lambda e: _get(e, "server", "memory_after_mix", "pss"), mib, False),
    ("query mix, sum of medians (ms)", lambda e: _mix_total(e.get("server", {})), ms, False),
    ("network: build once (s)", lambda e: _get(e, "network", "build"), secs, False),
    ("network: hub's view (capped as its page) + JSON (ms)", lambda e: _ego(e), ms, False),
    ("network: hub's whole depth-1 view + JSON (ms)", lambda e: _ego({"network": _get(e, "network", "whole") or {}}),
     ms, False),
    ("network: hub's neighbours", lambda e: _get(e, "network", "hub_neighbours"), str, False),
]


def _mix_total(server: dict) -> float | None:
    values = [q.get("median") for q in server.get("mix", {}).values()]
    return None if not values or None in values else sum(values)


def _ego(entry: dict) -> float | None:
    ego, to_json = _get(entry, "network", "ego"), _get(entry, "network", "to_json")
    return None if ego is None or to_json is None else ego + to_json


def growth_tables(growth: dict) -> str:
    sizes = growth["sizes"]
    counts = [_get(e, "build", "public_triples") for e in sizes]
    header = ["", *[f"{c / 1000:.0f}k triples" if c else "–" for c in counts]]
    header += [f"per tenfold {i + 1}→{i + 2}" for i in range(len(sizes) - 1)]
    rows = []
    for label, getter, fmt, _ in METRICS:
        values = [getter(e) for e in sizes]
        row = [label, *[fmt(v) if v is not None else _why(e, label) for v, e in zip(values, sizes)]]
        for i in range(len(sizes) - 1):
            row.append(times(per_tenfold(values[i], values[i + 1], counts[i] or 0, counts[i + 1] or 0))
                       if label != METRICS[0][0] else "")
        rows.append(row)
    parts = [table(header, rows)]
    mix_header = ["query of the mix", *header[1:len(sizes) + 1]]
    mix_rows = []
    for name in growth["plan"]["queries"]:
        cells = []
        for entry in sizes:
            q = _get(entry, "server", "mix", name) or {}
            cells.append("n/a" if not q.get("median") else
                         f"{ms(q['median'])} ({q.get('rows')} rows{', capped' if q.get('truncated') else ''})")
        mix_rows.append([f"`{name}`", *cells])
    parts.append("Median latency of each query of the mix (ms, one client, HTTP):\n\n" + table(mix_header, mix_rows))
    disk = [e for e in sizes if e.get("server_on_disk")]
    if disk:
        e = disk[-1]
        d = e["server_on_disk"]
        parts.append(f"The largest graph served from an on-disk store (`CPS_STORE_DIR`, every worker opens it "
                     f"read-only) instead of in memory: RSS {mib(_get(d, 'memory_after_mix', 'rss'))} MiB, PSS "
                     f"{mib(_get(d, 'memory_after_mix', 'pss'))} MiB (in memory: "
                     f"{mib(_get(e, 'server', 'memory_after_mix', 'rss'))} / "
                     f"{mib(_get(e, 'server', 'memory_after_mix', 'pss'))} MiB); start {secs(d.get('ready_seconds'))} s; "
                     f"query mix {ms(_mix_total(d))} ms (in memory {ms(_mix_total(e['server']))} ms).")
    return "\n\n".join(parts)


def _why(entry: dict, label: str) -> str:
    if "pyshacl" in label and _get(entry, "build", "pyshacl", "stopped_after"):
        return f"> {entry['build']['pyshacl']['stopped_after']:g} (stopped)"
    if _get(entry, "build", "failed"):
        return "failed"
    return "–"


def alternatives_table(growth: dict) -> str:
    names = ["pyshacl (the reference)", "sparql-oxigraph", "pyshacl-no-advanced", "pyshacl-data-only",
             "pyshacl-no-sparql"]
    header = ["SHACL gate", *[f"{(_get(e, 'build', 'public_triples') or 0) / 1000:.0f}k: s (same findings?)"
                              for e in growth["sizes"]]]
    rows = []
    for name in names:
        cells = []
        for entry in growth["sizes"]:
            if name.startswith("pyshacl ("):
                seconds = _get(entry, "build", "pyshacl", "seconds")
                cells.append(secs(seconds) if seconds is not None else _why(entry, "pyshacl"))
                continue
            alt = _get(entry, "build", "alternatives", name)
            if not alt:
                cells.append("not run")
                continue
            same = alt.get("same_as_pyshacl")
            cells.append(f"{secs(alt['seconds'])} ({'yes' if same else 'no' if same is False else 'n/a'})")
        rows.append([name, *cells])
    return table(header, rows)


def equivalence_text(result: dict) -> str:
    if not result or "failed" in result:
        return f"The equivalence check did not run: {result.get('failed') if result else 'not asked'}."
    lines = []
    for case in result["cases"]:
        what = "the real graph" if case["seed"] is None else f"damaged copy, seed {case['seed']}"
        if "pyshacl_error" in case:
            lines.append(f"- {what}: SPARQL check {case['sparql']} findings; pyshacl stopped with "
                         f"`{case['pyshacl_error'][:160]}`")
            continue
        differ = ""
        if case["only_pyshacl"] or case["only_sparql"]:
            differ = (f"; only pyshacl: {case['only_pyshacl'][:2]}; only the SPARQL check: "
                      f"{[tuple(x) for x in case['only_sparql'][:2]]}")
        lines.append(f"- {what}: pyshacl {case['pyshacl']} findings in {secs(case['pyshacl_seconds'])} s, SPARQL check "
                     f"{case['sparql']} in {secs(case['sparql_seconds'])} s, {case['agree']} in common{differ}")
    return "\n".join(lines)


def pages_table(growth: dict) -> str:
    chosen = [e for e in growth["sizes"] if _get(e, "server", "pages")]
    if not chosen:
        return "No page measurements (the server did not run)."
    chosen = [chosen[0], chosen[-1]] if len(chosen) > 1 else chosen
    header = ["page", *[f"{(_get(e, 'build', 'public_triples') or 0) / 1000:.0f}k triples: TTFB median / p95 ms "
                        f"(first request; size)" for e in chosen]]
    rows, missing = [], {}
    labels = {"home": "home", "resource": "resource page of the most connected actor",
              "resource-other": "resource page of a least connected person",
              "network": "network of the most connected actor", "path": "paths between the two"}
    for page in labels:
        cells = []
        for entry in chosen:
            info = entry["server"]["pages"]["pages"].get(page, {})
            if "missing" in info:
                missing[page] = info["missing"]
                cells.append("no page yet")
            else:
                cells.append(f"{ms(info.get('ttfb'))} / {ms(info.get('ttfb_p95'))} (first {ms(info.get('cold'))}; "
                             f"{info.get('bytes', 0) / 1024:.0f} KiB)")
        rows.append([labels[page], *cells])
    rows.append(["path query over /sparql (`path-between-actors`, the same two)",
                 *[f"{ms(_get(e, 'server', 'pages', 'path_query', 'ttfb'))} / "
                   f"{ms(_get(e, 'server', 'pages', 'path_query', 'ttfb_p95'))}" for e in chosen]])
    rows.append(["network proxy: hub's view (capped as its page) + JSON in-process", *[ms(_ego(e)) for e in chosen]])
    text = table(header, rows)
    if missing:
        text += "\n\nRoutes tried (none answered 200 with HTML):\n\n" + "\n".join(
            f"- {page}: {', '.join(tried)}" for page, tried in missing.items())
    return text


def endpoint_section(results: dict) -> str:
    return endpoints.render(results)


def profile_text(growth: dict) -> str:
    for entry in growth["sizes"]:
        prof = entry.get("profile")
        if prof and "gate" in prof:
            size = (_get(entry, "build", "public_triples") or 0) / 1000
            parts = []
            for key, what in (("build_without_gate", "`cpsgraph.build.build(validate=False)`: mapping and dumps"),
                              ("gate", "pyshacl on the same dataset, `validate_dataset(engine=\"pyshacl\")`")):
                p = prof[key]
                parts.append(f"{what} at {size:.0f}k triples, {secs(p['wall'])} s under the profiler. By own time:"
                             f"\n\n```\n{_cut(p['tottime'])}\n```\n\nBy cumulative time:\n\n```\n"
                             f"{_cut(p['cumulative'])}\n```")
            return "cProfile of " + "\n\ncProfile of ".join(parts)
    return "No profile was taken."


def _cut(text: str, lines: int = 34) -> str:
    """A pstats listing without its preamble, at most `lines` lines."""
    body = text.strip().splitlines()
    start = next((i for i, line in enumerate(body) if line.strip().startswith("ncalls")), 0)
    return "\n".join(body[start:start + lines])


def linear_verdicts(growth: dict) -> list[tuple[str, float | None, float | None]]:
    """(metric, the worst step's factor per tenfold, the factor per tenfold from the first size to the last)."""
    sizes = growth["sizes"]
    counts = [_get(e, "build", "public_triples") or 0 for e in sizes]
    verdicts = []
    for label, getter, _, linear in METRICS:
        if not linear or len(sizes) < 2:
            continue
        values = [getter(e) for e in sizes]
        steps = [per_tenfold(values[i], values[i + 1], counts[i], counts[i + 1]) for i in range(len(sizes) - 1)]
        steps = [s for s in steps if s is not None]
        measured = [(v, n) for v, n in zip(values, counts) if v is not None]
        overall = per_tenfold(measured[0][0], measured[-1][0], measured[0][1], measured[-1][1]) \
            if len(measured) > 1 else None
        verdicts.append((label, max(steps) if steps else None, overall))
    return verdicts


__all__ = ["growth_tables", "alternatives_table", "equivalence_text", "pages_table", "endpoint_section",
           "profile_text", "linear_verdicts", "build_total", "LINEAR_SLACK", "times"]
