"""Figures published in reports, one per row with its publisher, the address where it was read and
a verbatim quote (the curated series: coast-guard interceptions, arrivals by departure country,
smugglers arrested, fees).

Every figure is kept as published (`published_figures`), conflicting ones side by side. Two series
also feed the indicators as counts, one figure per year: the Libyan coast guard's interceptions
(the Central Mediterranean death-rate base "per arrival or interception") and Italy's sea arrivals
(a separate arrivals series). Where publishers differ for a year, the first figure from the
preferred publishers is counted and the others stay in the figures table."""

from __future__ import annotations

import re

from somlab.evidence.loaders.base import (
    CountRecord,
    FigureRecord,
    Loaded,
    Vintage,
    choose_vintage,
    is_blank,
    parse_count,
    parse_year,
)
from somlab.evidence.loaders.dates import parse_date, parse_month
from somlab.evidence.reading import RawTable

NAME = "published_figures"
TITLE = "Figures published in reports (interceptions, arrivals by departure country, arrests, fees)"
PUBLISHER = (
    "as named in each row (UNHCR, IOM, Polizia di Stato, Frontex, Europol, UNODC, FTDES, ...)"
)
URL = "docs/evidence.md#figures-published-in-reports"

_SAME_NAME = (
    "series",
    "geo",
    "year",
    "month",
    "period_type",
    "as_of",
    "value",
    "unit",
    "publisher",
    "quote",
    "note",
)
VINTAGES = (
    Vintage("curated-1", {**{name: name for name in _SAME_NAME}, "address": "quoted_in_url"}),
)
# series counted in the indicators: series -> (measure, route, country, publishers preferred in order)
COUNTED = {
    "libya_intercepted_returned": (
        "interceptions",
        "Central Mediterranean",
        "LY",
        ("UNHCR", "IOM"),
    ),
    "italy_sea_arrivals_total": (
        "arrivals",
        "Central Mediterranean",
        "IT",
        ("Ministero dell'Interno", "Polizia di Stato", "UNHCR"),
    ),
}
_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def _value(cell: object) -> tuple[int | None, int, int] | None:
    """(value, low, high): a figure, or a published range low-high (value None); None when empty."""
    found = _RANGE.match(str(cell)) if isinstance(cell, str) else None
    if found:
        low, high = int(found.group(1)), int(found.group(2))
        if low > high:
            raise ValueError(f"range {cell!r} runs backwards")
        return None, low, high
    value = parse_count(cell)
    return None if value is None else (value, value, value)


def _text(cell: object) -> str | None:
    return None if is_blank(cell) else str(cell).strip()


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "published figures")
    header = [h.strip() for h in table.header]
    departure = header.index("departure_country") if "departure_country" in header else None
    loaded = Loaded(NAME, vintage.name)
    counted: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for number, row in loaded.rows(table):
        series = _text(row[at["series"]])
        publisher, address = _text(row[at["publisher"]]), _text(row[at["address"]])
        if not series:
            loaded.reject(number, "series", "no series name")
            continue
        if not publisher or not address or not address.startswith(("http://", "https://")):
            loaded.reject(
                number,
                "quoted_in_url",
                "no publisher or no address (http...) where the figure was read",
            )
            continue
        try:
            year, month = parse_year(row[at["year"]]), parse_month(row[at["month"]])
            as_of = parse_date(row[at["as_of"]])
        except ValueError:
            loaded.reject(number, "year", "unparseable year, month or as_of date")
            continue
        if year is None:
            loaded.reject(number, "year", "no year")
            continue
        try:
            figure = _value(row[at["value"]])
        except ValueError as error:
            loaded.reject_count(number, "value", error)
            continue
        if figure is None:
            loaded.reject(number, "value", "no figure")
            continue
        value, low, high = figure
        period_type = _text(row[at["period_type"]]) or "unstated"
        loaded.figures.append(
            FigureRecord(
                row_number=number,
                series=series,
                geo=_text(row[at["geo"]]),
                departure_country=_text(row[departure]) if departure is not None else None,
                year=year,
                month=month,
                period_type=period_type,
                as_of=as_of,
                value=value,
                value_low=low,
                value_high=high,
                unit=_text(row[at["unit"]]),
                publisher=publisher,
                address=address,
                quote=_text(row[at["quote"]]),
                note=_text(row[at["note"]]),
            )
        )
        if series in COUNTED and period_type == "calendar_year" and value is not None:
            counted.setdefault((series, year), []).append((number, value, publisher))
    for (series, year), candidates in sorted(counted.items()):
        measure, route, country, preferred = COUNTED[series]
        rank = [
            next((i for i, name in enumerate(preferred) if p.startswith(name)), len(preferred))
            for _, _, p in candidates
        ]
        number, value, publisher = candidates[rank.index(min(rank))]
        # the series is the dataset: each answers for its own years (current_files)
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field="value",
                dataset=series,
                grain="total",
                measure=measure,
                year=year,
                route=route,
                country=country,
                border_type="Sea",
                value=value,
                flag=publisher,
            )
        )
    return loaded
