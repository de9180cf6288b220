"""Armed groups that switch between smuggling and paid interdiction (AP 2017, Sabratha 2017): the
``externalisation`` mechanism.

On routes where armed groups control departures, a share ``s`` of their capacity interdicts.
Its target follows the payoffs: externalisation payments versus the group's cut of smuggling
revenue, ``target = pay^k / (pay^k + cut^k)``; ``s`` moves a fixed share of the way each month,
so payments cut departures within months and stopping them brings smuggling back. The cut they
weigh is the income they expect (an exponential average of monthly revenue, weight
``armed_revenue_memory`` on the latest month), not the latest month's: a winter lull in
crossings does not make a militia give up a business it knows returns with the calm season.
Interdiction withdraws smuggling capacity (departures stopped on land) and raises the route's
interception hazard at sea. At sea it is limited by the patrol vessels in service
(``coastguard_vessels`` lever: the boats handed to the Libyan coast guard): each stops about
``interdiction_boats_per_vessel`` boats a month, so the armed groups' hazard is diluted when more
boats leave than the fleet can reach (``sea.interdiction_congestion``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    armed_revenue_share: Any
    armed_switch_sensitivity: Any
    armed_switch_speed: Any
    armed_revenue_memory: Any
    armed_interdiction: Any
    armed_capacity_share: Any
    interdiction_boats_per_vessel: Any


def expected_revenue(previous, revenue_eur, p):
    """The smuggling revenue armed groups expect, updated with the latest month's (``previous``
    None: the first month, nothing expected yet)."""
    if previous is None:
        return revenue_eur * 1.0
    return previous + p["armed_revenue_memory"] * (revenue_eur - previous)


def update_interdicting_share(share, payments_meur, revenue_eur, p, mechanisms, xp=np):
    if mechanisms["externalisation"] == "off":
        return xp.zeros_like(share)
    cut = p["armed_revenue_share"] * revenue_eur / 1e6
    k = p["armed_switch_sensitivity"]
    pay_k = xp.power(xp.maximum(payments_meur, 0.0), k)
    target = xp.where(pay_k > 0, pay_k / (pay_k + xp.power(xp.maximum(cut, 1e-9), k)), 0.0)
    return share + p["armed_switch_speed"] * (target - share)


def interdiction(s: State) -> None:
    m, q, market, armed = s.month, s.params(Params), s.market, s.routes.armed
    market.interdicting = update_interdicting_share(
        market.interdicting,
        m.levers["externalisation"],
        market.expected_revenue,
        vars(q),
        s.mechanisms,
        s.xp,
    )
    m.interdiction_hazard = q.armed_interdiction * market.interdicting * armed
    m.interdiction_capacity = q.interdiction_boats_per_vessel * m.levers["coastguard_vessels"]
    m.capacity_factor = m.capacity_factor * (
        1.0 - q.armed_capacity_share * market.interdicting * armed
    )


def remember_revenue(s: State) -> None:
    market = s.market
    previous = market.expected_revenue if market.started else None
    market.expected_revenue = expected_revenue(previous, s.month.revenue, vars(s.params(Params)))


MECHANISM = Mechanism(
    "externalisation",
    ("on", "off"),
    Params,
    (("decide", interdiction), ("record", remember_revenue)),
)
