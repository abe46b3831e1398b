"""Assemble docs/benchmarks.md from the results of one run."""

from __future__ import annotations

from . import endpoints, report
from .report import _get, build_total
from .stats import mib, ms, secs, table, times

GIB = 2**30


def targets(results: dict) -> list[list[str]]:
    """[target, measured, verdict] for every target of the issue that this run measured."""
    rows = []
    ep = results.get("endpoints")
    if ep:
        s = endpoints.summary(ep)
        rows.append(["Real graph: our /sparql median per query within 1.5× of Oxigraph server's (1 client)",
                     f"{s['within_1_5x_of_oxigraph']} of {s['compared_with_oxigraph']} queries; geometric mean "
                     f"{times(s['ours_vs_oxigraph_geomean'])}; worst {_pairs(s['worst_vs_oxigraph'][:3])}",
                     _verdict(s["within_1_5x_of_oxigraph"] == s["compared_with_oxigraph"] > 0)])
        rows.append(["Real graph: ≥ 10× faster than rdflib-endpoint on multi-join queries (1 client)",
                     f"{s['multi_join_10x']} of {s['multi_join']} multi-join queries (≥ {endpoints.MULTI_JOIN} triple "
                     f"patterns); geometric mean {times(s['rdflib_vs_ours_geomean_multi_join'])}; smallest margins "
                     f"{_pairs(s['slowest_rdflib_margin'][:3])}",
                     _verdict(s["multi_join_10x"] == s["multi_join"] > 0)])
        rows.append(["HTTP overhead of our endpoint (ours − in-process floor) under 1 ms median, small results",
                     f"median {ms(s['http_overhead_median'])} ms, p95 {ms(s['http_overhead_p95'])} ms over the "
                     f"queries with ≤ {endpoints.SMALL_RESULT} rows",
                     _verdict(s["http_overhead_median"] is not None and s["http_overhead_median"] < 0.001)])
    cli = results.get("cli_build")
    if cli:
        rows.append(["Real graph: build plus validation under 5 s (`cpsgraph build`, wall, process start included)",
                     f"median {secs(cli.get('median'))} s of {len(cli.get('seconds', []))} runs" if "failed" not in cli
                     else f"failed: {cli['failed'][:200]}",
                     _verdict(cli.get("median") is not None and cli["median"] < 5)])
    growth = results.get("growth")
    if growth and growth["sizes"]:
        big = growth["sizes"][-1]
        size = f"{(_get(big, 'build', 'public_triples') or 0) / 1000:.0f}k triples"
        with_pyshacl, with_sparql = build_total(big.get("build", {}), "pyshacl"), build_total(big.get("build", {}), "sparql")
        stopped = _get(big, "build", "pyshacl", "stopped_after")
        rows.append([f"Largest graph ({size}): build plus validation under 2 min",
                     f"{secs(with_sparql)} s with the build's SPARQL gate; "
                     + (f"with pyshacl instead {secs(with_pyshacl)} s" if with_pyshacl else
                        f"with pyshacl instead > {secs(stopped)} s (stopped at its limit)" if stopped else "–"),
                     _verdict(with_sparql is not None and with_sparql < 120)])
        rss = _get(big, "server", "memory_after_mix", "rss")
        pss = _get(big, "server", "memory_after_mix", "pss")
        disk = _get(big, "server_on_disk", "memory_after_mix", "rss")
        rows.append([f"Largest graph ({size}): server RSS under 1.5 GB",
                     f"RSS {mib(rss)} MiB (PSS {mib(pss)} MiB), server and its query workers"
                     + (f"; on-disk store: RSS {mib(disk)} MiB" if disk else ""),
                     _verdict(rss is not None and rss < 1.5e9)])
        for key, whose in (("resource", "the most connected actor"), ("resource-other", "a least connected person")):
            page = _get(big, "server", "pages", "pages", key) or {}
            rows.append([f"Largest graph ({size}): resource pages under 100 ms median ({whose})",
                         f"whole page {ms(page.get('total'))} ms (TTFB {ms(page.get('ttfb'))} ms; first request after "
                         f"start {secs(page.get('cold'))} s)" if "ttfb" in page else "not measured: no resource page",
                         _verdict(page["total"] < 0.1) if "ttfb" in page else "not measured"])
        net = _get(big, "server", "pages", "pages", "network") or {}
        proxy = report._ego(big)
        rows.append([f"Largest graph ({size}): network page of the most connected actor under 300 ms",
                     f"page {ms(net.get('total'))} ms ({net.get('bytes', 0) / 2**20:.1f} MiB; hub with "
                     f"{_get(big, 'network', 'hub_neighbours')} neighbours; in-process ego network + JSON "
                     f"{ms(proxy)} ms)" if "ttfb" in net else
                     f"no network page yet; in-process proxy (cpsgraph.network ego network of the hub, "
                     f"{_get(big, 'network', 'hub_neighbours')} neighbours, + JSON): {ms(proxy)} ms",
                     _verdict(net["total"] < 0.3) if "ttfb" in net else
                     f"proxy: {_verdict(proxy is not None and proxy < 0.3)}"])
        for label, factor, overall in report.linear_verdicts(growth):
            rows.append([f"Growth no worse than linear: {label}",
                         f"worst step {times(factor)} per tenfold; smallest to largest {times(overall)} per tenfold",
                         _verdict(factor is not None and factor <= report.LINEAR_SLACK)])
    return rows


