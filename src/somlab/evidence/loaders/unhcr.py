"""UNHCR Operational Data Portal: monthly Mediterranean arrivals by country (wide table)."""

from __future__ import annotations

from somlab.evidence.geo import ARRIVAL_ROUTES
from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage, parse_count
from somlab.evidence.reading import RawTable

NAME = "unhcr_arrivals"
TITLE = "UNHCR: sea and land arrivals to Mediterranean Europe, monthly"
PUBLISHER = "UNHCR Operational Data Portal, Mediterranean situation"
URL = "https://data.unhcr.org/en/situations/mediterranean"

# Value column -> (country, border type). `greece_all` is greece_sea + greece_land and is not read;
# Spain's land/sea split is missing before 2017, so `spain_all` is read instead.
_SERIES = {
    "italy_all": ("IT", None),
    "malta_all": ("MT", None),
    "greece_sea": ("GR", "Sea"),
    "greece_land": ("GR", "Land"),
    "spain_all": ("ES", None),
    "cyprus_all": ("CY", None),
}
VINTAGES = (
    Vintage(
        "odp-compiled-2019", {"year": "year", "month": "month", **{name: name for name in _SERIES}}
    ),
)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "UNHCR arrivals")
    loaded = Loaded(NAME, vintage.name)
    for number, row in loaded.rows(table):
        if any(str(cell).strip().casefold().startswith("total") for cell in row):
            loaded.reject(number, "", "totals row")
            continue
        period = loaded.year_and_month(number, row, at, "year")
        if period is None:
            continue
        year, month = period
        facts: list[CountRecord] = []
        for name, (country, border) in _SERIES.items():
            try:
                value = parse_count(row[at[name]])
            except ValueError as error:
                loaded.reject_count(number, name, error)
                break
            facts.append(
                CountRecord(
                    row_number=number,
                    field=name,
                    dataset=NAME,
                    grain="total",
                    measure="arrivals",
                    year=year,
                    month=month,
                    route=ARRIVAL_ROUTES[country],
                    country=country,
                    border_type=border,
                    value=value,
                )
            )
        else:  # every column of the row parsed
            loaded.counts.extend(facts)
    return loaded
