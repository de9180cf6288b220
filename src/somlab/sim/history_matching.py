"""History matching (Craig et al. 1997; Vernon et al. 2010; Andrianakis et al. 2015): rule out
the parts of parameter space where the model cannot reproduce the observations, wave by wave.

Each history-matching target is one observed total z (a half-year or year of a monthly series,
or a period of a totals target) compared on the log scale, log(1 + count). A Gaussian-process
emulator per target gives the expected simulator output E[f(x)] and its variance Var_em (the
emulator's own uncertainty plus the nugget that learns the run-to-run noise of the stochastic
simulator). The implausibility of a parameter vector x for that target is

    I(x) = |z - E[f(x)]| / sqrt(Var_em(x) + Var_obs + Var_md)

with Var_obs the observation error and Var_md the model discrepancy, both stated per series in
the scenario's ``history_matching.yaml`` as relative standard deviations s, i.e. a log-scale
variance of log(1 + s^2). A point is ruled out when the second-highest implausibility over the
targets exceeds the cut-off (3, by Pukelsheim's three-sigma rule; Vernon et al. 2010 use the
second-highest so that one poorly emulated target cannot rule out a point alone), or the highest
where there are fewer than three targets. Each wave's emulators are trained on the runs not ruled
out by the earlier waves, and a point stays non-implausible only if every wave keeps it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import Field

from somlab.sim.scenario import Scenario, ScenarioError
from somlab.validation import Schema, Text, validate
from somlab.yamlio import read_yaml_with_lines

CONFIG_FILE = "history_matching.yaml"
CUTOFF = 3.0
CANDIDATES = 20_000
MARGIN = 0.05


@dataclass(frozen=True)
class Target:
    """One observed total: ``series`` (a validation target) summed over months first..last."""

    name: str
    series: str
    first: int
    last: int
    observed: float
    observation_error: float  # relative standard deviation
    discrepancy: float  # relative standard deviation

    @property
    def variance(self) -> float:
        """Var_obs + Var_md on the log(1 + count) scale."""
        return float(np.log1p(self.observation_error**2) + np.log1p(self.discrepancy**2))


RelativeSd = Annotated[float, Field(ge=0, lt=5)]  # a relative standard deviation


class SeriesErrors(Schema):
    """A calibration target's observation error and model discrepancy, with their reasoning."""

    observation_error: RelativeSd
    discrepancy: RelativeSd
    basis: Text


class HistoryMatchingFile(Schema):
    series: dict[str, SeriesErrors] = {}


def _config(scenario: Scenario) -> tuple[HistoryMatchingFile, Path, dict[str, int]]:
    path = scenario.folder / CONFIG_FILE
    if not path.is_file():
        raise ScenarioError(
            path,
            None,
            None,
            "file missing: history matching needs each target's observation error and model discrepancy",
        )
    doc, lines = read_yaml_with_lines(path)
    return validate(HistoryMatchingFile, doc or {}, str(path), lines, what=CONFIG_FILE), path, lines


def targets(scenario: Scenario, series: list[str], yearly: set[str]) -> list[Target]:
    """The history-matching targets of the validation targets ``series`` on the observations the
    scenario carries (a training view hides the later ones): every fully observed half-year of a
    monthly target (calendar years for those in ``yearly``), every period of a totals target."""
    config, path, lines = _config(scenario)
    out = []
    for name in series:
        entry = config.series.get(name)
        if entry is None:
            raise ScenarioError(
                path,
                lines.get(f"series.{name}"),
                f"series.{name}",
                "expected observation_error, discrepancy and basis for this calibration target",
            )
        obs_error, discrepancy = entry.observation_error, entry.discrepancy
        spec = scenario.validation[name]
        if spec.get("totals"):
            for t in (t for t in scenario.observed_totals if t.target == name):
                label = f"{name} {scenario.months[t.first]}/{scenario.months[t.last]}"
                out.append(
                    Target(label, name, t.first, t.last, float(t.value), obs_error, discrepancy)
                )
            continue
        observed = pd.to_numeric(scenario.observed[spec["column"]], errors="coerce").to_numpy(float)
        step = 12 if name in yearly else 6
        for first in range(0, len(scenario.months) - step + 1, step):
            window = observed[first : first + step]
            if np.isfinite(window).all() and scenario.months[first][5:7] in ("01", "07"):
                label = f"{name} {scenario.months[first]}/{scenario.months[first + step - 1]}"
                out.append(
                    Target(
                        label,
                        name,
                        first,
                        first + step - 1,
                        float(window.sum()),
                        obs_error,
                        discrepancy,
                    )
                )
    if not out:
        raise ScenarioError(
            path, None, "series", "no observed total to history-match in the calibration window"
        )
    return out


def outputs(sims: dict[str, np.ndarray], hm_targets: list[Target]) -> np.ndarray:
    """[targets] mean over runs of log(1 + simulated total); ``sims[series]`` is [runs, T]."""
    return np.array(
        [np.log1p(sims[t.series][:, t.first : t.last + 1].sum(axis=1)).mean() for t in hm_targets]
    )


