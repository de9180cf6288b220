"""Case facts (contract `somlab.case/1`, the case-facts specification): schema, validation, loading.

A case is held flat: a mapping from dotted fact path to value, where a missing path or `None`
means *unknown*. Validation errors name the file, the line (YAML/JSON), the field and what was
expected; all problems in a file are reported together in one error.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from somlab.errors import SomlabInputError, raise_problems
from somlab.periods import parse_date
from somlab.unicode_check import check_data
from somlab.yamlio import line_map, parse, read_text

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

MAX_CASE_FILE_BYTES = 50 * 1024 * 1024  # YAML/JSON case files; larger batches belong in Parquet
# the dates a case may carry: the laws encoded and the data observed lie well inside
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
DATE_RANGE = f"between {FIRST_DATE} and {LAST_DATE}"
# counts are exact up to 2**53 in the float64 columns of the vectorized evaluator
MAX_COUNT = 2**53


@dataclass(frozen=True)
class FactSpec:
    """One fact of the contract: its dotted path, kind, allowed values and meaning."""

    path: str
    kind: str  # text | date | country | bool | enum | enumlist | count | amount
    meaning: str
    choices: tuple[str, ...] = ()
    required: bool = False
    added: bool = False  # an optional field somlab adds to the contract


FACTS: tuple[FactSpec, ...] = (
    FactSpec("id", "text", "unique name of the case", required=True),
    FactSpec("date", "date", "when the conduct took place", required=True),
    FactSpec("forum", "country", "where the case is prosecuted or assessed (informative)"),
    FactSpec("summary", "text", "free text"),
    FactSpec("source", "text", "where the facts come from"),
    FactSpec("actor.role", "enum", "who acted (informative)", ROLES),
    FactSpec("actor.is_smuggled_migrant", "bool",
             "the actor is one of the persons whose irregular entry or stay is concerned (art 5)"),
    FactSpec("actor.is_family_member", "bool", "close family member of (some of) the migrants"),
    FactSpec("actor.in_organized_group", "bool", "acted as part of an organized criminal group"),
    FactSpec("actor.public_official", "bool",
             "acted as a public official or abused an official position"),
    FactSpec("actor.non_profit_organisation", "bool",
             "acted for an organisation that assists migrants and does not charge for its services",
             added=True),
    FactSpec("conduct.facilitated", "enumlist",
             "which irregular movement the conduct assisted (entry; transit across a state on the "
             "way elsewhere; movement inside the destination state after entry; stay; exit)",
             MOVEMENTS),
    FactSpec("conduct.destination_state", "country",
             "the state whose entry, transit or stay rules are breached"),
    FactSpec("conduct.intentional", "bool", "committed intentionally (art 6(1))"),
    FactSpec("conduct.attempt_only", "bool", "attempted, not completed (art 6(2)(a))"),
    FactSpec("conduct.organized_or_directed", "bool",
             "organized or directed other persons to commit it (art 6(2)(c))"),
    FactSpec("conduct.document_fraud", "enum", "fraudulent travel or identity document (art 6(1)(b))",
             DOCUMENT_FRAUD),
    FactSpec("conduct.illegal_means", "bool",
             "the stay was enabled by fraudulent documents or any other illegal means (art 6(1)(c))",
             added=True),
    FactSpec("conduct.at_sea", "bool", "took place at sea (arts 7-9)"),
    FactSpec("conduct.rescue_at_sea", "bool",
             "assistance to persons in distress at sea, incl. their disembarkation"),
    FactSpec("migrants.count", "count", "number of persons whose entry, transit or stay is concerned"),
    FactSpec("migrants.children", "count", "of whom children (under 18)"),
    FactSpec("migrants.nationals_or_residents", "bool",
             "the persons are nationals or permanent residents of the destination state"),
    FactSpec("migrants.minors_in_actor_care", "bool",
             "the persons assisted, other than the actor, are all minors in the actor's actual care",
             added=True),
    FactSpec("migrants.irregular", "bool",
             "entry, transit or stay without complying with the legal requirements (art 3(b))"),
    FactSpec("benefit.obtained", "bool",
             "the actor obtained or sought a financial or other material benefit (arts 3(a), 6(1))"),
    FactSpec("benefit.kind", "enum", "what kind of benefit", BENEFIT_KINDS),
    FactSpec("benefit.exceeds_costs", "bool", "the benefit is more than reimbursement of actual costs"),
    FactSpec("benefit.amount_eur", "amount", "amount, converted to euros"),
    FactSpec("motive.humanitarian", "bool", "the aim was humanitarian assistance"),
    FactSpec("motive.family_unity", "bool", "the aim was to keep or bring a family together"),
    FactSpec("harm.endangered_life_or_safety", "bool",
             "the conduct endangered, or was likely to endanger, lives or safety (art 6(3)(a))"),
    FactSpec("harm.inhuman_or_degrading_treatment", "bool",
             "it entailed inhuman or degrading treatment, including for exploitation (art 6(3)(b))"),
    FactSpec("harm.deaths", "count", "persons who died"),
    FactSpec("harm.serious_injury", "bool", "serious injury was caused"),
    FactSpec("exploitation.act", "enumlist", "Trafficking Protocol art 3(a), the act", TIP_ACTS),
    FactSpec("exploitation.means", "enumlist", "the means; [] means none were used", TIP_MEANS),
    FactSpec("exploitation.purpose", "enum", "the purpose of exploitation", TIP_PURPOSES),
    FactSpec("exploitation.victims_children", "bool", "the exploited persons are children"),
)

SPEC: dict[str, FactSpec] = {f.path: f for f in FACTS}
GROUPS: dict[str, tuple[str, ...]] = {}
for _f in FACTS:
    if "." in _f.path:
        _g, _leaf = _f.path.split(".", 1)
        GROUPS[_g] = GROUPS.get(_g, ()) + (_leaf,)
LEGAL_FACTS: tuple[str, ...] = tuple(f.path for f in FACTS if "." in f.path)


@dataclass
class Case:
    """One case: id, date and a flat mapping of known facts (absent path = unknown)."""

    id: str
    date: dt.date
    facts: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    # results of conditions already evaluated on this case by the law being applied (see scalar.py)
    memo: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, path: str) -> Any:
        return self.facts.get(path)

    def to_nested(self) -> dict[str, Any]:
        """The case as the contract's nested mapping (unknown facts omitted)."""
        out: dict[str, Any] = {"id": self.id, "date": self.date.isoformat()}
        for path, value in self.facts.items():
            if "." in path:
                group, leaf = path.split(".", 1)
                out.setdefault(group, {})[leaf] = value
            else:
                out[path] = value
        return out


