"""Reference ARDs computed on the observed series alone (what a model's ARD is read against)."""

import numpy as np
import pytest

from somlab.sim import validation

MONTHS = ["2014-01", "2014-02", "2014-03"]


def test_reference_scores_by_hand():
    ref = validation.reference_scores(np.array([10.0, 20.0, 30.0]), MONTHS)
    # smoother: 15, 20, 25 -> errors 0.5, 0, 1/6
    assert ref["smoothed_3_months"] == pytest.approx((0.5 + 0 + 1 / 6) / 3)
    # previous month: 10 for 20, 20 for 30 (the first month has none)
    assert ref["previous_month"] == pytest.approx((0.5 + 1 / 3) / 2)
    # one year: the mean profile is that year's own, so the spread reproduces it
    assert ref["yearly_totals_x_mean_profile"] == pytest.approx(0.0)


def test_profile_reference_misses_a_season_that_changes_between_years():
    months = [f"{y}-{m:02d}" for y in (2014, 2015) for m in (1, 2)]
    ref = validation.reference_scores(np.array([10.0, 30.0, 30.0, 10.0]), months)
    # mean profile 0.5 / 0.5: every month predicted 20
    assert ref["yearly_totals_x_mean_profile"] == pytest.approx((1.0 + 1 / 3 + 1 / 3 + 1.0) / 4)


def test_bundled_arrivals_noise_floor_is_reported():
    from somlab.sim.scenario import load

    scenario = load("central-mediterranean-2014-2019")
    observed = scenario.observed["arrivals"].to_numpy(dtype=float)
    ref = validation.reference_scores(observed, scenario.months)
    # the 3-month smoother of the data itself is the tightest of the three references
    assert 0.2 < ref["smoothed_3_months"] < ref["previous_month"]
    assert ref["smoothed_3_months"] < ref["yearly_totals_x_mean_profile"]


def test_cumulative_ard_compares_running_totals():
    sims = np.array([[10.0, 10.0, 10.0], [30.0, 30.0, 30.0]])  # median running totals 20, 40, 60
    observed = np.array([20.0, 20.0, 40.0])  # running totals 20, 40, 80
    assert validation.cumulative_ard(sims, observed) == pytest.approx((0 + 0 + 0.25) / 3)
    # a month without an observation is left out of both running totals
    assert validation.cumulative_ard(sims, np.array([20.0, np.nan, 20.0])) == pytest.approx(0.0)


def test_period_totals_are_scored_on_each_runs_sum():
    from somlab.sim.scenario import load

    scenario = load("central-mediterranean-2014-2019")
    sims = np.ones((3, len(scenario.months))) * np.array(
        [[100.0], [200.0], [300.0]]
    )  # runs: 100, 200, 300 a month
    score, rows = validation.period_totals(sims, scenario, "interceptions_libya")
    assert [(r["start"], r["end"]) for r in rows] == [
        ("2016-01", "2016-12"),
        ("2017-01", "2017-12"),
        ("2018-01", "2018-12"),
        ("2019-01", "2019-11"),
    ]
    assert (
        rows[0]["simulated"] == 2400.0 and rows[3]["simulated"] == 2200.0
    )  # median run: 200 a month
    assert rows[0]["simulated_p05"] < rows[0]["simulated"] < rows[0]["simulated_p95"]
    expected = np.mean(
        [
            abs(2400 - 14332) / 14332,
            abs(2400 - 15358) / 15358,
            abs(2400 - 15235) / 15235,
            abs(2200 - 8848) / 8848,
        ]
    )
    assert score == pytest.approx(expected)
