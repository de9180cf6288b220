"""Calibration by history matching (Craig et al. 1997; Vernon et al. 2010; Andrianakis et al.
2015), with the emulators and sensitivity analysis of Bijak et al. (2021).

The free parameters and their ranges are the scenario's ``calibration.free``. Each design point
is simulated ``runs`` times. Wave by wave (``history_matching``), Gaussian-process emulators of
the observed totals of the weighted targets rule out the implausible part of the space, and the
next wave's points are drawn in what is left; the final non-implausible region is what
``somlab validate`` forecasts from. Inside it, one point is chosen for the parameter file: the
minimum of an emulator of the calibration objective, checked against the two best
non-implausible design points by a fresh ensemble. The objective is a weighted sum of validation
scores, ``calibration.weights`` in the scenario: each validation target's monthly ARD (by its
name: ``arrivals``, ``deaths``, ``arrivals_eastern``) or the ARD of its yearly totals
(``deaths_yearly``), and the ARD of a period-totals target (by its name:
``interceptions_libya``); arrivals alone when absent. Monthly deaths ARD is a poor target
(simulating no deaths minimises it, see validation.py). The weights also name the series that
are history-matched. Sobol indices of the objective and of the arrivals and deaths ARDs are
computed on their emulators.

Calibration can go in stages: ``--parameters`` starts from an earlier calibrated file with new
free ranges and weights, and the written file keeps every earlier stage under
``calibration.earlier_stages``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from somlab.sim import history_matching, service, settings, validation
from somlab.sim.model import Member
from somlab.sim.parameter_ensemble import ParameterEnsemble
from somlab.sim.parameters import PARAMETERS
from somlab.progress import progress_bar
from somlab.sim.scenario import Scenario, ScenarioError, load
from somlab.yamlio import dump, parse, read_text

SOBOL_BASE = 512
FALLBACK = 200  # candidates kept for the forecast when no point is non-implausible


def _parameters_file(scenario: Scenario) -> Path:
    """The file the scenario's parameters were read from (``load`` always sets it)."""
    return scenario.parameters_file or scenario.folder / "parameters.yaml"


def _free(scenario: Scenario) -> dict[str, tuple[float, float]]:
    free = scenario.calibration.get("free") or {}
    if not free:
        raise ScenarioError(
            _parameters_file(scenario), None, "calibration.free", "no free parameters to calibrate"
        )
    for name, bounds in free.items():
        if name not in scenario.parameters or not (
            isinstance(bounds, list) and len(bounds) == 2 and bounds[0] < bounds[1]
        ):
            raise ScenarioError(
                _parameters_file(scenario),
                None,
                f"calibration.free.{name}",
                "expected a known parameter: [low, high]",
            )
        spec = PARAMETERS.get(name)
        if spec and not spec.low <= bounds[0] < bounds[1] <= spec.high:
            raise ScenarioError(
                _parameters_file(scenario),
                None,
                f"calibration.free.{name}",
                f"range {bounds} leaves the parameter's bounds [{spec.low}, {spec.high}]",
            )
    return {k: (float(v[0]), float(v[1])) for k, v in free.items()}


def with_parameters(scenario: Scenario, names, values) -> Scenario:
    # integer parameters are rounded here exactly as in the written file (not truncated)
    assignments = [f"params.{n}={_rounded(scenario, n, v)}" for n, v in zip(names, values)]
    return settings.apply(scenario, assignments)[0]


def _score_keys(scenario: Scenario):
    """(target, key in the validation summary, score name) of every score a weight can name: each
    target's ARD (its name) and, for a monthly target, the ARD of its yearly totals (+ ``_yearly``)."""
    for target, spec in scenario.validation.items():
        yield target, "ard", target
        if not spec.get("totals"):
            yield target, "ard_yearly", f"{target}_yearly"


def score_names(scenario: Scenario) -> list[str]:
    return [name for _, _, name in _score_keys(scenario)]


def _weights(scenario: Scenario) -> np.ndarray:
    names = score_names(scenario)
    weights = scenario.calibration.get("weights") or {"arrivals": 1.0}
    unknown = set(weights) - set(names)
    if (
        unknown
        or not all(isinstance(w, (int, float)) and w >= 0 for w in weights.values())
        or sum(weights.values()) <= 0
    ):
        raise ScenarioError(
            _parameters_file(scenario),
            None,
            "calibration.weights",
            f"expected non-negative weights of {', '.join(names)}",
        )
    return np.array([float(weights.get(k, 0.0)) for k in names])


def _score(scenario: Scenario, runs: list[dict]) -> list[float]:
    summary = validation.summary(runs, scenario)
    return [summary[target][key] for target, key, _ in _score_keys(scenario)]


