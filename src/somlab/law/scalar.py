"""The scalar evaluator: one case under one law, with the explanation trace that cites and quotes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from somlab.errors import LawConflictError
from somlab.facts import LEGAL_FACTS, Case
from somlab.law.compiled import CompiledLaw
from somlab.law.conditions import Condition
from somlab.law.model import (
    REMOVING,
    UNDETERMINED_EARLIER,
    Aggravation,
    Element,
    Exception_,
    Law,
    Reading,
)


@dataclass
class TraceStep:
    provision: str
    test: str
    value: bool | None
    quote: str
    rule: str  # offence, exception or aggravation id
    kind: str  # element | exception | aggravation | cited | in_force | unencoded
    reading: Reading | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "provision": self.provision,
            "test": self.test,
            "value": self.value,
            "quote": self.quote,
            "rule": self.rule,
            "kind": self.kind,
        }
        if self.reading:
            out["reading"] = asdict(self.reading)
        return out


@dataclass
class Result:
    """The verdict of one law on one case (contract `somlab.assessment/1`, one `results` item)."""

    jurisdiction: str
    version: str | None
    offence: bool | None
    aggravated: bool | None
    provisions: list[str] = field(default_factory=list)
    exemptions: list[str] = field(default_factory=list)
    optional_exemptions: list[str] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    aggravations: list[str] = field(default_factory=list)
    partial: str | None = None
    penalty_max_years: float | None = None  # null where the maximum is life or death
    penalty_life_imprisonment: bool = False
    penalty_death: bool = False
    # the unencoded rules that leave the verdict open ({id, kind, provision})
    undecided_by: list[dict[str, str]] = field(default_factory=list)
    # aggravation kinds neither established nor excluded (unknown facts or unencoded rules)
    aggravations_open: list[str] = field(default_factory=list)
    # treaties only: whether the treaty is in force for the case's forum on its date (None: not
    # known, or no forum), and from when
    treaty: bool = False
    in_force_for_forum: bool | None = None
    in_force_for_forum_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "version": self.version,
            "offence": self.offence,
            "aggravated": self.aggravated,
            "provisions": self.provisions,
            "exemptions": self.exemptions,
            "optional_exemptions": self.optional_exemptions,
            "missing_facts": self.missing_facts,
            "trace": [s.to_dict() for s in self.trace],
            "aggravations": self.aggravations,
            "penalty_max_years": self.penalty_max_years,
            "penalty_life_imprisonment": self.penalty_life_imprisonment,
            "penalty_death": self.penalty_death,
            "law_partial": self.partial,
            "undecided_by": self.undecided_by,
            "aggravations_open": self.aggravations_open,
            **(
                {
                    "in_force_for_forum": self.in_force_for_forum,
                    "in_force_for_forum_from": self.in_force_for_forum_from,
                }
                if self.treaty
                else {}
            ),
        }


# every key a result may carry (the treaty keys only for treaties)
RESULT_FIELDS = (
    "jurisdiction",
    "version",
    "offence",
    "aggravated",
    "provisions",
    "exemptions",
    "optional_exemptions",
    "missing_facts",
    "trace",
    "aggravations",
    "penalty_max_years",
    "penalty_life_imprisonment",
    "penalty_death",
    "law_partial",
    "undecided_by",
    "aggravations_open",
    "in_force_for_forum",
    "in_force_for_forum_from",
)


def _rule_step(
    law: Law,
    rule: Element | Exception_ | Aggravation,
    test: Condition,
    value: bool | None,
    rule_id: str,
    kind: str,
) -> TraceStep:
    """The trace step of an element, exception or aggravation: its provision, test, value and
    quote, under the id of the rule it belongs to (an element: its offence)."""
    return TraceStep(
        law.label(rule.provision), test.describe(), value, rule.quote, rule_id, kind, rule.reading
    )


def _ordered(paths: set[str] | frozenset[str]) -> list[str]:
    return [p for p in LEGAL_FACTS if p in paths]


def not_in_force(code: str, case: Case, first: Law) -> Result:
    """No encoded version on the case date. Before a law that created the offence, or after a
    repeal, nothing is an offence under it; before an earlier wording that is not encoded, or
    before a treaty's entry into force, the verdict is undetermined and no fact can decide it."""
    unknown = case.date < first.valid_from and first.earlier in UNDETERMINED_EARLIER
    if unknown and first.earlier == "not_in_force":
        note = f"not in force: in force from {first.valid_from}, it defined no offence before"
    elif unknown:
        note = f"earliest encoded version in force from {first.valid_from}; the earlier text is not encoded"
    elif case.date < first.valid_from:
        note = f"in force from {first.valid_from}"
    else:
        note = "repealed or expired before the case date"
    value = None if unknown else False
    return Result(
        jurisdiction=code,
        version=None,
        offence=value,
        aggravated=value,
        trace=[
            TraceStep(
                code, f"date {case.date.isoformat()} within validity", False, note, "", "in_force"
            )
        ],
    )


