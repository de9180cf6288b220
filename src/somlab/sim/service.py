"""The simulation service: how the CLI, the web jobs and the report run the model.

One pipeline: load the scenario, apply the settings (``settings.apply``, the one validation of
``--set`` assignments and API ``set`` lists), run the ensemble as batches of runs, and build the
``somlab.simulation/1`` document. ``compare`` runs both variants as one ensemble, run i of each
with the same seed (common random numbers).

Where the batches run (``scheduler``): None, in this process, spread over one forked worker
process per core when there is more than one batch; ``"inline"``, in this process only;
``"local"``, a local Dask cluster; anything else, the address of a Dask scheduler.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from somlab.sim import casefacts, ensemble, outcomes, settings, validation
from somlab.sim.backend import check_backend
from somlab.sim.model import Member
from somlab.sim.scenario import Scenario, load

SCHEMA = "somlab.simulation/1"


@dataclass
class Result:
    scenario: Scenario
    runs: list[dict]
    seed: int
    settings: list[str]

    def document(self) -> dict:
        agent_steps = sum(
            float(r["agent_steps"]) for r in self.runs
        )  # the arrays grow as the hubs fill
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


def prepare(scenario_name: str, assignments, parameters_file=None) -> tuple[Scenario, tuple]:
    """The scenario with its settings applied and the lever overrides; ScenarioError or
    SettingError on bad input."""
    return settings.apply(load(scenario_name, parameters_file), list(assignments))


@contextmanager
def runner(scheduler: str | None, backend: str = "numpy"):
    """A function running members (``ensemble.run_members``) where ``scheduler`` says."""
    check_backend(backend)  # fail early, before starting workers, when the backend is missing
    if scheduler in (None, "inline"):
        workers = 1 if scheduler == "inline" else ensemble.cores()
        yield lambda members, progress=None: ensemble.run_members(
            members, backend, None, progress, workers
        )
        return
    address = None if scheduler == "local" else scheduler
    with ensemble.dask_client(address, workers=ensemble.cores()) as client:
        yield lambda members, progress=None: ensemble.run_members(
            members, backend, client, progress
        )


def simulate(
    scenario_name: str,
    runs: int,
    seed: int,
    assignments,
    backend: str = "numpy",
    scheduler: str | None = None,
    parameters_file=None,
    progress: Callable | None = None,
) -> Result:
    scenario, overrides = prepare(scenario_name, assignments, parameters_file)
    members = [Member(scenario, overrides, seed + i) for i in range(runs)]
    with runner(scheduler, backend) as run:
        return Result(scenario, run(members, progress), seed, list(assignments))


def ensembles(
    specs,
    runs: int,
    seed: int,
    backend: str = "numpy",
    scheduler: str | None = None,
    progress: Callable | None = None,
) -> list[Result]:
    """One ensemble per (scenario name, assignments) in ``specs``, all run together; run i of
    every ensemble has seed ``seed + i`` (common random numbers: differences are paired)."""
    prepared = [(prepare(name, assignments), list(assignments)) for name, assignments in specs]
    members = [
        Member(scenario, overrides, seed + i)
        for (scenario, overrides), _ in prepared
        for i in range(runs)
    ]
    with runner(scheduler, backend) as run:
        results = run(members, progress)
    return [
        Result(scenario, results[k * runs : (k + 1) * runs], seed, assignments)
        for k, ((scenario, _), assignments) in enumerate(prepared)
    ]


def compare(
    scenario_a: str,
    scenario_b: str | None,
    set_a,
    set_b,
    runs: int,
    seed: int,
    backend: str = "numpy",
    scheduler: str | None = None,
    progress: Callable | None = None,
) -> tuple[Result, Result]:
    """Variant A and variant B (scenario B, default A again, with ``set_b``), paired run by run."""
    a, b = ensembles(
        [(scenario_a, set_a), (scenario_b or scenario_a, set_b)],
        runs,
        seed,
        backend,
        scheduler,
        progress,
    )
    return a, b
