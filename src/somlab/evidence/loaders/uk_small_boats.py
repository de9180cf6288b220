"""UK Home Office: migrants detected crossing the English Channel in small boats."""

from __future__ import annotations

from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage
from somlab.evidence.reading import RawTable

NAME = "uk_small_boats"
TITLE = "UK Home Office: migrants detected crossing the English Channel in small boats"
PUBLISHER = "UK Home Office and Border Force, processed by The National"
URL = "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
ROUTE = "English Channel to the UK"

VINTAGES = (
    Vintage(
        "national-daily",
        {
            "date": "full_date",
            "year": "n_year",
            "month": "n_month",
            "day": "n_day",
            "value": "migrants_arrived",
        },
    ),
    Vintage(
        "national-monthly",
        {"date": "date_month", "year": "n_year", "month": "n_month", "value": "migrants_arrived"},
    ),
)


def load(table: RawTable) -> Loaded:
    """An empty cell is a period with no recorded crossing (the publisher's convention), except after
    the last reported period, where nothing has been published yet."""
    vintage, at = choose_vintage(table, VINTAGES, "UK small boats")
    loaded = Loaded(NAME, vintage.name)
    value_label = vintage.columns["value"]
    parsed = []
    for number, row in loaded.rows(table):
        found = loaded.dated_count(number, row, at, vintage.columns["year"], value_label)
        if found is not None:
            parsed.append((number, *found))
    last_reported = max(
        (i for i, (*_, value) in enumerate(parsed) if value is not None), default=-1
    )
    for position, (number, year, month, value) in enumerate(parsed):
        if position > last_reported:
            loaded.reject(number, value_label, "after the last reported period")
            continue
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field=value_label,
                dataset=NAME,
                grain="total",
                measure="arrivals",
                year=year,
                month=month,
                route=ROUTE,
                country="GB",
                border_type="Sea",
                value=0 if value is None else value,
            )
        )
    return loaded
