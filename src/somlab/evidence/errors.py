"""A data file that cannot be ingested: somlab's input error, built from the file's path."""

from __future__ import annotations

from pathlib import Path

from somlab import errors


class DataFileError(errors.SomlabInputError):
    """A data file that cannot be read or mapped: names the file, and the row and field when
    known. Keeps the full path and the bare reason (without the hint on what to do) for the
    ingest report of a skipped file."""

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
        super().__init__(
            f"{message} ({hint})" if hint else message, file=self.path.name, row=row, field=field
        )
