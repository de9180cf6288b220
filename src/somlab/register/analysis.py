"""Qualifying the register: each real case under UN-SOM, UN-TIP and its forum's law on its date.

A verdict is `offence` True/False/None (None: undetermined, with the facts that would decide it).
A law that the corpus lacks gives no verdict (status `not_encoded`); nor does a law with no
encoded version in force on the case date (status `not_in_force`, with the reason: not yet in force,
repealed, or an earlier wording that is not encoded), never a false one. Aggregates keep the three values
apart: unknown is never counted as "not an offence".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from somlab.law.assess import CaseAssessment, assess_cases
from somlab.law.corpus import UN_CODES, Corpus, default_corpus
from somlab.law.findings import Finding
from somlab.law.scalar import Result
from somlab.register.load import CATEGORIES, RegisterCase

SOM, TIP = UN_CODES
FORUM = "forum"
LABELS = (SOM, TIP, FORUM)
ASSESSED, NOT_ENCODED, NOT_IN_FORCE = "assessed", "not_encoded", "not_in_force"


@dataclass(frozen=True)
class Verdict:
    """One law's verdict on one case, or why there is none."""

    code: str
    status: str  # assessed | not_encoded | not_in_force
    offence: bool | None = None
    aggravated: bool | None = None
    missing_facts: tuple[str, ...] = ()  # facts that would decide the offence or aggravation
    offence_missing_facts: tuple[str, ...] = ()  # facts that would decide the offence itself
    version: str | None = None
    provisions: tuple[str, ...] = ()
    reason: str | None = None  # why there is no verdict
    # the unencoded rules ({id, kind, provision}) that leave the offence or aggravation open, and
    # those of them that leave the offence itself open (every kind but aggravation)
    undecided_by: tuple[dict[str, str], ...] = ()
    offence_undecided_by: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.code,
            "status": self.status,
            "reason": self.reason,
            "version": self.version,
            "offence": self.offence,
            "aggravated": self.aggravated,
            "missing_facts": list(self.missing_facts),
            "offence_missing_facts": list(self.offence_missing_facts),
            "undecided_by": [dict(u) for u in self.undecided_by],
            "offence_undecided_by": [dict(u) for u in self.offence_undecided_by],
            "provisions": list(self.provisions),
        }


@dataclass
class Qualification:
    entry: RegisterCase
    verdicts: dict[str, Verdict]  # by label: UN-SOM, UN-TIP, forum
    findings: list[Finding] = field(default_factory=list)


def _verdict(assessment: CaseAssessment, code: str, corpus: Corpus) -> Verdict:
    result: Result | None = next((r for r in assessment.results if r.jurisdiction == code), None)
    if result is None:  # the engine leaves out a law whose wording on the date is not encoded
        reason = next(
            (n["reason"] for n in assessment.not_assessed if n["jurisdiction"] == code),
            "no encoded version on the case date",
        )
        return Verdict(code, NOT_IN_FORCE, reason=reason)
    if result.version is None:
        return Verdict(code, NOT_IN_FORCE, reason=result.trace[0].quote if result.trace else None)
    offence_missing: tuple[str, ...] = ()
    offence_open: tuple[dict[str, str], ...] = ()
    if result.offence is None:
        compiled = corpus.at(code, assessment.case.date)
        assert compiled is not None  # result.version is set: a version is in force on that date
        deciding = compiled.offence.scalar(assessment.case)[1]
        offence_missing = tuple(f for f in result.missing_facts if f in deciding)
        offence_open = tuple(u for u in result.undecided_by if u["kind"] != "aggravation")
    return Verdict(
        code,
        ASSESSED,
        result.offence,
        result.aggravated,
        tuple(result.missing_facts),
        offence_missing,
        result.version,
        tuple(result.provisions),
        undecided_by=tuple(result.undecided_by),
        offence_undecided_by=offence_open,
    )


def qualify(entries: Iterable[RegisterCase], corpus: Corpus | None = None) -> list[Qualification]:
    """Each case under UN-SOM, UN-TIP and (when the corpus has it) its forum's law."""
    corpus = corpus or default_corpus()
    known = set(corpus.codes())
    out = []
    for entry in entries:
        forum_known = entry.forum in known and entry.forum not in UN_CODES
        codes = [*UN_CODES, entry.forum] if forum_known else list(UN_CODES)
        assessment = assess_cases([entry.case], codes, corpus)[0]
        verdicts = {SOM: _verdict(assessment, SOM, corpus), TIP: _verdict(assessment, TIP, corpus)}
        verdicts[FORUM] = (
            _verdict(assessment, entry.forum, corpus)
            if forum_known
            else Verdict(
                entry.forum, NOT_ENCODED, reason=f"the law of {entry.forum} is not in the corpus"
            )
        )
        assessed = {v.code for v in verdicts.values() if v.status == ASSESSED}
        findings = (
            [f for f in assessment.findings if f.jurisdiction in assessed]
            if SOM in assessed and TIP in assessed
            else []
        )
        out.append(Qualification(entry, verdicts, findings))
    return out


