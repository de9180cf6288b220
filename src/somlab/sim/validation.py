"""Validation against observed series, the way Flee does it.

ARD (averaged relative difference): the mean over time steps of |sim - obs| / obs, where obs is
the observed total of that step and sim the ensemble median (Suleimenova et al. 2017; Ghorbani
et al. 2024). Steps without an observation, or with an observed total of zero, are skipped.

``ard_yearly`` is the same on calendar-year totals (each run's sum over the months observed,
then the ensemble median). For deaths it is the one that can be a calibration target: monthly
dead and missing are a few mass-casualty wrecks (5 in one month, 1,480 the next), and the
monthly ARD is minimised by simulating no deaths at all (predicting 0 scores 1.0; the observed
yearly rate applied to observed monthly arrivals scores 5.2; see docs/simulator.md).

``ard_cumulative`` compares running totals, as Flee compares camp populations (stocks); it is
the figure to set beside Flee's published ARDs (below 0.6 for ten conflicts, Ghorbani et al. 2024).
A target with ``totals: true`` (e.g. the Libyan coast guard's yearly interceptions, published
as totals) is scored on its period totals: ``ard`` over the periods, and the periods themselves
with the simulated band.

``reference_ard`` puts the model's ARD next to what simple descriptions of the observed series
itself reach (a 3-month smoother of the data scores about 0.31 on the bundled arrivals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from somlab.bands import band
from somlab.sim.scenario import STOCK_OUTCOMES, VALIDATED_OUTCOMES, Scenario


def ard(simulated: np.ndarray, observed: np.ndarray) -> float | None:
    observed = np.asarray(observed, dtype=float)
    usable = np.isfinite(observed) & (observed > 0)
    if not usable.any():
        return None
    return float(np.mean(np.abs(simulated[usable] - observed[usable]) / observed[usable]))


def mean_abs_log_ratio(simulated: np.ndarray, observed: np.ndarray) -> float | None:
    """Mean over observed steps of |log((sim + 1) / (obs + 1))|: symmetric (twice too many and half
    too many weigh alike, where ARD caps under-prediction at 1); one person added to both sides so
    that an empty month is defined."""
    observed = np.asarray(observed, dtype=float)
    usable = np.isfinite(observed)
    if not usable.any():
        return None
    sim = np.maximum(np.asarray(simulated, dtype=float)[usable], 0.0)
    return float(np.mean(np.abs(np.log((sim + 1.0) / (observed[usable] + 1.0)))))


def wape(simulated: np.ndarray, observed: np.ndarray) -> float | None:
    """Weighted absolute percentage error: sum |sim - obs| / sum obs over observed steps, so that
    each month weighs by its size (a 60-arrival month cannot dominate it as it does the ARD)."""
    observed = np.asarray(observed, dtype=float)
    usable = np.isfinite(observed)
    if not usable.any() or observed[usable].sum() <= 0:
        return None
    return float(
        np.abs(np.asarray(simulated, dtype=float)[usable] - observed[usable]).sum()
        / observed[usable].sum()
    )


def band_coverage(
    sims: np.ndarray, observed: np.ndarray, low: float = 5, high: float = 95
) -> float | None:
    """Share of observed steps inside the simulated [low, high] percentile band (a 90% band by
    default): about 0.9 for bands that carry the model's real uncertainty."""
    observed = np.asarray(observed, dtype=float)
    usable = np.isfinite(observed)
    if not usable.any():
        return None
    lo, hi = np.percentile(sims, low, axis=0)[usable], np.percentile(sims, high, axis=0)[usable]
    return float(np.mean((observed[usable] >= lo) & (observed[usable] <= hi)))


PREDICTIVE_DRAWS = 50  # draws of the residual error per run


