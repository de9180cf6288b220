"""How each kind of indicator is computed from the store: one strategy per kind.

A kind is a frozen dataclass whose `rows` returns the indicator's rows, the files they were read
from and the gaps. `IncidentSum` and `CountSum` sum facts, `DeathRate` divides dead and missing by
crossings, `PublishedFigures` lists figures as published, `NoSeries` is a gap with no data.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from somlab.errors import SomlabInputError

if TYPE_CHECKING:  # the catalogue stays importable without the store's database libraries
    from somlab.evidence.store import Store

Row = dict[str, Any]
Rows = tuple[list[Row], set[int], list[str]]  # rows, file ids used, gaps

# Arrival series used as the death-rate base, most preferred first (per route, the first one present).
ARRIVAL_PREFERENCE = (
    "iom_dtm_arrivals",
    "unhcr_arrivals",
    "uk_small_boats",
    "somlab_tidy",
    "italy_sea_arrivals_total",
)
DEATH_RATE_BASES = {
    "arrival": "arrivals",
    "arrival_interception": "arrivals + interceptions (boats returned to the departure coast)",
    "departure": "departures = arrivals + interceptions + dead and missing",
}


@dataclass(frozen=True)
class Scope:
    """What a kind reads of an indicator's definition (`somlab.evidence.catalogue.Indicator`):
    its name, the dimensions it can be broken down by, the breakdown used when none is asked,
    the dimensions every breakdown keeps, and the store datasets it reads."""

    name: str
    _: KW_ONLY
    dims: tuple[str, ...] = ()
    default_by: tuple[str, ...] = ("year",)
    always_by: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """What a caller asks of an indicator: the breakdown, the period (YYYY or YYYY-MM, open ends
    None) and filters on dimensions."""

    by: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    where: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Query:
    """A filtered selection of fact rows: the FROM/WHERE part shared by totals and traces."""

    table: str
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def sql_from(self) -> str:
        current = "JOIN current_files USING (dataset, grain, year, file_id)"
        return f"FROM {self.table} {current} WHERE " + (" AND ".join(self.where) or "TRUE")

    def add_period(self, start: str | None, end: str | None) -> None:
        if (bound := period(start, "from")) is not None:
            year, month = bound
            self.where.append("(year > ? OR (year = ? AND (month IS NULL OR month >= ?)))")
            self.params += [year, year, month or 1]
        if (bound := period(end, "to")) is not None:
            year, month = bound
            self.where.append("(year < ? OR (year = ? AND (month IS NULL OR month <= ?)))")
            self.params += [year, year, month or 12]

    def add_where(self, where: Mapping[str, object], allowed: tuple[str, ...]) -> None:
        for dim, value in where.items():
            if dim not in allowed:
                raise SomlabInputError(
                    f"cannot filter on {dim!r}; dimensions: {', '.join(allowed)}", field="where"
                )
            if value is None:
                self.where.append(f"{dim} IS NULL")
            else:
                self.where.append(f"CAST({dim} AS VARCHAR) = ?")
                self.params.append(str(value))

    def selecting(self, selection: Selection, allowed: tuple[str, ...]) -> Query:
        self.add_period(selection.start, selection.end)
        self.add_where(selection.where, allowed)
        return self


def period(value: str | None, field_name: str) -> tuple[int, int | None] | None:
    """(year, month or None) of a period written YYYY or YYYY-MM."""
    if value is None:
        return None
    parts = str(value).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        raise SomlabInputError(
            f"period {value!r} is not YYYY or YYYY-MM", field=field_name
        ) from None
    if month is not None and not 1 <= month <= 12:
        raise SomlabInputError(f"period {value!r} has no month {month}", field=field_name)
    return year, month


def fetch(store: Store, sql: str, params: list[object]) -> list[Row]:
    cursor = store.connection.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _provenance(
    store: Store, columns: str, file_ids: set[int], condition: str = "TRUE"
) -> list[Row]:
    """Provenance rows of the given files, in file order."""
    if not file_ids:
        return []
    ids = ", ".join(str(int(i)) for i in sorted(file_ids))
    return fetch(
        store,
        f"SELECT {columns} FROM provenance WHERE {condition} AND file_id IN ({ids}) ORDER BY file_id",
        [],
    )


def provenance_of(store: Store, file_ids: set[int]) -> list[Row]:
    """What the store records of each file: name, sha256, source, vintage, rows, ingest time."""
    columns = "file_id, file_name, sha256, source, vintage, rows_loaded, ingested_at"
    return _provenance(store, columns, file_ids)


def rejections(store: Store, file_ids: set[int]) -> list[str]:
    """One gap line per file with rows not used, and why."""
    records = _provenance(
        store, "file_name, rows_rejected, rejections", file_ids, "rows_rejected > 0"
    )
    return [
        f"{r['file_name']}: {r['rows_rejected']} rows not used ({r['rejections']})" for r in records
    ]


def file_periods(store: Store, file_ids: set[int]) -> dict[int, tuple[int, int]]:
    """First and last month (YYYYMM) each file's data cover; a yearly figure covers its year. An
    incident list covers from January of its first year (a month without an incident is covered
    too), a series from its first value."""
    if not file_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(file_ids))
    records = fetch(
        store,
        f"SELECT file_id, min(first) AS first, max(year * 100 + coalesce(month, 12)) AS last FROM ("
        f"SELECT file_id, year * 100 + 1 AS first, year, month FROM incidents WHERE file_id IN ({ids}) "
        f"UNION ALL SELECT file_id, year * 100 + coalesce(month, 1), year, month FROM counts "
        f"WHERE file_id IN ({ids}) UNION ALL SELECT file_id, year * 100 + coalesce(month, 1), year, month "
        f"FROM published_figures WHERE file_id IN ({ids})) GROUP BY file_id",
        [],
    )
    return {r["file_id"]: (r["first"], r["last"]) for r in records}


def month_text(value: int) -> str:
    return f"{value // 100:04d}-{value % 100:02d}"


def _month_number(year: int, month: int | None, last: bool) -> int:
    return year * 100 + (month or (12 if last else 1))


def _row_period(
    row: Row, by: tuple[str, ...], selection: Selection
) -> tuple[int | None, int | None]:
    """The months (YYYYMM) a row stands for: its month or its year within the selection, or the
    selection itself (open ends None)."""
    start, end = period(selection.start, "from"), period(selection.end, "to")
    first = _month_number(*start, False) if start else None
    last = _month_number(*end, True) if end else None
    if "year" in by and row.get("year") is not None:
        month = row.get("month") if "month" in by else None
        own_first = _month_number(row["year"], month, False)
        own_last = _month_number(row["year"], month, True)
        return max(own_first, first or 0), min(own_last, last or 999999)
    return first, last


def _coverage(
    periods: dict[int, tuple[int, int]], files: list[int], first: int | None, last: int | None
) -> dict[str, Any]:
    """The period the data behind a value cover (the files' reach, within the row's period), and
    whether that is the whole period; `complete` is None for a total over open-ended data."""
    spans = [periods[f] for f in files if f in periods]
    if not spans:
        return {"first": None, "last": None, "complete": None}
    covered_first = max(min(a for a, _ in spans), first or 0)
    covered_last = min(max(b for _, b in spans), last or 999999)
    complete = (
        None if first is None or last is None else (covered_first, covered_last) == (first, last)
    )
    return {
        "first": month_text(covered_first),
        "last": month_text(covered_last),
        "complete": complete,
    }


def _span(coverage: dict[str, Any]) -> str:
    return f"{coverage['first']} to {coverage['last']}"


class ByDimensions:
    """A kind broken down by the indicator's dimensions and its own `extra_dims`; the
    indicator's `always_by` dimensions come first."""

    extra_dims: tuple[str, ...] = ()

    def breakdown(self, spec: Scope, asked: tuple[str, ...] | None) -> tuple[str, ...]:
        by = spec.default_by if asked is None else asked
        unknown = [dim for dim in by if dim not in spec.dims + self.extra_dims]
        if unknown:
            raise SomlabInputError(
                f"{spec.name} cannot be broken down by {unknown}; dimensions: {', '.join(spec.dims)}",
                field="by",
            )
        ordered = tuple(dim for dim in spec.always_by if dim not in by) + tuple(by)
        return tuple(dict.fromkeys(ordered))


