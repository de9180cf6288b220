"""The case-facts contract (`somlab.case/1`) declared once: every fact's path, kind, allowed values,
whether it is required, and its meaning.

Everything else is generated from the table `FACTS`: the validation of one case
(`somlab.facts`), the column checks of a batch (`somlab.facts_table`) and the JSON Schema of
the web form and the API (`somlab.web.schema`). The published specification
(`case-facts.md`) is the contract: somlab may add optional facts (marked `added`) and values,
never rename or drop one; a test compares this table with it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from somlab.periods import parse_date

SCHEMA = "somlab.case/1"

# the allowed values (kept as tables by the formatter)
# fmt: off
ROLES = ("commercial_smuggler", "paid_driver", "boat_driver_migrant", "ngo_rescuer", "volunteer",
         "family_member", "migrant", "employer", "landlord", "carrier", "official", "other")
MOVEMENTS = ("entry", "transit", "movement", "stay", "exit")
DOCUMENT_FRAUD = ("none", "produced", "procured_or_provided", "possessed")
BENEFIT_KINDS = ("none", "money", "in_kind", "sexual", "other")
TIP_ACTS = ("recruitment", "transportation", "transfer", "harbouring", "receipt")
TIP_MEANS = ("threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
             "abuse_of_vulnerability", "payments_to_person_in_control")
TIP_PURPOSES = ("none", "sexual", "forced_labour", "slavery_or_similar", "servitude",
                "organ_removal", "other")
# fmt: on

# the dates a case may carry: the laws encoded and the data observed lie well inside
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
DATE_RANGE = f"between {FIRST_DATE} and {LAST_DATE}"
# counts are exact up to 2**53 in the float64 columns of the vectorized evaluator
MAX_COUNT = 2**53
# ISO 3166-1 alpha-2, or EU (same shape)
COUNTRY_PATTERN = "^[A-Z]{2}$"
# a list written as text: items separated by ';'; "[]" or "none" is the empty list
LIST_SEPARATOR = ";"
EMPTY_LIST_TEXTS = ("[]", "none")


class Kind(StrEnum):
    """What a fact holds; `None` (or an absent fact) is *unknown* for every kind."""

    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    COUNTRY = "country"  # ISO 3166-1 alpha-2 or EU
    BOOL = "bool"
    ENUM = "enum"  # one of the fact's choices
    ENUMLIST = "enumlist"  # a list of the fact's choices, each at most once
    COUNT = "count"  # a whole number >= 0
    AMOUNT = "amount"  # a finite number >= 0


@dataclass(frozen=True)
class FactSpec:
    """One fact of the contract: its dotted path, kind, allowed values and meaning."""

    path: str
    kind: Kind
    meaning: str
    required: bool = False
    added: bool = False  # an optional fact somlab adds to the published contract
    choices: tuple[str, ...] = ()  # the allowed values of an enum or enumlist

    @property
    def group(self) -> str | None:
        """The group of a dotted fact (`actor` for `actor.role`); None for a top-level field."""
        return self.path.split(".", 1)[0] if "." in self.path else None

    @property
    def leaf(self) -> str:
        return self.path.split(".", 1)[-1]

    @property
    def expected(self) -> str:
        """What a valid value is, as an error message says it after "expected"."""
        return RULES[self.kind].expected.format(choices=", ".join(self.choices), sep=LIST_SEPARATOR)

    def check(self, value: Any) -> Any:
        """The value normalised for this fact (None stays None = unknown), or ValueError saying
        what was expected."""
        if value is None:
            return None
        checked = RULES[self.kind].check(self, value)
        if checked is _BAD:
            raise ValueError(f"expected {self.expected}, got {shown(value)}")
        return checked

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this fact's value (null allowed unless it is required)."""
        schema = {**RULES[self.kind].json_schema(self), "description": self.meaning}
        if self.required:
            return schema
        return {"anyOf": [schema, {"type": "null"}], "description": self.meaning}


REQUIRED = ("id", "date")
# optional facts somlab reads beyond the published specification
ADDITIONS = (
    "actor.non_profit_organisation",
    "conduct.illegal_means",
    "migrants.minors_in_actor_care",
)

