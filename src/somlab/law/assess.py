"""Assessing cases under every requested jurisdiction: scalar (with trace) or batch (vectorized)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa

from somlab.facts import Case
from somlab.facts_table import CaseTable
from somlab.law.conditions import bits_to_paths
from somlab.law.corpus import UN_CODES, Corpus, default_corpus
from somlab.law.findings import Finding, findings_for
from somlab.law.scalar import Result, evaluate, not_in_force
from somlab.law.vector import evaluate_versions

SCHEMA = "somlab.assessment/1"


@dataclass
class CaseAssessment:
    case: Case
    results: list[Result]
    findings: list[Finding] = field(default_factory=list)
    not_assessed: list[dict[str, str]] = field(default_factory=list)  # laws not encoded on the date

    def result(self, code: str) -> Result:
        return next(r for r in self.results if r.jurisdiction == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "date": self.case.date.isoformat(),
            "forum": self.case.facts.get("forum"),
            "results": [r.to_dict() for r in self.results],
            "findings": [f.to_dict() for f in self.findings],
            "not_assessed": self.not_assessed,
        }


def resolve_codes(corpus: Corpus, codes: Sequence[str] | None) -> list[str]:
    """Requested codes (validated), or every jurisdiction of the corpus."""
    if not codes:
        return corpus.codes()
    for code in codes:
        corpus.history(code)  # raises a clear error for an unknown code
    return list(dict.fromkeys(codes))


def assess_one(corpus: Corpus, case: Case, code: str) -> Result:
    compiled = corpus.at(code, case.date)
    first = corpus.history(code)[0].law
    result = (
        not_in_force(code, case, first)
        if compiled is None
        else evaluate(compiled, case, jurisdiction=code)
    )
    if first.kind == "treaty":  # whether it binds the forum on the case date
        forum = case.facts.get("forum")
        status = corpus.treaty_status(code.split("+")[0])
        result.treaty = True
        result.in_force_for_forum = corpus.bound(code.split("+")[0], forum, case.date)
        start = status.bound_from(forum) if status is not None else None
        result.in_force_for_forum_from = start.isoformat() if start else None
    return result


def assess_cases(
    cases: Sequence[Case], codes: Sequence[str] | None = None, corpus: Corpus | None = None
) -> list[CaseAssessment]:
    corpus = corpus or default_corpus()
    codes = resolve_codes(corpus, codes)
    out = []
    for case in cases:
        results = {code: assess_one(corpus, case, code) for code in codes}
        protocol = {c: results.get(c) or assess_one(corpus, case, c) for c in UN_CODES}
        # a law whose wording on the date is not encoded is not assessed (no fact could decide
        # it); a treaty not yet in force stays, with its flag
        skipped = [
            r for r in results.values() if r.version is None and r.offence is None and not r.treaty
        ]
        kept = [r for r in results.values() if r not in skipped]
        findings = findings_for(
            kept,
            protocol[UN_CODES[0]],
            protocol[UN_CODES[1]],
            partial(corpus.bound, UN_CODES[0], date=case.date),
        )
        out.append(
            CaseAssessment(
                case,
                kept,
                findings,
                [{"jurisdiction": r.jurisdiction, "reason": r.trace[0].quote} for r in skipped],
            )
        )
    return out


def assessment_document(items: Sequence[CaseAssessment]) -> dict[str, Any]:
    return {"schema": SCHEMA, "cases": [a.to_dict() for a in items]}


def _nullable_bool(true: np.ndarray, false: np.ndarray) -> pa.Array:
    return pa.array(true, type=pa.bool_(), mask=~(true | false))


def missing_strings(bits: np.ndarray) -> pa.DictionaryArray:
    """`;`-joined fact paths per row, dictionary-encoded (few distinct combinations)."""
    open_rows = np.flatnonzero(bits)  # most verdicts are decided: sort only the others
    uniq, inverse = np.unique(bits[open_rows], return_inverse=True)
    indices = np.zeros(len(bits), dtype=np.int32)
    indices[open_rows] = inverse + 1
    names = pa.array(["", *(";".join(bits_to_paths(b)) for b in uniq)], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices), names)


def undecided_strings(
    versions: Sequence, version: np.ndarray, bits: np.ndarray
) -> pa.DictionaryArray:
    """`;`-joined ids of the unencoded rules that leave each row open, dictionary-encoded; the
    bits index the open rules of the row's version."""
    indices = np.zeros(len(bits), dtype=np.int32)
    position = {"": 0}  # one dictionary entry per joined string: versions share rule ids
    for i, compiled in enumerate(versions):
        rows = np.flatnonzero((version == i) & (bits != 0))
        if not len(rows):
            continue
        uniq, inverse = np.unique(bits[rows], return_inverse=True)
        joined = [
            ";".join(o.rule.id for k, o in enumerate(compiled.open_rules) if int(b) >> k & 1)
            for b in uniq
        ]
        codes = np.array([position.setdefault(name, len(position)) for name in joined], np.int32)
        indices[rows] = codes[inverse]
    names = pa.array(list(position), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices), names)


def assess_batch(
    table: CaseTable,
    codes: Sequence[str] | None = None,
    corpus: Corpus | None = None,
    with_missing: bool = True,
) -> pa.Table:
    """One row per case × jurisdiction: id, jurisdiction, version, offence, aggravated,
    missing_facts (nullable booleans; `;`-separated facts that would decide), undecided_by
    (`;`-separated unencoded rules that leave the verdict open)."""
    corpus = corpus or default_corpus()
    codes = resolve_codes(corpus, codes)
    ids = table.ids
    parts = []
    for code in codes:
        history = corpus.history(code)
        v = evaluate_versions(history, table, with_missing)
        names = pa.array([c.law.version for c in history], type=pa.string())
        version = pa.DictionaryArray.from_arrays(
            pa.array(v.version.astype(np.int32), mask=v.version < 0), names
        )
        cols = {
            "id": ids,
            "jurisdiction": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(table), np.int32)), pa.array([code])
            ),
            "version": version,
            "offence": _nullable_bool(v.offence_true, v.offence_false),
            "aggravated": _nullable_bool(v.aggravated_true, v.aggravated_false),
        }
        if with_missing:
            assert v.missing is not None and v.undecided is not None
            cols["missing_facts"] = missing_strings(v.missing)
            cols["undecided_by"] = undecided_strings(history, v.version, v.undecided)
        parts.append(pa.table(cols))
    if not parts:
        return pa.table({})
    return pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
