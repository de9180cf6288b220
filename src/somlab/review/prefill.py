"""Pre-filling a review from the project's evidence, by the evidence rules (evidence_rules.yaml).

For every reviewed provision the rule of its kind says which documents can set a status and
which indicators are context. A provision gets a status where passages of the document register,
dated on or before the review's date, bear on it for the State: passages that agree give their
status; implemented beside partially or not implemented gives partially (the measure exists,
its practice falls short); other disagreements stay unknown. Where nothing bears on it, the
entry stays unknown and says why, in the rule's words. Indicators are cited as context only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.bundled import bundled
from somlab.errors import SomlabInputError
from somlab.review.catalogue import units
from somlab.review.documents import KINDS, bearing_on
from somlab.review.files import Entry
from somlab.yamlio import line_at, read_yaml_with_lines


@dataclass(frozen=True)
class Rule:
    kind: str
    provisions: tuple[str, ...]
    status_from: tuple[str, ...]
    context: tuple[dict[str, Any], ...]
    unknown: str


@dataclass(frozen=True)
class Rules:
    states: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]

    def for_provision(self, provision: str) -> Rule:
        return next(r for r in self.rules if provision in r.provisions)


def _path() -> Path:
    return bundled("review", "evidence_rules.yaml")


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    from somlab.evidence.indicators import indicator

    path = _path()
    data, lines = read_yaml_with_lines(path)
    out = []
    for i, item in enumerate(data["rules"]):
        where = f"rules[{i}]"
        bad = [k for k in item.get("status_from", []) if k not in KINDS]
        if bad:
            raise SomlabInputError(
                f"unknown document kind {bad[0]!r}; expected {list(KINDS)}",
                file=str(path),
                line=line_at(lines, f"{where}.status_from"),
                field="status_from",
            )
        for c in item.get("context") or []:
            indicator(c["indicator"])  # raises on a name not in the catalogue
        out.append(
            Rule(
                item["kind"],
                tuple(map(str, item["provisions"])),
                tuple(item.get("status_from") or ()),
                tuple(item.get("context") or ()),
                " ".join(item["unknown"].split()),
            )
        )
    covered = [p for r in out for p in r.provisions]
    missing = sorted({o.id for o in units()} - set(covered))
    twice = sorted({p for p in covered if covered.count(p) > 1})
    if missing or twice:
        raise SomlabInputError(
            f"every reviewed provision needs exactly one rule; missing {missing}, twice {twice}",
            file=str(path),
            field="provisions",
        )
    return Rules(dict(data.get("states") or {}), tuple(out))


def combine(statuses: list[str]) -> str:
    """One status from the statuses the passages support (rule in the module docstring)."""
    found = set(statuses)
    if len(found) == 1:
        return found.pop()
    if found <= {"implemented", "partially", "not implemented"}:
        return "partially"
    return "unknown"


def _context(rule: Rule, state: str, as_of: str) -> list[dict[str, Any]]:
    out = []
    for c in rule.context:
        query: dict[str, Any] = {}
        if c.get("by"):
            query["by"] = list(c["by"])
            query["to"] = as_of[:4]
        dimension = c.get("where")
        if dimension:
            value = rules().states.get(state, {}).get(dimension)
            if value is None:
                continue  # no value of this dimension for the State: nothing to cite
            query["where"] = {dimension: value}
        out.append(
            {
                "kind": "indicator",
                "name": c["indicator"],
                "query": query,
                "note": "context; an indicator sets no status here",
            }
        )
    return out


def prefilled(state: str, provision: str, as_of: str) -> Entry:
    """The entry the evidence supports for one provision, marked computed."""
    rule = rules().for_provision(provision)
    found = [
        (doc, p, b)
        for doc, p, b in bearing_on(state, provision, as_of)
        if doc.kind in rule.status_from
    ]
    evidence = [{"kind": "document", "passage": p.id, "note": b.reading} for _, p, b in found]
    status = combine([b.status for _, _, b in found]) if found else "unknown"
    if found and status == "unknown":
        notes = [f"Unknown: the passages cited disagree ({rule.kind})."]
    elif found:
        notes = [f"From {len(found)} passage(s) of the document register ({rule.kind})."]
    else:
        notes = [f"Unknown: {rule.unknown}"]
    return Entry(
        status=status,
        evidence=evidence + _context(rule, state, as_of),
        notes=notes,
        computed=True,
        computed_as_of=as_of,
        computed_status=status,
    )
