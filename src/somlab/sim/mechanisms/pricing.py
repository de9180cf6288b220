"""Smugglers' pricing in a competitive, segmented market (Campana 2018): the markup follows
excess demand, and capacity follows the markup (rivals enter a route that pays). Where no armed
group controls the coast (Tunisia, Turkey, Morocco), lasting excess demand also draws new
smugglers and slack demand drives them out: the route's capacity drifts with demand
(``capacity_entry`` a month), so its size is the market's outcome, not an input. On a coast held
by armed groups (Libya) they decide who launches (AP, August 2017) and entry is not free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    price_adjustment: Any
    supply_elasticity: Any
    markup_max: Any
    capacity_entry: Any


CAPACITY_RANGE = (0.1, 10.0)
"""Entry and exit move a route's capacity within a tenth and ten times its base (``routes.csv``)."""


def update_markup(markup, demand_persons, capacity_persons, p, xp=np):
    """Markup moves with excess demand (demand / capacity - 1), bounded to [1, markup_max]."""
    excess = demand_persons / capacity_persons - 1.0
    return xp.clip(
        markup * (1.0 + p["price_adjustment"] * xp.clip(excess, -1.0, 3.0)), 1.0, p["markup_max"]
    )


def update_capacity(scale, demand_persons, capacity_persons, entry, free_entry, xp=np):
    """Capacity relative to the base: grows with excess demand and shrinks with slack demand at
    ``entry`` a month, on routes with free entry (``free_entry`` 1) only."""
    excess = xp.clip(demand_persons / capacity_persons - 1.0, -1.0, 3.0)
    return xp.clip(scale * (1.0 + entry * free_entry * excess), *CAPACITY_RANGE)


def entry(s: State) -> None:
    q = s.params(Params)
    s.month.capacity_factor = (
        s.month.capacity_factor * s.market.markup**q.supply_elasticity * s.market.capacity_scale
    )


def adjust_markup(s: State) -> None:
    m, q = s.month, s.params(Params)
    s.market.markup = update_markup(s.market.markup, m.wanted, m.capacity, vars(q), s.xp)
    s.market.capacity_scale = update_capacity(
        s.market.capacity_scale, m.wanted, m.capacity, q.capacity_entry, 1.0 - s.routes.armed, s.xp
    )


MECHANISM = Mechanism(
    "pricing", ("on", "off"), Params, (("decide", entry), ("depart", adjust_markup))
)
