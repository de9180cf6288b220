"""The vectorized evaluator: a batch of cases under one law, as numpy masks.

It runs the same condition trees as the scalar evaluator (see compiled.py), so the verdicts agree
row by row; only the explanation trace is left to the scalar path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from somlab.errors import LawConflictError
from somlab.facts_table import CaseTable
from somlab.law.compiled import CompiledLaw
from somlab.law.model import UNDETERMINED_EARLIER


@dataclass
class Verdicts:
    """Three-valued verdicts for a batch: masks for true and false (neither = undetermined)."""

    offence_true: np.ndarray
    offence_false: np.ndarray
    aggravated_true: np.ndarray
    aggravated_false: np.ndarray
    missing: np.ndarray | None  # int64 bitmask of facts that would decide (see conditions.FACT_BIT)
    version: np.ndarray  # index into the list of versions, -1 where none was in force
    # int64 bitmask of the unencoded rules that leave the verdict open (bit k: the version's
    # open_rules[k]); computed with the missing facts
    undecided: np.ndarray | None = None


def _check_conflicts(compiled: CompiledLaw, table: CaseTable, rows: np.ndarray | None) -> None:
    for c in compiled.conflicts:
        hit = c.both.vector(table, False).true
        if rows is not None:
            hit = hit & rows
        if hit.any():
            row = int(np.flatnonzero(hit)[0])
            raise LawConflictError(
                f"{compiled.law.file}: exceptions '{c.first.id}' and '{c.second.id}' both apply to "
                f"'{c.target}' in case {table.ids[row].as_py()!r} (row {row + 1}) and neither "
                "defeats the other; state their priority with 'defeats'"
            )


def _explain(
    compiled: CompiledLaw, table: CaseTable, open_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For the undetermined rows only (most rows are decided): the facts that would decide, and
    the unencoded rules that leave the verdict open (the rule of CompiledLaw.undecided_by)."""
    sub = table.take(open_rows)
    off, agg = compiled.offence.vector(sub, True), compiled.aggravated.vector(sub, True)
    unknown = {"offence": off.unknown, "aggravated": agg.unknown}
    undecided = np.zeros(len(sub), dtype=np.int64)
    for k, rule in enumerate(compiled.open_rules):
        relevant = rule.relevant.vector(sub, False)
        hit = (
            unknown[rule.verdict]
            & ~rule.scope.vector(sub, False).false
            & (relevant.true if rule.relevant_must_hold else ~relevant.false)
        )
        undecided |= np.where(hit, np.int64(1) << np.int64(k), np.int64(0))
    assert off.missing is not None and agg.missing is not None  # evaluated with missing facts
    return off.missing | agg.missing, undecided


def evaluate_table(compiled: CompiledLaw, table: CaseTable, with_missing: bool = True) -> Verdicts:
    """Every row under one version of a law, whatever its date."""
    _check_conflicts(compiled, table, None)
    off = compiled.offence.vector(table, False)
    agg = compiled.aggravated.vector(table, False)
    missing = undecided = None
    if with_missing:
        missing = np.zeros(len(table), dtype=np.int64)
        undecided = np.zeros(len(table), dtype=np.int64)
        open_rows = np.flatnonzero(off.unknown | agg.unknown)
        if len(open_rows):
            missing[open_rows], undecided[open_rows] = _explain(compiled, table, open_rows)
    return Verdicts(
        off.true,
        off.false,
        agg.true,
        agg.false,
        missing,
        np.zeros(len(table), dtype=np.int16),
        undecided,
    )


def evaluate_versions(
    versions: list[CompiledLaw], table: CaseTable, with_missing: bool = True
) -> Verdicts:
    """Each row under the version in force on its date. Rows with none in force: no offence,
    or undetermined before a first version whose earlier wording is not encoded (or before a
    treaty's entry into force)."""
    n = len(table)
    out = Verdicts(
        np.zeros(n, bool),
        np.ones(n, bool),
        np.zeros(n, bool),
        np.ones(n, bool),
        np.zeros(n, np.int64) if with_missing else None,
        np.full(n, -1, np.int16),
        np.zeros(n, np.int64) if with_missing else None,
    )
    dates = table.dates
    first = versions[0].law
    if first.earlier in UNDETERMINED_EARLIER:
        before = dates < np.datetime64(first.valid_from, "D")
        out.offence_false &= ~before
        out.aggravated_false &= ~before
    for i, compiled in enumerate(versions):
        law = compiled.law
        mask = dates >= np.datetime64(law.valid_from, "D")
        if law.valid_to is not None:
            mask &= dates < np.datetime64(law.valid_to, "D")
        if not mask.any():
            continue
        # evaluating every row and keeping those in force is cheaper than copying the rows out
        _check_conflicts(compiled, table, mask)
        off = compiled.offence.vector(table, False)
        agg = compiled.aggravated.vector(table, False)
        keep = ~mask  # boolean blending is several times faster than masked assignment
        out.offence_true = (out.offence_true & keep) | (off.true & mask)
        out.offence_false = (out.offence_false & keep) | (off.false & mask)
        out.aggravated_true = (out.aggravated_true & keep) | (agg.true & mask)
        out.aggravated_false = (out.aggravated_false & keep) | (agg.false & mask)
        out.version = np.where(mask, np.int16(i), out.version)
        if with_missing:
            open_rows = np.flatnonzero(mask & (off.unknown | agg.unknown))
            if len(open_rows):
                assert out.missing is not None and out.undecided is not None
                out.missing[open_rows], out.undecided[open_rows] = _explain(
                    compiled, table, open_rows
                )
    return out
