"""Summaries of samples, and the formatting every table of the report shares."""

from __future__ import annotations

import math
import statistics


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: list[float]) -> float | None:
    """The 95th percentile by nearest rank (a value that was observed, never an interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b not in (None, 0) else None


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def per_tenfold(cost_small: float | None, cost_large: float | None, size_small: int, size_large: int) -> float | None:
    """How much the cost multiplies when the size grows tenfold, from two measurements at any two sizes
    (power law between them): 10 means linear, 1 constant, 100 quadratic."""
    if not cost_small or not cost_large or size_large <= size_small or cost_small <= 0:
        return None
    exponent = math.log(cost_large / cost_small) / math.log(size_large / size_small)
    return 10 ** exponent


def ms(seconds: float | None, digits: int | None = None) -> str:
    """Seconds as milliseconds with sensible precision; '–' for nothing."""
    if seconds is None:
        return "–"
    value = seconds * 1000
    if digits is None:
        digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f}"


def secs(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}" if seconds < 100 else f"{seconds:.0f}"


def times(value: float | None) -> str:
    """A ratio as '1.23×'."""
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def mib(nbytes: int | None) -> str:
    return "–" if nbytes is None else f"{nbytes / 2**20:.0f}"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; `align` is one letter per column, l or r (default: first left, others right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
