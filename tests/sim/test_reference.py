"""The benchmark's reference model: route picks match a binary search over the same weights."""

from __future__ import annotations

import numpy as np

from somlab.sim import reference


def test_pick_equals_searchsorted():
    rng = np.random.default_rng(3)
    cumulative = np.cumsum(reference.choice_weights(reference.PRICE0 * rng.random(5)))
    u = rng.random(200_000, dtype=np.float32)
    bounds = (cumulative / cumulative[-1]).astype(np.float32)
    expected = np.clip(np.searchsorted(bounds, u, side="right"), 0, len(bounds) - 1)
    assert np.array_equal(reference.pick(np, cumulative, u), expected)


def test_run_prices_respond_to_demand():
    deaths, price = reference.run(20_000, 20, seed=2)
    assert deaths > 0
    assert not np.allclose(price, reference.PRICE0)  # prices moved with demand
