"""The crossing: interception, distress and rescue, per route and month.

Two competing search-and-rescue modules, because the evidence conflicts:
* ``no_effect``: SAR rescues boats in distress and changes nothing else (Cusumano & Villa 2019;
  Rodriguez Sanchez et al. 2023 find no effect of SAR on departures);
* ``vessel_downgrading``: smugglers answer SAR presence with flimsier boats, sent also in bad
  weather, so distress rises with SAR presence (Deiana, Maheshri & Mastrobuoni 2020); the cost
  saving and weather damping live in smugglers.py and choice.py.
Criminalisation of humanitarian actors enters only here, by lowering NGO presence.
"""

from __future__ import annotations

import numpy as np


def ngo_presence(ngo_sar, criminalisation, p, mechanisms):
    if mechanisms["criminalisation"] == "off":
        return ngo_sar
    return ngo_sar * (1.0 - p["criminalisation_deterrence"] * criminalisation)


def sar_presence(state_sar, ngo_effective, mechanisms):
    if mechanisms["sar"] == "off":
        return np.zeros_like(state_sar)
    return state_sar + ngo_effective


def interception_probability(base_hazard, enforcement, armed_interdicting, armed_routes, p, mechanisms):
    hazard = base_hazard.astype(float).copy()
    if mechanisms["enforcement"] == "on":
        hazard += p["enforcement_interception"] * np.maximum(enforcement - 1.0, 0.0)
    if mechanisms["externalisation"] == "on":
        hazard += p["armed_interdiction"] * armed_interdicting * armed_routes
    return 1.0 - np.exp(-hazard)


def distress_probability(base, enforcement, sar, season, p, mechanisms):
    """Probability that a boat gets into distress; ``season`` is 1 in the calmest month, -1 in the roughest."""
    prob = base * (1.0 + p["weather_distress"] * (1.0 - season) / 2.0)
    if mechanisms["enforcement"] == "on":
        prob = prob * np.maximum(enforcement, 1e-3) ** p["enforcement_risk_elasticity"]
    if mechanisms["sar"] == "vessel_downgrading":
        prob = prob * (1.0 + p["downgrade_risk"] * sar)
    return np.clip(prob, 0.0, 1.0)


def rescue_probability(state_sar, ngo_effective, p, mechanisms, congestion=1.0):
    """Probability that a boat in distress is reached in time. ``congestion`` (0-1, see
    ``rescue_congestion``) scales the hazard down when more boats are in distress than the assets
    present can reach."""
    hazard = np.full_like(state_sar, p["rescue_baseline"], dtype=float)
    if mechanisms["sar"] != "off":
        hazard = hazard + p["rescue_state"] * state_sar + p["rescue_ngo"] * ngo_effective
    return 1.0 - np.exp(-hazard * congestion)


def rescue_congestion(distress_boats, sar, p):
    """Share of the rescue hazard left when ``distress_boats`` boats are in distress on a route in
    a month: the assets present (merchant ships and coastguards, plus one unit per unit of SAR
    presence) reach about ``rescue_capacity_boats`` boats each in time; beyond that, boats wait
    and sink (mass departures on calm days overwhelm the assets: IOM GMDAC 2016/2017 on
    April-May 2016 and 2017). 0 = unlimited capacity."""
    capacity = p["rescue_capacity_boats"] * (1.0 + np.maximum(sar, 0.0))
    if p["rescue_capacity_boats"] <= 0:
        return np.ones_like(np.asarray(distress_boats, dtype=float))
    return capacity / (capacity + np.asarray(distress_boats, dtype=float))


def fatality_exponent(lethality):
    """Share dying on a boat lost at sea = u ** this (u uniform): a Beta(L/(1-L), 1) draw with mean
    L = ``lethality``. Most wrecks kill part of those aboard and a few kill nearly all, so deaths
    come in mass-casualty clusters (IOM Missing Migrants Project: a handful of wrecks make most of a
    year's dead)."""
    lethality = min(max(lethality, 1e-6), 1.0)
    return (1.0 - lethality) / lethality
