"""Dates and months in the spellings publishers use."""

from __future__ import annotations

import datetime as dt

_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


def parse_month(value: object) -> int | None:
    """Month number from a name, abbreviation or number; None when empty. Raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
    else:
        text = str(value).strip()
        number = (
            int(float(text))
            if text.replace(".", "", 1).isdigit()
            else _MONTHS.get(text.casefold(), 0)
        )
    if not 1 <= number <= 12:
        raise ValueError(f"not a month: {value!r}")
    return number


def parse_date(value: object) -> dt.date | None:
    """A calendar date from ISO text, 'January 05, 2020', or a spreadsheet date cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def parse_year_month(value: object) -> tuple[int, int]:
    """'2015-09' -> (2015, 9). Raises ValueError."""
    text = str(value).strip()
    year, month = text.split("-")[:2]
    year_number, month_number = int(year), int(month)
    if not (1900 <= year_number <= 2100 and 1 <= month_number <= 12):
        raise ValueError(f"not a year-month: {value!r}")
    return year_number, month_number
