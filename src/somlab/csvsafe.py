"""CSV cells that a spreadsheet will not run as formulas.

A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a tab
or carriage return) as a formula: a case id such as `=HYPERLINK(...)` in an input file would run
when the output is opened. Every CSV somlab writes puts a single quote before such a *text* cell
(`'=HYPERLINK(...)`), which spreadsheets show as text; numbers stay numbers (-3 is written -3).
"""

from __future__ import annotations

import csv
from typing import Any, Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = r"^[=+\-@\t\r]"


def cell(value: Any) -> Any:
    """A text value that a spreadsheet would read as a formula, quoted; anything else as is."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


class Writer:
    """csv.writer whose text cells are neutralised (see `cell`)."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def arrow_table(table: Any) -> Any:
    """An Arrow table with its text columns neutralised, column by column (no Python per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            text = column.cast(kind)
            risky = pc.fill_null(pc.match_substring_regex(text, _PATTERN), False)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def frame(data: Any) -> Any:
    """A pandas DataFrame with its text cells neutralised (numeric columns untouched)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = data.copy()
    for name in out.columns:
        if is_object_dtype(out[name].dtype) or is_string_dtype(out[name].dtype):
            out[name] = out[name].map(cell)
    return out
