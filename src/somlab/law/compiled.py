"""A law compiled to condition trees: the single definition both evaluators run.

Default logic as in Catala: an exception applies when its condition holds and no applicable
exception that names it as defeated applies. An offence holds when all its elements hold and no
applicable exception with a removing effect (`not_an_offence`, `not_punishable`) defeats it.
An `optional` exception (a "Member States may" clause) never changes the offence; it is reported.
An aggravation holds when an offence it applies to holds and its circumstance is present.

A rule the law has but the corpus does not encode (`unencoded`) enters the same trees as an
`OpenWithin` node, unknown inside its scope and false outside it: an unencoded offence is one more
alternative of "an offence holds", an unencoded exemption or defence one more exception to the
offences it applies to, an unencoded aggravation one more circumstance. Kleene logic then leaves
open exactly the verdicts it could change, in both evaluators.
"""

from __future__ import annotations

from dataclasses import dataclass

from somlab.law.conditions import All, AnyOf, Condition, Const, Not, OpenWithin
from somlab.law.model import AGGRAVATION_KINDS, REMOVING, Exception_, Law, Unencoded


@dataclass(frozen=True)
class Conflict:
    """Two exceptions with opposite effects on the same rule and no priority between them."""

    first: Exception_
    second: Exception_
    target: str
    both: Condition


@dataclass(frozen=True)
class OpenRule:
    """An unencoded rule compiled: it leaves `verdict` ("offence" or "aggravated") open where that
    verdict is unknown, its scope is not false and `relevant` holds: for an unencoded offence,
    it is not defeated (not false); for an exemption, defence or aggravation, an offence it
    concerns holds (true)."""

    rule: Unencoded
    verdict: str
    scope: Condition
    relevant: Condition
    relevant_must_hold: bool = True


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
    open_rules: tuple[OpenRule, ...] = ()  # the law's unencoded rules, in file order

    def facts(self) -> set[str]:
        """Every fact path the verdicts of this law can read."""
        out = self.offence.facts() | self.aggravated.facts()
        for c in self.conflicts:
            out |= c.both.facts()
        return out

    def undecided_by(self, offence: bool | None, aggravated: bool | None, value) -> list[Unencoded]:
        """The unencoded rules that leave these verdicts open; `value(condition)` evaluates a
        condition on the case at hand."""
        verdicts = {"offence": offence, "aggravated": aggravated}
        return [
            o.rule
            for o in self.open_rules
            if verdicts[o.verdict] is None
            and value(o.scope) is not False
            and (
                value(o.relevant) is True
                if o.relevant_must_hold
                else value(o.relevant) is not False
            )
        ]


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

    opened = {u.id: OpenWithin(u.scope) for u in law.unencoded}

    def removing(rule_id: str) -> list[Condition]:
        """The applicable exceptions with a removing effect that defeat the rule."""
        return [effective[e.id] for e in defeaters.get(rule_id, []) if e.effect in REMOVING]

    def unless_removed(rule_id: str, holds: Condition) -> Condition:
        return _all([holds, Not(_any(removing(rule_id)))]) if removing(rule_id) else holds

    def open_of(kinds: tuple[str, ...], offence_id: str) -> list[Condition]:
        return [
            opened[u.id] for u in law.unencoded if u.kind in kinds and offence_id in u.applies_to
        ]

    base: dict[str, Condition] = {}
    encoded_of: dict[str, Condition] = {}  # the offence holds under the encoded rules alone
    offence_of: dict[str, Condition] = {}
    aggravated_of: dict[str, Condition] = {}
    for o in law.offences:
        base[o.id] = _all([el.test for el in o.elements])
        encoded_of[o.id] = unless_removed(o.id, base[o.id])
        defences = open_of(("exemption", "defence"), o.id)
        offence_of[o.id] = (
            _all([encoded_of[o.id], Not(_any(defences))]) if defences else encoded_of[o.id]
        )
        circumstances = [a.when for a in law.aggravations if o.id in a.applies_to]
        circumstances += open_of(("aggravation",), o.id)
        aggravated_of[o.id] = (
            _all([offence_of[o.id], _any(circumstances)]) if circumstances else Const(False)
        )

    conflicts = []
    for target, ds in defeaters.items():
        for i, a in enumerate(ds):
            for b in ds[i + 1 :]:
                effects = {a.effect, b.effect}
                opposite = "optional" in effects and bool(effects & set(REMOVING))
                ordered = b.id in a.defeats or a.id in b.defeats
                if opposite and not ordered:
                    conflicts.append(
                        Conflict(a, b, target, All((effective[a.id], effective[b.id])))
                    )

    # an unencoded offence holds "open within" its scope; unencoded aggravations may aggravate it
    holds_of = dict(offence_of)
    for u in law.unencoded:
        if u.kind == "offence":
            holds_of[u.id] = unless_removed(u.id, opened[u.id])
            whens = open_of(("aggravation",), u.id)
            if whens:
                aggravated_of[u.id] = _all([holds_of[u.id], _any(whens)])

    # circumstances by aggravation kind and offence, unencoded aggravations included
    by_kind: dict[str, dict[str, list[Condition]]] = {}
    for g in law.aggravations:
        for t in g.applies_to:
            by_kind.setdefault(g.kind, {}).setdefault(t, []).append(g.when)
    for u in law.unencoded:
        if u.kind == "aggravation":  # an aggravation whose content is unread could be of any kind
            kinds = (u.aggravation,) if u.aggravation not in (None, "any") else AGGRAVATION_KINDS
            for kind in kinds:
                for t in u.applies_to:
                    by_kind.setdefault(kind, {}).setdefault(t, []).append(opened[u.id])
    aggravated_by = {
        kind: _any([_all([holds_of[t], _any(whens)]) for t, whens in per.items()])
        for kind, per in by_kind.items()
    }
    optional = _any([effective[e.id] for e in law.exceptions if e.effect == "optional"])

    open_rules = []
    for u in law.unencoded:
        if u.kind == "offence":
            open_rules.append(
                OpenRule(u, "offence", u.scope, Not(_any(removing(u.id))), relevant_must_hold=False)
            )
        elif u.kind == "aggravation":
            open_rules.append(
                OpenRule(u, "aggravated", u.scope, _any([holds_of[t] for t in u.applies_to]))
            )
        else:
            open_rules.append(
                OpenRule(u, "offence", u.scope, _any([encoded_of[t] for t in u.applies_to]))
            )

    return CompiledLaw(
        law=law,
        base=base,
        effective=effective,
        offence_of=offence_of,
        aggravated_of=aggravated_of,
        offence=_any(list(holds_of.values())),
        aggravated=_any(list(aggravated_of.values())),
        conflicts=tuple(conflicts),
        aggravated_by=aggravated_by,
        optional_exemption=optional,
        open_rules=tuple(open_rules),
    )
