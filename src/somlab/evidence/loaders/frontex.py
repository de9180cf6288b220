"""Frontex monthly detections of illegal border-crossings, in IOM's gdidata long format."""

from __future__ import annotations

from somlab.evidence.geo import nationality_code, route_label
from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage, is_blank
from somlab.evidence.reading import RawTable

NAME = "frontex_ibc"
TITLE = "Frontex: detections of illegal border-crossings at the EU external borders, monthly"
PUBLISHER = "Frontex (European Border and Coast Guard Agency), via IOM GDI gdidata"
URL = "https://www.frontex.europa.eu/what-we-do/monitoring-and-risk-analysis/migratory-map/"

VINTAGES = (
    Vintage(
        "gdidata-2025",
        {"route": "route", "border_type": "type", "nationality": "nat", "month": "t", "value": "n"},
    ),
)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "Frontex detections")
    loaded = Loaded(NAME, vintage.name)
    value_label = vintage.columns["value"]
    for number, row in loaded.rows(table):
        route, border, nat = (row[at[k]] for k in ("route", "border_type", "nationality"))
        if (
            str(route).strip().casefold().startswith("total")
            or str(nat).strip().casefold() == "total"
        ):
            loaded.reject(number, "", "totals row")
            continue
        found = loaded.monthly_count(number, row, at, vintage.columns)
        if found is None:
            continue
        year, month, value = found
        if value is None:
            loaded.reject(number, value_label, "empty count")
            continue
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field=value_label,
                dataset=NAME,
                grain="nationality",
                measure="detections",
                year=year,
                month=month,
                route=route_label(str(route)),
                nationality=None if is_blank(nat) else nationality_code(str(nat)),
                border_type=str(border).strip() or None,
                value=value,
            )
        )
    return loaded