def _evaluate(
    scenario: Scenario,
    points: np.ndarray,
    names,
    runs: int,
    seed: int,
    run,
    progress,
    hm_targets: list[history_matching.Target],
) -> tuple[np.ndarray, np.ndarray]:
    """Every score (``score_names``) and every history-matching output at each point (``runs``
    replicas each). All points' runs go into one ensemble: each run carries its point's parameter
    vector, so runs of many points share a batch."""
    variants = [with_parameters(scenario, names, point) for point in points]
    members = [Member(variant, (), seed + i) for variant in variants for i in range(runs)]
    results = run(members, lambda done: progress(done / runs))
    series = {t.series for t in hm_targets}
    scores, outputs = [], []
    for k, variant in enumerate(variants):
        batch = results[k * runs : (k + 1) * runs]
        scores.append(_score(variant, batch))
        outputs.append(
            history_matching.outputs(
                {s: validation.simulated_target(batch, variant, s) for s in series}, hm_targets
            )
        )
    return np.array(scores, dtype=float), np.array(outputs, dtype=float).reshape(
        len(variants), len(hm_targets)
    )


def _emulator(x: np.ndarray, y: np.ndarray):
    """An emulator of a score (positive) on the log scale."""
    return history_matching.fit(x, np.log(y))


def _sobol(gp, names, seed) -> dict[str, dict[str, float]]:
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    sample = sobol_sample.sample(problem, SOBOL_BASE, calc_second_order=False, seed=seed)
    indices = sobol.analyze(problem, gp.predict(sample), calc_second_order=False, seed=seed)
    return {
        n: {"S1": round(float(indices["S1"][i]), 3), "ST": round(float(indices["ST"][i]), 3)}
        for i, n in enumerate(names)
    }


def calibrate(
    scenario_name: str,
    design: int,
    runs: int,
    seed: int,
    out: Path | None,
    check_runs: int,
    scheduler: str | None,
    quiet: bool = False,
    assignments=(),
    refine: int = 0,
    parameters_file: Path | str | None = None,
    waves: int | None = None,
) -> dict:
    scenario = settings.apply(load(scenario_name, parameters_file), list(assignments))[0]
    summary = search(
        scenario, design, runs, seed, check_runs, scheduler, quiet, refine, waves=waves
    )
    summary.pop("design")
    summary["parameters_file"] = str(_write(scenario, summary, out))
    summary.pop("non_implausible")
    summary.pop("non_implausible_weights")
    return summary


def _history_targets(scenario: Scenario, weights: np.ndarray) -> list[history_matching.Target]:
    """The history-matching targets of the weighted scores: a target weighted monthly is matched
    on half-year totals, one weighted only as ``<target>_yearly`` on calendar years."""
    keys = [key for key, w in zip(_score_keys(scenario), weights) if w > 0]
    series = list(dict.fromkeys(target for target, _, _ in keys))
    monthly = {
        target
        for target, key, _ in keys
        if key == "ard" and not scenario.validation[target].get("totals")
    }
    return history_matching.targets(scenario, series, set(series) - monthly)


