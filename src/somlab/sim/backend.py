"""Array backends: numpy by default, CuPy or JAX on request, imported only when asked for.

The model is written against the array API (``xp``) plus four operations the standard leaves
out or that differ between libraries: random draws, bincount, writing into a subset of an
array (JAX arrays are immutable) and copying back to numpy.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

BACKENDS = ("numpy", "cupy", "jax")


class BackendUnavailable(RuntimeError):
    """The requested backend is not installed or has no usable device."""


@dataclass
class Backend:
    name: str
    xp: Any
    uniform: Callable[[tuple[int, ...]], Any]
    gumbel: Callable[[tuple[int, ...]], Any]
    normal: Callable[[tuple[int, ...]], Any]
    poisson: Callable[[float], int]
    bincount: Callable[..., Any]
    put: Callable[[Any, Any, Any], Any]
    to_numpy: Callable[[Any], np.ndarray]


def _numpy_like(name: str, xp: Any, seed: int) -> Backend:
    rng = xp.random.default_rng(seed)
    host = np.random.default_rng(seed)

    def put(arr, where, values):
        arr[where] = values
        return arr

    return Backend(
        name=name,
        xp=xp,
        uniform=lambda shape: rng.random(shape, dtype=xp.float32),
        gumbel=lambda shape: -xp.log(-xp.log(rng.random(shape, dtype=xp.float32) + 1e-12) + 1e-12),
        normal=lambda shape: rng.standard_normal(shape, dtype=xp.float32),
        poisson=lambda lam: int(host.poisson(max(lam, 0.0))),
        bincount=lambda idx, weights=None, minlength=0: xp.bincount(idx, weights=weights, minlength=minlength),
        put=put,
        to_numpy=(lambda a: np.asarray(a)) if name == "numpy" else (lambda a: xp.asnumpy(a)),
    )


def _jax(seed: int) -> Backend:
    jax = importlib.import_module("jax")
    jnp = importlib.import_module("jax.numpy")
    state = {"key": jax.random.PRNGKey(seed)}
    host = np.random.default_rng(seed)

    def next_key():
        state["key"], sub = jax.random.split(state["key"])
        return sub

    return Backend(
        name="jax",
        xp=jnp,
        uniform=lambda shape: jax.random.uniform(next_key(), shape, dtype=jnp.float32),
        gumbel=lambda shape: jax.random.gumbel(next_key(), shape, dtype=jnp.float32),
        normal=lambda shape: jax.random.normal(next_key(), shape, dtype=jnp.float32),
        poisson=lambda lam: int(host.poisson(max(lam, 0.0))),
        bincount=lambda idx, weights=None, minlength=0: jnp.bincount(idx, weights=weights, length=minlength),
        put=lambda arr, where, values: arr.at[where].set(values),
        to_numpy=lambda a: np.asarray(a),
    )


def make_backend(name: str = "numpy", seed: int = 0) -> Backend:
    """A backend by name, seeded. Raises BackendUnavailable with the install hint."""
    if name == "numpy":
        return _numpy_like("numpy", np, seed)
    if name == "cupy":
        try:
            cp = importlib.import_module("cupy")
            cp.cuda.runtime.getDeviceCount()
        except Exception as exc:  # ImportError, or CUDA runtime errors without a GPU
            raise BackendUnavailable(
                f"backend 'cupy' is not usable here ({exc}); install cupy-cuda12x on a machine with an NVIDIA GPU"
            ) from exc
        return _numpy_like("cupy", cp, seed)
    if name == "jax":
        try:
            return _jax(seed)
        except ImportError as exc:
            raise BackendUnavailable(f"backend 'jax' is not installed ({exc}); install jax (jax[cuda12] for a GPU)") from exc
    raise BackendUnavailable(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
