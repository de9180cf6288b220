"""IOM Missing Migrants Project incident exports, every layout since 2019."""

from __future__ import annotations

from collections.abc import Sequence

from somlab.evidence.geo import country_code, route_label
from somlab.evidence.loaders.base import (
    IncidentRecord,
    Loaded,
    Vintage,
    choose_vintage,
    is_blank,
    is_total_label,
    parse_count,
    parse_year,
)
from somlab.evidence.loaders.dates import parse_date, parse_month
from somlab.evidence.reading import RawTable

NAME = "iom_mmp"
TITLE = "IOM Missing Migrants Project: dead and missing migrants, by incident"
PUBLISHER = "International Organization for Migration (IOM), Missing Migrants Project"
URL = "https://missingmigrants.iom.int/downloads"

_COMMON = {
    "region": "Region of Incident",
    "missing": "Minimum Estimated Number of Missing",
    "survivors": "Number of Survivors",
    "cause": "Cause of Death",
}
VINTAGES = (
    # Website export since 2021 (files of 2024 and 2025).
    Vintage(
        "global-2021",
        {
            **_COMMON,
            "incident_id": "Incident ID",
            "incident_type": "Incident Type",
            "date": "Incident Date",
            "year": "Incident Year",
            "month": "Month",
            "dead": "Number of Dead",
            "dead_missing": "Total Number of Dead and Missing",
            "country": "Country of Incident",
            "route": "Migration Route",
        },
    ),
    # Kaggle "Global Missing Migrants Dataset" (2023): no identifiers, no dates, unknowns written as 0.
    Vintage(
        "kaggle-2023",
        {
            **_COMMON,
            "incident_type": "Incident Type",
            "year": "Incident year",
            "month": "Reported Month",
            "dead": "Number of Dead",
            "dead_missing": "Total Number of Dead and Missing",
            "route": "Migration route",
        },
        {"zero_means_unknown": True},
    ),
    # Website export before 2021 ("Web ID", "Reported Date").
    Vintage(
        "snapshot-2020",
        {
            **_COMMON,
            "incident_id": "Web ID",
            "date": "Reported Date",
            "year": "Reported Year",
            "month": "Reported Month",
            "dead": "Number Dead",
            "dead_missing": "Total Dead and Missing",
            "route": "Migration Route",
        },
    ),
)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "IOM Missing Migrants")
    loaded = Loaded(NAME, vintage.name)
    zero_unknown = bool(vintage.options.get("zero_means_unknown"))
    seen_ids: dict[str, int] = {}
    width = len(table.header)

    def cell(row: Sequence[object], name: str) -> object:
        position = at.get(name)
        return None if position is None else row[position]

    for index, row in enumerate(table.rows):
        number = table.row_number(index)
        loaded.rows_read += 1
        if all(is_blank(value) for value in row):
            loaded.reject(number, "", "empty row")
            continue
        if len(row) != width:
            loaded.reject(number, "", f"expected {width} fields, found {len(row)}")
            continue
        if any(is_total_label(row[position]) for position in (0, at.get("year", 0), at["region"])):
            loaded.reject(number, "", "totals row")
            continue
        incident_id = cell(row, "incident_id")
        incident_id = None if is_blank(incident_id) else str(incident_id).strip()
        if incident_id is not None and incident_id.endswith(".0"):
            incident_id = incident_id[:-2]
        if incident_id is not None and incident_id in seen_ids:
            loaded.reject(
                number,
                vintage.columns["incident_id"],
                f"duplicate incident (first at row {seen_ids[incident_id]})",
            )
            continue
        counts = _counts(row, at, vintage, number, loaded)
        if counts is None:
            continue
        if zero_unknown:
            counts = {k: (None if v == 0 and k != "dead_missing" else v) for k, v in counts.items()}
        date = None
        raw_date = cell(row, "date")
        if "date" in at and not is_blank(raw_date):
            try:
                date = parse_date(raw_date)
            except ValueError:
                loaded.warn(
                    number, vintage.columns["date"], "unparseable date, year and month used"
                )
        try:
            year = parse_year(cell(row, "year"))
            month = parse_month(cell(row, "month"))
        except ValueError:
            year = month = None
        if year is None and date is not None:
            year, month = date.year, date.month
            loaded.warn(number, vintage.columns["year"], "year and month taken from the date")
        if year is None:
            loaded.reject(number, vintage.columns["year"], "no usable incident date, year or month")
            continue
        country = None
        raw_country = cell(row, "country")
        if not is_blank(raw_country):
            country = country_code(str(raw_country))
            if country is None:
                loaded.warn(number, vintage.columns["country"], "country not one ISO country")
        if incident_id is not None:
            seen_ids[incident_id] = number
        loaded.incidents.append(
            IncidentRecord(
                row_number=number,
                dataset=NAME,
                grain="incident",
                incident_id=incident_id,
                incident_type=_text(cell(row, "incident_type")),
                date=date,
                year=year,
                month=month,
                route=route_label(_text(cell(row, "route"))),
                region=_text(cell(row, "region")),
                country=country,
                cause=_text(cell(row, "cause")),
                dead=counts["dead"],
                missing=counts["missing"],
                dead_missing=counts["dead_missing"],
                survivors=counts["survivors"],
            )
        )
    return loaded


def _counts(
    row: Sequence[object], at: dict[str, int], vintage: Vintage, number: int, loaded: Loaded
) -> dict | None:
    """The four counts. A bad total rejects the row; a bad component (IOM files carry negative
    'missing' entries that correct earlier estimates) becomes unknown, with a warning."""
    counts: dict[str, int | None] = {}
    for name in ("dead_missing", "dead", "missing", "survivors"):
        label = vintage.columns[name]
        try:
            counts[name] = parse_count(row[at[name]])
        except ValueError as error:
            reason = "negative count" if "negative" in str(error) else "unparseable count"
            if name == "dead_missing":
                loaded.reject(number, label, reason)
                return None
            loaded.warn(number, label, f"{reason}, read as unknown")
            counts[name] = None
    if counts["dead_missing"] is None:
        loaded.reject(number, vintage.columns["dead_missing"], "no total dead and missing")
        return None
    return counts


def _text(value: object) -> str | None:
    return None if is_blank(value) else " ".join(str(value).split())