class Summed(ByDimensions, ABC):
    """A sum of one column of fact rows, by any of the indicator's dimensions; each row with the
    period its files cover, each source cell without a value reported as a gap."""

    table: str
    column: str
    field_label: str  # what a trace names as the field: a column label or the file's own column
    # values of series add up: a chart may sum the smallest series as "other"
    adds_up: ClassVar[bool] = True

    @abstractmethod
    def query(self, spec: Scope, selection: Selection) -> Query:
        """The fact rows the sum is over."""

    def rows(self, store: Store, spec: Scope, selection: Selection) -> Rows:
        by = selection.by
        query = self.query(spec, selection)
        group = ", ".join(by)
        select = f"{group}, " if by else ""
        sql = (
            f"SELECT {select}sum({self.column}) AS value, "
            f"count(*) FILTER (WHERE {self.column} IS NULL) AS n_missing, "
            f"count(*) AS n_cells, list(DISTINCT file_id) AS files {query.sql_from()} "
            + (f"GROUP BY {group} ORDER BY {group}" if by else "")
        )
        records = [r for r in fetch(store, sql, query.params) if r["n_cells"]]
        periods = file_periods(store, {f for r in records for f in r["files"]})
        rows: list[Row] = []
        file_ids: set[int] = set()
        gaps: list[str] = []
        for record in records:
            files = record.pop("files")
            file_ids.update(files)
            missing, cells = record.pop("n_missing"), record.pop("n_cells")
            record["coverage"] = _coverage(periods, files, *_row_period(record, by, selection))
            if missing:
                label = ", ".join(f"{dim}={record[dim]}" for dim in by) or "total"
                gaps.append(
                    f"{label}: {missing} of {cells} source cells have no value; "
                    + ("the sum covers the others" if missing < cells else "no value")
                )
            rows.append(record)
        if not rows:
            gaps.append(
                f"no {spec.name} data in the store for this selection "
                f"(datasets: {', '.join(spec.datasets)})"
            )
        return rows, file_ids, gaps + rejections(store, file_ids)

    def trace(self, store: Store, spec: Scope, selection: Selection, limit: int) -> list[Row]:
        """The file rows behind the sum: file, row number, field, value."""
        query = self.query(spec, selection)
        return fetch(
            store,
            f"SELECT p.file_name AS file, row_number AS row, {self.field_label} AS field, "
            f"{self.column} AS value FROM (SELECT * {query.sql_from()}) JOIN provenance p USING (file_id) "
            f"ORDER BY file_id, row_number LIMIT {int(limit)}",
            query.params,
        )


