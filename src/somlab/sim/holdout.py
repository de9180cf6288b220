"""Out-of-sample validation (``somlab validate``): calibrate on a training window only, forecast
the rest once under the real policy timeline, score it beside a statistical baseline fitted on
the same training data.

1. The effect sizes of policies that act after the training window are fixed beforehand in the
   scenario's ``priors.yaml`` (each with its value, range and sources, or marked hand-set).
2. The season's shape is estimated from the arrivals observed up to ``train_until``
   (``choice.estimate_season``) and held fixed; ``calibration.search`` calibrates the scenario's
   other free parameters on the observations up to ``train_until`` (later months and period
   totals are hidden from it).
   The calibration is a history match (``history_matching``): waves of emulators rule out the
   parameter vectors whose training totals are implausible given the emulator variance, the
   observation error and the model discrepancy.
3. The forecast is one ensemble over the whole period: the first run takes the calibrated point,
   every other run a parameter vector drawn from the final non-implausible region of the
   training history match, and each run draws every prior effect size uniformly from its range,
   so the bands carry both the parameter uncertainty left by the training data and the
   uncertainty of the effect sizes, not Monte-Carlo noise alone.
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

from somlab import bands
from somlab.sim import calibration, service, validation
from somlab.sim.levers import lever_arrays
from somlab.sim.mechanisms.choice import estimate_season
from somlab.sim.parameter_ensemble import ParameterEnsemble
from somlab.sim.parameters import PARAMETERS, SEASON_MONTHS
from somlab.sim.scenario import Scenario, ScenarioError, parse_month
from somlab.yamlio import dump, read_yaml_with_lines

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


def load_priors(scenario: Scenario) -> tuple[list[Prior], dict[str, tuple[float, float]]]:
    """The priors and the extra free ranges of the training calibration (``training_free``)."""
    path = scenario.folder / "priors.yaml"
    if not path.is_file():
        raise ScenarioError(
            path, None, None, "file missing: validate needs the effect sizes fixed beforehand"
        )
    doc, lines = read_yaml_with_lines(path)
    extra = {}
    for name, bounds in ((doc or {}).get("training_free") or {}).items():
        spec = PARAMETERS.get(name)
        if (
            name not in scenario.parameters
            or not (isinstance(bounds, list) and len(bounds) == 2 and bounds[0] < bounds[1])
            or (spec and not spec.low <= bounds[0] < bounds[1] <= spec.high)
        ):
            raise ScenarioError(
                path,
                lines.get(f"training_free.{name}"),
                f"training_free.{name}",
                "expected a known parameter: [low, high] inside its bounds",
            )
        extra[name] = (float(bounds[0]), float(bounds[1]))
    entries = (doc or {}).get("priors")
    if not isinstance(entries, dict) or not entries:
        raise ScenarioError(path, None, "priors", "expected a mapping of parameter names to priors")
    out = []
    for name, entry in entries.items():
        line = lines.get(f"priors.{name}")
        where = f"priors.{name}"
        if name not in scenario.parameters:
            raise ScenarioError(path, line, where, "not a parameter of the scenario")
        if (
            not isinstance(entry, dict)
            or set(entry) - PRIOR_KEYS
            or not {"value", "low", "high", "basis", "derivation"} <= set(entry)
        ):
            raise ScenarioError(
                path,
                line,
                where,
                f"expected keys {', '.join(sorted(PRIOR_KEYS))} (sources optional)",
            )
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
            raise ScenarioError(
                path, line, where, "expected low <= value <= high inside the parameter's bounds"
            )
        out.append(
            Prior(
                name,
                value,
                low,
                high,
                entry["basis"],
                str(entry["derivation"]),
                tuple(entry.get("sources") or ()),
            )
        )
    clash = set(extra) & {p.name for p in out}
    if clash:
        raise ScenarioError(
            path, None, f"training_free.{sorted(clash)[0]}", "a prior cannot also be free"
        )
    return out, extra


def training_view(scenario: Scenario, last: int) -> Scenario:
    """The scenario with every observation after month index ``last`` hidden."""
    observed = scenario.observed.copy()
    later = np.arange(len(scenario.months)) > last
    for column in observed.columns.drop("month"):
        observed[column] = pd.to_numeric(observed[column], errors="coerce").mask(later)
    return dataclasses.replace(
        scenario,
        observed=observed,
        observed_totals=[t for t in scenario.observed_totals if t.last <= last],
    )


COSINE_SEASON = ("season_peak_month", "season_flatness")
"""The parameters of the cosine season, which an estimated season replaces."""


def training_season(scenario: Scenario, last: int) -> list[float] | None:
    """The season estimated from the focus arrivals observed in months 0..``last``."""
    observed = pd.to_numeric(
        scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce"
    ).to_numpy(float)
    return estimate_season(observed[: last + 1], scenario.months[: last + 1])


def with_season(scenario: Scenario, profile: list[float] | None) -> Scenario:
    if profile is None:
        return scenario
    return dataclasses.replace(
        scenario, parameters=dict(scenario.parameters) | dict(zip(SEASON_MONTHS, profile))
    )


def baseline(scenario: Scenario, last: int, seed: int) -> np.ndarray:
    """[draws, T] monthly arrivals from the log-linear baseline fitted on months 0..last."""
    observed = pd.to_numeric(
        scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce"
    ).to_numpy(float)
    levers = lever_arrays(scenario.lever_rows, scenario.months, scenario.routes, scenario.corridors)
    route = scenario.route_names.index(scenario.validation["arrivals"]["routes"][0])
    months = np.array([int(m[5:7]) for m in scenario.months])
    t = np.arange(len(months)) / 12.0
    x = np.column_stack(
        [np.ones_like(t), t]
        + [(months == k).astype(float) for k in range(2, 13)]
        + [levers["state_sar"][:, route], levers["ngo_sar"][:, route]]
    )
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


def seasonal_naive(observed: np.ndarray, last: int) -> np.ndarray:
    """[1, T]: each month after ``last`` predicted by the same calendar month of the last
    training year (persistence of the last season)."""
    out = observed.astype(float).copy()
    for i in range(last + 1, len(out)):
        out[i] = out[last - 11 + (i - last - 1) % 12]
    return out[None, :]


def _window_scores(
    sims: np.ndarray, observed: np.ndarray, window: np.ndarray, predicted: np.ndarray | None = None
) -> dict:
    """Scores of the ensemble median over ``window``; ``predicted``: the ensemble with the
    training residual error (``validation.predictive``), for the coverage of its band."""
    obs = np.where(window, observed, np.nan)
    median = np.median(sims, axis=0)
    scores = {
        "ard": validation.ard(median, obs),
        "mean_abs_log_ratio": validation.mean_abs_log_ratio(median, obs),
        "wape": validation.wape(median, obs),
        "band_90_coverage": validation.band_coverage(sims, obs),
    }
    if predicted is not None:
        scores["predictive_band_90_coverage"] = validation.band_coverage(predicted, obs)
    return scores


def training_window(scenario: Scenario) -> np.ndarray:
    """[T] the months a parameter file was fitted on: to its ``calibration.validated.train_until``,
    else the whole period."""
    cut = (scenario.calibration.get("validated") or {}).get("train_until") or scenario.months[-1]
    return np.array([m <= str(cut) for m in scenario.months])


def _yearly(
    sims: np.ndarray, observed: np.ndarray, months: list[str], years: list[str]
) -> list[dict]:
    rows = []
    year_of = np.array([m[:4] for m in months])
    for year in years:
        inside = year_of == year
        sums = sims[:, inside].sum(axis=1)
        obs = float(np.nansum(observed[inside]))
        band = bands.band(sums)
        rows.append(
            {"year": year, "observed": obs, **band, "ratio": band["median"] / obs if obs else None}
        )
    return rows


def validate(
    scenario_name: str,
    train_until: str,
    design: int,
    runs: int,
    refine: int,
    check_runs: int,
    forecast_runs: int,
    seed: int,
    scheduler: str | None,
    parameters_file=None,
    quiet: bool = False,
    waves: int | None = None,
) -> dict:
    scenario = service.prepare(scenario_name, [], parameters_file)[0]
    cut = "{:04d}-{:02d}".format(*parse_month(train_until, "--train-until", None, "train_until"))
    if cut not in scenario.months or cut == scenario.months[-1]:
        raise ScenarioError(
            "--train-until",
            None,
            "train_until",
            f"{cut} must be a month of the period before its last, "
            f"{scenario.months[0]} - {scenario.months[-1]}",
        )
    last = scenario.months.index(cut)
    priors, extra = load_priors(scenario)
    season = training_season(scenario, last)
    fixed = with_season(
        calibration.with_parameters(scenario, [p.name for p in priors], [p.value for p in priors]),
        season,
    )
    held = {p.name for p in priors} | (set(COSINE_SEASON) if season else set())
    free = {n: r for n, r in calibration._free(scenario).items() if n not in held} | extra
    found = calibration.search(
        training_view(fixed, last),
        design,
        runs,
        seed,
        check_runs,
        scheduler,
        quiet,
        refine,
        free,
        waves,
    )

    # the forecast is a simulation of the validated file: the calibrated point first, then every
    # run draws its trained parameters from the final non-implausible region of the training
    # history match and each prior from its range (``parameter_ensemble``)
    names = list(free)
    ensemble = ParameterEnsemble.of_region(
        f"somlab validate --train-until {cut}, seed {seed}: the sample of the parameter "
        "vectors the training history match did not rule out, and the effect sizes of "
        "priors.yaml over their ranges",
        names,
        found["non_implausible"],
        found["non_implausible_weights"],
        {p.name: (p.low, p.high) for p in priors},
        seed + 7,
    )
    forecast_scenario = dataclasses.replace(
        calibration.with_parameters(
            fixed, names, [found["free_parameters"][n]["calibrated"] for n in names]
        ),
        ensemble=ensemble,
    )
    members = service.members(forecast_scenario, (), forecast_runs, seed + 1000)
    with service.runner(scheduler) as run:
        runs_out = run(members)
    report = score(runs_out, forecast_scenario, last, seed)
    report.update(
        {
            "schema": "somlab.validation/1",
            "scenario": scenario.name,
            "train_until": cut,
            "test_window": [scenario.months[last + 1], scenario.months[-1]],
            "training": {
                k: found[k]
                for k in (
                    "free_parameters",
                    "design_points",
                    "refine_points",
                    "runs_per_point",
                    "check_runs",
                    "objective_weights",
                    "objective",
                    "scores",
                    "chosen_from",
                    "history_matching",
                )
            }
            | {"retained_points": len({tuple(m.scenario.parameters.items()) for m in members})},
            "priors": [dataclasses.asdict(p) for p in priors],
            "forecast_runs": forecast_runs,
            "seed": seed,
            "season": dict(zip(SEASON_MONTHS, season)) if season else None,
            "ensemble": ensemble.as_document(),
        }
    )
    report["acceptance"] = acceptance(runs_out, forecast_scenario, report)
    return report


def score(runs: list[dict], scenario: Scenario, last: int, seed: int) -> dict:
    """Forecast and baseline over the test window (months after ``last``), each with its band."""
    months = scenario.months
    observed = pd.to_numeric(
        scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce"
    ).to_numpy(float)
    sims = validation.simulated_target(runs, scenario, "arrivals")
    base = baseline(scenario, last, seed)
    naive = seasonal_naive(observed, last)
    test = np.arange(len(months)) > last
    sd = validation.residual_sd(sims, observed, ~test)
    predicted = None if sd is None else validation.predictive(sims, sd, seed)
    years = sorted({m[:4] for m in months[last + 1 :]})
    monthly = pd.DataFrame(
        {
            "month": months,
            "observed": observed,
            **bands.band(sims, "forecast", "forecast_", axis=0),
            **bands.band(base, "baseline", "baseline_", axis=0),
        }
    )[test]
    interceptions = (
        validation.simulated_target(runs, scenario, "interceptions_libya")
        if "interceptions_libya" in scenario.validation
        else None
    )
    totals = []
    if interceptions is not None:
        for t in (
            t
            for t in scenario.observed_totals
            if t.target == "interceptions_libya" and t.first > last
        ):
            band = bands.band(interceptions[:, t.first : t.last + 1].sum(axis=1))
            totals.append(
                {
                    "period": f"{months[t.first]}/{months[t.last]}",
                    "observed": t.value,
                    **band,
                    "ratio": band["median"] / t.value,
                    "source": t.source,
                }
            )
    return {
        "arrivals": {
            "model": {
                "scores": _window_scores(sims, observed, test, predicted),
                "yearly": _yearly(sims, observed, months, years),
                "training_scores": _window_scores(sims, observed, ~test, predicted),
                "training_residual_sd": sd,
            },
            "baseline": {
                "scores": _window_scores(base, observed, test),
                "yearly": _yearly(base, observed, months, years),
                "training_scores": _window_scores(base, observed, ~test),
                "description": "OLS on log(1 + monthly arrivals), training months only: intercept, linear trend, "
                "11 month-of-year dummies, state and NGO search-and-rescue lever series; "
                f"90% band from {BASELINE_DRAWS} draws of the normal prediction error",
            },
            "seasonal_naive": {
                "scores": _window_scores(naive, observed, test) | {"band_90_coverage": None},
                "yearly": _yearly(naive, observed, months, years),
                "description": "each test month predicted by the same calendar month of the last training year (no band)",
            },
            "monthly": monthly.to_dict("records"),
        },
        "interceptions_libya": totals,
    }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _score_table(arrivals: dict, key: str, who: tuple[str, ...]) -> list[str]:
    lines = [
        "| | ARD | mean abs log ratio | WAPE | 90% band coverage | with the residual error |",
        "|---|---|---|---|---|---|",
    ]
    for name in who:
        s = arrivals[name][key]
        predictive = s.get("predictive_band_90_coverage")
        if name == "baseline":
            predictive = s["band_90_coverage"]  # the baseline's band carries its residual error
        lines.append(
            f"| {name} | {_fmt(s['ard'])} | {_fmt(s['mean_abs_log_ratio'])} | {_fmt(s['wape'])} "
            f"| {_fmt(s['band_90_coverage']) if name != 'baseline' else 'n/a'} | {_fmt(predictive)} |"
        )
    return lines


def markdown(report: dict) -> str:
    a = report["arrivals"]
    lines = [
        f"# Out-of-sample validation: {report['scenario']}",
        "",
        f"Trained on observations to {report['train_until']}; forecast {report['test_window'][0]} - "
        f"{report['test_window'][1]} once, {report['forecast_runs']} runs (seed {report['seed']}).",
        "",
        "## Scores on the test window (monthly arrivals)",
        "",
        *_score_table(a, "scores", ("model", "baseline", "seasonal_naive")),
        "",
        "In the training window (in sample):",
        "",
        *_score_table(a, "training_scores", ("model", "baseline")),
        "",
        "90% band coverage: the share of observed months inside the 5-95% band of the runs; with "
        "the residual error: the model's band widened by its monthly residual error on the "
        "training months (standard deviation "
        + _fmt(a["model"].get("training_residual_sd"))
        + " on log(1 + count), as the baseline's band carries its own residual error).",
    ]
    lines += [
        "",
        f"Baseline: {a['baseline']['description']}. Seasonal naive: {a['seasonal_naive']['description']}.",
        "",
        "## Yearly arrivals (each run summed, then median and 5-95%)",
        "",
        "| year | observed | model | model ratio | baseline | baseline ratio | seasonal naive ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for m, b, n in zip(
        a["model"]["yearly"], a["baseline"]["yearly"], a["seasonal_naive"]["yearly"]
    ):
        lines.append(
            f"| {m['year']} | {m['observed']:,.0f} | {m['median']:,.0f} ({m['p05']:,.0f}-{m['p95']:,.0f}) | {_fmt(m['ratio'])} | "
            f"{b['median']:,.0f} ({b['p05']:,.0f}-{b['p95']:,.0f}) | {_fmt(b['ratio'])} | {_fmt(n['ratio'])} |"
        )
    if report["interceptions_libya"]:
        lines += [
            "",
            "## Libyan coast guard interceptions",
            "",
            "| period | observed | model | ratio |",
            "|---|---|---|---|",
        ]
        for r in report["interceptions_libya"]:
            lines.append(
                f"| {r['period']} | {r['observed']:,.0f} | {r['median']:,.0f} ({r['p05']:,.0f}-{r['p95']:,.0f}) | {_fmt(r['ratio'])} |"
            )
    lines += [
        "",
        "## Effect sizes fixed beforehand",
        "",
        "| parameter | value | range | basis | sources |",
        "|---|---|---|---|---|",
    ]
    for p in report["priors"]:
        lines.append(
            f"| `{p['name']}` | {p['value']:g} | {p['low']:g}-{p['high']:g} | {p['basis']} | {'; '.join(p['sources']) or 'none'} |"
        )
    lines += [
        "",
        "## Acceptance figures (forecast ensemble; rows 2-10 over the whole period)",
        "",
        acceptance_markdown(report["acceptance"]).rstrip(),
    ]
    t = report["training"]
    hm = t["history_matching"]
    lines += [
        "",
        "## Training calibration (history matching)",
        "",
        f"Implausibility cut-off {hm['cutoff']:g} on the {hm['statistic']}; "
        + (
            ""
            if hm["matched"]
            else "**no point of the space was non-implausible: the forecast draws from the least implausible "
            "candidates, and its bands do not carry a matched parameter set**; "
        )
        + f"{t['runs_per_point']} runs per point.",
        "",
        "| wave | points run | non-implausible share of the space | runs kept by every wave so far |",
        "|---|---|---|---|",
    ]
    for w in hm["waves"]:
        lines.append(
            f"| {w['wave']} | {w['points_run']} | {w['non_implausible_fraction']:.2%} | {w['non_implausible_runs']} |"
        )
    lines += [
        "",
        "| target | observed | observation error | model discrepancy |",
        "|---|---|---|---|",
    ]
    for target in hm["targets"]:
        lines.append(
            f"| {target['name']} | {target['observed']:,.0f} | {target['observation_error']:.0%} | {target['discrepancy']:.0%} |"
        )
    lines += [
        "",
        f"Calibrated point (objective {t['objective']}, weights {t['objective_weights']}; chosen: {t['chosen_from']}); "
        f"{t['retained_points']} distinct parameter vectors carried into the forecast.",
        "",
        "| parameter | range | calibrated |",
        "|---|---|---|",
    ]
    for n, e in t["free_parameters"].items():
        lines.append(f"| `{n}` | {e['low']:g}-{e['high']:g} | {e['calibrated']:g} |")
    return "\n".join(lines) + "\n"


def write_parameters(report: dict, source: Path, out: Path) -> Path:
    """A parameter file from a validate run: the source file with the training calibration's
    values and every prior at its fixed value; its ``calibration.status`` says so."""
    import datetime as dt

    import yaml

    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    for name, entry in report["training"]["free_parameters"].items():
        doc["parameters"][name] = entry["calibrated"]
    doc["parameters"].update(
        {name: round(value, 4) for name, value in (report.get("season") or {}).items()}
    )
    for prior in report["priors"]:
        value = prior["value"]
        doc["parameters"][prior["name"]] = (
            int(value) if isinstance(doc["parameters"].get(prior["name"]), int) else value
        )
    # the source's record of its own calibration (achieved scores, Sobol indices) does not describe this file
    calibration = {
        k: v for k, v in (doc.get("calibration") or {}).items() if k in ("weights", "free")
    }
    calibration["status"] = (
        f"result of `somlab validate --train-until {report['train_until']}` on {dt.date.today().isoformat()}: "
        f"{', '.join(report['training']['free_parameters'])} calibrated on the observations to "
        f"{report['train_until']} only; {', '.join(p['name'] for p in report['priors'])} at their values in "
        "priors.yaml (fixed beforehand); "
        + (
            f"season.01-12 estimated from the arrivals to {report['train_until']}; "
            if report.get("season")
            else ""
        )
        + "all others as in the source file"
    )
    calibration["validated"] = {
        "train_until": report["train_until"],
        "training_objective": report["training"]["objective"],
        "test_scores": report["arrivals"]["model"]["scores"],
        "seed": report["seed"],
        "design_points": report["training"]["design_points"],
        "refine_points": report["training"]["refine_points"],
        "runs_per_point": report["training"]["runs_per_point"],
        "history_matching_waves": report["training"]["history_matching"]["waves"],
        "training_scores": report["arrivals"]["model"]["training_scores"],
    }
    doc["calibration"] = calibration
    doc["ensemble"] = report["ensemble"]
    out.write_text(
        dump(doc),
        encoding="utf-8",
    )
    return out


def write(report: dict, out: Path) -> tuple[Path, Path]:
    import json

    out.write_text(json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    md = out.with_suffix(".md")
    md.write_text(markdown(report), encoding="utf-8")
    return out, md


def _sum(
    runs: list[dict], scenario: Scenario, series: str, first: str, last: str, routes=None
) -> np.ndarray:
    """Each run's total of ``series`` over the months first..last on ``routes`` (the focus routes)."""
    i, j = scenario.months.index(first), scenario.months.index(last)
    mask = scenario.route_mask(routes or scenario.validation["arrivals"]["routes"])
    return np.array([r[series][i : j + 1][:, mask].sum() for r in runs])


