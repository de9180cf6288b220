"""The bundled arrivals against the later IOM DTM vintage: the differences the scenario README
states, measured again on the shared data (skipped where it is absent)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "src/somlab/scenarios/central-mediterranean-2014-2019"


@pytest.fixture(scope="module")
def vintages():
    """(UNHCR compilation, IOM DTM), monthly, read as scripts/derive_observed_series.py reads them."""
    shared_path("data", "unhcr_med_arrivals_2014-2019", "unhcr_arrivals_12_31.csv")
    data = shared_path("data", "iom_gdidata", "csv_derived", "dtm_med.csv").parents[2]
    spec = importlib.util.spec_from_file_location(
        "derive_observed_series", ROOT / "scripts/derive_observed_series.py"
    )
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    months = derive.MONTHS
    return derive.unhcr_arrivals(data).reindex(months), derive.dtm_arrivals(data).reindex(months)


@pytest.fixture(scope="module")
def readme():
    return " ".join((SCENARIO / "README.md").read_text(encoding="utf-8").split())


def gaps(series: pd.Series, later: pd.Series) -> pd.Series:
    both = pd.DataFrame({"series": series, "later": later}).dropna()
    return both["series"] - both["later"]


def test_bundled_italy_arrivals_differ_from_the_later_vintage_as_the_readme_states(
    vintages, readme
):
    observed = pd.read_csv(SCENARIO / "observed.csv", index_col="month")
    gap = gaps(observed["arrivals_italy"], vintages[1]["ITA"])
    largest = f"{gap.abs().max():,.0f}"
    assert f"equal in {(gap == 0).sum()} of {len(gap)} months, largest gap {largest}" in readme
    assert (gap.groupby(gap.index.str[:4]).sum() == 0).all(), "a yearly total differs from DTM"
    # the 2019 total against Polizia di Stato's annual figure, an independent publication
    curated = pd.read_csv(
        shared_path("data", "curated", "italy_sea_arrivals_by_departure_country.csv")
    )
    polizia = curated[
        (curated["series"] == "italy_sea_arrivals_total")
        & (curated["year"] == 2019)
        & (curated["period_type"] == "calendar_year")
    ]["value"]
    assert observed.loc["2019-01":, "arrivals_italy"].sum() == int(polizia.iloc[0]) == 11471


def test_compilation_against_the_later_vintage_as_the_readme_states(vintages, readme):
    unhcr, dtm = vintages
    italy = gaps(unhcr["italy_all"], dtm["ITA"])
    shifts = italy.drop("2019-11")
    assert f"equal in {(italy == 0).sum()} of {len(italy)} months" in readme
    assert f"{(shifts != 0).sum()} others are shifts" in readme
    assert f"at most {shifts.abs().max():,.0f} persons" in readme
    to_2018 = shifts.loc[:"2018-12"]
    assert (to_2018.groupby(to_2018.index.str[:4]).sum() == 0).all(), "shifts leave totals equal"
    malta = gaps(unhcr["malta_all"], dtm["MLT"])
    assert (
        f"equal in {(malta == 0).sum()} of the {len(malta)} months both give, "
        f"largest gap {malta.abs().max():,.0f}"
    ) in readme


def test_the_compilations_november_2019_is_replaced_or_left_empty(vintages, readme):
    unhcr, dtm = vintages
    for column, geo in [("italy_all", "ITA"), ("greece_all", "GRC"), ("spain_all", "ESP")]:
        early, later = unhcr.loc["2019-11", column], dtm.loc["2019-11", geo]
        assert early < later and f"{early:,.0f} against {later:,.0f}" in readme
    observed = pd.read_csv(SCENARIO / "observed.csv", index_col="month").loc["2019-11"]
    assert observed["arrivals_italy"] == dtm.loc["2019-11", "ITA"]
    assert observed["arrivals_malta"] == dtm.loc["2019-11", "MLT"]
    assert pd.isna(observed["arrivals_greece_sea"]) and pd.isna(observed["arrivals_spain_sea"])