@dataclass(frozen=True)
class IncidentSum(Summed):
    """Dead and missing summed over the incidents of a death-and-missing list."""

    table = "incidents"
    column = "dead_missing"
    field_label = "'Total Number of Dead and Missing'"
    extra_dims = ("dataset",)

    def query(self, spec: Scope, selection: Selection) -> Query:
        return Query(self.table).selecting(selection, spec.dims + self.extra_dims)


@dataclass(frozen=True)
class CountSum(Summed):
    """Counts of the given measures summed. Where a series has a total grain and a nationality
    grain (`by_grain`), the total is read unless nationality is asked for, so that nothing is
    counted twice; a series of one grain is read whole."""

    measures: tuple[str, ...]
    by_grain: bool = True

    table = "counts"
    column = "value"
    field_label = "field"
    extra_dims = ("dataset", "measure")

    def query(self, spec: Scope, selection: Selection) -> Query:
        query = Query(self.table)
        query.where.append("measure IN (" + ", ".join("?" for _ in self.measures) + ")")
        query.params += list(self.measures)
        if self.by_grain:
            asked = "nationality" in selection.by or "nationality" in selection.where
            query.where.append("grain = ?")
            query.params.append("nationality" if asked else "total")
        query.where.append("dataset IN (" + ", ".join("?" for _ in spec.datasets) + ")")
        query.params += list(spec.datasets)
        return query.selecting(selection, spec.dims + self.extra_dims)