def merge_facts(base: dict[str, Any], over: dict[str, Any] | None) -> dict[str, Any]:
    """Nested case facts `base` with `over` laid on top (groups merged key by key)."""
    out = copy.deepcopy(base)
    for key, value in (over or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_facts(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# ---------------------------------------------------------------------------------------------
# validation of one value


def _short(value: Any) -> str:
    """A value as an error message shows it (a 5,000-digit number cut short)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_value(spec: FactSpec, value: Any) -> Any:
    """The value normalised for the fact `spec`, or ValueError saying what was expected."""
    if value is None:
        return None
    kind = spec.kind
    if kind == "text":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise ValueError(f"expected text, got {type(value).__name__}")
    if kind == "date":
        try:
            date = parse_date(value)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None
        if not FIRST_DATE <= date <= LAST_DATE:
            raise ValueError(f"expected a date {DATE_RANGE}, got {date}")
        return date
    if kind == "country":
        if isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper():
            return value
        raise ValueError(f"expected an ISO 3166-1 alpha-2 code (e.g. IT) or EU, got {value!r}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected true, false or null, got {value!r}")
    if kind == "enum":
        if isinstance(value, str) and value in spec.choices:
            return value
        raise ValueError(f"expected one of {', '.join(spec.choices)}, got {value!r}")
    if kind == "enumlist":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a list of {', '.join(spec.choices)}, got {value!r}")
        bad = [v for v in value if v not in spec.choices]
        if bad:
            raise ValueError(f"expected items among {', '.join(spec.choices)}, got {bad[0]!r}")
        return list(dict.fromkeys(value))
    if kind == "count":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
            return value
        raise ValueError(f"expected a whole number >= 0 (at most 2**53), got {_short(value)}")
    if kind == "amount":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond the float range
                number = math.inf
            if 0 <= number < math.inf:
                return number
        raise ValueError(f"expected a finite number >= 0, got {_short(value)}")
    raise AssertionError(f"unknown fact kind {kind}")


# ---------------------------------------------------------------------------------------------
# mappings (YAML / JSON / Python dicts) → Case


def case_from_mapping(data: Any, *, file: str | None = None,
                      lines: dict[str, int] | None = None, base_line: int | None = None) -> Case:
    """Validate one case mapping; every problem is listed in one SomlabInputError."""
    lines = lines or {}
    problems: list[SomlabInputError] = []

    def problem(msg: str, path: str) -> None:
        problems.append(SomlabInputError(msg, file=file, line=lines.get(path, base_line), field=path))

    if not isinstance(data, dict):
        raise SomlabInputError(f"expected a mapping of facts, got {type(data).__name__}",
                               file=file, line=base_line)
    flat: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key in GROUPS:
            if value is None:
                continue
            if not isinstance(value, dict):
                problem(f"expected a mapping of {key} facts ({', '.join(GROUPS[key])})", key)
                continue
            for leaf, leaf_value in value.items():
                path = f"{key}.{leaf}"
                if path not in SPEC:
                    problem(f"unknown fact; known {key} facts: {', '.join(GROUPS[key])}", path)
                else:
                    flat[path] = leaf_value
        elif key in SPEC:
            flat[key] = value
        else:
            problem("unknown field; known top-level fields: "
                    + ", ".join(["id", "date", "forum", "summary", "source", *GROUPS]), key)
    facts: dict[str, Any] = {}
    for path, value in flat.items():
        try:
            checked = check_value(SPEC[path], value)
        except ValueError as exc:
            problem(str(exc), path)
            continue
        if checked is not None:
            facts[path] = checked
    for req in ("id", "date"):
        if req not in flat or flat[req] is None:
            problem("required field is missing", req)
    raise_problems(problems, "case facts", file)
    case_id = facts.pop("id")
    date = facts.pop("date")
    return Case(id=case_id, date=date, facts=facts, file=file, line=base_line)


def _item_lines(node: yaml.Node | None) -> dict[str, int]:
    """Dotted fact path → line, for one case mapping node."""
    return {path: line for path, line in line_map(node).items() if "[" not in path}


def _parse_document(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML or JSON text; syntax errors name the line."""
    if file.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SomlabInputError(f"malformed JSON: {exc.msg} (column {exc.colno})",
                                   file=file, line=exc.lineno) from None
        except RecursionError:
            raise SomlabInputError("malformed JSON: nested too deeply", file=file) from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise SomlabInputError(f"malformed JSON: {exc}", file=file) from None
        check_data(data, file)
        try:  # JSON is YAML: its node tree gives the lines
            return data, parse(text, file, dates_as_text=True)[1]
        except SomlabInputError:
            return data, None
    return parse(text, file, dates_as_text=True)


def cases_from_text(text: str, file: str = "<input>") -> list[Case]:
    """All cases in a YAML or JSON document (one mapping or a list of mappings)."""
    data, node = _parse_document(text, file)
    if data is None:
        raise SomlabInputError("the file holds no case", file=file)
    items = data if isinstance(data, list) else [data]
    nodes: list[yaml.Node | None]
    if isinstance(node, yaml.SequenceNode):
        nodes = list(node.value)
    else:
        nodes = [node]
    if len(nodes) != len(items):
        nodes = [None] * len(items)
    cases: list[Case] = []
    problems: list[SomlabInputError] = []
    seen: dict[str, int | None] = {}
    for item, item_node in zip(items, nodes):
        lines = _item_lines(item_node)
        base = item_node.start_mark.line + 1 if item_node is not None else None
        raw_id = item.get("id") if isinstance(item, dict) else None
        if raw_id is not None and str(raw_id) in seen:
            problems.append(SomlabInputError(
                f"duplicate case id {raw_id!r} (first at line {seen[str(raw_id)]})",
                file=file, line=lines.get("id", base), field="id"))
            continue
        if raw_id is not None:
            seen[str(raw_id)] = lines.get("id", base)
        try:
            case = case_from_mapping(item, file=file, lines=lines, base_line=base)
        except SomlabInputError as exc:
            problems.extend(exc.problems or [exc])
            continue
        cases.append(case)
    raise_problems(problems, "case facts", file)
    return cases


def load_cases(path: str | Path) -> list[Case]:
    """Cases from a YAML or JSON file."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise SomlabInputError("no such file", file=name)
    if not path.is_file():
        raise SomlabInputError("not a file (give case files, not a folder)", file=name)
    size = path.stat().st_size
    if size > MAX_CASE_FILE_BYTES:
        raise SomlabInputError(
            f"file is {size / 1e6:.0f} MB, over the {MAX_CASE_FILE_BYTES / 1e6:.0f} MB limit for "
            "YAML/JSON case files; write large batches as Parquet or CSV", file=name)
    return cases_from_text(read_text(path), name)


def cases_from_objects(objs: Iterable[Any]) -> list[Case]:
    """Cases from Python mappings (or Case objects, passed through); ids must be unique."""
    out: list[Case] = []
    first: dict[str, int] = {}
    for i, obj in enumerate(objs):
        case = obj if isinstance(obj, Case) else case_from_mapping(obj, file=f"<case {i}>")
        if case.id in first:
            raise SomlabInputError(f"duplicate case id {case.id!r} (first in "
                                   f"<case {first[case.id]}>)", file=f"<case {i}>", field="id")
        first[case.id] = i
        out.append(case)
    return out
