"""Load a scenario, apply ``--set``, run the ensemble with a progress bar, and build the document."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from somlab.sim import casefacts, ensemble, outcomes, settings, validation
from somlab.sim.scenario import Scenario, load

SCHEMA = "somlab.simulation/1"


@dataclass
class Result:
    scenario: Scenario
    runs: list[dict]
    seed: int
    settings: list[str]

    def document(self) -> dict:
        agent_steps = sum(float(r["agent_steps"]) for r in self.runs)  # the arrays grow as the hubs fill
        return {
            "schema": SCHEMA,
            "scenario": self.scenario.name,
            "runs": len(self.runs),
            "seed": self.seed,
            "agent_steps": int(agent_steps),
            "settings": self.settings,
            "mechanisms": self.scenario.mechanisms,
            "parameters_status": self.scenario.calibration.get("status", "not stated"),
            "validation": validation.summary(self.runs, self.scenario),
            "outcomes": outcomes.summarise(self.runs, self.scenario),
        }

    def tidy(self):
        return validation.tidy(self.runs, self.scenario)

    def cases(self):
        return casefacts.facilitation_cases(self.runs, self.scenario)


def simulate(scenario_name: str, runs: int, seed: int, assignments: list[str], backend: str = "numpy",
             scheduler: str | None = None, parameters_file: str | None = None, quiet: bool = False) -> Result:
    """``scheduler``: None or "local" starts a local Dask cluster, "inline" runs in this process,
    anything else is a Dask scheduler address."""
    from somlab.sim.backend import make_backend

    scenario, overrides = settings.apply(load(scenario_name, parameters_file), assignments)
    make_backend(backend, seed)  # fail early, before starting workers, when the backend is missing
    with _progress(runs, f"{scenario.name}", quiet) as advance:
        if scheduler == "inline":
            results = ensemble.run_ensemble(scenario, runs, seed, backend, overrides, None, advance)
        else:
            address = None if scheduler in (None, "local") else scheduler
            with ensemble.dask_client(address, workers=min(runs, _cores())) as client:
                results = ensemble.run_ensemble(scenario, runs, seed, backend, overrides, client, advance)
    return Result(scenario, results, seed, list(assignments))


def _cores() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class _progress:
    """A rich progress bar on standard error (standard output stays clean for JSON)."""

    def __init__(self, total: int, label: str, quiet: bool):
        self.total, self.label, self.quiet = total, label, quiet

    def __enter__(self):
        if self.quiet:
            return lambda done: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task(f"simulating {self.label}", total=self.total)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if not self.quiet:
            self.bar.__exit__(*exc)
        return False
