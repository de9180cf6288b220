"""Policy levers: what each one is, its unit, and the only mechanism through which it acts.

No lever touches an outcome. Each enters the model at one place named in ``acts_through``;
the outcome follows from the agents' and smugglers' responses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LeverSpec:
    scope: str  # "route" or "corridor"
    default: float
    low: float
    high: float
    unit: str
    acts_through: str


LEVERS: dict[str, LeverSpec] = {
    "enforcement": LeverSpec(
        "route",
        1.0,
        0.0,
        50.0,
        "index, 1 = the route's 2014 level",
        "smugglers' costs and prices, route risk and capacity, interceptions (Gathmann 2008)",
    ),
    "state_sar": LeverSpec(
        "route",
        0.0,
        0.0,
        5.0,
        "index, 1 = Mare Nostrum's reach",
        "rescue of boats in distress; vessel quality in the downgrading module (Deiana et al.)",
    ),
    "ngo_sar": LeverSpec(
        "route",
        0.0,
        0.0,
        5.0,
        "index, 1 = the 2016-2017 NGO fleet",
        "rescue of boats in distress; vessel quality in the downgrading module",
    ),
    "criminalisation": LeverSpec(
        "route", 0.0, 0.0, 1.0, "index, 1 = port closures with fines", "lowers NGO presence at sea"
    ),
    "rescue_handover": LeverSpec(
        "route",
        0.0,
        0.0,
        1.0,
        "index, 1 = rescues in the region coordinated by another rescue centre (the Libyan JRCC from June 2018)",
        "slows every rescuer in the region, merchant ships included (sea mechanism: stand-by orders, waiting for the coordinating centre's instructions or its patrol boats)",
    ),
    "externalisation": LeverSpec(
        "route",
        0.0,
        0.0,
        1_000.0,
        "million EUR per month to coastguards and armed groups",
        "armed groups switching between smuggling and interdiction (AP 2017)",
    ),
    "coastguard_vessels": LeverSpec(
        "route",
        0.0,
        0.0,
        100.0,
        "patrol vessels handed to the route's coast guard, in service",
        "the number of boats armed groups and the coast guard can intercept in a month (externalisation mechanism)",
    ),
    "transit_enforcement": LeverSpec(
        "corridor",
        0.0,
        0.0,
        10.0,
        "index, 1 = Niger's enforcement of Law 2015-36 from mid-2016",
        "newcomers reaching the corridor's hubs (enforcement mechanism; Brachet 2018)",
    ),
    "onward_passage": LeverSpec(
        "corridor",
        0.0,
        0.0,
        1.0,
        "index, 1 = an open transit corridor beyond the landing country (the Western Balkans route, July 2015 - February 2016)",
        "the utility of the corridor's routes for every migrant choosing: - onward_value.<corridor> x (1 - lever) (choice)",
    ),
    "legal_places": LeverSpec(
        "corridor",
        0.0,
        0.0,
        1_000_000.0,
        "persons per month",
        "people waiting in hubs who leave through a legal pathway",
    ),
}


FACTOR_RANGE = (0.0, 50.0)
"""A ``*F`` setting multiplies a lever's own series by F, 0 <= F <= 50."""


def lever_arrays(rows, months, routes, corridors, overrides=()) -> dict[str, np.ndarray]:
    """Lever values per month: route levers as [T, R], corridor levers as [T, C].

    ``rows`` are validated lever rows (lever, target, start index, end index, value) applied in
    order, later rows overriding earlier ones; ``overrides`` are (lever, target, operator, value)
    from the command line, applied to every month.
    """
    route_index = {r: i for i, r in enumerate(routes["route"])}
    corridor_index = {c: i for i, c in enumerate(corridors)}
    route_corridor = np.array([corridor_index[c] for c in routes["corridor"]])
    out = {
        name: np.full(
            (len(months), len(routes["route"]) if spec.scope == "route" else len(corridors)),
            spec.default,
        )
        for name, spec in LEVERS.items()
    }

    def columns(name, target):
        if target == "all":
            return slice(None)
        if LEVERS[name].scope == "route":
            if target in route_index:
                return [route_index[target]]
            return list(np.flatnonzero(route_corridor == corridor_index[target]))
        return [corridor_index[target]]

    for row in rows:
        out[row.lever][row.start : row.end + 1, columns(row.lever, row.target)] = row.value
    for lever, target, operator, value in overrides:
        cols = columns(lever, target)
        if operator == "*":
            out[lever][:, cols] *= value
        else:
            out[lever][:, cols] = value
    for name, spec in LEVERS.items():
        np.clip(out[name], spec.low, spec.high, out=out[name])
    return out
