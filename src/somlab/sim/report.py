"""Renderings of simulation results: rich tables, CSV, and HTML with Altair charts."""

from __future__ import annotations

import json

import pandas as pd


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def outcomes_frame(document: dict) -> pd.DataFrame:
    return pd.DataFrame([{"outcome": k, **v} for k, v in document["outcomes"].items()])


def print_table(document: dict, console) -> None:
    from rich.table import Table

    head = Table(title=f"{document['scenario']} - {document['runs']} runs, seed {document['seed']}")
    for column in ("outcome", "median", "5%", "95%"):
        head.add_column(column, justify="left" if column == "outcome" else "right")
    for name, band in document["outcomes"].items():
        head.add_row(name, _fmt(band["median"]), _fmt(band["p05"]), _fmt(band["p95"]))
    console.print(head)
    for target, v in document["validation"].items():
        console.print(f"ARD {target}: {_fmt(v['ard'])}  ({v['series']})")
    console.print(f"parameters: {document['parameters_status']}")


def series_chart(tidy: pd.DataFrame, title: str):
    import altair as alt

    base = alt.Chart(tidy).encode(x=alt.X("month:T", title=None))
    band = base.mark_area(opacity=0.25).encode(y=alt.Y("simulated_p05:Q", title="persons per month"), y2="simulated_p95:Q")
    sim = base.mark_line().encode(y="simulated:Q")
    obs = base.mark_line(color="black", strokeDash=[4, 2]).encode(y="observed:Q")
    return alt.layer(band, sim, obs).properties(width=640, height=200).facet(row="series:N").resolve_scale(y="independent").properties(
        title=f"{title}: simulated median and 5-95% band (blue), observed (black, dashed)")


def html_page(title: str, sections: list[tuple[str, object]], document: dict) -> str:
    """A self-contained page: each section is (heading, Altair chart or DataFrame)."""
    parts = [f"<h1>{title}</h1>"]
    for heading, item in sections:
        parts.append(f"<h2>{heading}</h2>")
        parts.append(item.to_html(index=False, float_format=lambda v: _fmt(v)) if isinstance(item, pd.DataFrame) else _embed(item))
    parts.append(f"<h2>Document</h2><pre>{json.dumps(document, indent=2)}</pre>")
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>" + "\n".join(parts) + "</body></html>"


def _embed(chart) -> str:
    """Inline SVG (readable offline, via vl-convert) of an Altair chart."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json())
