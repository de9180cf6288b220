"""Loading and validating the register of real cases (format `somlab.register/1`).

A register file is a YAML list of records. Each record names a real case, its forum and conduct
date, the facts in the case-facts format (validated by `somlab.facts.case_from_mapping`), the
real outcome and the sources. Every problem in a file is reported together, each naming the
file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from somlab.bundled import bundled
from somlab.errors import SomlabInputError, raise_problems
from somlab.facts import Case, case_from_mapping
from somlab.periods import parse_date
from somlab.yamlio import line_at, line_map, parse, read_text

CATEGORIES = (
    "ngo_sar",
    "humanitarian_volunteer",
    "family_member",
    "migrant_driver",
    "migrant_facilitator",
    "commercial_smuggler",
    "other",
)
FINAL_STATUSES = ("convicted", "acquitted", "dismissed", "fined", "mixed", "ongoing")
DATE_PRECISIONS = ("day", "month", "year", "upper_bound")
CONFIDENCE = ("high", "medium", "low")
REQUIRED = (
    "id",
    "title",
    "category",
    "forum",
    "date",
    "date_precision",
    "facts",
    "outcome",
    "charges",
    "sources",
    "confidence",
)
OPTIONAL = ("date_note", "notes", "fact_notes")
OUTCOME_FIELDS = ("final_status", "summary", "decided")
_ID = re.compile(r"^[a-z]{2}-\d{4}-[A-Za-z0-9-]+$")
_FORUM = re.compile(r"^[A-Z]{2}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Outcome:
    final_status: str | None  # None: the final disposition is not in the sources
    summary: str
    decided: str | None  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources allow


@dataclass(frozen=True)
class RegisterCase:
    """One real case: identification, facts (as a `Case`), real outcome and sources."""

    id: str
    title: str
    category: str
    forum: str
    date: dt.date
    date_precision: str
    date_note: str | None
    case: Case
    outcome: Outcome
    charges: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str
    notes: str | None
    file: str
    line: int
    # why a fact is recorded, by fact path, where the sources establish it without stating it in
    # the shared table's terms (e.g. a smuggling voyage was no rescue)
    fact_notes: dict[str, str] = field(default_factory=dict)


def bundled_register_path() -> Path:
    return bundled("register", "cases.yaml")


class _Record:
    """Checks one record, collecting problems with their line and field."""

    def __init__(self, data: dict, node: yaml.Node, file: str) -> None:
        self.data = data
        self.file = file
        self.base = node.start_mark.line + 1
        self.lines = line_map(node)
        self.problems: list[SomlabInputError] = []

    def problem(self, message: str, field: str) -> None:
        self.problems.append(
            SomlabInputError(
                message, file=self.file, line=line_at(self.lines, field) or self.base, field=field
            )
        )

    def text(self, field: str, value: Any, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"expected non-empty text, got {value!r}", field)
            return None
        return value.strip()

    def choice(self, field: str, value: Any, choices: tuple[str, ...]) -> str | None:
        if value not in choices:
            self.problem(f"expected one of {', '.join(choices)}, got {value!r}", field)
            return None
        return value

    def texts(self, field: str, value: Any, pattern: str | None = None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problem("expected a non-empty list", field)
            return ()
        out = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.problem(f"expected non-empty text items, got {item!r}", field)
            elif pattern and not re.match(pattern, item):
                self.problem(
                    f"expected an address starting with http:// or https://, got {item!r}", field
                )
            else:
                out.append(item.strip())
        return tuple(out)

    def date(self, value: Any) -> dt.date | None:
        try:
            return parse_date(str(value))
        except ValueError:
            self.problem(f"expected a date YYYY-MM-DD, got {value!r}", "date")
            return None

    def outcome(self, value: Any) -> Outcome | None:
        if not isinstance(value, dict):
            self.problem("expected a mapping with final_status, summary, decided", "outcome")
            return None
        for key in value:
            if key not in OUTCOME_FIELDS:
                self.problem(f"unknown field; known: {', '.join(OUTCOME_FIELDS)}", f"outcome.{key}")
        status = value.get("final_status")
        if status is not None:
            status = self.choice("outcome.final_status", status, FINAL_STATUSES)
        summary = self.text("outcome.summary", value.get("summary"))
        decided = value.get("decided")
        if decided is not None:
            decided = str(decided)
            if not _PARTIAL_DATE.match(decided) or not _valid_partial(decided):
                self.problem(
                    f"expected YYYY, YYYY-MM or YYYY-MM-DD (or null), got {decided!r}",
                    "outcome.decided",
                )
        return Outcome(status, summary or "", decided)

    def fact_notes(self, value: Any, case: Case) -> dict[str, str]:
        """Reasons by fact path; each must name a fact the record sets."""
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.problem("expected a mapping of fact paths to reasons", "fact_notes")
            return {}
        out = {}
        for path, reason in value.items():
            where = f"fact_notes.{path}"
            if case.get(str(path)) is None:
                self.problem("explains a fact the record does not set", where)
            text = self.text(where, reason)
            if text:
                out[str(path)] = text
        return out

    def case(self, case_id: str, date: dt.date, forum: str | None, facts: Any) -> Case | None:
        if not isinstance(facts, dict):
            self.problem(
                "expected a mapping of case facts (actor, conduct, migrants, ...)", "facts"
            )
            return None
        for key in ("id", "date", "forum"):
            if key in facts:
                self.problem(f"give {key} on the record, not inside facts", f"facts.{key}")
        lines = {k[len("facts.") :]: v for k, v in self.lines.items() if k.startswith("facts.")}
        mapping = {**facts, "id": case_id, "date": date.isoformat()}
        if forum:
            mapping["forum"] = forum
        try:
            return case_from_mapping(mapping, file=self.file, lines=lines, base_line=self.base)
        except SomlabInputError as exc:
            for p in exc.problems or [exc]:
                self.problems.append(
                    SomlabInputError(
                        p.message,
                        file=self.file,
                        line=p.line,
                        field=f"facts.{p.field}" if p.field else None,
                    )
                )
            return None


def _valid_partial(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _record(
    data: Any, node: yaml.Node, file: str
) -> tuple[RegisterCase | None, list[SomlabInputError]]:
    if not isinstance(data, dict):
        return None, [
            SomlabInputError(
                f"expected a mapping (one case), got {type(data).__name__}",
                file=file,
                line=node.start_mark.line + 1,
            )
        ]
    r = _Record(data, node, file)
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            r.problem(f"unknown field; known: {', '.join(REQUIRED + OPTIONAL)}", str(key))
    for key in REQUIRED:
        if key not in data:
            r.problem("required field is missing", key)
    if r.problems:
        return None, r.problems
    case_id = r.text("id", data["id"])
    if case_id and not _ID.match(case_id):
        r.problem(f"expected an id like it-2019-some-name (forum-year-slug), got {case_id!r}", "id")
    title = r.text("title", data["title"])
    category = r.choice("category", data["category"], CATEGORIES)
    forum = data["forum"]
    if not isinstance(forum, str) or not _FORUM.match(forum):
        r.problem(f"expected an ISO 3166-1 alpha-2 code (e.g. IT) or EU, got {forum!r}", "forum")
        forum = None
    date = r.date(data["date"])
    precision = r.choice("date_precision", data["date_precision"], DATE_PRECISIONS)
    date_note = r.text("date_note", data.get("date_note"), required=False)
    if precision and precision != "day" and not date_note:
        r.problem(
            f"a date of precision {precision!r} needs a date_note saying how it was chosen",
            "date_precision",
        )
    outcome = r.outcome(data["outcome"])
    charges = r.texts("charges", data["charges"])
    sources = r.texts("sources", data["sources"], pattern=r"https?://")
    confidence = r.choice("confidence", data["confidence"], CONFIDENCE)
    notes = r.text("notes", data.get("notes"), required=False)
    case = r.case(case_id, date, forum, data["facts"]) if case_id and date else None
    fact_notes = r.fact_notes(data.get("fact_notes"), case) if case is not None else {}
    if r.problems or case is None:
        return None, r.problems
    # with no problem recorded, every required field was read
    assert case_id and title and category and date and precision and outcome and confidence
    return RegisterCase(
        case_id,
        title,
        category,
        forum,
        date,
        precision,
        date_note,
        case,
        outcome,
        charges,
        sources,
        confidence,
        notes,
        file,
        r.base,
        fact_notes,
    ), []


def register_from_text(text: str, file: str = "<register>") -> list[RegisterCase]:
    """Every record of a register document; all problems are raised together."""
    data, node = parse(text, file, dates_as_text=True)
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode) or not data:
        raise SomlabInputError(
            "expected a non-empty list of case records",
            file=file,
            line=node.start_mark.line + 1 if node is not None else None,
        )
    out: list[RegisterCase] = []
    problems: list[SomlabInputError] = []
    seen: dict[str, int] = {}
    for item, item_node in zip(data, node.value):
        entry, errs = _record(item, item_node, file)
        problems.extend(errs)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                SomlabInputError(
                    f"duplicate id (first at line {seen[entry.id]})",
                    file=file,
                    line=entry.line,
                    field="id",
                )
            )
            continue
        seen[entry.id] = entry.line
        out.append(entry)
    raise_problems(problems, "the register", file)
    return out


def load_register(path: str | Path | None = None) -> list[RegisterCase]:
    """The register at `path`, or the bundled one."""
    path = Path(path) if path is not None else bundled_register_path()
    if not path.is_file():
        raise SomlabInputError("not a file" if path.exists() else "no such file", file=str(path))
    return register_from_text(read_text(path), str(path))
