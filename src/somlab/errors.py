"""Errors meant for people: each names the file, the line or row, the field, and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


class SomlabError(Exception):
    """Every error somlab raises on purpose; anything else is a bug."""


class SomlabInputError(SomlabError, ValueError):
    """Bad input. Carries where it is (file, line or row, field) and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        problems: list[SomlabInputError] | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.problems = problems or []
        super().__init__(self.render())

    def location(self, rename: Mapping[str, str] | None = None) -> str:
        """Where the error is; `rename` shows a field under another name (a command-line option)."""
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{(rename or {}).get(self.field, self.field)}'")
        return ", ".join(parts)

    def render(self, rename: Mapping[str, str] | None = None) -> str:
        where = self.location(rename)
        head = f"{where}: {self.message}" if where else self.message
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p.render(rename)}" for p in self.problems)


def raise_problems(problems: list[SomlabInputError], what: str, file: str | None = None) -> None:
    """Raise the problems found in one input as one error (the problem itself when alone)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise SomlabInputError(f"{len(problems)} problems in {what}", file=file, problems=problems)


class SomlabNotFoundError(SomlabInputError):
    """A name that names nothing (an indicator, a source, a scenario, a jurisdiction...): the
    message lists the known names and the closest one."""

    def __init__(
        self,
        kind: str,
        name: str,
        known: Iterable[str],
        *,
        field: str | None = None,
        file: str | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.known = list(known)
        self.closest = closest(name, self.known)
        hint = f"did you mean {self.closest!r}? " if self.closest else ""
        super().__init__(
            f"unknown {kind} {name!r}; {hint}known: {', '.join(self.known) or 'none'}",
            file=file,
            field=field,
        )


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to `name` (case-insensitively), if any is near enough."""
    names = {k.lower(): k for k in known}
    found = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.6)
    return names[found[0]] if found else None


class LawConflictError(SomlabError, RuntimeError):
    """Two applicable exceptions with opposite effects and no priority between them."""
