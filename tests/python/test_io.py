"""spm.Table, CSV with rejects, and Arrow in and out (pyarrow, pandas, polars)."""
import datetime
import decimal
import pickle

import pyarrow as pa
import pytest

import spm

D = decimal.Decimal
SCHEMA = {"deal_id": "string", "amount": "decimal", "close_date": "date?", "units": "integer"}


def test_read_typed_csv_with_rejects(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("deal_id,amount,close_date,units\n"
                    "D1,0.1,2024-02-29,3\n"
                    "D2,1e3,,1\n"
                    "D3,12.50,,x\n"
                    "D4,-7,,0\n")
    r = spm.read_csv(path, SCHEMA)
    assert (r.records, r.rejected_rows, r.table.num_rows) == (4, 2, 2)
    t = r.table.to_arrow()
    assert t.column("deal_id").to_pylist() == ["D1", "D4"]
    assert t.column("amount").to_pylist() == [D("0.1"), D("-7")]
    assert t.column("amount").type == pa.decimal128(38, 12)
    assert t.column("close_date").to_pylist() == [datetime.date(2024, 2, 29), None]
    rej = r.rejects.to_pandas()
    assert list(rej.columns) == ["line", "column", "value", "reason"]
    assert rej["line"].tolist() == [3, 4]
    assert rej["column"].tolist() == ["amount", "units"]
    assert rej["reason"][0] == ("'1e3' is not a decimal: exponent notation is not accepted; "
                                "write the digits out")


def test_columns_as_list_and_lenient_decimals():
    r = spm.parse_csv("a;b\nx;1,000.50\n", ["a", "b:decimal"], delimiter=";",
                      lenient_decimals=True)
    assert r.table.to_arrow().column("b").to_pylist() == [D("1000.5")]


def test_decimal_comma():
    r = spm.parse_csv("a;b;p\nx;1.234,50;0,25\ny;12.5;0,5\n", ["a", "b:decimal", "p:float64"],
                      delimiter=";", lenient_decimals=True, decimal_comma=True)
    assert r.table.to_arrow().column("b").to_pylist() == [D("1234.5")]
    assert r.table.to_arrow().column("p").to_pylist() == [0.25]
    assert r.rejects.to_pandas()["reason"][0] == (
        "'12.5' is not a decimal: '.' may only group digits in threes before the ',' (1.234,50)")


def test_file_level_errors_raise_with_id_and_path(tmp_path):
    with pytest.raises(spm.SpmIOError) as e:
        spm.read_csv(tmp_path / "missing.csv", SCHEMA)
    assert e.value.id == "csv.open"
    assert isinstance(e.value, OSError)
    with pytest.raises(spm.InvalidInputError) as e:
        spm.parse_csv("deal_id\nD1\n", SCHEMA)
    assert e.value.id == "csv.missing_column"
    assert isinstance(e.value, ValueError)
    assert "required column 'amount' is not in the header" in str(e.value)
    with pytest.raises(spm.InvalidInputError) as e:
        spm.parse_csv("a\n", ["a:money"])
    assert e.value.id == "csv.column_spec"


def test_write_then_read_is_identical(tmp_path):
    r = spm.parse_csv("id,amount,d\nA,123456789012345.123456789012,2024-01-31\nB,-0.5,\n",
                      ["id", "amount:decimal", "d:date?"])
    spm.write_csv(r.table, tmp_path / "out.csv")
    back = spm.read_csv(tmp_path / "out.csv", ["id", "amount:decimal", "d:date?"])
    assert back.table.to_arrow().equals(r.table.to_arrow())
    assert (tmp_path / "out.csv").read_text().splitlines()[1] == \
        "A,123456789012345.123456789012,2024-01-31"


def test_from_pandas_polars_and_pyarrow_exactly():
    import pandas as pd
    import polars as pl

    df = pd.DataFrame({
        "rep": pd.Series(["r1", "r2", None]),
        "amount": [D("0.1"), D("1234567.89"), D("-3")],
        "n": [1, 2, 3],
        "day": [datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), None],
        "won": [True, False, True],
        "p": [0.5, 0.25, 1.0],
    })
    t = spm.from_arrow(df)
    assert t.schema == ["rep:string?", "amount:decimal?", "n:integer?", "day:date?",
                        "won:boolean?", "p:float64?"]
    back = t.to_pandas()
    assert back["amount"].tolist() == [D("0.1"), D("1234567.89"), D("-3")]
    assert back["rep"].tolist()[:2] == ["r1", "r2"]
    pl_df = pl.from_pandas(df[["rep", "n", "won", "p"]])
    t2 = spm.from_arrow(pl_df)
    assert t2.num_rows == 3
    assert t2.to_polars()["n"].to_list() == [1, 2, 3]
    cat = pa.table({"seg": pa.array(["a", "b", "a"]).dictionary_encode()})
    assert spm.from_arrow(cat).to_arrow().column("seg").to_pylist() == ["a", "b", "a"]
    sliced = pa.table({"x": pa.array([D("1.5"), D("2.5"), D("3.5")], pa.decimal128(10, 2))}).slice(1)
    assert spm.from_arrow(sliced).to_arrow().column("x").to_pylist() == [D("2.5"), D("3.5")]
    # A scale above libspm's 12: exact when the extra digits are zeros, else the row is named.
    wide = pa.table({"x": pa.array([D("1.5"), D("0.0000000000010")], pa.decimal128(20, 13))})
    assert spm.from_arrow(wide).to_arrow().column("x").to_pylist() == [D("1.5"), D("1E-12")]
    finer = pa.table({"x": pa.array([D("1.5"), D("0.1234567890123")], pa.decimal128(20, 13))})
    with pytest.raises(spm.InvalidInputError, match="row 2 has more than 12 decimal places"):
        spm.from_arrow(finer)


