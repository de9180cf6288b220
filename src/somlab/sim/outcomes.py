"""Outcomes of an ensemble over the scenario's focus routes, each as median and 5-95% band.

The focus routes are those of the arrivals validation target (the whole scenario when none).
Death rates come on three denominators because published rates differ 2-3x on that choice
alone (IOM GMDAC): per 1,000 departures, per 1,000 arrivals, per 1,000 arrivals + interceptions.
"""

from __future__ import annotations

import numpy as np

from somlab.bands import band
from somlab.sim.model import ROUTE_SERIES
from somlab.sim.scenario import Scenario

SUMMED_SERIES = tuple(name for name in ROUTE_SERIES if name != "price_eur")
"""The route series that add up over months and routes (a price does not)."""


def focus_mask(scenario: Scenario) -> np.ndarray:
    routes = scenario.validation.get("arrivals", {}).get("routes")
    return scenario.route_mask(routes) if routes else np.ones(len(scenario.route_names), dtype=bool)


def per_run(run: dict, mask: np.ndarray) -> dict[str, float]:
    total = {k: float(run[k][:, mask].sum()) for k in SUMMED_SERIES}
    departures = max(total["departures"], 1.0)
    return {
        "departures": total["departures"],
        "arrivals": total["arrivals"],
        "interceptions": total["interceptions"],
        "dead_missing": total["dead_missing"],
        "deaths_per_1000_departures": 1000 * total["dead_missing"] / departures,
        "deaths_per_1000_arrivals": 1000 * total["dead_missing"] / max(total["arrivals"], 1.0),
        "deaths_per_1000_arrivals_and_interceptions": 1000
        * total["dead_missing"]
        / max(total["arrivals"] + total["interceptions"], 1.0),
        "price_eur": total["revenue_eur"] / departures,
        "smuggler_revenue_eur": total["revenue_eur"],
        "debt_incidence": total["debt_financed"] / departures,
        "exploitation_incidence": total["exploitation"] / departures,
        "exploitation_events": total["exploitation"],
        "facilitation_events": total["boats"]
        + total["boats_migrant_driven"]
        + total["boats_rescued_ngo"]
        + total["family_arranged"],
        "legal_departures": float(run["legal_departures"].sum()),
    }


def summarise(runs: list[dict], scenario: Scenario) -> dict[str, dict[str, float]]:
    mask = focus_mask(scenario)
    table = [per_run(r, mask) for r in runs]
    return {name: band([row[name] for row in table]) for name in table[0]}
