"""Dates as the case facts, law tables and batches write them: ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# the one written form of a date; `date.fromisoformat` alone would also take 20190827 or 2019-W35-2
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_date(value: Any) -> dt.date:
    """A `YYYY-MM-DD` date (or a date object); raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        return dt.date.fromisoformat(value.strip())
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
