"""``--set`` assignments: levers, behavioural parameters and mechanism switches.

* ``LEVER=VALUE`` or ``LEVER.TARGET=VALUE`` sets a lever for every month (TARGET: a route, a
  corridor or ``all``); ``VALUE`` written ``*F`` multiplies the scenario's own series by F; a
  value outside the lever's range, or a factor outside [0, 50], is refused (not clipped);
* ``params.NAME=VALUE`` sets a behavioural parameter;
* ``mechanisms.NAME=VALUE`` switches a mechanism (``on``/``off``, or a SAR module).
"""

from __future__ import annotations

import copy

from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.sim.levers import FACTOR_RANGE, LEVERS
from somlab.sim.parameters import PARAMETERS, parameter_range
from somlab.sim.scenario import MECHANISMS, Scenario


class SettingError(SomlabInputError):
    """A ``--set`` assignment names something unknown or has a bad value."""


class UnknownSettingError(SettingError, SomlabNotFoundError):
    """A ``--set`` assignment names no lever, target, parameter or mechanism."""


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SettingError(f"--set {where}: expected a number, found {text!r}") from None


def parameters_set(assignments) -> frozenset[str]:
    """The behavioural parameters that ``--set params.NAME=VALUE`` assignments fix."""
    return frozenset(
        text.split("=", 1)[0].strip().removeprefix("params.")
        for text in assignments
        if text.strip().startswith("params.")
    )


def apply(scenario: Scenario, assignments: list[str]) -> tuple[Scenario, tuple]:
    """A copy of the scenario with parameters and mechanisms set, and the lever overrides."""
    scenario = copy.copy(scenario)
    scenario.parameters = dict(scenario.parameters)
    scenario.mechanisms = dict(scenario.mechanisms)
    overrides = []
    for text in assignments:
        if "=" not in text:
            raise SettingError(f"--set {text}: expected NAME=VALUE")
        name, value = (part.strip() for part in text.split("=", 1))
        head, _, rest = name.partition(".")
        if head == "params":
            if rest not in scenario.parameters:
                raise UnknownSettingError("parameter", rest, sorted(scenario.parameters))
            spec = PARAMETERS.get(rest)
            number = _number(value, text)
            low, high = parameter_range(rest)
            if not low <= number <= high:
                raise SettingError(f"--set {text}: {rest} must lie in [{low}, {high}]")
            scenario.parameters[rest] = spec.kind(number) if spec else number
        elif head == "mechanisms":
            if rest not in MECHANISMS:
                raise UnknownSettingError("mechanism", rest, MECHANISMS)
            if value not in MECHANISMS[rest]:
                choices = ", ".join(f"{k} ({'/'.join(v)})" for k, v in MECHANISMS.items())
                raise SettingError(f"--set {text}: mechanisms are {choices}")
            scenario.mechanisms[rest] = value
        elif head in LEVERS:
            target = rest or "all"
            valid = set(scenario.route_names) | set(scenario.corridors) | {"all"}
            if LEVERS[head].scope == "corridor":
                valid = set(scenario.corridors) | {"all"}
            if target not in valid:
                raise UnknownSettingError(f"target of {head}", target, sorted(valid))
            operator = "*" if value.startswith("*") else "="
            number = _number(value.lstrip("*"), text)
            low, high = FACTOR_RANGE if operator == "*" else (LEVERS[head].low, LEVERS[head].high)
            if not low <= number <= high:
                raise SettingError(
                    f"--set {text}: {head} {'factor' if operator == '*' else 'value'} must lie in [{low:g}, {high:g}]"
                )
            overrides.append((head, target, operator, number))
        else:
            raise UnknownSettingError("lever", head, [*LEVERS, "params.NAME", "mechanisms.NAME"])
    return scenario, tuple(overrides)