def _observed_sum(scenario: Scenario, column: str, first: str, last: str) -> float:
    frame = scenario.observed.set_index("month")
    return float(pd.to_numeric(frame.loc[first:last, column], errors="coerce").sum())


def acceptance(runs: list[dict], scenario: Scenario, report: dict | None = None) -> list[dict]:
    """The acceptance figures of the bundled scenario, measured on an ensemble (each figure computed
    run by run, then the median). ``report``: a validate report, for the out-of-sample rows."""
    med = lambda v: float(np.median(v))
    arrivals = validation.simulated_target(runs, scenario, "arrivals")
    observed = pd.to_numeric(
        scenario.observed[scenario.validation["arrivals"]["column"]], errors="coerce"
    ).to_numpy(float)
    train = np.array([m <= "2016-12" for m in scenario.months])
    rows = []

    def row(number, target, obs, measured, required, met):
        rows.append(
            {
                "row": number,
                "target": target,
                "observed": obs,
                "measured": measured,
                "required": required,
                "met": bool(met),
            }
        )

    if report:
        yearly = report["arrivals"]["model"]["yearly"]
        ratios = [y["ratio"] for y in yearly]
        log_ratio = report["arrivals"]["model"]["scores"]["mean_abs_log_ratio"]
        row(
            1,
            "out-of-sample yearly arrivals "
            + " / ".join(y["year"] for y in yearly)
            + "; monthly mean abs log ratio",
            " / ".join(f"{y['observed']:,.0f}" for y in yearly),
            " / ".join(f"{y['median']:,.0f}" for y in yearly) + f"; {log_ratio:.2f}",
            "each within +-35%; <= 0.75",
            all(abs(r - 1) <= 0.35 for r in ratios) and log_ratio <= 0.75,
        )
    s = _window_scores(arrivals, observed, train)
    row(
        2,
        "monthly arrivals 2014-2016: ARD / mean abs log ratio / WAPE",
        "",
        f"{s['ard']:.2f} / {s['mean_abs_log_ratio']:.2f} / {s['wape']:.2f}",
        "<= 0.45 / 0.55 / 0.30",
        s["ard"] <= 0.45 and s["mean_abs_log_ratio"] <= 0.55 and s["wape"] <= 0.30,
    )
    h1 = med(_sum(runs, scenario, "arrivals", "2017-01", "2017-06"))
    row(
        3,
        "arrivals Jan-Jun 2017",
        f"{_observed_sum(scenario, 'arrivals', '2017-01', '2017-06'):,.0f}",
        f"{h1:,.0f}",
        "63,000-105,000",
        63_000 <= h1 <= 105_000,
    )
    change = lambda a, b, c, d: (
        med(
            _sum(runs, scenario, "arrivals", c, d)
            / np.maximum(_sum(runs, scenario, "arrivals", a, b), 1)
        )
        - 1
    )
    yoy_h1, yoy_h2 = (
        change("2016-01", "2016-06", "2017-01", "2017-06"),
        change("2016-07", "2016-12", "2017-07", "2017-12"),
    )
    median = np.median(arrivals, axis=0)
    first_2017 = scenario.months.index("2017-01")
    halved = [
        m
        for k, m in enumerate(scenario.months[first_2017 : first_2017 + 12], start=first_2017)
        if median[k] < 0.5 * median[k - 12]
    ]
    brk = halved[0] if halved else "none"
    row(
        4,
        "July 2017 break: H1 and H2 year on year; first month below half the year before",
        "+19% / -68%; 2017-07",
        f"{yoy_h1:+.0%} / {yoy_h2:+.0%}; {brk}",
        "H1 >= -10%; H2 -55% to -80%; 2017-06 to 2017-08",
        yoy_h1 >= -0.10 and -0.80 <= yoy_h2 <= -0.55 and brk in ("2017-06", "2017-07", "2017-08"),
    )
    periods = [
        ("2017-01", "2017-12", 15358),
        ("2018-01", "2018-12", 15235),
        ("2019-01", "2019-11", 8848),
    ]
    sims = [
        med(_sum(runs, scenario, "interceptions", a, b, ["libya_italy"])) for a, b, _ in periods
    ]
    row(
        5,
        "Libyan interceptions 2017 / 2018 / Jan-Nov 2019",
        " / ".join(f"{o:,}" for *_, o in periods),
        " / ".join(f"{v:,.0f}" for v in sims),
        "each within +-30%",
        all(abs(v / o - 1) <= 0.30 for v, (*_, o) in zip(sims, periods)),
    )
    rate = lambda a, b: med(
        1000
        * _sum(runs, scenario, "dead_missing", a, b)
        / np.maximum(_sum(runs, scenario, "departures", a, b), 1)
    )
    r1, r2, r3 = rate("2014-01", "2016-12"), rate("2017-07", "2018-05"), rate("2018-06", "2018-12")
    row(
        6,
        "dead and missing per 1,000 departures: 2014-16 / Jul 2017-May 2018 / Jun-Dec 2018",
        "~20 / 21 / 43-68",
        f"{r1:.1f} / {r2:.1f} / {r3:.1f}",
        "15-25 / 12-30 / >= 2x the previous",
        15 <= r1 <= 25 and 12 <= r2 <= 30 and r3 >= 2 * r2,
    )
    dead = med(_sum(runs, scenario, "dead_missing", "2014-01", "2019-12"))
    dead_yearly = validation.summary(runs, scenario)["deaths"]["ard_yearly"]
    row(
        7,
        "dead and missing 2014-2019; yearly ARD",
        f"{_observed_sum(scenario, 'dead_missing', '2014-01', '2019-12'):,.0f}",
        f"{dead:,.0f}; {dead_yearly:.2f}",
        "12,000-20,000; <= 0.35",
        12_000 <= dead <= 20_000 and dead_yearly <= 0.35,
    )
    ratio = med(
        _sum(runs, scenario, "arrivals", "2015-01", "2015-05")
        / np.maximum(_sum(runs, scenario, "arrivals", "2014-01", "2014-05"), 1)
    )
    death_ratio = rate("2015-01", "2015-05") / max(rate("2014-01", "2014-05"), 1e-9)
    row(
        8,
        "Triton, Jan-May 2015 against Jan-May 2014: arrivals ratio; death-rate ratio (per departure)",
        "1.15; 1.66",
        f"{ratio:.2f}; {death_ratio:.2f}",
        "0.9-1.4; 1.2-2.5",
        0.9 <= ratio <= 1.4 and 1.2 <= death_ratio <= 2.5,
    )
    corridor = scenario.corridors.index(
        scenario.routes["corridor"][scenario.route_names.index("libya_italy")]
    )
    i, j = scenario.months.index("2016-12"), scenario.months.index("2018-12")
    pool = (
        med(np.array([r["waiting"][j, corridor] / max(r["waiting"][i, corridor], 1) for r in runs]))
        - 1
    )
    row(
        9,
        "people waiting in the Central corridor's hubs, Dec 2016 -> Dec 2018",
        "stable or rising (IOM DTM Libya)",
        f"{pool:+.0%}",
        "no fall larger than 25%",
        pool >= -0.25,
    )
    coverage = validation.band_coverage(arrivals, observed)
    sd = validation.residual_sd(arrivals, observed, training_window(scenario))
    predicted = (
        None
        if sd is None or coverage is None
        else validation.band_coverage(validation.predictive(arrivals, sd, 10), observed)
    )
    row(
        10,
        "90% band coverage, monthly arrivals 2014-2019: the simulated band; the band with the "
        "monthly residual error of the months fitted",
        "",
        "no observed month"
        if coverage is None or predicted is None
        else f"{coverage:.0%}; {predicted:.0%} (residual sd {sd:.2f} on log(1 + count))",
        ">= 70%",
        predicted is not None and predicted >= 0.70,
    )
    return rows


def acceptance_markdown(rows: list[dict]) -> str:
    lines = ["| # | target | observed | measured | required | met |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {r['row']} | {r['target']} | {r['observed']} | {r['measured']} | {r['required']} | {'yes' if r['met'] else 'no'} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"
