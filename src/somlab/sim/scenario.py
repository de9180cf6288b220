"""Scenario folders: routes.csv, levers.csv, parameters.yaml and observed.csv, validated on load.

Every problem is reported as one ScenarioError naming the file, the line and the field, what was
expected and what was found. parameters.yaml is checked against its schema (`ParametersFile`, see
somlab.validation); the CSV files row by row.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.sim.levers import LEVERS
from somlab.sim.mechanisms import SWITCHES
from somlab.sim.parameters import (
    INFLOW_PREFIX,
    INFLOW_TREND_PREFIX,
    INFLOW_TREND_RANGE,
    ONWARD_VALUE_PREFIX,
    ONWARD_VALUE_RANGE,
    PARAMETERS,
    SEASON_MONTHS,
    SEASON_RANGE,
    parameter_range,
)
from somlab.sim.parameter_ensemble import EnsembleSpec, ParameterEnsemble
from somlab.validation import Flag, Problems, Schema, Text, problem, validate
from somlab.yamlio import read_yaml_with_lines
from somlab.bundled import bundled

MECHANISMS: dict[str, tuple[str, ...]] = SWITCHES
ROUTE_COLUMNS = {
    "route": str,
    "corridor": str,
    "departure": str,
    "destination": str,
    "boat_persons": int,
    "distress": float,
    "interception": float,
    "base_price_eur": float,
    "capacity_persons": float,
    "armed_groups": bool,
    "source": str,
}
LEVER_COLUMNS = {
    "lever": str,
    "target": str,
    "start": "month",
    "end": "month",
    "value": float,
    "source": str,
}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ScenarioError(SomlabInputError):
    """A scenario file is malformed; the message names file, line and field."""

    def __init__(self, file: Path | str, line: int | None, field_name: str | None, problem: str):
        super().__init__(problem, file=str(file), line=line or None, field=field_name)


@dataclass(frozen=True)
class LeverRow:
    lever: str
    target: str
    start: int
    end: int
    value: float
    source: str


@dataclass
class ObservedTotal:
    """An observed total over a run of months (``first``..``last``, indices into the period), for a
    validation target that has no monthly series: e.g. the Libyan coast guard's yearly count of
    people intercepted, published as running totals in UNHCR updates."""

    target: str
    first: int
    last: int
    value: float
    source: str


@dataclass
class Scenario:
    name: str
    folder: Path
    title: str
    months: list[str]
    routes: dict[str, np.ndarray]
    corridors: list[str]
    lever_rows: list[LeverRow]
    mechanisms: dict[str, str]
    parameters: dict[str, float]
    validation: dict[str, dict[str, Any]]
    observed: pd.DataFrame
    calibration: dict[str, Any] = field(default_factory=dict)
    parameters_file: Path | None = None
    observed_totals: list[ObservedTotal] = field(default_factory=list)
    ensemble: ParameterEnsemble | None = None  # the parameter uncertainty the file carries

    @property
    def route_names(self) -> list[str]:
        return list(self.routes["route"])

    def route_mask(self, names: list[str]) -> np.ndarray:
        return np.isin(self.routes["route"], names)


def bundled_scenarios() -> list[str]:
    root = bundled("scenarios")
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and (p / "parameters.yaml").is_file()
    )


def resolve(name_or_path: str) -> Path:
    """A bundled scenario's folder by name, or the given folder."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    if name_or_path in bundled_scenarios():
        return bundled("scenarios", name_or_path)
    raise SomlabNotFoundError(
        "scenario folder or bundled scenario", name_or_path, bundled_scenarios(), field="scenario"
    )


def _month(text: Any) -> tuple[int, int] | None:
    match = MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


def parse_month(text: str, file, line, field_name) -> tuple[int, int]:
    month = _month(text)
    if month is None:
        raise ScenarioError(file, line, field_name, f"expected a month as YYYY-MM, found {text!r}")
    return month


