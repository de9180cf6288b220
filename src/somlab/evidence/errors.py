"""The one exception type for input that cannot be ingested, worded for people."""

from __future__ import annotations

from pathlib import Path


class SomlabInputError(Exception):
    """A file that cannot be read or mapped. Names the file, and the row and field when known."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.field = field
        self.hint = hint
        self.reason = message
        where = self.path.name
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        text = f"{where}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)
