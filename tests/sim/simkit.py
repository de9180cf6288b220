"""Helpers for the simulator tests, in their own module so that `from simkit import ...` works when
pytest collects tests/sim together with another folder that has its own conftest.py."""

from __future__ import annotations

import numpy as np

from somlab.sim import ensemble, outcomes, settings

SCENARIO = "central-mediterranean-2014-2019"
# 12,000 agents of 150 persons to start with (the arrays grow if the hubs hold more)
SMALL = ["params.pool_agents=12000", "params.persons_per_agent=150"]


def run_variant(scenario, assignments=(), runs=3, seed=11):
    """Ensemble (in process) of a small version of the scenario under ``assignments``."""
    variant, overrides = settings.apply(scenario, SMALL + list(assignments))
    return variant, ensemble.run_ensemble(variant, runs, seed, "numpy", overrides)


def total(runs, series, routes=None, months=slice(None), scenario=None):
    """Median over runs of a series summed over months and routes (all routes when None)."""
    values = []
    for run in runs:
        data = run[series][months]
        if routes is not None:
            data = data[:, scenario.route_mask(routes)]
        values.append(data.sum())
    return float(np.median(values))


def focus(runs, scenario, name):
    return float(np.median([outcomes.per_run(r, outcomes.focus_mask(scenario))[name] for r in runs]))
