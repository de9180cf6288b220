"""A review rendered as a list of observations in the Review Mechanism's structure: first, per
objective, how many obligations have any evidence at all (the absence of evidence is a finding);
then per cluster, with the source of its article list or the reason it is inferred, the status
of each provision with its evidence, then gaps and challenges, good practices, suggestions and
technical-assistance needs; last, the documents cited. Markdown and HTML; PDF through headless
Chromium.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.pdf import print_pdf
from somlab.review.catalogue import CLUSTERS, Obligation, clusters, units
from somlab.review.documents import passages
from somlab.review.files import Review
from somlab.review.scorecard import scorecard

HEADINGS = (
    ("gaps", "Gaps and challenges"),
    ("good_practices", "Good practices"),
    ("suggestions", "Suggestions"),
    ("assistance_needs", "Technical-assistance needs"),
)


def cite(item: dict[str, Any]) -> str:
    """One line per evidence item, as the report prints it."""
    kind = item["kind"]
    if kind == "corpus":
        text = f"{item['provision']} ({item['law']}, law in force on {item['as_of']})"
        if item.get("conformity"):
            c = item["conformity"]
            text += f"; conformity {c['key']} = {c['value']}"
            if c.get("battery_case"):
                text += f" (battery case {c['battery_case']})"
    elif kind == "indicator":
        query = ", ".join(f"{k}={v}" for k, v in item["query"].items())
        text = f"indicator {item['name']}" + (f" ({query})" if query else "")
    elif kind == "case":
        text = f"case {item['id']} (register)"
    else:
        doc, passage = passages()[item["passage"]]
        text = f"{doc.cite()}: \u201c{item.get('quote') or passage.text}\u201d"
    return text + (f" \u2014 {item['note']}" if item.get("note") else "")


@dataclass
class _Row:
    obligation: Obligation
    status: str
    origin: str  # computed | reviewer
    evidence: list[str]
    notes: list[str]


def _rows(review: Review, cluster: int) -> list[_Row]:
    rows = []
    for o in units():
        if o.cluster != cluster:
            continue
        e = review.entry(o.id)
        notes = list(e.notes) + ([e.computed_note] if e.computed_note else [])
        rows.append(
            _Row(
                o,
                e.status,
                "computed" if e.computed else "reviewer",
                [cite(i) for i in e.evidence],
                notes,
            )
        )
    return rows


def _observations(review: Review, cluster: int, name: str) -> list[str]:
    return [
        f"art {o.id}: {text}"
        for o in units()
        if o.cluster == cluster
        for text in getattr(review.entry(o.id), name)
    ]


def _cluster_basis(number: int) -> list[str]:
    """Where the cluster's article list comes from: the passage that states it, or why inferred."""

    found = next((c for c in clusters() if c.number == number), None)
    if found is None:
        return []
    articles = ", ".join(map(str, found.articles))
    if found.basis == "inferred":
        return [f"Articles {articles}, assigned by the cluster's title (inferred): {found.reason}"]
    stored = passages()
    return [
        f"Articles {articles}, as listed by {stored[s][0].cite()}: \u201c{stored[s][1].text}\u201d"
        for s in found.sources
    ]


def _evidence_rows(review: Review) -> list[list[str]]:
    """Per objective: obligations, with any evidence, with a status, unknown."""
    rows = []
    for row in scorecard(review)["objectives"]:
        known = row["obligations"] - row["counts"]["unknown"]
        rows.append(
            [
                row["objective"],
                str(row["obligations"]),
                f"{row['with_evidence']} ({row['evidence_share']:.0%})",
                f"{known} ({known / row['obligations']:.0%})",
                str(row["counts"]["unknown"]),
            ]
        )
    return rows


EVIDENCE_HEAD = ("objective", "obligations", "with any evidence", "with a status", "unknown")
EVIDENCE_NOTE = (
    "Evidence is any citation (law, document, indicator, case), context included; "
    "an objective with little evidence is one nobody can yet say is implemented."
)


def _documents(review: Review) -> list[str]:
    """Every document the review cites, once: publisher, title, date, address."""

    stored = passages()
    ids = [
        item["passage"]
        for e in review.entries.values()
        for item in e.evidence
        if item["kind"] == "document"
    ]
    docs = {stored[i][0].id: stored[i][0] for i in ids}
    return [doc.cite() for doc in sorted(docs.values(), key=lambda d: (d.publisher, d.date))]


