"""Case facts in columnar form (CSV / Parquet / Arrow / pandas) for the vectorized engine.

Each fact becomes numpy arrays that keep *unknown* apart from *false*:
booleans as two masks (`true`, `false`; neither = unknown), categories as integer codes (-1 =
unknown), lists as a `known` mask plus one boolean array per member, numbers as float64 with NaN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from somlab.case_contract import (
    DATE_RANGE,
    FIRST_DATE,
    LAST_DATE,
    LEGAL_FACTS,
    MAX_COUNT,
    REQUIRED,
    SPEC,
    Kind,
)
from somlab.errors import SomlabInputError
from somlab.facts import Case, input_file
from somlab.periods import parse_date

# the kinds a batch holds as text
_TEXT_KINDS = (Kind.ENUM, Kind.COUNTRY, Kind.ENUMLIST, Kind.TEXT)
_TRUE = {"true", "1", "yes", "t"}
_FALSE = {"false", "0", "no", "f"}


@dataclass
class BoolColumn:
    true: np.ndarray
    false: np.ndarray


@dataclass
class CodeColumn:
    codes: np.ndarray  # int32, -1 = unknown
    vocab: list[str]

    def code_of(self, value: str) -> int:
        try:
            return self.vocab.index(value)
        except ValueError:
            return -2  # matches no row


@dataclass
class ListColumn:
    known: np.ndarray
    members: dict[str, np.ndarray]


@dataclass
class CaseTable:
    """A batch of cases: ids, dates and one column per fact path present."""

    ids: pa.Array  # strings, kept in Arrow (no Python objects per row)
    dates: np.ndarray  # datetime64[D]
    columns: dict[str, Any] = field(default_factory=dict)
    source: str = "<table>"
    # results of fact tests already computed on this table, shared by every law evaluated on it
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: np.ndarray) -> CaseTable:
        """The rows at `index` (an integer array)."""
        cols: dict[str, Any] = {}
        for path, col in self.columns.items():
            if isinstance(col, BoolColumn):
                cols[path] = BoolColumn(col.true[index], col.false[index])
            elif isinstance(col, CodeColumn):
                cols[path] = CodeColumn(col.codes[index], col.vocab)
            elif isinstance(col, ListColumn):
                cols[path] = ListColumn(
                    col.known[index], {k: v[index] for k, v in col.members.items()}
                )
            else:
                cols[path] = col[index]
        return CaseTable(self.ids.take(pa.array(index)), self.dates[index], cols, self.source)


def _bad(source: str, row: int, path: str, message: str, csv: bool) -> SomlabInputError:
    # rows are 1-based data rows; in a CSV the header is line 1, so data row r is line r + 1
    if csv:
        return SomlabInputError(message, file=source, line=row + 1, row=row, field=path)
    return SomlabInputError(message, file=source, row=row, field=path)


def _first_row(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _bool_column(arr: pa.ChunkedArray, path: str, source: str, csv: bool) -> BoolColumn:
    if pa.types.is_boolean(arr.type):
        valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
        value = pc.fill_null(arr, False).to_numpy(zero_copy_only=False)
        return BoolColumn(valid & value, valid & ~value)
    if pa.types.is_integer(arr.type):
        valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
        ints = pc.fill_null(arr, 0).to_numpy(zero_copy_only=False)
        bad = valid & (ints != 0) & (ints != 1)
        if bad.any():
            raise _bad(source, _first_row(bad), path, "expected true, false or empty", csv)
        return BoolColumn(valid & (ints == 1), valid & (ints == 0))
    if (
        pa.types.is_string(arr.type)
        or pa.types.is_large_string(arr.type)
        or pa.types.is_null(arr.type)
    ):
        enc = pc.dictionary_encode(pc.utf8_lower(pc.utf8_trim_whitespace(arr.cast(pa.string()))))
        enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
        vocab = [v.as_py() for v in enc.dictionary]
        lut = np.full(len(vocab) + 1, -1, dtype=np.int8)  # last slot: null
        for i, v in enumerate(vocab):
            if v in _TRUE:
                lut[i] = 1
            elif v in _FALSE:
                lut[i] = 0
            elif v in ("", "null", "none", "nan"):
                lut[i] = -1
            else:
                lut[i] = 2
        codes = pc.fill_null(enc.indices, len(vocab)).to_numpy(zero_copy_only=False)
        vals = lut[codes]
        if (vals == 2).any():
            raise _bad(
                source,
                _first_row(vals == 2),
                path,
                f"expected true, false or empty, got {vocab[codes[vals == 2][0]]!r}",
                csv,
            )
        return BoolColumn(vals == 1, vals == 0)
    raise SomlabInputError(
        f"expected a boolean column, got type {arr.type}", file=source, field=path
    )


def _string_codes(arr: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1 = unknown) and the vocabulary of a text column; values are trimmed and
    an empty cell is unknown."""
    if pa.types.is_dictionary(arr.type):  # already encoded (Parquet): only the dictionary is read
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.unify_dictionaries().combine_chunks()
        enc = arr
    else:
        enc = pc.dictionary_encode(arr.cast(pa.string()))
        enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    raw = [("" if v is None else str(v)).strip() for v in enc.dictionary.to_pylist()]
    vocab = [v for v in dict.fromkeys(raw) if v != ""]
    position = {v: i for i, v in enumerate(vocab)}
    remap = np.array([position.get(v, -1) for v in raw] + [-1], dtype=np.int32)  # last: null
    idx = pc.fill_null(enc.indices.cast(pa.int32()), len(raw)).to_numpy(zero_copy_only=False)
    return remap[idx], vocab


