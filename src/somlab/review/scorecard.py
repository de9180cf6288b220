"""The balance scorecard: per state, the share of the Protocol's obligations per objective that a
review finds implemented, partially implemented, not implemented, not applicable or unknown.

Counted: reviewed provisions whose strength is an obligation (shall, shall endeavour, shall
consider) and whose objective is one of prevent, prosecute, protect, cooperate. Unknown is a
column of its own, never folded into "not implemented": the seed's thesis (States implement
prosecution and neglect protection and cooperation) is visible only where evidence speaks.
Beside the statuses, each objective counts the obligations with any evidence cited at all
(context included): where that share is low, the absence of evidence is itself the finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from somlab import htmlsafe
from somlab.review.catalogue import units
from somlab.review.files import STATUSES, Review
from somlab.vocabulary import OBJECTIVES

SCHEMA = "somlab.scorecard/1"
COLOURS = {
    "implemented": "#1a7f37",
    "partially": "#d4a72c",
    "not implemented": "#cf222e",
    "not applicable": "#8c959f",
    "unknown": "#eaeef2",
}


def scorecard(review: Review) -> dict[str, Any]:
    rows = []
    for objective in OBJECTIVES:
        counted = [o for o in units() if o.objective == objective and o.is_obligation]
        counts = {s: 0 for s in STATUSES}
        for o in counted:
            counts[review.entry(o.id).status] += 1
        evidenced = sum(bool(review.entry(o.id).evidence) for o in counted)
        rows.append(
            {
                "objective": objective,
                "obligations": len(counted),
                "counts": counts,
                "shares": {s: round(n / len(counted), 4) for s, n in counts.items()},
                "with_evidence": evidenced,
                "evidence_share": round(evidenced / len(counted), 4),
            }
        )
    return {
        "state": review.state,
        "as_of": review.as_of,
        "reviewer": review.reviewer,
        "date": review.date,
        "objectives": rows,
    }


def compare(reviews: list[Review]) -> dict[str, Any]:
    return {"schema": SCHEMA, "states": [scorecard(r) for r in reviews]}


def table_rows(doc: dict[str, Any]) -> list[list[str]]:
    return [
        [
            card["state"],
            row["objective"],
            str(row["obligations"]),
            f"{row['with_evidence']} ({row['evidence_share']:.0%})",
            *[f"{row['counts'][s]} ({row['shares'][s]:.0%})" for s in STATUSES],
        ]
        for card in doc["states"]
        for row in card["objectives"]
    ]


def chart(doc: dict[str, Any]):
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(
        [
            {
                "state": card["state"],
                "objective": row["objective"],
                "status": s,
                "share": row["shares"][s],
                "count": row["counts"][s],
                "of": row["obligations"],
                "order": STATUSES.index(s),
            }
            for card in doc["states"]
            for row in card["objectives"]
            for s in STATUSES
        ]
    )
    return (
        alt.Chart(data)
        .mark_bar(stroke="#57606a", strokeWidth=0.3)
        .encode(
            x=alt.X(
                "share:Q",
                stack="normalize",
                axis=alt.Axis(format="%"),
                title="share of obligations",
            ),
            y=alt.Y("objective:N", sort=list(OBJECTIVES), title=None),
            color=alt.Color(
                "status:N",
                sort=list(STATUSES),
                title="status",
                scale=alt.Scale(domain=list(STATUSES), range=list(COLOURS.values())),
            ),
            order=alt.Order("order:Q"),
            row=alt.Row("state:N", title=None),
            tooltip=[
                "state",
                "objective",
                "status",
                "count",
                "of",
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(
            width=420,
            height=110,
            title="Implementation by Protocol objective (unknown: no evidence found)",
        )
    )


def save_chart(doc: dict[str, Any], path: Path) -> Path:
    return htmlsafe.save_chart(chart(doc), path)
