"""Eurostat enforcement of immigration legislation: migr_eipre, migr_eirfs, migr_eiord, migr_eirtn.

Two export formats: the labelled SDMX-CSV of the current data browser, and the older "appsso"
bulk CSV (Latin-1, quoted, thousands separators, ':' for not available) whose columns tell the table.
"""

from __future__ import annotations

import re

from somlab.evidence.geo import country_code
from somlab.evidence.loaders.base import CountRecord, Loaded, Vintage, choose_vintage, parse_count
from somlab.evidence.reading import RawTable

NAME = "eurostat_enforcement"
TITLE = "Eurostat: enforcement of immigration legislation (illegally present, refused, ordered to leave, returned)"
PUBLISHER = "Eurostat, European Commission"
URL = "https://ec.europa.eu/eurostat/databrowser/explore/all/popul?subtheme=migr.migr_man.migr_eil"

MEASURES = {
    "EIPRE": "illegally_present",
    "EIRFS": "refused_entry",
    "EIORD": "ordered_to_leave",
    "EIRTN": "returned",
}
_APPSSO = {
    "time": "TIME",
    "geo": "GEO",
    "citizen": "CITIZEN",
    "unit": "UNIT",
    "value": "Value",
    "flag": "Flag and Footnotes",
}
VINTAGES = (
    Vintage("appsso-eipre", {**_APPSSO, "sex": "SEX", "age": "AGE"}, {"table": "EIPRE"}),
    Vintage(
        "appsso-eirfs",
        {**_APPSSO, "reason": "REASON", "indic_mg": "INDIC_MG"},
        {"table": "EIRFS", "indicator": "Persons refused entry"},
    ),
    Vintage(
        "appsso-eirtn",
        {**_APPSSO, "indic_mg": "INDIC_MG"},
        {"table": "EIRTN", "indicator": "Total number of persons returned"},
    ),
    Vintage("appsso-eiord", _APPSSO, {"table": "EIORD"}),
    Vintage(
        "sdmx-csv-1.0",
        {
            "dataflow": "DATAFLOW",
            "geo": "geo",
            "time": "TIME_PERIOD",
            "value": "OBS_VALUE",
            "flag": "OBS_FLAG",
        },
    ),
)
# Columns that describe the observation, not a breakdown of it.
_NOT_BREAKDOWNS = {
    "dataflow",
    "last update",
    "freq",
    "unit",
    "geo",
    "time_period",
    "obs_value",
    "obs_flag",
    "conf_status",
    "citizen",
    "time",
    "value",
    "flag and footnotes",
    "indic_mg",
}
_TOTAL = {"total", "t", "total_x", "_t"}
_AGGREGATE = re.compile(
    r"^(european union|euro area|eu\d|eu |efta|extra-eu|extra eu|total|all countries|"
    r"european economic area|eea|(africa|america|asia|europe|oceania)$)",
    re.IGNORECASE,
)
_SPECIAL_CITIZENS = {"stateless": "STLS", "unknown": "UNK", "recognised non-citizens": "RNC"}
_DATAFLOW = re.compile(r"MIGR_(EIPRE|EIRFS|EIORD|EIRTN)", re.IGNORECASE)


def load(table: RawTable) -> Loaded:
    vintage, at = choose_vintage(table, VINTAGES, "Eurostat enforcement")
    loaded = Loaded(NAME, vintage.name)
    breakdowns = [
        (label, position)
        for position, label in enumerate(table.header)
        if label.strip().casefold() not in _NOT_BREAKDOWNS
    ]
    citizen_at = next(
        (p for p, label in enumerate(table.header) if label.strip().casefold() == "citizen"), None
    )
    indicator = vintage.options.get("indicator")
    indic_at = at.get("indic_mg")
    value_label = vintage.columns["value"]
    fixed_table = (
        str(vintage.options["table"]) if "table" in vintage.options else None
    )  # appsso: one table
    for number, row in loaded.rows(table):
        table_code = fixed_table
        if table_code is None:
            match = _DATAFLOW.search(str(row[at["dataflow"]]))
            if match is None:
                loaded.reject(
                    number, "DATAFLOW", f"not an enforcement table: {row[at['dataflow']]!r}"
                )
                continue
            table_code = match.group(1).upper()
        if (
            indic_at is not None
            and indicator is not None
            and str(row[indic_at]).strip() != indicator
        ):
            loaded.reject(
                number, "INDIC_MG", f"breakdown row (INDIC_MG={str(row[indic_at]).strip()})"
            )
            continue
        split = next(
            (
                (label, row[p])
                for label, p in breakdowns
                if str(row[p]).strip().casefold() not in _TOTAL
            ),
            None,
        )
        if split is not None:
            loaded.reject(number, split[0], f"breakdown row ({split[0]}={str(split[1]).strip()})")
            continue
        geo_label = str(row[at["geo"]]).strip()
        if _AGGREGATE.match(geo_label):
            loaded.reject(number, vintage.columns["geo"], "aggregate area row")
            continue
        country = country_code(geo_label)
        if country is None:
            loaded.reject(number, vintage.columns["geo"], f"area not an ISO country: {geo_label!r}")
            continue
        grain, nationality = "total", None
        if citizen_at is not None:
            citizen = str(row[citizen_at]).strip()
            if citizen.casefold() not in _TOTAL:
                grain = "nationality"
                nationality = _SPECIAL_CITIZENS.get(citizen.casefold()) or country_code(citizen)
                if nationality is None:
                    reason = (
                        "aggregate citizenship row"
                        if _AGGREGATE.match(citizen)
                        else "citizenship not an ISO country"
                    )
                    loaded.reject(number, table.header[citizen_at], reason)
                    continue
        try:
            year = int(str(row[at["time"]]).strip())
        except ValueError:
            loaded.reject(number, vintage.columns["time"], "missing or unparseable year")
            continue
        raw = str(row[at["value"]]).strip()
        try:
            value = None if raw in {":", ""} else parse_count(raw, thousands=True)
        except ValueError as error:
            loaded.reject_count(number, value_label, error)
            continue
        flag = str(row[at["flag"]]).strip() or None
        loaded.counts.append(
            CountRecord(
                row_number=number,
                field=value_label,
                dataset=f"eurostat_{table_code.lower()}",
                grain=grain,
                measure=MEASURES[table_code],
                year=year,
                country=country,
                nationality=nationality,
                value=value,
                flag=flag,
            )
        )
    return loaded
