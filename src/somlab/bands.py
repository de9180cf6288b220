"""Median and 5-95 % band of a figure over simulation runs."""

from __future__ import annotations

from typing import Any

import numpy as np


def band(
    values: Any, median: str = "median", stem: str = "", axis: int | None = None
) -> dict[str, Any]:
    """``{median: median, stem+"p05": 5th percentile, stem+"p95": 95th percentile}`` of the values;
    floats over all values, or arrays along ``axis``."""
    low, mid, high = (
        np.percentile(values, 5, axis=axis),
        np.median(values, axis=axis),
        np.percentile(values, 95, axis=axis),
    )
    if axis is None:
        low, mid, high = float(low), float(mid), float(high)
    return {median: mid, f"{stem}p05": low, f"{stem}p95": high}
