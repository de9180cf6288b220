"""Route choice: each waiting migrant compares every route with waiting another month.

Random-utility (logit) choice by Gumbel-max: utility falls with the fee (price sensitivity,
Gathmann 2008), with the perceived probability of dying (lagged and partial information,
Hinsch & Bijak 2023), with the cost of moving to another corridor, and with rough seas; a route
whose fee exceeds savings plus the smugglers' credit is out of reach (Friebel & Guriev 2006).
"""

from __future__ import annotations


def choose(state, be, route, season_utility, p):
    """Index of the chosen route per agent, or -1 for waiting."""
    xp = be.xp
    n = state.active.shape[0]
    n_routes = route["price"].shape[0]
    price = xp.asarray(route["price"].astype("float32"))[None, :]
    risk = xp.asarray(route["perceived_risk"].astype("float32"))[None, :]
    corridor = xp.asarray(route["corridor"])[None, :]
    season = xp.asarray(season_utility.astype("float32"))[None, :]
    moves = (corridor != state.corridor[:, None]).astype(xp.float32)
    utility = (
        -p["price_sensitivity"] * (price + p["corridor_switch_eur"] * moves) / 1000.0
        - state.risk_aversion[:, None] * risk
        + season
        + be.gumbel((n, n_routes))
    )
    reachable = (state.budget + p["credit_limit_eur"] - state.debt)[:, None] >= price
    utility = xp.where(reachable, utility, -xp.inf)
    best = xp.argmax(utility, axis=1)
    best_utility = xp.max(utility, axis=1)
    goes = state.active & (best_utility > p["wait_utility"] + be.gumbel((n,)))
    return xp.where(goes, best.astype(xp.int32), -1)
