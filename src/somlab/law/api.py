"""The notebook API: `somlab.assess(...)` on one case, a list, a file, or a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.facts import Case, cases_from_objects, load_cases
from somlab.facts_table import read_table, table_from_frame
from somlab.law.assess import CaseAssessment, assess_batch, assess_cases, assessment_document
from somlab.law.corpus import default_corpus
from somlab.vocabulary import split_codes


@dataclass
class Assessment:
    """Verdicts with traces for a few cases; converts to the JSON contract and to tables."""

    items: list[CaseAssessment]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return assessment_document(self.items)

    def to_arrow(self):
        import pyarrow as pa

        rows = [
            {
                "id": a.case.id,
                "date": a.case.date,
                "jurisdiction": r.jurisdiction,
                "version": r.version,
                "offence": r.offence,
                "aggravated": r.aggravated,
                "exemptions": ";".join(r.exemptions),
                "optional_exemptions": ";".join(r.optional_exemptions),
                "missing_facts": ";".join(r.missing_facts),
                "undecided_by": ";".join(u["id"] for u in r.undecided_by),
                "findings": ";".join(
                    sorted({f.kind for f in a.findings if f.jurisdiction == r.jurisdiction})
                ),
            }
            for a in self.items
            for r in a.results
        ]
        return pa.Table.from_pylist(rows)

    def to_pandas(self):
        return self.to_arrow().to_pandas()


def _is_table(obj: Any) -> bool:
    module = type(obj).__module__
    return module.startswith("pandas") or module.startswith("pyarrow")


def assess(cases: Any, jurisdictions: Sequence[str] | str | None = None):
    """Assess cases under the Protocols and the encoded laws.

    `cases` may be a mapping in the case-facts format, a Case, a list of them, a path to a
    YAML/JSON file (→ `Assessment` with traces), or a pandas DataFrame / Arrow table / path to a
    CSV or Parquet batch with one column per dotted fact path (→ pandas DataFrame of verdicts from
    the vectorized engine).
    """
    if isinstance(jurisdictions, str):
        jurisdictions = split_codes(jurisdictions)
    corpus = default_corpus()
    if isinstance(cases, (str, Path)):
        path = Path(cases)
        if path.suffix.lower() in (".csv", ".parquet"):
            return assess_batch(read_table(path), jurisdictions, corpus).to_pandas()
        return Assessment(assess_cases(load_cases(path), jurisdictions, corpus))
    if _is_table(cases):
        return assess_batch(table_from_frame(cases), jurisdictions, corpus).to_pandas()
    if isinstance(cases, (dict, Case)):
        cases = [cases]
    return Assessment(assess_cases(cases_from_objects(cases), jurisdictions, corpus))