def test_from_arrow_text_over_batches_and_dictionaries():
    # Few distinct values (kept dictionary-encoded inside), ids (kept plain) and Arrow
    # dictionaries that differ from batch to batch: every value and null comes back.
    n = 100_000
    seg = [None if i % 997 == 3 else f"s{i % 41}" for i in range(n)]
    ids = [None if i % 1009 == 7 else f"T{i}" for i in range(n)]
    half = n // 2
    cat = pa.chunked_array([pa.array(seg[:half]).dictionary_encode(),
                            pa.array(list(reversed(seg[half:]))).dictionary_encode()])
    t = pa.Table.from_batches(pa.table({"seg": seg, "id": ids}).to_batches(max_chunksize=30_000))
    t = t.append_column("cat", cat)
    back = spm.from_arrow(t).to_arrow()
    assert back.column("seg").to_pylist() == seg
    assert back.column("id").to_pylist() == ids
    assert back.column("cat").to_pylist() == seg[:half] + list(reversed(seg[half:]))


def test_unsupported_arrow_type_names_the_column():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.from_arrow(pa.table({"tags": pa.array([[1], [2]])}))
    assert e.value.id == "arrow.type"
    assert e.value.path == "tags"


def test_table_pickles():
    r = spm.parse_csv("id,amount\nA,0.1\n", ["id", "amount:decimal"])
    back = pickle.loads(pickle.dumps(r.table))
    assert back.to_arrow().column("amount").to_pylist() == [D("0.1")]
    assert len(back) == 1


def test_pandas_decimals_carry_their_own_places_and_arrow_keeps_one_type():
    import pandas as pd
    import polars as pl

    t = spm.parse_csv("q,n\n704000,1\n116133.333333333333,\n0.5,3\n", {"q": "decimal?", "n": "integer?"}).table
    df = t.to_pandas()
    assert [str(v) for v in df["q"]] == ["704000", "116133.333333333333", "0.5"]
    assert str(df["n"].dtype) == "Int64" and df["n"].isna().tolist() == [False, True, False]
    assert list(df.columns) == ["q", "n"]
    only = spm.parse_csv("q\n1\n", {"q": "decimal?"}).table.to_pandas()
    assert only["q"].tolist() == [D("1")] and len(only) == 1
    empty = spm.parse_csv("q,n\n", {"q": "decimal?", "n": "integer"}).table.to_pandas()
    assert len(empty) == 0 and list(empty.columns) == ["q", "n"]
    # One Arrow type whatever the values: frames of two runs concatenate without rounding.
    a = spm.parse_csv("q\n100\n", {"q": "decimal"}).table
    b = spm.parse_csv("q\n0.125\n7.5\n", {"q": "decimal"}).table
    assert a.to_arrow().schema == b.to_arrow().schema
    assert pl.concat([a.to_polars(), b.to_polars()])["q"].to_list() == [D("100"), D("0.125"), D("7.5")]
    assert repr(a) == "<spm.Table 1 rows: q:decimal?>"


def test_read_csv_windows_1252_and_utf16(tmp_path):
    p = tmp_path / "w.csv"
    p.write_bytes("name,amount\r\nMüller €,1\r\n".encode("cp1252"))
    r = spm.read_csv(p, ["name", "amount:decimal"], encoding="windows-1252")
    assert r.table.to_pandas()["name"].tolist() == ["Müller €"] and not r.rejects.num_rows
    assert spm.read_csv(p, ["name", "amount:decimal"]).rejects.num_rows == 1
    p.write_bytes("name,amount\r\nÜ,2\r\n".encode("utf-16"))
    assert spm.read_csv(p, ["name", "amount:decimal"]).table.to_pandas()["name"].tolist() == ["Ü"]
    with pytest.raises(spm.InvalidInputError, match="encoding"):
        spm.read_csv(p, encoding="ebcdic")


def test_read_csv_us_and_european_dates():
    r = spm.parse_csv("d\n03/15/2026\n", ["d:date"], date_format="mdy")
    assert r.table.to_pandas()["d"].tolist() == [datetime.date(2026, 3, 15)]
    r = spm.parse_csv("d\n15.03.2026\n2026-3-5\n", ["d:date"], date_format="dmy")
    assert r.table.to_pandas()["d"].tolist() == [datetime.date(2026, 3, 15), datetime.date(2026, 3, 5)]
    bad = spm.parse_csv("d\n03/15/2026\n", ["d:date"])
    assert "date-format mdy" in bad.rejects.to_pandas()["reason"][0]
