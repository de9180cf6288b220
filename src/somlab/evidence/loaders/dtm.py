"""IOM Displacement Tracking Matrix: arrivals to Mediterranean Europe, monthly (gdidata long format)."""

from __future__ import annotations

from somlab.evidence.geo import ARRIVAL_ROUTES, nationality_code
from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage, is_blank
from somlab.evidence.reading import RawTable

NAME = "iom_dtm_arrivals"
TITLE = "IOM DTM: migrant arrivals to Mediterranean Europe by sea and land, monthly"
PUBLISHER = (
    "International Organization for Migration (IOM), Displacement Tracking Matrix, via gdidata"
)
URL = "https://dtm.iom.int/europe/arrivals"

VINTAGES = (
    Vintage(
        "gdidata-2025",
        {"month": "t", "quarter": "q", "country": "geo", "value": "n"},
        {"grain": "total"},
    ),
    Vintage(
        "gdidata-2025-nationality",
        {"month": "t", "quarter": "q", "country": "geo", "nationality": "nat", "value": "n"},
        {"grain": "nationality"},
    ),
)
# Spain is reported whole (ESP) and split by route (Frontex's split, ESP-WMR + ESP-WAAR = ESP).
_SPLIT = {
    "ESP-WMR": ("ES", "Western Mediterranean"),
    "ESP-WAAR": ("ES", "Western Africa / Atlantic route to the Canary Islands"),
}
_AGGREGATES = {"ESP": "aggregate row (Spain = ESP-WMR + ESP-WAAR)"}
_ALPHA2 = {"BGR": "BG", "CYP": "CY", "GRC": "GR", "ITA": "IT", "MLT": "MT"}


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "IOM DTM arrivals")
    loaded = Loaded(NAME, vintage.name)
    grain = str(vintage.options["grain"])
    value_label = vintage.columns["value"]
    for number, row in loaded.rows(table):
        geo = str(row[at["country"]]).strip()
        if geo in _AGGREGATES:
            loaded.reject(number, vintage.columns["country"], _AGGREGATES[geo])
            continue
        if geo in _SPLIT:
            country, route = _SPLIT[geo]
        elif geo in _ALPHA2:
            country = _ALPHA2[geo]
            route = ARRIVAL_ROUTES[country]
        else:
            loaded.reject(number, vintage.columns["country"], f"unknown arrival area '{geo}'")
            continue
        found = loaded.monthly_count(number, row, at, vintage.columns)
        if found is None:
            continue
        year, month, value = found
        nationality = None
        if "nationality" in at and not is_blank(row[at["nationality"]]):
            nationality = nationality_code(str(row[at["nationality"]]))
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field=value_label,
                dataset=NAME,
                grain=grain,
                measure="arrivals",
                year=year,
                month=month,
                route=route,
                country=country,
                nationality=nationality,
                value=value,
            )
        )
    return loaded
