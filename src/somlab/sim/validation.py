"""Validation against observed series, the way Flee does it.

ARD (averaged relative difference): the mean over time steps of |sim - obs| / obs, where obs is
the observed total of that step and sim the ensemble median (Suleimenova et al. 2017; Ghorbani
et al. 2024). Steps without an observation, or with an observed total of zero, are skipped.

``ard_yearly`` is the same on calendar-year totals (each run's sum over the months observed,
then the ensemble median). For deaths it is the one that can be a calibration target: monthly
dead and missing are a few mass-casualty wrecks (5 in one month, 1,480 the next), and the
monthly ARD is minimised by simulating no deaths at all (predicting 0 scores 1.0; the observed
yearly rate applied to observed monthly arrivals scores 5.2; see docs/simulator.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from somlab.sim.scenario import Scenario

TARGET_SERIES = {"arrivals": "arrivals", "deaths": "dead_missing"}


def ard(simulated: np.ndarray, observed: np.ndarray) -> float | None:
    observed = np.asarray(observed, dtype=float)
    usable = np.isfinite(observed) & (observed > 0)
    if not usable.any():
        return None
    return float(np.mean(np.abs(simulated[usable] - observed[usable]) / observed[usable]))


def simulated_target(runs: list[dict], scenario: Scenario, target: str) -> np.ndarray:
    """[runs, T] simulated counterpart of a validation target (sum over its routes)."""
    mask = scenario.route_mask(scenario.validation[target]["routes"])
    return np.stack([r[TARGET_SERIES[target]][:, mask].sum(axis=1) for r in runs])


def tidy(runs: list[dict], scenario: Scenario) -> pd.DataFrame:
    """One row per month and target: observed, simulated median and 5-95% band, error."""
    frames = []
    for target, spec in scenario.validation.items():
        sims = simulated_target(runs, scenario, target)
        observed = pd.to_numeric(scenario.observed[spec["column"]], errors="coerce").to_numpy(dtype=float)
        median = np.median(sims, axis=0)
        frames.append(pd.DataFrame({
            "month": scenario.months,
            "series": target,
            "observed": observed,
            "simulated": median,
            "simulated_p05": np.percentile(sims, 5, axis=0),
            "simulated_p95": np.percentile(sims, 95, axis=0),
            "error": np.where(observed > 0, np.abs(median - observed) / np.where(observed > 0, observed, 1), np.nan),
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def yearly_ard(sims: np.ndarray, observed: np.ndarray, months: list[str]) -> float | None:
    """ARD of calendar-year totals over the observed months: each run summed, then the median."""
    observed = np.asarray(observed, dtype=float)
    seen = np.isfinite(observed)
    years = sorted({m[:4] for m in months})
    year_of = np.array([m[:4] for m in months])
    obs = np.array([observed[(year_of == y) & seen].sum() for y in years])
    sim = np.array([np.median(sims[:, (year_of == y) & seen].sum(axis=1)) for y in years])
    return ard(sim, obs)


def summary(runs: list[dict], scenario: Scenario) -> dict[str, dict]:
    out = {}
    for target, spec in scenario.validation.items():
        sims = simulated_target(runs, scenario, target)
        observed = pd.to_numeric(scenario.observed[spec["column"]], errors="coerce").to_numpy(dtype=float)
        out[target] = {"ard": ard(np.median(sims, axis=0), observed),
                       "ard_yearly": yearly_ard(sims, observed, scenario.months),
                       "series": spec.get("series", spec["column"])}
    return out
