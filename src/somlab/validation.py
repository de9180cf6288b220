"""Declarative schemas for the YAML formats, with errors that name file, line and field.

A format is described once, as pydantic models (or pydantic dataclasses): the keys a mapping
allows, their types and choices, and the rules that tie values together (in validators). `validate`
checks a document read by `somlab.yamlio` against its schema and turns every problem pydantic
collects into a SomlabInputError located at the line of the offending key. Inside a validator,
`problem` and `Problems` raise errors located below the value being validated (a rule about
`max_years` checked on the whole penalty names `penalty.max_years`).
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from somlab.errors import SomlabInputError, raise_problems
from somlab.periods import parse_date
from somlab.yamlio import line_at

T = TypeVar("T")

_KIND = "somlab"  # the error type of the problems raised by somlab's own validators


# the value types the formats share
Text = Annotated[str, StringConstraints(strict=True, min_length=1)]
Flag = Annotated[bool, Strict()]  # true or false, not 'yes' or 1


def _date_as_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _iso_date(value: str) -> str:
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise problem(f"expected a date YYYY-MM-DD, got {value!r}") from None


DateText = Annotated[Text, BeforeValidator(_date_as_text)]  # a date as YAML reads it, as text
IsoDate = Annotated[DateText, AfterValidator(_iso_date)]  # the same, checked to be a date


class Schema(BaseModel):
    """A mapping of a YAML format: keys other than its fields are refused."""

    model_config = ConfigDict(extra="forbid")


def problem(message: str, where: str = "") -> PydanticCustomError:
    """An error to raise in a validator; `where` continues the location below the value
    validated ('.max_years', '.all[0]', '' for the value itself)."""
    return PydanticCustomError(_KIND, "{message}", {"message": message, "where": where})


class Problems:
    """Several problems found by one validator, raised together."""

    def __init__(self) -> None:
        self.found: list[PydanticCustomError] = []

    def add(self, message: str, where: str = "") -> None:
        self.found.append(problem(message, where))

    def raise_any(self, title: str) -> None:
        if self.found:
            details = [InitErrorDetails(type=p, loc=(), input=None) for p in self.found]
            raise ValidationError.from_exception_data(title, details)


def validate(
    schema: type[T],
    data: Any,
    file: str,
    lines: Mapping[str, int] | None = None,
    *,
    context: dict[str, Any] | None = None,
    what: str = "this file",
) -> T:
    """`data` checked against `schema`; every problem is raised at once in one SomlabInputError
    (the problem itself when alone), each with its file, line and field."""
    try:
        return _adapter(schema).validate_python(data, context=context)
    except ValidationError as exc:
        located = (_located(error, schema, file, lines or {}) for error in exc.errors())
        # a value that no member of a union takes fails once per member, with the same message
        problems = list({p.render(): p for p in located}.values())
        raise_problems(problems, what, file)
        raise  # unreachable: raise_problems raises for a non-empty list


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}  # one per schema: building one takes time


def _adapter(schema: type) -> TypeAdapter[Any]:
    if schema not in _ADAPTERS:
        _ADAPTERS[schema] = TypeAdapter(schema)
    return _ADAPTERS[schema]


def _located(error: Any, schema: type, file: str, lines: Mapping[str, int]) -> SomlabInputError:
    path, holder = _walk(schema, tuple(error["loc"]))
    if get_origin(holder) in (Union, types.UnionType) and error["type"].endswith("_type"):
        members = [_strip(a) for a in get_args(holder) if a is not type(None)]
        names = [_EXPECTED.get(a.__name__, a.__name__) for a in members]
        error = {
            **error,
            "type": _KIND,
            "ctx": {"message": f"expected {' or '.join(names)}, found {error.get('input')!r}"},
        }
    ctx = error.get("ctx") or {}
    where = ctx.get("where", "") if error["type"] == _KIND else ""
    if error["type"].startswith("union_tag"):  # the tag that chooses the member: at its key
        where = "." + str(ctx["discriminator"]).strip("'")
    field = (path + where).lstrip(".")
    key = next((p for p in reversed(re.split(r"[.\[\]]", field)) if p and not p.isdigit()), "value")
    return SomlabInputError(
        _message(error, key, holder), file=file, line=line_at(lines, field), field=field or None
    )


_EXPECTED = {
    "string": "text",
    "str": "text",
    "bool": "true or false",
    "list": "a list",
    "tuple": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "dataclass": "a mapping",
}


def _message(error: Any, key: str, holder: Any) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    name = str(ctx.get("discriminator", key)).strip("'")  # a union's tag is named in quotes
    if kind == _KIND:
        return str(ctx["message"])
    if kind in ("missing", "union_tag_not_found") or (
        value in (None, "") and kind in ("string_type", "string_too_short")
    ):
        return f"'{name}' is required"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = ", ".join(sorted(f.alias or name for name, f in _fields(holder).items()))
        return f"unknown key '{key}'; allowed: {allowed}"
    if kind in ("literal_error", "union_tag_invalid"):
        expected = ctx.get("expected", ctx.get("expected_tags", ""))
        choices = ", ".join(re.findall(r"'([^']*)'", expected))
        return f"{name} must be one of {choices}, got {ctx.get('tag', value)!r}"
    if kind.startswith("date"):
        return f"expected a date YYYY-MM-DD, got {value!r}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = kind.rsplit("_", 1)[0]
        return f"expected {_EXPECTED.get(expected, expected)}, found {value!r}"
    return str(error["msg"])


def _walk(schema: Any, loc: tuple[str | int, ...]) -> tuple[str, Any]:
    """An error's location as a path in the document ('a.b[0].c'), without the steps pydantic
    adds (the tag of a union's member, '[key]' for a mapping's key), and the schema of the
    mapping that holds its last step."""
    path, current, holder = "", schema, None
    for part in loc:
        if part == "[key]":
            continue
        current = _strip(current)
        if get_origin(current) in (Union, types.UnionType):
            member = _tagged(current, part)
            if member is not None:  # the tag of the member validated: not a key of the document
                current = member
                continue
            holding = [a for a in get_args(current) if _inner(a) is not None]
            if not holding:  # a union of values: the rest of the location names its members
                return path.lstrip("."), current
            current = _strip(holding[0])
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
        holder, current = current, _inner(current, part)
    return path.lstrip("."), holder


def _strip(tp: Any) -> Any:
    """`tp` without Annotated and without None as a member of a union."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        return _strip(members[0]) if len(members) == 1 else tp
    return tp


def _inner(tp: Any, part: str | int | None = None) -> Any:
    """The schema of `tp`'s item or field `part` (None when `tp` holds no items or fields)."""
    tp = _strip(tp)
    if get_origin(tp) in (list, tuple, dict):
        return get_args(tp)[-1 if get_origin(tp) is dict else 0]
    fields = _fields(tp)
    if not fields:
        return None
    found = fields.get(str(part)) or next((f for f in fields.values() if f.alias == part), None)
    return found.annotation if found else Any


def _tagged(union: Any, tag: str | int) -> Any:
    """The member of a union of schemas whose Literal field takes the value `tag`, if any."""
    for member in get_args(union):
        for f in _fields(_strip(member)).values():
            if get_origin(f.annotation) is Literal and tag in get_args(f.annotation):
                return _strip(member)
    return None


def _fields(tp: Any) -> dict[str, FieldInfo]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return dict(tp.model_fields)
    return dict(getattr(tp, "__pydantic_fields__", {}))
