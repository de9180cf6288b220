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
    raise BackendUnavailable(
        f"the reference model runs on numpy, cupy (run) and jax (run_jax), not {backend!r}"
    )


def run(n: int, steps: int, seed: int = 1, backend: str = "numpy") -> tuple[int, np.ndarray]:
    """Deaths and final prices after ``steps`` steps of ``n`` agents (numpy or CuPy). Prices stay
    on the device, so a GPU run never waits for the host."""
    xp = _array_module(backend)
    if xp is not np:
        return _run_cupy(xp, n, steps, seed)
    rng = np.random.default_rng(seed)
    death = DEATH.astype(np.float32)
    attempts = np.zeros(n, dtype=np.int32)
    price = PRICE0.copy()
    deaths = 0
    for _ in range(steps):
        cumulative = np.cumsum(choice_weights(price))
        u = rng.random(n, dtype=np.float32)
        route = pick(np, cumulative, u)
        died = rng.random(n, dtype=np.float32) < np.take(death, route)
        deaths = deaths + np.sum(died)
        attempts = np.where(died, 0, attempts + 1)  # the dead are replaced by newcomers
        price = update_price(price, np.bincount(route, minlength=len(PRICE0)).astype(float), n)
    return int(deaths), np.asarray(price, dtype=float)


# One step's agent work on a GPU, fused into one pass: the route each draw picks (boundaries
# below it), death on it, the attempts counter, and a code route x 2 + died that one counting
# pass (backend.DeviceCounts) turns into deaths and agents per route.
_STEP = (
    "float32 u, float32 v, raw float32 bounds, int32 n_bounds, raw float32 death",
    "int32 attempts, int32 code",
    """int route = 0;
         for (int k = 0; k < n_bounds; ++k) route += u >= bounds[k];
         const bool died = v < death[route];
         attempts = died ? 0 : attempts + 1;
         code = 2 * route + died;""",
)


def _run_cupy(cp, n: int, steps: int, seed: int) -> tuple[int, np.ndarray]:
    """The same model on CuPy: per step, two kernels over the agents (the draws), one fused
    kernel and one counting pass; the routes' few numbers stay on the device."""
    from somlab.sim.backend import DeviceCounts

    step = cp.ElementwiseKernel(*_STEP, "somlab_reference_step")
    counts = DeviceCounts(cp)
    routes = len(PRICE0)
    rng = cp.random.default_rng(seed)
    death = cp.asarray(DEATH.astype(np.float32))
    attempts = cp.zeros(n, dtype=cp.int32)
    code = cp.empty(n, dtype=cp.int32)
    price = cp.asarray(PRICE0)
    deaths = cp.zeros((), dtype=cp.int64)
    for _ in range(steps):
        cumulative = cp.cumsum(choice_weights(price, cp))
        bounds = (cumulative[:-1] / cumulative[-1]).astype(np.float32)
        u = rng.random(n, dtype=cp.float32)
        v = rng.random(n, dtype=cp.float32)
        step(u, v, bounds, np.int32(routes - 1), death, attempts, code)
        per_route = counts(code[None, :], 2 * routes).reshape(routes, 2)
        deaths = deaths + per_route[:, 1].sum()
        price = update_price(price, per_route.sum(axis=1).astype(float), n, cp)
    return int(deaths), cp.asnumpy(price).astype(float)


def run_jax(n: int, steps: int, seed: int = 1) -> tuple[int, np.ndarray]:
    """The same model in JAX: one month is a jitted function, the run a ``lax.scan``."""
    try:
        jax = importlib.import_module("jax")
    except ImportError as exc:
        raise BackendUnavailable(
            f"backend 'jax' is not installed ({exc}); install jax (jax[cuda12] for a GPU)"
        ) from exc
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
        return (
            key,
            update_price(price, counts, n, jnp),
            attempts,
            deaths + jnp.sum(died, dtype=jnp.int32),
        ), None

    @jax.jit
    def program(key):
        start = (
            key,
            jnp.asarray(PRICE0, dtype=jnp.float32),
            jnp.zeros(n, dtype=jnp.int32),
            jnp.zeros((), dtype=jnp.int32),
        )
        (_, price, _, deaths), _ = jax.lax.scan(month, start, None, length=steps)
        return deaths, price

    _COMPILED[(n, steps)] = program
    return program
