"""Armed groups that switch between smuggling and paid interdiction (AP 2017, Sabratha 2017).

On routes where armed groups control departures, a share ``s`` of their capacity interdicts.
Its target follows the payoffs: externalisation payments versus the group's cut of smuggling
revenue, ``target = pay^k / (pay^k + cut^k)``; ``s`` moves a fixed share of the way each month,
so payments cut departures within months and stopping them brings smuggling back. The cut they
weigh is the income they expect (an exponential average of monthly revenue, weight
``armed_revenue_memory`` on the latest month), not the latest month's: a winter lull in
crossings does not make a militia give up a business it knows returns with the calm season.
"""

from __future__ import annotations

import numpy as np


def expected_revenue(previous, revenue_eur, p):
    """The smuggling revenue armed groups expect, updated with the latest month's."""
    if previous is None:
        return np.asarray(revenue_eur, dtype=float).copy()
    return previous + p["armed_revenue_memory"] * (revenue_eur - previous)


def update_interdicting_share(share, payments_meur, revenue_eur, p, mechanisms):
    if mechanisms["externalisation"] == "off":
        return np.zeros_like(share)
    cut = p["armed_revenue_share"] * revenue_eur / 1e6
    k = p["armed_switch_sensitivity"]
    pay_k = np.power(np.maximum(payments_meur, 0.0), k)
    target = np.where(pay_k > 0, pay_k / (pay_k + np.power(np.maximum(cut, 1e-9), k)), 0.0)
    return share + p["armed_switch_speed"] * (target - share)
