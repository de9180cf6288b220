"""What every loader shares: vintages as mapping tables, header matching, rejected-row bookkeeping."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields

from somlab.evidence.errors import DataFileError
from somlab.evidence.loaders.dates import parse_month, parse_year_month
from somlab.evidence.reading import RawTable

MAX_COUNT = 2**31 - 1  # the store keeps counts as 32-bit integers; no published count comes near


@dataclass(slots=True, kw_only=True)
class RowRecord:
    """What every loader record has: the file row it was read on and the year (and month) it is about."""

    row_number: int
    year: int
    month: int | None = None


@dataclass(slots=True, kw_only=True)
class FactRecord(RowRecord):
    """What incidents and counts share: their series and grain, and the place they are about."""

    dataset: str
    grain: str
    route: str | None = None
    region: str | None = None
    country: str | None = None


@dataclass(slots=True, kw_only=True)
class IncidentRecord(FactRecord):
    """One incident of a death-and-missing list (the store's `incidents` table)."""

    dead_missing: int
    dead: int | None = None
    missing: int | None = None
    survivors: int | None = None
    incident_id: str | None = None
    incident_type: str | None = None
    date: dt.date | None = None
    cause: str | None = None


@dataclass(slots=True, kw_only=True)
class CountRecord(FactRecord):
    """One count of a series (the store's `counts` table): `field` is the column it was read in,
    `value` None where the publisher marks it not available, `flag` the publisher's flag or the
    reference it was copied from."""

    field: str
    measure: str
    value: int | None
    nationality: str | None = None
    border_type: str | None = None
    flag: str | None = None


@dataclass(slots=True, kw_only=True)
class FigureRecord(RowRecord):
    """One figure as published (the store's `published_figures` table): a value, or a range
    low-high with value None."""

    series: str
    period_type: str
    value_low: int
    value_high: int
    publisher: str
    address: str
    value: int | None = None
    geo: str | None = None
    departure_country: str | None = None
    as_of: dt.date | None = None
    unit: str | None = None
    quote: str | None = None
    note: str | None = None


def record_columns(record_type: type) -> tuple[str, ...]:
    """The store columns a record type fills, in the order of its fields."""
    return tuple(item.name for item in fields(record_type))


@dataclass(frozen=True)
class Vintage:
    """One version of a publisher's layout: canonical field -> the column label in that version."""

    name: str
    columns: Mapping[str, str]
    options: Mapping[str, object] = field(default_factory=dict)


def _norm(label: str) -> str:
    return re.sub(r"\s+", " ", label.replace("\ufeff", "")).strip().casefold()


def match_score(header: list[str], vintage: Vintage) -> int:
    """Number of the vintage's columns found in the header; -1 when any is missing."""
    present = {_norm(label) for label in header}
    wanted = {_norm(label) for label in vintage.columns.values()}
    return len(wanted) if wanted <= present else -1


def choose_vintage(
    table: RawTable, vintages: tuple[Vintage, ...], source: str
) -> tuple[Vintage, dict[str, int]]:
    """The vintage whose columns all appear in the header (the most specific), with column indexes."""
    scored = [(match_score(table.header, vintage), vintage) for vintage in vintages]
    score, best = max(scored, key=lambda pair: pair[0])
    if score < 0:
        present = {_norm(label) for label in table.header}
        closest = max(vintages, key=lambda v: len({_norm(c) for c in v.columns.values()} & present))
        wanted = {_norm(c) for c in closest.columns.values()}
        missing = [c for c in closest.columns.values() if _norm(c) not in present]
        unmapped = [label for label in table.header if _norm(label) not in wanted]
        raise DataFileError(
            table.path,
            f"header matches no known {source} layout; closest is '{closest.name}', "
            f"which lacks {missing}; columns it could not map: {unmapped}",
            row=1,
            hint="if the publisher changed its layout, add a vintage mapping table to the loader",
        )
    index = {_norm(label): position for position, label in enumerate(table.header)}
    return best, {name: index[_norm(label)] for name, label in best.columns.items()}


@dataclass
class Loaded:
    """The outcome of loading one file: its facts (incidents, counts, published figures), and
    every row not kept."""

    source: str
    vintage: str
    incidents: list[IncidentRecord] = field(default_factory=list)
    counts: list[CountRecord] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # row, field, reason
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)  # kept as published

    @property
    def facts_loaded(self) -> int:
        """How many incidents and counts were read (the provenance's rows loaded)."""
        return len(self.incidents) + len(self.counts)

    def reject(self, row: int, field_name: str, reason: str) -> None:
        self.rejected.append((row, field_name, reason))

    def reject_count(self, row: int, field_name: str, error: ValueError) -> None:
        """Reject a row whose count did not parse (see parse_count)."""
        reason = str(error)
        self.reject(
            row,
            field_name,
            "negative count"
            if "negative" in reason
            else "count out of range"
            if "out of range" in reason
            else "unparseable count",
        )

    def year_and_month(
        self,
        row: int,
        cells: Sequence[object],
        at: Mapping[str, int],
        field_name: str,
        month_required: bool = True,
    ) -> tuple[int, int | None] | None:
        """(year, month) from a row's ``year`` and ``month`` columns, or None after rejecting the
        row under ``field_name`` when either does not parse or a required one is missing."""
        try:
            year, month = parse_year(cells[at["year"]]), parse_month(cells[at["month"]])
        except ValueError:
            year = month = None
        if year is None or (month_required and month is None):
            self.reject(row, field_name, "missing or unparseable year or month")
            return None
        return year, month

    def dated_count(
        self,
        row: int,
        cells: Sequence[object],
        at: Mapping[str, int],
        year_field: str,
        value_field: str,
        month_required: bool = True,
    ) -> tuple[int, int | None, int | None] | None:
        """(year, month, count) from a row's ``year``, ``month`` and ``value`` columns, or None
        after rejecting the row (see year_and_month and reject_count)."""
        period = self.year_and_month(row, cells, at, year_field, month_required)
        if period is None:
            return None
        try:
            value = parse_count(cells[at["value"]])
        except ValueError as error:
            self.reject_count(row, value_field, error)
            return None
        return (*period, value)

    def monthly_count(
        self, row: int, cells: Sequence[object], at: Mapping[str, int], columns: Mapping[str, str]
    ) -> tuple[int, int, int | None] | None:
        """(year, month, count) from a ``month`` column written YYYY-MM and a ``value`` column
        (IOM's gdidata layout), or None after rejecting the row under the column (its label in
        ``columns``) that did not parse."""
        try:
            year, month = parse_year_month(cells[at["month"]])
        except ValueError:
            self.reject(row, columns["month"], "missing or unparseable month")
            return None
        try:
            value = parse_count(cells[at["value"]])
        except ValueError as error:
            self.reject_count(row, columns["value"], error)
            return None
        return year, month, value

    def rows(self, table: RawTable) -> Iterator[tuple[int, Sequence[object]]]:
        """(row number, cells) of every row as wide as the header; counts each row read and
        rejects the ragged ones."""
        width = len(table.header)
        for index, row in enumerate(table.rows):
            number = table.row_number(index)
            self.rows_read += 1
            if len(row) != width:
                self.reject(number, "", f"expected {width} fields, found {len(row)}")
                continue
            yield number, row

    def warn(self, row: int, field_name: str, reason: str) -> None:
        self.warnings.append((row, field_name, reason))

    def reasons(self) -> dict[str, int]:
        return count_reasons(self.rejected)

    def warning_reasons(self) -> dict[str, int]:
        return count_reasons(self.warnings)

    @property
    def rejected_rows(self) -> int:
        return len({row for row, _, _ in self.rejected})


