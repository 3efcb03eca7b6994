"""Percentiles and summaries of latency samples."""

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Returns the nearest-rank `q`th percentile (0 < q <= 100) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    """Returns count, mean, min, p50, p90, p99 and max of `values`."""
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "mean": sum(values) / len(values),
        "min": min(values),
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p99": percentile(values, 99),
        "max": max(values),
    }
