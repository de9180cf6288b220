"""Charts of indicator results with Altair (Vega-Lite): the period in the title, labels in words,
at most eight series (the largest, the rest as "other"), partial periods marked, a source line
with each file's data period."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from somlab import htmlsafe
from somlab.evidence.catalogue import indicator

_TIME_DIMS = ("year", "month")
MAX_SERIES = 8

DIM_LABELS = {
    "dataset": "publisher",
    "border_type": "border",
    "incident_type": "incident type",
    "base": "base",
    "measure": "measure",
    "route": "route",
    "region": "region",
    "country": "country",
    "nationality": "nationality",
    "cause": "cause of death",
    "year": "year",
    "month": "month",
}
VALUE_LABELS = {
    "dataset": {
        "iom_mmp": "IOM Missing Migrants",
        "iom_dtm_arrivals": "IOM DTM",
        "unhcr_arrivals": "UNHCR",
        "uk_small_boats": "UK Home Office",
        "somlab_tidy": "published reports",
        "italy_sea_arrivals_total": "Italy, Interior Ministry / Polizia di Stato",
        "libya_intercepted_returned": "Libyan coast guard (UNHCR, IOM)",
        "frontex_ibc": "Frontex",
        "eurostat_eipre": "Eurostat",
        "eurostat_eirfs": "Eurostat",
        "eurostat_eiord": "Eurostat",
        "eurostat_eirtn": "Eurostat",
    },
    "base": {
        "arrival": "per arrival",
        "arrival_interception": "per arrival or interception",
        "departure": "per departure",
    },
    "measure": {
        "illegally_present": "found illegally present",
        "refused_entry": "refused entry",
        "ordered_to_leave": "ordered to leave",
        "returned": "returned",
        "arrivals": "arrivals",
        "interceptions": "interceptions",
        "detections": "detections",
    },
}


_SERIES_WORDS = {
    "ytd": "year to date",
    "aug jul": "August-July",
    "tr": "Turkish",
    "art12": "art. 12",
    "emsc": "EMSC",
    "ftdes": "FTDES",
    "med": "Mediterranean",
    "el": "",
    "tn": "",
}


SERIES_TITLES = {
    "libya_intercepted_returned": "Intercepted or rescued at sea and returned to Libya",
    "libya_intercepted_returned_ytd": "Intercepted or rescued at sea and returned to Libya, year to date",
    "libya_rescued_in_libyan_territorial_waters": "Rescued in Libyan territorial waters",
    "tunisia_intercepted_prevented": "Intercepted at sea or prevented from departing, Tunisia",
    "north_africa_coastguard_interceptions": "Intercepted by North African coast guards",
    "italy_scafisti_basisti_fermati": "Boat drivers and organisers arrested after disembarkation, Italy",
    "italy_scafisti_arrested_aug_jul": "Boat drivers arrested, Italy, August-July",
    "italy_sea_arrivals_by_departure_country": "Sea arrivals to Italy by country of departure",
    "italy_sea_arrivals_share_by_departure_country": "Share of sea arrivals to Italy by country of departure",
    "italy_sea_arrivals_total": "Sea arrivals to Italy, all departure countries",
    "frontex_facilitators_detected": "Facilitators detected (Frontex)",
    "smuggling_fee_libya_italy_sea_leg": "Fee for the Libya-Italy sea crossing",
    "smuggling_fee_whole_journey_all_routes": "Fee for the whole journey to Europe",
    "central_med_smuggling_market_value": "Value of the Central Mediterranean smuggling market",
}


def series_label(name: str) -> str:
    """A published series' name in words: its title, else the name spelt out
    ('greece_smugglers_arrested_tr_border' -> 'Greece smugglers arrested Turkish border')."""
    if name in SERIES_TITLES:
        return SERIES_TITLES[name]
    text = " ".join(
        _SERIES_WORDS.get(w, w) for w in name.replace("aug_jul", "aug jul").split("_")
    ).split()
    words = " ".join(text)
    for suffix in ("year to date", "August-July"):
        words = words.replace(f" {suffix}", f", {suffix}")
    return words[:1].upper() + words[1:]


def label(dim: str, value: object) -> str:
    """A dimension's value in words, as shown to readers."""
    if value is None:
        return "unknown"
    if dim == "series":
        return series_label(str(value))
    return VALUE_LABELS.get(dim, {}).get(str(value), str(value))


