"""Legal pathways: a corridor's legal places (``legal_places``, persons per month) go to the
people who are about to cross irregularly, those who chose a smuggling route this month. A place
taken replaces that person's attempt; places cannot replace attempts nobody would make. They
remove demand for smuggling rather than edit departures (Clemens' pathways argument: legal
alternatives divert the people who would otherwise pay a smuggler).

Because the places act on the choosers before smugglers ration their capacity, the effect
depends on the rest of the market: where enforcement has cut capacity below demand, a place
frees a smuggler's seat for someone else and departures barely move; where fees or enforcement
have thinned the choosers, the same places cover a larger share of them. Places not taken in a
month are not carried over."""

from __future__ import annotations

from somlab.sim.state import Mechanism, State


def take_places(s: State) -> None:
    m, xp = s.month, s.xp
    a = s.agents.view(m.width)
    c = m.choosers
    n_corr = s.routes.n_corridors
    corridor = c.gather(a.corridor)  # the corridor where each chooser waits
    trying = c.counts(corridor, n_corr)  # [R, C] agents about to cross
    places = m.levers["legal_places"] / s.persons_per_agent
    share = xp.where(trying > 0, xp.minimum(1.0, places / xp.maximum(trying, 1)), 0.0)
    legal = c.uniform() < c.table(s.f32(share), corridor)
    leaving = c.select(legal)
    s.out["legal_departures"][:, m.t] = (
        leaving.counts(c.keep(corridor, legal), n_corr) * s.persons_per_agent
    )
    leaving.scatter(a.active, False)
    m.choosers = c.select(~legal)
    m.route_c = c.keep(m.route_c, ~legal)


MECHANISM = Mechanism("legal_pathways", ("on", "off"), None, (("price", take_places),))
