"""somlab's own tidy CSV, for series published only in reports (e.g. coast-guard interceptions).

One row per observation: measure, year, month (may be empty), route (IOM label), country (ISO
alpha-2, may be empty), value, and the publication it was copied from in `reference`.
"""

from __future__ import annotations

from somlab.evidence.geo import country_code, route_label
from somlab.evidence.loaders.base import COUNT_COLUMNS, Loaded, Vintage, choose_vintage, is_blank, parse_count
from somlab.evidence.reading import RawTable

NAME = "somlab_tidy"
TITLE = "somlab tidy CSV: series transcribed from publications"
PUBLISHER = "as named in each row's reference"
URL = "docs/evidence.md#tidy-csv"
MEASURES = ("arrivals", "interceptions")

VINTAGES = (
    Vintage("tidy-1", {"measure": "measure", "year": "year", "month": "month", "route": "route",
                       "country": "country", "value": "value", "reference": "reference"}),
)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "somlab tidy")
    loaded = Loaded(NAME, vintage.name, "counts", COUNT_COLUMNS)
    for number, row in loaded.rows(table):
        measure = str(row[at["measure"]]).strip()
        if measure not in MEASURES:
            loaded.reject(number, "measure", f"measure not one of {', '.join(MEASURES)}")
            continue
        period = loaded.year_and_month(number, row, at, "year", month_required=False)
        if period is None:
            continue
        year, month = period
        try:
            value = parse_count(row[at["value"]])
        except ValueError as error:
            loaded.reject_count(number, "value", error)
            continue
        if is_blank(row[at["reference"]]):
            loaded.reject(number, "reference", "no reference to the publication")
            continue
        country = None if is_blank(row[at["country"]]) else country_code(str(row[at["country"]]))
        loaded.records.append((number, "value", NAME, "total", measure, year, month,
                               route_label(str(row[at["route"]]).strip() or None), None, country, None, None,
                               value, str(row[at["reference"]]).strip()))
    return loaded
