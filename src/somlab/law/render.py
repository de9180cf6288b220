"""Human forms of an assessment: a short legal memo (text or Markdown) and a verdict table."""

from __future__ import annotations

from collections.abc import Sequence

from somlab.facts import SPEC
from somlab.law.assess import CaseAssessment
from somlab.law.scalar import Result

MARK = {True: "✓", False: "✗", None: "?"}


def verdict_word(result: Result) -> str:
    if result.offence is None:
        return "UNDETERMINED"
    if not result.offence:
        return "not an offence"
    return (
        "OFFENCE, aggravated"
        if result.aggravated
        else ("OFFENCE (aggravation undetermined)" if result.aggravated is None else "OFFENCE")
    )


def _result_memo(r: Result, md: bool) -> list[str]:
    head = f"{r.jurisdiction}: {verdict_word(r)}"
    lines = [f"### {head}" if md else head]
    if r.version:
        lines.append(
            f"  Law applied: {r.version}" + (f" (partial text: {r.partial})" if r.partial else "")
        )
    if r.provisions:
        lines.append(f"  Provisions: {', '.join(r.provisions)}")
    bullet = "- " if md else "  "
    for s in r.trace:
        quote = f'"{s.quote}"'
        lines.append(f"{bullet}{MARK[s.value]} {s.provision} [{s.kind}] {quote} -- {s.test}")
        if s.reading:
            lines.append(
                f"{'  ' if md else '      '}reading: {s.reading.note} ({s.reading.authority})"
            )
    if r.exemptions:
        lines.append(f"  Exempt under: {', '.join(r.exemptions)}")
    if r.optional_exemptions:
        lines.append(
            f"  Optional exemption (applies only if the state chose it): "
            f"{', '.join(r.optional_exemptions)}"
        )
    if r.aggravations:
        lines.append(f"  Aggravating circumstances: {', '.join(r.aggravations)}")
    if r.penalty_death or r.penalty_life_imprisonment:
        lines.append(
            "  Maximum penalty stated: "
            + ("death" if r.penalty_death else "")
            + (" or " if r.penalty_death and r.penalty_life_imprisonment else "")
            + ("imprisonment for life" if r.penalty_life_imprisonment else "")
        )
    elif r.penalty_max_years is not None:
        lines.append(f"  Maximum penalty stated: {r.penalty_max_years:g} years")
    if r.undecided_by:
        lines.append(
            "  Left open by rules not encoded: "
            + "; ".join(f"{u['provision']} ({u['kind']})" for u in r.undecided_by)
        )
    if r.missing_facts:
        lines.append("  To decide, establish:")
        for f in r.missing_facts:
            lines.append(f"{bullet}  {f}: {SPEC[f].meaning}")
    return lines


def memo(items: Sequence[CaseAssessment], md: bool = False) -> str:
    out: list[str] = []
    for a in items:
        title = f"Case {a.case.id} ({a.case.date.isoformat()})"
        out.append(f"## {title}" if md else f"{title}\n{'=' * len(title)}")
        summary = a.case.facts.get("summary")
        if summary:
            out.append(summary)
        out.append("")
        for r in a.results:
            out.extend(_result_memo(r, md))
            out.append("")
        if a.not_assessed:
            out.append(
                "Not assessed (law not encoded on this date): "
                + "; ".join(f"{x['jurisdiction']} ({x['reason']})" for x in a.not_assessed)
            )
            out.append("")
        if a.findings:
            out.append("#### Findings" if md else "Findings")
            for f in a.findings:
                out.append(f"- {f.kind} [{f.jurisdiction}]: {f.detail}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def short(result: Result) -> str:
    if result.offence is None:
        return "?"  # undetermined: facts missing or a rule not encoded
    if not result.offence:
        return "—"
    return "offence+agg" if result.aggravated else "offence"


def verdict_rows(items: Sequence[CaseAssessment]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the case × jurisdiction verdict table."""
    codes = list(dict.fromkeys(r.jurisdiction for a in items for r in a.results))
    rows = []
    for a in items:
        by_code = {r.jurisdiction: short(r) for r in a.results}
        rows.append(
            [
                a.case.id,
                a.case.date.isoformat(),
                *[by_code.get(c, "n/a") for c in codes],
                ", ".join(sorted({f.kind for f in a.findings})),
            ]
        )
    return ["case", "date", *codes, "findings"], rows
