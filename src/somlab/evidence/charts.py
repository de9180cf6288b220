"""Charts of indicator results with Altair (Vega-Lite): titled, labelled, with a source line."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from somlab import htmlsafe

_TIME_DIMS = ("year", "month")


def source_line(result: dict) -> str:
    files = "; ".join(f"{s['publisher'] or s['source']} ({s['file_name']})" for s in result["sources"])
    return f"Source: {files}" if files else "Source: none (no data for this selection)"


def build_chart(result: dict) -> alt.Chart:
    """Lines over time when the result has a year, bars otherwise; one colour per other dimension."""
    from somlab.evidence.indicators import indicator

    spec = indicator(result["indicator"])
    rows = [row for row in result["rows"] if row.get("value") is not None]
    by = result["by"]
    series = [dim for dim in by if dim not in _TIME_DIMS]
    for row in rows:
        row["series"] = " / ".join(str(row[dim]) if row[dim] is not None else "unknown" for dim in series) or spec.name
        if "year" in by and "month" in by and row["month"] is not None:
            row["period"] = f"{row['year']:04d}-{row['month']:02d}-01"
    data = alt.Data(values=rows)
    y = alt.Y("value:Q", title=spec.unit)
    color = alt.Color("series:N", title=" / ".join(series) or None)
    title = alt.TitleParams(spec.title, subtitle=[source_line(result)], anchor="start", subtitleFontSize=10)
    if "year" in by:
        x = (alt.X("period:T", title="Month", timeUnit="yearmonth") if "month" in by
             else alt.X("year:O", title="Year"))
        chart = alt.Chart(data).mark_line(point=True).encode(x=x, y=y, color=color)
    else:
        chart = alt.Chart(data).mark_bar().encode(x=y, y=alt.Y("series:N", title=" / ".join(series) or None, sort="-x"))
    return chart.properties(title=title, width=640, height=320)


def save_chart(result: dict, path: Path) -> Path:
    """Write the chart; the format follows the suffix (.png, .svg, .html)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return htmlsafe.save_chart(build_chart(result), path)
