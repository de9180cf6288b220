"""Smugglers' pricing in a competitive, segmented market (Campana 2018): the markup follows
excess demand, and capacity follows the markup (rivals enter a route that pays)."""

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


def update_markup(markup, demand_persons, capacity_persons, p, xp=np):
    """Markup moves with excess demand (demand / capacity - 1), bounded to [1, markup_max]."""
    excess = demand_persons / capacity_persons - 1.0
    return xp.clip(markup * (1.0 + p["price_adjustment"] * xp.clip(excess, -1.0, 3.0)), 1.0, p["markup_max"])


def entry(s: State) -> None:
    s.month.capacity_factor = s.month.capacity_factor * s.market.markup ** s.params(Params).supply_elasticity


def adjust_markup(s: State) -> None:
    m = s.month
    s.market.markup = update_markup(s.market.markup, m.wanted, m.capacity, vars(s.params(Params)), s.xp)


MECHANISM = Mechanism("pricing", ("on", "off"), Params, (("decide", entry), ("depart", adjust_markup)))