def _checked_vocab(
    arr: pa.ChunkedArray, path: str, source: str, csv: bool
) -> tuple[np.ndarray, list[str], list[Any]]:
    """Codes and vocabulary of a text column, and each distinct value checked by the contract's
    rule for the fact (the first bad one names the first row holding it)."""
    codes, vocab = _string_codes(arr)
    checked = []
    for i, value in enumerate(vocab):
        try:
            checked.append(SPEC[path].check(value))
        except ValueError as exc:
            raise _bad(source, _first_row(codes == i), path, str(exc), csv) from None
    return codes, vocab, checked


def _code_column(arr: pa.ChunkedArray, path: str, source: str, csv: bool) -> CodeColumn:
    codes, vocab, _ = _checked_vocab(arr, path, source, csv)
    return CodeColumn(codes, vocab)


def _list_column(arr: pa.ChunkedArray, path: str, source: str, csv: bool) -> ListColumn:
    """A list fact: a `known` mask (an empty cell is unknown; an empty list is written "[]" or
    "none") and one mask per allowed value."""
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
        arr = pc.binary_join(arr, ";")
    codes, vocab, items = _checked_vocab(arr, path, source, csv)
    idx = np.where(codes >= 0, codes, len(vocab))  # last slot: unknown
    members = {}
    for member in SPEC[path].choices:
        lut = np.array([member in listed for listed in items] + [False])
        members[member] = lut[idx]
    return ListColumn(codes >= 0, members)


def _number_column(arr: pa.ChunkedArray, path: str, source: str, csv: bool) -> np.ndarray:
    spec = SPEC[path]
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        try:
            arr = pc.cast(
                pc.if_else(pc.equal(pc.utf8_trim_whitespace(arr), ""), None, arr), pa.float64()
            )
        except pa.ArrowInvalid:
            raise SomlabInputError("expected numbers", file=source, field=path) from None
    if not (
        pa.types.is_integer(arr.type)
        or pa.types.is_floating(arr.type)
        or pa.types.is_null(arr.type)
    ):
        raise SomlabInputError(
            f"expected a numeric column, got type {arr.type}", file=source, field=path
        )
    values = pc.fill_null(arr.cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False)
    bad = (values < 0) | np.isinf(values)  # the rules of counts and amounts, on whole columns
    if spec.kind == Kind.COUNT:
        bad |= ~np.isnan(values) & ((values != np.floor(values)) | (values > MAX_COUNT))
    if bad.any():
        r = _first_row(bad)
        raise _bad(source, r, path, f"expected {spec.expected}, got {values[r - 1]!r}", csv)
    return values


# the Arrow types each kind of fact may come in; a CSV is read as text and numbers, so its cells
# are checked by value (see the column readers), other batches by type as well
def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)


def _is_number(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t)


_ACCEPTS = {
    Kind.TEXT: (lambda t: _is_text(t) or pa.types.is_integer(t) or pa.types.is_floating(t), "text"),
    Kind.DATE: (
        lambda t: _is_text(t) or pa.types.is_date(t) or pa.types.is_timestamp(t),
        "dates (date, timestamp or text YYYY-MM-DD)",
    ),
    Kind.COUNTRY: (_is_text, "text (ISO 3166-1 alpha-2 codes)"),
    Kind.BOOL: (lambda t: pa.types.is_boolean(t) or pa.types.is_null(t), "booleans"),
    Kind.ENUM: (_is_text, "text"),
    Kind.ENUMLIST: (
        lambda t: (
            _is_text(t)
            or ((pa.types.is_list(t) or pa.types.is_large_list(t)) and _is_text(t.value_type))
        ),
        "lists of text, or text with items separated by ';'",
    ),
    Kind.COUNT: (_is_number, "numbers"),
    Kind.AMOUNT: (_is_number, "numbers"),
}


