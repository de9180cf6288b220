"""Simulator benchmarks, side by side in one run; medians of repeats.

CPU (default):
1. Reference model (N agents choosing among 5 routes by price and risk, dying with the route's
   probability and replaced, prices adjusting to demand) in Mesa and with somlab's array core.
2. The full model (bundled scenario), the same runs batched (one array program) and one at a time.
3. An ensemble of ``--ensemble-runs`` runs of the bundled scenario as `somlab simulate` runs it
   (batches spread over one forked worker per core).
4. The CLI, process start included: `somlab compare` with 20 paired runs against `somlab
   simulate --runs 2`, in alternation.
5. Dask ensemble speed-up from 1 to 2 workers (same runs, local cluster), next to the ceiling.

GPU (``--gpu``): CuPy and JAX next to numpy, the reference and the full model, batched
ensembles, and the backends' agreement; printed as a Markdown table ready to paste.

    python bench/bench_sim.py                        # CPU sections
    python bench/bench_sim.py --gpu                  # GPU section (numpy rows run on the host CPU)

Agent-steps count array slots x months, the model's own ``agent_steps`` (free slots included,
spin-up months included); "agents in hubs" is the mean number of agents waiting at month ends.
On numpy the model works only on the occupied part of the arrays, on a GPU on all of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timing import median_seconds  # noqa: E402

from somlab.sim import reference  # noqa: E402

SCENARIO = "central-mediterranean-2014-2019"
# CPU acceptance targets (2 cores): the verdicts printed are computed from these
CLI_RATIO_TARGET = 3.0  # `compare --runs 20` at most this many times `simulate --runs 2`
ENSEMBLE_CPU_RUNS, ENSEMBLE_CPU_TARGET_S = 200, 60.0


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
    print(f"reference model: N={n:,}, {steps} steps, numpy, median of {args.repeats}")
    reference.run(min(n, 10_000), 2)  # warm-up
    core = median_seconds(lambda: reference.run(n, steps), args.repeats)
    print(f"  somlab core : {core:9.3f} s  {n * steps / core:16,.0f} agent-steps/s")
    if args.skip_mesa:
        return
    mesa_n = min(n, 100_000)

    def go():
        model = mesa_model(mesa_n, 1)
        for _ in range(steps):
            model.step()

    mesa_time = median_seconds(go, args.mesa_repeats)
    core_same = (
        core if mesa_n == n else median_seconds(lambda: reference.run(mesa_n, steps), args.repeats)
    )
    print(
        f"  Mesa 3      : {mesa_time:9.3f} s  {mesa_n * steps / mesa_time:16,.0f} agent-steps/s (N={mesa_n:,}, incl. agent creation)"
    )
    print(f"  ratio somlab / Mesa: {mesa_time / core_same:,.0f}x")


def _members(runs: int, assignments=(), seed: int = 1):
    from somlab.sim import service
    from somlab.sim.model import Member

    scenario, overrides = service.prepare(SCENARIO, list(assignments))
    return [Member(scenario, overrides, seed + i) for i in range(runs)]


def bench_batched(args) -> None:
    """The same runs as one array program per batch, and one at a time (both in one process)."""
    from somlab.sim import ensemble, model

    members = _members(args.batch_runs)
    model.run_batch(members[:1])  # warm-up
    one = median_seconds(lambda: [model.run_batch([m]) for m in members], args.repeats)
    batched = median_seconds(lambda: ensemble.run_members(members), args.repeats)
    print(
        f"full model, {len(members)} runs of {SCENARIO}, numpy, one process, median of {args.repeats}:"
    )
    print(f"  one run at a time : {one:7.2f} s  ({one / len(members):.3f} s a run)")
    print(
        f"  batched ({ensemble.CPU_BATCH} a batch): {batched:7.2f} s  ({batched / len(members):.3f} s a run)  "
        f"ratio {one / batched:.2f}x"
    )


def bench_ensemble(args) -> None:
    from somlab.sim import service

    members = _members(args.ensemble_runs)
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)"
    )
    start = time.perf_counter()
    with service.runner(None) as run:
        run(members)
    wall = time.perf_counter() - start
    verdict = (
        ""
        if len(members) < ENSEMBLE_CPU_RUNS
        else f" (target {ENSEMBLE_CPU_RUNS} runs <= {ENSEMBLE_CPU_TARGET_S:.0f} s: {'met' if wall <= ENSEMBLE_CPU_TARGET_S else 'NOT met'})"
    )
    print(
        f"ensemble of {len(members)} runs (as `somlab simulate --runs {len(members)}`, without process start): "
        f"{wall:.1f} s, {wall / len(members):.3f} s a run{verdict}"
    )


def bench_cli(args) -> None:
    """The CLI as a user runs it (process start included): `compare` with 20 paired runs against
    `simulate --runs 2`, in alternation; medians, and the ratio next to its target."""
    import statistics
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    commands = {
        "simulate --runs 2": ["simulate", SCENARIO, "--runs", "2", "--format", "json"],
        "compare --runs 20": [
            "compare",
            SCENARIO,
            "--runs",
            "20",
            "--set",
            "enforcement.libya_italy=*3",
            "--format",
            "json",
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)"
    )
    for _ in range(args.cli_alternations):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "somlab.cli", *command],
                env=env,
                check=True,
                capture_output=True,
            )
            times[name].append(time.perf_counter() - start)
    simulate, compare = (statistics.median(times[name]) for name in commands)
    print(
        f"CLI, medians of {args.cli_alternations} alternations: `somlab compare ... --runs 20` {compare:.2f} s, "
        f"`somlab simulate ... --runs 2` {simulate:.2f} s: ratio {compare / simulate:.2f}x "
        f"(target <= {CLI_RATIO_TARGET:g}x: {'met' if compare / simulate <= CLI_RATIO_TARGET else 'NOT met'})"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _plain_run(seed: int) -> None:
    from somlab.sim import model

    model.run_batch(_members(1, seed=seed))


def bench_dask(args) -> None:
    """Dask 1 -> 2 workers, next to the machine's own ceiling: the same runs in one and in two
    plain processes (multiprocessing, no Dask). On a VM whose two vCPUs share a physical core,
    or on a loaded machine, the ceiling is well below 2 and no scheduler can beat it."""
    import multiprocessing as mp

    from somlab.sim import ensemble

    runs = args.dask_runs
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)"
    )
    ctx = mp.get_context("spawn")
    plain = {}
    for procs in (1, 2):
        with ctx.Pool(procs) as pool:
            pool.map(_plain_run, range(procs))  # warm-up: imports in each process
            plain[procs] = median_seconds(
                lambda: pool.map(_plain_run, range(1, runs + 1), chunksize=1), args.repeats
            )
        print(f"plain processes, {procs}: {runs} runs in {plain[procs]:.2f} s")
    print(f"  ceiling 1 -> 2 processes: {plain[1] / plain[2]:.2f}x")
    members = _members(runs)
    times = {}
    for workers in (1, 2):
        with ensemble.dask_client(workers=workers) as client:
            ensemble.run_members(
                members[:workers], client=client, batch_size=1
            )  # warm-up: imports on each worker
            times[workers] = median_seconds(
                lambda: ensemble.run_members(members, client=client, batch_size=1), args.repeats
            )
        print(f"dask ensemble, {workers} worker(s): {runs} runs in {times[workers]:.2f} s")
    print(
        f"  speed-up 1 -> 2 workers: {times[1] / times[2]:.2f}x (ceiling {plain[1] / plain[2]:.2f}x)"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# --- GPU section -----------------------------------------------------------------------------


def _sync(backend: str) -> None:
    if backend == "cupy":
        import cupy

        cupy.cuda.Device().synchronize()


_NOT_MEASURED: dict[str, str] = {}  # label -> why, for the target rows of the table


def _try(label: str, action):
    """Run one measurement; a backend that is missing or fails gives a row that says why."""
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - a GPU row must fail soft, with its reason
        _NOT_MEASURED[label] = f"{type(exc).__name__}: {exc}"
        print(f"  [{label}] not measured: {_NOT_MEASURED[label]}", flush=True)
        return None


def _full_run(backend: str, assignments, runs: int = 1, seed: int = 1, repeats: int = 1):
    from somlab.sim import ensemble

    members = _members(runs, assignments, seed)
    result = {}

    def go():
        result["runs"] = ensemble.run_members(members, backend)
        _sync(backend)

    if backend != "numpy":
        ensemble.run_members(members[:1], backend)  # warm-up: kernel compilation
        _sync(backend)
    wall = median_seconds(go, repeats)
    runs_out = result["runs"]
    slot_steps = sum(float(r["agent_steps"]) for r in runs_out)
    ppa = members[0].scenario.parameters["persons_per_agent"]
    hub = float(np.mean([r["waiting"].sum(axis=1).mean() / ppa for r in runs_out]))
    return wall, slot_steps, hub, runs_out


def _plain_cupy_reference(n: int, steps: int, seed: int = 1) -> int:
    """The reference model as a straightforward CuPy program (no fused kernels): the side-by-side
    baseline of somlab's CuPy version."""
    import cupy as cp

    rng = cp.random.default_rng(seed)
    death = cp.asarray(reference.DEATH.astype(np.float32))
    attempts = cp.zeros(n, dtype=cp.int32)
    price = cp.asarray(reference.PRICE0)
    deaths = cp.zeros((), dtype=cp.int64)
    for _ in range(steps):
        cumulative = cp.cumsum(reference.choice_weights(price, cp))
        route = cp.searchsorted(
            (cumulative[:-1] / cumulative[-1]).astype(cp.float32),
            rng.random(n, dtype=cp.float32),
            side="right",
        )
        died = rng.random(n, dtype=cp.float32) < death[route]
        deaths += died.sum()
        attempts = cp.where(died, 0, attempts + 1)
        price = reference.update_price(
            price, cp.bincount(route, minlength=len(reference.PRICE0)).astype(float), n, cp
        )
    return int(deaths)


