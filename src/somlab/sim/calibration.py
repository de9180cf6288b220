"""Calibration as Bijak et al. (2021) do it: space-filling design -> Gaussian-process emulator ->
variance-based (Sobol) sensitivity -> calibrated parameters, checked by simulation.

The free parameters and their ranges are the scenario's ``calibration.free``. Each design point
is simulated ``runs`` times; the emulators learn the calibration objective, and the ARD of
arrivals and of deaths, from the parameters; the calibrated point minimises the emulated objective.
The objective is a weighted sum of validation scores, ``calibration.weights`` in the scenario:
each validation target's monthly ARD (by its name: ``arrivals``, ``deaths``, ``arrivals_eastern``)
or the ARD of its yearly totals (``deaths_yearly``), and the ARD of a period-totals target (by
its name: ``interceptions_libya``); arrivals alone when absent. Monthly deaths ARD is a poor
target (simulating no deaths minimises it, see validation.py). The best of the emulator's proposal and the best simulated design points is kept
after a check ensemble.

``refine`` adds a second wave, as in history matching (Bijak et al. 2021): a new Latin hypercube
of that many points inside the box spanned by the best tenth of the first design (plus a margin
of a tenth of each range), simulated and added to the emulators' training set.

Calibration can go in stages: ``--parameters`` starts from an earlier calibrated file with new
free ranges and weights, and the written file keeps every earlier stage under
``calibration.earlier_stages``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import yaml

from somlab.sim import service, settings, validation
from somlab.sim.model import Member
from somlab.sim.parameters import PARAMETERS
from somlab.progress import progress_bar
from somlab.sim.scenario import Scenario, ScenarioError, load
from somlab.yamlio import parse, read_text

CANDIDATES = 20_000
SOBOL_BASE = 512


def _free(scenario: Scenario) -> dict[str, tuple[float, float]]:
    free = scenario.calibration.get("free") or {}
    if not free:
        raise ScenarioError(scenario.parameters_file, None, "calibration.free", "no free parameters to calibrate")
    for name, bounds in free.items():
        if name not in scenario.parameters or not (isinstance(bounds, list) and len(bounds) == 2 and bounds[0] < bounds[1]):
            raise ScenarioError(scenario.parameters_file, None, f"calibration.free.{name}", "expected a known parameter: [low, high]")
        spec = PARAMETERS.get(name)
        if spec and not spec.low <= bounds[0] < bounds[1] <= spec.high:
            raise ScenarioError(scenario.parameters_file, None, f"calibration.free.{name}",
                                f"range {bounds} leaves the parameter's bounds [{spec.low}, {spec.high}]")
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
    if unknown or not all(isinstance(w, (int, float)) and w >= 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ScenarioError(scenario.parameters_file, None, "calibration.weights",
                            f"expected non-negative weights of {', '.join(names)}")
    return np.array([float(weights.get(k, 0.0)) for k in names])


def _score(scenario: Scenario, runs: list[dict]) -> list[float]:
    summary = validation.summary(runs, scenario)
    return [summary[target][key] for target, key, _ in _score_keys(scenario)]


def _evaluate(scenario: Scenario, points: np.ndarray, names, runs: int, seed: int, run, progress) -> np.ndarray:
    """Every score (``score_names``) at each point (``runs`` replicas each). All points' runs go
    into one ensemble: each run carries its point's parameter vector, so runs of many points
    share a batch."""
    variants = [with_parameters(scenario, names, point) for point in points]
    members = [Member(variant, (), seed + i) for variant in variants for i in range(runs)]
    results = run(members, lambda done: progress(done / runs))
    return np.array([_score(v, results[k * runs:(k + 1) * runs]) for k, v in enumerate(variants)], dtype=float)


def _emulator(x: np.ndarray, y: np.ndarray):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = ConstantKernel(1.0) * Matern(length_scale=np.full(x.shape[1], 0.3), length_scale_bounds=(1e-2, 1e2), nu=2.5) + WhiteKernel(1e-2)
    return GaussianProcessRegressor(kernel=kernel, normalize_y=True, n_restarts_optimizer=2, random_state=0).fit(x, np.log(y))


def _sobol(gp, names, seed) -> dict[str, dict[str, float]]:
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    sample = sobol_sample.sample(problem, SOBOL_BASE, calc_second_order=False, seed=seed)
    indices = sobol.analyze(problem, gp.predict(sample), calc_second_order=False, seed=seed)
    return {n: {"S1": round(float(indices["S1"][i]), 3), "ST": round(float(indices["ST"][i]), 3)} for i, n in enumerate(names)}


def refine_box(unit: np.ndarray, arrivals_ard: np.ndarray, margin: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Unit-cube box around the best tenth (at least 5) of the design points."""
    order = np.argsort(np.where(np.isfinite(arrivals_ard), arrivals_ard, np.inf))
    best = unit[order[: max(5, len(unit) // 10)]]
    return np.clip(best.min(axis=0) - margin, 0, 1), np.clip(best.max(axis=0) + margin, 0, 1)


def calibrate(scenario_name: str, design: int, runs: int, seed: int, out: Path | None, check_runs: int,
              scheduler: str | None, quiet: bool = False, assignments=(), refine: int = 0,
              parameters_file: Path | str | None = None) -> dict:
    scenario = settings.apply(load(scenario_name, parameters_file), list(assignments))[0]
    summary = search(scenario, design, runs, seed, check_runs, scheduler, quiet, refine)
    summary.pop("design")
    summary["parameters_file"] = str(_write(scenario, summary, out))
    return summary


def search(scenario: Scenario, design: int, runs: int, seed: int, check_runs: int, scheduler: str | None,
           quiet: bool = False, refine: int = 0, free: dict[str, tuple[float, float]] | None = None) -> dict:
    """The calibration itself (design, refine, emulators, check) on ``scenario``'s validation
    targets as they are (``somlab validate`` passes one whose observations end with the training
    window); ``free`` defaults to ``calibration.free``. The summary's ``design`` holds every
    simulated point (parameter values) and its objective."""
    from scipy.stats import qmc

    free = free or _free(scenario)
    weights = _weights(scenario)
    names = list(free)
    low, high = np.array([free[n][0] for n in names]), np.array([free[n][1] for n in names])
    unit = qmc.LatinHypercube(d=len(names), seed=seed).random(design)
    points = low + unit * (high - low)

    def run_stage(label, pts, n_runs):
        with progress_bar(len(pts), label, quiet) as advance, service.runner(scheduler) as run:
            return _evaluate(scenario, pts, names, n_runs, seed, run, lambda done: advance(completed=done))

    used = weights > 0  # unweighted scores may be undefined (None) and must not reach the objective
    scores = run_stage("design", points, runs)
    box = None
    if refine:
        box = refine_box(unit, scores[:, used] @ weights[used])
        wave2 = box[0] + qmc.LatinHypercube(d=len(names), seed=seed + 2).random(refine) * (box[1] - box[0])
        scores = np.vstack([scores, run_stage("refine", low + wave2 * (high - low), runs)])
        unit = np.vstack([unit, wave2])
    column = {name: i for i, name in enumerate(score_names(scenario))}
    finite = np.isfinite(scores[:, used]).all(axis=1)
    objective = scores[:, used] @ weights[used]
    gp_objective = _emulator(unit[finite], objective[finite])
    gp_arrivals = _emulator(unit[finite], scores[finite, column["arrivals"]])
    deaths_score = "deaths_yearly" if weights[column["deaths_yearly"]] > 0 else "deaths"
    gp_deaths = _emulator(unit[finite], scores[finite, column[deaths_score]])
    candidates = qmc.LatinHypercube(d=len(names), seed=seed + 1).random(CANDIDATES)
    proposal = candidates[np.argmin(gp_objective.predict(candidates))]
    best_design = unit[np.argsort(np.where(finite, objective, np.inf))[:2]]
    shortlist = np.vstack([proposal, best_design])
    checks = run_stage("check", low + shortlist * (high - low), check_runs)
    chosen = int(np.argmin(checks[:, used] @ weights[used]))
    values = low + shortlist[chosen] * (high - low)
    summary = {
        "scenario": scenario.name,
        "free_parameters": {n: {"low": float(lo), "high": float(hi), "calibrated": _rounded(scenario, n, v)}
                            for n, lo, hi, v in zip(names, low, high, values)},
        "design_points": design,
        "refine_points": refine,
        "refine_box": None if box is None else {n: [round(float(low[i] + box[0][i] * (high[i] - low[i])), 4),
                                                   round(float(low[i] + box[1][i] * (high[i] - low[i])), 4)]
                                                for i, n in enumerate(names)},
        "runs_per_point": runs,
        "check_runs": check_runs,
        "seed": seed,
        "objective_weights": {k: float(w) for k, w in zip(column, weights) if w > 0},
        "objective": round(float(checks[chosen, used] @ weights[used]), 4),
        "ard_arrivals": round(float(checks[chosen, column["arrivals"]]), 4),
        "ard_deaths": round(float(checks[chosen, column["deaths"]]), 4),
        "ard_deaths_yearly": round(float(checks[chosen, column["deaths_yearly"]]), 4),
        "scores": {name: None if not np.isfinite(checks[chosen, i]) else round(float(checks[chosen, i]), 4) for name, i in column.items()},
        "best_design_ard_arrivals": round(float(np.nanmin(scores[:, column["arrivals"]])), 4),
        "best_design_objective": round(float(np.nanmin(objective)), 4),
        "chosen_from": ["emulator minimum", "best design point", "second design point"][chosen],
        "emulator_kernel": str(gp_arrivals.kernel_),
        "sobol_ard_arrivals": _sobol(gp_arrivals, names, seed),
        "sobol_ard_deaths": _sobol(gp_deaths, names, seed),
        "sobol_objective": _sobol(gp_objective, names, seed),
    }
    summary["design"] = {"points": (low + unit * (high - low)).tolist(), "objective": objective.tolist()}
    return summary


def _rounded(scenario, name, value):
    kind = type(scenario.parameters[name])
    return kind(round(value)) if kind is int else round(float(value), 4)


def _write(scenario: Scenario, summary: dict, out: Path | None) -> Path:
    doc = parse(read_text(scenario.parameters_file), str(scenario.parameters_file))[0]
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
        | {k: summary[k] for k in ("objective", "ard_arrivals", "ard_deaths", "ard_deaths_yearly", "design_points",
                                   "refine_points", "runs_per_point", "check_runs", "seed")}
        | {"scores": summary["scores"], "weights": summary["objective_weights"],
           "free": {n: [e["low"], e["high"]] for n, e in summary["free_parameters"].items()}},
        "sobol_objective": summary["sobol_objective"],
        "sobol_ard_arrivals": summary["sobol_ard_arrivals"],
        "sobol_ard_deaths": summary["sobol_ard_deaths"],
    }
    if stages:
        doc["calibration"]["earlier_stages"] = stages
    if out is None:
        folder = scenario.folder
        writable = folder.is_dir() and not str(folder).startswith(str(Path(__file__).resolve().parents[1]))
        out = (folder if writable else Path.cwd()) / ("parameters.calibrated.yaml" if writable else f"{scenario.name}.calibrated.yaml")
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return out


def print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"calibration of {summary['scenario']}: {summary['design_points']} + {summary.get('refine_points', 0)} design points x {summary['runs_per_point']} runs")
    for column in ("parameter", "range", "calibrated", "Sobol S1 / ST (objective)"):
        table.add_column(column)
    for name, entry in summary["free_parameters"].items():
        s = summary["sobol_objective"][name]
        table.add_row(name, f"{entry['low']:g} - {entry['high']:g}", f"{entry['calibrated']:g}", f"{s['S1']:.2f} / {s['ST']:.2f}")
    console = Console()
    console.print(table)
    console.print(f"objective {summary['objective']:.3f} (weights {summary['objective_weights']}); "
                  f"ARD arrivals {summary['ard_arrivals']:.3f}, ARD deaths {summary['ard_deaths']:.3f} monthly, "
                  f"{summary['ard_deaths_yearly']:.3f} yearly "
                  f"({summary['check_runs']} check runs; chosen: {summary['chosen_from']})")
    console.print(f"written: {summary['parameters_file']}")
