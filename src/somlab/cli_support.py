"""Helpers shared by the command modules: one clear error line and a non-zero exit code."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import typer

from somlab.errors import LawConflictError, SomlabError, SomlabInputError
from somlab.periods import parse_date
from somlab.unicode_check import has_surrogate

EXIT_INPUT = 2
# Domain fields shown under the name of the option that sets them.
OPTIONS = {"as_of": "--as-of", "pdf": "--pdf", "format": "--format"}
STORE_HELP = (
    "Evidence DuckDB store (default: $SOMLAB_STORE, else evidence.duckdb in the user data "
    "directory)"
)


@contextlib.contextmanager
def user_errors(options: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn somlab's errors into one message on stderr and exit code 2 (no traceback); any other
    exception is a bug and keeps its traceback. Domain fields are shown under the names of the
    options that set them: OPTIONS, and the command's own `options`."""
    try:
        yield
    except SomlabInputError as exc:
        print(f"error: {exc.render({**OPTIONS, **(options or {})})}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
    except LawConflictError as exc:
        print(f"error: conflicting exceptions: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
    except SomlabError as exc:  # a store, a download or a backend that cannot be used
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as exc:  # a file that cannot be read or written: say which, and why
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None


def check_arguments(args: list[str]) -> None:
    """Exit 2 on a command-line argument that is not valid text (bytes that are not UTF-8 reach
    Python as lone surrogates, which no file name, query or store accepts)."""
    for position, arg in enumerate(args, 1):
        if has_surrogate(arg):
            shown = arg.encode("utf-8", "backslashreplace").decode()
            print(f"error: argument {position} ({shown}) is not valid UTF-8 text", file=sys.stderr)
            raise SystemExit(EXIT_INPUT)


def output_file(path: Path | None, option: str = "--out") -> Path | None:
    """An output path checked before any work is done: its folder exists, it is not a folder."""
    if path is None:
        return None
    if path.is_dir():
        raise SomlabInputError("is a folder; give a file name", file=str(path), field=option)
    folder = path.parent
    if not folder.is_dir():
        raise SomlabInputError(f"the folder {folder} does not exist", file=str(path), field=option)
    return path


def print_json(doc: object) -> None:
    """A JSON document, and nothing else, on standard output."""
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError:
        raise SomlabInputError(
            f"expected a date YYYY-MM-DD, got {value!r}", field="as_of"
        ) from None
