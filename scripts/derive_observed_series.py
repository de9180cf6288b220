"""Derive the observed monthly series of the central-mediterranean-2014-2019 scenario.

Reads public files from the shared data folder (never copied into the repository) and writes
the monthly aggregates to the scenario's ``observed.csv``:

* ``arrivals``: sea arrivals to Italy and Malta. Italy: UNHCR Operational Data Portal monthly
  series (``unhcr_med_arrivals_2014-2019/unhcr_arrivals_12_31.csv``, compiled 2 January 2020,
  Jan 2014 - Oct 2019), Nov and Dec 2019 from IOM DTM Europe (``iom_gdidata/csv_derived/
  dtm_med.csv``, geo ITA, updated 16 January 2025). The compilation's last month, November
  2019, is a provisional count taken before the month was complete (Italy 915 against the
  1,232 of the later vintage; Greece and Spain, sea and land, 46% and 78% below it), so it is
  not used. Malta: UNHCR where given, else IOM DTM where given; in months where neither has
  Malta (Jul 2016 - Dec 2017; DTM gives only the yearly totals of 2016 and 2017, 24 and 20
  persons, dated December, which are not monthly figures) Italy alone is counted and
  ``malta_known`` is false.
* ``dead_missing``: dead and missing on the Central Mediterranean route, IOM Missing Migrants
  Project via IOM gdidata (``iom_gdidata/csv_derived/iom_mmp.csv``, route "Central Mediterranean
  Route", column ``dead`` = dead and missing), summed by incident month.
* ``arrivals_greece_sea`` and ``arrivals_spain_sea``: sea arrivals to Greece and to Spain, UNHCR
  Operational Data Portal (same file, columns ``greece_sea`` and ``spain_sea``; Jan 2014 - Oct
  2019 for Greece, Jan 2017 - Oct 2019 for Spain, whose sea/land split UNHCR does not give
  earlier). November and December 2019 and Spain before 2017 are left empty: the compilation's
  November is provisional, and IOM DTM gives sea and land together, which is not the same
  count. They validate the scenario's alternative routes (Turkey-Greece, Morocco-Spain), which
  the Central Mediterranean series cannot check.
* ``detections_central_med``: Frontex detections of illegal border crossing, Central
  Mediterranean route, sea and land (``iom_gdidata/csv_derived/frontex.csv``), for context.

Cross-checks printed (not written): the UNHCR compilation against the later IOM DTM vintage
(Italy, Malta, and Greece and Spain sea and land), month by month and by year; MMP gdidata
against the IOM MMP 2025 export.

Usage: python scripts/derive_observed_series.py [--data ../shared/data] [--out FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "src/somlab/scenarios/central-mediterranean-2014-2019"
MONTHS = pd.period_range("2014-01", "2019-12", freq="M").strftime("%Y-%m")
# country -> (UNHCR compilation column, IOM DTM geo, first month compared); both count sea and
# land arrivals. Spain from 2017, the months whose sea arrivals the scenario takes from UNHCR.
VINTAGE_PAIRS = {
    "Italy": ("italy_all", "ITA", "2014-01"),
    "Malta": ("malta_all", "MLT", "2014-01"),
    "Greece": ("greece_all", "GRC", "2014-01"),
    "Spain": ("spain_all", "ESP", "2017-01"),
}
GAP_SHARE, GAP_PERSONS = 0.10, 50  # a month's gap between vintages worth printing


def unhcr_arrivals(data: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        data / "unhcr_med_arrivals_2014-2019/unhcr_arrivals_12_31.csv",
        encoding="utf-8-sig",
        na_values="NA",
    )
    frame["month"] = (
        frame["year"].astype(str) + "-" + frame["month"].astype(int).map("{:02d}".format)
    )
    return frame.set_index("month")[
        ["italy_all", "malta_all", "greece_all", "greece_sea", "spain_all", "spain_sea"]
    ]


def dtm_arrivals(data: Path) -> pd.DataFrame:
    frame = pd.read_csv(data / "iom_gdidata/csv_derived/dtm_med.csv")
    frame = frame[frame["geo"].isin([geo for _, geo, _ in VINTAGE_PAIRS.values()])]
    # Before its monthly coverage DTM gives a country's yearly total as the year's only row,
    # dated December (Malta 2014: 569 against UNHCR's monthly sum of 568): not a monthly figure.
    year = frame["t"].str[:4]
    alone = frame.groupby(["geo", year])["t"].transform("size") == 1
    frame = frame[~(alone & frame["t"].str.endswith("-12"))]
    return frame.pivot_table(index="t", columns="geo", values="n", aggfunc="sum")


def report_vintages(unhcr: pd.DataFrame, dtm: pd.DataFrame) -> None:
    """Print, per country, the months where the UNHCR compilation (January 2020) and IOM DTM
    (January 2025) differ by more than GAP_SHARE of the later figure and GAP_PERSONS persons."""
    print("Arrivals, UNHCR compilation (Jan 2020) against IOM DTM (Jan 2025):")
    for country, (column, geo, first) in VINTAGE_PAIRS.items():
        both = pd.DataFrame({"unhcr": unhcr[column], "dtm": dtm[geo]})[first:].dropna()
        gap = both["unhcr"] - both["dtm"]
        print(
            f"  {country}: equal in {int((gap == 0).sum())} of {len(both)} months, "
            f"largest gap {gap.abs().max():,.0f} ({gap.abs().idxmax()})"
        )
        material = (gap.abs() > GAP_SHARE * both["dtm"]) & (gap.abs() > GAP_PERSONS)
        for month, row in both[material].iterrows():
            print(f"    {month}: {row.unhcr:,.0f} against {row.dtm:,.0f} ({gap[month]:+,.0f})")


def mmp_dead_missing(data: Path) -> pd.Series:
    frame = pd.read_csv(
        data / "iom_gdidata/csv_derived/iom_mmp.csv", usecols=["m", "route", "dead"]
    )
    central = frame[frame["route"] == "Central Mediterranean Route"]
    return central.groupby("m")["dead"].sum()


def mmp_export_check(data: Path) -> pd.Series:
    frame = pd.read_csv(
        data / "iom_mmp_global_2014-2025/DERIVED_Missing_Migrants_Global_Figures_allData.csv",
        usecols=["Incident Date", "Migration Route", "Total Number of Dead and Missing"],
        low_memory=False,
    )
    central = frame[frame["Migration Route"] == "Central Mediterranean"]
    month = pd.to_datetime(central["Incident Date"], errors="coerce").dt.strftime("%Y-%m")
    return central.groupby(month)["Total Number of Dead and Missing"].sum()


def frontex_central(data: Path) -> pd.Series:
    frame = pd.read_csv(data / "iom_gdidata/csv_derived/frontex.csv")
    return frame[frame["route"] == "Central Mediterranean Route"].groupby("t")["n"].sum()


def derive(data: Path) -> pd.DataFrame:
    unhcr, dtm = unhcr_arrivals(data).reindex(MONTHS), dtm_arrivals(data).reindex(MONTHS)
    report_vintages(unhcr, dtm)
    # The compilation's last month (Nov 2019) was counted before it was complete: every country
    # falls short of the later vintage there (printed above). Italy and Malta take the later
    # figure; Greece's and Spain's sea arrivals, which DTM does not give apart, stay unknown.
    unhcr.loc[unhcr["italy_all"].last_valid_index()] = float("nan")
    italy = unhcr["italy_all"].fillna(dtm["ITA"])
    malta = unhcr["malta_all"].fillna(dtm["MLT"])
    gap = italy - dtm["ITA"]
    yearly = gap.groupby(gap.index.str[:4]).sum()
    print(
        f"Italy, observed against IOM DTM: equal in {int((gap == 0).sum())} of {len(gap)} "
        f"months, largest gap {gap.abs().max():,.0f} ({gap.abs().idxmax()}); yearly totals "
        f"{'equal' if (yearly == 0).all() else 'differ'}; 2019: {italy['2019-01':].sum():,.0f}"
    )
    dead = mmp_dead_missing(data).reindex(MONTHS).fillna(0)
    check = mmp_export_check(data).reindex(MONTHS).fillna(0)
    print(
        f"Central Med dead and missing, gdidata vs MMP 2025 export: largest monthly gap {(dead - check).abs().max():.0f}"
    )
    return pd.DataFrame(
        {
            "month": MONTHS,
            "arrivals": (italy + malta.fillna(0)).astype(int).to_numpy(),
            "arrivals_italy": italy.astype(int).to_numpy(),
            "arrivals_malta": pd.array(malta.round().to_numpy(), dtype="Int64"),
            "malta_known": malta.notna().to_numpy(),
            "dead_missing": dead.astype(int).to_numpy(),
            "arrivals_greece_sea": pd.array(unhcr["greece_sea"].round().to_numpy(), dtype="Int64"),
            "arrivals_spain_sea": pd.array(unhcr["spain_sea"].round().to_numpy(), dtype="Int64"),
            "detections_central_med": frontex_central(data)
            .reindex(MONTHS)
            .fillna(0)
            .astype(int)
            .to_numpy(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data")
    parser.add_argument("--out", type=Path, default=SCENARIO / "observed.csv")
    args = parser.parse_args()
    frame = derive(args.data)
    frame.to_csv(args.out, index=False)
    print(f"wrote {len(frame)} months to {args.out}")


if __name__ == "__main__":
    main()
