"""Behavioural parameters of the market model: name, bounds, meaning and where the value comes from.

A scenario's YAML sets every value; the table (``parameter_specs.yaml`` beside this module, read
into ``PARAMETERS``) is what the loader validates against and what the documentation lists.
``source`` says whether a value is taken from the literature (research/abm.md) or is free, i.e. set
by calibration or, where the scenario says so, by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from somlab.bundled import bundled


@dataclass(frozen=True)
class ParameterSpec:
    kind: type
    low: float
    high: float
    meaning: str
    source: str


_KINDS = {"int": int, "float": float}

PARAMETERS: dict[str, ParameterSpec] = {
    name: ParameterSpec(_KINDS[row["kind"]], row["low"], row["high"], row["meaning"], row["source"])
    for name, row in yaml.safe_load(
        bundled("sim", "parameter_specs.yaml").read_text(encoding="utf-8")
    ).items()
}

STRUCTURAL = ("persons_per_agent", "pool_agents", "spinup_months")
"""Numerical settings that fix array shapes: runs that share a batch must agree on them."""

INFLOW_PREFIX = "inflow."
"""Monthly newcomers per corridor are parameters named ``inflow.<corridor>`` (persons per month)."""

INFLOW_TREND_PREFIX = "inflow_trend."
"""Optional ``inflow_trend.<corridor>``: yearly log change of the newcomers from the period's first
month on (0 when absent; spin-up months use the first month's level). A smooth, calibrated trend,
not an observed series: it stands for what the model leaves out upstream (conditions in origin
countries, transit enforcement in Niger and Sudan)."""
INFLOW_TREND_RANGE = (-2.0, 2.0)

ONWARD_VALUE_PREFIX = "onward_value."
"""Optional ``onward_value.<corridor>``: the value of going on beyond the landing country, which
the corridor's routes lose while the transit corridor there is closed (utility - this x (1 -
``onward_passage``)); 0 when absent. Calibrated where the passage opened and closed inside the
calibration window (the Western Balkans route, open July 2015 - February 2016): the stock of
people in the hub who cross only when they can go on."""
ONWARD_VALUE_RANGE = (0.0, 10.0)

SEASON_PREFIX = "season."
"""Optional ``season.01`` .. ``season.12``: the season index of each calendar month (1 the calmest,
-1 the roughest), estimated from the training data by ``somlab validate``
(``choice.estimate_season``). All twelve or none; without them the index is the cosine of
``season_peak_month`` and ``season_flatness``."""
SEASON_MONTHS = tuple(f"{SEASON_PREFIX}{m:02d}" for m in range(1, 13))
SEASON_RANGE = (-1.0, 1.0)


def season_profile(parameters: dict) -> list[float] | None:
    """The estimated season of a parameter set, or None where it has none."""
    return [parameters[name] for name in SEASON_MONTHS] if SEASON_MONTHS[0] in parameters else None


def parameter_range(name: str) -> tuple[float, float]:
    """The values a parameter may take: its spec's bounds, or those of its family (inflow, trend,
    onward pull, season)."""
    spec = PARAMETERS.get(name)
    if spec:
        return spec.low, spec.high
    if name.startswith(INFLOW_TREND_PREFIX):
        return INFLOW_TREND_RANGE
    if name.startswith(ONWARD_VALUE_PREFIX):
        return ONWARD_VALUE_RANGE
    if name.startswith(SEASON_PREFIX):
        return SEASON_RANGE
    return 0, 1e9