SOURCE_NAMES = {
    "iom_mmp": "IOM Missing Migrants Project",
    "frontex_ibc": "Frontex",
    "iom_dtm_arrivals": "IOM DTM",
    "unhcr_arrivals": "UNHCR",
    "eurostat_enforcement": "Eurostat",
    "uk_small_boats": "UK Home Office",
    "somlab_tidy": "published reports",
    "published_figures": "figures published in reports",
}


def source_lines(result: dict) -> list[str]:
    """One short line per source, for chart subtitles: its name and the period its data cover."""
    by_source: dict[str, list[dict]] = {}
    for source in result["sources"]:
        by_source.setdefault(source["source"], []).append(source)
    lines = []
    for name, files in by_source.items():
        dated = [f for f in files if f.get("data_to")]
        span = (
            f", data {min(f['data_from'] for f in dated)} to {max(f['data_to'] for f in dated)}"
            if dated
            else ""
        )
        vintages = {f.get("data_vintage") for f in files}
        as_of = (
            f" (as of {next(iter(vintages))})"
            if len(vintages) == 1 and None not in vintages
            else ""
        )
        lines.append(f"Source: {SOURCE_NAMES.get(name, name)}{span}{as_of}")
    return lines or ["Source: none (no data for this selection)"]


def _source_text(source: dict) -> str:
    period = (
        f"data {source['data_from']} to {source['data_to']}"
        if source.get("data_to")
        else "no dated data"
    )
    as_of = source.get("data_vintage") or f"ingested {source['ingested_at'][:10]}"
    return f"{source['publisher'] or source['source']} ({source['file_name']}; {period}; as of {as_of})"


def source_line(result: dict) -> str:
    files = "; ".join(_source_text(s) for s in result["sources"])
    return f"Source: {files}" if files else "Source: none (no data for this selection)"


def period_text(result: dict) -> str:
    """The period the figures cover, for titles: '2014-2025', or the coverage of a total."""
    years = sorted({r["year"] for r in result["rows"] if r.get("year") is not None})
    if years:
        return f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    spans = [r["coverage"] for r in result["rows"] if (r.get("coverage") or {}).get("first")]
    if spans:
        return f"{min(c['first'] for c in spans)} to {max(c['last'] for c in spans)}"
    return ""


def partial_note(row: dict) -> str:
    coverage = row.get("coverage") or {}
    if coverage.get("complete") is False:
        return f"partial (data {coverage['first']} to {coverage['last']})"
    return "complete"


def chart_rows(result: dict) -> tuple[list[dict], int]:
    """Rows to draw: a `series` label in words per row, at most MAX_SERIES series (the largest by
    total; the rest summed as 'other' where values add up, else left to the table); the number of
    series not drawn separately."""
    by = result["by"]
    series_dims = [dim for dim in by if dim not in _TIME_DIMS]
    rows = []
    for row in result["rows"]:
        if row.get("value") is None:
            continue
        drawn = {
            **row,
            "series": " / ".join(label(d, row[d]) for d in series_dims) or result["indicator"],
            "period_state": partial_note(row),
        }
        if "year" in by and "month" in by and row.get("month") is not None:
            drawn["period"] = f"{row['year']:04d}-{row['month']:02d}-01"
        rows.append(drawn)
    totals: dict[str, float] = {}
    for row in rows:
        totals[row["series"]] = totals.get(row["series"], 0) + row["value"]
    if len(totals) <= MAX_SERIES:
        return rows, 0
    adds_up = indicator(result["indicator"]).measure.adds_up
    keep = set(
        sorted(totals, key=lambda name: totals[name], reverse=True)[
            : MAX_SERIES - 1 if adds_up else MAX_SERIES
        ]
    )
    left = len(totals) - len(keep)
    out = [r for r in rows if r["series"] in keep]
    if adds_up:
        other: dict[tuple, dict] = {}
        for r in rows:
            if r["series"] in keep:
                continue
            key = tuple(r.get(d) for d in ("year", "month", "period"))
            slot = other.setdefault(
                key,
                {
                    **{d: r.get(d) for d in ("year", "month", "period") if d in r},
                    "series": f"other ({left} series)",
                    "value": 0,
                    "period_state": r["period_state"],
                },
            )
            slot["value"] += r["value"]
        out += list(other.values())
    return out, left


def _title(text: str, period: str) -> str | list[str]:
    """The title with its period; on two lines when long, so that it fits a phone."""
    if not period:
        return text
    return f"{text}, {period}" if len(text) + len(period) < 44 else [f"{text},", period]


