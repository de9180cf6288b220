"""The simulation document contract (spec/outputs.md), tidy output, ARD and case facts."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from somlab.sim import commands, ensemble
from somlab.sim.casefacts import facilitation_cases
from somlab.sim.scenario import load
from somlab.sim.validation import ard

from simkit import SCENARIO, SMALL

OUTCOMES = (
    "departures",
    "arrivals",
    "interceptions",
    "dead_missing",
    "price_eur",
    "smuggler_revenue_eur",
    "debt_incidence",
    "exploitation_incidence",
    "facilitation_events",
)


def _app():
    app = typer.Typer()
    commands.register(app)
    return app


def test_ard_is_flee_averaged_relative_difference():
    assert ard(np.array([110.0, 50.0, 7.0]), np.array([100.0, 100.0, np.nan])) == (0.1 + 0.5) / 2
    assert ard(np.array([1.0]), np.array([0.0])) is None


@pytest.mark.slow
def test_json_document_keys_and_bands():
    args = [
        "simulate",
        SCENARIO,
        "--runs",
        "3",
        "--seed",
        "4",
        "--scheduler",
        "inline",
        "--format",
        "json",
    ]
    for item in SMALL:
        args += ["--set", item]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "somlab.simulation/1"
    assert (doc["scenario"], doc["runs"], doc["seed"]) == (SCENARIO, 3, 4)
    assert doc["agent_steps"] == 12000 * (72 + 12) * 3
    for target in ("arrivals", "deaths"):
        assert doc["validation"][target]["ard"] > 0 and "IOM" in doc["validation"][target]["series"]
    for name in OUTCOMES:
        band = doc["outcomes"][name]
        assert band["p05"] <= band["median"] <= band["p95"]
    assert doc["outcomes"]["arrivals"]["median"] < doc["outcomes"]["departures"]["median"]


@pytest.mark.slow
def test_tidy_csv_has_every_outcome_with_observed_beside_simulated(tmp_path):
    args = [
        "simulate",
        SCENARIO,
        "--runs",
        "2",
        "--scheduler",
        "inline",
        "--format",
        "csv",
        "--set",
        SMALL[0],
        "--set",
        SMALL[1],
    ]
    result = CliRunner().invoke(_app(), args)
    frame = pd.read_csv(io.StringIO(result.stdout), dtype={"period": str, "target": str}).fillna(
        {"target": ""}
    )
    assert list(frame.columns) == [
        "period",
        "resolution",
        "series",
        "route",
        "target",
        "observed",
        "simulated",
        "simulated_p05",
        "simulated_p95",
        "error",
    ]
    months = frame[frame["resolution"] == "month"]
    # four monthly targets, then departures, interceptions, arrivals, dead and missing on each of the
    # four routes, less the two route arrivals that are already targets (Greece, Spain), then the
    # people waiting in each of the three corridors' hubs
    assert len(months) == (4 + 4 * 4 - 2 + 3) * 72
    waiting = frame[frame["series"] == "waiting"]
    assert set(waiting[waiting["resolution"] == "month"]["route"]) == {
        "central",
        "eastern",
        "western",
    }
    assert set(months["target"]) == {
        "arrivals",
        "deaths",
        "arrivals_eastern",
        "arrivals_western",
        "",
    }
    first = months.iloc[0]
    assert (first["period"], first["series"], first["target"], first["observed"]) == (
        "2014-01",
        "arrivals",
        "arrivals",
        2171.0,
    )
    assert months[months["target"] == ""]["observed"].isna().all()
    # yearly figures: each run summed over the year, then the median (not a sum of monthly medians)
    years = frame[(frame["resolution"] == "year") & (frame["target"] == "arrivals")]
    assert list(years["period"]) == ["2014", "2015", "2016", "2017", "2018", "2019"]
    assert (
        years["observed"].iloc[0]
        == months[(months["target"] == "arrivals") & months["period"].str.startswith("2014")][
            "observed"
        ].sum()
    )
    assert (years["simulated_p05"] <= years["simulated"]).all() and (
        years["simulated"] <= years["simulated_p95"]
    ).all()
    totals = frame[frame["resolution"] == "total"]
    assert totals[
        (totals["target"] == "interceptions_libya") & (totals["period"] == "2017-01/2017-12")
    ]["observed"].tolist() == [15358.0]


@pytest.mark.slow
def test_facilitation_events_as_case_facts():
    scenario = load(SCENARIO)
    from somlab.sim import settings

    small, overrides = settings.apply(scenario, SMALL)
    cases = facilitation_cases(ensemble.run_ensemble(small, 2, 1, "numpy", overrides), small)
    assert set(cases["actor.role"]) == {
        "commercial_smuggler",
        "boat_driver_migrant",
        "ngo_rescuer",
        "family_member",
    }
    driver = cases[cases["actor.role"] == "boat_driver_migrant"].iloc[0]
    assert (
        driver["actor.is_smuggled_migrant"]
        and driver["benefit.obtained"]
        and driver["benefit.kind"] == "in_kind"
    )
    rescuer = cases[cases["actor.role"] == "ngo_rescuer"].iloc[0]
    assert (
        rescuer["conduct.rescue_at_sea"]
        and rescuer["motive.humanitarian"]
        and not rescuer["benefit.obtained"]
    )
    assert cases["id"].is_unique and (cases["events"] > 0).all()
    assert cases["date"].str.match(r"^\d{4}-07-01$").all()


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_runs_as_inline():
    scenario = load(SCENARIO)
    from somlab.sim import settings

    small, overrides = settings.apply(scenario, SMALL + ["params.spinup_months=0"])
    inline = ensemble.run_ensemble(small, 2, 3, "numpy", overrides)
    with ensemble.dask_client(workers=1) as client:
        distributed = ensemble.run_ensemble(small, 2, 3, "numpy", overrides, client)
    for a, b in zip(inline, distributed):
        assert np.array_equal(a["arrivals"], b["arrivals"])


def _malloc_trim():
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


@pytest.mark.slow
def test_local_workers_keep_glibc_dynamic_mmap_threshold():
    """Dask's default MALLOC_TRIM_THRESHOLD_ made every run 1.6x slower on its workers."""
    with ensemble.dask_client(workers=1) as client:
        assert list(client.run(_malloc_trim).values()) == [None]


