"""Errors meant for people: each names the file, the line or row, the field, and what was expected."""

from __future__ import annotations


class SomlabInputError(ValueError):
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

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def render(self) -> str:
        where = self.location()
        head = f"{where}: {self.message}" if where else self.message
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p.render()}" for p in self.problems)


def raise_problems(problems: list[SomlabInputError], what: str, file: str | None = None) -> None:
    """Raise the problems found in one input as one error (the problem itself when alone)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise SomlabInputError(f"{len(problems)} problems in {what}", file=file, problems=problems)


class LawConflictError(RuntimeError):
    """Two applicable exceptions with opposite effects and no priority between them."""
