"""The query gate on hostile text, and where pyoxigraph's worker crashes (what the gate's limits are set below).

    python -m bench.gate                  # 1 MiB of each kind of hostile text through the gate: target < 100 ms
    python -m bench.gate --size 32768     # ... at another size
    python -m bench.gate --thresholds     # the smallest count of each construct that crashes pyoxigraph (slow)

The gate is `cpsgraph.store.guard.inspect_query`, all the web process does with a query's text before a
worker takes it (besides decoding the request). Each kind runs `--runs` times; the table shows the median and
the slowest run, and the result the gate gave. Thresholds: each construct repeated n times (doubling, then
bisection) in a fresh `python -c` process running pyoxigraph's Store.query in its main thread (8 MiB stack,
as the query workers), until the process dies of a signal; a time-out (20 s) ends the search without a crash.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from .stats import median, table

MIB = 1 << 20


def hostile(size: int) -> dict[str, str]:
    """`size` characters of each kind of text an attacker would send to make the gate slow."""
    def fill(unit: str, head: str = "SELECT * WHERE { ") -> str:
        return (head + unit * (size // len(unit) + 1))[:size]
    return {
        "unclosed quote": fill("x", 'SELECT * WHERE { ?s ?p "'),
        "unclosed long quote": fill("x'", "SELECT * WHERE { ?s ?p '''"),
        "quote pairs": fill("'' "),
        "deep brackets": fill("{"),
        "deep parentheses": fill("(", "SELECT * WHERE { FILTER"),
        "long name": fill("a", "SELECT * WHERE { ?s ?p ex:"),
        "dashed name": fill("a-"),
        "dotted name": fill("a."),
        "escapes": fill("\\u0041"),
        "name escapes": fill("\\.", "SELECT * WHERE { ?s ?p ex:a"),
        "short tokens": fill("?a "),
        "punctuation": fill("!+"),
        "comments": fill("#\n"),
        "IRI openings": fill("<a"),
        "long IRI": fill("a", "SELECT * WHERE { ?s ?p <http://"),
        "long comment then query": "#" + "x" * (size - 40) + "\nASK { ?s ?p ?o }",
    }


def run_gate(size: int, runs: int) -> list[list]:
    from cpsgraph.errors import CpsError
    from cpsgraph.store.guard import inspect_query

    rows = []
    for name, text in hostile(size).items():
        times, outcome = [], ""
        for _ in range(runs):
            started = time.perf_counter()
            try:
                outcome = inspect_query(text).form
            except CpsError as error:
                outcome = f"{error.status} {type(error).__name__}"
            times.append(time.perf_counter() - started)
        rows.append([name, len(text), f"{median(times) * 1000:.1f}", f"{max(times) * 1000:.1f}", outcome])
    return rows


CONSTRUCTS = {
    "FILTERs": lambda n: "SELECT * WHERE { ?s ?p ?o " + "FILTER(?o) " * n + "}",
    "BINDs": lambda n: "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + " }",
    "select expressions": lambda n: "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(n)) + " WHERE {}",
    "GRAPH blocks": lambda n: "SELECT * WHERE { " + " ".join(f"GRAPH <g:{i}> {{ }}" for i in range(n)) + " }",
    "MINUS blocks": lambda n: "SELECT * WHERE { " + "MINUS { } " * n + "}",
    "OPTIONALs": lambda n: "SELECT * WHERE { " + "OPTIONAL { } " * n + "}",
    "UNIONs": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ }"] * n) + " }",
    "path alternatives": lambda n: "SELECT * WHERE { ?s " + "|".join(["<p:p>"] * n) + " ?o }",
    "nested groups": lambda n: "SELECT * WHERE " + "{" * n + "}" * n,
    "nested parentheses": lambda n: "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "negations": lambda n: "SELECT * WHERE { FILTER(" + "!" * n + "true) }",
    "triple patterns": lambda n: "SELECT * WHERE { " + " ".join(f"<n:{i}> <p:p> ?o ." for i in range(n)) + " }",
}
ENGINE = ("import sys, pyoxigraph as ox\ns = ox.Store()\nr = s.query(sys.stdin.read())\n"
          "list(r) if not isinstance(r, bool) else r\n")


def crashes(text: str) -> str:
    """`crash`, `timeout` or `ok` for one query in a fresh pyoxigraph process."""
    try:
        done = subprocess.run([sys.executable, "-c", ENGINE], check=False, input=text, capture_output=True, text=True,
                              timeout=20)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "crash" if done.returncode < 0 else "ok"


def threshold(build) -> tuple[int, int | None, str]:
    """(largest n that ran, smallest n that crashed or None, how the search ended)."""
    ran, n = 0, 125
    while n <= 256_000:
        outcome = crashes(build(n))
        if outcome != "ok":
            break
        ran, n = n, n * 2
    else:
        return ran, None, "ok"
    if outcome == "timeout":
        return ran, None, f"timeout at {n}"
    low, high = ran, n
    while high - low > max(25, low // 20):
        middle = (low + high) // 2
        low, high = (low, middle) if crashes(build(middle)) == "crash" else (middle, high)
    return low, high, "crash"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=MIB, help="characters of each hostile text (1 MiB)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--thresholds", action="store_true", help="find where pyoxigraph crashes instead")
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.thresholds:
        rows = [[name, *threshold(build)] for name, build in CONSTRUCTS.items()]
        print(f"pyoxigraph crash thresholds (load average {load})\n")
        print(table(["construct", "largest that ran", "smallest that crashed", "search ended"], rows))
        return 0
    rows = run_gate(args.size, args.runs)
    slowest = max(float(row[3]) for row in rows)
    print(f"query gate on {args.size} characters of hostile text, {args.runs} runs each (load average {load})\n")
    print(table(["text", "characters", "median ms", "slowest ms", "answer"], rows))
    verdict = "met" if slowest < args.target_ms else "NOT met"
    print(f"\nslowest run {slowest:.1f} ms; target < {args.target_ms:.0f} ms: {verdict}")
    return 0 if slowest < args.target_ms else 1


if __name__ == "__main__":
    raise SystemExit(main())
