"""Smugglers per route: the fee they quote, the capacity they have, rationing, and the fee paid.

The fee is the route's base price times the month's cost factor (enforcement, vessel
downgrading) times the markup (pricing); capacity is the base times the capacity factor
(pricing, enforcement, armed groups). Demand above capacity is rationed at random; a fee above
savings is lent against future work and becomes debt (Friebel & Guriev 2006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    savings_eur_month: Any  # what a waiting migrant saves per month


def quote(s: State) -> None:
    m, r = s.month, s.routes
    m.price = r.base_price * m.cost_factor * s.market.markup
    m.capacity = s.xp.maximum(r.capacity * m.capacity_factor, 1.0)


def ration(s: State) -> None:
    """Who chose a route and finds a calm day wants to leave; smugglers take as many as their
    capacity allows, at random. One uniform draw decides both: below ``launch`` a calm day,
    below ``launch x accept`` a place on a boat."""
    m, xp, be, n = s.month, s.xp, s.be, s.routes.n
    u = be.uniform(m.width)
    launch = s.per_agent(s.f32(m.launch), m.route_key)
    choosing = m.chosen >= 0
    route = xp.maximum(m.chosen, 0)
    m.wanted = be.counts(xp.where(choosing & (u < launch), route, n), n) * s.persons_per_agent
    accept = xp.minimum(1.0, m.capacity / xp.maximum(m.wanted, 1.0))
    m.departs = choosing & (u < launch * s.per_agent(s.f32(accept), m.route_key))


def depart(s: State) -> None:
    m, xp, n = s.month, s.xp, s.routes.n
    a = s.agents.view(m.width)
    m.fee = s.per_agent(s.f32(m.price), m.route_key)
    m.shortfall = xp.where(m.departs, xp.maximum(m.fee - a.budget, 0.0), 0.0)
    a.debt += m.shortfall
    a.budget[...] = xp.where(m.departs, xp.maximum(a.budget - m.fee, 0.0), a.budget + s.f32(s.params(Params).savings_eur_month))
    m.departures = s.be.counts(xp.where(m.departs, xp.maximum(m.chosen, 0), n), n) * s.persons_per_agent
    m.revenue = m.departures * m.price


MECHANISM = Mechanism("smugglers", None, Params, (("decide", quote), ("price", ration), ("depart", depart)))
