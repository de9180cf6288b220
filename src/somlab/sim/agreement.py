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


def route_draw_sample(runs: int, slots: int, n: int = 4, n_corr: int = 3, seed: int = 5) -> list:
    """Arguments of ``choice.route_draw(xp, n, n_corr)`` for ``runs`` x ``slots`` agent slots, as
    numpy arrays: made-up weights, fees and risks of the bundled scenario's order of magnitude
    (a third or so of the slots choose a route), to compare and time its compiled forms."""
    rng = np.random.default_rng(seed)
    shape = (runs, slots)
    slot_values = [
        rng.random(shape, dtype=np.float32),
        rng.random(shape) < 0.8,
        rng.integers(0, n_corr, shape).astype(np.int32),
        rng.gamma(2.0, 2.0, shape).astype(np.float32),
        rng.uniform(0, 3000, shape).astype(np.float32),
        rng.uniform(0, 1000, shape).astype(np.float32),
    ]
    weights = rng.random((runs, n_corr, n + 1), dtype=np.float32) * 0.2
    columns = [np.full((runs, 1), 500, dtype=np.float32)]
    for k in range(n_corr):
        wait, routes = weights[:, k, :1], weights[:, k, 1:]
        columns += [wait / (wait + routes.sum(axis=1, keepdims=True)), wait] + [
            routes[:, j : j + 1] for j in range(n)
        ]
    for _ in range(n):
        columns += [
            rng.uniform(0, 0.2, (runs, 1)).astype(np.float32),
            rng.uniform(500, 3000, (runs, 1)).astype(np.float32),
        ]
    return slot_values + columns
