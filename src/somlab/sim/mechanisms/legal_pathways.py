"""Legal pathways: legal places are drawn by lottery among those waiting in a corridor's hubs.
They remove demand for smuggling rather than edit departures (Deiana et al. 2020 and Clemens'
pathways argument: expand legal alternatives)."""

from __future__ import annotations

from somlab.sim.state import Mechanism, State


def lottery(s: State) -> None:
    m, xp, be = s.month, s.xp, s.be
    a = s.agents.view(m.width)
    n_corr = s.routes.n_corridors
    ppa = s.persons_per_agent
    waiting = be.counts(xp.where(a.active, a.corridor, n_corr), n_corr)
    places = m.levers["legal_places"]
    share = xp.where(waiting > 0, xp.minimum(1.0, places / ppa / xp.maximum(waiting, 1)), 0.0)
    chance = xp.take(s.f32(share).ravel(), a.corridor + s.row_offsets(n_corr))
    leaving = be.subset(a.active & (be.uniform(m.width) < chance))
    s.out["legal_departures"][:, m.t] = leaving.counts(leaving.gather(a.corridor), n_corr) * ppa
    leaving.scatter(a.active, False)


MECHANISM = Mechanism("legal_pathways", ("on", "off"), None, (("spawn", lottery),))
