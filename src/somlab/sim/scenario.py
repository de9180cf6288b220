"""Scenario folders: routes.csv, levers.csv, parameters.yaml and observed.csv, validated on load.

Every problem is reported as one ScenarioError naming the file, the line and the field, what was
expected and what was found.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.sim.levers import LEVERS
from somlab.sim.mechanisms import SWITCHES
from somlab.sim.parameters import (INFLOW_PREFIX, INFLOW_TREND_PREFIX, INFLOW_TREND_RANGE, PARAMETERS, SEASON_MONTHS,
                                   SEASON_RANGE)
from somlab.yamlio import parse, read_text
from somlab.bundled import bundled

MECHANISMS: dict[str, tuple[str, ...]] = SWITCHES
ROUTE_COLUMNS = {
    "route": str, "corridor": str, "departure": str, "destination": str, "boat_persons": int,
    "distress": float, "interception": float, "base_price_eur": float, "capacity_persons": float,
    "armed_groups": bool, "source": str,
}
LEVER_COLUMNS = {"lever": str, "target": str, "start": "month", "end": "month", "value": float, "source": str}
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

    @property
    def route_names(self) -> list[str]:
        return list(self.routes["route"])

    def route_mask(self, names: list[str]) -> np.ndarray:
        return np.isin(self.routes["route"], names)


def bundled_scenarios() -> list[str]:
    root = bundled("scenarios")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "parameters.yaml").is_file())


def resolve(name_or_path: str) -> Path:
    """A bundled scenario's folder by name, or the given folder."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    if name_or_path in bundled_scenarios():
        return bundled("scenarios", name_or_path)
    raise SomlabNotFoundError("scenario folder or bundled scenario", name_or_path,
                              bundled_scenarios(), field="scenario")


def parse_month(text: str, file, line, field_name) -> tuple[int, int]:
    match = MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError(file, line, field_name, f"expected a month as YYYY-MM, found {text!r}")
    return int(match.group(1)), int(match.group(2))


