"""The law as data: one jurisdiction's rules in force between two dates, read from one YAML file.

A file holds the verbatim text of every provision it encodes (with its source), and rules that
quote that text: offences (elements combined with all/any/not), Catala-style exceptions that name
the rules they defeat, and aggravations. Interpretations are written as `reading`s with their
authority, never folded silently into a test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    Strict,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass as schema_dataclass

from somlab.errors import SomlabInputError
from somlab.law.conditions import Condition, ConditionError, parse
from somlab.periods import parse_date
from somlab.validation import DateText, Flag, Problems, Text, problem, validate
from somlab.yamlio import read_yaml_with_lines

Effect = Literal["not_an_offence", "not_punishable", "optional", "offence"]
AggravationKind = Literal[
    "endangerment",
    "inhuman_treatment",
    "organized_group",
    "children",
    "death",
    "serious_injury",
    "profit",
    "other",
]
ProtocolParagraph = Literal["6(1)(a)", "6(1)(b)(i)", "6(1)(b)(ii)", "6(1)(c)"]
LawKind = Literal["treaty", "eu", "national", "reform"]
UnencodedKind = Literal["offence", "exemption", "defence", "aggravation"]
Earlier = Literal["none", "unknown", "not_in_force"]

EFFECTS: tuple[str, ...] = get_args(Effect)
REMOVING = ("not_an_offence", "not_punishable")
AGGRAVATION_KINDS: tuple[str, ...] = get_args(AggravationKind)
PROTOCOL_PARAGRAPHS: tuple[str, ...] = get_args(ProtocolParagraph)
KINDS: tuple[str, ...] = get_args(LawKind)
UNENCODED_KINDS: tuple[str, ...] = get_args(UnencodedKind)
EARLIER: tuple[str, ...] = get_args(Earlier)
UNDETERMINED_EARLIER = ("unknown", "not_in_force")  # verdicts before the first version: null


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------
# the schema of a law file: the rule classes below are pydantic dataclasses, so that reading a
# file checks each key where it is declared (somlab.validation locates the errors). Checks that
# need the rest of the file read what was validated before them from the validation context:
# "sources" (ids), "provisions" and "definitions" (see LawFile).

_SCHEMA = ConfigDict(extra="forbid")
Prose = Annotated[Text, AfterValidator(normalise_space)]  # quoted or written text, one line
Number = StrictInt | StrictFloat


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return value
    return value


Date = Annotated[dt.date, Strict(), BeforeValidator(_iso_date)]  # a date, not a timestamp


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _condition(value: Any, info: ValidationInfo) -> Condition:
    if isinstance(value, Condition):
        return value
    try:
        return parse(value, "", _context(info).get("definitions", {}))
    except ConditionError as exc:
        raise problem(str(exc), exc.where) from None


def _known_provision(value: str, info: ValidationInfo) -> str:
    provisions = _context(info).get("provisions")
    if provisions is not None and value not in provisions:
        raise problem(f"provision {value!r} is not among the provisions of this file")
    return value


def _quoted(value: str, info: ValidationInfo) -> str:
    """A quote of the text of the rule's provision (validated just before it)."""
    provisions = _context(info).get("provisions") or {}
    provision = provisions.get(info.data.get("provision"))
    if not value.strip():
        raise problem("a quote of the provision's text is required")
    if provision is not None and normalise_space(value) not in normalise_space(provision.text):
        raise problem(f"quote is not in the text of {provision.id}: {value!r}")
    return normalise_space(value)


ConditionField = Annotated[Condition, PlainValidator(_condition)]
ProvisionRef = Annotated[Text, AfterValidator(_known_provision)]
Quote = Annotated[StrictStr, AfterValidator(_quoted)]


@schema_dataclass(frozen=True, config=_SCHEMA)
class Reading:
    """An interpretation needed to encode the text, with its authority."""

    note: Prose
    authority: Prose


