"""Exact money arithmetic the way a Python data team does it without libspm: the standard
`decimal` module, per value. Same operations and sizes as benchmarks/core_benchmark.cpp
(100,000 amounts with 2 decimals; sum; amount x 0.0725 rounded half-even to cents; amount x 0.0725
x 17/31 rounded once). Prints items per second (median of runs) to set beside the C++ kernels.

Usage: .venv/bin/python benchmarks/peers/decimal_ops.py [--runs 5]
"""
import argparse
import decimal
import random
import statistics
import time

D = decimal.Decimal


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(7)
    amounts = [D(rng.randrange(100_000_000)) / 100 for _ in range(100_000)]
    rate = D("0.0725")
    cent = D("0.01")
    ctx = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)

    def s():
        total = D(0)
        for a in amounts:
            total += a
        return total

    def mul_round():
        total = D(0)
        for a in amounts:
            total += (a * rate).quantize(cent, context=ctx)
        return total

    def product_fraction():
        total = D(0)
        for a in amounts:
            total += ctx.divide(a * rate * 17, D(31)).quantize(cent, context=ctx)
        return total

    for name, fn in [("sum", s), ("mul_round", mul_round), ("product_fraction", product_fraction)]:
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(f"python decimal {name:<17} {len(amounts) / med / 1e6:8.2f} M items/s")


if __name__ == "__main__":
    main()
