"""Case facts (contract `somlab.case/1`): one case read and validated from YAML, JSON or Python.

The contract itself (every fact, its kind and allowed values) is declared in
`somlab.case_contract`; its names are re-exported here. A case is held flat: a mapping from
dotted fact path to value, where a missing path or `None` means *unknown*. Validation errors
name the file, the line (YAML/JSON), the field and what was expected; all problems in a file
are reported together in one error.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from somlab.case_contract import (
    FACTS,
    GROUPS,
    LEGAL_FACTS,
    MOVEMENTS,
    REQUIRED,
    SPEC,
    TOP_LEVEL,
    FactSpec,
)
from somlab.errors import SomlabInputError, raise_problems
from somlab.unicode_check import check_data
from somlab.yamlio import line_map, parse, read_text

__all__ = [
    "FACTS",
    "GROUPS",
    "LEGAL_FACTS",
    "MOVEMENTS",
    "SPEC",
    "Case",
    "FactSpec",
    "case_from_mapping",
    "cases_from_objects",
    "cases_from_text",
    "input_file",
    "load_cases",
    "merge_facts",
]

MAX_CASE_FILE_BYTES = 50 * 1024 * 1024  # YAML/JSON case files; larger batches belong in Parquet


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
# mappings (YAML / JSON / Python dicts) → Case


def case_from_mapping(
    data: Any,
    *,
    file: str | None = None,
    lines: dict[str, int] | None = None,
    base_line: int | None = None,
) -> Case:
    """Validate one case mapping; every problem is listed in one SomlabInputError."""
    lines = lines or {}
    problems: list[SomlabInputError] = []

    def problem(msg: str, path: str) -> None:
        problems.append(
            SomlabInputError(msg, file=file, line=lines.get(path, base_line), field=path)
        )

    if not isinstance(data, dict):
        raise SomlabInputError(
            f"expected a mapping of facts, got {type(data).__name__}", file=file, line=base_line
        )
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
            problem(
                "unknown field; known top-level fields: " + ", ".join([*TOP_LEVEL, *GROUPS]), key
            )
    facts: dict[str, Any] = {}
    for path, value in flat.items():
        try:
            checked = SPEC[path].check(value)
        except ValueError as exc:
            problem(str(exc), path)
            continue
        if checked is not None:
            facts[path] = checked
    for req in REQUIRED:
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
            raise SomlabInputError(
                f"malformed JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno
            ) from None
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
            problems.append(
                SomlabInputError(
                    f"duplicate case id {raw_id!r} (first at line {seen[str(raw_id)]})",
                    file=file,
                    line=lines.get("id", base),
                    field="id",
                )
            )
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


def input_file(path: str | Path, what: str) -> Path:
    """The path of an input file of cases, refused with one clear error when it is absent or a
    folder (`what` names the files expected, e.g. "case files")."""
    path = Path(path)
    if not path.exists():
        raise SomlabInputError("no such file", file=str(path))
    if not path.is_file():
        raise SomlabInputError(f"not a file (give {what}, not a folder)", file=str(path))
    return path


def load_cases(path: str | Path) -> list[Case]:
    """Cases from a YAML or JSON file."""
    path = input_file(path, "case files")
    name = str(path)
    size = path.stat().st_size
    if size > MAX_CASE_FILE_BYTES:
        raise SomlabInputError(
            f"file is {size / 1e6:.0f} MB, over the {MAX_CASE_FILE_BYTES / 1e6:.0f} MB limit for "
            "YAML/JSON case files; write large batches as Parquet or CSV",
            file=name,
        )
    return cases_from_text(read_text(path), name)


def cases_from_objects(objs: Iterable[Any]) -> list[Case]:
    """Cases from Python mappings (or Case objects, passed through); ids must be unique."""
    out: list[Case] = []
    first: dict[str, int] = {}
    for i, obj in enumerate(objs):
        case = obj if isinstance(obj, Case) else case_from_mapping(obj, file=f"<case {i}>")
        if case.id in first:
            raise SomlabInputError(
                f"duplicate case id {case.id!r} (first in <case {first[case.id]}>)",
                file=f"<case {i}>",
                field="id",
            )
        first[case.id] = i
        out.append(case)
    return out
