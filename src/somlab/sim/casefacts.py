"""Simulated facilitation events as case facts (``somlab.case/1``, one column per dotted path).

One row per role x route x year: a representative event whose facts the law engine can qualify,
with ``events`` (how many such events the ensemble median produced) and ``actors`` (people acting
in that role, one per event) as weights. Roles:

* ``commercial_smuggler``: organises a boat for a fee, within a network (Campana 2018);
* ``boat_driver_migrant``: a migrant who steers the boat for free passage, an in-kind benefit;
* ``ngo_rescuer``: rescues a boat in distress and disembarks the people, no benefit;
* ``family_member``: a relative travelling with the migrant who arranged the passage, no benefit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from somlab.sim.scenario import Scenario

ROLE_SERIES = {
    "commercial_smuggler": "boats",
    "boat_driver_migrant": "boats_migrant_driven",
    "ngo_rescuer": "boats_rescued_ngo",
    "family_member": "family_arranged",
}


def _facts(role: str, boat_persons: int, destination: str, fee: float) -> dict:
    base = {
        "conduct.facilitated": "entry",
        "conduct.destination_state": destination,
        "conduct.intentional": True,
        "conduct.at_sea": True,
        "conduct.document_fraud": "none",
        "migrants.nationals_or_residents": False,
        "migrants.irregular": True,
        "migrants.minors_in_actor_care": False,  # no actor cares for the passengers' children
    }
    if role == "commercial_smuggler":
        return base | {
            "actor.is_smuggled_migrant": False,
            "actor.is_family_member": False,
            "actor.in_organized_group": True,
            "conduct.organized_or_directed": True,
            "conduct.rescue_at_sea": False,
            "migrants.count": boat_persons,
            "benefit.obtained": True,
            "benefit.kind": "money",
            "benefit.exceeds_costs": True,
            "benefit.amount_eur": round(fee * boat_persons),
            "motive.humanitarian": False,
            "motive.family_unity": False,
            "harm.endangered_life_or_safety": True,
        }
    if role == "boat_driver_migrant":
        return base | {
            "actor.is_smuggled_migrant": True,
            "actor.is_family_member": False,
            "actor.in_organized_group": False,
            "conduct.organized_or_directed": False,
            "conduct.rescue_at_sea": False,
            "migrants.count": boat_persons,
            "benefit.obtained": True,
            "benefit.kind": "in_kind",
            "benefit.exceeds_costs": False,
            "benefit.amount_eur": round(fee),
            "motive.humanitarian": False,
            "motive.family_unity": False,
            "harm.endangered_life_or_safety": True,
        }
    if role == "ngo_rescuer":
        return base | {
            "actor.is_smuggled_migrant": False,
            "actor.is_family_member": False,
            "actor.in_organized_group": False,
            "conduct.organized_or_directed": False,
            "conduct.rescue_at_sea": True,
            "migrants.count": boat_persons,
            "benefit.obtained": False,
            "benefit.kind": "none",
            "motive.humanitarian": True,
            "motive.family_unity": False,
            "harm.endangered_life_or_safety": False,
        }
    return base | {
        "actor.is_smuggled_migrant": True,
        "actor.is_family_member": True,
        "actor.in_organized_group": False,
        "conduct.organized_or_directed": False,
        "conduct.rescue_at_sea": False,
        "migrants.count": 2,
        "migrants.children": 0,  # an adult relative
        "benefit.obtained": False,
        "benefit.kind": "none",
        "motive.humanitarian": False,
        "motive.family_unity": True,
        "harm.endangered_life_or_safety": True,
    }


def _route_years(scenario: Scenario):
    """(route index, route, persons per boat, destination, year, months-of-that-year mask)."""
    years = np.array([m[:4] for m in scenario.months])
    for r, route in enumerate(scenario.route_names):
        boat_persons = int(scenario.routes["boat_persons"][r])
        destination = str(scenario.routes["destination"][r])
        for year in dict.fromkeys(years):
            yield r, route, boat_persons, destination, year, years == year


def facilitation_cases(runs: list[dict], scenario: Scenario) -> pd.DataFrame:
    """Case-facts table of the ensemble's facilitation events (median counts per role, route, year)."""
    rows = []
    for r, route, boat_persons, destination, year, in_year in _route_years(scenario):
        fee = float(np.median([run["price_eur"][in_year, r].mean() for run in runs]))
        for role, series in ROLE_SERIES.items():
            events = float(np.median([run[series][in_year, r].sum() for run in runs]))
            if round(events) <= 0:
                continue
            rows.append(
                {
                    "id": f"sim-{scenario.name}-{route}-{year}-{role}",
                    "date": f"{year}-07-01",
                    "source": f"somlab simulate {scenario.name} ({len(runs)} runs, median)",
                    "route": route,
                    "actor.role": role,
                    "events": round(events),
                    "actors": round(events),
                    **_facts(role, boat_persons, destination, fee),
                }
            )
    return pd.DataFrame(rows)


def facilitation_cases_by_run(runs: list[dict], scenario: Scenario) -> pd.DataFrame:
    """The same case facts, one row per run x role x route x year (``run``, ``actors`` that run;
    the fee is that run's mean for the year), so that anything computed from the verdicts can be
    summarised over the ensemble as median and band. Rows with no actor are kept (``actors`` 0)
    so that every run has every row."""
    rows = []
    for r, route, boat_persons, destination, year, in_year in _route_years(scenario):
        for k, run in enumerate(runs):
            fee = float(run["price_eur"][in_year, r].mean())
            for role, series in ROLE_SERIES.items():
                rows.append(
                    {
                        "id": f"sim-{scenario.name}-{route}-{year}-{role}-run{k}",
                        "date": f"{year}-07-01",
                        "run": k,
                        "route": route,
                        "actor.role": role,
                        "actors": float(run[series][in_year, r].sum()),
                        **_facts(role, boat_persons, destination, fee),
                    }
                )
    return pd.DataFrame(rows)
