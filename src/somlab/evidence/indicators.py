"""Named, documented indicators grouped by Protocol objective, computed from the store.

`compute(name, store, by=..., start=..., end=..., where=...)` returns the indicator as a dict in the
`somlab.indicator/1` shape; `catalogue()` lists every indicator, the gaps included.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.evidence.store import Store, StoreError

SCHEMA = "somlab.indicator/1"
# Arrival series used as the death-rate base, most preferred first (per route, the first one present).
ARRIVAL_PREFERENCE = ("iom_dtm_arrivals", "unhcr_arrivals", "uk_small_boats", "somlab_tidy", "italy_sea_arrivals_total")
DEATH_RATE_BASES = {
    "arrival": "arrivals",
    "arrival_interception": "arrivals + interceptions (boats returned to the departure coast)",
    "departure": "departures = arrivals + interceptions + dead and missing",
}


@dataclass(frozen=True)
class Indicator:
    name: str
    objective: str
    title: str
    unit: str
    base: str
    description: str
    caveats: str
    dims: tuple[str, ...] = ()
    default_by: tuple[str, ...] = ("year",)
    always_by: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    gap: bool = False
    series: tuple[str, ...] = ()  # published figures listed as published (no sums)

    def as_dict(self) -> dict:
        return {
            "indicator": self.name, "objective": self.objective, "title": self.title, "unit": self.unit,
            "base": self.base, "description": self.description, "caveats": self.caveats,
            "dims": list(self.dims), "datasets": list(self.datasets), "gap": self.gap,
            "figures": bool(self.series),
        }


_CATALOGUE = (
    Indicator(
        "dead_missing", "protect", "Migrants recorded dead or missing", "persons",
        "incidents recorded by IOM Missing Migrants Project",
        "Sum of 'Total Number of Dead and Missing' over incidents, from the most recent IOM export "
        "ingested for each year (older exports are superseded, never added).",
        "A floor, not a count: bodies never found and shipwrecks without survivors go unrecorded. "
        "'Cumulative Incident' rows aggregate deaths over a period. Region and route are IOM's labels; "
        "a row with no route is shown with route null.",
        ("year", "month", "route", "region", "country", "cause", "incident_type"),
        datasets=("iom_mmp",),
    ),
    Indicator(
        "death_rate", "protect", "Dead and missing per 1,000 crossings, by route", "per 1,000 crossings",
        "three bases: " + "; ".join(f"{k} = {v}" for k, v in DEATH_RATE_BASES.items()),
        "dead_missing on a route and period divided by the crossings on that route and period, times "
        "1,000 (1000 / value gives IOM's '1 in N'). Arrivals, per route and period: IOM DTM, else UNHCR, else UK Home Office, else Italy's published yearly totals (the row's arrivals_from).",
        "Published rates differ 2-3x with the base alone. A base without data is listed under gaps, "
        "never computed as zero. Deaths are by route of incident, arrivals by country of arrival.",
        ("year", "month", "route"), always_by=("route", "base"),
        datasets=("iom_mmp", "iom_dtm_arrivals", "unhcr_arrivals", "uk_small_boats", "somlab_tidy"),
    ),
    Indicator(
        "detections", "prevent", "Detections of illegal border-crossings (Frontex)", "detections",
        "detections at the EU external border",
        "Sum of Frontex monthly detections, by route, border type and nationality.",
        "Counts detections, not persons: one person crossing twice is detected twice (2015: Western "
        "Balkans detections largely re-count Eastern Mediterranean arrivals).",
        ("year", "month", "route", "nationality", "border_type"), datasets=("frontex_ibc",),
    ),
    Indicator(
        "arrivals", "prevent", "Irregular arrivals by sea and land", "persons",
        "arrivals recorded by national authorities, compiled by IOM DTM, UNHCR or the UK Home Office",
        "Sum of arrivals. Each publisher is a separate series (the `dataset` column), never summed together.",
        "Country coverage differs by series and period; UK figures are provisional. Spain is split into "
        "Western Mediterranean and Atlantic (Canaries) in IOM DTM, not in UNHCR.",
        ("year", "month", "route", "country", "nationality", "border_type"), always_by=("dataset",),
        datasets=ARRIVAL_PREFERENCE,
    ),
    Indicator(
        "enforcement", "prevent", "Enforcement of immigration legislation (Eurostat)", "persons",
        "third-country nationals, per reporting country and year",
        "Found illegally present (migr_eipre), refused entry at the external border (migr_eirfs), "
        "ordered to leave (migr_eiord) and returned following an order to leave (migr_eirtn, Protocol art. 18).",
        "Values rounded to 5 by Eurostat; ':' (not available) is a gap, not zero; flags b/d mark breaks "
        "and definitions that differ. Aggregate rows (EU27/EU28) are not read: sums are of countries.",
        ("year", "country", "nationality"), always_by=("measure",),
        datasets=("eurostat_eipre", "eurostat_eirfs", "eurostat_eiord", "eurostat_eirtn"),
    ),
    Indicator(
        "smuggling_prosecutions", "prosecute", "Prosecutions for smuggling of migrants (Protocol art. 6)",
        "persons", "persons prosecuted", "No machine-readable series found.",
        "UNODC's crime and criminal justice statistics and Eurostat crim_just do not isolate migrant "
        "smuggling in a file that could be found; national figures are scattered in reports.", gap=True,
    ),
    Indicator(
        "smuggling_convictions", "prosecute", "Convictions for smuggling of migrants (Protocol art. 6)",
        "persons", "persons convicted", "No machine-readable series found.",
        "As for prosecutions: no series comparable across States was found.", gap=True,
    ),
    Indicator(
        "assets_frozen", "prosecute", "Proceeds of smuggling frozen, seized or confiscated (UNTOC art. 12)",
        "EUR", "value of assets", "No machine-readable series found.",
        "No public series separates migrant-smuggling proceeds.", gap=True,
    ),
    Indicator(
        "smuggling_fees", "prevent", "Fees paid to smugglers and the size of the market, Central Mediterranean",
        "as published (EUR, USD or persons)", "figures read in Frontex, Europol and UNODC publications",
        "Each figure as published, with its publisher and the page it was read on; ranges as low-high.",
        "No year-by-year fee series exists: single statements and one migrant's testimony, not averages. "
        "The Migrants' Files 'Amounts paid to facilitators' (2000-2015) was not found.",
        series=("smuggling_fee_libya_italy_sea_leg", "smuggling_fee_libya_italy_sea_leg_testimony",
                "smuggling_fee_whole_journey_all_routes", "smuggling_package_bangladesh_libya_italy",
                "central_med_smuggling_market_value", "central_med_persons_smuggled_estimate",
                "central_med_departures"),
    ),
    Indicator(
        "arrivals_by_departure_country", "prevent", "Sea arrivals to Italy by country of departure",
        "persons or percent", "figures read in Polizia di Stato, Interior Ministry and UNHCR publications",
        "Each figure as published: full years, year-to-date (with the date) and Aug-Jul years kept apart; "
        "shares are percent.",
        "No full-year counts by country for 2016, 2017 and 2019; small differences between publishers "
        "are kept side by side.",
        series=("italy_sea_arrivals_by_departure_country", "italy_sea_arrivals_share_by_departure_country",
                "italy_sea_arrivals_by_departure_country_aug_jul", "italy_sea_arrivals_total",
                "italy_sea_arrivals_total_aug_jul", "central_med_arrivals_italy"),
    ),
    Indicator(
        "interceptions", "protect", "Boats intercepted and returned to the departure coast (Libya, Tunisia)",
        "persons", "persons intercepted or rescued at sea and returned to the country of departure",
        "Each figure as published, with its publisher and the page it was read on; full years, months and "
        "year-to-date totals (with their date) apart. The Libyan full years (UNHCR 2016-2018, IOM 2019-2024) "
        "are the interceptions of the death-rate base 'arrival_interception'.",
        "Publishers differ (IOM 11,891 and the Libyan Coast Guard 11,259 for 2020): both are shown. "
        "Tunisian figures mix interceptions at sea and departures prevented on land.",
        series=("libya_intercepted_returned", "libya_intercepted_returned_ytd",
                "libya_rescued_in_libyan_territorial_waters", "tunisia_intercepted_prevented",
                "tunisia_intercepted_prevented_unallocated", "north_africa_coastguard_interceptions"),
    ),
    Indicator(
        "smugglers_arrested", "prosecute", "Smugglers arrested or detected (Italy, Greece, Tunisia, Frontex, Europol)",
        "persons", "persons arrested, detected or reported as suspected smugglers",
        "Each figure as published, with its publisher and the page it was read on. Arrests are not "
        "prosecutions or convictions, which no machine-readable series isolates.",
        "Conflicting figures are kept side by side (Italy 2016: 770 and 341; 2017: 331, 770 and 311). "
        "Europol's figures are of four kinds (new suspects, database stock, action-day arrests, cases).",
        series=("italy_scafisti_basisti_fermati", "italy_scafisti_arrested_aug_jul", "italy_smuggling_boats_seized",
                "italy_scafisti_arrests_press_monitoring", "italy_art12_arrests_slovenian_border",
                "italy_art12_restrictive_measures_traffickers_facilitators",
                "italy_scafisti_arrested_at_disembarkation", "italy_scafisti_arrested_ytd",
                "italy_scafisti_arrests_government_claim", "italy_squadre_mobili_arrests_trafficking_facilitation",
                "frontex_facilitators_detected", "europol_emsc_action_day_arrests", "europol_emsc_new_cases",
                "europol_new_smuggling_suspects", "europol_smuggling_suspects_cumulative_database",
                "europol_smuggling_suspects_reported", "greece_coast_guard_smugglers_arrested",
                "greece_smugglers_arrested_tr_border", "tunisia_smuggling_arrests", "tunisia_smuggling_prosecutions",
                "tunisia_ftdes_persons_arrested_attempting"),
    ),
    Indicator(
        "cooperation_requests", "cooperate", "Requests for cooperation, mutual legal assistance and "
        "information exchange on smuggling (Protocol arts. 7, 8, 10)", "requests", "requests made or received",
        "No machine-readable series found.",
        "States report to the UNTOC Conference of the Parties in narrative form.", gap=True,
    ),
)
_BY_NAME = {indicator.name: indicator for indicator in _CATALOGUE}


def catalogue() -> list[dict]:
    """Every indicator with its objective, unit, base and caveats; gaps have gap=True."""
    return [indicator.as_dict() for indicator in _CATALOGUE]


def indicator(name: str) -> Indicator:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SomlabNotFoundError("indicator", name, _BY_NAME) from None


@dataclass
class _Query:
    """A filtered selection of fact rows: the FROM/WHERE part shared by totals and traces."""

    table: str
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def sql_from(self) -> str:
        current = "JOIN current_files USING (dataset, grain, year, file_id)"
        return f"FROM {self.table} {current} WHERE " + (" AND ".join(self.where) or "TRUE")


def _period(value: str | None, field: str) -> tuple[int, int | None] | None:
    if value is None:
        return None
    parts = str(value).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        raise SomlabInputError(f"period {value!r} is not YYYY or YYYY-MM", field=field) from None
    if month is not None and not 1 <= month <= 12:
        raise SomlabInputError(f"period {value!r} has no month {month}", field=field)
    return year, month


def _add_period(query: _Query, start: str | None, end: str | None) -> None:
    if (bound := _period(start, "from")) is not None:
        year, month = bound
        query.where.append("(year > ? OR (year = ? AND (month IS NULL OR month >= ?)))")
        query.params += [year, year, month or 1]
    if (bound := _period(end, "to")) is not None:
        year, month = bound
        query.where.append("(year < ? OR (year = ? AND (month IS NULL OR month <= ?)))")
        query.params += [year, year, month or 12]


def _add_where(query: _Query, where: dict[str, object], allowed: tuple[str, ...]) -> None:
    for dim, value in where.items():
        if dim not in allowed:
            raise SomlabInputError(f"cannot filter on {dim!r}; dimensions: {', '.join(allowed)}",
                                   field="where")
        if value is None:
            query.where.append(f"{dim} IS NULL")
        else:
            query.where.append(f"CAST({dim} AS VARCHAR) = ?")
            query.params.append(str(value))


def _check_by(spec: Indicator, by: tuple[str, ...]) -> tuple[str, ...]:
    extra = ("dataset", "measure", "base")
    unknown = [dim for dim in by if dim not in spec.dims + extra]
    if unknown:
        raise SomlabInputError(f"{spec.name} cannot be broken down by {unknown}; dimensions: "
                               f"{', '.join(spec.dims)}", field="by")
    ordered = tuple(dim for dim in spec.always_by if dim not in by) + tuple(by)
    return tuple(dict.fromkeys(ordered))


def _base_query(spec: Indicator, by: tuple[str, ...], start, end, where) -> _Query:
    if spec.name == "dead_missing":
        query = _Query("incidents")
    else:
        query = _Query("counts")
        measure = {"detections": "'detections'", "arrivals": "'arrivals'"}.get(spec.name)
        query.where.append(
            f"measure = {measure}" if measure else
            "measure IN ('illegally_present', 'refused_entry', 'ordered_to_leave', 'returned')"
        )
        if spec.name != "detections":
            query.where.append("grain = ?")
            query.params.append("nationality" if "nationality" in by or "nationality" in where else "total")
        query.where.append("dataset IN (" + ", ".join("?" for _ in spec.datasets) + ")")
        query.params += list(spec.datasets)
    _add_period(query, start, end)
    _add_where(query, where, spec.dims + ("dataset", "measure"))
    return query


def compute(
    name: str,
    store: Store | str | Path | None = None,
    *,
    by: tuple[str, ...] | list[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    where: dict[str, object] | None = None,
) -> dict:
    """The indicator as a `somlab.indicator/1` dict: rows of dimensions and value, the files used, gaps."""
    spec = indicator(name)
    where = dict(where or {})
    if spec.gap:
        return _result(spec, (), [], [], [f"{spec.title}: {spec.description} {spec.caveats}"])
    owned = not isinstance(store, Store)
    handle = Store(store, read_only=True) if owned else store
    try:
        if spec.series:
            with _reading(handle):
                rows, file_ids = _figures(handle, spec, start, end, where)
                gaps = [] if rows else [f"no published figures for {spec.name} in the store for this selection"]
                return _result(spec, FIGURE_BY, rows, _sources(handle, file_ids), gaps)
        by_dims = _check_by(spec, tuple(by) if by is not None else spec.default_by)
        compute_rows = _death_rate if spec.name == "death_rate" else _sum
        with _reading(handle):
            rows, file_ids, gaps = compute_rows(handle, spec, by_dims, start, end, where)
            return _result(spec, by_dims, rows, _sources(handle, file_ids), gaps)
    finally:
        if owned:
            handle.close()


@contextmanager
def _reading(store: Store):
    """A store whose tables cannot be read (a truncated or damaged file) is a StoreError."""
    import duckdb

    try:
        yield
    except duckdb.Error as error:
        raise StoreError(f"{store.path} could not be read ({error}); move it aside and ingest again, "
                         "or choose another store with --store") from None


def _result(spec: Indicator, by, rows, sources, gaps) -> dict:
    return {"schema": SCHEMA, "indicator": spec.name, "unit": spec.unit, "by": list(by), "rows": rows,
            "sources": sources, "gaps": gaps}


def _fetch(store: Store, sql: str, params: list[object]) -> list[dict]:
    cursor = store.connection.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _sum(store: Store, spec: Indicator, by, start, end, where) -> tuple[list[dict], set[int], list[str]]:
    query = _base_query(spec, by, start, end, where)
    value = "dead_missing" if query.table == "incidents" else "value"
    group = ", ".join(by)
    select = f"{group}, " if by else ""
    sql = (
        f"SELECT {select}sum({value}) AS value, count(*) FILTER (WHERE {value} IS NULL) AS n_missing, "
        f"count(*) AS n_cells, list(DISTINCT file_id) AS files {query.sql_from()} "
        + (f"GROUP BY {group} ORDER BY {group}" if by else "")
    )
    records = [r for r in _fetch(store, sql, query.params) if r["n_cells"]]
    periods = file_periods(store, {f for r in records for f in r["files"]})
    rows, file_ids, gaps = [], set(), []
    for record in records:
        files = record.pop("files")
        file_ids.update(files)
        missing, cells = record.pop("n_missing"), record.pop("n_cells")
        record["coverage"] = _coverage(periods, files, *_row_period(record, by, start, end))
        if missing:
            label = ", ".join(f"{dim}={record[dim]}" for dim in by) or "total"
            gaps.append(f"{label}: {missing} of {cells} source cells have no value; "
                        + ("the sum covers the others" if missing < cells else "no value"))
        rows.append(record)
    if not rows:
        gaps.append(f"no {spec.name} data in the store for this selection (datasets: {', '.join(spec.datasets)})")
    gaps += _rejections(store, file_ids)
    return rows, file_ids, gaps


FIGURE_BY = ("series", "geo", "year")
_FIGURE_FIELDS = ("series", "geo", "departure_country", "year", "month", "period_type", "as_of", "value",
                  "value_low", "value_high", "unit", "publisher", "address", "note")


def _figures(store: Store, spec: Indicator, start, end, where) -> tuple[list[dict], set[int]]:
    """Published figures of the indicator's series, each as published, with its publisher and address."""
    query = _Query("published_figures", ["series IN (" + ", ".join("?" for _ in spec.series) + ")"],
                   list(spec.series))
    _add_period(query, start, end)
    _add_where(query, where, ("series", "geo", "departure_country", "year", "period_type", "publisher"))
    records = _fetch(store, f"SELECT file_id, {', '.join(_FIGURE_FIELDS)} FROM published_figures "
                            f"WHERE {' AND '.join(query.where)} ORDER BY series, geo, year, month, file_id, row_number",
                     query.params)
    file_ids = {r.pop("file_id") for r in records}
    for record in records:
        if record["as_of"] is not None:
            record["as_of"] = record["as_of"].isoformat()
        complete = record["period_type"] in ("calendar_year", "month", "stock_end_of_year")
        record["coverage"] = {"first": None, "last": record["as_of"], "complete": complete}
    return records, file_ids


