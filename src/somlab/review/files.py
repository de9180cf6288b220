"""Review files (`somlab.review/1`): one YAML per state and review, read with line numbers.

A review gives each catalogue unit a status, the evidence behind it and the Mechanism's kinds of
observation (gaps and challenges, good practices, suggestions, technical-assistance needs).
Loading checks the structure and reports every problem together, each with file, line and field;
whether citations resolve is `somlab.review.citations`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from somlab.errors import SomlabInputError
from somlab.yamlio import read_yaml_with_lines
from somlab.review.catalogue import units

SCHEMA = "somlab.review/1"
STATUSES = ("implemented", "partially", "not implemented", "not applicable", "unknown")
OBSERVATIONS = ("gaps", "good_practices", "suggestions", "assistance_needs", "notes")
EVIDENCE_FIELDS = {
    "corpus": ({"law", "as_of", "provision"}, {"conformity", "note"}),
    "indicator": ({"name", "query"}, {"note"}),
    "case": ({"id"}, {"note"}),
    "document": ({"passage"}, {"quote", "note"}),  # a passage of the document register
}
COMPUTED_FIELDS = ("computed", "computed_as_of", "computed_status", "computed_note")
ENTRY_FIELDS = {"status", "evidence", *OBSERVATIONS, *COMPUTED_FIELDS}
TOP_FIELDS = ("schema", "state", "as_of", "reviewer", "date", "entries")


@dataclass
class Entry:
    status: str = "unknown"
    evidence: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    good_practices: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    assistance_needs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    computed: bool = False  # written by `review init` from the conformity profile
    computed_as_of: str | None = None
    computed_status: str | None = None  # what the computation gave (differs: the reviewer decided)
    computed_note: str | None = None  # a computed value the reviewer's status overrides

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "evidence": self.evidence}
        for name in OBSERVATIONS:
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.computed:
            out.update(computed=True, computed_as_of=self.computed_as_of,
                       computed_status=self.computed_status)
        elif self.computed_status is not None:
            out.update(computed=False, computed_as_of=self.computed_as_of,
                       computed_status=self.computed_status)
        if self.computed_note:
            out["computed_note"] = self.computed_note
        return out


@dataclass
class Review:
    state: str
    as_of: str
    reviewer: str
    date: str
    entries: dict[str, Entry]
    file: str | None = None
    lines: dict[str, int] = field(default_factory=dict)

    def entry(self, provision: str) -> Entry:
        """The unit's entry; a unit the file does not list is unknown."""
        return self.entries.get(provision) or Entry()

    def where(self, path: str) -> int | None:
        """Line of a field path ('entries.5.evidence[0].provision'), or of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return None

    def to_data(self) -> dict[str, Any]:
        order = [o.id for o in units()]
        return {"schema": SCHEMA, "state": self.state, "as_of": self.as_of,
                "reviewer": self.reviewer, "date": self.date,
                "entries": {k: self.entries[k].to_data() for k in order if k in self.entries}}


def dump(review: Review) -> str:
    return yaml.safe_dump(review.to_data(), sort_keys=False, allow_unicode=True, width=100)


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


class _Problems:
    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file, self.lines, self.items = file, lines, []

    def add(self, path: str, field_name: str, message: str) -> None:
        line = self.lines.get(path)
        while line is None and "." in path:
            path = path.rsplit(".", 1)[0]
            line = self.lines.get(path)
        self.items.append(SomlabInputError(message, file=self.file, line=line, field=field_name))


def _strings(p: _Problems, value: Any, path: str, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        p.add(path, name, "expected a list of texts")
        return []
    return value


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int, float))


def _citation_types(p: _Problems, item: dict[str, Any], where: str) -> None:
    """Each field of a citation of the type the report and the citation check read."""
    for name, value in item.items():
        at = f"{where}.{name}"
        if name == "as_of":
            if _iso(value) is None:
                p.add(at, name, "expected a date YYYY-MM-DD")
        elif name == "query":
            if not isinstance(value, dict):
                continue  # said below
            by, filters = value.get("by"), value.get("where")
            if by is not None and not (isinstance(by, list) and all(map(_is_text, by))):
                p.add(at, "query.by", "expected a list of dimension names")
            if filters is not None and not (isinstance(filters, dict)
                                            and all(map(_is_scalar, filters.values()))):
                p.add(at, "query.where", "expected a mapping of dimension: value")
            for end in ("from", "to"):
                if not _is_scalar(value.get(end)) or isinstance(value.get(end), bool):
                    p.add(at, f"query.{end}", "expected a period YYYY or YYYY-MM")
        elif name == "conformity":
            if not (isinstance(value, dict) and _is_text(value.get("key"))
                    and _is_scalar(value.get("value"))
                    and (value.get("battery_case") is None or _is_text(value["battery_case"]))):
                p.add(at, name, "expected {key: text, value: the profile's value[, battery_case: "
                                "text]}")
        elif name != "kind" and not _is_text(value):
            p.add(at, name, f"expected text, got {type(value).__name__}")


def _evidence(p: _Problems, items: Any, path: str) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list):
        p.add(path, "evidence", "expected a list of evidence items")
        return []
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        kind = item.get("kind") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind not in EVIDENCE_FIELDS:
            p.add(where, "kind", f"expected an evidence item with kind one of {list(EVIDENCE_FIELDS)}")
            continue
        required, optional = EVIDENCE_FIELDS[kind]
        for name in sorted(required - set(item)):
            p.add(where, name, f"a {kind} citation needs '{name}'")
        for name in sorted(set(item) - required - optional - {"kind"}):
            p.add(f"{where}.{name}", name, f"unknown field for a {kind} citation; expected "
                                           f"{sorted(required | optional)}")
        _citation_types(p, item, where)
        if kind == "document" and "quote" in item and not str(item.get("quote") or "").strip():
            p.add(f"{where}.quote", "quote", "a quote, where given, is the words relied on")
        if kind == "indicator" and not isinstance(item.get("query"), dict):
            p.add(f"{where}.query", "query", "expected the indicator query: by, from, to, where")
        out.append(item)
    return out


def _entry(p: _Problems, data: Any, path: str) -> Entry:
    if not isinstance(data, dict):
        p.add(path, "entries", "expected a mapping with status and evidence")
        return Entry()
    for name in sorted(set(data) - ENTRY_FIELDS):
        p.add(f"{path}.{name}", name, f"unknown field; expected {sorted(ENTRY_FIELDS)}")
    for name in ("computed_note", "computed_status"):
        if data.get(name) is not None and not _is_text(data[name]):
            p.add(f"{path}.{name}", name, f"expected text, got {type(data[name]).__name__}")
    if _is_text(data.get("computed_status")) and data["computed_status"] not in STATUSES:
        p.add(f"{path}.computed_status", "computed_status", f"expected one of {list(STATUSES)}")
    if data.get("computed_as_of") is not None and _iso(data["computed_as_of"]) is None:
        p.add(f"{path}.computed_as_of", "computed_as_of", "expected a date YYYY-MM-DD")
    if not isinstance(data.get("computed", False), bool):
        p.add(f"{path}.computed", "computed", "expected true or false")
    status = data.get("status", "unknown")
    if not isinstance(status, str) or status not in STATUSES:
        p.add(f"{path}.status", "status", f"expected one of {list(STATUSES)}, got {status!r}")
        status = "unknown"
    entry = Entry(status=status, evidence=_evidence(p, data.get("evidence"), f"{path}.evidence"),
                  computed=data.get("computed") is True,
                  computed_as_of=_iso(data.get("computed_as_of")),
                  computed_status=data.get("computed_status"),
                  computed_note=data.get("computed_note"))
    for name in OBSERVATIONS:
        setattr(entry, name, _strings(p, data.get(name), f"{path}.{name}", name))
    if status != "unknown" and not entry.evidence:
        p.add(f"{path}.status", "evidence",
              f"status '{status}' without evidence: cite a corpus provision, an indicator with "
              "its query, a case or a document passage, or set the status to unknown")
    return entry


def review_from_data(data: Any, file: str, lines: dict[str, int] | None = None) -> Review:
    lines = lines or {}
    p = _Problems(file, lines)
    if not isinstance(data, dict):
        raise SomlabInputError(f"expected a mapping with {list(TOP_FIELDS)}", file=file, line=1)
    if data.get("schema") != SCHEMA:
        p.add("schema", "schema", f"expected '{SCHEMA}'")
    for name in sorted(set(data) - set(TOP_FIELDS)):
        p.add(name, name, f"unknown field; expected {list(TOP_FIELDS)}")
    for name in ("state", "reviewer"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            p.add(name, name, "required text")
    as_of, date = _iso(data.get("as_of")), _iso(data.get("date"))
    for name, value in (("as_of", as_of), ("date", date)):
        if value is None:
            p.add(name, name, "expected a date YYYY-MM-DD")
    known = {o.id for o in units()}
    entries = {}
    raw = data.get("entries") or {}
    if not isinstance(raw, dict):
        p.add("entries", "entries", "expected a mapping from provision (e.g. '6(1)(a)') to entry")
        raw = {}
    for key, value in raw.items():
        key = str(key)
        if key not in known:
            p.add(f"entries.{key}", "entries",
                  f"'{key}' is not a reviewed provision of the Protocol (see `somlab protocol show`)")
            continue
        entries[key] = _entry(p, value, f"entries.{key}")
    if p.items:
        raise SomlabInputError(f"{len(p.items)} problem(s) in the review", file=file,
                               problems=p.items)
    return Review(state=data["state"], as_of=as_of, reviewer=data["reviewer"], date=date,
                  entries=entries, file=file, lines=lines)


def load_review(path: str | Path) -> Review:
    path = Path(path)
    if not path.is_file():
        raise SomlabInputError("no such review file", file=str(path))
    data, lines = read_yaml_with_lines(path)
    return review_from_data(data, str(path), lines)