def evaluate(compiled: CompiledLaw, case: Case, jurisdiction: str | None = None) -> Result:
    law = compiled.law
    code = jurisdiction or law.code
    case.memo.clear()  # compound conditions are memoised by identity, for this law only
    for c in compiled.conflicts:
        if c.both.scalar(case)[0] is True:
            raise LawConflictError(
                f"{law.file}: exceptions '{c.first.id}' ({c.first.effect}) and '{c.second.id}' "
                f"({c.second.effect}) both apply to '{c.target}' in case {case.id!r}, and neither "
                "defeats the other; state their priority with 'defeats'"
            )

    offence, off_missing = compiled.offence.scalar(case)
    aggravated, agg_missing = compiled.aggravated.scalar(case)
    holds = {o.id: compiled.offence_of[o.id].scalar(case)[0] for o in law.offences}

    element_values = {
        o.id: [(el, el.test.scalar(case)[0]) for el in o.elements] for o in law.offences
    }
    examined = [o for o in law.offences if holds[o.id] is not False]
    if not examined and law.offences:
        fewest = min(sum(v is False for _, v in element_values[o.id]) for o in law.offences)
        examined = [
            o for o in law.offences if sum(v is False for _, v in element_values[o.id]) == fewest
        ]
    examined_ids = {o.id for o in examined}

    trace: list[TraceStep] = []
    for o in examined:
        for el, el_value in element_values[o.id]:
            trace.append(_rule_step(law, el, el.test, el_value, o.id, "element"))
    exemptions: list[str] = []
    optional: list[str] = []
    for e in law.exceptions:
        holds_e = compiled.effective[e.id].scalar(case)[0]
        if set(e.defeats) & examined_ids or holds_e is not False:
            trace.append(_rule_step(law, e, e.when, holds_e, e.id, "exception"))
        if holds_e is True:
            (
                optional if e.effect == "optional" else exemptions if e.effect in REMOVING else []
            ).append(law.label(e.provision))
    applied = []
    for a in law.aggravations:
        if not set(a.applies_to) & examined_ids:
            continue
        holds_a = a.when.scalar(case)[0]
        trace.append(_rule_step(law, a, a.when, holds_a, a.id, "aggravation"))
        if holds_a is True and any(holds[t] is True for t in a.applies_to):
            applied.append(a.kind)

    def value(condition) -> bool | None:
        return condition.scalar(case)[0]

    undecided = compiled.undecided_by(offence, aggravated, value)
    if not law.offences:  # core declared unencoded: its scope, against each provision read
        trace += [
            TraceStep(
                law.label(c.provision),
                f"{u.provision} (not encoded): {u.scope.describe()}",
                value(u.scope),
                c.quote,
                u.id,
                "unencoded",
            )
            for u in law.unencoded
            if u.kind == "offence"
            for c in law.cited
        ]
    open_kinds = [k for k, c in compiled.aggravated_by.items() if value(c) is None]
    cited = [
        c
        for c in law.cited
        if c.when is not None and offence is not False and value(c.when) is True
    ]
    for cp in cited:
        assert cp.when is not None
        trace.append(
            TraceStep(law.label(cp.provision), cp.when.describe(), True, cp.quote, "", "cited")
        )

    stated = [o.penalty for o in law.offences if holds[o.id] is True and o.penalty]
    stated += [a.penalty for a in law.aggravations if a.kind in applied and a.penalty]
    life = any(p.life for p in stated)
    death = any(p.death_penalty for p in stated)
    penalties = [p.max_years for p in stated if p.max_years is not None]
    return Result(
        jurisdiction=code,
        version=law.version,
        offence=offence,
        aggravated=aggravated,
        provisions=list(
            dict.fromkeys(
                [
                    *(law.label(o.provision) for o in examined),
                    *(law.label(c.provision) for c in cited),
                ]
            )
        ),
        exemptions=list(dict.fromkeys(exemptions)),
        optional_exemptions=list(dict.fromkeys(optional)),
        missing_facts=_ordered(set(off_missing) | set(agg_missing)),
        trace=trace,
        aggravations=list(dict.fromkeys(applied)),
        partial=law.partial,
        penalty_max_years=max(penalties) if penalties and not (life or death) else None,
        penalty_life_imprisonment=life,
        penalty_death=death,
        undecided_by=[u.to_dict() for u in undecided],
        aggravations_open=open_kinds,
    )
