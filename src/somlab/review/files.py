"""Review files (`somlab.review/1`): one YAML per state and review, read with line numbers.

A review gives each catalogue unit a status, the evidence behind it and the Mechanism's kinds of
observation (gaps and challenges, good practices, suggestions, technical-assistance needs).
Loading checks a file against its schema (`ReviewFile`) and reports every problem together, each
with file, line and field; whether citations resolve is `somlab.review.citations`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from somlab.errors import SomlabInputError
from somlab.review.catalogue import units
from somlab.validation import Flag, IsoDate, Schema, Text, problem, validate
from somlab.yamlio import line_at, read_yaml_with_lines

SCHEMA = "somlab.review/1"
Status = Literal["implemented", "partially", "not implemented", "not applicable", "unknown"]
STATUSES: tuple[str, ...] = get_args(Status)
OBSERVATIONS = ("gaps", "good_practices", "suggestions", "assistance_needs", "notes")


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
            out.update(
                computed=True,
                computed_as_of=self.computed_as_of,
                computed_status=self.computed_status,
            )
        elif self.computed_status is not None:
            out.update(
                computed=False,
                computed_as_of=self.computed_as_of,
                computed_status=self.computed_status,
            )
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
        return line_at(self.lines, path)

    def to_data(self) -> dict[str, Any]:
        order = [o.id for o in units()]
        return {
            "schema": SCHEMA,
            "state": self.state,
            "as_of": self.as_of,
            "reviewer": self.reviewer,
            "date": self.date,
            "entries": {k: self.entries[k].to_data() for k in order if k in self.entries},
        }


def dump(review: Review) -> str:
    return yaml.safe_dump(review.to_data(), sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------------------------
# the schema of a review file

Scalar = StrictStr | StrictBool | StrictInt | StrictFloat | None
Period = StrictStr | StrictInt | StrictFloat | None  # YYYY or YYYY-MM


class Query(Schema):
    """An indicator query, as `somlab indicators show` takes it."""

    by: list[Text] | None = None  # dimension names
    where: dict[str, Scalar] | None = None  # dimension: value
    from_: Period = Field(None, alias="from")
    to: Period = None


class ConformityValue(Schema):
    """A value of the conformity profile the corpus citation relies on."""

    key: Text
    value: Scalar = None
    battery_case: Text | None = None


class CorpusCitation(Schema):
    kind: Literal["corpus"]
    law: Text
    as_of: IsoDate
    provision: Text
    conformity: ConformityValue | None = None
    note: Text | None = None


class IndicatorCitation(Schema):
    kind: Literal["indicator"]
    name: Text
    query: Query
    note: Text | None = None


class CaseCitation(Schema):
    kind: Literal["case"]
    id: Text
    note: Text | None = None


class DocumentCitation(Schema):
    kind: Literal["document"]
    passage: Text  # a passage of the document register, which names the document
    quote: Text | None = None  # the words relied on
    note: Text | None = None

    @field_validator("quote", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise problem("a quote, where given, is the words relied on")
        return value


Citation = Annotated[
    CorpusCitation | IndicatorCitation | CaseCitation | DocumentCitation,
    Field(discriminator="kind"),
]


class EntryFile(Schema):
    status: Status = "unknown"
    evidence: list[Citation] = []
    gaps: list[Text] = []
    good_practices: list[Text] = []
    suggestions: list[Text] = []
    assistance_needs: list[Text] = []
    notes: list[Text] = []
    computed: Flag = False  # written by `review init` from the conformity profile
    computed_as_of: IsoDate | None = None
    computed_status: Status | None = None
    computed_note: Text | None = None

    @model_validator(mode="after")
    def _evidenced(self) -> EntryFile:
        if self.status != "unknown" and not self.evidence:
            raise problem(
                f"status '{self.status}' without evidence: cite a corpus provision, an "
                "indicator with its query, a case or a document passage, or set the "
                "status to unknown",
                ".status",
            )
        return self


def _reviewed(key: str) -> str:
    if key not in {o.id for o in units()}:
        raise problem(
            f"'{key}' is not a reviewed provision of the Protocol (see `somlab protocol show`)"
        )
    return key


def _keys_as_text(value: Any) -> Any:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


class ReviewFile(Schema):
    schema_: Literal["somlab.review/1"] = Field(alias="schema")
    state: Text
    as_of: IsoDate
    reviewer: Text
    date: IsoDate
    # from provision (e.g. '6(1)(a)') to entry
    entries: Annotated[
        dict[Annotated[str, AfterValidator(_reviewed)], EntryFile], BeforeValidator(_keys_as_text)
    ] = {}


def review_from_data(data: Any, file: str, lines: Mapping[str, int] | None = None) -> Review:
    if not isinstance(data, dict):
        raise SomlabInputError(
            "expected a mapping with schema, state, as_of, reviewer, date and entries",
            file=file,
            line=1,
        )
    review = validate(ReviewFile, data, file, lines, what="the review")
    raw = _keys_as_text(data.get("entries") or {})
    entries = {
        key: Entry(
            status=e.status,
            evidence=list(raw[key].get("evidence") or []),
            gaps=e.gaps,
            good_practices=e.good_practices,
            suggestions=e.suggestions,
            assistance_needs=e.assistance_needs,
            notes=e.notes,
            computed=e.computed,
            computed_as_of=e.computed_as_of,
            computed_status=e.computed_status,
            computed_note=e.computed_note,
        )
        for key, e in review.entries.items()
    }
    return Review(
        state=review.state,
        as_of=review.as_of,
        reviewer=review.reviewer,
        date=review.date,
        entries=entries,
        file=file,
        lines=dict(lines or {}),
    )


def load_review(path: str | Path) -> Review:
    path = Path(path)
    if not path.is_file():
        raise SomlabInputError("no such review file", file=str(path))
    data, lines = read_yaml_with_lines(path)
    return review_from_data(data, str(path), lines)