def residual_sd(sims: np.ndarray, observed: np.ndarray, window: np.ndarray) -> float | None:
    """The standard deviation, over the observed months of ``window``, of log(1 + observed) minus
    the ensemble's mean log(1 + simulated): the month-to-month error the model does not carry
    (a storm, a week of mass departures), measured where the model was fitted."""
    obs = np.where(window, np.asarray(observed, dtype=float), np.nan)
    residual = np.log1p(obs) - np.log1p(sims).mean(axis=0)
    usable = np.isfinite(residual)
    return float(np.std(residual[usable], ddof=1)) if usable.sum() > 2 else None


def predictive(sims: np.ndarray, sd: float, seed: int) -> np.ndarray:
    """[runs x PREDICTIVE_DRAWS, T] what an observed series could be: each run with a normal
    residual error of ``sd`` on the log(1 + count) scale, independent month by month (as the
    statistical baseline's band carries its residual error)."""
    rng = np.random.default_rng(seed)
    logs = np.repeat(np.log1p(sims), PREDICTIVE_DRAWS, axis=0)
    return np.expm1(logs + rng.normal(0, sd, logs.shape)).clip(0)


def simulated_target(runs: list[dict], scenario: Scenario, target: str) -> np.ndarray:
    """[runs, T] simulated counterpart of a validation target: the sum over its routes, or for a
    stock (people waiting) over the corridors of its routes, divided by ``observed_share``."""
    spec = scenario.validation[target]
    series = VALIDATED_OUTCOMES[spec["outcome"]]  # set on load (default: the target's name)
    if spec["outcome"] in STOCK_OUTCOMES:
        mask = np.isin(
            scenario.corridors,
            [scenario.routes["corridor"][scenario.route_names.index(r)] for r in spec["routes"]],
        )
    else:
        mask = scenario.route_mask(spec["routes"])
    return np.stack([r[series][:, mask].sum(axis=1) for r in runs]) / spec.get(
        "observed_share", 1.0
    )


def period_figure(
    sims: np.ndarray, scenario: Scenario, target: str, first: int, last: int
) -> np.ndarray:
    """Each run's figure for months ``first``..``last``: the sum of a flow, the mean of a stock."""
    window = sims[:, first : last + 1]
    return (
        window.mean(axis=1)
        if scenario.validation[target]["outcome"] in STOCK_OUTCOMES
        else window.sum(axis=1)
    )


TIDY_OUTCOMES = ("departures", "interceptions", "arrivals", "dead_missing")
"""The outcomes the tidy table carries per route, every month."""


def _band(sums: np.ndarray) -> dict[str, float]:
    """Median and 5-95% band over runs of one figure each run computed for itself."""
    return band(sums, "simulated", "simulated_")


def _rows(
    sims: np.ndarray,
    observed: np.ndarray | None,
    scenario: Scenario,
    series: str,
    route: str,
    target: str,
    stock: bool = False,
) -> list[dict]:
    """Monthly rows, then one row per calendar year: each run summed over the year (averaged for
    a stock), then the median and band (never a sum of monthly medians). A year's observed total
    only where every month of it is observed."""
    months = scenario.months
    observed = np.full(len(months), np.nan) if observed is None else observed
    rows = [
        {
            "period": m,
            "resolution": "month",
            "series": series,
            "route": route,
            "target": target,
            "observed": observed[i],
            **_band(sims[:, i]),
        }
        for i, m in enumerate(months)
    ]
    year_of = np.array([m[:4] for m in months])
    for year in sorted(set(year_of)):
        inside = year_of == year
        seen = np.isfinite(observed[inside]).all()
        figure = sims[:, inside].mean(axis=1) if stock else sims[:, inside].sum(axis=1)
        obs = (observed[inside].mean() if stock else observed[inside].sum()) if seen else np.nan
        rows.append(
            {
                "period": year,
                "resolution": "year",
                "series": series,
                "route": route,
                "target": target,
                "observed": obs,
                **_band(figure),
            }
        )
    return rows


