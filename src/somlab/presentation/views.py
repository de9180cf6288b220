"""Data shaped for the pages: conformity matrix cells, law pages, indicator headlines and charts."""

from __future__ import annotations

import copy
from typing import Any

from somlab.conformity.profile import FLAT_KEYS, flat_value
from somlab.evidence.catalogue import (
    CHARTS as CHARTS,  # indicator → breakdown charted (pages, report)
)
from somlab.evidence.charts import (
    DIM_LABELS,
    build_chart,
    build_figures_chart,
    label,
    partial_note,
    series_label,
    source_line,
    source_lines,
)
from somlab.evidence.indicators import indicator

OBJECTIVES = {
    "prevent": (
        "Prevent and combat smuggling",
        "Protocol arts 2, 7-11: border measures, documents, information",
    ),
    "prosecute": (
        "Prosecute smugglers",
        "Protocol art 6: criminalisation, aggravations, prosecutions and convictions",
    ),
    "protect": (
        "Protect the rights of smuggled migrants",
        "Protocol arts 5, 16, 19: life and safety, rescue, no liability for being smuggled",
    ),
    "cooperate": (
        "Promote cooperation among states",
        "Protocol arts 7, 8, 10, 14: cooperation at sea, information exchange, training",
    ),
}

KEY_LABELS = {
    "benefit_required": (
        "benefit required",
        "A financial or other material benefit is an element "
        "of the offence (Protocol arts 3(a), 6(1))",
    ),
    "humanitarian_exempt": (
        "humanitarian help exempt",
        "Assistance for humanitarian reasons, without benefit, is not an offence",
    ),
    "rescue_at_sea_exempt": (
        "rescue at sea exempt",
        "Rescue at sea and disembarkation, without benefit, is not an offence",
    ),
    "smuggled_migrant_exempt": (
        "migrant not liable",
        "A migrant assisting only his or her own entry is not liable (Protocol art 5)",
    ),
    "family_exempt": (
        "family exempt",
        "A family member helping a relative, without benefit, is not an offence",
    ),
    "aggravations": (
        "aggravation",
        "The circumstance aggravates the offence (Protocol art 6(3) for "
        "endangerment and inhuman treatment)",
    ),
    "covers_protocol_offences": (
        "covers",
        "The law makes the Protocol's art 6(1) conduct an offence",
    ),
}
TRI = {True: ("yes", "tri-yes"), False: ("no", "tri-no"), None: ("?", "tri-unknown")}
HEADLINE_KEYS = (
    (
        "benefit_required",
        "entry",
        False,
        "do not require a financial or other material benefit for "
        "assisting irregular entry (the Protocol does, arts 3(a) and 6(1))",
    ),
    (
        "humanitarian_exempt",
        "entry",
        False,
        "punish humanitarian assistance with entry given without benefit",
    ),
    ("rescue_at_sea_exempt", None, False, "do not exempt rescue at sea"),
    (
        "smuggled_migrant_exempt",
        None,
        False,
        "can hold migrants liable for their own entry (art 5)",
    ),
    (
        "aggravations",
        "endangerment",
        False,
        "do not aggravate the offence for endangering life (art 6(3)(a))",
    ),
)


# Member States of the European Union (ISO 3166 alpha-2; Greece as GR), for the assess form's
# default jurisdictions: a case in a Member State is assessed under the EU layer too.
EU_MEMBERS = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
PROTOCOLS = ("UN-SOM", "UN-TIP")


def number(value) -> str:
    """A figure for people; a missing value stays visibly missing."""
    if value is None:
        return "missing"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{int(value):,}"


def columns() -> list[dict[str, str]]:
    out = []
    for key, sub in FLAT_KEYS:
        label, meaning = KEY_LABELS[key]
        out.append(
            {
                "key": f"{key}.{sub}" if sub else key,
                "label": f"{label}: {sub.replace('_', ' ')}" if sub else label,
                "meaning": meaning,
            }
        )
    return out


def matrix(doc: dict) -> list[dict[str, Any]]:
    rows = []
    for j in doc["jurisdictions"]:
        cells = []
        for key, sub in FLAT_KEYS:
            text, css = TRI[flat_value(j, key, sub)]
            cells.append({"text": text, "css": css})
        rows.append(
            {
                "code": j["jurisdiction"],
                "version": j["version"],
                "partial": j["partial"],
                "kind": j["kind"],
                "cells": cells,
                "deviations": len(j["deviations"]),
            }
        )
    return rows


def headline(doc: dict) -> list[dict[str, Any]]:
    """Counts of states' laws with a departure from the Protocol, with their codes."""
    states = [j for j in doc["jurisdictions"] if j["kind"] == "national"]
    out = []
    for key, sub, value, text in HEADLINE_KEYS:
        codes = [j["jurisdiction"] for j in states if flat_value(j, key, sub) is value]
        unknown = [j["jurisdiction"] for j in states if flat_value(j, key, sub) is None]
        out.append(
            {
                "count": len(codes),
                "of": len(states),
                "text": text,
                "codes": codes,
                "unknown": unknown,
            }
        )
    return out


def law_page(doc: dict, conformity: dict, code: str) -> dict[str, Any]:
    profile = next((j for j in conformity["jurisdictions"] if j["jurisdiction"] == code), None)
    return {
        "law": doc,
        "profile": profile,
        "cells": [
            {
                "column": c,
                "text": TRI[flat_value(profile, k, s)][0],
                "css": TRI[flat_value(profile, k, s)][1],
            }
            for c, (k, s) in zip(columns(), FLAT_KEYS)
        ]
        if profile
        else [],
    }


