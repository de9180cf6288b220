"""The hub population under transit enforcement, legal pathways, smugglers' entry and the
estimated season, on toy markets that do not depend on the bundled scenario's calibration."""

from __future__ import annotations

import numpy as np
import pytest

from somlab.sim import validation
from somlab.sim.mechanisms import pricing
from somlab.sim.mechanisms.choice import estimate_season
from somlab.sim.scenario import ScenarioError, load

from simkit import SCENARIO, toy_runs, toy_scenario

CRACKDOWN = [("transit_enforcement", "hub", "2017-01", "2018-12", 1.0)]


def _waiting(runs, scenario, month):
    return float(np.median([r["waiting"][scenario.months.index(month), 0] for r in runs]))


def test_the_pool_does_not_empty_when_transit_enforcement_starts(tmp_path):
    lagged = toy_scenario(
        tmp_path / "lagged", CRACKDOWN, transit_deterrence=0.7, transit_lag_months=6
    )
    at_once = toy_scenario(
        tmp_path / "at_once", CRACKDOWN, transit_deterrence=0.7, transit_lag_months=0
    )
    lag_runs, now_runs = toy_runs(lagged), toy_runs(at_once)
    before = _waiting(lag_runs, lagged, "2016-12")
    # for the length of the lag the newcomers still come: the hubs hold their population
    assert _waiting(lag_runs, lagged, "2017-06") > 0.9 * before
    # without a lag the pool is already falling by then
    assert _waiting(now_runs, at_once, "2017-06") < 0.9 * _waiting(lag_runs, lagged, "2017-06")
    # once the thinned flow arrives, the pool falls towards its new level, exp(-0.7) = 0.5 of newcomers
    assert _waiting(lag_runs, lagged, "2018-12") < 0.8 * before


def _departures(runs):
    return float(np.median([r["departures"].sum() for r in runs]))


def _legal(runs):
    return float(np.median([r["legal_departures"].sum() for r in runs]))


def test_legal_places_replace_attempts_only_among_those_who_would_try(tmp_path):
    places = [("legal_places", "hub", "2016-01", "2018-12", 400)]
    ample = {"coast": (20000, True), "beach": (20000, False)}  # capacity never binds
    base = toy_runs(toy_scenario(tmp_path / "base", routes=ample))
    opened = toy_runs(toy_scenario(tmp_path / "open", places, routes=ample))
    avoided = _departures(base) - _departures(opened)
    taken = _legal(opened)
    assert taken == pytest.approx(
        400 * 36, rel=0.1
    )  # places are taken: there are always people about to cross
    # each place taken is an attempt avoided (the pool also keeps some who would have crossed later)
    assert 0.6 * taken < avoided < 1.1 * taken

    # where smugglers' capacity binds, a place frees a seat for someone else: departures barely move
    tight = {"coast": (300, True), "beach": (100, False)}
    base_t = toy_runs(toy_scenario(tmp_path / "base_t", routes=tight))
    open_t = toy_runs(toy_scenario(tmp_path / "open_t", places, routes=tight))
    assert _legal(open_t) > 0.9 * 400 * 36
    assert _departures(base_t) - _departures(open_t) < 0.2 * _legal(open_t)


def test_capacity_follows_demand_where_entry_is_free():
    scale = np.ones((1, 2))
    free = np.array([[0.0, 1.0]])  # the first route's coast is held by armed groups
    for _ in range(24):
        scale = pricing.update_capacity(scale, np.array([[900.0, 900.0]]), 300.0 * scale, 0.1, free)
    assert scale[0, 0] == 1.0
    assert scale[0, 1] == pytest.approx(3.0, rel=0.1)  # capacity has grown to the demand
    for _ in range(60):
        scale = pricing.update_capacity(scale, np.array([[0.0, 0.0]]), 300.0 * scale, 0.1, free)
    assert scale[0, 1] == pytest.approx(pricing.CAPACITY_RANGE[0])


def test_departures_from_a_free_coast_grow_with_demand(tmp_path):
    tight = {"coast": (300, True), "beach": (100, False)}
    fixed = toy_runs(toy_scenario(tmp_path / "fixed", routes=tight))
    entry = toy_runs(toy_scenario(tmp_path / "entry", routes=tight, capacity_entry=0.1))
    beach = lambda runs, year: float(
        np.median([r["departures"][12 * year : 12 * year + 12, 1].sum() for r in runs])
    )
    coast = lambda runs: float(np.median([r["departures"][:, 0].sum() for r in runs]))
    assert beach(fixed, 2) <= 100 * 12 * 1.05  # the base capacity binds every month
    assert beach(entry, 2) > 2 * beach(fixed, 2)
    assert coast(entry) == pytest.approx(
        coast(fixed), rel=0.1
    )  # no entry where armed groups hold the coast


def test_season_is_estimated_from_complete_years():
    months = [f"{y}-{m:02d}" for y in (2014, 2015) for m in range(1, 13)]
    shape = np.array([1, 1, 2, 4, 8, 9, 10, 9, 6, 4, 2, 1], dtype=float)
    counts = np.concatenate([100 * shape, 300 * shape])  # the level differs, the shape does not
    season = estimate_season(counts, months)
    assert season[6] == pytest.approx(1.0) and min(season) == pytest.approx(-1.0)
    assert np.argsort(season)[-1] == 6 and season[4] > season[2] > season[0]
    assert estimate_season(counts[:11], months[:11]) is None


def test_an_estimated_season_needs_twelve_months(tmp_path):
    with pytest.raises(ScenarioError, match=r"season.02.*all twelve months"):
        toy_scenario(tmp_path / "partial", **{"season.01": -1.0})


def test_the_migrant_stock_is_compared_as_a_mean_over_the_round():
    scenario = load(SCENARIO)
    spec = scenario.validation["migrants_in_libya"]
    waiting = np.full((len(scenario.months), len(scenario.corridors)), 1000.0)
    waiting[:, 0] = np.arange(len(scenario.months)) * 100.0
    run = {"waiting": waiting}
    sims = validation.simulated_target([run], scenario, "migrants_in_libya")
    assert sims[0, 10] == pytest.approx(1000.0 / spec["observed_share"])  # the Central hubs only
    figure = validation.period_figure(sims, scenario, "migrants_in_libya", 4, 5)
    assert figure[0] == pytest.approx(
        450.0 / spec["observed_share"]
    )  # mean of months 4 and 5, not the sum
