"""Mechanisms added for the calibration: armed groups' expected income and the inflow trend."""

from __future__ import annotations

import numpy as np
import pytest

from somlab.sim.mechanisms import armed_groups
from somlab.sim.scenario import ScenarioError, load

from simkit import SCENARIO, run_variant, total

MECH = {"externalisation": "on"}


def _share_path(memory: float) -> np.ndarray:
    """Interdicting share over three years of seasonal smuggling revenue and constant payments."""
    p = {
        "armed_revenue_share": 0.1,
        "armed_switch_sensitivity": 2.0,
        "armed_switch_speed": 0.3,
        "armed_revenue_memory": memory,
    }
    months = np.arange(36)
    revenue = 20e6 * (
        1.05 + np.cos(2 * np.pi * (months - 7) / 12)
    )  # EUR per month, near zero in winter
    share, expected, path = np.zeros(1), None, []
    for r in revenue:
        share = armed_groups.update_interdicting_share(
            share, np.array([2.0]), expected if expected is not None else np.array([r]), p, MECH
        )
        expected = armed_groups.expected_revenue(expected, np.array([r]), p)
        path.append(share[0])
    return np.array(path[12:])


def test_armed_groups_weigh_expected_income_not_the_winter_lull():
    latest_month = _share_path(1.0)
    year_average = _share_path(1 / 12)
    # judging by the latest month, the winter lull makes militias switch to paid interdiction
    assert latest_month.max() - latest_month.min() > 0.4
    # with a year's expected income the mix barely moves with the season
    assert year_average.max() - year_average.min() < 0.5 * (latest_month.max() - latest_month.min())


@pytest.mark.slow
def test_inflow_trend_changes_later_years_only(scenario):
    flat_s, flat = run_variant(scenario, ["params.inflow_trend.central=0"], runs=6)
    down_s, down = run_variant(scenario, ["params.inflow_trend.central=-0.5"], runs=6)
    # 2014 and 2016, before externalisation and transit enforcement cap the flow whatever the inflow
    first, third = slice(0, 12), slice(24, 36)
    central = ["libya_italy", "tunisia_italy"]
    ratio_first = total(down, "departures", central, first, down_s) / total(
        flat, "departures", central, first, flat_s
    )
    ratio_third = total(down, "departures", central, third, down_s) / total(
        flat, "departures", central, third, flat_s
    )
    assert (
        ratio_first > 0.75
    )  # exp(-0.5 * 0.5) on average over the first year, cushioned by the pool
    assert (
        ratio_third < 0.7 * ratio_first
    )  # exp(-0.5 * 2.5) = 0.29 of the newcomers in the third year


def test_inflow_trend_is_optional_and_checked(tmp_path):
    import shutil

    folder = tmp_path / "scen"
    shutil.copytree(load(SCENARIO).folder, folder)
    path = folder / "parameters.yaml"
    lines = [
        line for line in path.read_text().splitlines() if not line.startswith("  inflow_trend.")
    ]
    path.write_text("\n".join(lines) + "\n")
    assert load(str(folder)).parameters["inflow_trend.central"] == 0.0
    path.write_text(
        path.read_text().replace(
            "  inflow.western: 3000", "  inflow.western: 3000\n  inflow_trend.western: 5"
        )
    )
    with pytest.raises(
        ScenarioError, match=r"parameters.inflow_trend.western'.*must lie in \[-2.0, 2.0\]"
    ):
        load(str(folder))


CENTRAL = ["libya_italy", "tunisia_italy"]


def test_transit_enforcement_thins_newcomers_exactly():
    from somlab.sim.mechanisms import demand

    p = {"transit_deterrence": 1.0}
    out = demand.newcomers(
        np.array([1000.0, 500.0]), np.array([1.0, 0.0]), p, {"enforcement": "on"}
    )
    assert np.allclose(out, [1000 * np.exp(-1), 500])
    assert np.allclose(
        demand.newcomers(np.array([1000.0]), np.array([1.0]), p, {"enforcement": "off"}), [1000]
    )


@pytest.mark.slow
def test_transit_enforcement_thins_the_flow_into_the_hubs(scenario):
    base_s, base = run_variant(
        scenario, ["params.transit_deterrence=1", "transit_enforcement.central=0"]
    )
    hard_s, hard = run_variant(
        scenario, ["params.transit_deterrence=1", "transit_enforcement.central=1"]
    )
    # 2014-2016: before externalisation caps the Libyan route whatever the demand
    years = slice(0, 36)
    ratio = total(hard, "departures", CENTRAL, years, hard_s) / total(
        base, "departures", CENTRAL, years, base_s
    )
    # exp(-1) = 0.37 of the newcomers, but in summer smugglers' capacity, not demand, binds
    assert 0.2 < ratio < 0.85
    off_s, off = run_variant(
        scenario,
        [
            "params.transit_deterrence=1",
            "transit_enforcement.central=1",
            "mechanisms.enforcement=off",
        ],
    )
    off0_s, off0 = run_variant(
        scenario,
        [
            "params.transit_deterrence=1",
            "transit_enforcement.central=0",
            "mechanisms.enforcement=off",
        ],
    )
    assert total(off, "departures", CENTRAL, scenario=off_s) == total(
        off0, "departures", CENTRAL, scenario=off0_s
    )


@pytest.mark.slow
def test_weather_window_flattens_winter_departures(scenario):
    def winter_share(runs, s):
        months = np.array([int(m[5:7]) for m in s.months])
        winter = np.isin(months, [12, 1, 2])
        summer = np.isin(months, [6, 7, 8])
        return total(runs, "departures", CENTRAL, winter, s) / total(
            runs, "departures", CENTRAL, summer, s
        )

    calm_s, calm = run_variant(scenario, ["params.weather_window=0"])
    rough_s, rough = run_variant(scenario, ["params.weather_window=0.9"])
    assert winter_share(rough, rough_s) < 0.8 * winter_share(calm, calm_s)