def tally(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """Counts of offence / not an offence / undetermined / no verdict (law absent or not in force)."""
    counts: Counter[str] = Counter()
    for v in verdicts:
        if v.status != ASSESSED:
            counts[v.status] += 1
        elif v.offence is None:
            counts["undetermined"] += 1
        else:
            counts["offence" if v.offence else "not_offence"] += 1
    return {
        k: counts[k] for k in ("offence", "not_offence", "undetermined", NOT_IN_FORCE, NOT_ENCODED)
    }


def missing_fact_counts(verdicts: Iterable[Verdict]) -> list[dict[str, Any]]:
    """How many undetermined offence verdicts each fact would help decide, most frequent first."""
    counts = Counter(
        f
        for v in verdicts
        if v.status == ASSESSED and v.offence is None
        for f in v.offence_missing_facts
    )
    return [{"fact": f, "cases": n} for f, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def undecided_by_counts(verdicts: Iterable[Verdict]) -> list[dict[str, Any]]:
    """How many undetermined offence verdicts each unencoded provision leaves open, most frequent
    first (provisions are named with their law: the forum differs from case to case)."""
    counts = Counter(
        (v.code, u["provision"], u["kind"])
        for v in verdicts
        if v.status == ASSESSED and v.offence is None
        for u in v.offence_undecided_by
    )
    return [
        {"jurisdiction": c, "provision": p, "kind": k, "cases": n}
        for (c, p, k), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    ]


def _group(items: Sequence[Qualification]) -> dict[str, Any]:
    return {
        "cases": len(items),
        "verdicts": {label: tally(q.verdicts[label] for q in items) for label in LABELS},
    }


def outcome_key(entry: RegisterCase) -> str:
    return entry.outcome.final_status or "unknown"


def summarise(items: Sequence[Qualification]) -> dict[str, Any]:
    """Aggregate figures over the qualified cases."""

    def ids(pred) -> list[str]:
        return [q.entry.id for q in items if pred(q.verdicts[SOM])]

    by_category = {c: [q for q in items if q.entry.category == c] for c in CATEGORIES}
    outcomes = sorted({outcome_key(q.entry) for q in items})
    findings = Counter(f.kind for q in items for f in q.findings)
    return {
        "cases": len(items),
        "protocol_not_required": {
            "meaning": "UN-SOM offence false: conduct the Protocol does not require to be "
            "criminalised",
            "ids": ids(lambda v: v.status == ASSESSED and v.offence is False),
        },
        "protocol_required": {
            "meaning": "UN-SOM offence true: conduct the Protocol requires to be criminalised",
            "ids": ids(lambda v: v.status == ASSESSED and v.offence is True),
        },
        "protocol_undetermined": {
            "meaning": "UN-SOM offence unknown: the recorded facts do not decide it",
            "ids": ids(lambda v: v.status == ASSESSED and v.offence is None),
        },
        "protocol_not_in_force": {
            "meaning": "no version of the Protocol in force on the conduct date",
            "ids": ids(lambda v: v.status != ASSESSED),
        },
        "verdicts": {label: tally(q.verdicts[label] for q in items) for label in LABELS},
        "missing_facts": {
            label: missing_fact_counts(q.verdicts[label] for q in items) for label in LABELS
        },
        "undecided_by": {
            label: undecided_by_counts(q.verdicts[label] for q in items) for label in LABELS
        },
        "by_category": {c: _group(v) for c, v in by_category.items() if v},
        "by_outcome": {
            o: _group([q for q in items if outcome_key(q.entry) == o]) for o in outcomes
        },
        "findings": dict(sorted(findings.items())),
        "forums_not_encoded": sorted(
            {q.entry.forum for q in items if q.verdicts[FORUM].status == NOT_ENCODED}
        ),
    }


def case_document(q: Qualification) -> dict[str, Any]:
    e = q.entry
    return {
        "id": e.id,
        "title": e.title,
        "forum": e.forum,
        "date": e.date.isoformat(),
        "date_precision": e.date_precision,
        "category": e.category,
        "outcome": {
            "final_status": e.outcome.final_status,
            "summary": e.outcome.summary,
            "decided": e.outcome.decided,
        },
        "verdicts": {label: q.verdicts[label].to_dict() for label in LABELS},
        "findings": [f.to_dict() for f in q.findings],
        "fact_notes": dict(e.fact_notes),
        "sources": list(e.sources),
        "confidence": e.confidence,
    }
