"""CSV read throughput: libspm vs pyarrow.csv vs pandas.read_csv on the same file.

The file has the 10-column numeric/date layout of benchmarks/bench_data.hpp (id, opened, closed,
quantity, amount, unit_price, discount, rate, cost, margin), written here with a seeded numpy
generator. Each reader parses money columns its most faithful way: libspm and pyarrow as exact
decimals (decimal128 for pyarrow), pandas as float64 (its only numeric option; not exact).
The answer is checked: same row count, same exact total of `amount` (pandas within float error).

Usage: .venv/bin/python benchmarks/peers/csv_read.py [--rows 1000000] [--runs 5]
"""
from __future__ import annotations

import argparse
import decimal
import os
import platform
import statistics
import tempfile
import time

import numpy as np


def write_file(path: str, rows: int, seed: int = 42) -> None:
    rng = np.random.default_rng(seed)
    base = np.datetime64("2020-01-01")
    opened = base + rng.integers(0, 1500, rows).astype("timedelta64[D]")
    closed = opened + rng.integers(0, 200, rows).astype("timedelta64[D]")
    qty = rng.integers(1, 501, rows)
    cents = rng.integers(0, 100_000_000, rows)
    price = rng.integers(0, 10_000_000, rows)
    disc = rng.integers(0, 3000, rows)
    rate = rng.integers(0, 1_000_000, rows)
    cost = rng.integers(0, 50_000_000, rows)
    margin = rng.integers(0, 20_000_000, rows)
    with open(path, "w") as f:
        f.write("id,opened,closed,quantity,amount,unit_price,discount,rate,cost,margin\n")
        for start in range(0, rows, 100_000):
            end = min(rows, start + 100_000)
            lines = [
                f"{i},{opened[i]},{closed[i]},{qty[i]},{cents[i] // 100}.{cents[i] % 100:02d},"
                f"{price[i] // 10000}.{price[i] % 10000:04d},0.{disc[i]:04d},0.{rate[i]:06d},"
                f"{cost[i] // 100}.{cost[i] % 100:02d},-{margin[i] // 100}.{margin[i] % 100:02d}\n"
                for i in range(start, end)
            ]
            f.writelines(lines)


COLUMNS = ["id:integer", "opened:date", "closed:date", "quantity:integer", "amount:decimal",
           "unit_price:decimal", "discount:decimal", "rate:decimal", "cost:decimal",
           "margin:decimal"]


def read_spm(path):
    import spm
    result = spm.read_csv(path, COLUMNS)
    assert result.rejected_rows == 0
    return result.table


def read_pyarrow(path):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    dec = pa.decimal128(38, 12)
    types = {"id": pa.int64(), "opened": pa.date32(), "closed": pa.date32(),
             "quantity": pa.int64(), "amount": dec, "unit_price": dec, "discount": dec,
             "rate": dec, "cost": dec, "margin": dec}
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types))


def read_pandas(path):
    import pandas as pd
    return pd.read_csv(path, parse_dates=["opened", "closed"], engine="c")


def timed(fn, path, runs):
    times = []
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn(path)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="pyarrow threads (1 = per core)")
    args = ap.parse_args()
    import pyarrow as pa
    pa.set_cpu_count(args.threads)
    pa.set_io_thread_count(max(1, args.threads))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "numeric.csv")
        write_file(path, args.rows)
        size_mb = os.path.getsize(path) / 1e6
        read_spm(path)  # warm the page cache and imports
        results = {}
        for name, fn in [("libspm", read_spm), ("pyarrow.csv", read_pyarrow),
                         ("pandas.read_csv", read_pandas)]:
            t, out = timed(fn, path, args.runs)
            results[name] = (t, out)
        spm_tab = results["libspm"][1].to_arrow()
        pa_tab = results["pyarrow.csv"][1]
        pd_df = results["pandas.read_csv"][1]
        spm_sum = sum(spm_tab.column("amount").to_pylist(), decimal.Decimal(0))
        pa_sum = sum(pa_tab.column("amount").to_pylist(), decimal.Decimal(0))
        assert spm_tab.num_rows == pa_tab.num_rows == len(pd_df) == args.rows
        assert spm_sum == pa_sum, (spm_sum, pa_sum)
        assert abs(float(spm_sum) - float(pd_df["amount"].sum())) < 1.0
        base = results["libspm"][0]
        print(f"file: {args.rows} rows, {size_mb:.1f} MB; {args.runs} runs, median; "
              f"pyarrow threads={args.threads}; {platform.processor() or platform.machine()}")
        print(f"{'reader':<16} {'seconds':>8} {'MB/s':>8} {'time vs libspm':>15}")
        for name, (t, _) in results.items():
            print(f"{name:<16} {t:8.3f} {size_mb / t:8.1f} {t / base:14.2f}x")
        print(f"same answer: rows {args.rows}, sum(amount) {spm_sum} (pyarrow equal, pandas "
              f"float {pd_df['amount'].sum():.2f})")


if __name__ == "__main__":
    main()
