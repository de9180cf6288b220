"""What the app reads, opened once and shared by requests: cached conformity documents and case
register, the evidence store (read-only, one connection behind a lock) and the simulation jobs.
The corpus is `somlab.law.corpus.default_corpus()`, read-only."""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from pathlib import Path

from somlab.web.jobs import Jobs


class Context:
    def __init__(self, store: str | Path | None = None) -> None:
        from somlab.evidence.store import default_store_path

        self.store_path = Path(store) if store is not None else default_store_path()
        self._store = None
        self._lock = threading.Lock()
        self.jobs = Jobs()

    def has_store(self) -> bool:
        return self.store_path.exists()

    def indicator(self, name: str, **kwargs) -> dict:
        """`somlab.indicator/1` from the store; with no store, the indicator with no rows and
        the reason among its gaps (missing is shown as missing, never as zero)."""
        from somlab.evidence.indicators import SCHEMA, compute, indicator

        spec = indicator(name)
        if spec.gap or not self.has_store():
            if spec.gap:
                return compute(name)
            return {"schema": SCHEMA, "indicator": name, "unit": spec.unit, "by": [], "rows": [],
                    "sources": [], "gaps": [f"no evidence store at {self.store_path}; ingest data "
                                            "with `somlab data ingest FILE...`"]}
        with self._lock:
            if self._store is None:
                from somlab.evidence.store import Store

                self._store = Store(self.store_path, read_only=True)
            return compute(name, self._store, **kwargs)

    def close(self) -> None:
        self.jobs.shutdown()
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


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
