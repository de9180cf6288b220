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
    return float(
        np.median([outcomes.per_run(r, outcomes.focus_mask(scenario))[name] for r in runs])
    )


# A toy market, independent of the bundled scenario and its calibrated parameters: one corridor
# of hubs, two routes (one whose coast armed groups hold, one free to enter), 2016-2018.
TOY_PARAMETERS = {
    "persons_per_agent": 20,
    "pool_agents": 4000,
    "spinup_months": 12,
    "inflow.hub": 4000,
    "budget_median_eur": 1500,
    "budget_spread": 0.5,
    "savings_eur_month": 100,
    "settle_rate": 0.03,
    "credit_limit_eur": 1500,
    "price_sensitivity": 1.0,
    "risk_aversion": 10,
    "risk_aversion_spread": 0.5,
    "risk_memory": 0.3,
    "corridor_switch_eur": 2500,
    "wait_utility": 0.5,
    "season_amplitude": 0.0,
    "season_peak_month": 7,
    "season_flatness": 0.0,
    "weather_window": 0.0,
    "transit_deterrence": 0.0,
    "transit_lag_months": 0,
    "price_adjustment": 0.05,
    "supply_elasticity": 0.0,
    "markup_max": 3,
    "capacity_entry": 0.0,
    "enforcement_price_elasticity": 0.19,
    "enforcement_risk_elasticity": 0.3,
    "enforcement_capacity_elasticity": 0.1,
    "enforcement_interception": 0.1,
    "lethality": 0.3,
    "rescue_capacity_boats": 0,
    "rescue_baseline": 1.0,
    "rescue_state": 1.0,
    "rescue_ngo": 1.0,
    "weather_distress": 0.5,
    "handover_delay": 0.5,
    "criminalisation_deterrence": 0.5,
    "downgrade_risk": 1.0,
    "downgrade_cost_saving": 0.3,
    "downgrade_season_damping": 0.5,
    "armed_revenue_share": 0.08,
    "armed_switch_sensitivity": 5.0,
    "armed_switch_speed": 0.4,
    "armed_revenue_memory": 0.0833,
    "armed_interdiction": 2.0,
    "interdiction_boats_per_vessel": 2.0,
    "armed_capacity_share": 0.9,
    "debt_exploitation": 0.3,
    "detention_abuse": 0.5,
    "armed_abuse": 1.0,
    "migrant_driver_share": 0.8,
    "family_share": 0.15,
}
TOY_ROUTES = {
    "coast": (3000, True),
    "beach": (1000, False),
}  # route: (capacity a month, armed groups)


def toy_scenario(folder, levers=(), routes=TOY_ROUTES, **parameters):
    """Write and load a toy scenario in ``folder``: ``levers`` are levers.csv rows (lever, target,
    start, end, value), ``parameters`` override TOY_PARAMETERS."""
    import yaml

    from somlab.sim.scenario import load

    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "route,corridor,departure,destination,boat_persons,distress,interception,base_price_eur,capacity_persons,armed_groups,source"
    ]
    lines += [
        f"{name},hub,AA,BB,50,0.05,0.05,1000,{capacity},{str(armed).lower()},toy"
        for name, (capacity, armed) in routes.items()
    ]
    (folder / "routes.csv").write_text("\n".join(lines) + "\n")
    # the file needs a row: no legal places, which later rows may override
    (folder / "levers.csv").write_text(
        "lever,target,start,end,value,source\nlegal_places,hub,2016-01,2018-12,0,toy\n"
        + "".join(f"{lever},{t},{s},{e},{v},toy\n" for lever, t, s, e, v in levers)
    )
    doc = {
        "scenario": "toy",
        "title": "toy market (synthetic)",
        "period": {"start": "2016-01", "end": "2018-12"},
        "mechanisms": {
            "legal_pathways": True,
            "pricing": True,
            "enforcement": True,
            "sar": "no_effect",
            "criminalisation": False,
            "externalisation": False,
            "exploitation": False,
        },
        "parameters": TOY_PARAMETERS | parameters,
    }
    (folder / "parameters.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return load(str(folder))


def toy_runs(scenario, runs=4, seed=3):
    return ensemble.run_ensemble(scenario, runs, seed, "numpy")
