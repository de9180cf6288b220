"""Read a CSV or spreadsheet file into a header and rows, whatever its encoding and separator."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from somlab.evidence.errors import DataFileError

_SEPARATORS = (",", ";", "\t", "|")
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class RawTable:
    """Cells as read. Row numbers count the header as row 1, as a spreadsheet does."""

    path: Path
    header: list[str]
    rows: Sequence[Sequence[object]]
    encoding: str | None = None
    separator: str | None = None

    def row_number(self, index: int) -> int:
        return index + 2


def read_table(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise DataFileError(path, "the file is empty")
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES or data[:2] == b"PK":
        return _read_spreadsheet(path, data)
    return _read_csv(path, data)


def _read_spreadsheet(path: Path, data: bytes) -> RawTable:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in {".xlsx", ".xlsm", ".ods"} and not zipfile.is_zipfile(
        io.BytesIO(data)
    ):
        raise DataFileError(
            path,
            "not a readable spreadsheet: the zip container is truncated or corrupt",
            hint="download the file again",
        )
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several unrelated types for damaged files
        raise DataFileError(
            path,
            f"not a readable spreadsheet ({type(error).__name__}: {error})",
            hint="download the file again",
        ) from error
    if not cells:
        raise DataFileError(path, "the first sheet is empty")
    header = [str(cell).strip() for cell in cells[0]]
    return RawTable(path, header, [list(row) for row in cells[1:]])


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise DataFileError(path, "binary content (NUL bytes) where text was expected")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Older Eurostat and national exports are Windows-1252 (a superset of Latin-1).
        return data.decode("cp1252", errors="strict"), "cp1252"


def _sniff_separator(first_line: str) -> str:
    counts = {sep: len(next(csv.reader([first_line], delimiter=sep))) for sep in _SEPARATORS}
    return max(_SEPARATORS, key=lambda sep: counts[sep])


def _read_csv(path: Path, data: bytes) -> RawTable:
    try:
        text, encoding = _decode(path, data)
    except UnicodeDecodeError as error:
        raise DataFileError(path, f"text in no known encoding (byte {error.start})") from error
    first_line = text.split("\n", 1)[0]
    separator = _sniff_separator(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows = list(reader)
    except csv.Error as error:
        raise DataFileError(path, f"malformed CSV: {error}", row=reader.line_num) from error
    if text.count('"') % 2:  # quotes come in pairs ("" inside a field): the last one is not closed
        raise DataFileError(
            path,
            "the file ends inside a quoted field: it looks truncated",
            row=reader.line_num,
            hint="download the file again",
        )
    return RawTable(path, header, rows, encoding=encoding, separator=separator)
