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
    m, xp, n = s.month, s.xp, s.routes.n
    c = m.choosers
    u = c.uniform()
    launch = c.table(s.f32(m.launch), m.route_c)
    calm = u < launch
    m.wanted = c.select(calm).counts(c.keep(m.route_c, calm), n) * s.persons_per_agent
    accept = xp.minimum(1.0, m.capacity / xp.maximum(m.wanted, 1.0))
    leaves = u < launch * c.table(s.f32(accept), m.route_c)
    m.departing = c.select(leaves)
    m.route_d = c.keep(m.route_c, leaves)


def depart(s: State) -> None:
    """Those with a place pay the fee; what their savings do not cover becomes debt. The rest save."""
    m, xp, n = s.month, s.xp, s.routes.n
    a = s.agents.view(m.width)
    d = m.departing
    fee = d.table(s.f32(m.price), m.route_d)
    budget, debt = d.gather(a.budget), d.gather(a.debt)
    m.shortfall_d = xp.maximum(fee - budget, 0.0)
    m.debt_d = debt + m.shortfall_d
    left = xp.maximum(
        budget - fee, 0.0
    )  # before the savings below (on a device, budget is the array itself)
    a.budget += s.f32(s.params(Params).savings_eur_month)
    d.scatter(a.budget, left)
    d.scatter(a.debt, m.debt_d)
    m.departures = d.counts(m.route_d, n) * s.persons_per_agent
    m.revenue = m.departures * m.price


MECHANISM = Mechanism(
    "smugglers", None, Params, (("decide", quote), ("price", ration), ("depart", depart))
)
