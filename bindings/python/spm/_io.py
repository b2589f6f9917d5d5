"""Tables, CSV and Arrow for the spm package: thin wrappers over the C++ reader and writer."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

from . import _spm

Table = _spm.Table

Columns = Union[None, Sequence[str], Mapping[str, str]]


@dataclass(frozen=True)
class CsvResult:
    """What a CSV read gives: the good rows, and every bad row's (line, column, value, reason)."""

    table: Any
    rejects: Any
    records: int
    rejected_rows: int


def _column_specs(columns: Columns) -> list[str]:
    if columns is None:
        return []
    if isinstance(columns, Mapping):
        return [f"{name}:{kind}" for name, kind in columns.items()]
    if isinstance(columns, str):
        raise TypeError("columns must be a list of 'name:type' strings or a {name: type} dict")
    return list(columns)


def read_csv(path: str | os.PathLike[str], columns: Columns = None, *, delimiter: str = ",",
             header: bool = True, lenient_decimals: bool = False) -> CsvResult:
    """Read a CSV file into a typed spm.Table.

    columns: ["amount:decimal", "close_date:date?", ...] or {"amount": "decimal", ...}; a
    trailing "?" makes a column nullable. Types: string, decimal, integer, date, boolean,
    float64. None reads every column as nullable text. Bad rows go to `rejects`; the rest load.
    """
    t, r, n, bad = _spm._read_csv(os.fspath(path), _column_specs(columns), delimiter, header,
                                  lenient_decimals)
    return CsvResult(t, r, n, bad)


def parse_csv(text: str, columns: Columns = None, *, delimiter: str = ",", header: bool = True,
              lenient_decimals: bool = False) -> CsvResult:
    """Like read_csv, from text in memory."""
    t, r, n, bad = _spm._parse_csv(text, _column_specs(columns), delimiter, header,
                                   lenient_decimals)
    return CsvResult(t, r, n, bad)


def write_csv(table: Any, path: str | os.PathLike[str]) -> None:
    """Write a table as CSV (exact decimals, ISO dates, nulls as empty fields)."""
    _spm._write_csv(table, os.fspath(path))


def to_arrow(table: Any) -> Any:
    """The table as a pyarrow.Table (decimals as decimal128(38, 12), dates as date32)."""
    import pyarrow as pa

    return pa.RecordBatchReader.from_stream(table).read_all()


def to_pandas(table: Any) -> Any:
    """The table as a pandas DataFrame; decimals arrive as decimal.Decimal objects (exact)."""
    return to_arrow(table).to_pandas()


def to_polars(table: Any) -> Any:
    """The table as a polars DataFrame."""
    import polars as pl

    return pl.from_arrow(to_arrow(table))


def from_arrow(data: Any) -> Any:
    """An spm.Table from any Arrow stream producer (pyarrow Table, polars or pandas DataFrame).

    Column types map exactly: decimal128 with scale <= 12, integers, date32/date64, bool,
    float64, utf8 (and dictionary-encoded strings). Binary floats stay float64: declare money
    columns as decimals (or strings) upstream.
    """
    if not hasattr(data, "__arrow_c_stream__"):
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover
            pd = None
        if pd is not None and isinstance(data, pd.DataFrame):
            import pyarrow as pa

            data = pa.Table.from_pandas(data, preserve_index=False)
        else:
            raise TypeError(
                f"expected an Arrow stream producer (pyarrow.Table, polars or pandas DataFrame), "
                f"got {type(data).__name__}")
    return Table._from_stream_capsule(data.__arrow_c_stream__())