def month_range(start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    first, last = start[0] * 12 + start[1] - 1, end[0] * 12 + end[1] - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _convert(value: str, kind, file, line, field_name):
    text = value.strip()
    try:
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
        if kind is bool:
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
    except ValueError:
        raise ScenarioError(
            file, line, field_name, f"expected {kind.__name__}, found {value!r}"
        ) from None
    if not text and field_name != "source":
        raise ScenarioError(file, line, field_name, "empty value")
    return text


def _read_csv(path: Path, columns: dict) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise ScenarioError(path, None, None, "file missing from the scenario folder")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in columns]
        missing = [c for c in columns if c not in header]
        if unknown:
            raise ScenarioError(
                path, 1, unknown[0], f"unknown column; expected columns: {', '.join(columns)}"
            )
        if missing:
            raise ScenarioError(path, 1, missing[0], "required column is missing")
        rows = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise ScenarioError(path, number, None, f"expected {len(header)} fields per row")
            rows.append((number, row))
    if not rows:
        raise ScenarioError(path, None, None, "no rows")
    return rows


def _load_routes(path: Path) -> dict[str, np.ndarray]:
    rows = _read_csv(path, ROUTE_COLUMNS)
    table: dict[str, list] = {c: [] for c in ROUTE_COLUMNS}
    for line, row in rows:
        for col, kind in ROUTE_COLUMNS.items():
            value = _convert(row[col], kind, path, line, col)
            if kind in (int, float) and value < 0:
                raise ScenarioError(path, line, col, f"must be >= 0, found {value}")
            if col in ("distress",) and value > 1:
                raise ScenarioError(path, line, col, f"a probability must be <= 1, found {value}")
            if col == "boat_persons" and value < 1:
                raise ScenarioError(path, line, col, "a boat carries at least one person")
            table[col].append(value)
        if table["route"].count(table["route"][-1]) > 1:
            raise ScenarioError(path, line, "route", f"duplicate route {table['route'][-1]!r}")
    return {c: np.array(v) for c, v in table.items()}


def _load_levers(path: Path, months: list[str], routes, corridors) -> list[LeverRow]:
    out = []
    targets = set(routes["route"]) | set(corridors) | {"all"}
    for line, row in _read_csv(path, LEVER_COLUMNS):
        lever = row["lever"].strip()
        if lever not in LEVERS:
            raise ScenarioError(
                path, line, "lever", f"unknown lever {lever!r}; levers: {', '.join(LEVERS)}"
            )
        target = row["target"].strip()
        spec = LEVERS[lever]
        allowed = targets if spec.scope == "route" else set(corridors) | {"all"}
        if target not in allowed:
            raise ScenarioError(
                path,
                line,
                "target",
                f"{target!r} is not a {'route, corridor' if spec.scope == 'route' else 'corridor'} or 'all' of this scenario",
            )
        start = "{:04d}-{:02d}".format(*parse_month(row["start"], path, line, "start"))
        end = "{:04d}-{:02d}".format(*parse_month(row["end"], path, line, "end"))
        if end < start:
            raise ScenarioError(path, line, "end", f"end {end} is before start {start}")
        value = _convert(row["value"], float, path, line, "value")
        if not spec.low <= value <= spec.high:
            raise ScenarioError(
                path,
                line,
                "value",
                f"{lever} must lie in [{spec.low}, {spec.high}] ({spec.unit}), found {value}",
            )
        if end < months[0] or start > months[-1]:
            continue
        first = months.index(max(start, months[0]))
        last = months.index(min(end, months[-1]))
        out.append(LeverRow(lever, target, first, last, value, row["source"].strip()))
    return out


VALIDATED_OUTCOMES = {
    "arrivals": "arrivals",
    "deaths": "dead_missing",
    "interceptions": "interceptions",
    "departures": "departures",
    "waiting": "waiting",
}
"""What a validation target can check (``outcome``, by default the target's name) and the simulated
series it is compared with. ``arrivals`` and ``deaths`` are the focus targets (the outcomes are
reported over the arrivals target's routes); other targets, e.g. ``arrivals_eastern``, check
the alternative routes. A target with ``totals: true`` is checked against period totals in
``observed_totals.csv`` instead of a monthly column. ``waiting`` (people in the hubs of the
corridors of the target's routes) is a stock: its period figure is the mean over the period's
months, not the sum, and ``observed_share`` (the share of the observed population that the
simulated one stands for, e.g. the migrants in Libya who intend to cross) scales it."""

