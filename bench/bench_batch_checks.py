"""Cost of the batch checks: the same 1M-row SYNTHETIC Parquet batch read by two source trees,
in alternation, each call in its own process; medians of the CPU time (all threads, user +
system) and of the wall time.

  1. `read_table(path, facts of UN-SOM and UN-TIP)`, the read and checks alone;
  2. `somlab assess FILE.parquet -j UN-SOM,UN-TIP --out verdicts.parquet`, process start included.

The other tree is any checkout of somlab, e.g. the commit before the checks:

    git worktree add /tmp/somlab-base <commit>
    python bench/bench_batch_checks.py --baseline-src /tmp/somlab-base/src [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from bench_law import synthetic_cases

HERE = Path(__file__).parent
RESULTS = HERE / "results"
READ = (
    "import sys,time;from somlab.facts_table import read_table;"
    "from somlab.law.corpus import default_corpus;c=default_corpus();"
    "need=set().union(*(x.facts() for k in ('UN-SOM','UN-TIP') for x in c.history(k)));"
    "import pyarrow.parquet;w=time.perf_counter();p=time.process_time();"
    "read_table(sys.argv[1],need);print(time.process_time()-p,time.perf_counter()-w)"
)


def _read(src: str, path: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", READ, str(path)],
        env={"PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=True,
    )
    cpu, wall = map(float, out.stdout.split())
    return cpu, wall


def _assess(src: str, path: Path, out: Path) -> tuple[float, float]:
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "somlab.cli",
            "assess",
            str(path),
            "--out",
            str(out),
            "-j",
            "UN-SOM,UN-TIP",
        ],
        env={"PYTHONPATH": src},
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime), wall


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--baseline-src", help="src folder of the tree to compare with")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if not args.baseline_src:
        print("bench_batch_checks: give --baseline-src PATH (see the docstring); nothing measured")
        return
    trees = {"baseline": args.baseline_src, "this tree": str(HERE.parent / "src")}
    report: dict[str, dict] = {"rows": args.rows, "repeats": args.repeats}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.parquet"
        pq.write_table(synthetic_cases(args.rows, 0.15), path)
        for step, run in (
            ("read_table", lambda src: _read(src, path)),
            ("assess end to end", lambda src: _assess(src, path, Path(tmp) / "v.parquet")),
        ):
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            for _ in range(args.repeats):
                for name, src in trees.items():
                    times[name].append(run(src))
            medians = {
                name: [statistics.median(t[i] for t in times[name]) for i in (0, 1)]
                for name in trees
            }
            report[step] = medians
            base, this = medians["baseline"], medians["this tree"]
            print(
                f"{step}, {args.rows:,} synthetic cases, medians of {args.repeats}: CPU "
                f"{base[0]:.2f} s -> {this[0]:.2f} s ({this[0] / base[0]:.2f}x); wall "
                f"{base[1]:.2f} s -> {this[1]:.2f} s ({this[1] / base[1]:.2f}x)"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch_checks.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