def month_range(start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    first, last = start[0] * 12 + start[1] - 1, end[0] * 12 + end[1] - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _yaml_with_lines(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML and remember the line of every key, so that errors can point at it."""
    try:
        doc, node = parse(read_text(path), str(path))
    except SomlabInputError as exc:
        problem = exc.message.removeprefix("malformed YAML: ")
        raise ScenarioError(path, exc.line, exc.field, f"not valid YAML: {problem}") from None
    if node is None:
        raise ScenarioError(path, 1, None, "the file is empty")
    lines: dict[tuple, int] = {(): node.start_mark.line + 1}
    stack, seen = [(node, ())], set()
    while stack:  # keys of mappings; a node shared through an alias is walked once
        current, key_path = stack.pop()
        if isinstance(current, yaml.MappingNode) and id(current) not in seen:
            seen.add(id(current))
            for k, v in current.value:
                lines[key_path + (k.value,)] = k.start_mark.line + 1
                stack.append((v, key_path + (k.value,)))
    return doc, lines


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
        raise ScenarioError(file, line, field_name, f"expected {kind.__name__}, found {value!r}") from None
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
            raise ScenarioError(path, 1, unknown[0], f"unknown column; expected columns: {', '.join(columns)}")
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
            raise ScenarioError(path, line, "lever", f"unknown lever {lever!r}; levers: {', '.join(LEVERS)}")
        target = row["target"].strip()
        spec = LEVERS[lever]
        allowed = targets if spec.scope == "route" else set(corridors) | {"all"}
        if target not in allowed:
            raise ScenarioError(path, line, "target", f"{target!r} is not a {'route, corridor' if spec.scope == 'route' else 'corridor'} or 'all' of this scenario")
        start = "{:04d}-{:02d}".format(*parse_month(row["start"], path, line, "start"))
        end = "{:04d}-{:02d}".format(*parse_month(row["end"], path, line, "end"))
        if end < start:
            raise ScenarioError(path, line, "end", f"end {end} is before start {start}")
        value = _convert(row["value"], float, path, line, "value")
        if not spec.low <= value <= spec.high:
            raise ScenarioError(path, line, "value", f"{lever} must lie in [{spec.low}, {spec.high}] ({spec.unit}), found {value}")
        if end < months[0] or start > months[-1]:
            continue
        first = months.index(max(start, months[0]))
        last = months.index(min(end, months[-1]))
        out.append(LeverRow(lever, target, first, last, value, row["source"].strip()))
    return out


def _check_parameters(values: dict, corridors: list[str], path: Path, lines) -> dict[str, float]:
    if not isinstance(values, dict):
        raise ScenarioError(path, lines.get(("parameters",)), "parameters", "expected a mapping of name: value")
    out = {}
    expected = set(PARAMETERS) | {INFLOW_PREFIX + c for c in corridors}
    optional = {INFLOW_TREND_PREFIX + c: 0.0 for c in corridors}
    for name, value in values.items():
        line = lines.get(("parameters", name))
        if name not in expected and name not in optional and name not in SEASON_MONTHS:
            raise ScenarioError(path, line, f"parameters.{name}", f"unknown parameter; known: {', '.join(sorted(expected | set(optional)))}"
                                f", {SEASON_MONTHS[0]} .. {SEASON_MONTHS[-1]}")
        spec = PARAMETERS.get(name)
        kind = spec.kind if spec else float
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not float(value).is_integer()):
            raise ScenarioError(path, line, f"parameters.{name}", f"expected {kind.__name__}, found {value!r}")
        low, high = ((spec.low, spec.high) if spec else INFLOW_TREND_RANGE if name in optional
                     else SEASON_RANGE if name in SEASON_MONTHS else (0, 1e9))
        if not low <= value <= high:
            raise ScenarioError(path, line, f"parameters.{name}", f"must lie in [{low}, {high}], found {value}")
        out[name] = kind(value)
    season = [name for name in SEASON_MONTHS if name in out]
    if season and len(season) < len(SEASON_MONTHS):
        absent = next(name for name in SEASON_MONTHS if name not in out)
        raise ScenarioError(path, lines.get(("parameters", season[0])), f"parameters.{absent}",
                            "an estimated season needs all twelve months (season.01 .. season.12) or none")
    missing = sorted(expected - set(out))
    if missing:
        raise ScenarioError(path, lines.get(("parameters",)), f"parameters.{missing[0]}", "required parameter is missing")
    return out | {name: default for name, default in optional.items() if name not in out}


def _check_mechanisms(values: dict, path: Path, lines) -> dict[str, str]:
    out = {}
    for name, value in (values or {}).items():
        line = lines.get(("mechanisms", name))
        if name not in MECHANISMS:
            raise ScenarioError(path, line, f"mechanisms.{name}", f"unknown mechanism; known: {', '.join(MECHANISMS)}")
        value = {True: "on", False: "off"}.get(value, value) if isinstance(value, (str, bool)) else value
        if not isinstance(value, str) or value not in MECHANISMS[name]:
            raise ScenarioError(path, line, f"mechanisms.{name}", f"expected one of {', '.join(MECHANISMS[name])}, found {value!r}")
        out[name] = value
    missing = [m for m in MECHANISMS if m not in out]
    if missing:
        raise ScenarioError(path, lines.get(("mechanisms",)), f"mechanisms.{missing[0]}", "every mechanism must be set")
    return out


VALIDATED_OUTCOMES = {"arrivals": "arrivals", "deaths": "dead_missing", "interceptions": "interceptions",
                      "departures": "departures", "waiting": "waiting"}
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
            raise ScenarioError(path, None, None, f"file missing: validation.{sorted(wanted)[0]} has totals: true")
        return []
    out = []
    for line, row in _read_csv(path, TOTALS_COLUMNS):
        target = row["target"].strip()
        if target not in wanted:
            raise ScenarioError(path, line, "target", f"{target!r} is not a validation target with totals: true"
                                f" ({', '.join(sorted(wanted)) or 'none'})")
        start = "{:04d}-{:02d}".format(*parse_month(row["start"], path, line, "start"))
        end = "{:04d}-{:02d}".format(*parse_month(row["end"], path, line, "end"))
        if end < start:
            raise ScenarioError(path, line, "end", f"end {end} is before start {start}")
        if start < months[0] or end > months[-1]:
            raise ScenarioError(path, line, "start", f"{start} - {end} is not inside the period {months[0]} - {months[-1]}")
        value = _convert(row["value"], float, path, line, "value")
        if not value > 0:
            raise ScenarioError(path, line, "value", f"expected a positive total, found {value}")
        if not row["source"].strip():
            raise ScenarioError(path, line, "source", "every observed total needs its source")
        out.append(ObservedTotal(target, months.index(start), months.index(end), value, row["source"].strip()))
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
            raise ScenarioError(path, 1, spec["column"], f"column named by validation.{target} is missing")
        bad = pd.to_numeric(frame[spec["column"]], errors="coerce").isna() & frame[spec["column"]].notna()
        if bad.any():
            line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise ScenarioError(path, line, spec["column"], f"expected a number, found {frame[spec['column']].iloc[line - 2]!r}")
    return pd.DataFrame({"month": months}).merge(frame, on="month", how="left")


def load(name_or_path: str, parameters_file: str | Path | None = None) -> Scenario:
    """Load and validate a scenario folder (or a bundled scenario by name)."""
    folder = resolve(name_or_path)
    ppath = Path(parameters_file) if parameters_file else folder / "parameters.yaml"
    if not ppath.is_file():
        raise ScenarioError(ppath, None, None, "file missing")
    doc, lines = _yaml_with_lines(ppath)
    if not isinstance(doc, dict):
        raise ScenarioError(ppath, 1, None, "expected a mapping at the top level")
    known = {"scenario", "title", "period", "mechanisms", "parameters", "validation", "calibration"}
    for key in doc:
        if key not in known:
            raise ScenarioError(ppath, lines.get((key,)), key, f"unknown field; known: {', '.join(sorted(known))}")
    period = doc.get("period") or {}
    if not isinstance(period, dict) or "start" not in period or "end" not in period:
        raise ScenarioError(ppath, lines.get(("period",)), "period", "expected period: {start: YYYY-MM, end: YYYY-MM}")
    months = month_range(parse_month(period["start"], ppath, lines.get(("period", "start")), "period.start"),
                         parse_month(period["end"], ppath, lines.get(("period", "end")), "period.end"))
    if not months:
        raise ScenarioError(ppath, lines.get(("period", "end")), "period.end", "the period ends before it starts")
    routes = _load_routes(folder / "routes.csv")
    corridors = list(dict.fromkeys(routes["corridor"]))
    for key in ("validation", "mechanisms", "calibration"):
        if not isinstance(doc.get(key) or {}, dict):
            raise ScenarioError(ppath, lines.get((key,)), key, "expected a mapping")
    validation = doc.get("validation") or {}
    for target, spec in validation.items():
        line = lines.get(("validation", target))
        if not isinstance(spec, dict) or ("column" not in spec) == (not spec.get("totals")):
            raise ScenarioError(ppath, line, f"validation.{target}",
                                "expected {column, routes, series[, outcome]} or {totals: true, routes, series, outcome}")
        spec.setdefault("outcome", target)
        if spec["outcome"] not in VALIDATED_OUTCOMES:
            raise ScenarioError(ppath, line, f"validation.{target}.outcome",
                                f"expected one of {', '.join(VALIDATED_OUTCOMES)} (a target named otherwise must say which it checks)")
        share = spec.setdefault("observed_share", 1.0)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise ScenarioError(ppath, line, f"validation.{target}.observed_share", f"expected a share in (0, 1], found {share!r}")
        if not isinstance(spec.get("routes", []), list):
            raise ScenarioError(ppath, line, f"validation.{target}.routes", "expected a list of routes")
        for route in spec.get("routes", []):
            if not isinstance(route, str) or route not in routes["route"]:
                raise ScenarioError(ppath, line, f"validation.{target}.routes", f"unknown route {route!r}")
    return Scenario(
        name=str(doc.get("scenario") or folder.name),
        folder=folder,
        title=str(doc.get("title", "")),
        months=months,
        routes=routes,
        corridors=corridors,
        lever_rows=_load_levers(folder / "levers.csv", months, routes, corridors),
        mechanisms=_check_mechanisms(doc.get("mechanisms"), ppath, lines),
        parameters=_check_parameters(doc.get("parameters"), corridors, ppath, lines),
        validation=validation,
        observed=_load_observed(folder / "observed.csv", months, validation),
        calibration=doc.get("calibration") or {},
        parameters_file=ppath,
        observed_totals=_load_totals(folder / "observed_totals.csv", months, validation),
    )
