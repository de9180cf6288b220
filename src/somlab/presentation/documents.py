"""The documents the pages and the report are made of, computed once per process: the corpus is
read-only, so a date's conformity document and the qualified case register never change while
the process runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from somlab.conformity.profile import conformity
from somlab.register.analysis import Qualification, outcome_key, qualify
from somlab.register.load import load_register


@lru_cache(maxsize=16)
def conformity_doc(as_of: dt.date, codes: tuple[str, ...] | None = None) -> dict:
    """The conformity document of the jurisdictions (all of them when `codes` is None)."""
    return conformity(as_of, list(codes) if codes else None)


@lru_cache(maxsize=1)
def register_items() -> tuple[Qualification, ...]:
    """The bundled case register, each case qualified under UN-SOM, UN-TIP and its forum's law."""
    return tuple(qualify(load_register()))


def filter_cases(
    items: Iterable[Qualification],
    category: str | None = None,
    forum: str | None = None,
    outcome: str | None = None,
) -> list[Qualification]:
    """The cases of the register that match every filter given."""
    return [
        q
        for q in items
        if (not category or q.entry.category == category)
        and (not forum or q.entry.forum == forum)
        and (not outcome or outcome_key(q.entry) == outcome)
    ]
