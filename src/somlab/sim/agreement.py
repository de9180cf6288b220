"""Do two sets of runs come from the same distribution? Equal means of run totals, within a
tolerance set by the run-to-run spread: the difference of the means, in standard errors of that
difference. Used to check that the backends (numpy, CuPy, JAX) give the same outcomes."""

from __future__ import annotations

import numpy as np

TOLERANCE = 4.0  # standard errors of the difference of two means


def z_score(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return float(abs(a.mean() - b.mean()) / max(se, 1e-12))


def agree(a, b, tolerance: float = TOLERANCE) -> tuple[bool, float]:
    z = z_score(a, b)
    return z <= tolerance, z
