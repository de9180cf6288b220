"""Shared vocabularies and code lists: the Protocol's objectives and comma-separated codes."""

from __future__ import annotations

# The four purposes of the Protocol (art 2) under which indicators and obligations are grouped.
OBJECTIVES = ("prevent", "prosecute", "protect", "cooperate")
# Review obligations may also be general (definitions, scope, final clauses).
REVIEW_OBJECTIVES = (*OBJECTIVES, "general")


def split_codes(value: str | None) -> list[str]:
    """The non-empty, stripped items of a comma-separated list (``"DE, FR,"`` -> ``["DE", "FR"]``)."""
    return [c.strip() for c in (value or "").split(",") if c.strip()]