# The acceptance targets of the GPU section (one H200): the verdicts in the table are computed from these.
FULL_MODEL_TARGET = 1e9  # agent-steps/s, full model at >= FULL_MODEL_SLOTS slots, CuPy
FULL_MODEL_SLOTS = 10_000_000
ENSEMBLE_RUNS = 1_000  # runs of the bundled scenario ...
ENSEMBLE_TARGET_S = 60.0  # ... within this many seconds
# somlab's CuPy reference model at least this share of the plain CuPy program's speed
REFERENCE_RATIO_TARGET = 0.9


def _route_choice_fused_vs_plain(slots: int, repeats: int = 20):
    """One month's route choice over ``slots`` agent slots on CuPy: the fused kernel and the same
    function as separate CuPy kernels; medians in seconds, and whether fusion compiled."""
    import cupy as cp

    from somlab.sim.agreement import route_draw_sample
    from somlab.sim.backend import CupyBackend
    from somlab.sim.mechanisms.choice import route_draw

    n, n_corr = 4, 3
    args = [cp.asarray(x) for x in route_draw_sample(1, slots, n, n_corr)]
    fused = CupyBackend([1], cp).fused(route_draw, n, n_corr)
    plain = route_draw(cp, n, n_corr)
    times = {}
    for label, function in (("fused", fused), ("plain", plain)):
        function(*args)  # compilation
        _sync("cupy")

        def go(function=function):
            function(*args)
            _sync("cupy")

        times[label] = median_seconds(go, repeats)
    return times["fused"], times["plain"], fused.is_fused


