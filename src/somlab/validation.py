"""Declarative schemas for the YAML formats, with errors that name file, line and field.

A format is described once, as pydantic models (or pydantic dataclasses): the keys a mapping
allows, their types and choices, and the rules that tie values together (in validators). `validate`
checks a document read by `somlab.yamlio` against its schema and turns every problem pydantic
collects into a SomlabInputError located at the line of the offending key. Inside a validator,
`problem` and `Problems` raise errors located below the value being validated (a rule about
`max_years` checked on the whole penalty names `penalty.max_years`).
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from somlab.errors import SomlabInputError, raise_problems
from somlab.yamlio import line_at

T = TypeVar("T")

_KIND = "somlab"  # the error type of the problems raised by somlab's own validators


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
        return TypeAdapter(schema).validate_python(data, context=context)
    except ValidationError as exc:
        problems = [_located(error, schema, file, lines or {}) for error in exc.errors()]
        raise_problems(problems, what, file)
        raise  # unreachable: raise_problems raises for a non-empty list


def _located(error: Any, schema: type, file: str, lines: Mapping[str, int]) -> SomlabInputError:
    loc = tuple(error["loc"])
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    where = (error.get("ctx") or {}).get("where", "") if error["type"] == _KIND else ""
    field = (path + where).lstrip(".")
    return SomlabInputError(
        _message(error, schema, loc), file=file, line=line_at(lines, field), field=field or None
    )


def _message(error: Any, schema: type, loc: tuple[str | int, ...]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    key = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == _KIND:
        return str(ctx["message"])
    if kind == "missing" or (value in (None, "") and kind in ("string_type", "string_too_short")):
        return f"'{key}' is required"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = ", ".join(sorted(_keys(schema, loc[:-1])))
        return f"unknown key '{key}'; allowed: {allowed}"
    if kind == "literal_error":
        choices = ", ".join(re.findall(r"'([^']*)'", ctx.get("expected", "")))
        return f"{key} must be one of {choices}, got {value!r}"
    if kind.startswith("date"):
        return f"expected a date YYYY-MM-DD, got {value!r}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"'{key}' has the wrong type ({type(value).__name__})"
    return str(error["msg"])


def _keys(schema: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed in the mapping at `loc` of a document of `schema`."""
    current = schema
    for part in loc:
        current = _unwrap(current)
        if get_origin(current) in (list, tuple, dict):
            current = get_args(current)[-1 if get_origin(current) is dict else 0]
        else:
            current = _fields(current)[str(part)].annotation
    return [f.alias or name for name, f in _fields(_unwrap(current)).items()]


def _unwrap(tp: Any) -> Any:
    """`tp` without Annotated and Optional: the member of a union that is a mapping or a list."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            tp = next(a for a in get_args(tp) if _fields(a) or get_origin(a) in (list, tuple, dict))
        else:
            return tp


def _fields(tp: Any) -> dict[str, FieldInfo]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return dict(tp.model_fields)
    return dict(getattr(tp, "__pydantic_fields__", {}))