@dataclass(frozen=True)
class DeathRate(ByDimensions):
    """Dead and missing on a route and period per 1,000 crossings of that route and period, on
    each base of DEATH_RATE_BASES that the data allow; arrivals from the first series of
    ARRIVAL_PREFERENCE present on the route."""

    adds_up: ClassVar[bool] = False  # rates do not add up

    extra_dims = ("base",)

    def rows(self, store: Store, spec: Scope, selection: Selection) -> Rows:
        keys = tuple(dim for dim in selection.by if dim != "base")
        group = ", ".join(keys)
        deaths = Query("incidents", ["route IS NOT NULL"]).selecting(selection, spec.dims)
        crossings = Query(
            "counts", ["grain = 'total'", "measure IN ('arrivals', 'interceptions')"]
        ).selecting(selection, spec.dims)
        preference = (
            "CASE dataset "
            + " ".join(
                f"WHEN '{series}' THEN {rank}" for rank, series in enumerate(ARRIVAL_PREFERENCE)
            )
            + " ELSE 99 END"
        )
        order = ", ".join(f"d.{dim}" for dim in keys)
        sql = f"""
            WITH deaths AS (
                SELECT {group}, sum(dead_missing) AS dead, list(DISTINCT file_id) AS files
                {deaths.sql_from()} GROUP BY {group}),
            flows AS (
                SELECT dataset, measure, {group}, sum(value) AS n,
                       count(*) FILTER (WHERE value IS NULL) AS n_missing, list(DISTINCT file_id) AS files
                {crossings.sql_from()} GROUP BY dataset, measure, {group}),
            chosen AS (
                SELECT {group}, arg_min(dataset, {preference}) AS dataset FROM flows
                WHERE measure = 'arrivals' GROUP BY {group}),
            arrivals AS (
                SELECT flows.* FROM flows JOIN chosen USING ({group}, dataset) WHERE measure = 'arrivals'),
            interceptions AS (SELECT * FROM flows WHERE measure = 'interceptions')
            SELECT {order}, d.dead, d.files AS death_files,
                   a.dataset, a.n AS arrivals, a.n_missing, a.files AS arrival_files,
                   i.n AS intercepted, i.files AS interception_files
            FROM deaths d JOIN arrivals a USING ({group}) LEFT JOIN interceptions i USING ({group})
            ORDER BY {order}
        """
        records = fetch(store, sql, deaths.params + crossings.params)
        sides = ("death_files", "arrival_files", "interception_files")
        periods = file_periods(
            store, {f for r in records for side in sides for f in (r[side] or [])}
        )
        rows: list[Row] = []
        file_ids: set[int] = set()
        gaps: list[str] = []
        lacking_interceptions = []
        for record in records:
            key = {dim: record[dim] for dim in keys}
            label = ", ".join(f"{dim}={value}" for dim, value in key.items()) or "total"
            if record["n_missing"]:
                gaps.append(
                    f"{label}: {record['n_missing']} arrival cells of {record['dataset']} have no value"
                )
            if not record["arrivals"]:
                gaps.append(f"{label}: no arrivals recorded in {record['dataset']}; no rate")
                continue
            row_period = _row_period(key, keys, selection)
            death_cover = _coverage(periods, record["death_files"], *row_period)
            arrival_cover = _coverage(periods, record["arrival_files"], *row_period)
            if _span(death_cover) != _span(arrival_cover):
                gaps.append(
                    f"{label}: dead and missing cover {_span(death_cover)}, arrivals "
                    f"({record['dataset']}) cover {_span(arrival_cover)}; not the same period, no rate"
                )
                continue
            file_ids.update(record["death_files"] + record["arrival_files"])
            dead, arrivals, intercepted = record["dead"], record["arrivals"], record["intercepted"]
            bases = {"arrival": arrivals}
            if intercepted is None:
                lacking_interceptions.append(label)
            else:
                interception_cover = _coverage(periods, record["interception_files"], *row_period)
                if _span(interception_cover) != _span(death_cover):
                    gaps.append(
                        f"{label}: interceptions cover {_span(interception_cover)}, dead and missing "
                        f"{_span(death_cover)}; no rate on the bases with interceptions"
                    )
                else:
                    file_ids.update(record["interception_files"])
                    bases["arrival_interception"] = arrivals + intercepted
                    bases["departure"] = arrivals + intercepted + dead
            for base, crossings_n in bases.items():
                rows.append(
                    {
                        **key,
                        "base": base,
                        "value": round(1000 * dead / crossings_n, 3),
                        "coverage": death_cover,
                        "arrivals_from": record["dataset"],
                    }
                )
        if lacking_interceptions:
            shown = "; ".join(lacking_interceptions[:5]) + (
                "; ..." if len(lacking_interceptions) > 5 else ""
            )
            gaps.append(
                "bases 'arrival_interception' and 'departure' need interceptions, absent for "
                f"{len(lacking_interceptions)} route-periods ({shown})"
            )
        if not rows:
            gaps.append(
                "no route and period with both dead and missing (IOM MMP) and arrivals in the store"
            )
        return rows, file_ids, gaps + rejections(store, file_ids)


