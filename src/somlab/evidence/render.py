"""Turn an indicator result into text (table, JSON, CSV) or a chart file (PNG, SVG, HTML)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from somlab import csvsafe

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
    return list(result["by"]) + ["value"]


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


def to_table(result: dict) -> str:
    columns = _columns(result)
    cells = [[_cell(row.get(c)) for c in columns] for row in result["rows"]]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [f"{result['indicator']} ({result['unit']})", "  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) if i == len(columns) - 1 else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths)))
              for r in cells]
    if result["sources"]:
        lines.append("sources:")
        lines += [f"  {s['file_name']} ({s['source']}, {s['vintage']}, sha256 {s['sha256'][:12]})" for s in result["sources"]]
    if result["gaps"]:
        lines.append("gaps:")
        lines += [f"  {gap}" for gap in result["gaps"]]
    return "\n".join(lines)
