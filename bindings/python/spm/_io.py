"""Tables, CSV and Arrow for the spm package: thin wrappers over the C++ reader and writer."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Sequence, Union

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


def column_names(value: Any, what: str) -> list[str]:
    """None, one column name or several, as a list; anything else is a TypeError naming `what`."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"{what}: expected column names (strings)")
    return names


def _column_specs(columns: Columns) -> list[str]:
    if columns is None:
        return []
    if isinstance(columns, Mapping):
        return [f"{name}:{kind}" for name, kind in columns.items()]
    if isinstance(columns, str):
        raise TypeError("columns must be a list of 'name:type' strings or a {name: type} dict")
    return list(columns)


def read_csv(path: str | os.PathLike[str], columns: Columns = None, *, delimiter: str = ",",
             header: bool = True, lenient_decimals: bool = False,
             decimal_comma: bool = False, encoding: str = "utf-8",
             date_format: str = "iso") -> CsvResult:
    """Read a CSV file into a typed spm.Table.

    columns: ["amount:decimal", "close_date:date?", ...] or {"amount": "decimal", ...}; a
    trailing "?" makes a column nullable. Types: string, decimal, integer, date, boolean,
    float64. None reads every column as nullable text. Bad rows go to `rejects`; the rest load.
    lenient_decimals accepts "1,234.50", blanks around and "(12.50)"; decimal_comma reads ','
    as the decimal point ("1234,50", and with lenient_decimals "1.234,50"). encoding:
    "utf-8", "windows-1252" (Excel's CSV on Western Windows) or "latin-1"; UTF-16 with a byte
    order mark is read whatever it says. date_format: "iso" (YYYY-MM-DD, also 2026-3-5,
    20260305 and midnight times), "mdy" (also 03/15/2026) or "dmy" (also 15/03/2026, 15.03.2026).
    """
    t, r, n, bad = _spm._read_csv(os.fspath(path), _column_specs(columns), delimiter, header,
                                  lenient_decimals, decimal_comma, encoding, date_format)
    return CsvResult(t, r, n, bad)


def parse_csv(text: str, columns: Columns = None, *, delimiter: str = ",", header: bool = True,
              lenient_decimals: bool = False, decimal_comma: bool = False,
              date_format: str = "iso") -> CsvResult:
    """Like read_csv, from text in memory (already decoded: always UTF-8)."""
    t, r, n, bad = _spm._parse_csv(text, _column_specs(columns), delimiter, header,
                                   lenient_decimals, decimal_comma, "utf-8", date_format)
    return CsvResult(t, r, n, bad)


def write_csv(table: Any, path: str | os.PathLike[str]) -> None:
    """Write a table as CSV (exact decimals, ISO dates, nulls as empty fields)."""
    _spm._write_csv(table, os.fspath(path))


def to_arrow(table: Any) -> Any:
    """The table as a pyarrow.Table (decimals as decimal128(38, 12), dates as date32)."""
    import pyarrow as pa

    return pa.RecordBatchReader.from_stream(table).read_all()


def to_pandas(table: Any) -> Any:
    """The table as a pandas DataFrame. Decimals arrive as exact decimal.Decimal objects, each
    with its own places (Decimal('10400.00'), not Decimal('10400.000000000000')); integer
    columns with nulls as pandas' nullable Int64."""
    import pandas as pd
    import pyarrow as pa

    at = to_arrow(table)
    names = at.schema.names
    decimals = [i for i, f in enumerate(at.schema) if pa.types.is_decimal(f.type)]
    rest = at.drop_columns([names[i] for i in decimals])
    df = rest.to_pandas()
    if len(df) != at.num_rows:  # every column was a decimal
        df = pd.DataFrame(index=pd.RangeIndex(at.num_rows))
    for name in rest.schema.names:
        col = rest.column(name)
        if pa.types.is_integer(col.type) and col.null_count > 0:
            df[name] = col.to_pandas(types_mapper={col.type: pd.Int64Dtype()}.get)
    if not decimals:
        return df
    # Built at once: inserting many columns one by one fragments the frame (pandas warns).
    columns = {name: df[name] for name in df.columns}
    for i in decimals:
        columns[names[i]] = pd.Series(_spm._decimal_objects(table, names[i]), dtype=object,
                                      index=df.index)
    return pd.DataFrame({name: columns[name] for name in names}, index=df.index)


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



# --------------------------------------------------------------------------------------------
# Input tables of the calculation modules (spm.comp, spm.quota)


