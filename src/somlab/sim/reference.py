"""The reference model of the benchmark, written with somlab's array core.

N migrants choose among 5 routes by a logit on price and death risk (cumulative weights), die
with the route's probability and are replaced, and each route's price adjusts to demand; the
same model as the Mesa version in bench/bench_sim.py (research/abm.md, section 2).

``run`` works on numpy and CuPy (array API); ``run_jax`` is the JAX version: the step is a jitted
function and the run a ``lax.scan``, so the whole run is one compiled program.
"""

from __future__ import annotations

import importlib

import numpy as np

from somlab.sim.backend import BackendUnavailable

DEATH = np.array([0.0005, 0.002, 0.005, 0.01, 0.02])
PRICE0 = np.array([5000.0, 3000.0, 2000.0, 1200.0, 800.0])
PRICE_SENSITIVITY = 1.0 / 1000.0
RISK_AVERSION = 100.0
PRICE_ADJUSTMENT = 0.05


def choice_weights(price: np.ndarray, xp=np) -> np.ndarray:
    utility = -PRICE_SENSITIVITY * price - RISK_AVERSION * xp.asarray(DEATH, dtype=price.dtype)
    weights = xp.exp(utility - utility.max())
    return weights / weights.sum()


def update_price(price: np.ndarray, counts: np.ndarray, n: int, xp=np) -> np.ndarray:
    capacity = n / len(PRICE0)
    return xp.clip(price * (1.0 + PRICE_ADJUSTMENT * (counts / capacity - 1.0)), 100.0, 20000.0)


def pick(xp, cumulative, u):
    """The route whose cumulative-weight interval holds each uniform draw. With a handful of
    routes, counting the boundaries below each draw is about ten times faster than a binary
    search (searchsorted) over the same boundaries."""
    bounds = (cumulative[:-1] / cumulative[-1]).astype(np.float32)
    route = xp.astype(u >= bounds[0], xp.int32)
    for k in range(1, bounds.shape[0]):
        route = route + xp.astype(u >= bounds[k], xp.int32)
    return route


def _array_module(backend: str):
    if backend == "numpy":
        return np
    if backend == "cupy":
        try:
            cp = importlib.import_module("cupy")
            cp.cuda.runtime.getDeviceCount()
            return cp
        except Exception as exc:
            raise BackendUnavailable(f"backend 'cupy' is not usable here ({exc})") from exc
    raise BackendUnavailable(f"the reference model runs on numpy, cupy (run) and jax (run_jax), not {backend!r}")


def run(n: int, steps: int, seed: int = 1, backend: str = "numpy") -> tuple[int, np.ndarray]:
    """Deaths and final prices after ``steps`` steps of ``n`` agents (numpy or CuPy). Prices stay
    on the device, so a GPU run never waits for the host."""
    xp = _array_module(backend)
    rng = xp.random.default_rng(seed)
    death = xp.asarray(DEATH.astype(np.float32))
    attempts = xp.zeros(n, dtype=xp.int32)
    price = xp.asarray(PRICE0)
    deaths = xp.zeros((), dtype=xp.int64)
    for _ in range(steps):
        cumulative = xp.cumsum(choice_weights(price, xp))
        u = rng.random(n, dtype=xp.float32)
        route = pick(xp, cumulative, u)
        died = rng.random(n, dtype=xp.float32) < xp.take(death, route)
        deaths = deaths + xp.sum(died)
        attempts = xp.where(died, 0, attempts + 1)  # the dead are replaced by newcomers
        price = update_price(price, _route_counts(xp, cumulative, u, route, n), n, xp)
    return int(deaths), np.asarray(price.get() if backend == "cupy" else price, dtype=float)


def _route_counts(xp, cumulative, u, route, n: int):
    """Agents per route. On the host a bincount; on a GPU, where a bincount into five bins
    serialises on atomic adds, differences of counts of draws past each boundary (reductions)."""
    if xp is np:
        return np.bincount(route, minlength=len(PRICE0)).astype(float)
    bounds = (cumulative[:-1] / cumulative[-1]).astype(np.float32)
    at_least = xp.stack([xp.asarray(float(n))] + [xp.sum(u >= bounds[k]).astype(float) for k in range(bounds.shape[0])])
    return at_least - xp.concatenate([at_least[1:], xp.zeros(1)])


def run_jax(n: int, steps: int, seed: int = 1) -> tuple[int, np.ndarray]:
    """The same model in JAX: one month is a jitted function, the run a ``lax.scan``."""
    try:
        jax = importlib.import_module("jax")
    except ImportError as exc:
        raise BackendUnavailable(f"backend 'jax' is not installed ({exc}); install jax (jax[cuda12] for a GPU)") from exc
    deaths, price = _jax_program(jax, n, steps)(jax.random.PRNGKey(seed))
    return int(deaths), np.asarray(price, dtype=float)


_COMPILED: dict = {}


def _jax_program(jax, n: int, steps: int):
    if (n, steps) in _COMPILED:
        return _COMPILED[(n, steps)]
    jnp = jax.numpy
    death = jnp.asarray(DEATH, dtype=jnp.float32)

    def month(carry, _):
        key, price, attempts, deaths = carry
        key, k_route, k_death = jax.random.split(key, 3)
        cumulative = jnp.cumsum(choice_weights(price, jnp))
        bounds = cumulative[:-1] / cumulative[-1]
        u = jax.random.uniform(k_route, (n,), dtype=jnp.float32)
        route = jnp.sum(u[:, None] >= bounds[None, :], axis=1, dtype=jnp.int32)
        died = jax.random.uniform(k_death, (n,), dtype=jnp.float32) < death[route]
        attempts = jnp.where(died, 0, attempts + 1)
        above = jnp.sum(u[:, None] >= bounds[None, :], axis=0, dtype=jnp.int32).astype(jnp.float32)
        at_least = jnp.concatenate([jnp.array([n], dtype=jnp.float32), above])
        counts = at_least - jnp.concatenate([at_least[1:], jnp.zeros(1, dtype=jnp.float32)])
        return (key, update_price(price, counts, n, jnp), attempts, deaths + jnp.sum(died, dtype=jnp.int32)), None

    @jax.jit
    def program(key):
        start = (key, jnp.asarray(PRICE0, dtype=jnp.float32), jnp.zeros(n, dtype=jnp.int32), jnp.zeros((), dtype=jnp.int32))
        (_, price, _, deaths), _ = jax.lax.scan(month, start, None, length=steps)
        return deaths, price

    _COMPILED[(n, steps)] = program
    return program
