"""What-if: libspm `spm.comp.what_if` vs re-running the plan per variant in DuckDB and polars.

A comp team sweeping K plan variants without libspm re-runs its plan query once per variant.
This script takes the demo plan (docs/examples/demo-plan.json) and K variants whose tier rates
are scaled by 0.80, 0.804, 0.808, ... (rates rounded to 4 decimals), generates the same data as
benchmarks/peers/comp.py, and times:

* DuckDB and polars: comp.py's exact implementations of the plan, run once per variant
  (single-threaded), summing each payee's payouts;
* libspm: one call of spm.comp.what_if(baseline, variants, ...) with threads=1, in its fast mode
  (credits collapsed per payee and quarter) and with exact=True (every credit kept).

It checks every payee's yearly payout per variant against DuckDB's: what-if evaluates each
payee's quarter on its totals, so with the demo plan's per-line rounding a payee may differ by a
few cents (half a cent per line at most); the share of exact matches and the largest difference
are reported.

Usage: .venv/bin/python benchmarks/peers/whatif.py [--transactions 1000000] [--variants 100]
       [--peer-variants K]   (peers timed on K variants and scaled to --variants; default all)
The last line printed is
RESULT variants=<k> transactions=<n> spm_s=<x> spm_exact_s=<x> duckdb_s=<y> polars_s=<z>
       speedup_vs_best_peer=<r> exact_speedup_vs_best_peer=<r> exact_share=<s> max_diff=<d>
       exact_mode_share=<s>   (one line)
"""
from __future__ import annotations

import os

os.environ["POLARS_MAX_THREADS"] = "1"

import argparse
import decimal
import json
import sys
import time
from dataclasses import replace

import pyarrow as pa

import comp as peer
from peer_timing import cpu_name

D = decimal.Decimal


def factors(k: int) -> list[D]:
    return [D("0.80") + D("0.004") * i for i in range(k)]


def variant_json(text: str, f: D) -> str:
    p = json.loads(text)
    for c in p["components"]:
        for t in c.get("tiers", []):
            t["rate"] = str((D(t["rate"]) * f).quantize(D("0.0001")))
    return json.dumps(p)


def yearly(m: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for (payee, _q), (_c, _s, total) in m.items():
        out[payee] = out.get(payee, 0) + total
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transactions", type=int, default=1_000_000)
    ap.add_argument("--variants", type=int, default=100)
    ap.add_argument("--peer-variants", type=int, default=0, help="default: --variants")
    ap.add_argument("--seed", type=int, default=20260101)
    args = ap.parse_args()
    n, k = args.transactions, args.variants
    kp = args.peer_variants or k
    payees = min(10_000, max(10, n // 1000))
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    base_text = peer.PLAN_PATH.read_text()
    texts = [variant_json(base_text, f) for f in factors(k)]
    tx, quotas = peer.generate(n, payees, args.seed)
    print(f"data: {n:,} transactions, {payees:,} payees; {k} variants (peers timed on {kp}); "
          f"machine: {os.cpu_count()} CPUs, {cpu_name()}; every tool single-threaded", flush=True)

    # DuckDB: one query per variant.
    import duckdb
    con = peer.duckdb_load(tx, quotas)
    peer.duckdb_check_round_even(con)
    t0 = time.perf_counter()
    duck = [yearly(peer.as_map(peer.duckdb_run(con, peer.duckdb_sql(peer.read_peer_plan(t)))))
            for t in texts[:kp]]
    duck_s = (time.perf_counter() - t0) * k / kp
    con.close()
    print(f"duckdb {duckdb.__version__}: {duck_s:.2f} s for {k} variants"
          + ("" if kp == k else f" (measured {kp}, scaled)"), flush=True)

    # polars: one dataflow per variant.
    import polars as pl
    txp, qp = peer.polars_load(tx, quotas)
    t0 = time.perf_counter()
    for t in texts[:kp]:
        peer.polars_run(peer.read_peer_plan(t), txp, qp)
    pol_s = (time.perf_counter() - t0) * k / kp
    print(f"polars {pl.__version__}: {pol_s:.2f} s for {k} variants"
          + ("" if kp == k else f" (measured {kp}, scaled)"), flush=True)

    # libspm: one what-if call (crediting once), fast (collapsed credits) and exact.
    import spm
    import spm.comp
    txs, qs = peer.spm_load(tx, quotas)
    baseline = spm.comp.Plan.from_json(base_text)
    variants = {f"v{i}": spm.comp.Plan.from_json(t) for i, t in enumerate(texts)}

    def check(r) -> tuple[float, int]:
        t = r.payees.to_arrow()
        got = {(v, p): int(pay * 100) for v, p, pay in zip(
            t.column("variant").to_pylist(), t.column("payee_id").to_pylist(),
            t.column("payout").to_pylist())}
        exact = total = worst = 0
        for i, m in enumerate(duck):
            for p, cents in m.items():
                total += 1
                d = abs(got.get((f"v{i}", p), 0) - cents)
                exact += d == 0
                worst = max(worst, d)
        return (exact / total if total else float("nan")), worst

    times, shares = {}, {}
    for mode in ("fast", "exact"):
        t0 = time.perf_counter()
        r = spm.comp.what_if(baseline, variants, txs, qs, str(peer.YEAR), threads=1,
                             exact=mode == "exact")
        times[mode] = time.perf_counter() - t0
        shares[mode] = check(r)
        print(f"libspm {spm.__version__} {mode}: {times[mode]:.2f} s for {k} variants (one call); "
              f"{shares[mode][0]:.1%} of payee-variants exact to the cent vs DuckDB, largest "
              f"difference {shares[mode][1]} cents", flush=True)
    best = min(duck_s, pol_s)
    print(f"RESULT variants={k} transactions={n} spm_s={times['fast']:.3f} "
          f"spm_exact_s={times['exact']:.3f} duckdb_s={duck_s:.3f} polars_s={pol_s:.3f} "
          f"speedup_vs_best_peer={best / times['fast']:.1f} "
          f"exact_speedup_vs_best_peer={best / times['exact']:.1f} "
          f"exact_share={shares['fast'][0]:.4f} max_diff={shares['fast'][1] / 100:.2f} "
          f"exact_mode_share={shares['exact'][0]:.4f}")


if __name__ == "__main__":
    sys.exit(main())