@schema_dataclass(frozen=True, config=_SCHEMA)
class Source:
    id: Text
    title: Text
    where: Text
    href: Text | None = None
    retrieved: DateText | None = None
    text: Text | None = None  # the stored verbatim text, relative to the corpus folder

    @field_validator("text")
    @classmethod
    def _stored(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if not (value.startswith("texts/") and value.endswith(".md")):
            raise problem("'text' names the stored text as texts/<CODE>/<name>.md")
        root = _context(info).get("root")
        if root is not None and not (root / value).is_file():
            raise problem(f"stored text {value} not found in the corpus folder")
        return value


@schema_dataclass(frozen=True, config=_SCHEMA)
class Provision:
    id: Text  # e.g. "art 6(1)(a)"; in a file, the key the provision is listed under
    text: Text  # verbatim, in the language of the law
    source: Text
    gloss: Text | None = None  # English gloss of a non-English text
    title: Text | None = None
    cite: Text | None = None  # full citation when the provision belongs to another instrument

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str, info: ValidationInfo) -> str:
        sources = _context(info).get("sources")
        if sources is not None and value not in sources:
            raise problem(f"unknown source {value!r}")
        return value


@schema_dataclass(frozen=True, config=_SCHEMA)
class Penalty:
    """A penalty as stated; life imprisonment and the death penalty are flags, never a number of
    years (`max_years` is then null)."""

    quote: Prose
    max_years: Number | None = None
    min_years: Number | None = None
    fine_max_eur: Number | None = None
    life: Flag = False  # imprisonment for life
    death_penalty: Flag = False
    provision: Text | None = None  # the provision that states it, when not the rule's own

    @model_validator(mode="after")
    def _flags_not_years(self) -> Penalty:
        if (self.life or self.death_penalty) and self.max_years is not None:
            raise problem(
                "a penalty of life imprisonment or death has max_years: null (the flag says it)",
                ".max_years",
            )
        return self


@schema_dataclass(frozen=True, config=_SCHEMA)
class _QuotedRule:
    """A rule, with the words of one of the file's provisions it encodes."""

    id: Text
    provision: ProvisionRef
    quote: Quote


@schema_dataclass(frozen=True, config=_SCHEMA)
class Element(_QuotedRule):
    test: ConditionField
    reading: Reading | None = None


@schema_dataclass(frozen=True, config=_SCHEMA)
class Offence:
    id: Text
    provision: ProvisionRef
    title: Text
    elements: tuple[Element, ...]
    protocol: tuple[ProtocolParagraph, ...] = ()  # Protocol paragraphs it implements (informative)
    penalty: Penalty | None = None
    note: Text | None = None

    @field_validator("elements")
    @classmethod
    def _some_elements(cls, value: tuple[Element, ...]) -> tuple[Element, ...]:
        if not value:
            raise problem("an offence needs at least one element")
        return value


@schema_dataclass(frozen=True, config=_SCHEMA)
class Exception_(_QuotedRule):
    title: Text
    defeats: tuple[Text, ...]
    effect: Effect
    when: ConditionField
    reading: Reading | None = None
    general_defence: Flag = False


@schema_dataclass(frozen=True, config=_SCHEMA)
class Aggravation(_QuotedRule):
    kind: AggravationKind
    when: ConditionField
    applies_to: tuple[Text, ...] = ()  # offence ids; in a file, none: every offence
    penalty: Penalty | None = None
    reading: Reading | None = None


