"""Indicators: the JSON shape, three death-rate bases, gaps never shown as zero."""

from __future__ import annotations

import pytest

from somlab.evidence.indicators import SCHEMA, catalogue, compute, trace
from somlab.evidence.ingest import ingest
from somlab.evidence.store import Store
from somlab.vocabulary import OBJECTIVES

from evidence_fixtures import fixture


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "evidence.duckdb"
    with Store(path) as handle:
        ingest(
            [
                fixture(name)
                for name in (
                    "mmp_2025.csv",
                    "frontex.csv",
                    "dtm.csv",
                    "eurostat_eipre_latin1.csv",
                    "eurostat_eirfs_sdmx.csv",
                    "uk_small_boats_daily.csv",
                )
            ],
            handle,
        )
        yield handle


def test_result_shape(store):
    result = compute("detections", store, by=["year", "route"])
    assert list(result) == ["schema", "indicator", "unit", "by", "rows", "sources", "gaps"]
    assert result["schema"] == SCHEMA and result["by"] == ["year", "route"]
    assert result["rows"][0] == {
        "year": 2016,
        "route": "Central Mediterranean",
        "value": 3500,
        "coverage": {"first": "2016-01", "last": "2016-12", "complete": True},
    }
    assert result["sources"][0]["file_name"] == "frontex.csv"


def test_frontex_and_iom_routes_meet(store):
    deaths = {r["route"] for r in compute("dead_missing", store, by=["route"])["rows"]}
    detections = {r["route"] for r in compute("detections", store, by=["route"])["rows"]}
    assert "Central Mediterranean" in deaths & detections


def test_death_rate_without_interceptions_is_a_gap_not_zero(store):
    # the fixtures' arrivals begin in 2016-05: a rate needs deaths and arrivals over the same months
    result = compute(
        "death_rate",
        store,
        by=["year"],
        where={"route": "Central Mediterranean"},
        start="2016-05",
        end="2016-12",
    )
    rows = {(r["year"], r["base"]): r["value"] for r in result["rows"]}
    # 2016: 50 dead / (19,925 + 22,371 arrivals in Italy; Malta missing) per 1,000.
    assert rows[(2016, "arrival")] == pytest.approx(1000 * 50 / (19925 + 22371), abs=1e-3)
    assert (2016, "departure") not in rows and (2016, "arrival_interception") not in rows
    assert any("need interceptions" in gap for gap in result["gaps"])
    assert any("arrival cells of iom_dtm_arrivals have no value" in gap for gap in result["gaps"])


def test_death_rate_on_three_bases(tmp_path):
    with Store(tmp_path / "s.duckdb") as handle:
        ingest([fixture("mmp_2025.csv"), fixture("dtm.csv"), fixture("interceptions.csv")], handle)
        # May-June 2016: the months the arrival and interception fixtures both cover
        result = compute(
            "death_rate",
            handle,
            by=["year"],
            where={"route": "Central Mediterranean"},
            start="2016-05",
            end="2016-06",
        )
    rows = {r["base"]: r["value"] for r in result["rows"]}
    arrivals, intercepted, dead = 19925 + 22371, 2000 + 1704, 50
    assert rows["arrival"] == pytest.approx(1000 * dead / arrivals, abs=1e-3)
    assert rows["arrival_interception"] == pytest.approx(
        1000 * dead / (arrivals + intercepted), abs=1e-3
    )
    assert rows["departure"] == pytest.approx(
        1000 * dead / (arrivals + intercepted + dead), abs=1e-3
    )
    assert rows["arrival"] > rows["arrival_interception"] > rows["departure"]


def test_missing_values_stay_missing(store):
    result = compute(
        "enforcement", store, by=["year", "country"], where={"measure": "illegally_present"}
    )
    values = {(r["year"], r["country"]): r["value"] for r in result["rows"]}
    assert values[(2015, "PT")] == 4750
    assert values[(2016, "PT")] is None
    assert any("year=2016, country=PT" in gap and "no value" in gap for gap in result["gaps"])


def test_period_filter_and_monthly_breakdown(store):
    result = compute("arrivals", store, by=["year", "month"], start="2016-06", end="2017-01")
    assert [(r["year"], r["month"], r["value"]) for r in result["rows"]] == [
        (2016, 6, 22371 + 1554),
        (2017, 1, 4467),
    ]
    assert all(r["dataset"] == "iom_dtm_arrivals" for r in result["rows"])


def test_unknown_dimension_is_refused(store):
    with pytest.raises(ValueError, match="cannot be broken down by"):
        compute("detections", store, by=["cause"])


def test_catalogue_covers_every_objective_and_lists_gaps():
    entries = catalogue()
    assert {e["objective"] for e in entries} == set(OBJECTIVES)
    gaps = {e["indicator"] for e in entries if e["gap"]}
    assert {
        "smuggling_prosecutions",
        "smuggling_convictions",
        "assets_frozen",
        "cooperation_requests",
    } <= gaps
    result = compute("smuggling_convictions")
    assert result["rows"] == [] and result["gaps"]


def test_trace_points_to_file_rows(store):
    rows = trace("dead_missing", store, where={"year": 2016, "route": "Central Mediterranean"})
    assert rows == [
        {"file": "mmp_2025.csv", "row": 2, "field": "Total Number of Dead and Missing", "value": 50}
    ]


def test_partial_periods_are_marked_and_rates_refuse_mismatched_periods(tmp_path):
    with Store(tmp_path / "s.duckdb") as handle:
        ingest([fixture("mmp_2025.csv"), fixture("dtm.csv"), fixture("frontex.csv")], handle)
        detections = compute("detections", handle, by=["year"])
        deaths = compute(
            "dead_missing", handle, by=["year"], where={"route": "Central Mediterranean"}
        )
        rate = compute("death_rate", handle, by=["year"], where={"route": "Central Mediterranean"})
    # the Frontex fixture's data end in 2017-03: 2017 is partial, and says how far it reaches
    assert [r["coverage"] for r in detections["rows"]] == [
        {"first": "2016-01", "last": "2016-12", "complete": True},
        {"first": "2017-01", "last": "2017-03", "complete": False},
    ]
    assert [(s["file_name"], s["data_from"], s["data_to"]) for s in detections["sources"]] == [
        ("frontex.csv", "2016-01", "2017-03")
    ]
    assert (
        deaths["rows"][-1]["year"] == 2025 and deaths["rows"][-1]["coverage"]["complete"] is False
    )
    # 2016: deaths cover the year, the arrivals fixture May-December only; 2017: arrivals end in March
    assert rate["rows"] == []
    assert any(
        "year=2016: dead and missing cover 2016-01 to 2016-12, arrivals (iom_dtm_arrivals) cover "
        "2016-05 to 2016-12; not the same period, no rate" in gap
        for gap in rate["gaps"]
    )
