"""Route choice: each waiting migrant compares every route with waiting another month.

Random-utility (logit) choice: utility falls with the fee (price sensitivity, Gathmann 2008),
with the perceived probability of dying (lagged and partial information, Hinsch & Bijak 2023),
with the cost of moving to another corridor, and with rough seas; it rises where a transit corridor
beyond the landing country is open (``onward_passage``: the Western Balkans route in 2015-2016,
when the Eastern crossings rose twentyfold, and fell at its closure in March 2016); a route whose fee exceeds
savings plus the smugglers' credit is out of reach (Friebel & Guriev 2006). With Gumbel noise on
every option, the choice among waiting and the reachable routes is multinomial logit, so it is
drawn from the logit probabilities with one uniform number per agent (the same distribution as
the argmax of Gumbel-perturbed utilities, at a fraction of the random numbers and logarithms).

A migrant who chose a route leaves only on a calm day: a share ``weather_window x (1 -
season) / 2`` of the month's days is too rough (0 in the calmest month); ``launch`` is the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    price_sensitivity: Any
    corridor_switch_eur: Any
    wait_utility: Any
    season_amplitude: Any
    credit_limit_eur: Any
    weather_window: Any


def season_index(
    month: str, peak: float, flatness: float = 0.0, profile: Sequence[float] | None = None
) -> float:
    """1 in the calmest month, -1 in the roughest. With ``profile`` (twelve values, January
    first: the season estimated from data, ``estimate_season``) the month's value; without, a
    cosine peaking in ``peak``, flattened into a plateau by ``flatness`` > 0 (tanh(f cos)/tanh(f)):
    calm seas through spring to autumn and a rough winter, rather than one calm month."""
    if profile is not None:
        return float(profile[int(month[5:7]) - 1])
    c = math.cos(2 * math.pi * (int(month[5:7]) - peak) / 12)
    return math.tanh(flatness * c) / math.tanh(flatness) if flatness > 1e-6 else c


def estimate_season(counts: Sequence[float], months: Sequence[str]) -> list[float] | None:
    """The season as twelve values in [-1, 1] (January first), estimated from monthly crossings:
    for each calendar year with all twelve months observed, each month's log count less the
    year's mean log count (so that the level and the yearly trend drop out); the mean over
    years of each calendar month, scaled linearly so that the highest month is 1 and the lowest
    -1. The shape only: how strongly the season moves migrants and boats (``season_amplitude``,
    ``weather_window``) is calibrated. None without a complete year."""
    values = np.asarray(counts, dtype=float)
    years = sorted({m[:4] for m in months})
    rows = []
    for year in years:
        index = [i for i, m in enumerate(months) if m[:4] == year]
        if len(index) == 12 and np.isfinite(values[index]).all():
            logs = np.log1p(np.maximum(values[index], 0.0))
            rows.append(logs - logs.mean())
    if not rows:
        return None
    mean = np.mean(rows, axis=0)
    span = mean.max() - mean.min()
    return [float(v) for v in (2 * (mean - mean.min()) / span - 1 if span > 0 else np.zeros(12))]


def decide(s: State) -> None:
    m, q, xp, r = s.month, s.params(Params), s.xp, s.routes
    a = s.agents.view(m.width)
    n, n_corr = r.n, r.n_corridors
    season_utility = q.season_amplitude * m.season * (1.0 - m.season_damping)  # [R, 1] or [R, n]
    moves = (r.corridor[None, :] != xp.arange(n_corr)[:, None]).astype(float)  # [C, n]
    onward = xp.take(m.levers["onward_utility"], r.corridor, axis=1)  # [R, n]
    # utility of each route for a migrant in each corridor, before risk and noise: [R, C, n]
    base = (
        -q.price_sensitivity[:, :, None]
        * (m.price[:, None, :] + q.corridor_switch_eur[:, :, None] * moves[None])
        / 1000.0
        + xp.broadcast_to(season_utility, m.price.shape)[:, None, :]
        + onward[:, None, :]
    )
    top = xp.maximum(base.max(axis=2), q.wait_utility)  # [R, C]: weights below stay <= 1
    weights = s.f32(xp.exp(base - top[:, :, None]))  # [R, C, n], each <= 1
    wait = s.f32(xp.exp(q.wait_utility - top))  # [R, C]
    # Most migrants wait. Without the risk term and the budget limit a route's weight can only be
    # larger, so a draw below wait / (wait + sum of those weights) waits whatever else holds: only
    # the other draws need the exact weights (the same draw decides, so nothing changes but the work).
    sure_wait = wait / (wait + weights.sum(axis=2))  # [R, C]
    u = s.be.uniform(m.width)
    credit, price, risk = s.f32(q.credit_limit_eur), s.f32(m.price), s.f32(s.market.perceived_risk)
    whole = s.be.fused(route_draw, n, n_corr)
    if whole is not None:  # whole arrays, one kernel: see route_draw
        columns = []
        for k in range(n_corr):
            columns += [sure_wait[:, k : k + 1], wait[:, k : k + 1]] + [
                weights[:, k, j : j + 1] for j in range(n)
            ]
        for j in range(n):
            columns += [risk[:, j : j + 1], price[:, j : j + 1]]
        route = whole(u, a.active, a.corridor, a.risk_aversion, a.budget, a.debt, credit, *columns)
        m.choosers, m.route_c = s.be.subset(route >= 0), route
    else:  # only the agents whose draw could lead them to a route, as a compact subset
        corridor_key = a.corridor + s.row_offsets(n_corr)
        c = s.be.subset(a.active & (u >= xp.take(sure_wait.ravel(), corridor_key)))
        key = c.gather(corridor_key)
        risk_aversion = c.gather(a.risk_aversion)
        reach = c.gather(a.budget) + c.param(credit) - c.gather(a.debt)
        # cumulative weights: waiting first, then each route (an unreachable route adds nothing)
        total = xp.take(wait.ravel(), key)
        ends = [total]
        for j in range(n):
            w = xp.take(weights[:, :, j].ravel(), key) * xp.exp(
                -risk_aversion * c.param(risk[:, j : j + 1])
            )
            total = total + w * (reach >= c.param(price[:, j : j + 1]))
            ends.append(total)
        # the option whose interval holds u x total is the first whose cumulative weight exceeds
        # it: counting the ends at or below the draw gives it (0 = waiting). A draw that rounding
        # puts at the very top (probability about 1e-7) waits.
        target = c.gather(u) * total
        passed = xp.zeros(target.shape, dtype=xp.int32)
        for end in ends:
            passed += target >= end
        goes = (passed >= 1) & (passed <= n)
        m.choosers = c.select(goes)
        m.route_c = c.keep(passed - 1, goes)
    rough = q.weather_window * (1.0 - m.season) / 2.0 * (1.0 - m.season_damping)
    m.launch = xp.broadcast_to(1.0 - rough, m.price.shape)


def route_draw(xp, n: int, n_corr: int):
    """The route choice of every agent slot as one elementwise function of whole arrays (for a
    GPU, where one fused kernel over all slots costs less than compacting): the arithmetic of
    ``decide``'s host path, operation for operation, with each slot's corridor quantities picked
    by comparing its corridor with each code (exact: one term is the value, the others 0)
    instead of gathered.

    ``columns`` are [R, 1]: per corridor the sure-wait bound, the waiting weight and each route's
    weight; then per route the perceived risk and the fee. Returns each slot's route, -1 for
    waiting (and for free slots)."""
    per_corridor = n + 2

    def draw(u, active, corridor, risk_aversion, budget, debt, credit, *columns):
        def pick(k):
            value = columns[k] * (corridor == 0)
            for code in range(1, n_corr):
                value = value + columns[code * per_corridor + k] * (corridor == code)
            return value

        routes = columns[n_corr * per_corridor :]
        reach = budget + credit - debt
        total = pick(1)
        ends = [total]
        for j in range(n):
            total = total + pick(2 + j) * xp.exp(-risk_aversion * routes[2 * j]) * (
                reach >= routes[2 * j + 1]
            )
            ends.append(total)
        target = u * total
        passed = (target >= ends[0]).astype(np.int32)
        for end in ends[1:]:
            passed = passed + (target >= end)
        goes = active & (u >= pick(0)) & (passed >= 1) & (passed <= n)
        return passed * goes - 1

    return draw


MECHANISM = Mechanism("choice", None, Params, (("decide", decide),))
