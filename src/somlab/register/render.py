"""Rendering the qualified register: one row per case (table, markdown, CSV) and the summary."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from somlab import csvsafe
from somlab.register.analysis import ASSESSED, FORUM, LABELS, SOM, Qualification, Verdict

HEADER = [
    "id",
    "forum",
    "date",
    "category",
    "outcome",
    "UN-SOM",
    "UN-TIP",
    "forum law",
    "UN-SOM facts missing",
    "forum law open because",
    "findings",
]


def verdict_text(v: Verdict) -> str:
    if v.status != ASSESSED:
        return v.status.replace("_", " ")
    if v.offence is None:
        return "?"
    if not v.offence:
        return "no offence"
    return "offence+agg" if v.aggravated else "offence"


def open_reason(v: Verdict) -> str:
    """Why an undetermined verdict is open: the unencoded provisions that could change it, and
    the facts the record does not state that would decide it."""
    if v.status != ASSESSED or v.offence is not None:
        return ""
    parts = []
    if v.offence_undecided_by:
        parts.append(
            "not encoded: "
            + "; ".join(f"{u['provision']} ({u['kind']})" for u in v.offence_undecided_by)
        )
    if v.offence_missing_facts:
        parts.append("record does not say: " + ";".join(v.offence_missing_facts))
    return " / ".join(parts)


def rows(items: Sequence[Qualification]) -> list[list[str]]:
    out = []
    for q in items:
        e = q.entry
        forum = q.verdicts[FORUM]
        out.append(
            [
                e.id,
                e.forum,
                e.date.isoformat(),
                e.category,
                e.outcome.final_status or "unknown",
                *(verdict_text(q.verdicts[label]) for label in LABELS[:2]),
                f"{forum.code}: {verdict_text(forum)}",
                ";".join(q.verdicts[SOM].offence_missing_facts),
                open_reason(forum),
                ";".join(sorted({f.kind for f in q.findings})),
            ]
        )
    return out


def csv_text(items: Sequence[Qualification]) -> str:
    buf = io.StringIO()
    writer = csvsafe.Writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(items))
    return buf.getvalue()


def _md_table(header: list[str], body: list[list[str]]) -> str:
    def cell(x: str) -> str:
        return x.replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def _tally_row(name: str, t: dict[str, int]) -> list[str]:
    return [
        name,
        *(
            str(t[k])
            for k in ("offence", "not_offence", "undetermined", "not_in_force", "not_encoded")
        ),
    ]


TALLY_HEADER = ["", "offence", "not an offence", "undetermined", "not in force", "not encoded"]


def summary_md(summary: dict[str, Any]) -> str:
    """The headline figures as markdown."""
    parts = [f"## Summary ({summary['cases']} cases)\n"]
    for key in (
        "protocol_not_required",
        "protocol_required",
        "protocol_undetermined",
        "protocol_not_in_force",
    ):
        item = summary[key]
        parts.append(
            f"- {item['meaning']}: **{len(item['ids'])}**"
            + (
                f" ({', '.join(item['ids'])})"
                if key != "protocol_undetermined" and item["ids"]
                else ""
            )
            + "\n"
        )
    parts.append(
        "\n### Verdicts\n\n"
        + _md_table(
            TALLY_HEADER, [_tally_row(label, summary["verdicts"][label]) for label in LABELS]
        )
    )
    parts.append(
        "\n### UN-SOM by category\n\n"
        + _md_table(
            ["category (cases)", *TALLY_HEADER[1:]],
            [
                _tally_row(f"{c} ({g['cases']})", g["verdicts"][SOM])[0:]
                for c, g in summary["by_category"].items()
            ],
        )
    )
    parts.append(
        "\n### UN-SOM by final outcome\n\n"
        + _md_table(
            ["outcome (cases)", *TALLY_HEADER[1:]],
            [
                _tally_row(f"{o} ({g['cases']})", g["verdicts"][SOM])
                for o, g in summary["by_outcome"].items()
            ],
        )
    )
    parts.append(
        "\n### Facts that would decide an undetermined UN-SOM verdict\n\n"
        + _md_table(
            ["fact", "cases"], [[m["fact"], str(m["cases"])] for m in summary["missing_facts"][SOM]]
        )
    )
    parts.append(
        "\n### Why undetermined forum-law verdicts are open\n\n"
        "Unencoded provisions that could change the verdict:\n\n"
        + (
            _md_table(
                ["law", "provision", "kind", "cases"],
                [
                    [u["jurisdiction"], u["provision"], u["kind"], str(u["cases"])]
                    for u in summary["undecided_by"][FORUM]
                ],
            )
            if summary["undecided_by"][FORUM]
            else "none\n"
        )
        + "\nFacts the records do not state that would decide it:\n\n"
        + (
            _md_table(
                ["fact", "cases"],
                [[m["fact"], str(m["cases"])] for m in summary["missing_facts"][FORUM]],
            )
            if summary["missing_facts"][FORUM]
            else "none\n"
        )
    )
    findings = summary["findings"]
    parts.append(
        "\n### Findings\n\n"
        + (
            _md_table(["kind", "cases"], [[k, str(n)] for k, n in findings.items()])
            if findings
            else "none\n"
        )
    )
    if summary["forums_not_encoded"]:
        parts.append(
            f"\nForums whose law is not encoded: {', '.join(summary['forums_not_encoded'])}\n"
        )
    return "".join(parts)


def markdown(items: Sequence[Qualification], summary: dict[str, Any]) -> str:
    legend = (
        "Verdicts: offence / offence+agg (aggravated) / no offence / ? (undetermined: the "
        'recorded facts do not decide it) / not in force / not encoded. "forum law open '
        'because" names, for an undetermined forum verdict, the provisions of that law that '
        "are not encoded and could change it, and the facts the record does not state that "
        "would decide it.\n\n"
    )
    return (
        "# Register of real cases\n\n"
        + legend
        + _md_table(HEADER, rows(items))
        + "\n"
        + summary_md(summary)
    )
