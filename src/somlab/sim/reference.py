"""The reference model of the benchmark, written with somlab's array core.

N migrants choose among 5 routes by a logit on price and death risk (cumulative weights), die
with the route's probability and are replaced, and each route's price adjusts to demand; the
same model as the Mesa version in bench/bench_sim.py (research/abm.md, section 2).
"""

from __future__ import annotations

import numpy as np

from somlab.sim.backend import make_backend

DEATH = np.array([0.0005, 0.002, 0.005, 0.01, 0.02])
PRICE0 = np.array([5000.0, 3000.0, 2000.0, 1200.0, 800.0])
PRICE_SENSITIVITY = 1.0 / 1000.0
RISK_AVERSION = 100.0
PRICE_ADJUSTMENT = 0.05


def choice_weights(price: np.ndarray) -> np.ndarray:
    utility = -PRICE_SENSITIVITY * price - RISK_AVERSION * DEATH
    weights = np.exp(utility - utility.max())
    return weights / weights.sum()


def update_price(price: np.ndarray, counts: np.ndarray, n: int) -> np.ndarray:
    capacity = n / len(price)
    return np.clip(price * (1.0 + PRICE_ADJUSTMENT * (counts / capacity - 1.0)), 100.0, 20000.0)


def pick(xp, cumulative: np.ndarray, u):
    """The route whose cumulative-weight interval holds each uniform draw. With a handful of
    routes, counting the boundaries below each draw is about ten times faster than a binary
    search (searchsorted) over the same boundaries."""
    bounds = (cumulative[:-1] / cumulative[-1]).astype(np.float32)
    route = xp.astype(u >= float(bounds[0]), xp.int32)
    for bound in bounds[1:]:
        route = route + xp.astype(u >= float(bound), xp.int32)
    return route


def run(n: int, steps: int, seed: int = 1, backend: str = "numpy") -> tuple[int, np.ndarray]:
    """Deaths and final prices after ``steps`` steps of ``n`` agents."""
    be = make_backend(backend, seed)
    xp = be.xp
    death = xp.asarray(DEATH.astype(np.float32))
    attempts = xp.zeros(n, dtype=xp.int32)
    price = PRICE0.copy()
    deaths = xp.zeros((), dtype=xp.int64)
    for _ in range(steps):
        route = pick(xp, np.cumsum(choice_weights(price)), be.uniform((n,)))
        died = be.uniform((n,)) < xp.take(death, route)
        deaths = deaths + xp.sum(died)
        attempts = xp.where(died, 0, attempts + 1)  # the dead are replaced by newcomers
        counts = be.to_numpy(be.bincount(route, minlength=len(PRICE0))).astype(float)
        price = update_price(price, counts, n)
    return int(be.to_numpy(deaths)), price
