"""Natural experiments on the bundled scenario with its default parameter file (the file
`somlab validate --train-until 2016-12` writes: every run draws its parameters from the file's
ensemble). Each figure is the acceptance figure of docs/simulator.md, computed run by run, then
the median over 200 runs. Where the model does not reproduce what the data show, the test is an
expected failure that says why; it fails the day the model starts to pass it, so the table in
the docs must then be updated."""

from __future__ import annotations

import numpy as np
import pytest

from somlab.sim import holdout, service

from simkit import SCENARIO

pytestmark = pytest.mark.slow
RUNS = 200


@pytest.fixture(scope="module")
def default_runs():
    return service.simulate(SCENARIO, RUNS, 1, [])


@pytest.fixture(scope="module")
def rows(default_runs):
    return {r["row"]: r for r in holdout.acceptance(default_runs.runs, default_runs.scenario)}


def test_in_sample_arrivals_2014_2016(rows):
    assert rows[2]["met"], rows[2]["measured"]


@pytest.mark.xfail(
    strict=True,
    reason="the break comes in August and H2 falls as observed, but H1 2017 falls 11% where the "
    "observed rose 19% (the threshold is -10%): see the first half of 2017",
)
def test_the_july_2017_break_comes_in_july_and_not_before(rows):
    assert rows[4]["met"], rows[4]["measured"]


def test_dead_and_missing_2014_2019(rows):
    assert rows[7]["met"], rows[7]["measured"]


def test_triton_arrivals_hold_and_the_death_rate_rises(rows):
    assert rows[8]["met"], rows[8]["measured"]


def test_the_libyan_pool_does_not_empty_2016_2018(rows):
    assert rows[9]["met"], rows[9]["measured"]


def test_the_band_with_the_residual_error_covers_the_observed_months(rows):
    assert rows[10]["met"], rows[10]["measured"]


def test_the_death_rate_rises_when_ports_close_to_ngo_ships(default_runs):
    """June-December 2018 against July 2017 - May 2018: the rate rises in most runs."""
    scenario = default_runs.scenario
    k = scenario.route_names.index("libya_italy")

    def rate(run, first, last):
        i, j = scenario.months.index(first), scenario.months.index(last)
        dead = run["dead_missing"][i : j + 1, k].sum()
        return 1000 * dead / max(run["departures"][i : j + 1, k].sum(), 1)

    ratios = [
        rate(r, "2018-06", "2018-12") / max(rate(r, "2017-07", "2018-05"), 1e-9)
        for r in default_runs.runs
    ]
    assert np.median(ratios) > 1.0


@pytest.mark.xfail(
    strict=True,
    reason="the rate rises x1.8 where the observed doubled or tripled (21 -> 43-68 per 1,000): "
    "the training window leaves dedicated rescuers a small effect and the Libyan rescue "
    "region's delay is hand-set",
)
def test_the_death_rate_doubles_after_june_2018(rows):
    assert rows[6]["met"], rows[6]["measured"]


@pytest.mark.xfail(
    strict=True,
    reason="Jan-Jun 2017 arrivals stay below 63,000: Niger's transit enforcement reaches the coast "
    "while IOM counted a rising stock of migrants in Libya",
)
def test_the_first_half_of_2017_was_the_busiest(rows):
    assert rows[3]["met"], rows[3]["measured"]


@pytest.mark.xfail(
    strict=True,
    reason="2019 interceptions stay near the 2018 level (+34% on 8,848): the fleet and payments "
    "are held, boats out of service are not known",
)
def test_libyan_interceptions_2017_2019(rows):
    assert rows[5]["met"], rows[5]["measured"]


@pytest.mark.xfail(
    strict=True,
    reason="about 40% of the fall moves to other corridors: the overland switching cost "
    "(corridor_switch_eur, EUR 2,500) is hand-set, and the share falls below 15% at EUR 5,000",
)
def test_displacement_after_july_2017_is_a_small_share_of_the_central_fall():
    """Switching the July 2017 deals off (externalisation): the other corridors gain between 0
    and 15% of what the Central Mediterranean loses in July 2017 - December 2019, run by run."""
    with_deals, without = service.compare(
        SCENARIO, None, [], ["mechanisms.externalisation=off"], 40, 1
    )
    scenario = with_deals.scenario
    central = scenario.route_mask(["libya_italy", "tunisia_italy"])
    after = slice(scenario.months.index("2017-07"), None)
    shares = []
    for a, b in zip(with_deals.runs, without.runs):
        fall = b["departures"][after][:, central].sum() - a["departures"][after][:, central].sum()
        gain = a["departures"][after][:, ~central].sum() - b["departures"][after][:, ~central].sum()
        shares.append(gain / fall)
    assert 0 <= np.median(shares) <= 0.15
