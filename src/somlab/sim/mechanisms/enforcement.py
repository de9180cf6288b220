"""Enforcement against smuggling (Gathmann 2008): it raises smugglers' costs (elasticity 0.19:
tripled enforcement, +23%), pushes crossings to riskier places (more distress), raises the
interception hazard and cuts capacity (seizures, arrests). Transit enforcement upstream (Niger's
enforcement of Law 2015-36 from mid-2016; Brachet 2018, Tubiana et al. 2018) thins the newcomers
reaching a corridor's hubs ``transit_lag_months`` later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somlab.sim.mechanisms import demand
from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    enforcement_price_elasticity: Any
    enforcement_risk_elasticity: Any
    enforcement_capacity_elasticity: Any
    enforcement_interception: Any
    transit_deterrence: Any


def thin_newcomers(s: State) -> None:
    m = s.month
    q = {"transit_deterrence": s.host_values["transit_deterrence"]}
    m.newcomers = demand.newcomers(
        m.newcomers, s.host_levers["transit_upstream"][:, m.t], q, s.mechanisms
    )


def route_effects(s: State) -> None:
    m, q, xp = s.month, s.params(Params), s.xp
    level = m.levers["enforcement"]
    floor = xp.maximum(level, 1e-3)
    m.cost_factor = m.cost_factor * level**q.enforcement_price_elasticity
    m.capacity_factor = m.capacity_factor * floor ** (-q.enforcement_capacity_elasticity)
    m.distress_factor = m.distress_factor * floor**q.enforcement_risk_elasticity
    m.interception_hazard = m.interception_hazard + q.enforcement_interception * xp.maximum(
        level - 1.0, 0.0
    )


MECHANISM = Mechanism(
    "enforcement", ("on", "off"), Params, (("spawn", thin_newcomers), ("decide", route_effects))
)
