"""What the app holds across requests: the evidence store (through `EvidenceReader`: short-lived
read-only connections, answers cached by store version) and the simulation jobs. The cached
conformity documents and case register are `somlab.presentation.documents`; the corpus is
`somlab.law.corpus.default_corpus()`."""

from __future__ import annotations

from pathlib import Path

from somlab.evidence.indicators import SCHEMA, compute, indicator
from somlab.evidence.store import StoreError, default_store_path
from somlab.web.evidence_reader import EvidenceReader
from somlab.web.jobs import Jobs


class Context:
    def __init__(self, store: str | Path | None = None) -> None:
        self.store_path = Path(store) if store is not None else default_store_path()
        self.reader = EvidenceReader(self.store_path)
        self.jobs = Jobs()

    def has_store(self) -> bool:
        return self.store_path.exists()

    def indicator(self, name: str, **kwargs) -> dict:
        """`somlab.indicator/1` from the store; with no store, the indicator with no rows and
        the reason among its gaps (missing is shown as missing, never as zero). Raises
        StoreError when the store cannot be read."""
        if indicator(name).gap:
            return compute(name)
        if not self.has_store():
            return self.empty(
                name,
                f"no evidence store at {self.store_path}; ingest data with "
                "`somlab data ingest FILE...`",
            )
        return self.reader.indicator(name, **kwargs)

    def shown(self, name: str, **kwargs) -> tuple[dict, str | None]:
        """For pages: the indicator and None, or an empty indicator and the store's problem."""
        try:
            return self.indicator(name, **kwargs), None
        except StoreError as error:
            return self.empty(name, str(error)), str(error)

    @staticmethod
    def empty(name: str, reason: str) -> dict:
        return {
            "schema": SCHEMA,
            "indicator": name,
            "unit": indicator(name).unit,
            "by": [],
            "rows": [],
            "sources": [],
            "gaps": [reason],
        }

    def close(self) -> None:
        self.jobs.shutdown()