def _pandas_frame(data: Any) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(data, pd.DataFrame)


def _from_pandas(df: Any, role: str, area: str, pa: Any, decimal_columns: Sequence[str] = (),
                 rejected: list | None = None) -> tuple[Any, list]:
    """pyarrow's conversion, and the rows left out; when it fails, the column and row that made
    it fail (searched for only then) instead of pyarrow's message. A decimal.Decimal that is not
    finite (Infinity, -Infinity) in one of `decimal_columns` is a bad value of that column like
    text that does not parse: with `rejected` its row is left out and returned as (row, column,
    value, reason), else InvalidInputError '<area>.column' names the column and row. (A Decimal
    NaN is a missing value, as pandas takes it.)"""
    pd = sys.modules["pandas"]
    for name in df.columns:
        # pyarrow would pass a pandas Period as its ordinal (2026Q1 -> 224): refused, with the
        # conversion to the labels libspm prints.
        if isinstance(df[name].dtype, pd.PeriodDtype):
            raise _column_error(area, f"{role}.{name}",
                                "holds pandas Period values; give periods as text, e.g. "
                                "df[col].dt.strftime('%Y-Q%q') for '2026-Q1' or '%Y-M%m' for "
                                "'2026-M03' (a fiscal calendar's labels: 'FY2026-Q1')")
    try:
        return pa.Table.from_pandas(df, preserve_index=False), []
    except (TypeError, ValueError, OverflowError) as e:  # pyarrow's ArrowInvalid is a ValueError
        import decimal

        left_out: list = []
        for name in df.columns:
            if df[name].dtype != object:
                continue
            for i, v in enumerate(df[name]):
                if not isinstance(v, decimal.Decimal) or v.is_nan():
                    continue
                if v.is_infinite():
                    if rejected is not None and name in decimal_columns:
                        left_out.append((i + 1, str(name), str(v),
                                         f"Decimal('{v}') is not a finite number; libspm decimals "
                                         f"are finite"))
                        continue
                    why = f"row {i + 1} holds {v}, not a finite decimal; fix or drop the row"
                elif v.adjusted() >= 26:
                    why = f"row {i + 1} holds {v}, beyond libspm's decimals (below 1.7e26); check its units"
                else:
                    continue
                raise _column_error(area, f"{role}.{name}", why) from None
        if left_out:
            # The rows stay (so that row numbers hold) with the value null; _typed_text drops them.
            df = df.copy()
            for row, name, _, _ in left_out:
                df.iloc[row - 1, df.columns.get_loc(name)] = None
            table, more = _from_pandas(df, role, area, pa, decimal_columns, rejected)
            return table, left_out + more
        raise _column_error(area, role, f"pyarrow cannot convert the DataFrame: {e}") from None


def _column_error(area: str, where: str, detail: str) -> Exception:
    from ._errors import InvalidInputError

    return InvalidInputError(f"[{area}.column] {where}: {detail}", id=f"{area}.column",
                             path=where, detail=detail)