def fit(x: np.ndarray, y: np.ndarray):
    """A Gaussian-process emulator of one output over the unit cube."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = ConstantKernel(1.0) * Matern(
        length_scale=np.full(x.shape[1], 0.3), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-2, noise_level_bounds=(1e-6, 1e1))
    with warnings.catch_warnings():
        # a length scale at its upper bound means the output does not depend on that input, which
        # is an answer, not a failure
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianProcessRegressor(
            kernel=kernel, normalize_y=True, n_restarts_optimizer=2, random_state=0
        ).fit(x, y)


def implausibility(
    observed: np.ndarray, mean: np.ndarray, var_em: np.ndarray, var_other: np.ndarray
) -> np.ndarray:
    """[points, targets] |z - E[f(x)]| / sqrt(Var_em + Var_obs + Var_md)."""
    return np.abs(observed[None, :] - mean) / np.sqrt(var_em + var_other[None, :])


def summary_statistic(impl: np.ndarray) -> np.ndarray:
    """The implausibility a point is judged by: the second-highest over targets (the highest
    where there are fewer than three)."""
    if impl.shape[1] < 3:
        return impl.max(axis=1)
    return np.sort(impl, axis=1)[:, -2]


@dataclass
class Wave:
    emulators: list
    points_run: int
    non_implausible_fraction: float
    non_implausible_runs: int


class Matcher:
    """The waves of one history match over the unit cube [0, 1]^d."""

    def __init__(self, d: int, observed: np.ndarray, var_other: np.ndarray, cutoff: float = CUTOFF):
        self.d, self.observed, self.var_other, self.cutoff = d, observed, var_other, cutoff
        self.waves: list[Wave] = []
        self.region: np.ndarray | None = None  # the sample of the non-implausible region
        self.candidates = np.zeros((0, d))  # the last wave's candidates, kept or not

    def max_implausibility(self, unit: np.ndarray) -> np.ndarray:
        """[points] the largest summary implausibility over the waves' emulators."""
        worst = np.zeros(len(unit))
        for wave in self.waves:
            pred = [gp.predict(unit, return_std=True) for gp in wave.emulators]
            mean = np.column_stack([m for m, _ in pred])
            var = np.column_stack([s**2 for _, s in pred])
            worst = np.maximum(
                worst, summary_statistic(implausibility(self.observed, mean, var, self.var_other))
            )
        return worst

    def add_wave(self, unit: np.ndarray, y: np.ndarray, points_run: int, seed: int) -> np.ndarray:
        """Fit this wave's emulators on the runs (``unit`` [n, d], outputs ``y`` [n, targets]) that
        the earlier waves keep, then return a sample of the non-implausible region (every wave
        applied): CANDIDATES points drawn in the box of the earlier region's sample, filtered."""
        from scipy.stats import qmc

        keep = self.max_implausibility(unit) <= self.cutoff
        if keep.sum() < unit.shape[1] + 2:  # too few runs inside to emulate: use all of them
            keep = np.ones(len(unit), bool)
        emulators = [fit(unit[keep], y[keep, k]) for k in range(y.shape[1])]
        low, high = self.box()
        candidates = low + qmc.LatinHypercube(d=unit.shape[1], seed=seed).random(CANDIDATES) * (
            high - low
        )
        wave = Wave(emulators, points_run, 0.0, 0)
        self.waves.append(wave)
        inside = self.max_implausibility(candidates) <= self.cutoff
        wave.non_implausible_fraction = float(inside.mean() * np.prod(high - low))
        wave.non_implausible_runs = int((self.max_implausibility(unit) <= self.cutoff).sum())
        self.region, self.candidates = candidates[inside], candidates
        return self.region

    def likelihood_weights(self, unit: np.ndarray) -> np.ndarray:
        """[points] weights summing to 1, proportional to the Gaussian likelihood of the observed
        targets under the last wave's emulators, with the same variances as the implausibility
        (emulator, observation error, model discrepancy). Inside the non-implausible region they
        turn the uniform sample into an approximate posterior sample: the history match rules
        points out, the weights say how well the remaining ones fit."""
        if not self.waves or not len(unit):
            return np.full(len(unit), 1 / max(len(unit), 1))
        pred = [gp.predict(unit, return_std=True) for gp in self.waves[-1].emulators]
        mean = np.column_stack([m for m, _ in pred])
        var = np.column_stack([s**2 for _, s in pred]) + self.var_other[None, :]
        loglik = -0.5 * (((self.observed[None, :] - mean) ** 2 / var) + np.log(var)).sum(axis=1)
        weights = np.exp(loglik - loglik.max())
        return weights / weights.sum()

    def box(self) -> tuple[np.ndarray, np.ndarray]:
        """The unit-cube box of the current non-implausible sample, with a margin (the whole cube
        before the first wave)."""
        if self.region is None or not len(self.region):
            return np.zeros(self.d), np.ones(self.d)
        return np.clip(self.region.min(axis=0) - MARGIN, 0, 1), np.clip(
            self.region.max(axis=0) + MARGIN, 0, 1
        )

    def least_implausible(self, n: int) -> np.ndarray:
        """The n candidates of the last wave with the lowest implausibility (used when nothing is
        non-implausible: the match has failed, and the report says so)."""
        return self.candidates[np.argsort(self.max_implausibility(self.candidates))[:n]]


def run_waves(
    simulate: Callable[[np.ndarray], np.ndarray],
    d: int,
    design: int,
    wave_points: int,
    waves: int,
    matcher: Matcher,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The wave loop: a Latin hypercube of ``design`` points over the unit cube, then ``waves``
    more waves of ``wave_points`` points drawn from the current non-implausible sample.
    ``simulate`` maps [n, d] unit points to [n, targets] outputs. Returns every point run and its
    outputs; ``matcher`` holds the waves and the final region."""
    from scipy.stats import qmc

    rng = np.random.default_rng(seed)
    unit = qmc.LatinHypercube(d=d, seed=seed).random(design)
    y = simulate(unit)
    region = matcher.add_wave(unit, y, design, seed + 1)
    for k in range(waves if wave_points else 0):
        if not len(region):
            break
        new = region[rng.choice(len(region), size=min(wave_points, len(region)), replace=False)]
        unit, y = np.vstack([unit, new]), np.vstack([y, simulate(new)])
        region = matcher.add_wave(unit, y, len(new), seed + 2 + k)
    return unit, y
