"""A review rendered as a list of observations in the Review Mechanism's structure: per cluster,
the status of each provision with its evidence, then gaps and challenges, good practices,
suggestions and technical-assistance needs. Markdown and HTML; PDF through headless Chromium.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.errors import SomlabInputError
from somlab.review.catalogue import CLUSTERS, Obligation, units
from somlab.review.files import Review

HEADINGS = (("gaps", "Gaps and challenges"), ("good_practices", "Good practices"),
            ("suggestions", "Suggestions"), ("assistance_needs", "Technical-assistance needs"))
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


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
        text = f"indicator {item['name']} ({query})"
    elif kind == "case":
        text = f"case {item['id']} (register)"
    else:
        from somlab.review.documents import passages

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
        rows.append(_Row(o, e.status, "computed" if e.computed else "reviewer",
                         [cite(i) for i in e.evidence], notes))
    return rows


def _observations(review: Review, cluster: int, name: str) -> list[str]:
    return [f"art {o.id}: {text}" for o in units() if o.cluster == cluster
            for text in getattr(review.entry(o.id), name)]


def _intro(review: Review) -> list[str]:
    return [f"State: {review.state}. Law read as in force on {review.as_of}. Reviewer: "
            f"{review.reviewer}, {review.date}.",
            "An independent review made with somlab, not a review of the UNTOC Review Mechanism. "
            "A status other than unknown rests on the evidence cited under it; unknown means that "
            "no evidence was found, not that the obligation is unmet. Statuses marked computed "
            "are read from the conformity profile of the encoded law."]


def to_markdown(review: Review) -> str:
    out = [f"# Implementation review: {review.state}", "", *(_intro(review)), ""]
    for number, title in CLUSTERS.items():
        rows = _rows(review, number)
        unknown = sum(r.status == "unknown" for r in rows)
        out += [f"## Cluster {number}: {title}", "",
                f"{len(rows)} provisions reviewed; {unknown} unknown.", "",
                "| provision | strength | objective | status | by |", "|---|---|---|---|---|"]
        out += [f"| art {r.obligation.id} | {r.obligation.strength} | {r.obligation.objective} | "
                f"{r.status} | {r.origin} |" for r in rows]
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
    return "\n".join(out)


def _list(items: list[str]) -> str:
    if not items:
        return "<p>None recorded.</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;"
         "text-align:left;vertical-align:top}.unknown{color:#777}.implemented{color:#1a7f37}"
         ".partially{color:#9a6700}.not-implemented{color:#cf222e}")


def to_html(review: Review) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang=en><meta charset=utf-8><title>Implementation review: "
             f"{e(review.state)}</title><style>{STYLE}</style><body>",
             f"<h1>Implementation review: {e(review.state)}</h1>"]
    parts += [f"<p>{e(p)}</p>" for p in _intro(review)]
    for number, title in CLUSTERS.items():
        rows = _rows(review, number)
        unknown = sum(r.status == "unknown" for r in rows)
        parts.append(f"<h2>Cluster {number}: {e(title)}</h2><p>{len(rows)} provisions reviewed; "
                     f"{unknown} unknown.</p><table><tr><th>provision</th><th>text</th>"
                     "<th>strength</th><th>objective</th><th>status</th><th>evidence</th></tr>")
        for r in rows:
            css = r.status.replace(" ", "-")
            detail = _list(r.evidence) if r.evidence else ""
            detail += "".join(f"<p><em>{e(n)}</em></p>" for n in r.notes)
            parts.append(f"<tr><td>art {e(r.obligation.id)}</td><td>{e(r.obligation.text)}</td>"
                         f"<td>{e(r.obligation.strength)}</td><td>{e(r.obligation.objective)}</td>"
                         f"<td class={css}>{e(r.status)} ({r.origin})</td><td>{detail}</td></tr>")
        parts.append("</table>")
        for name, heading in HEADINGS:
            parts.append(f"<h3>{e(heading)}</h3>{_list(_observations(review, number, name))}")
    parts.append("</body></html>")
    return "\n".join(parts)


def to_pdf(review: Review, out: Path) -> None:
    """Print the HTML report to `out` with headless Chromium."""
    browser = next((b for b in map(shutil.which, CHROMIUM) if b), None)
    if browser is None:
        raise SomlabInputError("PDF needs headless Chromium (chromium, chromium-browser or "
                               "google-chrome on PATH); none was found. Install one, or use "
                               "--format html and print it from a browser", field="--format")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "review.html"
        page.write_text(to_html(review), encoding="utf-8")
        done = subprocess.run([browser, "--headless", "--disable-gpu", "--no-sandbox",
                               f"--print-to-pdf={out.resolve()}", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not out.is_file():
        raise SomlabInputError(f"Chromium could not print the PDF: {done.stderr.strip()[-300:]}",
                               field="--format")
