"""The crossing: interception, distress and rescue, per boat, and who dies, arrives or is pulled back.

Departing migrants are spread at random over each route's boats; interception, distress and
rescue happen per boat, so shipwrecks kill many at once. Distress does not wait for interception:
a boat may be in distress before the coast guard reaches it (UNHCR's 2018 updates on the Libyan
coast guard count people "rescued/intercepted" and, beside them, bodies recovered and people
missing). An interceptor is not one more rescuer: a boat in distress waits for the rescuers
present, whether or not it will be pulled back, and those aboard may die before it is reached;
the survivors of an intercepted boat are pulled back. Time to rescue is exponential with the
rescue hazard (in units of the time a boat in distress stays afloat), so a boat is reached in
time with probability 1 - exp(-hazard x congestion); the hazard is the sum of the rescuers
present (``sar``: state assets, NGO vessel-days, the baseline of merchant ships and coast
guards). Where rescue coordination is handed over to another centre (``rescue_handover``: the
Libyan JRCC, whose coordinates were uploaded to the IMO's GISIS on 27 June 2018), every rescuer
in the region waits for that centre's instructions or its boats, merchant ships included (the
Italian coast guard's circular of 23 June 2018 told all ships in the Libyan region to coordinate
first with the Libyan authorities): the whole hazard falls by ``handover_delay`` x the lever.
Rescue is limited by the assets present (``rescue_congestion``), and so is interdiction by armed groups and the coast guard they man (``interdiction_congestion``: the
patrol vessels in service stop a limited number of boats a month). On a boat in distress that
is not reached, the share who die is drawn per boat (``fatality_exponent``: mass-casualty
clusters). What migrants weigh before choosing is the probability of dying they perceive: last
months' risk, lagged (``risk_memory``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    rescue_baseline: Any
    rescue_capacity_boats: Any
    weather_distress: Any
    lethality: Any
    risk_memory: Any
    handover_delay: Any


def rescue_probability(state_sar, ngo_effective, p, mechanisms, congestion=1.0):
    """Probability that a boat in distress is reached in time. ``congestion`` (0-1, see
    ``rescue_congestion``) scales the hazard down when more boats are in distress than the assets
    present can reach."""
    hazard = np.full_like(state_sar, p["rescue_baseline"], dtype=float)
    if mechanisms["sar"] != "off":
        hazard = hazard + p["rescue_state"] * state_sar + p["rescue_ngo"] * ngo_effective
    return 1.0 - np.exp(-hazard * congestion)


def rescue_congestion(distress_boats, sar, p, xp=np):
    """Share of the rescue hazard left when ``distress_boats`` boats are in distress on a route in
    a month: the assets present (merchant ships and coastguards, plus one unit per unit of SAR
    presence) reach about ``rescue_capacity_boats`` boats each in time; beyond that, boats wait
    and sink (mass departures on calm days overwhelm the assets: IOM GMDAC 2016/2017 on
    April-May 2016 and 2017). 0 = unlimited capacity."""
    k = p["rescue_capacity_boats"]
    capacity = k * (1.0 + xp.maximum(sar, 0.0))
    distress = xp.asarray(distress_boats, dtype=float)
    return xp.where(k > 0, capacity / xp.maximum(capacity + distress, 1e-300), 1.0)


def fatality_exponent(lethality, xp=np):
    """Share dying on a boat lost at sea = u ** this (u uniform): a Beta(L/(1-L), 1) draw with mean
    L = ``lethality``. Most wrecks kill part of those aboard and a few kill nearly all, so deaths
    come in mass-casualty clusters (IOM Missing Migrants Project: a handful of wrecks make most of a
    year's dead)."""
    lethality = xp.clip(lethality, 1e-6, 1.0)
    return (1.0 - lethality) / lethality


def interdiction_congestion(boats, capacity_boats, xp=np):
    """Share of the armed groups' interception hazard left when ``boats`` boats leave a route in a
    month and the patrol vessels in service can stop about ``capacity_boats`` of them (the
    vessels handed to the coast guard x ``interdiction_boats_per_vessel``): a fleet of a few
    patrol boats cannot pull back a mass departure."""
    capacity = xp.maximum(capacity_boats, 0.0)
    return capacity / xp.maximum(capacity + boats, 1e-300)


def risks(s: State) -> None:
    """This month's distress probability, and the risk of dying migrants perceive: the chance of
    distress times the chance that no rescuer reaches the boat in time, times the lethality."""
    m, q, xp, market, r = s.month, s.params(Params), s.xp, s.market, s.routes
    m.p_distress = xp.clip(
        r.distress * (1.0 + q.weather_distress * (1.0 - m.season) / 2.0) * m.distress_factor,
        0.0,
        1.0,
    )
    coordinated = 1.0 - q.handover_delay * m.levers["rescue_handover"]
    m.rescue_hazard = (q.rescue_baseline + m.rescue_hazard) * coordinated
    m.ngo_rescue_hazard = m.ngo_rescue_hazard * coordinated
    seen_hazard = (q.rescue_baseline + m.seen_rescue_hazard) * coordinated
    seen_rescue = 1.0 - xp.exp(-seen_hazard * market.congestion)
    death_risk = m.p_distress * (1.0 - seen_rescue) * q.lethality
    if market.started:
        market.perceived_risk = (
            1.0 - q.risk_memory
        ) * market.perceived_risk + q.risk_memory * death_risk
    else:
        market.perceived_risk = death_risk


def boats(s: State) -> None:
    """Boats per route (departures / boat size, rounded up), the month's interception probability
    (the armed groups' part limited by the patrol vessels in service), and each boat's
    interception and distress. Boats are numbered run by run; a boat's route is found by counting the routes'
    cumulative boat numbers below it."""
    m, xp, be, r = s.month, s.xp, s.be, s.routes
    m.boats = xp.ceil(m.departures / r.boat_persons)
    interdiction = m.interdiction_hazard * interdiction_congestion(
        m.boats, m.interdiction_capacity, xp
    )
    m.p_intercept = 1.0 - xp.exp(-(r.interception + m.interception_hazard + interdiction))
    count = m.boats.astype(xp.int32)
    last = xp.cumsum(count, axis=1)
    m.first_boat = last - count
    if be.exact_sizes:
        width = max(int(last[:, -1].max()), 1)
    else:  # a bound known on the host: every departing agent fills at most this many boats
        per_agent = math.ceil(s.persons_per_agent / r.min_boat_persons)
        width = int(min(int(s.active_bound.max()), m.width)) * per_agent + r.n
    m.boat_width = width
    b = xp.arange(width, dtype=xp.int32)[None, :]
    route = xp.zeros((s.runs, width), dtype=xp.int32)
    for j in range(r.n - 1):
        route += b >= last[:, j : j + 1]
    m.boat_route = route
    m.boat_key = route + s.row_offsets(r.n)
    valid = b < last[:, -1:]
    m.intercepted_b = valid & (be.uniform(width) < s.per_agent(s.f32(m.p_intercept), m.boat_key))
    m.distress_b = valid & (be.uniform(width) < s.per_agent(s.f32(m.p_distress), m.boat_key))


def intercept(s: State) -> None:
    """Each departing agent boards one of its route's boats at random; the boat's interception
    is its own."""
    m, xp = s.month, s.xp
    d = m.departing
    first = d.table(m.first_boat, m.route_d)
    count = xp.maximum(d.table(m.boats.astype(xp.int32), m.route_d), 1)
    slot = xp.clip(first + (d.uniform() * count).astype(xp.int32), 0, m.boat_width - 1)
    m.slot_d = d.key(m.boat_width, slot)
    m.intercepted_d = xp.take(m.intercepted_b.ravel(), m.slot_d)


def rescue(s: State) -> None:
    """Boats in distress are reached with probability 1 - exp(-hazard x congestion); the rest are
    lost, each with its own share of dead."""
    m, q, xp, be, n = s.month, s.params(Params), s.xp, s.be, s.routes.n
    distress_boats = be.counts(xp.where(m.distress_b, m.boat_route, n), n)
    congestion = rescue_congestion(
        distress_boats, m.sar, {"rescue_capacity_boats": q.rescue_capacity_boats}, xp
    )
    s.market.congestion = congestion
    p_rescue = 1.0 - xp.exp(-m.rescue_hazard * congestion)
    reached = be.uniform(m.boat_width) < s.per_agent(s.f32(p_rescue), m.boat_key)
    m.rescued_b = m.distress_b & ~m.intercepted_b & reached
    m.lost_b = m.distress_b & ~reached
    m.fatal_b = be.uniform(m.boat_width) ** s.f32(fatality_exponent(q.lethality, xp))


def arrive(s: State) -> None:
    m, xp = s.month, s.xp
    lost = xp.take(m.lost_b.ravel(), m.slot_d)
    m.dies_d = lost & (m.departing.uniform() < xp.take(m.fatal_b.ravel(), m.slot_d))
    m.arrived_d = ~m.intercepted_d & ~m.dies_d
    m.intercepted_d = m.intercepted_d & ~m.dies_d  # the survivors are pulled back


MECHANISM = Mechanism(
    "sea",
    None,
    Params,
    (
        ("decide", risks),
        ("sea", boats),
        ("intercept", intercept),
        ("rescue", rescue),
        ("arrive", arrive),
    ),
)