def _month_number(year: int, month: int | None, last: bool) -> int:
    return year * 100 + (month or (12 if last else 1))


def file_periods(store: Store, file_ids: set[int]) -> dict[int, tuple[int, int]]:
    """First and last month (YYYYMM) each file's data cover; a yearly figure covers its year. An
    incident list covers from January of its first year (a month without an incident is covered
    too), a series from its first value."""
    if not file_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(file_ids))
    records = _fetch(
        store,
        f"SELECT file_id, min(first) AS first, max(year * 100 + coalesce(month, 12)) AS last FROM ("
        f"SELECT file_id, year * 100 + 1 AS first, year, month FROM incidents WHERE file_id IN ({ids}) "
        f"UNION ALL SELECT file_id, year * 100 + coalesce(month, 1), year, month FROM counts "
        f"WHERE file_id IN ({ids}) UNION ALL SELECT file_id, year * 100 + coalesce(month, 1), year, month "
        f"FROM published_figures WHERE file_id IN ({ids})) GROUP BY file_id",
        [],
    )
    return {r["file_id"]: (r["first"], r["last"]) for r in records}


def _row_period(row: dict, by, start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """The months (YYYYMM) a row stands for: its month or its year within the selection, or the
    selection itself (open ends None)."""
    first, last = _period(start, "from"), _period(end, "to")
    first = _month_number(*first, False) if first else None
    last = _month_number(*last, True) if last else None
    if "year" in by and row.get("year") is not None:
        month = row.get("month") if "month" in by else None
        own_first, own_last = _month_number(row["year"], month, False), _month_number(row["year"], month, True)
        return max(own_first, first or 0), min(own_last, last or 999999)
    return first, last


def _coverage(periods: dict[int, tuple[int, int]], files, first: int | None, last: int | None) -> dict:
    """The period the data behind a value cover (the files' reach, within the row's period), and
    whether that is the whole period; `complete` is None for a total over open-ended data."""
    spans = [periods[f] for f in files if f in periods]
    if not spans:
        return {"first": None, "last": None, "complete": None}
    covered_first = max(min(a for a, _ in spans), first or 0)
    covered_last = min(max(b for _, b in spans), last or 999999)
    complete = None if first is None or last is None else (covered_first, covered_last) == (first, last)
    return {"first": _month_text(covered_first), "last": _month_text(covered_last), "complete": complete}


def _month_text(value: int) -> str:
    return f"{value // 100:04d}-{value % 100:02d}"


def _rejections(store: Store, file_ids: set[int]) -> list[str]:
    if not file_ids:
        return []
    records = _fetch(
        store,
        "SELECT file_name, rows_rejected, rejections FROM provenance WHERE rows_rejected > 0 AND file_id IN "
        f"({', '.join(str(int(i)) for i in sorted(file_ids))}) ORDER BY file_id",
        [],
    )
    return [f"{r['file_name']}: {r['rows_rejected']} rows not used ({r['rejections']})" for r in records]


def _sources(store: Store, file_ids: set[int]) -> list[dict]:
    if not file_ids:
        return []
    from somlab.evidence.loaders import SOURCES

    records = _fetch(
        store,
        "SELECT file_id, file_name, sha256, source, vintage, rows_loaded, ingested_at FROM provenance "
        f"WHERE file_id IN ({', '.join(str(int(i)) for i in sorted(file_ids))}) ORDER BY file_id",
        [],
    )
    from somlab.evidence.snapshot import terms_by_sha

    periods = file_periods(store, file_ids)
    bundled = terms_by_sha()
    for record in records:
        record["publisher"] = SOURCES[record["source"]].PUBLISHER if record["source"] in SOURCES else None
        record["ingested_at"] = record["ingested_at"].isoformat(timespec="seconds")
        first, last = periods.get(record["file_id"], (None, None))
        record["data_from"] = _month_text(first) if first else None
        record["data_to"] = _month_text(last) if last else None
        terms = bundled.get(record["sha256"], {})
        for key in ("data_vintage", "licence", "attribution", "address"):
            record[key] = terms.get(key)
    return records


def _death_rate(store: Store, spec: Indicator, by, start, end, where) -> tuple[list[dict], set[int], list[str]]:
    dims = tuple(dim for dim in by if dim != "base")
    group = ", ".join(dims)
    deaths = _Query("incidents", ["route IS NOT NULL"])
    crossings = _Query("counts", ["grain = 'total'", "measure IN ('arrivals', 'interceptions')"])
    for query in (deaths, crossings):
        _add_period(query, start, end)
        _add_where(query, where, spec.dims)
    preference = "CASE dataset " + " ".join(
        f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(ARRIVAL_PREFERENCE)) + " ELSE 99 END"
    sql = f"""
        WITH deaths AS (
            SELECT {group}, sum(dead_missing) AS dead, list(DISTINCT file_id) AS files
            {deaths.sql_from()} GROUP BY {group}),
        flows AS (
            SELECT dataset, measure, {group}, sum(value) AS n, count(*) FILTER (WHERE value IS NULL) AS n_missing,
                   list(DISTINCT file_id) AS files
            {crossings.sql_from()} GROUP BY dataset, measure, {group}),
        chosen AS (
            SELECT {group}, arg_min(dataset, {preference}) AS dataset FROM flows WHERE measure = 'arrivals'
            GROUP BY {group}),
        arrivals AS (SELECT flows.* FROM flows JOIN chosen USING ({group}, dataset) WHERE measure = 'arrivals'),
        interceptions AS (SELECT * FROM flows WHERE measure = 'interceptions')
        SELECT {', '.join(f'd.{dim}' for dim in dims)}, d.dead, d.files AS death_files,
               a.dataset, a.n AS arrivals, a.n_missing, a.files AS arrival_files,
               i.n AS intercepted, i.files AS interception_files
        FROM deaths d JOIN arrivals a USING ({group}) LEFT JOIN interceptions i USING ({group})
        ORDER BY {', '.join(f'd.{dim}' for dim in dims)}
    """
    records = _fetch(store, sql, deaths.params + crossings.params)
    periods = file_periods(store, {f for r in records for side in ("death_files", "arrival_files",
                                                                      "interception_files")
                                    for f in (r[side] or [])})
    rows, file_ids, gaps = [], set(), []
    lacking_interceptions = []
    for record in records:
        key = {dim: record[dim] for dim in dims}
        label = ", ".join(f"{dim}={value}" for dim, value in key.items()) or "total"
        if record["n_missing"]:
            gaps.append(f"{label}: {record['n_missing']} arrival cells of {record['dataset']} have no value")
        if not record["arrivals"]:
            gaps.append(f"{label}: no arrivals recorded in {record['dataset']}; no rate")
            continue
        period = _row_period(key, dims, start, end)
        death_cover = _coverage(periods, record["death_files"], *period)
        arrival_cover = _coverage(periods, record["arrival_files"], *period)
        if _span(death_cover) != _span(arrival_cover):
            gaps.append(f"{label}: dead and missing cover {_span(death_cover)}, arrivals ({record['dataset']}) "
                        f"cover {_span(arrival_cover)}; not the same period, no rate")
            continue
        file_ids.update(record["death_files"] + record["arrival_files"])
        dead, arrivals, intercepted = record["dead"], record["arrivals"], record["intercepted"]
        bases = {"arrival": arrivals}
        if intercepted is None:
            lacking_interceptions.append(label)
        elif _span(_coverage(periods, record["interception_files"], *period)) != _span(death_cover):
            gaps.append(f"{label}: interceptions cover {_span(_coverage(periods, record['interception_files'], *period))}"
                        f", dead and missing {_span(death_cover)}; no rate on the bases with interceptions")
        else:
            file_ids.update(record["interception_files"])
            bases["arrival_interception"] = arrivals + intercepted
            bases["departure"] = arrivals + intercepted + dead
        for base, crossings_n in bases.items():
            rows.append({**key, "base": base, "value": round(1000 * dead / crossings_n, 3),
                         "coverage": death_cover, "arrivals_from": record["dataset"]})
    if lacking_interceptions:
        gaps.append(
            "bases 'arrival_interception' and 'departure' need interceptions, absent for "
            f"{len(lacking_interceptions)} route-periods ({'; '.join(lacking_interceptions[:5])}"
            + ("; ..." if len(lacking_interceptions) > 5 else "") + ")"
        )
    if not rows:
        gaps.append("no route and period with both dead and missing (IOM MMP) and arrivals in the store")
    gaps += _rejections(store, file_ids)
    return rows, file_ids, gaps


def _span(coverage: dict) -> str:
    return f"{coverage['first']} to {coverage['last']}"


def trace(
    name: str,
    store: Store | str | Path | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    where: dict[str, object] | None = None,
    limit: int = 50,
) -> list[dict]:
    """The file rows behind an indicator's value for a selection: file, row number, field, value."""
    spec = indicator(name)
    if spec.gap or spec.name == "death_rate":
        raise SomlabInputError(f"trace works on summed indicators, not {name}; trace dead_missing and "
                               "arrivals instead", field="name")
    where = dict(where or {})
    owned = not isinstance(store, Store)
    handle = Store(store, read_only=True) if owned else store
    try:
        query = _base_query(spec, tuple(where), start, end, where)
        value = "dead_missing" if query.table == "incidents" else "value"
        field_expr = "'Total Number of Dead and Missing'" if query.table == "incidents" else "field"
        if limit < 1:
            raise SomlabInputError(f"limit must be 1 or more, got {limit}", field="limit")
        with _reading(handle):
            return _fetch(
            handle,
                f"SELECT p.file_name AS file, row_number AS row, {field_expr} AS field, {value} AS value "
                f"FROM (SELECT * {query.sql_from()}) JOIN provenance p USING (file_id) "
                f"ORDER BY file_id, row_number LIMIT {int(limit)}",
                query.params,
            )
    finally:
        if owned:
            handle.close()
