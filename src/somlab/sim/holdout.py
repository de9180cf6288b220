"""Out-of-sample validation (``somlab validate``): calibrate on a training window only, forecast
the rest once under the real policy timeline, score it beside a statistical baseline fitted on
the same training data.

1. The effect sizes of policies that act after the training window are fixed beforehand in the
   scenario's ``priors.yaml`` (each with its value, range and sources, or marked hand-set).
2. ``calibration.search`` calibrates the scenario's other free parameters on the observations up
   to ``train_until`` (later months and period totals are hidden from it).
3. The forecast is one ensemble over the whole period: run i takes the i-th of the retained
   training points (the best tenth of the design on the training objective, cycled) and draws
   every prior effect size uniformly from its range, so the bands carry both the calibration's
   spread and the uncertainty of the effect sizes, not Monte-Carlo noise alone.
4. The baseline: ordinary least squares on the training months of log(1 + monthly arrivals) with
   an intercept, a linear trend, eleven month-of-year dummies and the state and NGO search-and-
   rescue lever series (the only policy series that vary in the training window); its 90% band
   draws each month's log from the prediction's normal distribution (residual variance plus the
   coefficients' variance), yearly totals summed draw by draw.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from somlab.sim import calibration, service, validation
from somlab.sim.levers import lever_arrays
from somlab.sim.model import Member
from somlab.sim.parameters import PARAMETERS
from somlab.sim.scenario import Scenario, ScenarioError, parse_month
from somlab.yamlio import read_yaml_with_lines

PRIOR_KEYS = {"value", "low", "high", "basis", "derivation", "sources"}
BASELINE_DRAWS = 2000


@dataclass(frozen=True)
class Prior:
    name: str
    value: float
    low: float
    high: float
    basis: str
    derivation: str
    sources: tuple[str, ...]


def load_priors(scenario: Scenario) -> list[Prior]:
    path = scenario.folder / "priors.yaml"
    if not path.is_file():
        raise ScenarioError(path, None, None, "file missing: validate needs the effect sizes fixed beforehand")
    doc, lines = read_yaml_with_lines(path)
    entries = (doc or {}).get("priors")
    if not isinstance(entries, dict) or not entries:
        raise ScenarioError(path, None, "priors", "expected a mapping of parameter names to priors")
    out = []
    for name, entry in entries.items():
        line = lines.get(f"priors.{name}")
        where = f"priors.{name}"
        if name not in scenario.parameters:
            raise ScenarioError(path, line, where, "not a parameter of the scenario")
        if not isinstance(entry, dict) or set(entry) - PRIOR_KEYS or not {"value", "low", "high", "basis", "derivation"} <= set(entry):
            raise ScenarioError(path, line, where, f"expected keys {', '.join(sorted(PRIOR_KEYS))} (sources optional)")
        if entry["basis"] not in ("sourced", "hand-set"):
            raise ScenarioError(path, line, f"{where}.basis", "expected sourced or hand-set")
        if entry["basis"] == "sourced" and not entry.get("sources"):
            raise ScenarioError(path, line, f"{where}.sources", "a sourced prior names its sources")
        try:
            value, low, high = float(entry["value"]), float(entry["low"]), float(entry["high"])
        except (TypeError, ValueError):
            raise ScenarioError(path, line, where, "value, low and high must be numbers") from None
        spec = PARAMETERS.get(name)
        if not low <= value <= high or (spec and not spec.low <= low <= high <= spec.high):
            raise ScenarioError(path, line, where, f"expected low <= value <= high inside the parameter's bounds")
        out.append(Prior(name, value, low, high, entry["basis"], str(entry["derivation"]), tuple(entry.get("sources") or ())))
    return out


def training_view(scenario: Scenario, last: int) -> Scenario:
    """The scenario with every observation after month index ``last`` hidden."""
    observed = scenario.observed.copy()
    later = np.arange(len(scenario.months)) > last
    for column in observed.columns.drop("month"):
        observed[column] = pd.to_numeric(observed[column], errors="coerce").mask(later)
    return dataclasses.replace(scenario, observed=observed,
                               observed_totals=[t for t in scenario.observed_totals if t.last <= last])


def baseline(scenario: Scenario, last: int, seed: int) -> np.ndarray:
    """[draws, T] monthly arrivals from the log-linear baseline fitted on months 0..last."""
    observed = pd.to_numeric(scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce").to_numpy(float)
    levers = lever_arrays(scenario.lever_rows, scenario.months, scenario.routes, scenario.corridors)
    route = scenario.route_names.index(scenario.validation["arrivals"]["routes"][0])
    months = np.array([int(m[5:7]) for m in scenario.months])
    t = np.arange(len(months)) / 12.0
    x = np.column_stack([np.ones_like(t), t] + [(months == k).astype(float) for k in range(2, 13)]
                        + [levers["state_sar"][:, route], levers["ngo_sar"][:, route]])
    train = (np.arange(len(t)) <= last) & np.isfinite(observed)
    y = np.log1p(observed[train])
    coef, *_ = np.linalg.lstsq(x[train], y, rcond=None)
    residual = y - x[train] @ coef
    dof = max(int(train.sum()) - x.shape[1], 1)
    sigma2 = float(residual @ residual) / dof
    # only the columns that vary in training can be estimated; pinv gives the minimum-norm solution
    cov = sigma2 * np.linalg.pinv(x[train].T @ x[train])
    mean = x @ coef
    sd = np.sqrt(sigma2 + np.einsum("ij,jk,ik->i", x, cov, x))
    draws = np.random.default_rng(seed).standard_normal((BASELINE_DRAWS, len(t)))
    return np.expm1(mean + sd * draws).clip(min=0)


def _window_scores(sims: np.ndarray, observed: np.ndarray, window: np.ndarray) -> dict:
    obs = np.where(window, observed, np.nan)
    median = np.median(sims, axis=0)
    return {"ard": validation.ard(median, obs), "mean_abs_log_ratio": validation.mean_abs_log_ratio(median, obs),
            "wape": validation.wape(median, obs), "band_90_coverage": validation.band_coverage(sims, obs)}


def _band(values: np.ndarray) -> dict:
    return {"median": float(np.median(values)), "p05": float(np.percentile(values, 5)), "p95": float(np.percentile(values, 95))}


def _yearly(sims: np.ndarray, observed: np.ndarray, months: list[str], years: list[str]) -> list[dict]:
    rows = []
    year_of = np.array([m[:4] for m in months])
    for year in years:
        inside = year_of == year
        sums = sims[:, inside].sum(axis=1)
        obs = float(np.nansum(observed[inside]))
        band = _band(sums)
        rows.append({"year": year, "observed": obs, **band, "ratio": band["median"] / obs if obs else None})
    return rows


def validate(scenario_name: str, train_until: str, design: int, runs: int, refine: int, check_runs: int,
             forecast_runs: int, seed: int, scheduler: str | None, parameters_file=None, quiet: bool = False) -> dict:
    scenario = service.prepare(scenario_name, [], parameters_file)[0]
    cut = "{:04d}-{:02d}".format(*parse_month(train_until, "--train-until", None, "train_until"))
    if cut not in scenario.months or cut == scenario.months[-1]:
        raise ScenarioError("--train-until", None, "train_until", f"{cut} must be a month of the period before its last, "
                            f"{scenario.months[0]} - {scenario.months[-1]}")
    last = scenario.months.index(cut)
    priors = load_priors(scenario)
    fixed = calibration.with_parameters(scenario, [p.name for p in priors], [p.value for p in priors])
    free = {n: r for n, r in calibration._free(scenario).items() if n not in {p.name for p in priors}}
    found = calibration.search(training_view(fixed, last), design, runs, seed, check_runs, scheduler, quiet, refine, free)

    # the retained training points: the best tenth of the design (at least 5) on the training objective
    points = np.array(found["design"]["points"])
    objective = np.array(found["design"]["objective"], dtype=float)
    order = np.argsort(np.where(np.isfinite(objective), objective, np.inf))
    retained = points[order[: max(5, len(points) // 10)]]
    retained[0] = [found["free_parameters"][n]["calibrated"] for n in free]  # the calibrated point leads
    rng = np.random.default_rng(seed + 7)
    names = list(free) + [p.name for p in priors]
    members = []
    for i in range(forecast_runs):
        draws = [rng.uniform(p.low, p.high) for p in priors]
        members.append(Member(calibration.with_parameters(fixed, names, list(retained[i % len(retained)]) + draws), (), seed + 1000 + i))
    with service.runner(scheduler) as run:
        runs_out = run(members)
    forecast_scenario = members[0].scenario
    report = score(runs_out, forecast_scenario, last, seed)
    report.update({
        "schema": "somlab.validation/1", "scenario": scenario.name, "train_until": cut,
        "test_window": [scenario.months[last + 1], scenario.months[-1]],
        "training": {k: found[k] for k in ("free_parameters", "design_points", "refine_points", "runs_per_point",
                                           "check_runs", "objective_weights", "objective", "scores", "chosen_from")}
        | {"retained_points": len(retained)},
        "priors": [dataclasses.asdict(p) for p in priors], "forecast_runs": forecast_runs, "seed": seed,
    })
    return report


def score(runs: list[dict], scenario: Scenario, last: int, seed: int) -> dict:
    """Forecast and baseline over the test window (months after ``last``), each with its band."""
    months = scenario.months
    observed = pd.to_numeric(scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce").to_numpy(float)
    sims = validation.simulated_target(runs, scenario, "arrivals")
    base = baseline(scenario, last, seed)
    test = np.arange(len(months)) > last
    years = sorted({m[:4] for m in months[last + 1:]})
    monthly = pd.DataFrame({"month": months, "observed": observed, "forecast": np.median(sims, axis=0),
                            "forecast_p05": np.percentile(sims, 5, axis=0), "forecast_p95": np.percentile(sims, 95, axis=0),
                            "baseline": np.median(base, axis=0), "baseline_p05": np.percentile(base, 5, axis=0),
                            "baseline_p95": np.percentile(base, 95, axis=0)})[test]
    interceptions = validation.simulated_target(runs, scenario, "interceptions_libya") if "interceptions_libya" in scenario.validation else None
    totals = []
    if interceptions is not None:
        for t in (t for t in scenario.observed_totals if t.target == "interceptions_libya" and t.first > last):
            band = _band(interceptions[:, t.first:t.last + 1].sum(axis=1))
            totals.append({"period": f"{months[t.first]}/{months[t.last]}", "observed": t.value, **band,
                           "ratio": band["median"] / t.value, "source": t.source})
    return {
        "arrivals": {
            "model": {"scores": _window_scores(sims, observed, test), "yearly": _yearly(sims, observed, months, years)},
            "baseline": {"scores": _window_scores(base, observed, test), "yearly": _yearly(base, observed, months, years),
                         "description": "OLS on log(1 + monthly arrivals), training months only: intercept, linear trend, "
                                        "11 month-of-year dummies, state and NGO search-and-rescue lever series; "
                                        f"90% band from {BASELINE_DRAWS} draws of the normal prediction error"},
            "monthly": monthly.to_dict("records"),
        },
        "interceptions_libya": totals,
    }


def markdown(report: dict) -> str:
    a = report["arrivals"]
    lines = [f"# Out-of-sample validation: {report['scenario']}", "",
             f"Trained on observations to {report['train_until']}; forecast {report['test_window'][0]} - "
             f"{report['test_window'][1]} once, {report['forecast_runs']} runs (seed {report['seed']}).", "",
             "## Scores on the test window (monthly arrivals)", "",
             "| | ARD | mean abs log ratio | WAPE | 90% band coverage |", "|---|---|---|---|---|"]
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"
    for who in ("model", "baseline"):
        s = a[who]["scores"]
        lines.append(f"| {who} | {fmt(s['ard'])} | {fmt(s['mean_abs_log_ratio'])} | {fmt(s['wape'])} | {fmt(s['band_90_coverage'])} |")
    lines += ["", f"Baseline: {a['baseline']['description']}.", "", "## Yearly arrivals (each run summed, then median and 5-95%)", "",
              "| year | observed | model | model ratio | baseline | baseline ratio |", "|---|---|---|---|---|---|"]
    for m, b in zip(a["model"]["yearly"], a["baseline"]["yearly"]):
        lines.append(f"| {m['year']} | {m['observed']:,.0f} | {m['median']:,.0f} ({m['p05']:,.0f}-{m['p95']:,.0f}) | {fmt(m['ratio'])} | "
                     f"{b['median']:,.0f} ({b['p05']:,.0f}-{b['p95']:,.0f}) | {fmt(b['ratio'])} |")
    if report["interceptions_libya"]:
        lines += ["", "## Libyan coast guard interceptions", "", "| period | observed | model | ratio |", "|---|---|---|---|"]
        for r in report["interceptions_libya"]:
            lines.append(f"| {r['period']} | {r['observed']:,.0f} | {r['median']:,.0f} ({r['p05']:,.0f}-{r['p95']:,.0f}) | {fmt(r['ratio'])} |")
    lines += ["", "## Effect sizes fixed beforehand", "", "| parameter | value | range | basis | sources |", "|---|---|---|---|---|"]
    for p in report["priors"]:
        lines.append(f"| `{p['name']}` | {p['value']:g} | {p['low']:g}-{p['high']:g} | {p['basis']} | {'; '.join(p['sources']) or 'none'} |")
    t = report["training"]
    lines += ["", "## Training calibration", "",
              f"{t['design_points']} + {t['refine_points']} design points x {t['runs_per_point']} runs, objective "
              f"{t['objective']} (weights {t['objective_weights']}), chosen: {t['chosen_from']}; "
              f"{t['retained_points']} retained points carried into the forecast.", "",
              "| parameter | range | calibrated |", "|---|---|---|"]
    for n, e in t["free_parameters"].items():
        lines.append(f"| `{n}` | {e['low']:g}-{e['high']:g} | {e['calibrated']:g} |")
    return "\n".join(lines) + "\n"


def write(report: dict, out: Path) -> tuple[Path, Path]:
    import json

    out.write_text(json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    md = out.with_suffix(".md")
    md.write_text(markdown(report), encoding="utf-8")
    return out, md
