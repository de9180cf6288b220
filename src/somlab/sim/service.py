"""The simulation service: how the CLI, the web jobs and the report run the model.

One pipeline: load the scenario, apply the settings (``settings.apply``, the one validation of
``--set`` assignments and API ``set`` lists), draw each run's parameters from the parameter
file's ensemble (``parameter_ensemble``; ``point=True`` keeps every run at the file's values), run
the ensemble as batches of runs, and build the ``somlab.simulation/1`` document. ``compare`` runs
both variants as one ensemble, run i of each with the same seed and the same drawn parameters
(common random numbers).

Where the batches run (``scheduler``): None, in this process, spread over one forked worker
process per core when there is more than one batch; ``"inline"``, in this process only;
``"local"``, a local Dask cluster; anything else, the address of a Dask scheduler.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from somlab.sim import casefacts, ensemble, outcomes, settings, validation
from somlab.sim.backend import check_backend
from somlab.sim.model import Member
from somlab.sim.parameter_ensemble import typed
from somlab.sim.scenario import Scenario, load

SCHEMA = "somlab.simulation/1"


@dataclass
class Result:
    scenario: Scenario
    runs: list[dict]
    seed: int
    settings: list[str]
    point: bool = False
    held: frozenset[str] = field(default_factory=frozenset)

    def parameter_uncertainty(self) -> dict:
        """What the runs' parameters drew from, for the output document."""
        ensemble = self.scenario.ensemble
        if ensemble is None or self.point:
            why = "--point" if ensemble else "the parameter file carries no ensemble"
            return {
                "drawn": False,
                "note": f"every run at the file's values ({why}): the bands are the simulator's noise only",
            }
        sampled = [n for n in ensemble.names if n not in self.held]
        ranges = [n for n in ensemble.ranges if n not in self.held]
        distinct = len({tuple(p) for p in ensemble.points})
        return {
            "drawn": True,
            "note": f"runs after the first draw {len(sampled)} calibrated parameters from "
            f"{distinct} vectors the calibration could not rule out and {len(ranges)} effect "
            "sizes over their ranges: the bands carry parameter uncertainty",
            "source": ensemble.source,
            "first_run": "the file's values",
            "sampled": [n for n in ensemble.names if n not in self.held],
            "sample_size": int(len(ensemble.points)),
            "ranges": {n: list(r) for n, r in ensemble.ranges.items() if n not in self.held},
            "held_by_settings": sorted(self.held & set(ensemble.drawn)),
        }

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
            "parameter_uncertainty": self.parameter_uncertainty(),
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


def members(
    scenario: Scenario, overrides: tuple, runs: int, seed: int, assignments=(), point: bool = False
) -> list[Member]:
    """Run i has seed ``seed + i``; every run after the first draws its parameters from the
    scenario's ensemble (unless ``point``), except those the assignments set."""
    held = settings.parameters_set(assignments)
    drawn = None if point else scenario.ensemble
    out = []
    for i in range(runs):
        variant = scenario
        if drawn is not None and i > 0:
            values = drawn.draw(seed + i, held)
            variant = dataclasses.replace(
                scenario,
                parameters=scenario.parameters
                | {n: typed(scenario.parameters[n], v) for n, v in values.items()},
            )
        out.append(Member(variant, overrides, seed + i))
    return out


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
    point: bool = False,
) -> Result:
    scenario, overrides = prepare(scenario_name, assignments, parameters_file)
    planned = members(scenario, overrides, runs, seed, assignments, point)
    with runner(scheduler, backend) as run:
        return Result(
            scenario,
            run(planned, progress),
            seed,
            list(assignments),
            point,
            settings.parameters_set(assignments),
        )


def ensembles(
    specs,
    runs: int,
    seed: int,
    backend: str = "numpy",
    scheduler: str | None = None,
    progress: Callable | None = None,
    point: bool = False,
) -> list[Result]:
    """One ensemble per (scenario name, assignments) in ``specs``, all run together; run i of
    every ensemble has seed ``seed + i`` and the same drawn parameters (common random numbers:
    differences are paired)."""
    prepared = [(prepare(name, assignments), list(assignments)) for name, assignments in specs]
    planned = [
        member
        for (scenario, overrides), assignments in prepared
        for member in members(scenario, overrides, runs, seed, assignments, point)
    ]
    with runner(scheduler, backend) as run:
        results = run(planned, progress)
    return [
        Result(
            scenario,
            results[k * runs : (k + 1) * runs],
            seed,
            assignments,
            point,
            settings.parameters_set(assignments),
        )
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
    point: bool = False,
) -> tuple[Result, Result]:
    """Variant A and variant B (scenario B, default A again, with ``set_b``), paired run by run."""
    a, b = ensembles(
        [(scenario_a, set_a), (scenario_b or scenario_a, set_b)],
        runs,
        seed,
        backend,
        scheduler,
        progress,
        point,
    )
    return a, b
