"""Newcomers to the transit hubs, and legal pathways that take people out of the waiting pool.

Legal places are drawn by lottery among those waiting in a corridor's hubs: they remove demand
for smuggling rather than edit departures (Deiana et al. 2020 and Clemens' pathways argument:
expand legal alternatives).
"""

from __future__ import annotations

import math

import numpy as np


def spawn(state, be, newcomers_per_corridor, p):
    """Put newcomers in free slots, growing the agent arrays when the hubs hold more people than
    they have slots (the array size is numerical, never a cap on the waiting population)."""
    xp = be.xp
    ppa = p["persons_per_agent"]
    counts = [be.poisson(n / ppa) for n in newcomers_per_corridor]
    total = sum(counts)
    free = xp.nonzero(~state.active)[0]
    if int(free.shape[0]) < total:
        _grow(state, be, total - int(free.shape[0]))
        free = xp.nonzero(~state.active)[0]
    free = free[:total]
    corridor = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    budget = math.log(max(p["budget_median_eur"], 1.0)) + p["budget_spread"] * be.normal((total,))
    risk = math.log(max(p["risk_aversion"], 1e-9)) + p["risk_aversion_spread"] * be.normal((total,))
    state.corridor = be.put(state.corridor, free, xp.asarray(corridor))
    state.budget = be.put(state.budget, free, xp.exp(budget))
    state.debt = be.put(state.debt, free, xp.zeros(total, dtype=xp.float32))
    state.risk_aversion = be.put(state.risk_aversion, free, xp.exp(risk))
    state.active = be.put(state.active, free, xp.ones(total, dtype=bool))


def _grow(state, be, shortfall):
    """Enlarge every agent array by at least ``shortfall`` empty slots (doubling, so that growth
    happens a few times per run, not every month)."""
    xp = be.xp
    size = int(state.active.shape[0])
    extra = max(shortfall, size)
    for name, value in vars(state).items():
        setattr(state, name, xp.concatenate([value, xp.zeros(extra, dtype=value.dtype)]))


def newcomers(inflow_per_corridor, transit_enforcement, p, mechanisms):
    """Newcomers per corridor this month: transit enforcement upstream (e.g. Niger's crackdown on
    the Agadez-Libya trade from mid-2016) thins the flow that reaches the hubs."""
    if mechanisms["enforcement"] != "on":
        return inflow_per_corridor
    return inflow_per_corridor * np.exp(-p["transit_deterrence"] * np.maximum(transit_enforcement, 0.0))


def settle(state, be, p):
    """Waiting migrants who give up crossing (settle in the hub country or return) leave the pool."""
    state.active = state.active & (be.uniform(state.active.shape) >= p["settle_rate"])


def legal_departures(state, be, places_per_corridor, n_corridors, p):
    """Lottery of legal places among the active agents of each corridor; returns leavers' mask."""
    xp = be.xp
    waiting = be.to_numpy(be.bincount(state.corridor, weights=state.active.astype(xp.float32), minlength=n_corridors))
    share = np.where(waiting > 0, np.minimum(1.0, places_per_corridor / p["persons_per_agent"] / np.maximum(waiting, 1)), 0.0)
    chance = xp.take(xp.asarray(share.astype(np.float32)), state.corridor)
    return state.active & (be.uniform(state.active.shape) < chance)