def search(
    scenario: Scenario,
    design: int,
    runs: int,
    seed: int,
    check_runs: int,
    scheduler: str | None,
    quiet: bool = False,
    refine: int = 0,
    free: dict[str, tuple[float, float]] | None = None,
    waves: int | None = None,
) -> dict:
    """The calibration itself on ``scenario``'s validation targets as they are (``somlab validate``
    passes one whose observations end with the training window); ``free`` defaults to
    ``calibration.free``.

    History matching (``history_matching``): a Latin hypercube of ``design`` points, then
    ``waves`` more waves (default 1 when ``refine`` is set) of ``refine`` points each, drawn in
    the region the earlier waves leave non-implausible. The calibrated point minimises the
    emulated objective inside the final non-implausible region (checked against the two best
    non-implausible design points by a fresh ensemble). The summary's ``design`` holds every
    simulated point (parameter values) and its objective, ``non_implausible`` the sample of the
    final region (parameter values; the least implausible candidates when the match failed)."""
    free = free or _free(scenario)
    weights = _weights(scenario)
    names = list(free)
    low, high = np.array([free[n][0] for n in names]), np.array([free[n][1] for n in names])
    waves = (1 if refine else 0) if waves is None else waves
    hm_targets = _history_targets(scenario, weights)
    matcher = history_matching.Matcher(
        len(names),
        np.log1p([t.observed for t in hm_targets]),
        np.array([t.variance for t in hm_targets]),
    )
    collected: list[np.ndarray] = []

    def simulate(unit_points: np.ndarray) -> np.ndarray:
        with (
            progress_bar(len(unit_points), f"wave {len(collected) + 1}", quiet) as advance,
            service.runner(scheduler) as run,
        ):
            scores, outputs = _evaluate(
                scenario,
                low + unit_points * (high - low),
                names,
                runs,
                seed + 10_000 * len(collected),
                run,
                lambda done: advance(completed=done),
                hm_targets,
            )
        collected.append(scores)
        return outputs

    unit, _ = history_matching.run_waves(simulate, len(names), design, refine, waves, matcher, seed)
    scores = np.vstack(collected)
    matched = matcher.region is not None and len(matcher.region) > 0
    region = (
        matcher.region
        if matcher.region is not None and matched
        else matcher.least_implausible(FALLBACK)
    )
    kept = matcher.max_implausibility(unit) <= matcher.cutoff

    used = weights > 0  # unweighted scores may be undefined (None) and must not reach the objective
    column = {name: i for i, name in enumerate(score_names(scenario))}
    finite = np.isfinite(scores[:, used]).all(axis=1)
    objective = scores[:, used] @ weights[used]
    gp_objective = _emulator(unit[finite], objective[finite])
    gp_arrivals = _emulator(unit[finite], scores[finite, column["arrivals"]])
    deaths_score = "deaths_yearly" if weights[column["deaths_yearly"]] > 0 else "deaths"
    gp_deaths = _emulator(unit[finite], scores[finite, column[deaths_score]])
    proposal = region[np.argmin(gp_objective.predict(region))]
    eligible = finite & kept if (finite & kept).any() else finite
    best_design = unit[np.argsort(np.where(eligible, objective, np.inf))[:2]]
    shortlist = np.vstack([proposal, best_design])
    with progress_bar(len(shortlist), "check", quiet) as advance, service.runner(scheduler) as run:
        checks = _evaluate(
            scenario,
            low + shortlist * (high - low),
            names,
            check_runs,
            seed,
            run,
            lambda done: advance(completed=done),
            hm_targets,
        )[0]
    chosen = int(np.argmin(checks[:, used] @ weights[used]))
    values = low + shortlist[chosen] * (high - low)
    box_low, box_high = (low + b * (high - low) for b in matcher.box())
    summary = {
        "scenario": scenario.name,
        "free_parameters": {
            n: {"low": float(lo), "high": float(hi), "calibrated": _rounded(scenario, n, v)}
            for n, lo, hi, v in zip(names, low, high, values)
        },
        "design_points": design,
        "refine_points": refine,
        # the box of the final non-implausible region's sample (the key's name is kept from the
        # box refinement it replaces)
        "refine_box": {
            n: [round(float(box_low[i]), 4), round(float(box_high[i]), 4)]
            for i, n in enumerate(names)
        },
        "runs_per_point": runs,
        "check_runs": check_runs,
        "seed": seed,
        "objective_weights": {k: float(w) for k, w in zip(column, weights) if w > 0},
        "objective": round(float(checks[chosen, used] @ weights[used]), 4),
        "ard_arrivals": round(float(checks[chosen, column["arrivals"]]), 4),
        "ard_deaths": round(float(checks[chosen, column["deaths"]]), 4),
        "ard_deaths_yearly": round(float(checks[chosen, column["deaths_yearly"]]), 4),
        "scores": {
            name: None if not np.isfinite(checks[chosen, i]) else round(float(checks[chosen, i]), 4)
            for name, i in column.items()
        },
        "best_design_ard_arrivals": round(float(np.nanmin(scores[:, column["arrivals"]])), 4),
        "best_design_objective": round(float(np.nanmin(objective)), 4),
        "chosen_from": [
            "emulator minimum in the non-implausible region",
            "best design point",
            "second design point",
        ][chosen],
        "emulator_kernel": str(gp_arrivals.kernel_),
        "sobol_ard_arrivals": _sobol(gp_arrivals, names, seed),
        "sobol_ard_deaths": _sobol(gp_deaths, names, seed),
        "sobol_objective": _sobol(gp_objective, names, seed),
        "history_matching": {
            "cutoff": matcher.cutoff,
            "statistic": "second-highest implausibility over the targets"
            if len(hm_targets) >= 3
            else "highest implausibility over the targets",
            "matched": bool(matched),
            "targets": [
                {
                    "name": t.name,
                    "observed": t.observed,
                    "observation_error": t.observation_error,
                    "discrepancy": t.discrepancy,
                }
                for t in hm_targets
            ],
            "waves": [
                {
                    "wave": k + 1,
                    "points_run": w.points_run,
                    "non_implausible_fraction": w.non_implausible_fraction,
                    "non_implausible_runs": w.non_implausible_runs,
                }
                for k, w in enumerate(matcher.waves)
            ],
            "non_implausible_sample": int(len(region)) if matched else 0,
        },
    }
    summary["design"] = {
        "points": (low + unit * (high - low)).tolist(),
        "objective": objective.tolist(),
    }
    summary["non_implausible"] = (low + region * (high - low)).tolist()
    summary["non_implausible_weights"] = matcher.likelihood_weights(region).tolist()
    return summary


