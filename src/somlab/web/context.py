"""What the app reads, shared by requests: cached conformity documents and case register, the
evidence store (through `EvidenceReader`: short-lived read-only connections, answers cached by
store version) and the simulation jobs. The corpus is `somlab.law.corpus.default_corpus()`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from somlab.web.evidence_reader import EvidenceReader
from somlab.web.jobs import Jobs


class Context:
    def __init__(self, store: str | Path | None = None) -> None:
        from somlab.evidence.store import default_store_path

        self.store_path = Path(store) if store is not None else default_store_path()
        self.reader = EvidenceReader(self.store_path)
        self.jobs = Jobs()

    def has_store(self) -> bool:
        return self.store_path.exists()

    def indicator(self, name: str, **kwargs) -> dict:
        """`somlab.indicator/1` from the store; with no store, the indicator with no rows and
        the reason among its gaps (missing is shown as missing, never as zero). Raises
        StoreError when the store cannot be read."""
        from somlab.evidence.indicators import compute, indicator

        if indicator(name).gap:
            return compute(name)
        if not self.has_store():
            return self.empty(name, f"no evidence store at {self.store_path}; ingest data with "
                                    "`somlab data ingest FILE...`")
        return self.reader.indicator(name, **kwargs)

    def shown(self, name: str, **kwargs) -> tuple[dict, str | None]:
        """For pages: the indicator and None, or an empty indicator and the store's problem."""
        from somlab.evidence.store import StoreError

        try:
            return self.indicator(name, **kwargs), None
        except StoreError as error:
            return self.empty(name, str(error)), str(error)

    @staticmethod
    def empty(name: str, reason: str) -> dict:
        from somlab.evidence.indicators import SCHEMA, indicator

        return {"schema": SCHEMA, "indicator": name, "unit": indicator(name).unit, "by": [],
                "rows": [], "sources": [], "gaps": [reason]}

    def close(self) -> None:
        self.jobs.shutdown()


@lru_cache(maxsize=16)
def conformity_doc(as_of: dt.date, codes: tuple[str, ...] | None = None) -> dict:
    """The conformity document (the corpus is read-only, so a date's answer never changes)."""
    from somlab.conformity.profile import conformity

    return conformity(as_of, list(codes) if codes else None)


@lru_cache(maxsize=1)
def register_items() -> tuple:
    """The bundled case register, each case qualified under UN-SOM, UN-TIP and its forum's law."""
    from somlab.register.analysis import qualify
    from somlab.register.load import load_register

    return tuple(qualify(load_register()))


def filter_cases(items, category: str | None = None, forum: str | None = None,
                 outcome: str | None = None) -> list:
    from somlab.register.analysis import outcome_key

    return [q for q in items if (not category or q.entry.category == category)
            and (not forum or q.entry.forum == forum)
            and (not outcome or outcome_key(q.entry) == outcome)]