FIGURE_BY = ("series", "geo", "year")
FIGURE_FIELDS = (
    "series", "geo", "departure_country", "year", "month", "period_type", "as_of", "value",
    "value_low", "value_high", "unit", "publisher", "address", "note",
)  # fmt: skip
_FIGURE_FILTERS = ("series", "geo", "departure_country", "year", "period_type", "publisher")


@dataclass(frozen=True)
class PublishedFigures:
    """Figures of the given series, each as published with its publisher and address, never summed."""

    series: tuple[str, ...]
    adds_up: ClassVar[bool] = False  # figures of different publishers and periods, side by side

    def breakdown(self, spec: Scope, asked: tuple[str, ...] | None) -> tuple[str, ...]:
        return FIGURE_BY

    def rows(self, store: Store, spec: Scope, selection: Selection) -> Rows:
        query = Query(
            "published_figures",
            ["series IN (" + ", ".join("?" for _ in self.series) + ")"],
            list(self.series),
        )
        query.add_period(selection.start, selection.end)
        query.add_where(selection.where, _FIGURE_FILTERS)
        records = fetch(
            store,
            f"SELECT file_id, {', '.join(FIGURE_FIELDS)} FROM published_figures "
            f"WHERE {' AND '.join(query.where)} "
            "ORDER BY series, geo, year, month, file_id, row_number",
            query.params,
        )
        file_ids = {r.pop("file_id") for r in records}
        for record in records:
            if record["as_of"] is not None:
                record["as_of"] = record["as_of"].isoformat()
            complete = record["period_type"] in ("calendar_year", "month", "stock_end_of_year")
            record["coverage"] = {"first": None, "last": record["as_of"], "complete": complete}
        gaps = (
            []
            if records
            else [f"no published figures for {spec.name} in the store for this selection"]
        )
        return records, file_ids, gaps


@dataclass(frozen=True)
class NoSeries:
    """A gap: no machine-readable series was found; the indicator lists why and reads no store."""

    adds_up: ClassVar[bool] = False

    def breakdown(self, spec: Scope, asked: tuple[str, ...] | None) -> tuple[str, ...]:
        return ()


Measure = IncidentSum | CountSum | DeathRate | PublishedFigures | NoSeries
