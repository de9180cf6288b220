"""Renderings of simulation results: rich tables, CSV, and HTML with Altair charts."""

from __future__ import annotations

import json
from html import escape

import pandas as pd


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def outcomes_frame(document: dict) -> pd.DataFrame:
    return pd.DataFrame([{"outcome": k, **v} for k, v in document["outcomes"].items()])


SCORES = ("ard", "ard_yearly", "mean_abs_log_ratio", "wape", "band_90_coverage")


def scores_frame(document: dict) -> pd.DataFrame:
    """One row per validation target: ARD beside the symmetric scores and the 90% band's coverage."""
    return pd.DataFrame(
        [
            {"target": k, **{s: v.get(s) for s in SCORES}, "observed": v["series"]}
            for k, v in document["validation"].items()
        ]
    )


def print_table(document: dict, console) -> None:
    from rich.table import Table

    head = Table(title=f"{document['scenario']} - {document['runs']} runs, seed {document['seed']}")
    for column in ("outcome", "median", "5%", "95%"):
        head.add_column(column, justify="left" if column == "outcome" else "right")
    for name, band in document["outcomes"].items():
        head.add_row(name, _fmt(band["median"]), _fmt(band["p05"]), _fmt(band["p95"]))
    console.print(head)
    for target, v in document["validation"].items():
        yearly = (
            f", yearly totals {_fmt(v['ard_yearly'])}" if v.get("ard_yearly") is not None else ""
        )
        yearly += (
            f", running totals {_fmt(v['ard_cumulative'])}"
            if v.get("ard_cumulative") is not None
            else ""
        )
        symmetric = (
            f"; mean |log ratio| {_fmt(v.get('mean_abs_log_ratio'))}, WAPE {_fmt(v.get('wape'))}"
        )
        if v.get("band_90_coverage") is not None:
            symmetric += f", observed inside the 90% band in {v['band_90_coverage']:.0%} of months"
        console.print(f"ARD {target}: {_fmt(v['ard'])}{yearly}{symmetric}  ({v['series']})")
        ref = v.get("reference_ard") or {}
        if ref.get("smoothed_3_months") is not None:
            console.print(
                f"  for reference, on the observed series itself: 3-month smoother {_fmt(ref['smoothed_3_months'])}, "
                f"previous month {_fmt(ref['previous_month'])}, yearly totals x mean profile "
                f"{_fmt(ref['yearly_totals_x_mean_profile'])}"
            )
    console.print(f"parameters: {document['parameters_status']}")
    console.print(f"parameter uncertainty: {document['parameter_uncertainty']['note']}")
    if "exposure" in document:
        print_exposure(document["exposure"], console)


def series_chart(tidy: pd.DataFrame, title: str):
    """Simulated median and band against the observed series, one panel per monthly target."""
    import altair as alt

    from somlab.sim.validation import target_months

    base = alt.Chart(target_months(tidy)).encode(x=alt.X("month:T", title=None))
    band = base.mark_area(opacity=0.25).encode(
        y=alt.Y("simulated_p05:Q", title="persons per month"), y2="simulated_p95:Q"
    )
    sim = base.mark_line().encode(y="simulated:Q")
    obs = base.mark_line(color="black", strokeDash=[4, 2]).encode(y="observed:Q")
    return (
        alt.layer(band, sim, obs)
        .properties(width=640, height=200)
        .facet(row="series:N")
        .resolve_scale(y="independent")
        .properties(
            title=f"{title}: simulated median and 5-95% band (blue), observed (black, dashed)"
        )
    )


def html_page(title: str, sections: list[tuple[str, object]], document: dict) -> str:
    """A self-contained page: each section is (heading, Altair chart or DataFrame)."""
    parts = [f"<h1>{escape(title)}</h1>"]
    for heading, item in sections:
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append(
            item.to_html(index=False, float_format=lambda v: _fmt(v))
            if isinstance(item, pd.DataFrame)
            else _embed(item)
        )
    parts.append(f"<h2>Document</h2><pre>{escape(json.dumps(document, indent=2))}</pre>")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
        + "\n".join(parts)
        + "</body></html>"
    )


def _embed(chart) -> str:
    """Inline SVG (readable offline, via vl-convert) of an Altair chart."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json())


EXPOSURE_COLUMNS = ("criminalised", "not_criminalised", "undetermined", "not_assessed")


def exposure_frame(section: dict) -> pd.DataFrame:
    """One row per jurisdiction x role: each status as median and 5-95% band."""
    rows = []
    for row in section["rows"]:
        out = {"jurisdiction": row["jurisdiction"], "role": row["role"]}
        for status in EXPOSURE_COLUMNS:
            out.update(
                {
                    f"{status}_median": row[status]["median"],
                    f"{status}_p05": row[status]["p05"],
                    f"{status}_p95": row[status]["p95"],
                }
            )
        out["undetermined_facts"] = ";".join(row["undetermined_facts"])
        rows.append(out)
    return pd.DataFrame(rows)


ROLE_LABELS = {
    "commercial_smuggler": "smuggler",
    "boat_driver_migrant": "migrant driver",
    "ngo_rescuer": "NGO rescuer",
    "family_member": "family",
}


def _band_text(band: dict) -> str:
    """Whole actors: median, then the 5-95% band on a second line unless it is a single value."""
    whole = lambda v: f"{v:,.0f}"
    if round(band["p05"]) == round(band["p95"]):
        return whole(band["median"])
    return f"{whole(band['median'])}\n[{whole(band['p05'])}-{whole(band['p95'])}]"


def print_exposure(section: dict, console) -> None:
    from rich.table import Table

    table = Table(
        title=f"Exposure to the law: actors on {', '.join(section['routes'])}, median [5-95%]; "
        f"law in force on {section['law_date']}"
    )
    for column in (
        "jurisdiction",
        "role",
        "criminalised",
        "not crim.",
        "undetermined",
        "not assessed",
    ):
        table.add_column(column, justify="left" if column in ("jurisdiction", "role") else "right")
    for row in section["rows"]:
        table.add_row(
            row["jurisdiction"],
            ROLE_LABELS.get(row["role"], row["role"]),
            *(_band_text(row[s]) for s in EXPOSURE_COLUMNS),
        )
    console.print(table)
    facts = {f for row in section["rows"] for f in row["undetermined_facts"]}
    if facts:
        console.print(f"undetermined: the simulated events do not carry {', '.join(sorted(facts))}")
    console.print("not assessed: no encoded wording of that law in force on the date")