# ---------------------------------------------------------------------------------------------
# evidence


def figure(result: dict) -> dict[str, Any]:
    """Chart spec, source line, and the same numbers as a table (the chart's text alternative),
    with each row's period coverage; labels in words."""
    if indicator(result["indicator"]).series:
        return published_figure(result)
    dims = result["by"]
    table = [
        [label(d, row.get(d)) if d not in ("year", "month") else row.get(d) for d in dims]
        + [row.get("value"), partial_note(row)]
        for row in result["rows"]
    ]
    spec = None
    if any(row.get("value") is not None for row in result["rows"]):
        chart = build_chart(copy.deepcopy(result), sources_in_title=False).properties(
            width="container", height=300
        )
        spec = chart.to_dict()
    return {
        "spec": spec,
        "source": source_line(result),
        "dims": [DIM_LABELS.get(d, d) for d in dims],
        "table": table,
        "gaps": result["gaps"],
        "sources": result["sources"],
    }


PERIOD_TYPES = {
    "calendar_year": "full year",
    "month": "month",
    "partial_year": "year to date",
    "aug_to_jul": "August-July year",
    "stock_end_of_year": "at year end",
    "point_in_time_statement": "statement",
    "two_years_2022_2023": "2022 and 2023 together",
    "partial_year_unallocated": "part of the year",
    "unclear_probably_partial": "probably part of the year",
}


def published_figure(result: dict) -> dict[str, Any]:
    """Published figures: a chart of the full years and every figure in a table with its publisher
    linked to the page it was read on."""
    chart = build_figures_chart(result)
    table = []
    for r in result["rows"]:
        period = PERIOD_TYPES.get(r["period_type"], r["period_type"].replace("_", " "))
        if r["month"]:
            period = f"{r['year']}-{r['month']:02d}"
        if r["as_of"]:
            period += f" (to {r['as_of']})"
        value = (
            number(r["value"])
            if r["value"] is not None
            else f"{number(r['value_low'])}-{number(r['value_high'])}"
        )
        table.append(
            {
                "what": series_label(r["series"]),
                "where": r["geo"] or "",
                "year": r["year"],
                "period": period,
                "value": value,
                "unit": r["unit"] or "",
                "publisher": r["publisher"],
                "address": r["address"],
                "note": r["note"] or "",
            }
        )
    spec = chart.properties(width="container", height=300).to_dict() if chart is not None else None
    return {
        "spec": spec,
        "source": source_line(result),
        "figures": table,
        "dims": [],
        "table": [],
        "gaps": result["gaps"],
        "sources": result["sources"],
    }


def latest_figures(result: dict) -> dict[str, Any] | None:
    """The latest full-year figures of the indicator's first published series (every publisher's
    figure for that year, side by side), as a headline."""
    full = [r for r in result["rows"] if r["period_type"] == "calendar_year" and r["month"] is None]
    if not full:
        return None
    order = {name: i for i, name in enumerate(indicator(result["indicator"]).series)}
    first = min(full, key=lambda r: order.get(r["series"], len(order)))["series"]
    year = max(r["year"] for r in full if r["series"] == first)
    chosen, seen = [], set()
    for r in full:
        key = (
            r["geo"],
            r["departure_country"],
            r["value"],
            r["value_low"],
            r["publisher"].split(" (")[0],
        )
        if r["series"] == first and r["year"] == year and key not in seen:
            seen.add(key)
            value = r["value"] if r["value"] is not None else None
            where = f"from {r['departure_country']}" if r["departure_country"] else r["geo"]
            chosen.append(
                {
                    "label": f"{where} · {r['publisher']}",
                    "value": value,
                    "unit": r["unit"],
                    "range": None
                    if value is not None
                    else f"{number(r['value_low'])}-{number(r['value_high'])}",
                }
            )
    return {
        "year": year,
        "complete": True,
        "partial": None,
        "items": chosen[:4],
        "more": max(0, len(result["rows"]) - len(chosen[:4])),
        "what": series_label(first),
        "source": "; ".join(source_lines(result)),
        "figures": True,
    }


def latest(result: dict) -> dict[str, Any] | None:
    """The latest complete year's rows of a by-year result, saying which year and which later
    year is partial (with the months its data cover): a headline with its source line."""
    rows = [r for r in result["rows"] if r.get("value") is not None and r.get("year") is not None]
    if not rows:
        return None
    complete = [r for r in rows if (r.get("coverage") or {}).get("complete")]
    year = max(r["year"] for r in (complete or rows))
    later = [r for r in rows if r["year"] > year]
    partial = None
    if later:
        last = max(later, key=lambda r: r["year"])["coverage"]
        partial = (
            f"{max(r['year'] for r in later)} is partial (data {last['first']} to {last['last']})"
        )
    series = [d for d in result["by"] if d != "year"]
    chosen = sorted((r for r in (complete or rows) if r["year"] == year), key=lambda r: -r["value"])
    items = [
        {
            "label": " / ".join(label(d, r[d]) for d in series if r[d] is not None) or None,
            "value": r["value"],
        }
        for r in chosen
    ]
    return {
        "year": year,
        "complete": bool(complete),
        "partial": partial,
        "items": items[:6],
        "more": max(0, len(items) - 6),
        "source": "; ".join(source_lines(result)),
    }