def _rounded(scenario, name, value):
    kind = type(scenario.parameters[name])
    return kind(round(value)) if kind is int else round(float(value), 4)


def _write(scenario: Scenario, summary: dict, out: Path | None) -> Path:
    doc = parse(read_text(_parameters_file(scenario)), str(_parameters_file(scenario)))[0]
    for name, entry in summary["free_parameters"].items():
        doc["parameters"][name] = entry["calibrated"]
    # a calibration in stages (e.g. arrivals first, then the rescue block on deaths) keeps the
    # record of every earlier stage the source file carried: its ``achieved`` block, which names
    # its own free ranges and weights, so editing ``free`` and ``weights`` for the next stage does
    # not rewrite the history
    source = doc.get("calibration") or {}
    stages = list(source.get("earlier_stages") or [])
    if source.get("achieved"):
        stages.append(source["achieved"])
    doc["calibration"] = {
        "status": f"calibrated by `somlab calibrate` on {dt.date.today().isoformat()}; free parameters below, all others as in the source file",
        "weights": summary["objective_weights"],
        "free": {n: [e["low"], e["high"]] for n, e in summary["free_parameters"].items()},
        "achieved": {"date": dt.date.today().isoformat()}
        | {
            k: summary[k]
            for k in (
                "objective",
                "ard_arrivals",
                "ard_deaths",
                "ard_deaths_yearly",
                "design_points",
                "refine_points",
                "runs_per_point",
                "check_runs",
                "seed",
            )
        }
        | {
            "scores": summary["scores"],
            "weights": summary["objective_weights"],
            "history_matching_waves": summary["history_matching"]["waves"],
            "free": {n: [e["low"], e["high"]] for n, e in summary["free_parameters"].items()},
        },
        "sobol_objective": summary["sobol_objective"],
        "sobol_ard_arrivals": summary["sobol_ard_arrivals"],
        "sobol_ard_deaths": summary["sobol_ard_deaths"],
    }
    if stages:
        doc["calibration"]["earlier_stages"] = stages
    # the source's ensemble describes the source's calibration, not this one
    doc.pop("ensemble", None)
    if summary["history_matching"]["matched"]:
        doc["ensemble"] = ParameterEnsemble.of_region(
            f"somlab calibrate on {dt.date.today().isoformat()}, seed {summary['seed']}: the "
            "sample of the parameter vectors the history match did not rule out",
            list(summary["free_parameters"]),
            summary["non_implausible"],
            summary["non_implausible_weights"],
            {},
            summary["seed"],
        ).as_document()
    if out is None:
        folder = scenario.folder
        writable = folder.is_dir() and not str(folder).startswith(
            str(Path(__file__).resolve().parents[1])
        )
        out = (folder if writable else Path.cwd()) / (
            "parameters.calibrated.yaml" if writable else f"{scenario.name}.calibrated.yaml"
        )
    out.write_text(
        dump(doc),
        encoding="utf-8",
    )
    return out


def print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    hm = summary["history_matching"]
    waves = Table(
        title=f"history matching: cut-off {hm['cutoff']:g} on the {hm['statistic']}"
        + ("" if hm["matched"] else " (no point non-implausible)")
    )
    for column in ("wave", "points run", "non-implausible share of the space", "runs kept"):
        waves.add_column(column)
    for w in hm["waves"]:
        waves.add_row(
            str(w["wave"]),
            str(w["points_run"]),
            f"{w['non_implausible_fraction']:.2%}",
            str(w["non_implausible_runs"]),
        )
    table = Table(
        title=f"calibration of {summary['scenario']}: {summary['design_points']} design points + waves of {summary.get('refine_points', 0)}, x {summary['runs_per_point']} runs"
    )
    for column in ("parameter", "range", "calibrated", "Sobol S1 / ST (objective)"):
        table.add_column(column)
    for name, entry in summary["free_parameters"].items():
        s = summary["sobol_objective"][name]
        table.add_row(
            name,
            f"{entry['low']:g} - {entry['high']:g}",
            f"{entry['calibrated']:g}",
            f"{s['S1']:.2f} / {s['ST']:.2f}",
        )
    console = Console()
    console.print(waves)
    console.print(table)
    console.print(
        f"objective {summary['objective']:.3f} (weights {summary['objective_weights']}); "
        f"ARD arrivals {summary['ard_arrivals']:.3f}, ARD deaths {summary['ard_deaths']:.3f} monthly, "
        f"{summary['ard_deaths_yearly']:.3f} yearly "
        f"({summary['check_runs']} check runs; chosen: {summary['chosen_from']})"
    )
    console.print(f"written: {summary['parameters_file']}")