def count_reasons(items: list[tuple[int, str, str]]) -> dict[str, int]:
    """'field: reason' -> number of rows, most frequent first."""
    return dict(
        Counter(
            f"{field}: {reason}" if field else reason for _, field, reason in items
        ).most_common()
    )


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in {"", "NA", "N/A"})


def parse_count(value: object, *, thousands: bool = False) -> int | None:
    """A non-negative whole count, None when the cell is empty. Raises ValueError otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        if thousands:
            text = text.replace(",", "")
        number = float(text)
    if not math.isfinite(number) or number > MAX_COUNT:
        raise ValueError(f"count out of range: {value!r}")
    if number != int(number):
        raise ValueError(f"not a whole number: {value!r}")
    if number < 0:
        raise ValueError(f"negative count: {value!r}")
    return int(number)


def parse_year(value: object) -> int | None:
    count = parse_count(value)
    if count is not None and not 1900 <= count <= 2100:
        raise ValueError(f"year out of range: {value!r}")
    return count


def is_total_label(value: object) -> bool:
    """A cell that marks a totals or subtotal row rather than an observation."""
    return (
        isinstance(value, str)
        and value.lstrip()[:1] in _TOTAL_INITIALS
        and _norm(value).startswith(("total", "grand total", "subtotal", "sum"))
    )


_TOTAL_INITIALS = set("TtGgSs")


Loader = Callable[[RawTable], Loaded]
