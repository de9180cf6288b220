"""somlab's own tidy CSV, for series published only in reports (e.g. coast-guard interceptions).

One row per observation: measure, year, month (may be empty), route (IOM label), country (ISO
alpha-2, may be empty), value, and the publication it was copied from in `reference`.
"""

from __future__ import annotations

from somlab.evidence.geo import country_code, route_label
from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage, is_blank
from somlab.evidence.reading import RawTable

NAME = "somlab_tidy"
TITLE = "somlab tidy CSV: series transcribed from publications"
PUBLISHER = "as named in each row's reference"
URL = "docs/evidence.md#tidy-csv"
MEASURES = ("arrivals", "interceptions")

VINTAGES = (
    Vintage(
        "tidy-1",
        {
            "measure": "measure",
            "year": "year",
            "month": "month",
            "route": "route",
            "country": "country",
            "value": "value",
            "reference": "reference",
        },
    ),
)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "somlab tidy")
    loaded = Loaded(NAME, vintage.name)
    for number, row in loaded.rows(table):
        measure = str(row[at["measure"]]).strip()
        if measure not in MEASURES:
            loaded.reject(number, "measure", f"measure not one of {', '.join(MEASURES)}")
            continue
        found = loaded.dated_count(number, row, at, "year", "value", month_required=False)
        if found is None:
            continue
        year, month, value = found
        if is_blank(row[at["reference"]]):
            loaded.reject(number, "reference", "no reference to the publication")
            continue
        country = None if is_blank(row[at["country"]]) else country_code(str(row[at["country"]]))
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field="value",
                dataset=NAME,
                grain="total",
                measure=measure,
                year=year,
                month=month,
                route=route_label(str(row[at["route"]]).strip() or None),
                country=country,
                value=value,
                flag=str(row[at["reference"]]).strip(),
            )
        )
    return loaded
