"""Smugglers per route: cost, price and capacity.

Enforcement raises costs (price elasticity from Gathmann 2008: tripled enforcement, +17-30%),
pushes crossings to riskier places and cuts capacity; price follows excess demand over capacity
(markup adjustment). In the vessel-downgrading module, SAR presence lets smugglers switch to
cheaper, flimsier boats (Deiana, Maheshri & Mastrobuoni 2020).
"""

from __future__ import annotations

import numpy as np


def cost(base_price, enforcement, sar_presence, p, mechanisms):
    out = base_price.astype(float).copy()
    if mechanisms["enforcement"] == "on":
        out *= enforcement ** p["enforcement_price_elasticity"]
    if mechanisms["sar"] == "vessel_downgrading":
        out *= 1.0 - p["downgrade_cost_saving"] * np.minimum(sar_presence, 1.0)
    return out


def capacity(base_capacity, markup, enforcement, armed_interdicting, armed_routes, p, mechanisms):
    """Persons per month smugglers can carry: more when the route pays (competitive entry,
    Campana 2018), less under enforcement and when armed groups turn to interdiction."""
    out = base_capacity * markup ** p["supply_elasticity"] if mechanisms["pricing"] == "on" else base_capacity.astype(float)
    if mechanisms["enforcement"] == "on":
        out *= np.maximum(enforcement, 1e-3) ** (-p["enforcement_capacity_elasticity"])
    if mechanisms["externalisation"] == "on":
        out *= 1.0 - p["armed_capacity_share"] * armed_interdicting * armed_routes
    return np.maximum(out, 1.0)


def update_markup(markup, demand_persons, capacity_persons, p, mechanisms):
    """Markup moves with excess demand (demand / capacity - 1), bounded to [1, markup_max]."""
    if mechanisms["pricing"] == "off":
        return markup
    excess = demand_persons / capacity_persons - 1.0
    return np.clip(markup * (1.0 + p["price_adjustment"] * np.clip(excess, -1.0, 3.0)), 1.0, p["markup_max"])
