"""Whole-corpus benchmark: 1M cases against every jurisdiction, and conformity at 10 dates.

Side by side in one run: the vectorized engine with and without the missing-facts computation,
and the scalar engine (with traces) on a sample, extrapolated to the same batch. Medians over
repeats; file reading and process start excluded.
The cases are SYNTHETIC (see bench_law.py).

    python bench/bench_corpus.py [--rows 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from bench_law import synthetic_cases
from timing import median_seconds

from somlab.conformity.profile import conformity
from somlab.facts import Case
from somlab.facts_table import table_from_arrow
from somlab.law.assess import assess_one
from somlab.law.corpus import default_corpus
from somlab.law.vector import evaluate_versions

RESULTS = Path(__file__).parent / "results"
LISTS = ("conduct.facilitated", "exploitation.act", "exploitation.means")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    corpus = default_corpus()
    codes = corpus.codes()
    for code in codes:
        corpus.history(code)
    arrow = synthetic_cases(args.rows, 0.15)

    def all_laws(with_missing: bool) -> None:
        table = table_from_arrow(arrow, "synthetic")  # a fresh batch: nothing memoised yet
        t0 = time.perf_counter()
        for code in codes:
            evaluate_versions(corpus.history(code), table, with_missing)
        all_laws.elapsed = time.perf_counter() - t0  # type: ignore[attr-defined]

    def run(with_missing: bool) -> float:
        times = []
        for _ in range(args.repeats):
            all_laws(with_missing)
            times.append(all_laws.elapsed)  # type: ignore[attr-defined]
        return statistics.median(times)

    sample = [
        Case(
            r["id"],
            r["date"],
            {
                k: ([] if v == "[]" else v.split(";")) if k in LISTS else v
                for k, v in r.items()
                if k not in ("id", "date") and v is not None
            },
        )
        for r in arrow.slice(0, 2000).to_pylist()
    ]

    def scalar_per_case() -> float:
        t0 = time.perf_counter()
        for case in sample:
            for code in codes:
                assess_one(corpus, case, code)
        return (time.perf_counter() - t0) / len(sample)

    t_verdicts = run(False)
    t_missing = run(True)
    t_scalar = statistics.median(scalar_per_case() for _ in range(args.repeats)) * args.rows
    dates = [dt.date(y, 1, 1) for y in range(2016, 2026)]
    t_conformity = median_seconds(
        lambda: [conformity(d, corpus=corpus) for d in dates], args.repeats
    )

    report = {
        "rows": args.rows,
        "jurisdictions": len(codes),
        "codes": codes,
        "all_laws_verdicts_s": t_verdicts,
        "all_laws_with_missing_facts_s": t_missing,
        "scalar_extrapolated_s": t_scalar,
        "conformity_10_dates_all_laws_s": t_conformity,
    }
    print(
        f"{args.rows:,} synthetic cases x {len(codes)} jurisdictions (medians, file reading "
        "excluded):"
    )
    print(f"  verdicts, shared fact tests         {t_verdicts:6.2f} s")
    print(f"  verdicts + missing facts            {t_missing:6.2f} s")
    print(
        f"  scalar engine with traces (2,000-case sample, extrapolated) {t_scalar:8.0f} s "
        f"({t_scalar / t_verdicts:,.0f}x the vectorized verdicts)"
    )
    print(f"conformity battery, all laws, 10 dates: {t_conformity:.2f} s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "corpus.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
