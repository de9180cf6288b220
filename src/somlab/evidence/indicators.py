"""Indicators computed from the store, in the `somlab.indicator/1` shape.

`compute(name, store, by=..., start=..., end=..., where=...)` returns one indicator of the
catalogue (`somlab.evidence.catalogue`) as a dict: its rows, the files they were read from and
the gaps; `trace` lists the file rows behind a summed value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from somlab.errors import SomlabInputError
from somlab.evidence.catalogue import CATALOGUE, Indicator, catalogue, indicator
from somlab.evidence.loaders import SOURCES
from somlab.evidence.measures import (
    NoSeries,
    Row,
    Selection,
    Summed,
    file_periods,
    month_text,
    provenance_of,
)
from somlab.evidence.snapshot import terms_by_sha
from somlab.evidence.store import Store, StoreError

__all__ = [
    "CATALOGUE",
    "SCHEMA",
    "Indicator",
    "catalogue",
    "compute",
    "indicator",
    "trace",
]

SCHEMA = "somlab.indicator/1"
StoreArgument = Store | str | Path | None


def compute(
    name: str,
    store: StoreArgument = None,
    *,
    by: tuple[str, ...] | list[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    where: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """The indicator as a `somlab.indicator/1` dict: rows of dimensions and value, the files
    used, gaps. A gap reads no store."""
    spec = indicator(name)
    breakdown = spec.measure.breakdown(spec, tuple(by) if by is not None else None)
    selection = Selection(breakdown, start, end, dict(where or {}))
    if isinstance(spec.measure, NoSeries):
        return _result(
            spec, breakdown, [], [], [f"{spec.title}: {spec.description} {spec.caveats}"]
        )
    with _opened(store) as handle, _reading(handle):
        rows, file_ids, gaps = spec.measure.rows(handle, spec, selection)
        return _result(spec, breakdown, rows, _sources(handle, file_ids), gaps)


def trace(
    name: str,
    store: StoreArgument = None,
    *,
    start: str | None = None,
    end: str | None = None,
    where: Mapping[str, object] | None = None,
    limit: int = 50,
) -> list[Row]:
    """The file rows behind an indicator's value for a selection: file, row number, field, value."""
    spec = indicator(name)
    if not isinstance(spec.measure, Summed):
        summed = ", ".join(entry.name for entry in CATALOGUE if isinstance(entry.measure, Summed))
        raise SomlabInputError(
            f"trace works on summed indicators, not {name}; trace one of {summed}", field="name"
        )
    if limit < 1:
        raise SomlabInputError(f"limit must be 1 or more, got {limit}", field="limit")
    where = dict(where or {})
    with _opened(store) as handle, _reading(handle):
        return spec.measure.trace(handle, spec, Selection(tuple(where), start, end, where), limit)


@contextmanager
def _opened(store: StoreArgument) -> Iterator[Store]:
    """The store given, or the one at the path given (the default store for None), opened for
    reading and closed after."""
    if isinstance(store, Store):
        yield store
        return
    with Store(store, read_only=True) as handle:
        yield handle


@contextmanager
def _reading(store: Store) -> Iterator[None]:
    """A store whose tables cannot be read (a truncated or damaged file) is a StoreError."""
    try:
        yield
    except duckdb.Error as error:
        raise StoreError(
            f"{store.path} could not be read ({error}); move it aside and ingest again, "
            "or choose another store with --store"
        ) from None


def _result(
    spec: Indicator, by: tuple[str, ...], rows: list[Row], sources: list[Row], gaps: list[str]
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "indicator": spec.name,
        "unit": spec.unit,
        "by": list(by),
        "rows": rows,
        "sources": sources,
        "gaps": gaps,
    }


def _sources(store: Store, file_ids: set[int]) -> list[Row]:
    """Each file used: its provenance, publisher, the period its data cover, and the terms of a
    bundled file (vintage, licence, attribution, address)."""
    records = provenance_of(store, file_ids)
    periods = file_periods(store, file_ids)
    bundled = terms_by_sha()
    for record in records:
        source = SOURCES.get(record["source"])
        record["publisher"] = source.PUBLISHER if source is not None else None
        record["ingested_at"] = record["ingested_at"].isoformat(timespec="seconds")
        first, last = periods.get(record["file_id"], (None, None))
        record["data_from"] = month_text(first) if first else None
        record["data_to"] = month_text(last) if last else None
        terms = bundled.get(record["sha256"], {})
        for key in ("data_vintage", "licence", "attribution", "address"):
            record[key] = terms.get(key)
    return records
