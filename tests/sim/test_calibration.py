"""`somlab calibrate`: history-matching waves, emulator, written parameter file."""

from __future__ import annotations

import pytest
import yaml

from somlab.sim import calibration
from somlab.sim.scenario import load

from simkit import SCENARIO


@pytest.mark.slow
def test_calibrate_writes_a_loadable_file_with_the_ard_it_checked(tmp_path):
    out = tmp_path / "calibrated.yaml"
    summary = calibration.calibrate(
        SCENARIO,
        design=8,
        runs=1,
        seed=2,
        out=out,
        check_runs=1,
        scheduler="inline",
        quiet=True,
        assignments=["params.pool_agents=6000", "params.spinup_months=3"],
        refine=8,
    )
    doc = yaml.safe_load(out.read_text())
    assert doc["calibration"]["achieved"]["ard_arrivals"] == summary["ard_arrivals"] > 0
    assert doc["calibration"]["achieved"]["refine_points"] == 8
    # joint objective: the bundled weights (arrivals, yearly deaths, migrants in Libya) are written back
    weights = load(SCENARIO).calibration["weights"]
    assert doc["calibration"]["weights"] == weights and set(weights) == {
        "arrivals",
        "deaths_yearly",
        "migrants_in_libya",
    }
    achieved = doc["calibration"]["achieved"]
    # the migrants-in-Libya ARD is not recorded among the achieved scores: it adds a non-negative term
    recorded = (
        weights["arrivals"] * achieved["ard_arrivals"]
        + weights["deaths_yearly"] * achieved["ard_deaths_yearly"]
    )
    assert achieved["objective"] >= recorded - 2e-4
    for name, entry in summary["free_parameters"].items():
        assert entry["low"] <= doc["parameters"][name] <= entry["high"]
        box = summary["refine_box"][name]
        assert entry["low"] <= box[0] <= box[1] <= entry["high"]
    assert doc["parameters"]["season_peak_month"] == round(
        doc["parameters"]["season_peak_month"], 4
    )
    reloaded = load(SCENARIO, out)
    assert reloaded.parameters["inflow.central"] == doc["parameters"]["inflow.central"]
    # a second stage starts from that file; the first stage's record is kept
    second = tmp_path / "stage2.yaml"
    calibration.calibrate(
        SCENARIO,
        design=8,
        runs=1,
        seed=3,
        out=second,
        check_runs=1,
        scheduler="inline",
        quiet=True,
        assignments=["params.pool_agents=6000", "params.spinup_months=3"],
        parameters_file=out,
    )
    stage2 = yaml.safe_load(second.read_text())
    stages = stage2["calibration"]["earlier_stages"]
    assert stages[:-1] == doc["calibration"].get("earlier_stages", [])
    assert stages[-1] == doc["calibration"]["achieved"]
    assert (
        stages[-1]["free"] == doc["calibration"]["free"]
        and stages[-1]["weights"] == doc["calibration"]["weights"]
    )
    assert stage2["calibration"]["achieved"]["seed"] == 3


def test_integer_parameters_are_rounded_not_truncated():
    scenario = load(SCENARIO)
    assert calibration._rounded(scenario, "spinup_months", 11.6) == 12
    assert isinstance(calibration._rounded(scenario, "spinup_months", 11.6), int)
    assert calibration._rounded(scenario, "season_peak_month", 7.56789) == 7.5679


def test_free_ranges_must_stay_inside_the_parameter_bounds():
    import dataclasses

    from somlab.sim.scenario import ScenarioError

    scenario = load(SCENARIO)
    bad = dataclasses.replace(scenario, calibration={"free": {"weather_distress": [0.0, 2.0]}})
    with pytest.raises(
        ScenarioError,
        match=r"calibration.free.weather_distress': range \[0.0, 2.0\] leaves the parameter's bounds \[0, 1\]",
    ):
        calibration._free(bad)
