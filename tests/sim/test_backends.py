"""numpy and each GPU backend give the same outcome distributions: equal means of run totals
within a tolerance set by the run-to-run spread (24 runs each, same seeds). Skipped, with the
reason, where a backend is not installed or has no device."""

from __future__ import annotations

import numpy as np
import pytest

from somlab.sim import ensemble, model, reference, settings
from somlab.sim.agreement import agree
from somlab.sim.backend import (
    BackendUnavailable,
    CupyBackend,
    DeviceSubset,
    NumpyBackend,
    check_backend,
)

from simkit import SMALL

RUNS = 24
OUTCOMES = ("departures", "arrivals", "interceptions", "boats", "waiting")


def _available(backend: str) -> str | None:
    try:
        if backend == "jax":
            import jax  # noqa: F401
        else:
            check_backend(backend)
    except (BackendUnavailable, ImportError) as exc:
        return str(exc)
    return None


def _totals(runs, name):
    return np.array([r[name].sum() for r in runs])


def test_agreement_rule_detects_a_shift():
    rng = np.random.default_rng(0)
    same = rng.normal(100, 5, (2, RUNS))
    assert agree(same[0], same[1])[0]
    assert not agree(same[0], same[1] + 10)[0]


@pytest.mark.skipif(_available("cupy") is not None, reason=f"CuPy: {_available('cupy')}")
def test_full_model_on_cupy_agrees_with_numpy(scenario):
    cpu = ensemble.run_ensemble(scenario, RUNS, 101, "numpy")
    gpu = ensemble.run_ensemble(scenario, RUNS, 101, "cupy")
    for name in OUTCOMES:
        ok, z = agree(_totals(cpu, name), _totals(gpu, name))
        assert ok, f"{name}: numpy and CuPy means differ by {z:.1f} standard errors"


@pytest.mark.skipif(_available("jax") is not None, reason=f"JAX: {_available('jax')}")
def test_reference_model_on_jax_agrees_with_numpy():
    cpu = np.array([reference.run(20_000, 40, seed)[0] for seed in range(1, RUNS + 1)], dtype=float)
    jax = np.array(
        [reference.run_jax(20_000, 40, seed)[0] for seed in range(1, RUNS + 1)], dtype=float
    )
    ok, z = agree(cpu, jax)
    assert ok, f"deaths: numpy and JAX means differ by {z:.1f} standard errors"


@pytest.mark.skipif(_available("cupy") is not None, reason=f"CuPy: {_available('cupy')}")
def test_reference_model_on_cupy_agrees_with_numpy():
    cpu = np.array([reference.run(20_000, 40, seed)[0] for seed in range(1, RUNS + 1)], dtype=float)
    gpu = np.array(
        [reference.run(20_000, 40, seed, "cupy")[0] for seed in range(1, RUNS + 1)], dtype=float
    )
    ok, z = agree(cpu, gpu)
    assert ok, f"deaths: numpy and CuPy means differ by {z:.1f} standard errors"


@pytest.mark.skipif(_available("cupy") is not None, reason=f"CuPy: {_available('cupy')}")
def test_device_counts_equal_bincount():
    import cupy

    from somlab.sim.backend import DeviceCounts

    rng = np.random.default_rng(4)
    counts = DeviceCounts(cupy)
    for rows, width, n in ((1, 1_000_003, 5), (7, 20_011, 60), (300, 517, 3)):
        code = rng.integers(-1, n + 2, (rows, width)).astype(np.int32)
        expected = np.stack([np.bincount(row[(row >= 0) & (row < n)], minlength=n) for row in code])
        assert np.array_equal(cupy.asnumpy(counts(cupy.asarray(code), n)), expected)


@pytest.mark.skipif(_available("cupy") is not None, reason=f"CuPy: {_available('cupy')}")
def test_fused_route_choice_equals_its_numpy_body():
    """The route choice compiled by cupy.fuse gives numpy's choices on the same inputs, but for
    the rare draw within a rounding error of an interval's end (exp and fused multiply-adds may
    differ by an ulp on the device)."""
    import cupy

    from somlab.sim.agreement import route_draw_sample
    from somlab.sim.backend import CupyBackend
    from somlab.sim.mechanisms.choice import route_draw

    n, n_corr = 4, 3
    arrays = route_draw_sample(3, 400_000, n, n_corr)
    expected = route_draw(np, n, n_corr)(*arrays)
    fused = CupyBackend([1], cupy).fused(route_draw, n, n_corr)
    got = cupy.asnumpy(fused(*[cupy.asarray(x) for x in arrays]))
    assert (expected >= 0).mean() > 0.05  # many slots choose a route
    assert (got != expected).mean() < 1e-5


def test_fused_kernel_falls_back_to_plain_kernels_once(caplog):
    """A device that cannot compile the fused function still runs it, unfused, and says so once."""
    from somlab.sim.backend import FusedKernel

    class NoCompiler:
        @staticmethod
        def fuse(kernel_name):
            def compile_(function):
                def fails(*args):
                    raise RuntimeError("nvrtc: compilation failed")

                return fails

            return compile_

    kernel = FusedKernel(NoCompiler, lambda x, y: x * y + 1, "axpy")
    with caplog.at_level("WARNING", logger="somlab.sim.backend"):
        results = [kernel(np.arange(3), 2) for _ in range(3)]
    assert all(np.array_equal(r, [1, 3, 5]) for r in results)
    assert not kernel.is_fused
    assert len([r for r in caplog.records if "could not compile axpy" in r.getMessage()]) == 1


class _DeviceLikeNumpy(NumpyBackend):
    """numpy, but working as the CuPy backend does: full-width arrays, static boat bounds, host
    bounds of the active agents, subsets as masks, per-code reductions instead of bincount (the
    GPU path's logic on the CPU; only the random-number kernels differ)."""

    exact_sizes = False
    subset = lambda self, mask: DeviceSubset(mask, self)  # noqa: E731
    fused = lambda self, factory, *static: factory(np, *static)  # noqa: E731 - the fused function's body, unfused
    free_slots = CupyBackend.free_slots

    def counts(self, code, n):
        return np.stack([(code == k).sum(axis=1) for k in range(n)], axis=1)


@pytest.mark.slow
def test_device_sizing_path_agrees_with_the_host_path(scenario, monkeypatch):
    small = settings.apply(scenario, SMALL)[0]
    host = ensemble.run_ensemble(small, RUNS, 7)
    monkeypatch.setattr(model, "make_backend", lambda name, seeds: _DeviceLikeNumpy(seeds))
    device = ensemble.run_ensemble(small, RUNS, 7)
    for name in OUTCOMES:
        ok, z = agree(_totals(host, name), _totals(device, name))
        assert ok, f"{name}: host and device sizing differ by {z:.1f} standard errors"