def tidy(runs: list[dict], scenario: Scenario) -> pd.DataFrame:
    """Every outcome monthly and yearly, observed beside simulated where observed exists.

    Rows: each validation target (its outcome summed over its routes; ``target`` names it), then
    departures, interceptions, arrivals and dead and missing on each route not already a target's
    single route, the people waiting in each corridor's hubs (``route`` names the corridor), then
    the observed period totals (``resolution`` = ``total``, period
    ``START/END``). Simulated figures are the median and 5-95% band over runs of each run's own
    figure; ``error`` is |median - observed| / observed."""
    rows: list[dict] = []
    covered = set()
    for target, spec in scenario.validation.items():
        sims = simulated_target(runs, scenario, target)
        route = "+".join(spec["routes"])
        outcome = VALIDATED_OUTCOMES[spec["outcome"]]
        if spec.get("totals"):
            for total in (t for t in scenario.observed_totals if t.target == target):
                rows.append(
                    {
                        "period": f"{scenario.months[total.first]}/{scenario.months[total.last]}",
                        "resolution": "total",
                        "series": outcome,
                        "route": route,
                        "target": target,
                        "observed": total.value,
                        **_band(period_figure(sims, scenario, target, total.first, total.last)),
                    }
                )
            continue
        observed = pd.to_numeric(scenario.observed[spec["column"]], errors="coerce").to_numpy(
            dtype=float
        )
        rows += _rows(sims, observed, scenario, outcome, route, target)
        if len(spec["routes"]) == 1:
            covered.add((outcome, spec["routes"][0]))
    for k, route in enumerate(scenario.route_names):
        for outcome in TIDY_OUTCOMES:
            if (outcome, route) not in covered:
                rows += _rows(
                    np.stack([r[outcome][:, k] for r in runs]), None, scenario, outcome, route, ""
                )
    for k, corridor in enumerate(
        scenario.corridors
    ):  # people waiting in each corridor's hubs (the yearly row: the mean)
        rows += _rows(
            np.stack([r["waiting"][:, k] for r in runs]),
            None,
            scenario,
            "waiting",
            corridor,
            "",
            stock=True,
        )
    frame = pd.DataFrame(rows)
    observed = frame["observed"].to_numpy(dtype=float)
    frame["error"] = np.where(
        observed > 0,
        np.abs(frame["simulated"] - observed) / np.where(observed > 0, observed, 1),
        np.nan,
    )
    order = {"month": 0, "year": 1, "total": 2}
    return frame.sort_values(
        by="resolution", key=lambda c: c.map(order), kind="stable"
    ).reset_index(drop=True)


def target_months(frame: pd.DataFrame) -> pd.DataFrame:
    """The monthly rows of the validation targets from ``tidy``, one series per target
    (columns month, series = the target, observed, simulated, band, error): what charts draw."""
    rows = frame[(frame["resolution"] == "month") & (frame["target"] != "")]
    return (
        rows.drop(columns=["series", "route", "resolution"])
        .rename(columns={"period": "month", "target": "series"})[
            ["month", "series", "observed", "simulated", "simulated_p05", "simulated_p95", "error"]
        ]
        .reset_index(drop=True)
    )


def yearly_ard(sims: np.ndarray, observed: np.ndarray, months: list[str]) -> float | None:
    """ARD of calendar-year totals over the observed months: each run summed, then the median."""
    observed = np.asarray(observed, dtype=float)
    seen = np.isfinite(observed)
    years = sorted({m[:4] for m in months})
    year_of = np.array([m[:4] for m in months])
    obs = np.array([observed[(year_of == y) & seen].sum() for y in years])
    sim = np.array([np.median(sims[:, (year_of == y) & seen].sum(axis=1)) for y in years])
    return ard(sim, obs)


def cumulative_ard(sims: np.ndarray, observed: np.ndarray) -> float | None:
    """ARD of the running totals since the period's start (each run's, then the median): the
    counterpart of Flee's figure, which compares stocks (camp populations), not monthly flows."""
    observed = np.asarray(observed, dtype=float)
    seen = np.isfinite(observed)
    return ard(np.median(np.cumsum(sims[:, seen], axis=1), axis=0), np.cumsum(observed[seen]))


