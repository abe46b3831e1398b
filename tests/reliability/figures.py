"""The figures of docs/reliability.md: what each one is, the test that measures it, and how they are written.

The tests record their measurements with `Figures.record(name, value)`; at the end of the session they are
merged into FIGURES_FILE (build/reliability/figures.json, or $CPS_RELIABILITY_FIGURES), and

    python tests/reliability/figures.py                # rewrites the table in docs/reliability.md

renders the table from that file. Only names listed in CATALOGUE can be recorded, and the report's table has
one row per entry, so the report and the suite cannot drift apart unnoticed (test_report.py checks it).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"

# name: (what it is, unit, the test that measures it)
CATALOGUE = {
    "load.duration": ("Length of the load run", "s", "test_load.py"),
    "load.clients": ("Concurrent clients (SPARQLWrapper, API, Graph Store, pages)", "", "test_load.py"),
    "load.requests": ("Requests answered during the load run", "", "test_load.py"),
    "load.errors": ("Requests that failed (any status but 200, or no answer)", "", "test_load.py"),
    "load.throughput": ("Throughput", "req/s", "test_load.py"),
    "load.latency_p50": ("Latency, median, whole run", "ms", "test_load.py"),
    "load.latency_p95": ("Latency, 95th percentile, whole run", "ms", "test_load.py"),
    "load.latency_max": ("Latency, maximum, whole run", "ms", "test_load.py"),
    "load.browser_pages": ("Browser pages in the mix (0: the browser was not there)", "", "test_load.py"),
    "load.pathological_status": ("Status of the cross-product query", "", "test_load.py"),
    "load.pathological_seconds": ("Cross-product query: answer after", "s", "test_load.py"),
    "load.time_limit": ("Query time limit of the server under load", "s", "test_load.py"),
    "load.during_p50": ("Others' latency while it ran, median", "ms", "test_load.py"),
    "load.during_p95": ("Others' latency while it ran, 95th percentile", "ms", "test_load.py"),
    "load.during_max": ("Others' latency while it ran, maximum", "ms", "test_load.py"),
    "load.during_requests": ("Others' requests answered while it ran", "", "test_load.py"),
    "load.after_ms": ("First answer after the load ended", "ms", "test_load.py"),
    "hostile.schemathesis_cases": ("Schemathesis cases against /openapi.json", "", "test_schemathesis.py"),
    "hostile.hypothesis_cases": ("Hypothesis-generated requests to /sparql and /api/queries", "", "test_fuzz.py"),
    "hostile.server_errors": ("... answered 5xx (other than a time limit)", "", "test_fuzz.py"),
    "hostile.nesting_ms": ("Answer to 10 000 nested `{` (400)", "ms", "test_hostile_input.py"),
    "hostile.tokenize_1mb_ms": ("Reading a 1 MB query of `a-a-a-...` (was quadratic: 30 s for 80 kB)", "ms",
                                "test_hostile_input.py"),
    "never_out.probes": ("Queries and requests naming a loopback listener", "", "test_never_out.py"),
    "never_out.connections": ("Connections they made to it", "", "test_never_out.py"),
    "gate.corpus": ("Generated spellings of SERVICE, FROM and LOAD (case, escapes, comments, glued tokens, ...)", "",
                    "test_gate_glued_keywords.py"),
    "gate.corpus_passed": ("... of them the gate lets through (the words in names, strings, comments)", "",
                           "test_gate_glued_keywords.py"),
    "gate.corpus_connections": ("Connections they made to a canary (plain pyoxigraph, no sandbox)", "",
                                "test_gate_glued_keywords.py"),
    "gate.corpus_engine_requests": ("Spellings that reach the canary when the gate is skipped (each refused by it)",
                                    "", "test_gate_glued_keywords.py"),
    "gate.hostile_1mb_ms": ("Gate on 1 MiB of hostile text, slowest of 16 kinds (was 8 s for 32 kB)", "ms",
                            "test_gate_linear.py"),
    "gate.oversized_ms": ("16,000 FILTERs refused (400) after", "ms", "test_gate_oversized.py"),
    "gate.largest_allowed_binds": ("BINDs in the largest query the gate lets through, answered by a worker", "",
                                   "test_gate_oversized.py"),
    "never_leaked.needles": ("Restricted values searched for", "", "test_never_leaked.py"),
    "never_leaked.responses": ("Public responses searched", "", "test_never_leaked.py"),
    "never_leaked.megabytes": ("Public bytes searched", "MB", "test_never_leaked.py"),
    "never_leaked.hits": ("Restricted values found in them", "", "test_never_leaked.py"),
    "faults.store_triples_at_kill": ("On-disk store, kill -9 during a load: quads in it (the last complete graph)",
                                     "", "test_faults.py"),
    "faults.store_recovered_triples": ("... after the restart (that graph + 300 000 new)", "", "test_faults.py"),
    "faults.build_kills": ("`cpsgraph build` runs killed (kill -9) part-way", "", "test_faults.py"),
    "faults.build_kills_in_write": ("... of which while writing the release", "", "test_faults.py"),
    "faults.served_graph_changed": ("Times the served graph changed after a killed or failed build", "",
                                    "test_faults.py"),
    "faults.remote_down_ms": ("Remote store stopped: answer (503) after", "ms", "test_faults.py"),
    "faults.remote_recovery_ms": ("Remote store back: first 200 after it listens again", "ms", "test_faults.py"),
    "answers.two_doubled_growth_mb": ("Two 1 GB doubled-string answers at once (cut at 16 MiB): web process grew by",
                                      "MB", "test_answer_size.py"),
    "answers.unread_spill_mb": ("Two 8 MiB answers to clients that never read: held in temporary files", "MB",
                                "test_answer_size.py"),
    "answers.one_unread_client_spill_mb": ("One client, six 8 MiB answers it never reads: held in temporary files",
                                           "MB", "test_answer_size.py"),
    "answers.remote_cross_product_growth_mb": ("Remote cross product (cut at 4 MiB): web process grew by", "MB",
                                               "test_answer_size.py"),
    "fairness.page_while_held_ms": ("Page while two hostile clients keep the /sparql workers busy", "ms",
                                    "test_fairness.py"),
    "ops.shutdown_seconds": ("SIGTERM with a query in flight: exit 0 after", "s", "test_operations.py"),
    "ops.refused_after_sigterm_ms": ("SIGTERM: new connections refused after", "ms", "test_operations.py"),
    "connections.held_idle": ("Idle connections held open while new clients were served", "", "test_connections.py"),
    "connections.held_slow": ("... and connections dripping a header line every second", "", "test_connections.py"),
    "connections.new_requests_served": ("New clients' requests answered beside them (all 200)", "",
                                        "test_connections.py"),
    "connections.slowest_new_request_ms": ("... the slowest of them", "ms", "test_connections.py"),
    "connections.drain_requests": ("SIGTERM drain under 30 clients: requests sent", "", "test_connections.py"),
    "connections.drain_broken": ("... reset or cut (neither answered in full nor refused)", "",
                                 "test_connections.py"),
    "no_network.queries": ("Federated queries sent to a worker directly, past the gate", "",
                           "test_worker_no_network.py"),
    "no_network.connections": ("... connections they made to a loopback listener", "", "test_worker_no_network.py"),
    "memory.ceiling": ("Memory ceiling of a query in the test (`CPS_QUERY_MEMORY`)", "MiB", "test_worker_memory.py"),
    "memory.stopped_after": ("Cross product with ORDER BY: 503 (memory limit) after", "s", "test_worker_memory.py"),
    "memory.peak": ("... worker's resident memory when it was stopped", "MiB", "test_worker_memory.py"),
    "memory.others_answered": ("Other queries answered while it ran", "", "test_worker_memory.py"),
    "memory.default_peak": ("`cpsgraph serve` at the default 1024 MiB: worker's peak resident memory (then 503)",
                            "MiB", "test_worker_memory.py"),
    "memory.budget_peak": ("Two sorted cross products under a 320 MiB budget for all workers "
                           "(`CPS_QUERY_MEMORY_TOTAL`): their growth together when stopped", "MiB",
                           "test_worker_memory.py"),
    "release.recovered_after": ("Damaged data file restored: /readyz 200 again after", "s", "test_one_release.py"),
    "kill9.descendants": ("`cpsgraph serve` killed (kill -9) with a busy worker: processes it had started", "",
                          "test_kill_9.py"),
    "kill9.gone_after": ("... all of them gone after", "ms", "test_kill_9.py"),
}


def figures_file() -> Path:
    return Path(os.environ.get("CPS_RELIABILITY_FIGURES") or ROOT / "build" / "reliability" / "figures.json")


class Figures:
    """The measurements of one session, merged into the figures file at its end."""

    def __init__(self):
        self.values: dict[str, object] = {}

    def record(self, name: str, value) -> None:
        if name not in CATALOGUE:
            raise KeyError(f"{name} is not in figures.CATALOGUE: add it there (and to the report)")
        self.values[name] = round(value, 2) if isinstance(value, float) else value

    def save(self, path: Path | None = None) -> Path:
        path = path or figures_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        known.update(self.values)
        path.write_text(json.dumps(dict(sorted(known.items())), indent=1) + "\n", encoding="utf-8")
        return path


def table(values: dict) -> str:
    """The markdown table of the report: one row per catalogue entry, in catalogue order."""
    lines = ["| figure | value | measured by |", "|---|---:|---|"]
    for name, (what, unit, test) in CATALOGUE.items():
        value = values.get(name, "not measured")
        shown = f"{value} {unit}".strip() if value != "not measured" else value
        lines.append(f"| {what} | {shown} | `tests/reliability/{test}` |")
    return "\n".join(lines)


def render(report: Path = REPORT, source: Path | None = None) -> None:
    """Replace the table between the markers of `report` with the one made from the figures file."""
    values = json.loads((source or figures_file()).read_text(encoding="utf-8"))
    text = report.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    report.write_text(f"{head}{BEGIN}\n{table(values)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    render(source=Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"wrote the figures of {figures_file()} into {REPORT}")
