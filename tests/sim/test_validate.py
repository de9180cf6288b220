"""Out-of-sample validation: the training view, the priors file, the baselines and the command."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from somlab.sim import commands, holdout
from somlab.sim.scenario import ScenarioError, load, resolve

from simkit import SCENARIO


def test_training_view_hides_every_later_observation(scenario):
    last = scenario.months.index("2016-12")
    view = holdout.training_view(scenario, last)
    assert view.observed["arrivals"].iloc[last] == scenario.observed["arrivals"].iloc[last]
    assert view.observed.drop(columns="month").iloc[last + 1 :].isna().all().all()
    assert view.observed_totals and all(t.last <= last for t in view.observed_totals)
    assert len(scenario.observed_totals) > len(view.observed_totals)


def test_baseline_recovers_a_log_linear_seasonal_series(scenario):
    """On a synthetic series built from the baseline's own form, the forecast follows it."""
    months = np.array([int(m[5:7]) for m in scenario.months])
    t = np.arange(len(months)) / 12.0
    truth = np.exp(8.0 - 0.3 * t + 0.8 * np.cos(2 * np.pi * (months - 7) / 12)) - 1
    synthetic = scenario.observed.copy()
    synthetic["arrivals"] = truth
    import dataclasses

    draws = holdout.baseline(
        dataclasses.replace(scenario, observed=synthetic), scenario.months.index("2016-12"), seed=1
    )
    assert np.allclose(np.median(draws, axis=0)[36:], truth[36:], rtol=0.02)


def test_seasonal_naive_repeats_the_last_training_year():
    observed = np.arange(1.0, 37.0)
    out = holdout.seasonal_naive(observed, 23)[0]
    assert list(out[24:36]) == list(observed[12:24])


def test_priors_are_checked(tmp_path):
    folder = tmp_path / "scenario"
    shutil.copytree(resolve(SCENARIO), folder)
    priors = folder / "priors.yaml"
    text = priors.read_text()
    priors.write_text(text.replace("    basis: sourced\n", "    basis: guessed\n", 1))
    with pytest.raises(
        ScenarioError,
        match=r"priors.yaml, line \d+, field 'priors.transit_deterrence.basis': expected sourced or hand-set",
    ):
        holdout.load_priors(load(str(folder)))
    priors.write_text(text.replace("    value: 0.5\n", "    value: 3.0\n", 1))
    with pytest.raises(
        ScenarioError, match=r"field 'priors.transit_deterrence': expected low <= value <= high"
    ):
        holdout.load_priors(load(str(folder)))
    priors.unlink()
    with pytest.raises(ScenarioError, match="file missing"):
        holdout.load_priors(load(str(folder)))


def test_bundled_priors_cite_or_say_hand_set(scenario):
    priors, extra = holdout.load_priors(scenario)
    assert {p.name for p in priors} >= {"transit_deterrence", "transit_lag_months"}
    for p in priors:
        assert p.low <= p.value <= p.high
        assert p.basis == "hand-set" or all("http" in s for s in p.sources)
    assert not set(extra) & {p.name for p in priors}


@pytest.mark.slow
def test_validate_command_writes_the_report(tmp_path):
    app = typer.Typer()
    commands.register(app)
    out = tmp_path / "v.json"
    result = CliRunner().invoke(
        app,
        [
            "validate",
            SCENARIO,
            "--train-until",
            "2016-12",
            "--design",
            "8",
            "--refine",
            "4",
            "--runs",
            "1",
            "--check-runs",
            "1",
            "--forecast-runs",
            "3",
            "--scheduler",
            "inline",
            "--out",
            str(out),
            "--parameters-out",
            str(tmp_path / "validated.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["test_window"] == ["2017-01", "2019-12"]
    assert [y["year"] for y in report["arrivals"]["model"]["yearly"]] == ["2017", "2018", "2019"]
    assert set(report["arrivals"]) >= {"model", "baseline", "seasonal_naive", "monthly"}
    assert [r["row"] for r in report["acceptance"]] == list(range(1, 11))
    assert "transit_deterrence" not in report["training"]["free_parameters"]
    waves = report["training"]["history_matching"]["waves"]
    assert [(w["wave"], w["points_run"]) for w in waves[:1]] == [(1, 8)] and 1 <= len(waves) <= 3
    assert all(0 <= w["non_implausible_fraction"] <= 1 for w in waves)
    for scores in (
        report["arrivals"]["model"]["scores"],
        report["arrivals"]["model"]["training_scores"],
    ):
        assert (
            0 <= scores["band_90_coverage"] <= 1
            and scores["mean_abs_log_ratio"] >= 0
            and scores["wape"] >= 0
        )
    md = out.with_suffix(".md").read_text()
    assert md.startswith("# Out-of-sample validation")
    assert "| wave | points run | non-implausible share of the space |" in md and "| 1 | 8 |" in md
    validated = load(SCENARIO, tmp_path / "validated.yaml")
    assert (
        validated.parameters["transit_lag_months"] == 6
        and validated.parameters["handover_delay"] == 0.5
    )
    trained = report["training"]["free_parameters"]["settle_rate"]
    assert validated.parameters["settle_rate"] == trained["calibrated"] and trained["high"] == 0.12
    assert "somlab validate --train-until 2016-12" in validated.calibration["status"]
    bad = CliRunner().invoke(
        app, ["validate", SCENARIO, "--train-until", "2019-12", "--out", str(out)]
    )
    assert bad.exit_code == 2 and "before its last" in bad.output


def test_the_residual_error_is_measured_on_the_fitted_months_only():
    from somlab.sim import validation

    rng = np.random.default_rng(0)
    truth = np.full(48, 1000.0)
    observed = np.expm1(np.log1p(truth) + rng.normal(0, 0.3, 48))
    observed[24:] *= 10  # a later break the fit never saw
    sims = np.tile(truth, (20, 1))
    window = np.arange(48) < 24
    sd = validation.residual_sd(sims, observed, window)
    assert 0.2 < sd < 0.4
    wide = validation.predictive(sims, sd, 1)
    assert wide.shape == (20 * validation.PREDICTIVE_DRAWS, 48)
    assert validation.band_coverage(sims, np.where(window, observed, np.nan)) < 0.2
    assert 0.75 < validation.band_coverage(wide, np.where(window, observed, np.nan)) <= 1
    assert validation.band_coverage(wide, np.where(window, np.nan, observed)) == 0
