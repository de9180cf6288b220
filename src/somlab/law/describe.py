"""Describing a law for people and tools: summary rows, a JSON document, and readable text."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from somlab.law.corpus import Corpus
from somlab.law.model import Law, Reading


def law_summary(corpus: Corpus, code: str, date: dt.date) -> dict[str, Any]:
    history = corpus.history(code)
    current = corpus.at(code, date)
    law = (current or history[-1]).law
    return {
        "code": code,
        "name": law.name,
        "kind": law.kind,
        "version": current.law.version if current else None,
        "partial": bool(current and current.law.partial),
        "versions": [
            {
                "version": c.law.version,
                "valid_from": c.law.valid_from.isoformat(),
                "valid_to": c.law.valid_to.isoformat() if c.law.valid_to else None,
            }
            for c in history
        ],
    }


def law_document(law: Law) -> dict[str, Any]:
    def reading(r):
        return asdict(r) if r else None

    return {
        "schema": "somlab.law/1",
        "code": law.code,
        "name": law.name,
        "kind": law.kind,
        "version": law.version,
        "valid_from": law.valid_from.isoformat(),
        "valid_to": law.valid_to.isoformat() if law.valid_to else None,
        "enacted_by": law.enacted_by,
        "language": law.language,
        "partial": law.partial,
        "verified_on": law.verified_on,
        "sources": [
            {k: v for k, v in asdict(s).items() if k != "text"} for s in law.sources.values()
        ],
        "provisions": [
            {"provision": law.label(p.id), "text": p.text, "gloss": p.gloss, "source": p.source}
            for p in law.provisions.values()
        ],
        "offences": [
            {
                "id": o.id,
                "provision": law.label(o.provision),
                "title": o.title,
                "protocol": list(o.protocol),
                "note": o.note,
                "penalty": asdict(o.penalty) if o.penalty else None,
                "elements": [
                    {
                        "id": e.id,
                        "provision": law.label(e.provision),
                        "quote": e.quote,
                        "test": e.test.describe(),
                        "reading": reading(e.reading),
                    }
                    for e in o.elements
                ],
            }
            for o in law.offences
        ],
        "exceptions": [
            {
                "id": e.id,
                "provision": law.label(e.provision),
                "title": e.title,
                "quote": e.quote,
                "defeats": list(e.defeats),
                "effect": e.effect,
                "general_defence": e.general_defence,
                "when": e.when.describe(),
                "reading": reading(e.reading),
            }
            for e in law.exceptions
        ],
        "aggravations": [
            {
                "id": a.id,
                "kind": a.kind,
                "provision": law.label(a.provision),
                "quote": a.quote,
                "applies_to": list(a.applies_to),
                "when": a.when.describe(),
                "penalty": asdict(a.penalty) if a.penalty else None,
            }
            for a in law.aggravations
        ],
        "cited": [
            {
                "provision": law.label(c.provision),
                "quote": c.quote,
                "note": c.note,
                "when": c.when.describe() if c.when else None,
            }
            for c in law.cited
        ],
        "unencoded": [
            {
                "id": u.id,
                "kind": u.kind,
                "provision": u.provision,
                "reason": u.reason,
                "scope": u.scope.describe(),
                "applies_to": list(u.applies_to),
                "aggravation": u.aggravation,
            }
            for u in law.unencoded
        ],
        "reforms": list(law.reforms),
    }


def _reading_line(reading: Reading | None) -> list[str]:
    return [f"      reading: {reading.note} ({reading.authority})"] if reading else []


def law_text(law: Law, md: bool = False) -> str:
    h1, h2 = ("# ", "## ") if md else ("", "")
    out = [
        f"{h1}{law.code}: {law.name}",
        f"Version {law.version}, in force {law.valid_from} to {law.valid_to or 'today'}; "
        f"enacted by {law.enacted_by}; language {law.language}.",
    ]
    if law.reforms:
        out.append(f"HYPOTHETICAL: reform(s) {', '.join(law.reforms)} layered on the law in force.")
    if law.partial:
        out.append(f"PARTIAL TEXT: {law.partial}")
    out.append("")
    for o in law.offences:
        out.append(f"{h2}Offence {o.id}: {o.title} ({law.label(o.provision)})")
        if o.penalty:
            out.append(f'  Penalty: "{o.penalty.quote}"')
        for e in o.elements:
            out.append(f'  - {law.label(e.provision)}: "{e.quote}"  [{e.test.describe()}]')
            out += _reading_line(e.reading)
        if o.note:
            out.append(f"  Note: {o.note}")
        out.append("")
    for rule in law.exceptions:
        kind = "General defence" if rule.general_defence else "Exception"
        out.append(
            f"{h2}{kind} {rule.id} ({rule.effect}, defeats {', '.join(rule.defeats)}): {rule.title}"
        )
        out.append(f'  {law.label(rule.provision)}: "{rule.quote}"  [when {rule.when.describe()}]')
        out += _reading_line(rule.reading)
        out.append("")
    for a in law.aggravations:
        out.append(f"{h2}Aggravation {a.id} ({a.kind}, on {', '.join(a.applies_to)})")
        out.append(f'  {law.label(a.provision)}: "{a.quote}"  [when {a.when.describe()}]')
        out.append("")
    if law.unencoded:
        out.append(f"{h2}Not encoded (verdicts they could change are left open)")
        for u in law.unencoded:
            out.append(
                f"  - {u.provision} ({u.kind}{', ' + u.aggravation if u.aggravation else ''}):"
                f" {u.reason}  [cases: {u.scope.describe()}]"
            )
        out.append("")
    if law.cited:
        out.append(f"{h2}Also cited")
        for c in law.cited:
            out.append(f'  - {law.label(c.provision)}: "{c.quote}" — {c.note}')
        out.append("")
    out.append(f"{h2}Provisions (verbatim) and sources")
    for p in law.provisions.values():
        src = law.sources.get(p.source)
        out.append(f"  {law.label(p.id)}: {p.text}")
        if p.gloss:
            out.append(f"    gloss: {p.gloss}")
        if src:
            out.append(
                f"    source: {src.title} — {src.where}" + (f" <{src.href}>" if src.href else "")
            )
    return "\n".join(out) + "\n"