@schema_dataclass(frozen=True, config=_SCHEMA)
class Unencoded:
    """A rule the law has that is not encoded, with the cases it could touch (`scope`).

    Inside its scope (true or unknown) it leaves open the verdict it could change: an offence
    rule a "no offence", an exemption or defence an offence of `applies_to`, an aggravation rule
    a "not aggravated" (as the aggravation kind `aggravation`). Outside it, verdicts stay firm.
    """

    id: Text
    kind: UnencodedKind
    provision: Prose  # as cited in the source
    reason: Prose  # why it is not encoded
    scope: ConditionField  # the cases the rule could touch
    applies_to: tuple[Text, ...] = ()  # offence ids (exemption, defence, aggravation)
    # its aggravation kind, or "any" when its content is unread
    aggravation: Literal[AggravationKind, "any"] | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Unencoded:
        problems = Problems()
        if self.kind == "offence" and self.applies_to:
            problems.add("an unencoded offence takes no 'applies_to'", ".applies_to")
        if self.kind == "aggravation" and self.aggravation is None:
            problems.add(
                f"an unencoded aggravation names its kind in 'aggravation', one of "
                f"{', '.join(AGGRAVATION_KINDS)}, or 'any' when its content was not "
                f"read",
                ".aggravation",
            )
        if self.kind != "aggravation" and self.aggravation is not None:
            problems.add("'aggravation' is for rules of kind aggravation", ".aggravation")
        problems.raise_any("unencoded rule")
        return self

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "provision": self.provision}


@schema_dataclass(frozen=True, config=_SCHEMA)
class CitedProvision:
    """A provision that is not a rule of the offence but that findings and reports cite; with a
    `when` condition, results cite it where an offence holds and the condition does (e.g. the
    Protocol's art 6(2) for attempts)."""

    provision: ProvisionRef
    quote: Quote
    note: Prose
    when: ConditionField | None = None


@schema_dataclass(frozen=True, config=_SCHEMA)
class MemberStateRule(_QuotedRule):
    """In EU law, a rule the national offences of bound Member States are subject to: read as an
    exception with effect not_an_offence, whose targets the EU layer names (law/eu_layer.py)."""

    title: Text
    when: ConditionField
    reading: Reading | None = None

    def as_exception(self) -> Exception_:
        return Exception_(
            id=self.id,
            provision=self.provision,
            quote=self.quote,
            title=self.title,
            defeats=(),
            effect="not_an_offence",
            when=self.when,
            reading=self.reading,
        )


@dataclass
class Law:
    """One jurisdiction's law in force from `valid_from` to `valid_to` (exclusive)."""

    code: str
    name: str
    kind: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    enacted_by: str
    language: str
    sources: dict[str, Source]
    provisions: dict[str, Provision]
    offences: tuple[Offence, ...]
    exceptions: tuple[Exception_, ...] = ()
    aggravations: tuple[Aggravation, ...] = ()
    cited: tuple[CitedProvision, ...] = ()
    partial: str | None = None  # what is missing, when only part of the text is verified
    file: str | None = None
    reforms: tuple[str, ...] = field(default_factory=tuple)  # names of reforms layered on
    verified_on: str | None = None
    # what applied before valid_from: "none" (this act created the offence), "unknown" (an earlier
    # wording exists but is not encoded: verdicts undetermined) or "not_in_force" (a treaty before
    # its entry into force: it defines no offence, so verdicts are undetermined and flagged)
    earlier: str = "unknown"
    # the rules the law has that are not encoded, each with the cases it could touch
    unencoded: tuple[Unencoded, ...] = ()
    # EU law only: rules the national offences of bound Member States are subject to (layered on
    # them by law/eu_layer.py); `defeats` is empty, the layer names the national offences
    member_state_rules: tuple[Exception_, ...] = ()

    def label(self, provision: str) -> str:
        """How a provision is cited in results: 'IT art 12(1)', or its own full citation."""
        found = self.provisions.get(provision)
        if found is not None and found.cite:
            return found.cite
        return f"{self.code.split('+')[0]} {provision}"

    def in_force(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date < self.valid_to)

    def offence(self, offence_id: str) -> Offence:
        return next(o for o in self.offences if o.id == offence_id)


# ---------------------------------------------------------------------------------------------
# the file


def _keyed_provisions(value: Any) -> Any:
    """Provisions are listed under their id: the key becomes the provision's `id`."""
    if not isinstance(value, dict):
        return value
    return {
        str(pid): {"id": str(pid), **p} if isinstance(p, dict) and "id" not in p else p
        for pid, p in value.items()
    }


