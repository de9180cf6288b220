"""Turn an indicator result into text (table, JSON, CSV) or a chart file (PNG, SVG, HTML)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from somlab import csvsafe
from somlab.evidence.catalogue import indicator

FORMATS = ("table", "json", "csv", "png", "svg", "html")
CHART_FORMATS = {"png", "svg", "html"}


def emit(result: dict, fmt: str, out: Path | None = None) -> str:
    """The text to print; for chart formats the chart is written to `out` (default ./NAME.FORMAT)."""
    if fmt == "json":
        return json.dumps(result, indent=2, default=str)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "table":
        return to_table(result)
    from somlab.evidence.charts import save_chart

    path = out or Path(f"{result['indicator']}.{fmt}")
    save_chart(result, path)
    return f"wrote {path}"


def _columns(result: dict) -> list[str]:
    if indicator(
        result["indicator"]
    ).series:  # published figures: each with its publisher and address
        return [
            "series",
            "geo",
            "departure_country",
            "year",
            "month",
            "period_type",
            "as_of",
            "value",
            "value_low",
            "value_high",
            "unit",
            "publisher",
            "address",
        ]
    return list(result["by"]) + ["value"]


def chart_bytes(result: dict, fmt: str) -> bytes | None:
    """The result's chart as SVG or PNG bytes (None when there is nothing to draw)."""
    import vl_convert

    from somlab.evidence.charts import chart_for

    chart = chart_for(result)
    if chart is None:
        return None
    spec = chart.to_dict()
    return (
        vl_convert.vegalite_to_svg(spec).encode()
        if fmt == "svg"
        else vl_convert.vegalite_to_png(spec, scale=2)
    )


def to_csv(result: dict) -> str:
    buffer = io.StringIO()
    writer = csvsafe.Writer(buffer, lineterminator="\n")
    columns = _columns(result)
    writer.writerow(columns)
    for row in result["rows"]:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, float):
        return f"{value:,.3f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def _figures_text(result: dict) -> list[str]:
    """Published figures, two short lines each: what, where, when and the value; who and where read."""
    lines = []
    for r in result["rows"]:
        when = f"{r['year']}-{r['month']:02d}" if r["month"] else str(r["year"])
        where = (
            r["geo"] + (f" from {r['departure_country']}" if r["departure_country"] else "")
            if r["geo"]
            else ""
        )
        value = (
            _cell(r["value"])
            if r["value"] is not None
            else f"{_cell(r['value_low'])}-{_cell(r['value_high'])}"
        )
        period = r["period_type"] + (f" to {r['as_of']}" if r["as_of"] else "")
        lines.append(f"{when}  {r['series']}  {where}  {value} ({r['unit']}; {period})")
        lines.append(f"      {r['publisher']}: {r['address']}")
    return lines


def to_table(result: dict) -> str:
    """Plain columns, values never cut (readable piped or at 80 columns); a `period` column when a
    row's data do not cover its whole period; each source with the period its data cover.
    Published figures are listed one by one with their publisher and address."""
    from somlab.evidence.charts import partial_note

    if indicator(result["indicator"]).series:
        lines = [f"{result['indicator']} (figures as published)"] + _figures_text(result)
        if result["gaps"]:
            lines += ["gaps:"] + [f"  {gap}" for gap in result["gaps"]]
        return "\n".join(lines)
    columns = _columns(result)
    cells = [[_cell(row.get(c)) for c in columns] for row in result["rows"]]
    if any(partial_note(row) != "complete" for row in result["rows"]):
        columns = columns + ["period"]
        cells = [cell + [partial_note(row)] for cell, row in zip(cells, result["rows"])]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        f"{result['indicator']} ({result['unit']})",
        "  ".join(c.ljust(w) for c, w in zip(columns, widths)),
    ]
    value_column = len(_columns(result)) - 1
    lines += [
        "  ".join(
            v.rjust(w) if i == value_column else v.ljust(w)
            for i, (v, w) in enumerate(zip(r, widths))
        ).rstrip()
        for r in cells
    ]
    if result["sources"]:
        lines.append("sources:")
        lines += [
            f"  {s['file_name']} ({s['source']}, {s['vintage']}, data {s.get('data_from')} to "
            f"{s.get('data_to')}, sha256 {s['sha256'][:12]})"
            for s in result["sources"]
        ]
    if result["gaps"]:
        lines.append("gaps:")
        lines += [f"  {gap}" for gap in result["gaps"]]
    return "\n".join(lines)