def bench_gpu(args) -> None:
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")  # JAX and CuPy share the device
    rows: list[tuple[str, str, str, str, str, str]] = []
    started = time.perf_counter()

    def row(measure, backend, figure, note="", target="", met=None):
        verdict = "" if met is None else ("met" if met else "**not met**")
        rows.append((measure, backend, figure, target, verdict, note))
        print(f"  {measure} | {backend} | {figure} | {target} | {verdict} | {note}", flush=True)

    def unmeasured(label, measure, backend, target):
        """A target's row when its measurement could not run: the target stays in the table."""
        rows.append(
            (measure, backend, "not measured", target, "not measured", _NOT_MEASURED.get(label, ""))
        )

    n, steps = args.gpu_agents, args.steps
    print(
        f"GPU section: reference model N={n:,} x {steps} steps; full model {args.full_agents:,} slots, "
        f"persons_per_agent {args.full_ppa}; ensembles of {args.gpu_ensemble:,} runs",
        flush=True,
    )

    cpu_n = min(n, 10_000_000)
    cpu_steps = max(1, steps // 10)
    t = median_seconds(lambda: reference.run(cpu_n, cpu_steps), 1)
    row(
        f"reference model, {cpu_n:.0e} agents x {cpu_steps} steps",
        "numpy (host CPU)",
        f"{cpu_n * cpu_steps / t:.2e} agent-steps/s",
    )

    def on_device(program):
        """Median seconds of ``program(n, steps)`` on CuPy, after a small warm-up run."""

        def measure():
            program(1_000_000, 2)

            def go():
                program(n, steps)
                _sync("cupy")

            return median_seconds(go, args.repeats)

        return measure

    t = _try("reference, cupy", on_device(lambda k, m: reference.run(k, m, backend="cupy")))
    if t:
        row(
            f"reference model, {n:.0e} agents x {steps} steps",
            "CuPy",
            f"{n * steps / t:.2e} agent-steps/s",
            f"{t:.2f} s a run",
        )

    t_plain = _try("reference, plain cupy", on_device(_plain_cupy_reference))
    if t_plain:
        row(
            f"reference model, {n:.0e} agents x {steps} steps",
            "plain CuPy (searchsorted + bincount)",
            f"{n * steps / t_plain:.2e} agent-steps/s",
            f"{t_plain:.2f} s a run",
        )
    ratio_measure, ratio_target = (
        "reference model, somlab's CuPy speed / the plain CuPy program's",
        f">= {REFERENCE_RATIO_TARGET}x",
    )
    if t and t_plain:
        row(
            ratio_measure,
            "CuPy",
            f"{t_plain / t:.2f}x",
            "same N and steps, measured side by side",
            ratio_target,
            t_plain / t >= REFERENCE_RATIO_TARGET,
        )
    else:
        unmeasured(
            "reference, cupy" if not t else "reference, plain cupy",
            ratio_measure,
            "CuPy",
            ratio_target,
        )

    def ref_jax():
        reference.run_jax(n, steps, 1)  # compilation
        return median_seconds(lambda: reference.run_jax(n, steps, 2), args.repeats)

    t = _try("reference, jax", ref_jax)
    if t:
        row(
            f"reference model, {n:.0e} agents x {steps} steps",
            "JAX (jit + lax.scan)",
            f"{n * steps / t:.2e} agent-steps/s",
            f"{t:.2f} s a run",
        )

    measured = _try("route choice, cupy", lambda: _route_choice_fused_vs_plain(args.full_agents))
    if measured:
        fused, plain, compiled = measured
        row(
            f"route choice, one month of {args.full_agents:.0e} slots",
            "CuPy, one fused kernel" if compiled else "CuPy (fusion FAILED: plain kernels)",
            f"{fused * 1e3:.2f} ms",
            f"the same function as plain CuPy kernels: {plain * 1e3:.2f} ms ({plain / fused:.1f}x)",
        )

    scale = [f"params.pool_agents={args.full_agents}", f"params.persons_per_agent={args.full_ppa}"]
    full_target = f">= {FULL_MODEL_TARGET:.0e} agent-steps/s at {FULL_MODEL_SLOTS:.0e} slots"
    for backend in ("numpy", "cupy"):
        measured = _try(
            f"full model, {backend}",
            lambda: _full_run(backend, scale, repeats=1 if backend == "numpy" else 3),
        )
        if measured:
            wall, slot_steps, hub, runs_out = measured
            months = (
                len(runs_out[0]["agents"]) + _members(1)[0].scenario.parameters["spinup_months"]
            )
            rate = slot_steps / wall
            target, met = "", None
            if backend == "cupy":
                target = full_target
                met = rate >= FULL_MODEL_TARGET if args.full_agents >= FULL_MODEL_SLOTS else None
            row(
                f"full model, {args.full_agents:.0e} slots x {months} months (ppa {args.full_ppa})",
                "numpy (host CPU)" if backend == "numpy" else "CuPy",
                f"{rate:.2e} agent-steps/s",
                f"{wall:.2f} s a run; {hub:,.0f} agents in hubs on average",
                target,
                met,
            )
        elif backend == "cupy":
            unmeasured(
                "full model, cupy",
                f"full model, {args.full_agents:.0e} slots (ppa {args.full_ppa})",
                "CuPy",
                full_target,
            )
    row(
        "full model",
        "JAX",
        "not run",
        "removed: JAX compiles for fixed shapes; the model's arrays change size (docs/simulator.md)",
    )

    cpu_runs = 16
    measured = _try("ensemble, numpy", lambda: _full_run("numpy", (), cpu_runs))
    if measured:
        row(
            f"ensemble, {cpu_runs} runs of the bundled scenario",
            "numpy, one core",
            f"{measured[0]:.1f} s",
            f"{measured[0] / cpu_runs:.3f} s a run",
        )
    measured = _try("ensemble, cupy", lambda: _full_run("cupy", (), args.gpu_ensemble))
    ensemble_measure = f"ensemble, {args.gpu_ensemble:,} runs of the bundled scenario, one batch"
    ensemble_target = f"<= {ENSEMBLE_TARGET_S:.0f} s for {ENSEMBLE_RUNS:,} runs"
    if measured:
        row(
            ensemble_measure,
            "CuPy",
            f"{measured[0]:.1f} s",
            f"{measured[0] / args.gpu_ensemble * 1000:.1f} ms a run",
            ensemble_target,
            measured[0] <= ENSEMBLE_TARGET_S if args.gpu_ensemble >= ENSEMBLE_RUNS else None,
        )
    else:
        unmeasured("ensemble, cupy", ensemble_measure, "CuPy", ensemble_target)

    from somlab.sim.agreement import TOLERANCE, agree

    agreement_runs = 24
    cpu = _full_run("numpy", (), agreement_runs, 101)[3]
    gpu = _try("agreement, cupy", lambda: _full_run("cupy", (), agreement_runs, 101)[3])
    if gpu:
        for name in ("departures", "arrivals", "interceptions", "dead_missing", "boats"):
            a = [r[name].sum() for r in cpu]
            b = [r[name].sum() for r in gpu]
            ok, z = agree(a, b)
            row(
                f"agreement, full model {name} ({agreement_runs} runs)",
                "numpy vs CuPy",
                f"{np.mean(a):,.0f} +- {np.std(a, ddof=1):,.0f} vs {np.mean(b):,.0f} +- {np.std(b, ddof=1):,.0f}",
                f"{z:.1f} standard errors",
                f"equal means within {TOLERANCE:g} standard errors",
                ok,
            )
    ref_cpu = [reference.run(20_000, 40, s)[0] for s in range(1, agreement_runs + 1)]
    for label, action in (
        ("CuPy", lambda s: reference.run(20_000, 40, s, "cupy")[0]),
        ("JAX", lambda s: reference.run_jax(20_000, 40, s)[0]),
    ):
        other = _try(
            f"agreement, reference, {label}",
            lambda: [action(s) for s in range(1, agreement_runs + 1)],
        )
        if other:
            ok, z = agree(ref_cpu, other)
            row(
                f"agreement, reference model deaths ({agreement_runs} runs)",
                f"numpy vs {label}",
                f"{np.mean(ref_cpu):,.0f} +- {np.std(ref_cpu, ddof=1):,.0f} vs {np.mean(other):,.0f} +- {np.std(other, ddof=1):,.0f}",
                f"{z:.1f} standard errors",
                f"equal means within {TOLERANCE:g} standard errors",
                ok,
            )

    print(f"\nGPU section done in {time.perf_counter() - started:.0f} s. Table:\n")
    print("| measure | backend | figure | target | verdict | note |")
    print("|---|---|---|---|---|---|")
    for line in rows:
        print("| " + " | ".join(line) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--agents", type=int, default=100_000, help="reference model agents (CPU section)"
    )
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--mesa-repeats", type=int, default=3)
    parser.add_argument(
        "--batch-runs", type=int, default=8, help="runs of the batched vs one-at-a-time comparison"
    )
    parser.add_argument("--ensemble-runs", type=int, default=200)
    parser.add_argument("--dask-runs", type=int, default=8)
    parser.add_argument("--skip-mesa", action="store_true")
    parser.add_argument("--skip-ensemble", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument(
        "--cli-alternations",
        type=int,
        default=5,
        help="alternations of compare and simulate (CLI section)",
    )
    parser.add_argument(
        "--gpu", action="store_true", help="run the GPU section instead of the CPU sections"
    )
    parser.add_argument(
        "--gpu-agents", type=int, default=100_000_000, help="reference model agents (GPU section)"
    )
    parser.add_argument(
        "--full-agents", type=int, default=10_000_000, help="full model array slots (GPU section)"
    )
    parser.add_argument(
        "--full-ppa", type=int, default=1, help="full model persons per agent (GPU section)"
    )
    parser.add_argument("--gpu-ensemble", type=int, default=1_000, help="ensemble runs on the GPU")
    args = parser.parse_args()
    if args.gpu:
        bench_gpu(args)
        return
    bench_reference(args)
    bench_batched(args)
    if not args.skip_ensemble:
        bench_ensemble(args)
    if not args.skip_cli:
        bench_cli(args)
    if not args.skip_dask:
        bench_dask(args)


if __name__ == "__main__":
    main()