STOCK_OUTCOMES = ("waiting",)

TOTALS_COLUMNS = {"target": str, "start": str, "end": str, "value": float, "source": str}


def _load_totals(path: Path, months: list[str], validation: dict) -> list[ObservedTotal]:
    wanted = {t for t, spec in validation.items() if spec.get("totals")}
    if not path.is_file():
        if wanted:
            raise ScenarioError(
                path, None, None, f"file missing: validation.{sorted(wanted)[0]} has totals: true"
            )
        return []
    out = []
    for line, row in _read_csv(path, TOTALS_COLUMNS):
        target = row["target"].strip()
        if target not in wanted:
            raise ScenarioError(
                path,
                line,
                "target",
                f"{target!r} is not a validation target with totals: true"
                f" ({', '.join(sorted(wanted)) or 'none'})",
            )
        start = "{:04d}-{:02d}".format(*parse_month(row["start"], path, line, "start"))
        end = "{:04d}-{:02d}".format(*parse_month(row["end"], path, line, "end"))
        if end < start:
            raise ScenarioError(path, line, "end", f"end {end} is before start {start}")
        if start < months[0] or end > months[-1]:
            raise ScenarioError(
                path,
                line,
                "start",
                f"{start} - {end} is not inside the period {months[0]} - {months[-1]}",
            )
        value = _convert(row["value"], float, path, line, "value")
        if not value > 0:
            raise ScenarioError(path, line, "value", f"expected a positive total, found {value}")
        if not row["source"].strip():
            raise ScenarioError(path, line, "source", "every observed total needs its source")
        out.append(
            ObservedTotal(
                target, months.index(start), months.index(end), value, row["source"].strip()
            )
        )
    return out


def _load_observed(path: Path, months: list[str], validation: dict) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame({"month": months})
    frame = pd.read_csv(path, dtype={"month": str})
    if "month" not in frame.columns:
        raise ScenarioError(path, 1, "month", "required column is missing")
    for number, text in enumerate(frame["month"], start=2):
        parse_month(text, path, number, "month")
    for target, spec in validation.items():
        if spec.get("totals"):
            continue
        if spec["column"] not in frame.columns:
            raise ScenarioError(
                path, 1, spec["column"], f"column named by validation.{target} is missing"
            )
        bad = (
            pd.to_numeric(frame[spec["column"]], errors="coerce").isna()
            & frame[spec["column"]].notna()
        )
        if bad.any():
            line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise ScenarioError(
                path,
                line,
                spec["column"],
                f"expected a number, found {frame[spec['column']].iloc[line - 2]!r}",
            )
    return pd.DataFrame({"month": months}).merge(frame, on="month", how="left")


# ---------------------------------------------------------------------------------------------
# the schema of parameters.yaml


def _as_month(value: Any) -> tuple[int, int]:
    month = _month(value)
    if month is None:
        raise problem(f"expected a month as YYYY-MM, found {value!r}")
    return month


Month = Annotated[Any, AfterValidator(_as_month)]


class PeriodSpec(Schema):
    start: Month
    end: Month

    @model_validator(mode="after")
    def _ordered(self) -> PeriodSpec:
        if self.end < self.start:
            raise problem("the period ends before it starts", ".end")
        return self


