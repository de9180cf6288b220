"""A law compiled to condition trees: the single definition both evaluators run.

Default logic as in Catala: an exception applies when its condition holds and no applicable
exception that names it as defeated applies. An offence holds when all its elements hold and no
applicable exception with a removing effect (`not_an_offence`, `not_punishable`) defeats it.
An `optional` exception (a "Member States may" clause) never changes the offence; it is reported.
An aggravation holds when an offence it applies to holds and its circumstance is present.
"""

from __future__ import annotations

from dataclasses import dataclass

from somlab.law.conditions import All, AnyOf, Condition, Const, Not
from somlab.law.model import REMOVING, Exception_, Law


@dataclass(frozen=True)
class Conflict:
    """Two exceptions with opposite effects on the same rule and no priority between them."""

    first: Exception_
    second: Exception_
    target: str
    both: Condition


@dataclass
class CompiledLaw:
    law: Law
    base: dict[str, Condition]  # offence id → all elements
    effective: dict[str, Condition]  # exception id → applies (not defeated)
    offence_of: dict[str, Condition]  # offence id → holds
    aggravated_of: dict[str, Condition]  # offence id → holds and aggravated
    offence: Condition
    aggravated: Condition
    conflicts: tuple[Conflict, ...]
    aggravated_by: dict[str, Condition]  # aggravation kind → an offence holds, aggravated by it
    optional_exemption: Condition  # some optional ("may") exemption applies

    def facts(self) -> set[str]:
        """Every fact path the verdicts of this law can read."""
        out = self.offence.facts() | self.aggravated.facts()
        for c in self.conflicts:
            out |= c.both.facts()
        return out


def _any(items: list[Condition]) -> Condition:
    if not items:
        return Const(False)
    return items[0] if len(items) == 1 else AnyOf(tuple(items))


def _all(items: list[Condition]) -> Condition:
    return items[0] if len(items) == 1 else All(tuple(items))


def compile_law(law: Law) -> CompiledLaw:
    defeaters: dict[str, list[Exception_]] = {}
    for e in law.exceptions:
        for target in e.defeats:
            defeaters.setdefault(target, []).append(e)

    effective: dict[str, Condition] = {}

    def eff(e: Exception_) -> Condition:
        if e.id not in effective:
            over = [eff(d) for d in defeaters.get(e.id, [])]
            effective[e.id] = _all([e.when, Not(_any(over))]) if over else e.when
        return effective[e.id]

    for e in law.exceptions:
        eff(e)

    base: dict[str, Condition] = {}
    offence_of: dict[str, Condition] = {}
    aggravated_of: dict[str, Condition] = {}
    for o in law.offences:
        base[o.id] = _all([el.test for el in o.elements])
        removing = [effective[e.id] for e in defeaters.get(o.id, []) if e.effect in REMOVING]
        offence_of[o.id] = _all([base[o.id], Not(_any(removing))]) if removing else base[o.id]
        circumstances = [a.when for a in law.aggravations if o.id in a.applies_to]
        aggravated_of[o.id] = _all([offence_of[o.id], _any(circumstances)]) if circumstances \
            else Const(False)

    conflicts = []
    for target, ds in defeaters.items():
        for i, a in enumerate(ds):
            for b in ds[i + 1:]:
                effects = {a.effect, b.effect}
                opposite = "optional" in effects and bool(effects & set(REMOVING))
                ordered = b.id in a.defeats or a.id in b.defeats
                if opposite and not ordered:
                    conflicts.append(Conflict(a, b, target, All((effective[a.id], effective[b.id]))))

    aggravated_by: dict[str, Condition] = {}
    for kind in dict.fromkeys(a.kind for a in law.aggravations):
        aggravated_by[kind] = _any([
            _all([offence_of[o.id], _any([a.when for a in law.aggravations
                                          if a.kind == kind and o.id in a.applies_to])])
            for o in law.offences
            if any(a.kind == kind and o.id in a.applies_to for a in law.aggravations)])
    optional = _any([effective[e.id] for e in law.exceptions if e.effect == "optional"])

    return CompiledLaw(law=law, base=base, effective=effective, offence_of=offence_of,
                       aggravated_of=aggravated_of,
                       offence=_any(list(offence_of.values())),
                       aggravated=_any(list(aggravated_of.values())),
                       conflicts=tuple(conflicts), aggravated_by=aggravated_by,
                       optional_exemption=optional)
