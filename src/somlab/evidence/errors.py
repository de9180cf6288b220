"""Input that cannot be ingested: somlab's one input error, built from a file path."""

from __future__ import annotations

from pathlib import Path

from somlab import errors


class SomlabInputError(errors.SomlabInputError):
    """A data file that cannot be read or mapped: names the file, and the row and field when
    known, with a hint on what to do."""

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
        self.hint = hint
        self.reason = message
        super().__init__(f"{message} ({hint})" if hint else message, file=self.path.name,
                         row=row, field=field)
