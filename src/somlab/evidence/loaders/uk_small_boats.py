"""UK Home Office: migrants detected crossing the English Channel in small boats."""

from __future__ import annotations

from somlab.evidence.loaders.base import COUNT_COLUMNS, Loaded, Vintage, choose_vintage, parse_count
from somlab.evidence.reading import RawTable

NAME = "uk_small_boats"
TITLE = "UK Home Office: migrants detected crossing the English Channel in small boats"
PUBLISHER = "UK Home Office and Border Force, processed by The National"
URL = "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats"
ROUTE = "English Channel to the UK"

VINTAGES = (
    Vintage("national-daily", {"date": "full_date", "year": "n_year", "month": "n_month", "day": "n_day",
                               "value": "migrants_arrived"}),
    Vintage("national-monthly", {"date": "date_month", "year": "n_year", "month": "n_month",
                                 "value": "migrants_arrived"}),
)


def load(table: RawTable) -> Loaded:
    """An empty cell is a period with no recorded crossing (the publisher's convention), except after
    the last reported period, where nothing has been published yet."""
    vintage, at = choose_vintage(table, VINTAGES, "UK small boats")
    loaded = Loaded(NAME, vintage.name, "counts", COUNT_COLUMNS)
    value_label = vintage.columns["value"]
    parsed = []
    for number, row in loaded.rows(table):
        period = loaded.year_and_month(number, row, at, vintage.columns["year"])
        if period is None:
            continue
        year, month = period
        try:
            value = parse_count(row[at["value"]])
        except ValueError as error:
            loaded.reject_count(number, value_label, error)
            continue
        parsed.append((number, year, month, value))
    last_reported = max((i for i, (*_, value) in enumerate(parsed) if value is not None), default=-1)
    for position, (number, year, month, value) in enumerate(parsed):
        if position > last_reported:
            loaded.reject(number, value_label, "after the last reported period")
            continue
        loaded.records.append((number, value_label, NAME, "total", "arrivals", year, month, ROUTE, None,
                               "GB", None, "Sea", 0 if value is None else value, None))
    return loaded