def _intro(review: Review) -> list[str]:
    return [
        f"State: {review.state}. Law read as in force on {review.as_of}. Reviewer: "
        f"{review.reviewer}, {review.date}.",
        "An independent review made with somlab, not a review of the UNTOC Review Mechanism. "
        "A status other than unknown rests on the evidence cited under it; unknown means that "
        "no evidence was found, not that the obligation is unmet. Statuses marked computed "
        "are read from the conformity profile of the encoded law or from the passages of the "
        "documents cited, by somlab's evidence rules; the others are the reviewer's.",
    ]


def to_markdown(review: Review) -> str:
    out = [
        f"# Implementation review: {review.state}",
        "",
        *(_intro(review)),
        "",
        "## Evidence per objective",
        "",
        EVIDENCE_NOTE,
        "",
        "| " + " | ".join(EVIDENCE_HEAD) + " |",
        "|---" * len(EVIDENCE_HEAD) + "|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in _evidence_rows(review)]
    out.append("")
    for number, title in CLUSTERS.items():
        rows = _rows(review, number)
        unknown = sum(r.status == "unknown" for r in rows)
        out += [
            f"## Cluster {number}: {title}",
            "",
            *_cluster_basis(number),
            "",
            f"{len(rows)} provisions reviewed; {unknown} unknown.",
            "",
            "| provision | strength | objective | status | by |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| art {r.obligation.id} | {r.obligation.strength} | {r.obligation.objective} | "
            f"{r.status} | {r.origin} |"
            for r in rows
        ]
        out.append("")
        for r in rows:
            if r.evidence or r.notes:
                out.append(f"**art {r.obligation.id}** ({r.status})")
                out += [f"- evidence: {line}" for line in r.evidence]
                out += [f"- note: {line}" for line in r.notes]
                out.append("")
        for name, heading in HEADINGS:
            items = _observations(review, number, name)
            out += [f"### {heading}", ""] + ([f"- {i}" for i in items] or ["None recorded."]) + [""]
    out += ["## Documents cited", ""] + ([f"- {d}" for d in _documents(review)] or ["None."])
    return "\n".join(out)


def _list(items: list[str]) -> str:
    if not items:
        return "<p>None recorded.</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;"
    "text-align:left;vertical-align:top}.unknown{color:#777}.implemented{color:#1a7f37}"
    ".partially{color:#9a6700}.not-implemented{color:#cf222e}.basis{font-size:.9em;color:#57606a}"
)


def to_html(review: Review) -> str:
    e = html.escape
    parts = [
        f"<!doctype html><html lang=en><meta charset=utf-8><title>Implementation review: "
        f"{e(review.state)}</title><style>{STYLE}</style><body>",
        f"<h1>Implementation review: {e(review.state)}</h1>",
    ]
    parts += [f"<p>{e(p)}</p>" for p in _intro(review)]
    parts.append(
        f"<h2>Evidence per objective</h2><p>{e(EVIDENCE_NOTE)}</p><table><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in EVIDENCE_HEAD)
        + "</tr>"
        + "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>"
            for r in _evidence_rows(review)
        )
        + "</table>"
    )
    for number, title in CLUSTERS.items():
        rows = _rows(review, number)
        unknown = sum(r.status == "unknown" for r in rows)
        parts.append(
            f"<h2>Cluster {number}: {e(title)}</h2>"
            + "".join(f"<p class=basis>{e(b)}</p>" for b in _cluster_basis(number))
            + f"<p>{len(rows)} provisions reviewed; "
            f"{unknown} unknown.</p><table><tr><th>provision</th><th>text</th>"
            "<th>strength</th><th>objective</th><th>status</th><th>evidence</th></tr>"
        )
        for r in rows:
            css = r.status.replace(" ", "-")
            detail = _list(r.evidence) if r.evidence else ""
            detail += "".join(f"<p><em>{e(n)}</em></p>" for n in r.notes)
            parts.append(
                f"<tr><td>art {e(r.obligation.id)}</td><td>{e(r.obligation.text)}</td>"
                f"<td>{e(r.obligation.strength)}</td><td>{e(r.obligation.objective)}</td>"
                f"<td class={css}>{e(r.status)} ({r.origin})</td><td>{detail}</td></tr>"
            )
        parts.append("</table>")
        for name, heading in HEADINGS:
            parts.append(f"<h3>{e(heading)}</h3>{_list(_observations(review, number, name))}")
    parts.append(f"<h2>Documents cited</h2>{_list(_documents(review))}")
    parts.append("</body></html>")
    return "\n".join(parts)


def to_pdf(review: Review, out: Path) -> None:
    """Print the HTML report to `out` with headless Chromium."""
    print_pdf(
        to_html(review),
        out,
        field="format",
        missing="PDF needs headless Chromium (chromium, chromium-browser or google-chrome on PATH); "
        "none was found. Install one, or use --format html and print it from a browser",
    )