def _libspm_type(pa: Any, t: Any) -> bool:
    """Whether libspm reads Arrow type `t` as it is (as io::import_table_stream does)."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    return (pa.types.is_string(t) or pa.types.is_large_string(t) or
            (hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t)) or
            pa.types.is_null(t) or pa.types.is_integer(t) or pa.types.is_boolean(t) or
            pa.types.is_date(t) or pa.types.is_float32(t) or pa.types.is_float64(t) or
            pa.types.is_decimal128(t))


def _other_columns_as_text(t: Any, keep: Sequence[str]) -> Any:
    """Columns outside `keep` of a type libspm does not read (timestamps, durations, times,
    binary, lists, structs), which real exports carry (created_at, tags), as text: timestamps as
    ISO text, so that a filter can still name them; a type with no text form (lists, structs) is
    left out with a warning naming it, as it cannot be an attribute."""
    import warnings

    import pyarrow as pa
    import pyarrow.compute as pc

    for name in [f.name for f in t.schema]:
        i = t.schema.get_field_index(name)
        field = t.schema.field(i)
        if name in keep or _libspm_type(pa, field.type):
            continue
        try:
            if pa.types.is_timestamp(field.type):  # to the second, as people write them
                fmt = "%Y-%m-%d %H:%M:%S" + ("%z" if field.type.tz is not None else "")
                seconds = pc.cast(t.column(i), pa.timestamp("s", field.type.tz), safe=False)
                text = pc.strftime(seconds, format=fmt)
            else:
                text = t.column(i).cast(pa.string())
            t = t.set_column(i, name, text)
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, TypeError):
            warnings.warn(f"column {name!r} ({field.type}) has no text form libspm can read; "
                          f"it is left out", stacklevel=4)
            t = t.remove_column(i)
    return t


def _normalise_arrow(t: Any, role: str, area: str, decimal_columns: Sequence[str],
                     date_columns: Sequence[str], as_attributes: bool = False) -> Any:
    """Integer columns in `decimal_columns` to decimal128, midnight timestamps in `date_columns`
    to date32 (pyarrow Table); other timestamps raise InvalidInputError '<area>.column'. Columns
    of nulls only (pandas: all None) take the type of their role. Other columns of types libspm
    does not read become text (or are left out, with a warning)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if as_attributes:  # unread types must not stop a run
        t = _other_columns_as_text(t, list(decimal_columns) + list(date_columns))
    for i, field in enumerate(t.schema):
        name = field.name
        # A float column holding no number (pandas types an empty or all-missing column float64:
        # an empty table, a CSV column left blank) is a column of nulls: of its role's type, else
        # text.
        if pa.types.is_floating(field.type) and t.column(i).null_count == t.num_rows:
            field = pa.field(name, pa.null())
            t = t.set_column(i, name, pa.nulls(t.num_rows))
            if name not in decimal_columns and name not in date_columns:
                t = t.set_column(i, name, t.column(i).cast(pa.string()))
                continue
        # Identifiers stored as numbers (a database's integer keys) are ids, that is text.
        if (as_attributes and (name == "id" or name.endswith("_id")) and
                pa.types.is_integer(field.type) and name not in decimal_columns):
            t = t.set_column(i, name, t.column(i).cast(pa.string()))
        elif name in decimal_columns and (pa.types.is_integer(field.type) or
                                        pa.types.is_null(field.type)):
            t = t.set_column(i, name, t.column(i).cast(pa.decimal128(38, 0)))
        elif name in date_columns and pa.types.is_null(field.type):
            t = t.set_column(i, name, t.column(i).cast(pa.date32()))
        elif name in date_columns and pa.types.is_timestamp(field.type):
            where = f"{role}.{name}"
            if field.type.tz is not None:
                raise _column_error(area, where,
                                    f"timestamps with time zone {field.type.tz} are not dates; "
                                    f"convert them to local calendar dates first")
            col = t.column(i)
            day = col.cast(pa.date32())
            at_midnight = pc.all(pc.equal(day.cast(field.type), col)).as_py()  # None: all null
            if at_midnight is False:
                raise _column_error(area, where,
                                    "timestamps with a time of day are not dates; convert them "
                                    "to dates first (e.g. pandas: df[col].dt.normalize() or "
                                    ".dt.date)")
            t = t.set_column(i, name, day)
    return t


def input_table(data: Any, role: str, *, area: str, decimal_columns: Sequence[str] = (),
                date_columns: Sequence[str] = (), columns: Sequence[str] | None = None,
                rejected: list | None = None, as_attributes: bool = False) -> Any:
    """An spm.Table from a DataFrame (pandas, polars, also lazy), an Arrow producer or an
    spm.Table, with no Python loop per row.

    When pyarrow is installed lossless conversions are made: integer columns named in
    `decimal_columns` become decimals, text columns named in either become decimals or dates
    (parsed exactly, as the CSV reader does), timestamp columns named in `date_columns` become dates
    when every value is at midnight, and columns of nulls only in either take that type (a time of day or a time zone raises InvalidInputError
    '<area>.column' naming "<role>.<column>"). Float columns are never converted.

    `columns`: when given and all present, only these columns cross: other columns are neither
    converted nor checked (with one missing, all cross, and the computation reports it).
    `rejected`: when given, rows whose text does not parse are left out and listed there as
    (row, column, value, reason), 1-based rows, instead of raising; the table then has a
    "_line" column with each row's number in the input. `as_attributes`: the table's
    other columns are attributes (comp, quota): integer columns named "id" or "*_id" become text,
    as a database's integer keys are ids, and columns of types libspm does not read become text
    or are left out.
    """
    if isinstance(data, Table):
        return _typed_text(data, role, area, decimal_columns, date_columns, rejected)
    data = _headers_as_named(data, list(decimal_columns) + list(date_columns) + list(columns or ()))
    left_out: list = []  # rows of non-finite decimals (with `rejected` only)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - polars without pyarrow: no conversions
        pa = None
    if pa is not None:
        pl = sys.modules.get("polars")
        if pl is not None and isinstance(data, pl.LazyFrame):
            data = data.collect()
        if columns is not None:
            data = _select(data, columns, pa, pl, role, area)
        if _pandas_frame(data):
            data, left_out = _from_pandas(data, role, area, pa, decimal_columns, rejected)
        elif isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        elif not isinstance(data, pa.Table) and hasattr(data, "__arrow_c_stream__"):
            data = pa.table(data)
        if isinstance(data, pa.Table):
            data = _normalise_arrow(data, role, area, decimal_columns, date_columns, as_attributes)
    try:
        table = from_arrow(data)
    except TypeError:
        raise TypeError(f"{role}: expected a pandas or polars DataFrame, a pyarrow Table or an "
                        f"spm.Table, got {type(data).__name__}") from None
    return _typed_text(table, role, area, decimal_columns, date_columns, rejected, left_out)