def _pairs(pairs) -> str:
    return ", ".join(f"`{name}` {times(value)}" for name, value in pairs) or "–"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def machine_text(machine: dict, end: dict) -> str:
    v = machine["versions"]
    shared = machine["load_average"][0] / machine["nproc"] > 0.5 or end["load_average"][0] / machine["nproc"] > 0.5
    return "\n".join([
        f"- Date: {machine['date']} (finished {end['date']})",
        f"- Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['memory_total'] / GIB:.1f} GiB memory "
        f"({machine['memory_available'] / GIB:.1f} GiB available at the start), {machine['os']}",
        f"- Load average (1, 5, 15 min) at the start {_load(machine)}, at the end {_load(end)}"
        + (": **a shared machine**, other developers' work ran at the same time; absolute times are noisy, the "
           "ratios (peers taking turns in the same run) less so" if shared else ""),
        "- Software: " + ", ".join(f"{name} {version}" for name, version in v.items()),
        f"- Code: {machine['code']}",
        f"- Reproduce: `{machine['command'].strip()}` (from the repository root, with `pip install -e '.[bench]'`)",
    ])


def _load(snapshot: dict) -> str:
    return ", ".join(f"{x:.1f}" for x in snapshot["load_average"])


def markdown(results: dict, machine: dict, end: dict, quick: bool) -> str:
    parts = ["# Benchmarks", "",
             "Written by `python -m bench` (see `bench/README.md`); do not edit by hand." +
             (" **This is a quick run** (small sizes, few repetitions): it checks the harness, its figures are "
              "not the project's." if quick else ""),
             "", machine_text(machine, end), "", "## Targets", "",
             table(["target", "measured", "verdict"], targets(results), "lll")]
    if results.get("notes"):
        parts += ["", "## Findings and recommendations", "", results["notes"].strip()]
    if results.get("endpoints"):
        plan = results["endpoints"]["plan"]
        parts += ["", "## 1. Endpoints side by side (real graph)", "",
                  f"Each stored query of `queries/` with its parameters at their defaults, sent as a direct POST "
                  f"asking for SPARQL JSON results, by 1, 8 and 32 concurrent keep-alive clients over loopback; "
                  f"{plan['rounds']} rounds in which the peers take turns (the order rotates), each batch "
                  f"{plan['budget']:g} s (every client sends at least once, at most {plan['max_requests']} requests). "
                  "Ours: `cpsgraph serve` with its default settings (waitress, 8 threads, 2 query worker processes, "
                  "data in memory). Oxigraph: `oxigraph load` then `oxigraph serve-read-only --union-default-graph` "
                  "(RocksDB on disk). rdflib-endpoint: FastAPI under uvicorn over `Dataset(default_union=True)`. "
                  "Floor: the query on an in-memory pyoxigraph Store in the harness's process, results serialized "
                  "to SPARQL JSON. `joins`: triple patterns (path steps counted), `*` multi-join. The clients run "
                  "on the same two cores as the servers.", "",
                  report.endpoint_section(results["endpoints"])]
        parts += ["", "### Where our time goes (1 client, medians, ms)", "",
                  endpoints.render_overhead(results["endpoints"])]
        servers = results["endpoints"].get("servers", {})
        if servers:
            parts += ["", "Servers after the run: " + "; ".join(
                f"{name} started in {secs(info['ready_seconds'])} s, RSS {mib(info['memory']['rss'])} MiB "
                f"(PSS {mib(info['memory']['pss'])} MiB, {info['memory']['processes']} processes)"
                for name, info in servers.items()) + "."]
    if results.get("growth"):
        growth = results["growth"]
        first, per_copy = growth["calibration"]
        parts += ["", "## 2. Growth", "",
                  f"`bench/generate.py` repeats the curated tables as if the Council had met many times (copy 0 is the "
                  f"real data: {first} data triples; each copy adds {per_copy}); the real `cpsgraph` mapping, "
                  "citation checks and SHACL shapes run on it. The build's phases are timed in a fresh process each "
                  f"(pyshacl stopped after {growth['plan']['pyshacl_limit']:g} s); our server is started on the public "
                  "TriG, its memory read with psutil (RSS summed over the server and its worker processes; PSS counts "
                  "shared pages once). 'per tenfold' is the factor a cost would grow by for a tenfold graph, from the "
                  "two sizes around it (10× is linear).", "", report.growth_tables(growth),
                  "", "### The SHACL gate and its alternatives", "",
                  "The build's gate is the shapes compiled to SPARQL (`cpsgraph.shacl_sparql`); pyshacl, the "
                  "reference, and its variants on the same mapped dataset, with their findings compared to "
                  "pyshacl's as (severity, focus node, shape):", "", report.alternatives_table(growth)]
        if results.get("equivalence"):
            parts += ["", "Do the SPARQL check and pyshacl find the same problems? On the real graph and on damaged "
                          "copies of it (2% of triples removed, objects moved between triples, ill-typed and "
                          "wrong-kind values added):", "", report.equivalence_text(results["equivalence"])]
        parts += ["", "## 3. Pages", "", report.pages_table(growth), "", "## Profile", "", report.profile_text(growth)]
    return "\n".join(parts) + "\n"
