"""Evidence benchmarks: ingest of the full MMP 2014-2025 export and of the Frontex table (target < 2 s
each), and every indicator query on the full store (target < 100 ms). Medians, with a pandas baseline
reading the same file measured in the same run, and the ratio somlab / baseline.

Run: .venv/bin/python bench/bench_evidence.py   (needs ../shared/data or SOMLAB_SHARED)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pandas as pd
from timing import median_seconds

from somlab.evidence.indicators import catalogue, compute
from somlab.evidence.ingest import ingest
from somlab.evidence.store import Store

DATA = (
    Path(os.environ.get("SOMLAB_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    / "data"
)
MMP_XLSX = DATA / "iom_mmp_global_2014-2025" / "Missing_Migrants_Global_Figures_allData.xlsx"
FRONTEX = DATA / "iom_gdidata" / "csv_derived" / "frontex.csv"
OTHERS = [
    DATA / "iom_gdidata" / "csv_derived" / "dtm_med.csv",
    DATA / "unhcr_med_arrivals_2014-2019" / "unhcr_arrivals_12_31.csv",
    DATA / "uk_small_boats_2018-2026" / "long_uk_small_boats_daily.csv",
    *sorted((DATA / "eurostat_enforcement_2010-2016").glob("*.csv")),
    *sorted((DATA / "eurostat_enforcement_2014-2023").glob("*.csv")),
]
QUERIES = {
    "dead_missing": dict(by=["year", "route"]),
    "death_rate": dict(by=["year", "month"]),
    "detections": dict(by=["year", "route", "nationality"]),
    "arrivals": dict(by=["year", "month", "route"]),
    "enforcement": dict(by=["year", "country"]),
}


def ingest_fresh(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.duckdb") as store:
        ingest([path], store)


def main() -> int:
    if not MMP_XLSX.exists():
        print(f"absent: {MMP_XLSX} (set SOMLAB_SHARED)")
        return 1
    print(
        "ingest (fresh store, median of 5)            somlab   baseline               ratio  target"
    )
    rows = [
        (
            "MMP 2014-2025 xlsx",
            MMP_XLSX,
            lambda: pd.read_excel(MMP_XLSX, engine="openpyxl"),
            "pandas.read_excel/openpyxl",
        ),
        (
            "MMP 2014-2025 xlsx",
            MMP_XLSX,
            lambda: pd.read_excel(MMP_XLSX, engine="calamine"),
            "pandas.read_excel/calamine",
        ),
        ("Frontex detections CSV", FRONTEX, lambda: pd.read_csv(FRONTEX), "pandas.read_csv"),
    ]
    ingest_fresh(FRONTEX)  # warm-up: imports and DuckDB start
    for label, path, baseline, baseline_name in rows:
        ours = median_seconds(lambda: ingest_fresh(path), 5)
        theirs = median_seconds(baseline, 3 if "openpyxl" in baseline_name else 5)
        verdict = "ok" if ours < 2 else "SLOW"
        print(
            f"  {label:<28} {ours:7.3f} s  {theirs:7.3f} s {baseline_name:<30} {ours / theirs:5.2f}x  <2 s {verdict}"
        )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "full.duckdb"
        with Store(path) as store:
            ingest([MMP_XLSX, FRONTEX, *[p for p in OTHERS if p.exists()]], store)
        with Store(path, read_only=True) as store:
            frame = store.connection.execute("SELECT * FROM incidents").df()
            print(
                "indicator queries on the full store (median of 20)   somlab   pandas groupby   ratio  target"
            )
            for name in [e["indicator"] for e in catalogue() if not e["gap"]]:
                options = QUERIES[name]
                ours = median_seconds(lambda: compute(name, store, **options), 20)
                line = f"  {name:<14} by {','.join(options['by']):<26} {ours * 1000:7.1f} ms"
                if name == "dead_missing":
                    theirs = median_seconds(
                        lambda: frame.groupby(["year", "route"]).dead_missing.sum(), 20
                    )
                    line += f"  {theirs * 1000:7.1f} ms  {ours / theirs:5.2f}x"
                else:
                    line += " " * 21
                print(line + f"  <100 ms {'ok' if ours < 0.1 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
