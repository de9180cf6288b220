"""The smuggling-market model: a batch of runs advanced month by month through named stages.

A month is the sequence ``state.STAGES`` (spawn, decide, price, depart, sea, intercept, rescue,
arrive, exploit, record); each mechanism module names the stages it runs in
(``mechanisms.ORDER``). All runs of a batch advance together as one array program (runs are the
leading dimension); each has its own seed and may have its own parameter values and levers.

All counts returned are persons; ``legal_departures`` and ``waiting`` (people in the hubs at
the end of the month) are per corridor; ``agents`` is the size of the agent arrays each month
(they grow when the hubs fill up, so it is not a cap on the waiting population) and
``agent_steps`` its sum over all months simulated, spin-up included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from somlab.sim.backend import make_backend
from somlab.sim.levers import lever_arrays
from somlab.sim.mechanisms import stage_plan
from somlab.sim.mechanisms.choice import season_index
from somlab.sim.parameters import STRUCTURAL, season_profile
from somlab.sim.scenario import Scenario
from somlab.sim.state import Agents, Market, Month, Routes, State

__all__ = ["Member", "ROUTE_SERIES", "run_batch", "season_index", "batch_key"]

ROUTE_SERIES = (
    "departures",
    "arrivals",
    "interceptions",
    "dead_missing",
    "price_eur",
    "revenue_eur",
    "debt_financed",
    "exploitation",
    "boats",
    "boats_migrant_driven",
    "boats_rescued_ngo",
    "family_arranged",
)


@dataclass(frozen=True)
class Member:
    """One run of a batch: a scenario (with its parameters set), lever overrides and a seed."""

    scenario: Scenario
    overrides: tuple = ()
    seed: int = 1


def batch_key(scenario: Scenario) -> tuple:
    """Runs can share a batch when their scenarios agree on all but behavioural parameters and
    levers: same routes, period, mechanisms and numerical settings."""
    return (
        str(scenario.folder),
        tuple(scenario.route_names),
        tuple(scenario.months),
        tuple(sorted(scenario.mechanisms.items())),
        tuple(scenario.parameters[name] for name in STRUCTURAL),
    )


def run_batch(
    members: Sequence[Member],
    backend: str = "numpy",
    on_month: Callable[[int, int], None] | None = None,
) -> list[dict[str, np.ndarray]]:
    """Simulate every member in one array program; one result dict per member, in order.

    ``on_month(done, total)`` is called after each month."""
    keys = {batch_key(m.scenario) for m in members}
    if len(keys) != 1:
        raise ValueError(
            "a batch needs members of one scenario with the same mechanisms and numerical settings"
        )
    first = members[0].scenario
    be = make_backend(backend, [m.seed for m in members])
    xp = be.xp
    runs = len(members)
    p0 = first.parameters
    spinup = int(p0["spinup_months"])
    calendar = _calendar(first.months, spinup)
    steps = len(calendar)

    host_values = {
        name: np.array([[float(m.scenario.parameters[name])] for m in members]) for name in p0
    }
    host_levers = _levers(members, spinup)
    # what the routes of a corridor lose while the passage beyond the landing country is closed
    # (lever 0): [R, steps, C], 0 for a corridor without an onward value
    onward_value = np.array(
        [[m.scenario.parameters[f"onward_value.{c}"] for c in first.corridors] for m in members]
    )
    host_levers["onward_utility"] = -onward_value[:, None, :] * (
        1.0 - host_levers["onward_passage"]
    )
    device_levers = {
        name: xp.asarray(v) for name, v in host_levers.items() if name != "transit_upstream"
    }
    season = xp.asarray(
        np.array(
            [
                [
                    season_index(
                        month,
                        m.scenario.parameters["season_peak_month"],
                        m.scenario.parameters["season_flatness"],
                        season_profile(m.scenario.parameters),
                    )
                    for month in calendar
                ]
                for m in members
            ]
        )
    )
    corridors = first.corridors
    inflow = np.array([[m.scenario.parameters[f"inflow.{c}"] for c in corridors] for m in members])
    trend = np.array(
        [[m.scenario.parameters[f"inflow_trend.{c}"] for c in corridors] for m in members]
    )

    n_routes, n_corr = len(first.route_names), len(corridors)
    out = {name: xp.zeros((runs, steps, n_routes)) for name in ROUTE_SERIES}
    out["legal_departures"] = xp.zeros((runs, steps, n_corr))
    out["waiting"] = xp.zeros((runs, steps, n_corr))
    state = State(
        be=be,
        routes=_routes(first, xp),
        values={k: xp.asarray(v) for k, v in host_values.items()},
        mechanisms=dict(first.mechanisms),
        persons_per_agent=int(p0["persons_per_agent"]),
        agents=Agents.empty(xp, runs, int(p0["pool_agents"])),
        market=Market(
            markup=xp.ones((runs, n_routes)),
            interdicting=xp.zeros((runs, n_routes)),
            expected_revenue=xp.zeros((runs, n_routes)),
            perceived_risk=xp.zeros((runs, n_routes)),
            congestion=xp.ones((runs, n_routes)),
            capacity_scale=xp.ones((runs, n_routes)),
        ),
        host_rngs=[np.random.default_rng([int(m.seed), 1]) for m in members],
        out=out,
        host_values=host_values,
        host_levers=host_levers,
        active_bound=np.zeros(runs, dtype=np.int64),
    )
    plan = stage_plan(first.mechanisms)
    sizes = np.zeros(steps)
    width = 0
    for t in range(steps):
        years_in = max(t - spinup, 0) / 12.0
        state.month = Month(
            t=t,
            width=width,
            levers={name: v[:, t] for name, v in device_levers.items()},
            season=season[:, t : t + 1],
            newcomers=inflow * np.exp(trend * years_in),
            ngo=device_levers["ngo_sar"][:, t],
            sar=xp.zeros((runs, n_routes)),
        )
        for _, _, function in plan:
            function(state)
        state.market.started = True
        width = _width_after(state)
        sizes[t] = state.agents.size
        if on_month:
            on_month(t + 1, steps)
    host = {name: be.to_numpy(v)[:, spinup:] for name, v in out.items()}
    results = []
    for r in range(runs):
        result = {name: series[r] for name, series in host.items()}
        result["agents"] = sizes[spinup:].copy()
        result["agent_steps"] = np.array(sizes.sum())  # spin-up months included: all the work done
        results.append(result)
    return results


def _width_after(state: State) -> int:
    """The slots worth working on next month: up to the last active agent where that is free to
    know (numpy), all slots on a device."""
    if not state.be.exact_sizes:
        return state.agents.size
    assert state.month is not None  # called after a month has run
    used = np.flatnonzero(state.agents.view(state.month.width).active.any(axis=0))
    return int(used[-1]) + 1 if used.size else 0


def _calendar(months: list[str], spinup: int) -> list[str]:
    first = int(months[0][:4]) * 12 + int(months[0][5:7]) - 1
    return [
        f"{(first - k) // 12:04d}-{(first - k) % 12 + 1:02d}" for k in range(spinup, 0, -1)
    ] + list(months)


def _levers(members: Sequence[Member], spinup: int) -> dict[str, np.ndarray]:
    """Each member's levers, [R, spin-up + T, n]; the spin-up repeats the first month. Also
    ``transit_upstream``: transit enforcement as it reaches the hubs, ``transit_lag_months``
    later (each run its own lag)."""
    per_member = []
    for m in members:
        s = m.scenario
        levers = lever_arrays(s.lever_rows, s.months, s.routes, s.corridors, m.overrides)
        levers = {
            name: np.concatenate([np.repeat(v[:1], spinup, axis=0), v])
            for name, v in levers.items()
        }
        lag = int(s.parameters["transit_lag_months"])
        steps = levers["transit_enforcement"].shape[0]
        levers["transit_upstream"] = levers["transit_enforcement"][
            np.maximum(np.arange(steps) - lag, 0)
        ]
        per_member.append(levers)
    return {name: np.stack([levers[name] for levers in per_member]) for name in per_member[0]}


def _routes(scenario: Scenario, xp) -> Routes:
    routes = scenario.routes
    row = lambda column, kind=float: xp.asarray(np.asarray(routes[column], dtype=kind)[None, :])
    return Routes(
        corridor=xp.asarray(
            np.array([scenario.corridors.index(c) for c in routes["corridor"]], dtype=np.int32)
        ),
        boat_persons=row("boat_persons"),
        distress=row("distress"),
        interception=row("interception"),
        base_price=row("base_price_eur"),
        capacity=row("capacity_persons"),
        armed=row("armed_groups"),
        min_boat_persons=int(np.min(routes["boat_persons"])),
        n=len(scenario.route_names),
        n_corridors=len(scenario.corridors),
    )
