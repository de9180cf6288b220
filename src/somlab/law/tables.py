"""The small CSV tables beside the corpus (treaty parties, EU Member States): rows with their
line numbers once the header has the columns asked for, and dates read with the cell named."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from somlab.errors import SomlabInputError
from somlab.periods import parse_date


def table_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, record) for each data row; a missing column is an error on row 1."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise SomlabInputError(f"missing columns: {', '.join(missing)}", file=str(path), row=1)
        for row, rec in enumerate(reader, start=2):
            yield row, {k: v or "" for k, v in rec.items() if k is not None}


def table_date(value: str, file: str, row: int, field: str) -> dt.date | None:
    """A YYYY-MM-DD cell, or None where it is empty."""
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise SomlabInputError(
            f"expected a date YYYY-MM-DD, got {value!r}", file=file, row=row, field=field
        ) from None