def unread_rejects(data: Any, role: str, bad: list, id_column: str) -> list[dict]:
    """Rejects rows (source, row, id, payee_id, reason) for the rows of `data` that
    input_table(..., rejected=bad) left out: a value read per bad row, not per row."""
    import pyarrow as pa

    frame = None
    if isinstance(data, Table):
        a = data.to_arrow()
    elif _pandas_frame(data):
        try:
            a = pa.Table.from_pandas(data, preserve_index=False)
        except (TypeError, ValueError, OverflowError):  # e.g. a Decimal('Infinity'): read the frame
            a, frame = None, data
    elif isinstance(data, pa.RecordBatch):
        a = pa.Table.from_batches([data])
    else:
        a = pa.table(data.collect() if hasattr(data, "collect") else data)

    def value(name: str, row: int) -> str:
        have = [str(c) for c in frame.columns] if frame is not None else list(a.column_names)
        if name not in have:  # spelt as a file's header may be ("Payee ID")
            at = _spm._find_header(have, name)
            name = have[at] if at is not None else name
        if frame is not None:
            if name not in frame.columns:
                return ""
            v = frame[name].iloc[row - 1]
            return "" if v is None or (isinstance(v, float) and v != v) else str(v)
        if name not in a.column_names:
            return ""
        v = a.column(name)[row - 1].as_py()
        return "" if v is None else str(v)

    return [{"source": role, "row": row, "id": value(id_column, row) if id_column else "",
             "payee_id": value("payee_id", row), "column": column, "value": text, "why": why}
            for row, column, text, why in bad]


def with_rejects(rejects: Any, rows: list[dict]) -> Any:
    """`rejects` (an spm.Table) with `rows` (from unread_rejects) first, each given the table's
    columns ("" for those it lacks; the reason names the column unless the table has one)."""
    if not rows:
        return rejects
    import pyarrow as pa

    ran = rejects.to_arrow()
    own_column = "column" in ran.column_names
    for r in rows:
        r["reason"] = r["why"] if own_column else f"{r['column']}: {r['why']}"
    mine = pa.table({f.name: pa.array([r.get(f.name, "") for r in rows], f.type)
                     for f in ran.schema})
    return from_arrow(pa.concat_tables([mine, ran]))


def _without_rows(t: Any, bad_rows: set) -> Any:
    """`t` without the 1-based `bad_rows`, with a "_line" column numbering the rows kept as the
    input did (one pass in Arrow; only when some row is bad)."""
    import pyarrow as pa

    import numpy as np

    a = to_arrow(t)
    keep = np.ones(a.num_rows, dtype=bool)
    keep[np.fromiter(bad_rows, dtype=np.int64, count=len(bad_rows)) - 1] = False
    if "_line" not in a.column_names:
        a = a.append_column("_line", pa.array(np.arange(1, a.num_rows + 1, dtype=np.int64)))
    return from_arrow(a.filter(pa.array(keep)))