def _check_type(name: str, kind: pa.DataType, source: str, csv: bool) -> None:
    """Refuse a column whose type cannot hold the fact: a nested type anywhere but a list of
    text for a list fact; in a typed batch (Parquet, Arrow, DataFrame) any other wrong type."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    spec = SPEC[name]
    accepts, expected = _ACCEPTS[spec.kind]
    nested = pa.types.is_nested(kind) and not (spec.kind == Kind.ENUMLIST and accepts(kind))
    if nested or (not csv and not accepts(kind)):
        raise SomlabInputError(
            f"expected a column of {expected}, got type {kind}"
            + (" (a nested type)" if nested else ""),
            file=source,
            field=name,
        )


def _check_utf8(column: pa.ChunkedArray, name: str, source: str, csv: bool) -> None:
    """Text that is valid UTF-8 (a typed batch can hold any bytes in a text column)."""
    offset = 0
    for chunk in column.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid as exc:
            found = re.search(r"string index (\d+)", str(exc))
            if found is None:
                raise SomlabInputError(
                    f"not valid UTF-8 text ({exc})", file=source, field=name
                ) from None
            raise _bad(
                source, offset + int(found.group(1)) + 1, name, "not valid UTF-8 text", csv
            ) from None
        offset += len(chunk)


def _refuse_duplicate_ids(ids: pa.Array, source: str, csv: bool) -> None:
    encoded = pc.dictionary_encode(ids)  # one hash pass; rows are looked for only on a repeat
    if len(encoded.dictionary) == len(ids):
        return
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    repeat = np.flatnonzero(codes[order][1:] == codes[order][:-1])
    if len(repeat):
        second = order[repeat + 1]  # rows that repeat an id seen on an earlier row
        row = int(second.min())
        first = int(np.flatnonzero(codes == codes[row])[0])
        where = f"line {first + 2}" if csv else f"row {first + 1}"
        raise _bad(
            source, row + 1, "id", f"duplicate case id {ids[row].as_py()!r} (first at {where})", csv
        )


def _refuse_nulls(column: pa.ChunkedArray, source: str, path: str, message: str, csv: bool) -> None:
    """A required column with an empty cell: the error names its first such row."""
    if column.null_count:
        row = _first_row(pc.is_null(column).to_numpy(zero_copy_only=False))
        raise _bad(source, row, path, message, csv)


def _refuse_unknown_columns(names: list[str], source: str) -> None:
    unknown = [n for n in names if n not in SPEC]
    if unknown:
        raise SomlabInputError(
            "unknown column; expected dotted fact paths such as "
            "benefit.obtained (see case-facts.md)",
            file=source,
            field=unknown[0],
        )


def table_from_arrow(table: pa.Table, source: str = "<table>", csv: bool = False) -> CaseTable:
    """Validate an Arrow table (one column per dotted fact path) into a CaseTable."""
    names = table.column_names
    _refuse_unknown_columns(names, source)
    for req in REQUIRED:
        if req not in names:
            raise SomlabInputError("required column is missing", file=source, field=req)
    for name, kind in zip(names, table.schema.types):
        _check_type(name, kind, source, csv)
        _check_utf8(table.column(name), name, source, csv)
    ids_arr = table.column("id").cast(pa.string())
    _refuse_nulls(ids_arr, source, "id", "required value is missing", csv)
    ids = ids_arr.combine_chunks()
    _refuse_duplicate_ids(ids, source, csv)
    date_col = table.column("date")
    try:
        if not pa.types.is_date(date_col.type):
            date_col = pc.cast(pc.utf8_trim_whitespace(date_col.cast(pa.string())), pa.date32())
        else:
            date_col = date_col.cast(pa.date32())
    except pa.ArrowInvalid:
        strs = table.column("date").cast(pa.string()).to_pylist()
        for i, s in enumerate(strs):  # the first cell that is not a date YYYY-MM-DD
            try:
                parse_date(s or "")
            except ValueError:
                raise _bad(
                    source, i + 1, "date", f"expected {SPEC['date'].expected}, got {s!r}", csv
                ) from None
        raise SomlabInputError("unparseable dates", file=source, field="date") from None
    _refuse_nulls(date_col, source, "date", "required date is missing", csv)
    dates = date_col.to_numpy(zero_copy_only=False).astype("datetime64[D]")
    outside = (dates < np.datetime64(FIRST_DATE)) | (dates > np.datetime64(LAST_DATE))
    if outside.any():
        r = _first_row(outside)
        raise _bad(source, r, "date", f"expected a date {DATE_RANGE}, got {dates[r - 1]}", csv)
    columns: dict[str, Any] = {}
    for path in names:
        if path == "forum":  # informative: checked, not kept
            _code_column(table.column(path), path, source, csv)
        if path not in LEGAL_FACTS:
            continue
        columns[path] = _COLUMN_READERS[SPEC[path].kind](table.column(path), path, source, csv)
    return CaseTable(ids=ids, dates=dates, columns=columns, source=source)


# how each kind of fact is held as columns (the laws read only the dotted facts, never a date)
_COLUMN_READERS: dict[Kind, Callable[[pa.ChunkedArray, str, str, bool], Any]] = {
    Kind.BOOL: _bool_column,
    Kind.ENUM: _code_column,
    Kind.COUNTRY: _code_column,
    Kind.TEXT: _code_column,
    Kind.ENUMLIST: _list_column,
    Kind.COUNT: _number_column,
    Kind.AMOUNT: _number_column,
}


def read_table(path: str | Path, facts: set[str] | None = None) -> CaseTable:
    """A CSV or Parquet batch of cases; with `facts`, only those fact columns are read."""
    path = input_file(path, "a CSV or Parquet batch")
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            names = schema.names
            # checked before choosing columns, so no column goes unvalidated
            _refuse_unknown_columns(names, name)
            for column, kind in zip(names, schema.types):
                _check_type(column, kind, name, csv=False)
            # the facts the laws read, and every other column whose values need a check; one
            # that no law reads and whose type settles it (free text, booleans) is not read
            columns = (
                None
                if facts is None
                else [
                    n
                    for n in names
                    if n in REQUIRED or n in facts or SPEC[n].kind not in (Kind.TEXT, Kind.BOOL)
                ]
            )
            texts = [n for n in (columns or names) if n in SPEC and SPEC[n].kind in _TEXT_KINDS]
            return table_from_arrow(
                pq.read_table(path, columns=columns, read_dictionary=texts), name
            )
        if suffix == ".csv":
            import pyarrow.csv as pcsv

            header = path.open("r", encoding="utf-8", errors="replace").readline()
            if "," not in header and (";" in header or "\t" in header):
                raise SomlabInputError(
                    "expected comma-separated columns (found ';' or tabs in the header)",
                    file=name,
                    line=1,
                )
            convert = pcsv.ConvertOptions(
                column_types={
                    p: pa.string() for p in SPEC if SPEC[p].kind in (*_TEXT_KINDS, Kind.DATE)
                },
                strings_can_be_null=False,
            )
            _refuse_open_quote(path)
            table = pcsv.read_csv(path, convert_options=convert)
            return table_from_arrow(table, name, csv=True)
    except SomlabInputError:
        raise
    except (pa.ArrowException, OSError) as exc:
        raise SomlabInputError(f"cannot read the {suffix[1:]} file: {exc}", file=name) from None
    raise SomlabInputError("expected a .csv or .parquet batch", file=name)


def _refuse_open_quote(path: Path) -> None:
    """A CSV cut short inside a quoted field would be read up to its end as one cell: quotes
    come in pairs (a quote inside a field is doubled), so an odd count means a truncated file."""
    quotes = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            quotes += block.count(b'"')
    if quotes % 2:
        raise SomlabInputError(
            "the file ends inside a quoted field: it looks truncated (a quote is not closed)",
            file=str(path),
        )


def table_from_cases(cases: list[Case]) -> CaseTable:
    """A CaseTable from validated scalar cases (used to check both evaluators agree)."""
    data: dict[str, list[Any]] = {"id": [c.id for c in cases], "date": [c.date for c in cases]}
    for path in LEGAL_FACTS:
        col = [c.facts.get(path) for c in cases]
        if any(v is not None for v in col):
            if SPEC[path].kind == Kind.ENUMLIST:
                col = [None if v is None else (";".join(v) if v else "[]") for v in col]
            data[path] = col
    types = {
        p: (
            pa.string()
            if p == "id"
            else pa.date32()
            if p == "date"
            else pa.bool_()
            if SPEC[p].kind == Kind.BOOL
            else pa.float64()
            if SPEC[p].kind in (Kind.COUNT, Kind.AMOUNT)
            else pa.string()
        )
        for p in data
    }
    table = pa.table({p: pa.array(v, type=types[p]) for p, v in data.items()})
    return table_from_arrow(table, "<cases>")


def table_from_frame(frame: Any, source: str = "<dataframe>") -> CaseTable:
    """A CaseTable from a pandas DataFrame or an Arrow table."""
    if isinstance(frame, pa.Table):
        return table_from_arrow(frame, source)
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, ValueError) as exc:  # e.g. a column mixing numbers and text
        reason = "; ".join(str(arg) for arg in exc.args)
        raise SomlabInputError(f"cannot read the DataFrame: {reason}", file=source) from None
    return table_from_arrow(table, source)
