"""Demand: newcomers to the transit hubs, and waiting migrants who give up.

Newcomers arrive in each corridor's hubs (``inflow.<corridor>``, Poisson), with savings and risk
aversion drawn log-normally; some waiting migrants give up each month (``settle_rate``). The agent
arrays grow when the hubs hold more people than they have slots: the array size is numerical,
never a cap on the waiting population.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    settle_rate: Any
    budget_median_eur: Any
    budget_spread: Any
    risk_aversion: Any
    risk_aversion_spread: Any


def newcomers(inflow_per_corridor, transit_enforcement, p, mechanisms):
    """Newcomers per corridor this month: transit enforcement upstream (e.g. Niger's crackdown on
    the Agadez-Libya trade from mid-2016) thins the flow that reaches the hubs."""
    if mechanisms["enforcement"] != "on":
        return inflow_per_corridor
    return inflow_per_corridor * np.exp(
        -p["transit_deterrence"] * np.maximum(transit_enforcement, 0.0)
    )


def settle(s: State) -> None:
    """Waiting migrants who give up crossing (settle in the hub country or return) leave the pool."""
    a = s.agents.view(s.month.width)
    a.active &= s.be.uniform(s.month.width) >= s.f32(s.params(Params).settle_rate)


def spawn(s: State) -> None:
    """Settling, then newcomers into the first free slots of each run's arrays."""
    settle(s)
    m, xp, be = s.month, s.xp, s.be
    q = s.params(Params)
    counts = np.stack(
        [
            rng.poisson(np.maximum(row, 0.0) / s.persons_per_agent)
            for rng, row in zip(s.host_rngs, m.newcomers)
        ]
    )
    total = counts.sum(axis=1)
    extent = m.width  # every active agent sits below it
    _make_room(s, total)
    a = s.agents.view(m.width)
    new, rank = be.free_slots(a.active, total)
    # the k-th newcomer of a run belongs to the corridor whose cumulative count first reaches k
    bounds = xp.asarray(np.cumsum(counts, axis=1).astype(np.int32))
    corridor = xp.zeros(rank.shape, dtype=xp.int32)
    for c in range(counts.shape[1] - 1):
        corridor += rank > new.param(bounds[:, c : c + 1])
    log_budget = new.param(s.f32(xp.log(xp.maximum(q.budget_median_eur, 1.0))))
    log_risk = new.param(s.f32(xp.log(xp.maximum(q.risk_aversion, 1e-9))))
    new.scatter(a.corridor, corridor)
    new.scatter(a.budget, xp.exp(log_budget + new.param(s.f32(q.budget_spread)) * new.normal()))
    new.scatter(a.debt, 0.0)
    new.scatter(
        a.risk_aversion, xp.exp(log_risk + new.param(s.f32(q.risk_aversion_spread)) * new.normal())
    )
    new.scatter(a.active, True)
    if be.exact_sizes:  # work only up to the last occupied slot
        m.width = max(extent, int(new.cols.max()) + 1 if len(new.cols) else 0)


def _make_room(s: State, newcomers: np.ndarray) -> None:
    """Grow the arrays (doubling) when a run's newcomers might not find free slots, and widen this
    month's working width to where they will be placed."""
    m, agents = s.month, s.agents
    active = s.active_bound  # an upper bound kept on the host
    if int((active + newcomers).max()) > agents.size:
        # the bound says the arrays may be full: count (on a GPU, a round trip to the device)
        active = s.be.to_numpy(agents.view(m.width).active.sum(axis=1))
    needed = int((active + newcomers).max())
    if needed > agents.size:
        agents.grow(s.xp, max(2 * agents.size, needed))
    s.active_bound = np.minimum(active + newcomers, agents.size)
    # free slots below width + the most newcomers of any run always suffice
    m.width = (
        agents.size if not s.be.exact_sizes else min(agents.size, m.width + int(newcomers.max()))
    )


MECHANISM = Mechanism("demand", None, Params, (("spawn", spawn),))