# the contract: path, kind, meaning, allowed values; in the order of the specification, each
# addition next to its kin (one row a fact)
# fmt: off
_ROWS: tuple[tuple[str, Kind, str, tuple[str, ...]], ...] = (
    ("id", Kind.TEXT, "unique name of the case", ()),
    ("date", Kind.DATE, "when the conduct took place", ()),
    ("forum", Kind.COUNTRY, "where the case is prosecuted or assessed (informative)", ()),
    ("summary", Kind.TEXT, "free text", ()),
    ("source", Kind.TEXT, "where the facts come from", ()),
    ("actor.role", Kind.ENUM, "who acted (informative)", ROLES),
    ("actor.is_smuggled_migrant", Kind.BOOL,
     "the actor is one of the persons whose irregular entry or stay is concerned (art 5)", ()),
    ("actor.is_family_member", Kind.BOOL, "close family member of (some of) the migrants", ()),
    ("actor.in_organized_group", Kind.BOOL, "acted as part of an organized criminal group", ()),
    ("actor.public_official", Kind.BOOL,
     "acted as a public official or abused an official position", ()),
    ("actor.non_profit_organisation", Kind.BOOL,
     "acted for an organisation that assists migrants and does not charge for its services", ()),
    ("conduct.facilitated", Kind.ENUMLIST,
     "which irregular movement the conduct assisted (entry; transit across a state on the way "
     "elsewhere; movement inside the destination state after entry; stay; exit)",
     MOVEMENTS),
    ("conduct.destination_state", Kind.COUNTRY,
     "the state whose entry, transit or stay rules are breached", ()),
    ("conduct.intentional", Kind.BOOL, "committed intentionally (art 6(1))", ()),
    ("conduct.attempt_only", Kind.BOOL, "attempted, not completed (art 6(2)(a))", ()),
    ("conduct.organized_or_directed", Kind.BOOL,
     "organized or directed other persons to commit it (art 6(2)(c))", ()),
    ("conduct.document_fraud", Kind.ENUM,
     "fraudulent travel or identity document (art 6(1)(b))", DOCUMENT_FRAUD),
    ("conduct.illegal_means", Kind.BOOL,
     "the stay was enabled by fraudulent documents or any other illegal means (art 6(1)(c))", ()),
    ("conduct.at_sea", Kind.BOOL, "took place at sea (arts 7-9)", ()),
    ("conduct.rescue_at_sea", Kind.BOOL,
     "assistance to persons in distress at sea, incl. their disembarkation", ()),
    ("migrants.count", Kind.COUNT,
     "number of persons whose entry, transit or stay is concerned", ()),
    ("migrants.children", Kind.COUNT, "of whom children (under 18)", ()),
    ("migrants.nationals_or_residents", Kind.BOOL,
     "the persons are nationals or permanent residents of the destination state", ()),
    ("migrants.minors_in_actor_care", Kind.BOOL,
     "the persons assisted, other than the actor, are all minors in the actor's actual care", ()),
    ("migrants.irregular", Kind.BOOL,
     "entry, transit or stay without complying with the legal requirements (art 3(b))", ()),
    ("benefit.obtained", Kind.BOOL,
     "the actor obtained or sought a financial or other material benefit (arts 3(a), 6(1))", ()),
    ("benefit.kind", Kind.ENUM, "what kind of benefit", BENEFIT_KINDS),
    ("benefit.exceeds_costs", Kind.BOOL,
     "the benefit is more than reimbursement of actual costs", ()),
    ("benefit.amount_eur", Kind.AMOUNT, "amount, converted to euros", ()),
    ("motive.humanitarian", Kind.BOOL, "the aim was humanitarian assistance", ()),
    ("motive.family_unity", Kind.BOOL, "the aim was to keep or bring a family together", ()),
    ("harm.endangered_life_or_safety", Kind.BOOL,
     "the conduct endangered, or was likely to endanger, lives or safety (art 6(3)(a))", ()),
    ("harm.inhuman_or_degrading_treatment", Kind.BOOL,
     "it entailed inhuman or degrading treatment, including for exploitation (art 6(3)(b))", ()),
    ("harm.deaths", Kind.COUNT, "persons who died", ()),
    ("harm.serious_injury", Kind.BOOL, "serious injury was caused", ()),
    ("exploitation.act", Kind.ENUMLIST, "Trafficking Protocol art 3(a), the act", TIP_ACTS),
    ("exploitation.means", Kind.ENUMLIST, "the means; [] means none were used", TIP_MEANS),
    ("exploitation.purpose", Kind.ENUM, "the purpose of exploitation", TIP_PURPOSES),
    ("exploitation.victims_children", Kind.BOOL, "the exploited persons are children", ()),
)
# fmt: on

FACTS: tuple[FactSpec, ...] = tuple(
    FactSpec(path, kind, meaning, path in REQUIRED, path in ADDITIONS, choices)
    for path, kind, meaning, choices in _ROWS
)
SPEC: dict[str, FactSpec] = {f.path: f for f in FACTS}
TOP_LEVEL: tuple[str, ...] = tuple(f.path for f in FACTS if f.group is None)
GROUPS: dict[str, tuple[str, ...]] = {}
for _spec in FACTS:
    if _spec.group is not None:
        GROUPS[_spec.group] = (*GROUPS.get(_spec.group, ()), _spec.leaf)
