"""The parameter uncertainty a parameter file carries (its ``ensemble`` block).

A calibration by history matching does not find one parameter vector: it rules out the vectors
whose outputs the data make implausible and leaves a region. ``points`` is a sample of that region
(the parameters named in ``parameters``, one row per vector); ``ranges`` are the effect sizes fixed
beforehand from independent sources, each drawn uniformly over its range. A simulation runs its
first run at the file's own values and draws every later run's vector from here, so its bands carry
what the training data and the sources leave open, not the simulator's noise alone.

Run i's draw depends only on its seed (``seed + i``), so two variants compared run by run draw the
same vectors, and a parameter the user sets (``--set params.NAME=...``) is never drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import model_validator

from somlab.validation import Problems, Text, Schema

_STREAM = 0x9E3  # keeps the parameter draws apart from the simulator's own random stream
KEPT = 100  # vectors drawn from a non-implausible region into a parameter file


class EnsembleSpec(Schema):
    """The ``ensemble`` block of parameters.yaml (names are checked against the file's parameters
    by the file's schema)."""

    source: Text
    parameters: list[Text] = []
    points: list[list[float]] = []
    ranges: dict[str, tuple[float, float]] = {}

    @model_validator(mode="after")
    def _shapes(self) -> EnsembleSpec:
        problems = Problems()
        if self.points and not self.parameters:
            problems.add("points need the names of their parameters", ".parameters")
        for i, point in enumerate(self.points):
            if len(point) != len(self.parameters):
                problems.add(
                    f"expected {len(self.parameters)} values (one per parameter), found {len(point)}",
                    f".points[{i}]",
                )
        for name, (low, high) in self.ranges.items():
            if low > high:
                problems.add(
                    f"the range's low end {low} is above its high end {high}", f".ranges.{name}"
                )
        if set(self.parameters) & set(self.ranges):
            both = sorted(set(self.parameters) & set(self.ranges))[0]
            problems.add(
                "a parameter is either sampled or drawn from a range, not both", f".ranges.{both}"
            )
        problems.raise_any("ensemble")
        return self


@dataclass(frozen=True)
class ParameterEnsemble:
    source: str
    names: tuple[str, ...]
    points: np.ndarray  # (vectors, len(names))
    ranges: dict[str, tuple[float, float]]

    @classmethod
    def of_region(
        cls,
        source: str,
        names,
        region,
        weights,
        ranges: dict[str, tuple[float, float]],
        seed: int,
    ) -> ParameterEnsemble:
        """The ensemble of a history match: ``KEPT`` vectors of the non-implausible region drawn
        with the given weights (an approximate posterior; a vector may come twice), and the ranges
        of the effect sizes fixed beforehand."""
        points = np.asarray(region, dtype=float).reshape(-1, len(names))
        if len(points):
            rng = np.random.default_rng(seed)
            points = points[np.sort(rng.choice(len(points), KEPT, p=np.asarray(weights)))]
        return cls(source, tuple(names), points, ranges)

    @classmethod
    def from_spec(cls, spec: EnsembleSpec) -> ParameterEnsemble:
        points = np.array(spec.points, dtype=float).reshape(len(spec.points), len(spec.parameters))
        return cls(spec.source, tuple(spec.parameters), points, dict(spec.ranges))

    def as_document(self, digits: int = 4) -> dict[str, Any]:
        return {
            "source": self.source,
            "parameters": list(self.names),
            "points": [[round(float(v), digits) for v in row] for row in self.points],
            "ranges": {
                name: [float(low), float(high)] for name, (low, high) in self.ranges.items()
            },
        }

    @property
    def drawn(self) -> tuple[str, ...]:
        return (self.names if len(self.points) else ()) + tuple(self.ranges)

    def draw(self, seed: int, held: frozenset[str] | set[str] = frozenset()) -> dict[str, float]:
        """The parameters of the run with this seed: a vector of the sample and a uniform draw in
        each range, without the parameters in ``held``."""
        rng = np.random.default_rng([seed, _STREAM])
        values: dict[str, float] = {}
        if len(self.points):
            values |= dict(zip(self.names, self.points[rng.integers(len(self.points))]))
        for name, (low, high) in self.ranges.items():
            values[name] = float(rng.uniform(low, high))
        return {name: float(v) for name, v in values.items() if name not in held}


def typed(current: Any, value: float) -> int | float:
    """A drawn value in the type of the parameter it replaces (integers rounded, not truncated)."""
    return int(round(value)) if isinstance(current, int) else round(float(value), 4)