def _typed_text(t: Any, role: str, area: str, decimal_columns: Sequence[str],
                date_columns: Sequence[str], rejected: list | None = None,
                left_out: Sequence[tuple] = ()) -> Any:
    """Text columns in `decimal_columns` and `date_columns` parsed exactly by libspm's CSV rules
    ("1234.56", "2026-03-31"; empty text is a null), in C++; text that does not parse raises
    InvalidInputError '<area>.column' naming the column, its rows and the reason (or, with
    `rejected`, leaves those rows out and lists them there)."""
    if not decimal_columns and not date_columns:
        return t
    t, bad = _spm._convert_strings(t, list(decimal_columns), list(date_columns))
    bad = [(row, column, text, _python_advice(why, column)) for row, column, text, why in bad]
    # Rows whose value was not a finite decimal (see _from_pandas), then the text that does not parse.
    bad = [*left_out, *bad]
    if bad and rejected is not None:
        rejected.extend(bad)
        return _without_rows(t, {row for row, _, _, _ in bad})
    if bad:
        row, column, _, why = bad[0]
        rows = [r for r, c, _, _ in bad if c == column]
        more = ""
        if len(rows) > 1:
            shown = ", ".join(str(r) for r in rows[1:6]) + (", ..." if len(rows) > 6 else "")
            more = f" (and {len(rows) - 1} more rows of the column that do not parse: {shown})"
        others = {c: sum(1 for _, c2, _, _ in bad if c2 == c) for _, c, _, _ in bad if c != column}
        also = "".join(f"; also {c}: {n} rows that do not parse" for c, n in others.items())
        raise _column_error(area, f"{role}.{column}",
                            f"row {row}: {why}{more}{also}; fix or drop the rows")
    return t


# The reader's advice names the CLI's options; from Python the fix is to the DataFrame.
_ADVICE = {
    "read it so (spm: --date-format mdy or dmy)":
        "parse the column first, e.g. pd.to_datetime(df[{c!r}], format='%d/%m/%Y').dt.date",
    "(spm: --lenient)": "(clean the text first, e.g. df[{c!r}].str.replace(',', ''))",
    "(spm: --decimal-comma)":
        "(e.g. df[{c!r}].str.replace('.', '').str.replace(',', '.'))",
}


def _python_advice(why: str, column: str) -> str:
    for cli, python in _ADVICE.items():
        if cli in why:
            why = why.replace(cli, python.format(c=column))
    return why


def _headers_as_named(data: Any, names: Sequence[str]) -> Any:
    """`data` with each of `names` it lacks renamed from the column spelling it loosely (other
    case, edge blanks, blanks or hyphens for underscores: "Payee ID" for payee_id), as the CSV
    reader matches a file's headers, so that a DataFrame read from that file works alike."""
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(data, pl.LazyFrame):
        data = data.collect()
    if _pandas_frame(data) or (pl is not None and isinstance(data, pl.DataFrame)):
        have = [str(c) for c in data.columns]
    elif hasattr(data, "column_names") and hasattr(data, "rename_columns"):  # pyarrow Table
        have = list(data.column_names)
    else:
        return data
    renames = {}
    for name in dict.fromkeys(names):
        if name in have:
            continue
        at = _spm._find_header(have, name)
        if at is not None and have[at] not in renames:
            renames[have[at]] = name
    if not renames:
        return data
    if _pandas_frame(data):
        return data.rename(columns={c: renames[str(c)] for c in data.columns if str(c) in renames})
    if pl is not None and isinstance(data, pl.DataFrame):
        return data.rename(renames)
    return data.rename_columns([renames.get(c, c) for c in have])


def _select(data: Any, columns: Sequence[str], pa: Any, pl: Any, role: str, area: str) -> Any:
    wanted = list(dict.fromkeys(columns))
    if _pandas_frame(data) or (pl is not None and isinstance(data, pl.DataFrame)):
        have = [str(c) for c in data.columns]
    elif isinstance(data, pa.Table):
        have = list(data.column_names)
    else:
        return data
    # With one missing (an error, or one of alternative names) every column crosses, so that an
    # error lists the columns the data has, not the ones selected.
    if any(c not in have for c in wanted):
        return data
    if isinstance(data, pa.Table):
        return data.select(wanted)
    return data[wanted] if _pandas_frame(data) else data.select(wanted)


class ResultTables:
    """Conversions shared by the result dataclasses: `TABLES` names their spm.Table fields."""

    TABLES: ClassVar[tuple[str, ...]] = ()

    @property
    def tables(self) -> dict[str, Any]:
        """The result's tables by name, as spm.Table."""
        return {k: getattr(self, k) for k in self.TABLES}

    def to_pandas(self) -> dict[str, Any]:
        """The tables as pandas DataFrames (decimals as exact decimal.Decimal)."""
        return {k: v.to_pandas() for k, v in self.tables.items()}

    def to_polars(self) -> dict[str, Any]:
        """The tables as polars DataFrames."""
        return {k: v.to_polars() for k, v in self.tables.items()}

    def to_arrow(self) -> dict[str, Any]:
        """The tables as pyarrow Tables (decimals as decimal128(38, 12))."""
        return {k: v.to_arrow() for k, v in self.tables.items()}
