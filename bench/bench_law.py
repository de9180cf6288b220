"""Law engine benchmark: vectorized engine vs a hand-written numpy rule vs the scalar engine.

All three compute the UN-SOM verdict (three-valued) on the same generated cases, side by side in
one run; the figures are medians over repeats. Then the end-to-end batch command on a Parquet file
of 1M cases against UN-SOM and UN-TIP, process start included.

The cases are SYNTHETIC: each fact is drawn at random, and unknown (null) with probability
`--unknown` (default 0.15), to exercise the unknown paths as real case files do.

    python bench/bench_law.py [--rows 1000000] [--scalar-rows 20000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from timing import median_seconds

from somlab.facts import FACTS, Case
from somlab.facts_table import table_from_arrow
from somlab.law.corpus import default_corpus
from somlab.law.scalar import evaluate
from somlab.law.vector import evaluate_table

RESULTS = Path(__file__).parent / "results"


def synthetic_cases(n: int, unknown: float, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {
        "id": pa.array(np.char.add("c", np.arange(n).astype(str))),
        "date": pa.array(np.datetime64("2005-01-01") + rng.integers(0, 7000, n)).cast(pa.date32()),
    }
    for f in FACTS:
        if "." not in f.path:
            continue
        mask = rng.random(n) < unknown
        if f.kind == "bool":
            cols[f.path] = pa.array(rng.random(n) < 0.5, mask=mask)
        elif f.kind == "enum":
            cols[f.path] = pa.array(
                np.array(f.choices)[rng.integers(0, len(f.choices), n)], mask=mask
            )
        elif f.kind == "enumlist":
            combos = np.array(["", *f.choices[:3], ";".join(f.choices[:2])])
            values = combos[rng.integers(0, len(combos), n)]
            values = np.where(values == "", "[]", values)
            cols[f.path] = pa.array(values, mask=mask)
        elif f.kind == "count":
            cols[f.path] = pa.array(rng.integers(0, 5, n).astype(float), mask=mask)
        elif f.kind == "amount":
            cols[f.path] = pa.array(rng.random(n) * 5000, mask=mask)
    return pa.table(cols)


def handwritten_un_som(t) -> tuple[np.ndarray, np.ndarray]:
    """The UN-SOM offence written directly in numpy (Kleene logic on true/false masks)."""
    c = t.columns

    def b(path, expected=True):
        col = c[path]
        return (col.true, col.false) if expected else (col.false, col.true)

    def doc(values):
        col = c["conduct.document_fraud"]
        hit = np.isin(col.codes, [col.code_of(v) for v in values])
        known = col.codes >= 0
        return known & hit, known & ~hit

    def contains(path, *members):
        col = c[path]
        hit = np.zeros(len(col.known), dtype=bool)
        for member in members:
            hit |= col.members[member]
        return col.known & hit, col.known & ~hit

    def all_(*xs):
        tt, ff = xs[0][0].copy(), xs[0][1].copy()
        for x_t, x_f in xs[1:]:
            tt &= x_t
            ff |= x_f
        return tt, ff

    def any_(*xs):
        tt, ff = xs[0][0].copy(), xs[0][1].copy()
        for x_t, x_f in xs[1:]:
            tt |= x_t
            ff &= x_f
        return tt, ff

    count = c["migrants.count"]
    known = ~np.isnan(count)
    le1 = (known & (count <= 1), known & ~(count <= 1))
    intent = b("conduct.intentional")
    # a benefit, unless it only reimburses costs of family or humanitarian help (para 88 reading)
    benefit = all_(
        b("benefit.obtained"),
        any_(
            b("benefit.exceeds_costs"),
            all_(b("actor.is_family_member", False), b("motive.humanitarian", False)),
        ),
    )
    not_national, irregular = b("migrants.nationals_or_residents", False), b("migrants.irregular")
    entry = contains("conduct.facilitated", "entry", "transit")  # transit crossings are entries
    purpose = all_(entry, irregular, not_national)
    smuggling = all_(intent, benefit, entry, irregular, not_national)
    producing = all_(intent, benefit, purpose, doc(["produced"]))
    providing = all_(intent, benefit, purpose, doc(["procured_or_provided", "possessed"]))
    stay = all_(
        intent,
        benefit,
        all_(contains("conduct.facilitated", "stay"), not_national),
        b("migrants.irregular"),
        any_(doc(["produced", "procured_or_provided", "possessed"]), b("conduct.illegal_means")),
    )
    art5 = all_(b("actor.is_smuggled_migrant"), any_(le1, b("benefit.obtained", False)))
    not_art5 = (art5[1], art5[0])
    return any_(*(all_(o, not_art5) for o in (smuggling, producing, providing, stay)))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--scalar-rows", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--unknown", type=float, default=0.15)
    args = ap.parse_args()

    arrow = synthetic_cases(args.rows, args.unknown)
    table = table_from_arrow(arrow, "synthetic")
    compiled = default_corpus().history("UN-SOM")[0]

    hand = handwritten_un_som(table)
    vec = evaluate_table(compiled, table, with_missing=False)
    assert np.array_equal(hand[0], vec.offence_true) and np.array_equal(hand[1], vec.offence_false)

    t_hand = median_seconds(lambda: handwritten_un_som(table), args.repeats)
    # the batch memoises fact tests: clear it so that every repeat computes from scratch
    t_vec = median_seconds(
        lambda: (table.memo.clear(), compiled.offence.vector(table, False)), args.repeats
    )
    t_vec_full = median_seconds(
        lambda: (table.memo.clear(), evaluate_table(compiled, table, True)), args.repeats
    )

    sample = arrow.slice(0, args.scalar_rows).to_pylist()
    cases = []
    for row in sample:
        facts = {k: v for k, v in row.items() if k not in ("id", "date") and v is not None}
        for k, v in facts.items():
            if k in ("conduct.facilitated", "exploitation.act", "exploitation.means"):
                facts[k] = [] if v == "[]" else v.split(";")
        cases.append(Case(row["id"], row["date"], facts))
    t_scalar = median_seconds(
        lambda: [evaluate(compiled, c) for c in cases], max(1, args.repeats // 2)
    )
    t_scalar_per_row = t_scalar / len(cases)

    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "cases.parquet", Path(tmp) / "verdicts.parquet"
        pq.write_table(arrow, src)
        cmd = [
            sys.executable,
            "-m",
            "somlab.cli",
            "assess",
            str(src),
            "--out",
            str(out),
            "-j",
            "UN-SOM,UN-TIP",
        ]
        e2e = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            e2e.append(time.perf_counter() - t0)
        rows_out = pq.read_metadata(out).num_rows
    t_e2e = statistics.median(e2e)

    n = args.rows
    report = {
        "rows": n,
        "unknown_share": args.unknown,
        "repeats": args.repeats,
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
        "handwritten_numpy_s": t_hand,
        "engine_vector_offence_s": t_vec,
        "engine_vector_full_s": t_vec_full,
        "engine_scalar_per_row_s": t_scalar_per_row,
        "engine_scalar_extrapolated_s": t_scalar_per_row * n,
        "ratio_vector_to_handwritten": t_vec / t_hand,
        "speedup_vector_over_scalar": t_scalar_per_row * n / t_vec,
        "speedup_vector_full_over_scalar": t_scalar_per_row * n / t_vec_full,
        "end_to_end_parquet_s": t_e2e,
        "end_to_end_rows_written": rows_out,
    }
    print(f"UN-SOM offence on {n:,} synthetic cases ({args.unknown:.0%} unknown facts), medians:")
    print(f"  hand-written numpy          {t_hand * 1e3:9.1f} ms")
    print(
        f"  engine, vectorized verdict  {t_vec * 1e3:9.1f} ms   ({t_vec / t_hand:.2f}x hand-written)"
    )
    print(f"  engine, vectorized + missing facts + aggravation {t_vec_full * 1e3:9.1f} ms")
    print(
        f"  engine, scalar with trace   {t_scalar_per_row * 1e6:9.1f} us/case -> "
        f"{t_scalar_per_row * n:7.1f} s for {n:,}  (vectorized is "
        f"{t_scalar_per_row * n / t_vec:,.0f}x faster; with missing facts "
        f"{t_scalar_per_row * n / t_vec_full:,.0f}x)"
    )
    print(
        f"  end to end: somlab assess {n:,}-row Parquet -j UN-SOM,UN-TIP --out parquet "
        f"(process start included): {t_e2e:.2f} s, {rows_out:,} verdict rows"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "law.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