class LawFile(BaseModel):
    """One version of a law as written in a corpus file (docs/corpus-format.md). Fields are
    validated in the order declared: sources, provisions and definitions before the rules that
    cite them; the checks across rules run last (`_across_rules`)."""

    model_config = _SCHEMA

    code: Text
    name: Text | None = None
    kind: LawKind
    version: Text | None = None
    valid_from: Date  # the date the version entered into force
    valid_to: Date | None = None
    enacted_by: str = ""
    language: Text = "en"
    sources: tuple[Source, ...]  # where the text was read
    provisions: Annotated[dict[str, Provision], BeforeValidator(_keyed_provisions)] = {}
    definitions: dict[str, Any] = {}  # named conditions, each may use those before it
    offences: tuple[Offence, ...] = ()
    unencoded: tuple[Unencoded, ...] = ()
    member_state_rules: tuple[MemberStateRule, ...] = ()
    exceptions: tuple[Exception_, ...] = ()
    aggravations: tuple[Aggravation, ...] = ()
    cited: tuple[CitedProvision, ...] = ()
    partial: Prose | None = None
    verified_on: DateText | None = None
    earlier: Earlier | None = None  # default: not_in_force for a treaty, unknown otherwise

    @field_validator("sources")
    @classmethod
    def _share_sources(cls, value: tuple[Source, ...], info: ValidationInfo) -> tuple[Source, ...]:
        if not value:
            raise problem("at least one source (where the text was read) is required")
        _context(info)["sources"] = {s.id for s in value}
        return value

    @field_validator("provisions")
    @classmethod
    def _share_provisions(
        cls, value: dict[str, Provision], info: ValidationInfo
    ) -> dict[str, Provision]:
        _context(info)["provisions"] = value
        return value

    @field_validator("definitions")
    @classmethod
    def _parse_definitions(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        definitions: dict[str, Condition] = {}
        for name, data in value.items():
            try:
                definitions[str(name)] = parse(data, str(name), definitions)
            except ConditionError as exc:
                raise problem(str(exc), f".{exc.where}") from None
        _context(info)["definitions"] = definitions
        return definitions

    @model_validator(mode="after")
    def _across_rules(self) -> LawFile:
        problems = Problems()
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            problems.add("valid_to must be after valid_from", ".valid_to")
        offences = {o.id for o in self.offences}
        open_offences = {u.id for u in self.unencoded if u.kind == "offence"}
        seen: set[str] = set()
        for i, u in enumerate(self.unencoded):
            if u.id in seen:
                problems.add(f"duplicate unencoded rule id {u.id!r}", f".unencoded[{i}].id")
            seen.add(u.id)
            # an unencoded aggravation may aggravate an unencoded offence too
            targets = offences | open_offences if u.kind == "aggravation" else offences
            for t in u.applies_to:
                if t not in targets:
                    problems.add(f"applies to unknown offence {t!r}", f".unencoded[{i}].applies_to")
            if u.kind != "offence" and not u.applies_to and not targets:
                problems.add(
                    "the file has no offence for this rule to apply to",
                    f".unencoded[{i}].applies_to",
                )
        for i, a in enumerate(self.aggravations):
            for t in a.applies_to:
                if t not in offences:
                    problems.add(
                        f"applies to unknown offence {t!r}", f".aggravations[{i}].applies_to"
                    )
        self._check_exceptions(problems, offences | open_offences)
        if self.member_state_rules and self.kind != "eu":
            problems.add("member_state_rules are for EU law", ".member_state_rules")
        if not self.offences and not open_offences:
            problems.add(
                "at least one offence is required, or an 'unencoded' rule of kind offence "
                "whose scope covers the conduct the law reaches",
                ".offences",
            )
        if self.unencoded and not self.partial:
            problems.add(
                "a law with 'unencoded' rules must say what text is missing in 'partial'",
                ".partial",
            )
        if self.earlier == "not_in_force" and self.kind != "treaty":
            problems.add("'not_in_force' is for treaties", ".earlier")
        problems.raise_any("law file")
        return self

    def _check_exceptions(self, problems: Problems, offence_ids: set[str]) -> None:
        """Exceptions defeat known rules (an exception may defeat an unencoded offence too: a
        reform's exemption for every offence), and not in a cycle."""
        rule_ids = offence_ids | {e.id for e in self.exceptions}
        for i, e in enumerate(self.exceptions):
            if not e.defeats:
                problems.add(
                    "an exception must name the rules it defeats ('defeats: [ids]')",
                    f".exceptions[{i}].defeats",
                )
            for target in e.defeats:
                if target not in rule_ids or target == e.id:
                    problems.add(f"defeats unknown rule {target!r}", f".exceptions[{i}].defeats")
            if e.effect == "offence" and any(t in offence_ids for t in e.defeats):
                problems.add(
                    "an exception with effect 'offence' reinstates a rule: it must defeat "
                    "exceptions, not offences",
                    f".exceptions[{i}].effect",
                )
        cycle = _cycle({e.id: e.defeats for e in self.exceptions})
        if cycle:
            problems.add(
                f"exceptions defeat each other in a cycle: {' -> '.join(cycle)}", ".exceptions"
            )

    def to_law(self, file: str) -> Law:
        offences = tuple(o.id for o in self.offences)
        open_offences = tuple(u.id for u in self.unencoded if u.kind == "offence")
        # rules that name no offence apply to every offence of the file
        unencoded = tuple(
            u
            if u.applies_to or u.kind == "offence"
            else replace(
                u,
                applies_to=tuple(
                    sorted({*offences, *open_offences} if u.kind == "aggravation" else offences)
                ),
            )
            for u in self.unencoded
        )
        aggravations = tuple(
            a if a.applies_to else replace(a, applies_to=offences) for a in self.aggravations
        )
        return Law(
            code=self.code,
            name=self.name or self.code,
            kind=self.kind,
            version=self.version or f"{self.code}/{self.valid_from.isoformat()}",
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            enacted_by=self.enacted_by,
            language=self.language,
            sources={s.id: s for s in self.sources},
            provisions=self.provisions,
            offences=self.offences,
            exceptions=self.exceptions,
            aggravations=aggravations,
            cited=self.cited,
            partial=self.partial,
            file=file,
            verified_on=self.verified_on,
            earlier=self.earlier or ("not_in_force" if self.kind == "treaty" else "unknown"),
            unencoded=unencoded,
            member_state_rules=tuple(r.as_exception() for r in self.member_state_rules),
        )


def _cycle(graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A path that comes back to where it started, if the graph has one."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, trail: list[str]) -> list[str] | None:
        if state.get(node) == 1:
            return trail + [node]
        if state.get(node) == 2 or node not in graph:
            return None
        state[node] = 1
        for nxt in graph[node]:
            found = visit(nxt, trail + [node])
            if found:
                return found
        state[node] = 2
        return None

    return next((c for c in (visit(n, []) for n in graph) if c), None)


def law_from_data(
    data: Any, file: str, lines: Mapping[str, int] | None = None, root: Path | None = None
) -> Law:
    """Validate a law mapping; every problem is reported at once in one SomlabInputError, each
    with its file, line and field. `root` is the corpus folder that stored texts are relative to
    (default: the file's grandparent, as in corpus/<CODE>/<date>.yaml)."""
    if not isinstance(data, dict):
        raise SomlabInputError("expected a mapping describing one version of a law", file=file)
    context = {"root": root or Path(file).resolve().parents[1]}
    law_file = validate(LawFile, data, file, lines, context=context, what="this law file")
    return law_file.to_law(file)


def load_law(path: Path) -> Law:
    data, lines = read_yaml_with_lines(path)
    return law_from_data(data, str(path), lines)
