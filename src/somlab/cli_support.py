"""Helpers shared by the command modules: one clear error line and a non-zero exit code."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from typing import Iterator

import typer

from somlab.errors import LawConflictError, SomlabInputError

EXIT_INPUT = 2


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn input errors into a message on stderr and exit code 2 (no traceback)."""
    try:
        yield
    except SomlabInputError as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
    except LawConflictError as exc:
        print(f"error: conflicting exceptions: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None


def print_json(doc: object) -> None:
    """A JSON document, and nothing else, on standard output."""
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SomlabInputError(f"expected a date YYYY-MM-DD, got {value!r}", field="--as-of") from None


def split_codes(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]