def build_figures_chart(result: dict) -> alt.TopLevelMixin | None:
    """Published full-year figures over time, one colour per series and publisher (conflicting
    figures side by side); None when there is no full-year figure to draw."""
    spec = indicator(result["indicator"])
    full = [
        r
        for r in result["rows"]
        if r["period_type"] == "calendar_year" and r["value"] is not None and r["month"] is None
    ]
    if not full:
        return None
    # one series (one unit) on the chart: the indicator's first with full years; one colour per
    # place (or departure country) and publisher
    drawn = min(
        {r["series"] for r in full},
        key=lambda name: spec.series.index(name) if name in spec.series else 99,
    )
    rows = [
        {
            "year": r["year"],
            "value": r["value"],
            "publisher": r["publisher"],
            "series": f"{r['departure_country'] or r['geo']}, {r['publisher'].split(' (')[0]}",
        }
        for r in full
        if r["series"] == drawn and "+" not in (r["departure_country"] or "")
    ]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["series"]] = counts.get(row["series"], 0) + 1
    keep = set(sorted(counts, key=lambda name: counts[name], reverse=True)[:MAX_SERIES])
    rows = [r for r in rows if r["series"] in keep]
    years = sorted({r["year"] for r in rows})
    subtitle = [f"{series_label(drawn)}: full years, as published"]
    if len(counts) > len(keep):
        subtitle.append(f"{len(counts) - len(keep)} more series in the table")
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("value:Q", title=spec.unit),
        color=alt.Color(
            "series:N",
            title="where, publisher",
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=300),
        ),
        tooltip=[
            alt.Tooltip("series:N"),
            alt.Tooltip("year:O"),
            alt.Tooltip("value:Q", format=","),
        ],
    )
    title = alt.TitleParams(
        _title(spec.title, f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])),
        subtitle=subtitle,
        anchor="start",
        subtitleFontSize=10,
    )
    return alt.layer(base.mark_line(opacity=0.5), base.mark_point(size=50, filled=True)).properties(
        title=title, width=640, height=300
    )


def build_chart(result: dict, sources_in_title: bool = True) -> alt.TopLevelMixin:
    """Lines over time when the result has a year, bars otherwise; one colour per other dimension;
    points of partial periods drawn hollow, saying so under the title (with the sources, unless
    the page prints them beside the chart)."""
    spec = indicator(result["indicator"])
    by = result["by"]
    series_dims = [dim for dim in by if dim not in _TIME_DIMS]
    rows, left = chart_rows(result)
    data = alt.Data(values=rows)
    series_title = " / ".join(DIM_LABELS.get(d, d) for d in series_dims) or None
    period = period_text(result)
    subtitle = source_lines(result) if sources_in_title else []
    if left and not spec.measure.adds_up:
        subtitle.append(f"{left} more series in the table")
    if any(r["period_state"] != "complete" for r in rows):
        subtitle.append("Hollow points: partial periods")
    title = alt.TitleParams(
        _title(spec.title, period), subtitle=subtitle, anchor="start", subtitleFontSize=10
    )
    y = alt.Y("value:Q", title=spec.unit)
    color = alt.Color(
        "series:N",
        title=series_title,
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=300, symbolLimit=MAX_SERIES + 1),
    )
    tooltip = [
        alt.Tooltip("series:N", title=series_title or "series"),
        alt.Tooltip("value:Q", format=","),
    ]
    if "year" in by:
        x = (
            alt.X("period:T", title="Month", timeUnit="yearmonth")
            if "month" in by
            else alt.X("year:O", title="Year")
        )
        base = alt.Chart(data).encode(x=x, y=y, color=color)
        lines = base.mark_line()
        points = base.mark_point(size=45, strokeWidth=2).encode(
            fill=alt.condition(
                "datum.period_state == 'complete'", "series:N", alt.value("white"), legend=None
            ),
            tooltip=tooltip
            + [alt.Tooltip("year:O"), alt.Tooltip("period_state:N", title="period")],
        )
        chart = alt.layer(lines, points)
    else:
        chart = (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=y,
                y=alt.Y("series:N", title=series_title, sort="-x", axis=alt.Axis(labelLimit=200)),
                tooltip=tooltip,
            )
        )
    return chart.properties(title=title, width=640, height=320)


def chart_for(result: dict) -> alt.TopLevelMixin | None:
    """The indicator's chart as its definition draws it: published figures as published, other
    indicators by their breakdown; None when there is nothing to draw."""
    if indicator(result["indicator"]).series:
        return build_figures_chart(result)
    return build_chart(result) if any(r.get("value") is not None for r in result["rows"]) else None


def save_chart(result: dict, path: Path) -> Path:
    """Write the chart; the format follows the suffix (.png, .svg, .html)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return htmlsafe.save_chart(build_chart(result), path)
