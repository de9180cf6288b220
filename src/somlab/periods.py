"""Dates as the case facts, law tables and batches write them: ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
from typing import Any


def parse_date(value: Any) -> dt.date:
    """A `YYYY-MM-DD` date (or a date object); raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