@pytest.mark.slow
def test_html_outputs_of_simulate_and_compare(tmp_path):
    small = []
    for item in SMALL:
        small += ["--set", item]
    result = CliRunner().invoke(
        _app(),
        ["simulate", SCENARIO, "--runs", "2", "--scheduler", "inline", "--format", "html", *small],
    )
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!doctype html>") and "<svg" in page  # the validation chart, inlined
    assert (
        "<h2>Outcomes</h2>" in page and "interceptions_libya" in page
    )  # the document, every target
    chart = tmp_path / "compare.html"
    both = [arg for item in SMALL for arg in ("--set-a", item, "--set-b", item)]
    result = CliRunner().invoke(
        _app(),
        [
            "compare",
            SCENARIO,
            "--runs",
            "2",
            "--scheduler",
            "inline",
            "--set-b",
            "legal_places.central=5000",
            "--chart",
            str(chart),
            *both,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in chart.read_text() and "<h2>Differences</h2>" in chart.read_text()


def test_symmetric_scores_and_band_coverage():
    from somlab.sim.validation import band_coverage, mean_abs_log_ratio, wape

    observed = np.array([100.0, 1000.0, np.nan])
    # twice too many and half too many weigh alike; the ARD would give 1.0 and 0.5
    assert mean_abs_log_ratio(np.array([201.0, 499.5, 5.0]), observed) == pytest.approx(np.log(2))
    assert wape(np.array([200.0, 500.0, 5.0]), observed) == pytest.approx(600 / 1100)
    sims = np.array([[90.0, 900.0, 0.0], [110.0, 950.0, 0.0], [100.0, 990.0, 0.0]])
    assert band_coverage(sims, observed) == 0.5  # 100 inside [91, 109]; 1000 above 986
