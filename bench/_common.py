"""Shared helpers for the benchmark scripts (plain scripts that print their figures)."""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values):
    """(median, p95, p99) in milliseconds for a list of seconds."""
    return (
        statistics.median(values) * 1000,
        percentile(values, 0.95) * 1000,
        percentile(values, 0.99) * 1000,
    )
