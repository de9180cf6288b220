"""Where a full-model run's time goes on a GPU: one warm CuPy run under cProfile.

GPU work is asynchronous, so kernel time shows up at the next host synchronisation; the profile
therefore names the Python lines that wait (``.get()``, ``int()``, ``nonzero``) as well as the
stages that launch the work. Writes the 40 costliest functions by own time and by cumulative
time, and the CUDA kernels timed by CuPy's profiler when it is available.

    OUT=/some/folder PYTHONPATH=src python3 bench/gpu_profile.py --full-agents 10000000
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sim import _members, _sync  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-agents", type=int, default=10_000_000)
    parser.add_argument("--backend", default="cupy")
    args = parser.parse_args()
    out = Path(os.environ.get("OUT", "."))
    from somlab.sim import ensemble

    members = _members(1, [f"params.pool_agents={args.full_agents}", "params.persons_per_agent=1"])
    ensemble.run_members(members, args.backend)  # warm-up: kernel compilation
    _sync(args.backend)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    ensemble.run_members(members, args.backend)
    _sync(args.backend)
    profile.disable()
    wall = time.perf_counter() - started
    text = io.StringIO()
    text.write(f"one run, {args.full_agents:,} slots, backend {args.backend}: {wall:.2f} s\n\n")
    for key in ("tottime", "cumulative"):
        text.write(f"== by {key}\n")
        pstats.Stats(profile, stream=text).sort_stats(key).print_stats(40)
    (out / "gpu_profile.txt").write_text(text.getvalue(), encoding="utf-8")
    print(text.getvalue()[:6000])


if __name__ == "__main__":
    main()
