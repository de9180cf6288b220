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


@dataclass
class Verdicts:
    """Three-valued verdicts for a batch: masks for true and false (neither = undetermined)."""

    offence_true: np.ndarray
    offence_false: np.ndarray
    aggravated_true: np.ndarray
    aggravated_false: np.ndarray
    missing: np.ndarray | None  # int64 bitmask of facts that would decide (see conditions.FACT_BIT)
    version: np.ndarray  # index into the list of versions, -1 where none was in force


def evaluate_table(compiled: CompiledLaw, table: CaseTable, with_missing: bool = True) -> Verdicts:
    for c in compiled.conflicts:
        hit = c.both.vector(table, False).true
        if hit.any():
            row = int(np.flatnonzero(hit)[0])
            raise LawConflictError(
                f"{compiled.law.file}: exceptions '{c.first.id}' and '{c.second.id}' both apply to "
                f"'{c.target}' in case {table.ids[row].as_py()!r} (row {row + 1}) and neither defeats the "
                "other; state their priority with 'defeats'")
    off = compiled.offence.vector(table, False)
    agg = compiled.aggravated.vector(table, False)
    missing = None
    if with_missing:
        # the facts that would decide are needed only where a verdict is undetermined
        missing = np.zeros(len(table), dtype=np.int64)
        open_rows = np.flatnonzero(off.unknown | agg.unknown)
        if len(open_rows):
            sub = table.take(open_rows)
            missing[open_rows] = (compiled.offence.vector(sub, True).missing
                                  | compiled.aggravated.vector(sub, True).missing)
    return Verdicts(off.true, off.false, agg.true, agg.false, missing,
                    np.zeros(len(table), dtype=np.int16))


def evaluate_versions(versions: list[CompiledLaw], table: CaseTable,
                      with_missing: bool = True) -> Verdicts:
    """Each row under the version in force on its date; rows with none in force: no offence."""
    n = len(table)
    out = Verdicts(np.zeros(n, bool), np.ones(n, bool), np.zeros(n, bool), np.ones(n, bool),
                   np.zeros(n, np.int64) if with_missing else None, np.full(n, -1, np.int16))
    dates = table.dates
    first = versions[0].law
    if first.earlier == "unknown":  # before an earlier wording that is not encoded: undetermined
        before = dates < np.datetime64(first.valid_from, "D")
        out.offence_false[before] = False
        out.aggravated_false[before] = False
    for i, compiled in enumerate(versions):
        law = compiled.law
        mask = dates >= np.datetime64(law.valid_from, "D")
        if law.valid_to is not None:
            mask &= dates < np.datetime64(law.valid_to, "D")
        if not mask.any():
            continue
        if mask.all():
            v = evaluate_table(compiled, table, with_missing)
            v.version[:] = i
            return v
        index = np.flatnonzero(mask)
        v = evaluate_table(compiled, table.take(index), with_missing)
        out.offence_true[index] = v.offence_true
        out.offence_false[index] = v.offence_false
        out.aggravated_true[index] = v.aggravated_true
        out.aggravated_false[index] = v.aggravated_false
        if with_missing:
            out.missing[index] = v.missing
        out.version[index] = i
    return out
