"""One module per mechanism. Each owns its switch (the values it takes in a scenario's
``mechanisms:``), its typed parameters and the functions it runs in the model's named stages
(``somlab.sim.state.STAGES``). ``ORDER`` is the order in which the functions of one stage run.

Adding a mechanism: write a module with a ``MECHANISM = Mechanism(...)`` naming its switch,
parameters and stages, and add it to ``ORDER`` (docs/simulator.md has a worked example).
"""

from __future__ import annotations

from collections.abc import Callable

from somlab.sim.mechanisms import (
    armed_groups,
    choice,
    criminalisation,
    demand,
    enforcement,
    exploitation,
    legal_pathways,
    outcomes,
    pricing,
    sar,
    sea,
    smugglers,
)
from somlab.sim.state import STAGES, Mechanism, State

# Within a stage, earlier modules run first: the ones that scale the month's conditions
# (criminalisation ... pricing) before the core modules that use them.
ORDER: tuple[Mechanism, ...] = (
    criminalisation.MECHANISM,
    sar.MECHANISM,
    armed_groups.MECHANISM,
    enforcement.MECHANISM,
    pricing.MECHANISM,
    demand.MECHANISM,
    legal_pathways.MECHANISM,
    smugglers.MECHANISM,
    sea.MECHANISM,
    choice.MECHANISM,
    exploitation.MECHANISM,
    outcomes.MECHANISM,
)

SWITCH_ORDER = (
    "legal_pathways",
    "pricing",
    "enforcement",
    "sar",
    "criminalisation",
    "externalisation",
    "exploitation",
)
SWITCHES: dict[str, tuple[str, ...]] = {
    name: next(m.switch_values for m in ORDER if m.name == name) for name in SWITCH_ORDER
}
"""Every switchable mechanism and its values, as a scenario's ``mechanisms:`` sets them."""


def stage_plan(mechanisms: dict[str, str]) -> list[tuple[str, str, Callable[[State], None]]]:
    """(stage, mechanism, function) in running order for the given switches: a switched-off
    mechanism's functions do not run."""
    plan: list[tuple[str, str, Callable[[State], None]]] = []
    for stage in STAGES:
        for mechanism in ORDER:
            if (
                mechanism.switch_values is not None
                and mechanism.name in mechanisms
                and mechanisms[mechanism.name] == "off"
            ):
                continue
            plan.extend(
                (stage, mechanism.name, fn) for name, fn in mechanism.stages if name == stage
            )
    return plan
