"""Differences between two ensembles (two scenarios, or one scenario under two sets of levers).

Runs with the same index share a seed, so differences are taken run by run (common random
numbers) and reported with their own 5-95% band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from somlab.bands import band
from somlab.sim import outcomes


def differences(runs_a: list[dict], scenario_a, runs_b: list[dict], scenario_b) -> pd.DataFrame:
    rows_a = [outcomes.per_run(r, outcomes.focus_mask(scenario_a)) for r in runs_a]
    rows_b = [outcomes.per_run(r, outcomes.focus_mask(scenario_b)) for r in runs_b]
    table = []
    for name in rows_a[0]:
        a = np.array([row[name] for row in rows_a])
        b = np.array([row[name] for row in rows_b])
        diff = b - a
        relative = np.divide(diff, np.abs(a), out=np.full_like(diff, np.nan), where=a != 0)
        table.append(
            {
                "outcome": name,
                **band(a, "a_median", "a_"),
                **band(b, "b_median", "b_"),
                **band(diff, "difference_median", "difference_"),
                "relative_median": float(np.nanmedian(relative))
                if np.isfinite(relative).any()
                else None,
            }
        )
    return pd.DataFrame(table)


def monthly(runs_a, scenario_a, runs_b, scenario_b, series: str = "arrivals") -> pd.DataFrame:
    frames = []
    for label, runs, scenario in (("A", runs_a, scenario_a), ("B", runs_b, scenario_b)):
        mask = outcomes.focus_mask(scenario)
        sims = np.stack([r[series][:, mask].sum(axis=1) for r in runs])
        frames.append(
            pd.DataFrame({"month": scenario.months, "variant": label, **band(sims, axis=0)})
        )
    return pd.concat(frames, ignore_index=True)


def charts(diff: pd.DataFrame, monthly_frames: dict[str, pd.DataFrame]):
    import altair as alt

    bars = (
        alt.Chart(diff.dropna(subset=["relative_median"]))
        .mark_bar()
        .encode(
            y=alt.Y("outcome:N", sort=None, title=None),
            x=alt.X(
                "relative_median:Q",
                title="B relative to A (median of paired runs)",
                axis=alt.Axis(format="%"),
            ),
            color=alt.condition(
                "datum.relative_median > 0", alt.value("#b2182b"), alt.value("#2166ac")
            ),
        )
        .properties(width=500, title="Relative difference B vs A")
    )
    lines = []
    for series, frame in monthly_frames.items():
        base = alt.Chart(frame).encode(x=alt.X("month:T", title=None), color="variant:N")
        lines.append(
            alt.layer(
                base.mark_area(opacity=0.2).encode(
                    y=alt.Y("p05:Q", title=f"{series} per month"), y2="p95:Q"
                ),
                base.mark_line().encode(y="median:Q"),
            ).properties(width=640, height=180, title=f"{series}: median and 5-95% band")
        )
    return alt.vconcat(bars, *lines)