def reference_scores(observed: np.ndarray, months: list[str]) -> dict[str, float | None]:
    """ARD that simple descriptions of the observed series itself reach, to read a model's ARD
    against. All of them see the data the model is scored on, so they are references, not rivals:

    * ``smoothed_3_months``: each month replaced by the centred 3-month mean of the observed
      series. A model without month-specific shocks (a storm, a single large departure) can
      hardly do better: this is roughly the noise floor of the series;
    * ``previous_month``: each month predicted by the month before (persistence);
    * ``yearly_totals_x_mean_profile``: each year's observed total spread over its months with
      the period's mean monthly profile (knows every year's total and the average season).
    """
    observed = np.asarray(observed, dtype=float)
    series = pd.Series(observed)
    smoothed = series.rolling(3, center=True, min_periods=1).mean().to_numpy()
    previous = series.shift(1).to_numpy()
    usable = ~np.isnan(previous)
    year_of = np.array([m[:4] for m in months])
    calendar_month = np.array([int(m[5:7]) for m in months])
    totals = {y: np.nansum(observed[year_of == y]) for y in set(year_of)}
    year_total = np.array([totals[y] for y in year_of])
    share = np.divide(
        observed, year_total, out=np.full_like(observed, np.nan), where=year_total > 0
    )
    # a calendar month never observed (a training view hides later months) has no profile
    profile = {
        m: np.nanmean(v) if np.isfinite(v := share[calendar_month == m]).any() else np.nan
        for m in set(calendar_month)
    }
    spread = year_total * np.array([profile[m] for m in calendar_month])
    return {
        "smoothed_3_months": ard(smoothed, observed),
        "previous_month": ard(previous[usable], observed[usable]),
        "yearly_totals_x_mean_profile": ard(spread, observed),
    }


def period_totals(
    sims: np.ndarray, scenario: Scenario, target: str
) -> tuple[float | None, list[dict]]:
    """ARD over the observed period totals of a ``totals: true`` target (each run's sum over the
    period, or mean for a stock, then the median), and one row per period with the band."""
    rows = []
    for total in (t for t in scenario.observed_totals if t.target == target):
        sums = period_figure(sims, scenario, target, total.first, total.last)
        rows.append(
            {
                "start": scenario.months[total.first],
                "end": scenario.months[total.last],
                "observed": total.value,
                **_band(sums),
                "source": total.source,
            }
        )
    if not rows:
        return None, rows
    return ard(
        np.array([r["simulated"] for r in rows]), np.array([r["observed"] for r in rows])
    ), rows


def summary(runs: list[dict], scenario: Scenario) -> dict[str, dict]:
    out = {}
    for target, spec in scenario.validation.items():
        sims = simulated_target(runs, scenario, target)
        if spec.get("totals"):
            score, rows = period_totals(sims, scenario, target)
            sim = np.array([r["simulated"] for r in rows]) if rows else np.array([])
            obs = np.array([r["observed"] for r in rows]) if rows else np.array([])
            out[target] = {
                "ard": score,
                "mean_abs_log_ratio": mean_abs_log_ratio(sim, obs) if rows else None,
                "wape": wape(sim, obs) if rows else None,
                "series": spec.get("series", target),
                "periods": rows,
            }
            continue
        observed = pd.to_numeric(scenario.observed[spec["column"]], errors="coerce").to_numpy(
            dtype=float
        )
        median = np.median(sims, axis=0)
        out[target] = {
            "ard": ard(median, observed),
            "mean_abs_log_ratio": mean_abs_log_ratio(median, observed),
            "wape": wape(median, observed),
            "band_90_coverage": band_coverage(sims, observed),
            "ard_yearly": yearly_ard(sims, observed, scenario.months),
            "ard_cumulative": cumulative_ard(sims, observed),
            "series": spec.get("series", spec["column"]),
            "reference_ard": reference_scores(observed, scenario.months),
        }
    return out
