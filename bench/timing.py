"""The one timing rule of the benchmarks: the median wall time of repeated runs."""

from __future__ import annotations

import statistics
import time


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
