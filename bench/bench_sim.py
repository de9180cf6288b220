"""Simulator benchmarks, side by side in one run; medians of repeats.

1. Reference model (N agents choosing among 5 routes by price and risk, dying with the route's
   probability and replaced, prices adjusting to demand) in Mesa and with somlab's array core:
   agent-steps per second and the ratio.
2. The full model (bundled scenario) on the chosen backend: agent-steps per second.
3. Dask ensemble speed-up from 1 to 2 workers (same runs, local cluster).

    python bench/bench_sim.py                         # N = 100,000, 100 steps
    python bench/bench_sim.py --backend cupy --agents 100000000 --skip-mesa --skip-dask
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timing import median_seconds  # noqa: E402

from somlab.sim import reference  # noqa: E402


def mesa_model(n: int, seed: int):
    import mesa

    class Migrant(mesa.Agent):
        def step(self):
            m = self.model
            r = self.random.choices(m.routes, cum_weights=m.cumw)[0]
            m.counts[r] += 1
            if self.random.random() < m.death[r]:
                m.deaths += 1

    class Market(mesa.Model):
        def __init__(self):
            super().__init__(seed=seed)
            self.routes = list(range(len(reference.PRICE0)))
            self.death = reference.DEATH.tolist()
            self.price = reference.PRICE0.copy()
            self.deaths = 0
            Migrant.create_agents(self, n)

        def step(self):
            self.cumw = np.cumsum(reference.choice_weights(self.price)).tolist()
            self.counts = [0] * len(self.routes)
            self.agents.shuffle_do("step")
            self.price = reference.update_price(self.price, np.array(self.counts, float), n)

    return Market()



def bench_reference(args) -> None:
    n, steps = args.agents, args.steps
    print(f"reference model: N={n:,}, {steps} steps, backend {args.backend}, median of {args.repeats}")
    reference.run(min(n, 10_000), 2, backend=args.backend)  # warm-up (imports, GPU context)
    core = median_seconds(lambda: reference.run(n, steps, backend=args.backend), args.repeats)
    print(f"  somlab core : {core:9.3f} s  {n * steps / core:16,.0f} agent-steps/s")
    if args.skip_mesa:
        return
    mesa_n = min(n, 100_000)

    def go():
        model = mesa_model(mesa_n, 1)
        for _ in range(steps):
            model.step()

    mesa_time = median_seconds(go, args.mesa_repeats)
    core_same = core if mesa_n == n else median_seconds(lambda: reference.run(mesa_n, steps, backend=args.backend), args.repeats)
    print(f"  Mesa 3      : {mesa_time:9.3f} s  {mesa_n * steps / mesa_time:16,.0f} agent-steps/s (N={mesa_n:,}, incl. agent creation)")
    print(f"  ratio somlab / Mesa: {mesa_time / core_same:,.0f}x")


def bench_full(args) -> None:
    from somlab.sim import model, settings
    from somlab.sim.scenario import load

    scenario, overrides = settings.apply(load("central-mediterranean-2014-2019"), [f"params.pool_agents={args.full_agents}"])
    steps = len(scenario.months) + scenario.parameters["spinup_months"]
    result = {}
    wall = median_seconds(lambda: result.update(model.run(scenario, 1, args.backend, overrides)), args.repeats)
    agent_steps = float(result["agent_steps"])
    print(f"full model: {args.full_agents:,} agents (at most {int(result['agents'].max()):,}) x {steps} months, "
          f"backend {args.backend}: {wall:.3f} s, {agent_steps / wall:,.0f} agent-steps/s")


def _plain_run(seed: int) -> None:
    from somlab.sim import model
    from somlab.sim.scenario import load

    model.run(load("central-mediterranean-2014-2019"), seed=seed)


def bench_dask(args) -> None:
    """Dask 1 -> 2 workers, next to the machine's own ceiling: the same runs in one and in two
    plain processes (multiprocessing, no Dask). On a VM whose two vCPUs share a physical core,
    or on a loaded machine, the ceiling is well below 2 and no scheduler can beat it."""
    import multiprocessing as mp
    import os

    from somlab.sim import ensemble
    from somlab.sim.scenario import load

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    ctx = mp.get_context("spawn")
    plain = {}
    for procs in (1, 2):
        with ctx.Pool(procs) as pool:
            pool.map(_plain_run, range(procs))  # warm-up: imports in each process
            plain[procs] = median_seconds(lambda: pool.map(_plain_run, range(1, args.ensemble_runs + 1), chunksize=1), args.repeats)
        print(f"plain processes, {procs}: {args.ensemble_runs} runs in {plain[procs]:.2f} s")
    print(f"  ceiling 1 -> 2 processes: {plain[1] / plain[2]:.2f}x")
    scenario = load("central-mediterranean-2014-2019")
    times = {}
    for workers in (1, 2):
        with ensemble.dask_client(workers=workers) as client:
            ensemble.run_ensemble(scenario, workers, 100, client=client)  # warm-up: imports on each worker
            times[workers] = median_seconds(lambda: ensemble.run_ensemble(scenario, args.ensemble_runs, 1, client=client), args.repeats)
        print(f"dask ensemble, {workers} worker(s): {args.ensemble_runs} runs in {times[workers]:.2f} s")
    print(f"  speed-up 1 -> 2 workers: {times[1] / times[2]:.2f}x (ceiling {plain[1] / plain[2]:.2f}x)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--backend", default="numpy", choices=["numpy", "cupy", "jax"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mesa-repeats", type=int, default=3)
    parser.add_argument("--full-agents", type=int, default=30_000)
    parser.add_argument("--ensemble-runs", type=int, default=8)
    parser.add_argument("--skip-mesa", action="store_true")
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    bench_reference(args)
    if not args.skip_full:
        bench_full(args)
    if not args.skip_dask:
        bench_dask(args)


if __name__ == "__main__":
    main()
