"""History matching: the implausibility, the cut, the wave loop on toy simulators with a known
answer, and the targets and error file of the bundled scenario."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from somlab.sim import calibration, history_matching, holdout
from somlab.sim.scenario import ScenarioError, load, resolve

from simkit import SCENARIO


def test_implausibility_is_the_standardised_distance():
    observed = np.array([3.0, 0.0])
    mean = np.array([[3.0, 0.0], [6.0, 1.0], [0.0, -4.0]])
    var_em = np.array([[0.5, 0.0], [0.5, 0.0], [0.5, 0.0]])
    impl = history_matching.implausibility(observed, mean, var_em, np.array([0.5, 1.0]))
    assert np.allclose(impl, [[0.0, 0.0], [3.0, 1.0], [3.0, 4.0]])


def test_the_cut_judges_the_second_highest_target_from_three_on():
    impl = np.array([[5.0, 1.0, 2.0], [5.0, 4.0, 1.0]])
    assert list(history_matching.summary_statistic(impl)) == [2.0, 4.0]
    assert list(history_matching.summary_statistic(impl[:, :2])) == [5.0, 5.0]


def _line(unit: np.ndarray) -> np.ndarray:
    """A deterministic toy simulator with two outputs: f(x) = (10 x0, 10 x1)."""
    return 10 * unit[:, :2]


def test_one_wave_cuts_the_points_far_from_the_observation_and_keeps_the_truth():
    """f(x) = 10 x, observed at x = (0.3, 0.6) with a variance of 0.25 on each output: the
    emulator of a linear function is near exact, so I(x) = |10 x - z| / 0.5 and the kept region is
    the box |x - truth| <= 0.15 (the highest of the two implausibilities, as there are two)."""
    truth = np.array([[0.3, 0.6]])
    matcher = history_matching.Matcher(2, _line(truth)[0], np.array([0.25, 0.25]))
    grid = np.array([[a, b] for a in np.linspace(0, 1, 6) for b in np.linspace(0, 1, 6)])
    matcher.add_wave(grid, _line(grid), len(grid), seed=1)
    impl = matcher.max_implausibility(
        np.array([[0.3, 0.6], [0.4, 0.6], [0.9, 0.6], [0.3, 0.0], [0.05, 0.95]])
    )
    assert impl[0] < 0.5 and impl[1] == pytest.approx(2.0, abs=0.3)
    assert (impl[2:] > 3).all()
    region = matcher.region
    assert region is not None and len(region)
    assert (np.abs(region - truth).max(axis=1) <= 0.17).all()
    # the share kept of the unit square: about 0.3 x 0.3
    assert matcher.waves[0].non_implausible_fraction == pytest.approx(0.09, abs=0.03)


def _signal(unit: np.ndarray) -> np.ndarray:
    """Three outputs on [0, 1]^3, of which only the first two inputs matter."""
    x, y = unit[:, 0], unit[:, 1]
    return np.column_stack([np.sin(3 * x) + y, 2 * x * y, np.exp(y) - x])


def test_the_wave_loop_shrinks_the_space_around_the_truth():
    """A stochastic toy simulator (run-to-run noise of sd 0.05 on each output), observed at a
    known point with an error of sd 0.02: the waves shrink the non-implausible share towards the
    share a perfect emulator would keep (the exact function, noise and error in the denominator)."""
    rng = np.random.default_rng(3)
    truth = np.array([[0.35, 0.7, 0.5]])
    z = _signal(truth)[0]
    matcher = history_matching.Matcher(3, z, np.full(3, 0.02**2))
    unit, y = history_matching.run_waves(
        lambda u: _signal(u) + rng.normal(0, 0.05, (len(u), 3)),
        3,
        design=30,
        wave_points=30,
        waves=2,
        matcher=matcher,
        seed=5,
    )
    assert len(unit) == len(y) == 90
    sample = np.random.default_rng(0).random((100_000, 3))
    exact = (
        history_matching.summary_statistic(np.abs(_signal(sample) - z) / np.sqrt(0.05**2 + 0.02**2))
        <= 3
    ).mean()
    fractions = [w.non_implausible_fraction for w in matcher.waves]
    assert len(fractions) == 3 and fractions[-1] < fractions[0]
    assert 0.8 * exact < fractions[-1] < 1.2 * exact  # exact: about 0.15
    assert matcher.max_implausibility(truth)[0] <= history_matching.CUTOFF
    region = matcher.region
    assert region is not None and len(region)
    # the inputs that matter are pinned near the truth; the one that does not stays spread
    assert np.abs(np.median(region[:, :2], axis=0) - truth[0, :2]).max() < 0.1
    assert np.ptp(region[:, 2]) > 0.5


def test_bundled_targets_are_half_years_of_arrivals_and_years_of_deaths(scenario):
    view = holdout.training_view(scenario, scenario.months.index("2016-12"))
    targets = calibration._history_targets(view, calibration._weights(view))
    names = [t.name for t in targets]
    assert names[:2] == ["arrivals 2014-01/2014-06", "arrivals 2014-07/2014-12"]
    assert "deaths 2016-01/2016-12" in names and not any("2017" in n for n in names)
    first = targets[0]
    observed = scenario.observed["arrivals"].iloc[:6].sum()
    assert first.observed == observed and first.variance == pytest.approx(
        np.log1p(0.05**2) + np.log1p(0.2**2)
    )


def test_a_weighted_target_without_its_errors_is_refused(tmp_path):
    folder = tmp_path / "scenario"
    shutil.copytree(resolve(SCENARIO), folder)
    path = folder / "history_matching.yaml"
    path.write_text(path.read_text().replace("  deaths:\n", "  deaths_elsewhere:\n"))
    scenario = load(str(folder))
    with pytest.raises(
        ScenarioError,
        match=r"history_matching.yaml.*field 'series.deaths': expected observation_error, discrepancy and basis",
    ):
        calibration._history_targets(scenario, calibration._weights(scenario))
    path.unlink()
    with pytest.raises(ScenarioError, match="file missing"):
        calibration._history_targets(scenario, calibration._weights(scenario))
