"""One run of the smuggling-market model: monthly steps over a scenario's period.

State is a struct of arrays (one entry per agent, an agent standing for ``persons_per_agent``
people) on the chosen backend; route-level quantities are small numpy arrays. A month:
newcomers arrive in the hubs, legal places are drawn, migrants choose a route or wait, smugglers
ration by capacity, boats cross (interception, distress, rescue), then prices and armed groups
adjust. All counts returned are persons; ``legal_departures`` and ``waiting`` (people in the
hubs at the end of the month) are per corridor; ``agents`` is the size of the agent arrays each
month (they grow when the hubs fill up, so it is not a cap on the waiting population) and
``agent_steps`` its sum over all months simulated, spin-up included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from somlab.sim.backend import Backend, make_backend
from somlab.sim.levers import lever_arrays
from somlab.sim.mechanisms import armed_groups, choice, demand, exploitation, sea, smugglers
from somlab.sim.scenario import Scenario

ROUTE_SERIES = (
    "departures", "arrivals", "interceptions", "dead_missing", "price_eur", "revenue_eur",
    "debt_financed", "exploitation", "boats", "boats_migrant_driven", "boats_rescued_ngo",
    "family_arranged",
)


@dataclass
class AgentState:
    active: object
    corridor: object
    budget: object
    debt: object
    risk_aversion: object


def _new_state(be: Backend, n: int) -> AgentState:
    xp = be.xp
    return AgentState(
        active=xp.zeros(n, dtype=bool),
        corridor=xp.zeros(n, dtype=xp.int32),
        budget=xp.zeros(n, dtype=xp.float32),
        debt=xp.zeros(n, dtype=xp.float32),
        risk_aversion=xp.zeros(n, dtype=xp.float32),
    )


def season_index(month: str, peak: float, flatness: float = 0.0) -> float:
    """1 in the calmest month, -1 six months later: a cosine, flattened into a plateau by
    ``flatness`` > 0 (tanh(f cos)/tanh(f)): calm seas through spring to autumn and a rough winter,
    rather than one calm month."""
    c = math.cos(2 * math.pi * (int(month[5:7]) - peak) / 12)
    return math.tanh(flatness * c) / math.tanh(flatness) if flatness > 1e-6 else c


def run(scenario: Scenario, seed: int = 0, backend: str = "numpy", overrides=()) -> dict[str, np.ndarray]:
    """Simulate the scenario once; returns per-month, per-route series ([T, R] arrays, persons)."""
    be = make_backend(backend, seed)
    xp = be.xp
    p = scenario.parameters
    mech = scenario.mechanisms
    routes = scenario.routes
    ppa = p["persons_per_agent"]
    corridor_of_route = np.array([scenario.corridors.index(c) for c in routes["corridor"]], dtype=np.int32)
    armed = routes["armed_groups"].astype(float)
    levers = lever_arrays(scenario.lever_rows, scenario.months, routes, scenario.corridors, overrides)
    n_routes, n_corr, n_months = len(routes["route"]), len(scenario.corridors), len(scenario.months)
    inflow = np.array([p[f"inflow.{c}"] for c in scenario.corridors])
    trend = np.array([p.get(f"inflow_trend.{c}", 0.0) for c in scenario.corridors])

    state = _new_state(be, p["pool_agents"])
    markup = np.ones(n_routes)
    interdicting = np.zeros(n_routes)
    perceived_risk = None
    revenue = np.zeros(n_routes)
    expected_revenue = None
    congestion = np.ones(n_routes)  # last month's rescue congestion, what migrants hear about
    out = {name: np.zeros((n_months, n_routes)) for name in ROUTE_SERIES}
    out["agents"] = np.zeros(n_months)
    out["legal_departures"] = np.zeros((n_months, n_corr))
    out["waiting"] = np.zeros((n_months, n_corr))

    spinup = p["spinup_months"]
    first = int(scenario.months[0][:4]) * 12 + int(scenario.months[0][5:7]) - 1
    calendar = [f"{(first - k) // 12:04d}-{(first - k) % 12 + 1:02d}" for k in range(spinup, 0, -1)] + scenario.months
    levers = {name: np.concatenate([np.repeat(v[:1], spinup, axis=0), v]) for name, v in levers.items()}
    out = {name: np.zeros((spinup + n_months,) + v.shape[1:]) for name, v in out.items()}

    for t, month in enumerate(calendar):
        enforcement = levers["enforcement"][t]
        season = season_index(month, p["season_peak_month"], p["season_flatness"])
        ngo = sea.ngo_presence(levers["ngo_sar"][t], levers["criminalisation"][t], p, mech)
        sar = sea.sar_presence(levers["state_sar"][t], ngo, mech)
        interdicting = armed_groups.update_interdicting_share(interdicting, levers["externalisation"][t],
                                                              revenue if expected_revenue is None else expected_revenue, p, mech)

        p_intercept = sea.interception_probability(routes["interception"], enforcement, interdicting, armed, p, mech)
        p_distress = sea.distress_probability(routes["distress"], enforcement, sar, season, p, mech)
        p_rescue = sea.rescue_probability(levers["state_sar"][t] * (mech["sar"] != "off"), ngo, p, mech)
        # What migrants weigh: in the no-effect SAR module they do not count on rescue beyond the
        # baseline, which is how that module keeps departures independent of SAR.
        seen_rescue = sea.rescue_probability(0 * ngo, 0 * ngo, p, mech, congestion) if mech["sar"] == "no_effect" else \
            sea.rescue_probability(levers["state_sar"][t] * (mech["sar"] != "off"), ngo, p, mech, congestion)
        death_risk = (1 - p_intercept) * p_distress * (1 - seen_rescue) * p["lethality"]
        perceived_risk = death_risk if perceived_risk is None else (1 - p["risk_memory"]) * perceived_risk + p["risk_memory"] * death_risk
        price = smugglers.cost(routes["base_price_eur"], enforcement, sar, p, mech) * markup
        capacity = smugglers.capacity(routes["capacity_persons"], markup, enforcement, interdicting, armed, p, mech)

        demand.settle(state, be, p)
        years_in = max(t - spinup, 0) / 12.0
        # transit enforcement upstream thins the hubs' newcomers ``transit_lag_months`` later
        upstream = levers["transit_enforcement"][max(t - p["transit_lag_months"], 0)]
        arriving = demand.newcomers(inflow * np.exp(trend * years_in), upstream, p, mech)
        demand.spawn(state, be, arriving, p)
        out["agents"][t] = state.active.shape[0]
        if mech["legal_pathways"] == "on":
            leaving = demand.legal_departures(state, be, levers["legal_places"][t], n_corr, p)
            out["legal_departures"][t] = be.to_numpy(be.bincount(state.corridor, weights=leaving.astype(xp.float32), minlength=n_corr)) * ppa
            state.active = state.active & ~leaving

        damping = p["downgrade_season_damping"] * np.minimum(sar, 1.0) if mech["sar"] == "vessel_downgrading" else 0.0
        season_utility = p["season_amplitude"] * season * (1.0 - damping) * np.ones(n_routes)
        route_view = {"price": price, "perceived_risk": perceived_risk, "corridor": corridor_of_route}
        chosen = choice.choose(state, be, route_view, season_utility, p)
        # weather window: rough days on which no boat leaves; under vessel downgrading SAR
        # presence lets smugglers launch in bad weather too (Deiana et al. 2020)
        rough = p["weather_window"] * (1.0 - season) / 2.0 * (1.0 - damping)
        if np.any(rough > 0):
            launch = xp.asarray(np.broadcast_to(1.0 - rough, (n_routes,)).astype(np.float32))
            chosen = xp.where((chosen >= 0) & (be.uniform(chosen.shape) < xp.take(launch, xp.clip(chosen, 0, None))), chosen, -1)
        choosing = chosen >= 0
        route_idx = xp.clip(chosen, 0, None)
        wanted = be.to_numpy(be.bincount(route_idx, weights=choosing.astype(xp.float32), minlength=n_routes)) * ppa
        accept = np.minimum(1.0, capacity / np.maximum(wanted, 1.0)).astype(np.float32)
        departs = choosing & (be.uniform(chosen.shape) < xp.take(xp.asarray(accept), route_idx))
        dep_weight = departs.astype(xp.float32)

        fee = xp.take(xp.asarray(price.astype(np.float32)), route_idx)
        shortfall = xp.where(departs, xp.maximum(fee - state.budget, 0.0), 0.0)
        state.debt = state.debt + shortfall
        state.budget = xp.where(departs, xp.maximum(state.budget - fee, 0.0), state.budget + p["savings_eur_month"])
        departures = be.to_numpy(be.bincount(route_idx, weights=dep_weight, minlength=n_routes)) * ppa
        revenue = departures * price
        expected_revenue = armed_groups.expected_revenue(expected_revenue, revenue, p)

        # Boats: departing agents are spread at random over each route's boats; interception,
        # distress and rescue happen per boat, so shipwrecks kill many at once.
        boats = np.ceil(departures / routes["boat_persons"]).astype(np.int64)
        first_boat = np.concatenate([[0], np.cumsum(boats)[:-1]])
        boat_route = np.repeat(np.arange(n_routes), boats)
        n_boats = int(boats.sum())
        intercepted_b = be.uniform((n_boats,)) < xp.asarray(p_intercept[boat_route].astype(np.float32))
        distress_b = ~intercepted_b & (be.uniform((n_boats,)) < xp.asarray(p_distress[boat_route].astype(np.float32)))
        # rescue capacity: the more boats in distress at once, the smaller each one's chance
        distress_boats = np.bincount(boat_route, weights=be.to_numpy(distress_b).astype(float), minlength=n_routes)
        congestion = sea.rescue_congestion(distress_boats, sar, p)
        p_rescue_now = sea.rescue_probability(levers["state_sar"][t] * (mech["sar"] != "off"), ngo, p, mech, congestion)
        rescued_b = distress_b & (be.uniform((n_boats,)) < xp.asarray(p_rescue_now[boat_route].astype(np.float32)))
        lost_b = distress_b & ~rescued_b
        # share dying on each lost boat (mass-casualty clusters), mean ``lethality``
        fatal_b = be.uniform((n_boats,)) ** sea.fatality_exponent(p["lethality"])
        slot = xp.take(xp.asarray(first_boat), route_idx) + (be.uniform(chosen.shape) * xp.take(xp.asarray(np.maximum(boats, 1)), route_idx)).astype(xp.int64)
        slot = xp.clip(slot, 0, max(n_boats - 1, 0))
        if n_boats:
            intercepted = departs & xp.take(intercepted_b, slot)
            dies = departs & xp.take(lost_b, slot) & (be.uniform(chosen.shape) < xp.take(fatal_b, slot))
        else:
            intercepted = dies = xp.zeros_like(departs)
        arrived = departs & ~intercepted & ~dies

        exploited = exploitation.exploited_arrivals(arrived, state.debt, be, p, mech)
        abuse_rate = exploitation.detention_abuse_by_route(interdicting, armed, p)
        abused = exploitation.abused_in_detention(intercepted, abuse_rate, route_idx, be, mech)

        def per_route(mask):
            return be.to_numpy(be.bincount(route_idx, weights=mask.astype(xp.float32), minlength=n_routes)) * ppa

        out["departures"][t] = departures
        out["arrivals"][t] = per_route(arrived)
        out["interceptions"][t] = per_route(intercepted)
        out["dead_missing"][t] = per_route(dies)
        out["price_eur"][t] = price
        out["revenue_eur"][t] = revenue
        out["debt_financed"][t] = per_route(departs & (shortfall > 0))
        out["exploitation"][t] = per_route(exploited | abused)
        boat_counts = lambda mask: np.bincount(boat_route, weights=be.to_numpy(mask).astype(float), minlength=n_routes)
        out["boats"][t] = boats
        ngo_share = np.divide(p["rescue_ngo"] * ngo, -np.log(np.maximum(1 - p_rescue, 1e-12)), out=np.zeros(n_routes), where=p_rescue > 0)
        out["boats_rescued_ngo"][t] = boat_counts(rescued_b) * ngo_share * (mech["sar"] != "off")
        out["boats_migrant_driven"][t] = boats * p["migrant_driver_share"]
        out["family_arranged"][t] = departures * p["family_share"]

        # intercepted people are back in the hub of the route they tried; the rest leave the pool
        state.corridor = xp.where(intercepted, xp.take(xp.asarray(corridor_of_route), route_idx), state.corridor)
        state.active = state.active & ~(arrived | dies)
        out["waiting"][t] = be.to_numpy(be.bincount(state.corridor, weights=state.active.astype(xp.float32), minlength=n_corr)) * ppa
        markup = smugglers.update_markup(markup, wanted, capacity, p, mech)
    result = {name: series[spinup:] for name, series in out.items()}
    result["agent_steps"] = np.array(out["agents"].sum())  # spin-up months included: all the work done
    return result
