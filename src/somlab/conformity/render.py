"""Conformity as a matrix (text table, Markdown, CSV) and the aggregate counts."""

from __future__ import annotations

import io
from typing import Any

from somlab import csvsafe
from somlab.conformity.profile import FLAT_KEYS, flat_value

SHORT = {True: "yes", False: "NO", None: "?"}
HEADERS = {
    "benefit_required": "benefit req.",
    "humanitarian_exempt": "humanit. exempt",
    "rescue_at_sea_exempt": "rescue exempt",
    "smuggled_migrant_exempt": "migrant exempt",
    "family_exempt": "family exempt",
    "aggravations": "aggr.",
    "covers_protocol_offences": "covers",
}


def column_names() -> list[str]:
    return [f"{HEADERS[k]} {s}" if s else HEADERS[k] for k, s in FLAT_KEYS]


def matrix_rows(doc: dict[str, Any]) -> list[list[str]]:
    rows = []
    for j in doc["jurisdictions"]:
        rows.append(
            [
                j["jurisdiction"] + (" (partial)" if j["partial"] else ""),
                *[SHORT[flat_value(j, k, s)] for k, s in FLAT_KEYS],
                str(len(j["deviations"])),
            ]
        )
    return rows


def to_csv(doc: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csvsafe.Writer(buf)
    w.writerow(
        [
            "as_of",
            "jurisdiction",
            "version",
            "partial",
            *[f"{k}.{s}" if s else k for k, s in FLAT_KEYS],
            "deviations",
        ]
    )
    for j in doc["jurisdictions"]:
        w.writerow(
            [
                doc["as_of"],
                j["jurisdiction"],
                j["version"],
                j["partial"] or "",
                *[
                    "" if flat_value(j, k, s) is None else str(flat_value(j, k, s)).lower()
                    for k, s in FLAT_KEYS
                ],
                "; ".join(f"{d['kind']}:{d['conduct']}" for d in j["deviations"]),
            ]
        )
    return buf.getvalue()


def to_markdown(doc: dict[str, Any]) -> str:
    head = ["jurisdiction", *column_names(), "deviations"]
    out = [
        f"# Conformity with the Smuggling of Migrants Protocol, as of {doc['as_of']}",
        "",
        "yes / NO / ? (undetermined) read off each law's verdicts on the standard battery.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    out += ["| " + " | ".join(r) + " |" for r in matrix_rows(doc)]
    out += [
        "",
        "## Across states",
        "",
        "| property | yes | no | undetermined | states |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {a['key']} | {a['true']} | {a['false']} | {a['undetermined']} | {a['states']} |"
        for a in doc["aggregate"]
    ]
    out += ["", "## Deviations", ""]
    for j in doc["jurisdictions"]:
        for d in j["deviations"]:
            out.append(
                f"- **{j['jurisdiction']}** {d['kind']} ({d['conduct']}), against "
                f"{d['article']}: {d['detail']}; provisions: "
                f"{', '.join(d['provisions']) or 'n/a'} (battery case {d['battery_case']})"
            )
    if doc["not_in_force"]:
        out += ["", f"Not in force or not encoded on this date: {', '.join(doc['not_in_force'])}"]
    return "\n".join(out) + "\n"
