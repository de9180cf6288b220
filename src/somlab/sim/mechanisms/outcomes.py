"""The month's outcomes per route and corridor, counted once for all runs; then the pool changes:
arrivals and the dead leave it, the intercepted are back in the hub of the route they tried."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somlab.sim.state import Mechanism, State

OUTCOME_CODES = 12  # per route: arrived / intercepted / died x debt-financed x exploited


@dataclass(frozen=True)
class Params:
    migrant_driver_share: Any
    family_share: Any


def record(s: State) -> None:
    m, q, xp, be, r, out, t = s.month, s.params(Params), s.xp, s.be, s.routes, s.out, s.month.t
    a = s.agents.view(m.width)
    d = m.departing
    ppa = s.persons_per_agent
    fate = xp.where(m.intercepted_d, 1, xp.where(m.dies_d, 2, 0))
    exploited = m.exploited_d if m.exploited_d is not None else False
    code = m.route_d * OUTCOME_CODES + fate * 4 + (m.shortfall_d > 0) * 2 + exploited
    counts = d.counts(code, r.n * OUTCOME_CODES).reshape(s.runs, r.n, 3, 2, 2) * ppa
    out["departures"][:, t] = m.departures
    out["arrivals"][:, t] = counts[:, :, 0].sum(axis=(2, 3))
    out["interceptions"][:, t] = counts[:, :, 1].sum(axis=(2, 3))
    out["dead_missing"][:, t] = counts[:, :, 2].sum(axis=(2, 3))
    out["debt_financed"][:, t] = counts[:, :, :, 1].sum(axis=(2, 3))
    out["exploitation"][:, t] = counts[..., 1].sum(axis=(2, 3))
    out["price_eur"][:, t] = m.price
    out["revenue_eur"][:, t] = m.revenue
    out["boats"][:, t] = m.boats
    out["boats_migrant_driven"][:, t] = m.boats * q.migrant_driver_share
    out["family_arranged"][:, t] = m.departures * q.family_share
    rescued = be.counts(xp.where(m.rescued_b, m.boat_route, r.n), r.n)
    ngo_share = xp.where(
        m.rescue_hazard > 0, m.ngo_rescue_hazard / xp.maximum(m.rescue_hazard, 1e-300), 0.0
    )
    out["boats_rescued_ngo"][:, t] = rescued * ngo_share
    # the intercepted are back in the hub of the route they tried; arrivals and the dead leave
    d.scatter(
        a.corridor,
        xp.where(
            m.intercepted_d, xp.take(r.corridor, xp.maximum(m.route_d, 0)), d.gather(a.corridor)
        ),
    )
    d.scatter(a.active, m.intercepted_d)
    out["waiting"][:, t] = (
        be.counts(xp.where(a.active, a.corridor, r.n_corridors), r.n_corridors) * ppa
    )


MECHANISM = Mechanism("outcomes", None, Params, (("record", record),))
