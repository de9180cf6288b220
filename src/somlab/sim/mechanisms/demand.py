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
    return inflow_per_corridor * np.exp(-p["transit_deterrence"] * np.maximum(transit_enforcement, 0.0))


def settle(s: State) -> None:
    """Waiting migrants who give up crossing (settle in the hub country or return) leave the pool."""
    a = s.agents.view(s.month.width)
    a.active &= s.be.uniform(s.month.width) >= s.f32(s.params(Params).settle_rate)


def spawn(s: State) -> None:
    """Settling, then newcomers into the lowest free slots of each run's arrays."""
    settle(s)
    m, xp, be = s.month, s.xp, s.be
    q = s.params(Params)
    counts = np.stack([rng.poisson(np.maximum(row, 0.0) / s.persons_per_agent) for rng, row in zip(s.host_rngs, m.newcomers)])
    total = counts.sum(axis=1)
    _make_room(s, total)
    a = s.agents.view(m.width)
    free = ~a.active
    rank = xp.cumsum(free, axis=1, dtype=xp.int32)  # 1 for the first free slot of the row, ...
    new = free & (rank <= xp.asarray(total.astype(np.int32))[:, None])
    # the k-th newcomer of a run belongs to the corridor whose cumulative count first reaches k
    bounds = xp.asarray(np.cumsum(counts, axis=1)[:, :-1].astype(np.int32))
    corridor = xp.zeros(rank.shape, dtype=xp.int32)
    for c in range(bounds.shape[1]):
        corridor += rank > bounds[:, c:c + 1]
    draws = max(int(total.max()), 1)
    pick = xp.clip(rank - 1, 0, draws - 1)
    budget = xp.exp(s.f32(xp.log(xp.maximum(q.budget_median_eur, 1.0))) +
                    s.f32(q.budget_spread) * xp.take_along_axis(be.normal(draws), pick, axis=1))
    risk = xp.exp(s.f32(xp.log(xp.maximum(q.risk_aversion, 1e-9))) +
                  s.f32(q.risk_aversion_spread) * xp.take_along_axis(be.normal(draws), pick, axis=1))
    a.corridor[...] = xp.where(new, corridor, a.corridor)
    a.budget[...] = xp.where(new, budget, a.budget)
    a.debt[...] = xp.where(new, 0.0, a.debt)
    a.risk_aversion[...] = xp.where(new, risk, a.risk_aversion)
    a.active |= new
    if be.exact_sizes:
        used = np.flatnonzero(a.active.any(axis=0))
        m.width = int(used[-1]) + 1 if used.size else 0


def _make_room(s: State, newcomers: np.ndarray) -> None:
    """Grow the arrays (doubling) when a run's newcomers might not find free slots, and widen this
    month's working width to where they will be placed."""
    m, agents = s.month, s.agents
    active = s.active_bound  # an upper bound kept on the host
    if s.be.exact_sizes or int((active + newcomers).max()) > agents.size:
        # on the GPU a round trip, only when the bound says the arrays may be full
        active = s.be.to_numpy(agents.view(m.width).active.sum(axis=1))
    needed = int((active + newcomers).max())
    if needed > agents.size:
        agents.grow(s.xp, max(2 * agents.size, needed))
    s.active_bound = np.minimum(active + newcomers, agents.size)
    # free slots below width + the most newcomers of any run always suffice
    m.width = agents.size if not s.be.exact_sizes else min(agents.size, m.width + int(newcomers.max()))


MECHANISM = Mechanism("demand", None, Params, (("spawn", spawn),))