class TargetSpec(Schema):
    """A validation target: a monthly column of observed.csv, or totals in observed_totals.csv."""

    column: Text | None = None
    totals: Flag = False
    routes: list[Text] = []
    series: Text | None = None
    outcome: Text | None = None  # default: the target's name
    observed_share: float = (
        1.0  # the share of the observed population the model's series stands for
    )

    @field_validator("observed_share", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise problem(f"expected a share in (0, 1], found {value!r}")
        return value

    @field_validator("routes")
    @classmethod
    def _known_routes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        problems = Problems()
        known = (info.context or {}).get("routes")  # the routes of routes.csv
        for i, route in enumerate(value):
            if known is not None and route not in known:
                problems.add(f"unknown route {route!r}", f"[{i}]")
        problems.raise_any("routes")
        return value

    @model_validator(mode="after")
    def _column_or_totals(self) -> TargetSpec:
        if (self.column is None) == (not self.totals):
            raise problem(
                "expected {column, routes, series[, outcome]} or {totals: true, routes, "
                "series, outcome}"
            )
        return self


def _switch(value: Any) -> Any:
    return {True: "on", False: "off"}.get(value, value) if isinstance(value, bool) else value


class ParametersFile(Schema):
    """parameters.yaml; its `parameters` are declared by PARAMETERS and the corridors of
    routes.csv (`_schema`)."""

    scenario: Text | None = None  # default: the folder's name
    title: str = ""
    period: PeriodSpec
    mechanisms: BaseModel
    parameters: BaseModel
    validation: dict[str, TargetSpec] = {}
    calibration: dict[str, Any] = {}
    ensemble: EnsembleSpec | None = None

    @field_validator("validation")
    @classmethod
    def _outcomes(cls, value: dict[str, TargetSpec]) -> dict[str, TargetSpec]:
        problems = Problems()
        for target, spec in value.items():
            if (spec.outcome or target) not in VALIDATED_OUTCOMES:
                problems.add(
                    f"expected one of {', '.join(VALIDATED_OUTCOMES)} (a target named "
                    "otherwise must say which it checks)",
                    f".{target}.outcome",
                )
        problems.raise_any("validation")
        return value

    @model_validator(mode="after")
    def _ensemble_names(self) -> ParametersFile:
        if self.ensemble is None:
            return self
        known = self.parameters.model_dump(by_alias=True, exclude_none=True)
        problems = Problems()
        for i, name in enumerate(self.ensemble.parameters):
            if name not in known:
                problems.add(
                    f"no parameter of this file is named {name!r}", f".ensemble.parameters[{i}]"
                )
                continue
            low, high = parameter_range(name)
            for k, point in enumerate(self.ensemble.points):
                if not low <= point[i] <= high:
                    problems.add(
                        f"{name} must lie in [{low}, {high}], found {point[i]}",
                        f".ensemble.points[{k}][{i}]",
                    )
        for name, (first, last) in self.ensemble.ranges.items():
            low, high = parameter_range(name)
            if name not in known:
                problems.add(
                    f"no parameter of this file is named {name!r}", f".ensemble.ranges.{name}"
                )
            elif not low <= first <= last <= high:
                problems.add(f"{name} must lie in [{low}, {high}]", f".ensemble.ranges.{name}")
        problems.raise_any("parameters file")
        return self


def _number(name: str, kind: type, low: float, high: float) -> Any:
    def check(value: Any) -> Any:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (kind is int and not float(value).is_integer())
        ):
            raise problem(f"expected {kind.__name__}, found {value!r}")
        if not low <= value <= high:
            raise problem(f"must lie in [{low}, {high}], found {value}")
        return kind(value)

    return Annotated[Any, AfterValidator(check), Field(alias=name)]


class _ParametersBase(Schema):
    @model_validator(mode="after")
    def _whole_season(self) -> _ParametersBase:
        given = [getattr(self, f"season{i}") is not None for i in range(len(SEASON_MONTHS))]
        if any(given) and not all(given):
            absent = SEASON_MONTHS[given.index(False)]
            raise problem(
                "an estimated season needs all twelve months (season.01 .. season.12) or none",
                f".{absent}",
            )
        return self