# the facts the laws read (the top-level fields name, date and describe a case)
LEGAL_FACTS: tuple[str, ...] = tuple(f.path for f in FACTS if f.group is not None)


# ---------------------------------------------------------------------------------------------
# the rule of each kind: what a value must be, in Python and in JSON Schema


_BAD = object()  # a check's answer for a value the fact cannot hold


def is_country_code(value: Any) -> bool:
    """An ISO 3166-1 alpha-2 code or EU: two capital letters A-Z."""
    return isinstance(value, str) and re.fullmatch(COUNTRY_PATTERN, value) is not None


def list_items(text: str) -> list[str]:
    """The items of a list written as text (`entry;stay`; `[]` or `none` for the empty list)."""
    if text.strip() in EMPTY_LIST_TEXTS:
        return []
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def shown(value: Any) -> str:
    """A value as an error message shows it (a 5,000-digit number cut short)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(spec: FactSpec, value: Any) -> Any:
    return str(value) if isinstance(value, str) or _is_number(value) else _BAD


def _date(spec: FactSpec, value: Any) -> Any:
    try:
        date = parse_date(value)
    except ValueError:
        return _BAD
    if not FIRST_DATE <= date <= LAST_DATE:
        raise ValueError(f"expected a date {DATE_RANGE}, got {date}")
    return date


def _country(spec: FactSpec, value: Any) -> Any:
    return value if is_country_code(value) else _BAD


def _bool(spec: FactSpec, value: Any) -> Any:
    return value if isinstance(value, bool) else _BAD


def _enum(spec: FactSpec, value: Any) -> Any:
    return value if isinstance(value, str) and value in spec.choices else _BAD


def _enumlist(spec: FactSpec, value: Any) -> Any:
    items = list_items(value) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        return _BAD
    bad = [item for item in items if not (isinstance(item, str) and item in spec.choices)]
    if bad:
        raise ValueError(f"expected items among {', '.join(spec.choices)}, got {shown(bad[0])}")
    return list(dict.fromkeys(items))


def _count(spec: FactSpec, value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT
    return value if ok else _BAD


def _amount(spec: FactSpec, value: Any) -> Any:
    if not _is_number(value):
        return _BAD
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range
        return _BAD
    return number if 0 <= number < math.inf else _BAD


@dataclass(frozen=True)
class KindRule:
    """The rule of one kind: what an error says was expected, the check that normalises a value
    (or answers `_BAD`), and the JSON Schema of a value."""

    expected: str  # may name {choices} and the list {sep}
    check: Callable[[FactSpec, Any], Any]
    json_schema: Callable[[FactSpec], dict[str, Any]]


RULES: dict[Kind, KindRule] = {
    Kind.TEXT: KindRule("text", _text, lambda s: {"type": "string"}),
    Kind.DATE: KindRule("a date YYYY-MM-DD", _date, lambda s: {"type": "string", "format": "date"}),
    Kind.COUNTRY: KindRule(
        "an ISO 3166-1 alpha-2 code (e.g. IT) or EU",
        _country,
        lambda s: {"type": "string", "pattern": COUNTRY_PATTERN},
    ),
    Kind.BOOL: KindRule("true, false or null", _bool, lambda s: {"type": "boolean"}),
    Kind.ENUM: KindRule(
        "one of {choices}", _enum, lambda s: {"type": "string", "enum": list(s.choices)}
    ),
    Kind.ENUMLIST: KindRule(
        "a list of {choices} (as text: items separated by '{sep}')",
        _enumlist,
        lambda s: {
            "type": "array",
            "items": {"type": "string", "enum": list(s.choices)},
            "uniqueItems": True,
        },
    ),
    Kind.COUNT: KindRule(
        "a whole number >= 0 (at most 2**53)",
        _count,
        lambda s: {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
    ),
    Kind.AMOUNT: KindRule(
        "a finite number >= 0", _amount, lambda s: {"type": "number", "minimum": 0}
    ),
}


def case_json_schema() -> dict[str, Any]:
    """One case in the contract: the top-level fields and one object per group of facts."""
    props: dict[str, Any] = {path: SPEC[path].json_schema() for path in TOP_LEVEL}
    for group, leaves in GROUPS.items():
        props[group] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {leaf: SPEC[f"{group}.{leaf}"].json_schema() for leaf in leaves},
        }
    return {
        "title": "Case",
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED),
        "properties": props,
        "description": f"A case in the {SCHEMA} contract; an absent or null fact is unknown.",
    }