@functools.cache
def _schema(corridors: tuple[str, ...]) -> type[ParametersFile]:
    """The schema of parameters.yaml for a scenario with these corridors: every parameter of
    PARAMETERS, an inflow per corridor and, optionally, its trend and onward pull."""
    fields: dict[str, Any] = {}
    for i, (name, spec) in enumerate(PARAMETERS.items()):
        fields[f"p{i}"] = (_number(name, spec.kind, spec.low, spec.high), ...)
    for i, corridor in enumerate(corridors):
        fields[f"inflow{i}"] = (_number(INFLOW_PREFIX + corridor, float, 0, 1e9), ...)
        fields[f"trend{i}"] = (
            _number(INFLOW_TREND_PREFIX + corridor, float, *INFLOW_TREND_RANGE),
            0.0,
        )
        fields[f"onward{i}"] = (
            _number(ONWARD_VALUE_PREFIX + corridor, float, *ONWARD_VALUE_RANGE),
            0.0,
        )
    for i, name in enumerate(SEASON_MONTHS):  # an estimated season: all twelve months or none
        fields[f"season{i}"] = (_number(name, float, *SEASON_RANGE), None)
    parameters = create_model("Parameters", __base__=_ParametersBase, **fields)
    switches: dict[str, Any] = {
        name: (Annotated[Literal[values], BeforeValidator(_switch)], ...)
        for name, values in MECHANISMS.items()
    }
    mechanisms = create_model("Mechanisms", __base__=Schema, **switches)
    return create_model(
        "ScenarioParameters",
        __base__=ParametersFile,
        mechanisms=(mechanisms, ...),
        parameters=(parameters, ...),
    )


def _read_parameters(
    path: Path, routes: dict[str, np.ndarray], corridors: list[str]
) -> tuple[dict[str, Any], ParametersFile]:
    """parameters.yaml as read (its `validation` mapping is handed on as written) and checked."""
    try:
        doc, lines = read_yaml_with_lines(path)
    except SomlabInputError as exc:
        problem = exc.message.removeprefix("malformed YAML: ")
        raise ScenarioError(path, exc.line, exc.field, f"not valid YAML: {problem}") from None
    if doc is None:
        raise ScenarioError(path, 1, None, "the file is empty")
    if not isinstance(doc, dict):
        raise ScenarioError(path, 1, None, "expected a mapping at the top level")
    try:
        checked = validate(
            _schema(tuple(corridors)),
            doc,
            str(path),
            lines,
            context={"routes": set(routes["route"])},
            what=path.name,
        )
    except SomlabInputError as exc:  # a scenario error is one line: the first problem
        first = exc.problems[0] if exc.problems else exc
        raise ScenarioError(path, first.line, first.field, first.message) from None
    return doc, checked


def load(name_or_path: str, parameters_file: str | Path | None = None) -> Scenario:
    """Load and validate a scenario folder (or a bundled scenario by name)."""
    folder = resolve(name_or_path)
    ppath = Path(parameters_file) if parameters_file else folder / "parameters.yaml"
    if not ppath.is_file():
        raise ScenarioError(ppath, None, None, "file missing")
    routes = _load_routes(folder / "routes.csv")
    corridors = list(dict.fromkeys(routes["corridor"]))
    doc, checked = _read_parameters(ppath, routes, corridors)
    months = month_range(checked.period.start, checked.period.end)
    validation = doc.get("validation") or {}
    for target, spec in validation.items():
        spec.setdefault("outcome", target)
        spec.setdefault("observed_share", 1.0)
    parameters = checked.parameters.model_dump(by_alias=True, exclude_none=True)
    return Scenario(
        name=str(checked.scenario or folder.name),
        folder=folder,
        title=checked.title,
        months=months,
        routes=routes,
        corridors=corridors,
        lever_rows=_load_levers(folder / "levers.csv", months, routes, corridors),
        # as written in the file
        mechanisms={name: getattr(checked.mechanisms, name) for name in doc["mechanisms"]},
        parameters={name: parameters[name] for name in doc["parameters"]} | parameters,
        validation=validation,
        observed=_load_observed(folder / "observed.csv", months, validation),
        calibration=checked.calibration,
        parameters_file=ppath,
        observed_totals=_load_totals(folder / "observed_totals.csv", months, validation),
        ensemble=ParameterEnsemble.from_spec(checked.ensemble) if checked.ensemble else None,
    )
