"""Commission run: libspm `spm.comp.run` vs DuckDB (SQL, DECIMAL) vs polars (integer arithmetic).

The plan is docs/examples/demo-plan.json, read as is: quarterly pay periods with a year-to-date
true-up; a marginal rate table keyed by attainment percent of the year-to-date quota (the sum of
the quarterly quotas so far), processed as a running total in canonical order (date, then
transaction_id in byte order); every tier slice of every transaction is one earning line rounded
half-even to cents; a yearly cap on the commission component; a SPIF per qualifying transaction.
Per quarter k the component pays its capped window (year-to-date) earnings minus what quarters
1..k-1 paid, i.e. min(S_k, cap) - min(S_k-1, cap), where S_k is the sum of the rounded earning
lines of every transaction of the window, sliced against the window's own quota.

The peers implement exactly that, with the tier table, rates, cap, SPIF amount and filters taken
from the plan file (the script checks that the plan has the shape they implement):

* DuckDB: one SQL query over DECIMAL columns (running total by a window function, tier slices by
  least/greatest, round_even(x, 2) per slice, conditional sums per quarter); `SET threads=1`.
* polars: the same dataflow on exact integers (amounts in cents, tier bounds in tenths of a cent,
  half-even division written out); POLARS_MAX_THREADS=1 is set before polars is imported.
* libspm: spm.comp.run(plan, transactions, quotas, "2026", threads=1), which also produces a line
  table tracing every cent (more work than the peers do).

Data (seeded numpy): N transactions dated across calendar 2026, amounts with 2 decimals drawn from
a lognormal (median 2,000, mean about 2,750), payees with uneven volume (lognormal weights), about 5% of
transactions on product P-ENTS, type 'booking'; transaction ids "T<n>" without padding, so byte
order differs from numeric order (the canonical tie-break must be honoured). Quarterly quotas per
payee are set from the payee's actual bookings so that attainment spreads over about 50%..200%.

Every payee's payout per quarter (commission, SPIF and TOTAL) must agree to the cent across the
three tools. Load into each tool's own representation (DuckDB table, polars frame with integer
cents, spm.Table) is timed separately from the computation; the ratio uses computation times.
On a disagreement, the first payees that differ are recomputed by hand with Python's decimal
module and every tool's value is printed.

Usage: .venv/bin/python benchmarks/peers/comp.py [--transactions 10000000] [--runs 3]
The last line printed is
RESULT agree=<true|false> transactions=<n> spm_s=<x> duckdb_s=<y> polars_s=<z> speedup_vs_best_peer=<r>
"""
from __future__ import annotations

import os

os.environ["POLARS_MAX_THREADS"] = "1"  # before polars is imported anywhere

import argparse
import datetime as dt
import decimal
import json
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peer_timing import cpu_name, timed

D = decimal.Decimal
ROOT = Path(__file__).resolve().parents[2]
PLAN_PATH = ROOT / "docs" / "examples" / "demo-plan.json"
YEAR = 2026
QUARTER_STARTS = [dt.date(YEAR, 1, 1), dt.date(YEAR, 4, 1), dt.date(YEAR, 7, 1),
                  dt.date(YEAR, 10, 1), dt.date(YEAR + 1, 1, 1)]
LABELS = [f"{YEAR}-Q{k}" for k in range(1, 5)]


# --------------------------------------------------------------------------------------------
# The plan, as the peers understand it
# --------------------------------------------------------------------------------------------

@dataclass
class PeerPlan:
    """The parameters of the demo plan that the peers implement (checked against the file)."""

    commission_id: str
    spif_id: str
    # (from, to or None, rate) with from/to as fractions of the quota (percent / 100) and the
    # rate as a fraction (percent / 100).
    tiers: list[tuple[D, D | None, D]]
    cap_per_year: D | None
    measure_filter: dict[str, list[str]]
    spif_filter: dict[str, list[str]]
    spif_amount: D


def _values(v) -> list[str]:
    return [v] if isinstance(v, str) else list(v)


def read_peer_plan(text: str) -> PeerPlan:
    p = json.loads(text)

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise SystemExit(f"comp.py: the peers do not implement this plan: {what}")

    need(p.get("pay_period") == "quarter", "pay_period must be quarter")
    need(p.get("true_up") == "year_to_date", "true_up must be year_to_date")
    need(p.get("fiscal_year_start_month", 1) == 1, "fiscal year must start in January")
    r = p.get("rounding", {})
    need(r.get("mode", "half_even") == "half_even" and int(r.get("places", 2)) == 2
         and r.get("point", "earning_line") == "earning_line", "rounding must be half_even/2/earning_line")
    need(not p.get("allow_negative", False), "negative amounts")
    measures = {m["id"]: m for m in p["measures"]}
    comps = p["components"]
    need(len(comps) == 2, "two components (rate_table, spif)")
    rt = [c for c in comps if c.get("type", "rate_table") == "rate_table"]
    sp = [c for c in comps if c.get("type") == "spif"]
    need(len(rt) == 1 and len(sp) == 1, "one rate_table and one spif component")
    c, s = rt[0], sp[0]
    need(comps.index(c) == 0, "rate table first")
    need(c.get("basis", "attainment_percent") == "attainment_percent", "basis attainment_percent")
    need(c.get("mode", "marginal") == "marginal", "marginal tiers")
    need(c.get("processing", "running_total") == "running_total", "running_total processing")
    need(c.get("rate_unit", "percent") == "percent", "percent rates")
    need(c["measure"] == p.get("quota_measure", c["measure"]), "commission on the quota measure")
    need(set(c.get("limits", {})) <= {"cap_per_year"}, "only cap_per_year as a limit")
    need(not c.get("gates") and not c.get("multipliers") and not s.get("limits"), "no gates/multipliers")
    m = measures[c["measure"]]
    need(m.get("sum", "amount") == "amount" and not m.get("count"), "measure sums amount")
    tiers = []
    for t in c["tiers"]:
        tiers.append((D(t["from"]) / 100, D(t["to"]) / 100 if "to" in t else None, D(t["rate"]) / 100))
    need(tiers[0][0] == 0, "first tier from 0")
    for a, b in zip(tiers, tiers[1:]):
        need(a[1] == b[0], "contiguous tiers")
    cap = c.get("limits", {}).get("cap_per_year")
    return PeerPlan(
        commission_id=c["id"], spif_id=s["id"], tiers=tiers,
        cap_per_year=D(cap) if cap is not None else None,
        measure_filter={k: _values(v) for k, v in m.get("filter", {}).items()},
        spif_filter={k: _values(v) for k, v in s.get("filter", {}).items()},
        spif_amount=D(s["amount"]).quantize(D("0.01"), rounding=decimal.ROUND_HALF_EVEN))


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def generate(n: int, payees: int, seed: int) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng(seed)
    names = pa.array([f"E{i:05d}" for i in range(payees)])
    weights = rng.lognormal(0.0, 1.0, payees)
    payee = rng.choice(payees, size=n, p=weights / weights.sum()).astype(np.int32)
    epoch = (np.datetime64(f"{YEAR}-01-01") - np.datetime64("1970-01-01")).astype(np.int32)
    days = (np.datetime64(f"{YEAR + 1}-01-01") - np.datetime64(f"{YEAR}-01-01")).astype(int)
    day = rng.integers(0, days, n).astype(np.int32)
    cents = np.maximum(1, np.rint(rng.lognormal(np.log(2000.0), 0.8, n) * 100)).astype(np.int64)
    product = rng.integers(0, 20, n)
    ents = rng.random(n) < 0.05
    products = pa.array([f"P-{k:04d}" for k in range(20)] + ["P-ENTS"])
    prod_idx = np.where(ents, 20, product).astype(np.int32)
    ids = pc.binary_join_element_wise("T", pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), "")
    tx = pa.table({
        "transaction_id": ids,
        "payee_id": names.take(pa.array(payee)),
        "date": pa.array(day + epoch, pa.int32()).cast(pa.date32()),
        "amount": _cents_to_decimal(cents),
        "product_id": products.take(pa.array(prod_idx)),
        "type": pa.repeat("booking", n),
    })
    # Quarterly quotas: the payee's actual bookings in the quarter divided by a target attainment
    # (per payee 0.5..2.0, per quarter +-15%), in cents, at least 10,000.00.
    quarter = np.searchsorted(np.array([(np.datetime64(q) - np.datetime64(f"{YEAR}-01-01")).astype(int)
                                        for q in QUARTER_STARTS[1:4]]), day, side="right")
    actual = np.zeros((payees, 4), np.int64)
    np.add.at(actual, (payee, quarter), cents)
    att = rng.uniform(0.5, 2.0, payees)[:, None] * rng.uniform(0.85, 1.15, (payees, 4))
    quota = np.maximum(1_000_000, np.rint(actual / att)).astype(np.int64)
    q_payee = np.repeat(np.arange(payees), 4)
    q_start = np.tile(np.array([(np.datetime64(q) - np.datetime64("1970-01-01")).astype(np.int32)
                                for q in QUARTER_STARTS[:4]]), payees)
    quotas = pa.table({
        "payee_id": names.take(pa.array(q_payee)),
        "period_start": pa.array(q_start, pa.int32()).cast(pa.date32()),
        "quota": _cents_to_decimal(quota.reshape(-1)),
    })
    return tx, quotas


def _cents_to_decimal(cents: np.ndarray) -> pa.Array:
    """Integer cents -> decimal128(18, 2), exactly (via the decimal's 128-bit storage)."""
    lo = cents.astype(np.int64)
    words = np.empty((len(lo), 2), np.int64)
    words[:, 0] = lo
    words[:, 1] = np.where(lo < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(lo), [None, pa.py_buffer(words.tobytes())])


# --------------------------------------------------------------------------------------------
# DuckDB
# --------------------------------------------------------------------------------------------

def _lit(x: D) -> str:
    """A DECIMAL literal of the smallest precision (so products stay within 18 digits)."""
    s = format(x.normalize(), "f")
    places = len(s.split(".")[1]) if "." in s else 0
    digits = len(s.replace("-", "").replace(".", "").lstrip("0")) or 1
    return f"CAST('{s}' AS DECIMAL({max(digits, places, 1)}, {places}))"


def _sql_filter(f: dict[str, list[str]]) -> str:
    if not f:
        return "TRUE"
    parts = []
    for col, vals in f.items():
        inlist = ", ".join("'" + v.replace("'", "''") + "'" for v in vals)
        parts.append(f'coalesce(CAST("{col}" AS VARCHAR), \'\') IN ({inlist})')
    return " AND ".join(parts)


def duckdb_sql(plan: PeerPlan) -> str:
    # Decimals are kept within 18 digits (money DECIMAL(15, 2), quotas DECIMAL(14, 2), slices
    # DECIMAL(15, 3)) so that DuckDB computes on 64-bit integers; with its default 38-digit sums
    # (128-bit) the tier expressions take about 2.7x longer. Values that do not fit raise an error.
    bound_places = 2 + max((max(0, -b.normalize().as_tuple().exponent)
                            for t in plan.tiers for b in t[:2] if b is not None), default=0)

    def earn(q: str) -> str:
        parts = []
        for k, (lo, hi, rate) in enumerate(plan.tiers):
            a = "before" if k == 0 else f"greatest(before, {q} * {_lit(lo)})"
            b = f"least(after, {q} * {_lit(hi)})" if hi is not None else "after"
            base = f"CAST(greatest({b} - {a}, 0) AS DECIMAL(15, {bound_places}))"
            parts.append(f"round_even({base} * {_lit(rate)}, 2)")
        return " + ".join(parts)

    ends = [f"DATE '{d.isoformat()}'" for d in QUARTER_STARTS]
    ytd_q = ",\n    ".join(
        f"CAST(sum(quota) FILTER (WHERE period_start < {ends[k]}) AS DECIMAL(14, 2)) AS q{k}"
        for k in range(1, 5))
    sums = ",\n    ".join(
        f"sum(CASE WHEN qn <= {k} THEN {earn(f'q{k}')} ELSE 0 END) AS s{k}" for k in range(1, 5))
    counts = ",\n    ".join(f"count(*) FILTER (WHERE spif AND qn = {k}) AS n{k}" for k in range(1, 5))
    cap = _lit(plan.cap_per_year) if plan.cap_per_year is not None else None

    def capped(k: int) -> str:
        s = f"coalesce(s{k}, 0)"
        return f"least({s}, {cap})" if cap else s

    rows = "\nUNION ALL\n".join(
        f"SELECT payee_id, {k} AS quarter, "
        f"CAST(({capped(k)} - {capped(k - 1) if k > 1 else '0'}) * 100 AS BIGINT) AS commission, "
        f"CAST(coalesce(n{k}, 0) * {_lit(plan.spif_amount)} * 100 AS BIGINT) AS spif FROM payouts"
        for k in range(1, 5))
    return f"""
WITH ytd_quota AS (
  SELECT payee_id,
    {ytd_q}
  FROM quotas WHERE period_start >= {ends[0]} AND period_start < {ends[4]}
  GROUP BY payee_id
),
credited AS (
  SELECT payee_id, date, transaction_id,
    CAST(CASE WHEN {_sql_filter(plan.measure_filter)} THEN amount ELSE 0 END AS DECIMAL(15, 2)) AS v,
    {_sql_filter(plan.spif_filter)} AS spif
  FROM tx WHERE date >= {ends[0]} AND date < {ends[4]}
),
running AS (
  SELECT payee_id, quarter(date) AS qn, spif, v,
    CAST(sum(v) OVER (PARTITION BY payee_id ORDER BY date, transaction_id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DECIMAL(15, 2)) AS after
  FROM credited
),
earned AS (
  SELECT payee_id,
    {sums},
    {counts}
  FROM (SELECT *, after - v AS before FROM running) JOIN ytd_quota USING (payee_id)
  GROUP BY payee_id
),
payouts AS (SELECT * FROM ytd_quota LEFT JOIN earned USING (payee_id))
SELECT payee_id, quarter, commission, spif, commission + spif AS total FROM (
{rows}
) ORDER BY payee_id, quarter
"""


def duckdb_load(tx: pa.Table, quotas: pa.Table):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads=1")
    con.register("tx_arrow", tx)
    con.register("quotas_arrow", quotas)
    con.execute("CREATE TABLE tx AS SELECT * FROM tx_arrow")
    con.execute("CREATE TABLE quotas AS SELECT * FROM quotas_arrow")
    con.unregister("tx_arrow")
    con.unregister("quotas_arrow")
    return con


def duckdb_check_round_even(con) -> None:
    """round_even must be exact half-even on DECIMAL (older DuckDB expanded it through DOUBLE)."""
    rng = np.random.default_rng(1)
    units = rng.integers(0, 10**12, 2000) * 1000 + rng.choice([500, 499, 501, 0, 250], 2000)
    xs = [D(int(u)).scaleb(-5) for u in units]
    got = con.execute("SELECT round_even(CAST(x AS DECIMAL(18, 5)), 2) AS r, typeof(r) AS t "
                      "FROM (SELECT unnest(?::VARCHAR[]) AS x)", [[str(x) for x in xs]]).fetchall()
    for x, (r, t) in zip(xs, got):
        want = x.quantize(D("0.01"), rounding=decimal.ROUND_HALF_EVEN)
        if not t.startswith("DECIMAL") or D(r) != want:
            raise SystemExit(f"duckdb round_even({x}, 2) = {r} ({t}), expected {want}: this DuckDB "
                             f"does not round DECIMALs exactly half-even; use DuckDB >= 2.0")


def duckdb_run(con, sql: str) -> pa.Table:
    rel = con.sql(sql)
    return rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()


# --------------------------------------------------------------------------------------------
# polars
# --------------------------------------------------------------------------------------------

def _scale_of(xs) -> int:
    return max((max(0, -x.normalize().as_tuple().exponent) for x in xs), default=0)


def polars_load(tx: pa.Table, quotas: pa.Table):
    import polars as pl
    # Exact integer cents: the decimal's unscaled value.
    txp = pl.from_arrow(tx).with_columns((pl.col("amount") * 100).cast(pl.Int64).alias("cents"))
    qp = pl.from_arrow(quotas).with_columns((pl.col("quota") * 100).cast(pl.Int64).alias("cents"))
    return txp, qp


def polars_run(plan: PeerPlan, txp, qp):
    import polars as pl
    # Tier bounds in units of 1/F cent, F = 10^(decimals of the bound fractions): integers.
    f_exp = _scale_of([t[0] for t in plan.tiers] + [t[1] for t in plan.tiers if t[1] is not None])
    F = 10 ** f_exp
    r_exp = _scale_of([t[2] for t in plan.tiers])  # rate fractions as integers / 10^r_exp
    R = 10 ** r_exp
    divisor = F * R  # base (1/F cent) x rate_int / (F x R) = cents

    def half_even_div(x, d: int):
        q = x // d
        r = x - q * d
        up = (2 * r > d) | ((2 * r == d) & (q % 2 == 1))
        return q + up.cast(pl.Int64)

    def filt(fl: dict[str, list[str]]):
        e = pl.lit(True)
        for col, vals in fl.items():
            e = e & pl.col(col).cast(pl.String).fill_null("").is_in(vals)
        return e

    def earn(q):
        after = pl.col("after") * F
        before = pl.col("before") * F
        total = pl.lit(0, pl.Int64)
        for k, (lo, hi, rate) in enumerate(plan.tiers):
            a = before if k == 0 else pl.max_horizontal(before, q * int(lo * F))
            b = pl.min_horizontal(after, q * int(hi * F)) if hi is not None else after
            base = (b - a).clip(lower_bound=0)
            total = total + half_even_div(base * int(rate * R), divisor)
        return total

    lo_d, hi_d = QUARTER_STARTS[0], QUARTER_STARTS[4]
    ytd = (qp.lazy()
           .filter((pl.col("period_start") >= lo_d) & (pl.col("period_start") < hi_d))
           .group_by("payee_id")
           .agg([pl.col("cents").filter(pl.col("period_start") < QUARTER_STARTS[k]).sum().alias(f"q{k}")
                 for k in range(1, 5)]))
    credited = (txp.lazy()
                .filter((pl.col("date") >= lo_d) & (pl.col("date") < hi_d))
                .select("payee_id", "date", "transaction_id",
                        pl.when(filt(plan.measure_filter)).then(pl.col("cents")).otherwise(0).alias("v"),
                        filt(plan.spif_filter).alias("spif"),
                        pl.col("date").dt.quarter().alias("qn"))
                .collect())
    # Canonical order (date, then transaction_id) by two stable single-key sorts, run eagerly:
    # in a lazy query the optimizer fuses them into one multi-key sort with a string key, which
    # is 5-6x slower single-threaded. The running total is then taken per payee in that order
    # (no sort by payee needed).
    ordered = credited.sort("transaction_id").sort("date", maintain_order=True)
    run = (ordered.lazy()
           .with_columns(pl.col("v").cum_sum().over("payee_id").alias("after"))
           .with_columns((pl.col("after") - pl.col("v")).alias("before"))
           .join(ytd, on="payee_id", how="inner")
           .group_by("payee_id")
           .agg([pl.when(pl.col("qn") <= k).then(earn(pl.col(f"q{k}"))).otherwise(0).sum().alias(f"s{k}")
                 for k in range(1, 5)]
                + [(pl.col("spif") & (pl.col("qn") == k)).sum().cast(pl.Int64).alias(f"n{k}")
                   for k in range(1, 5)]))
    cap = int(plan.cap_per_year * 100) if plan.cap_per_year is not None else None
    spif = int(plan.spif_amount * 100)

    def capped(k):
        s = pl.col(f"s{k}").fill_null(0)
        return pl.min_horizontal(s, cap) if cap is not None else s

    pay = ytd.select("payee_id").join(run, on="payee_id", how="left").collect().lazy()
    parts = []
    for k in range(1, 5):
        comm = capped(k) - (capped(k - 1) if k > 1 else 0)
        parts.append(pay.select(
            "payee_id", pl.lit(k, pl.Int32).alias("quarter"), comm.cast(pl.Int64).alias("commission"),
            (pl.col(f"n{k}").fill_null(0) * spif).cast(pl.Int64).alias("spif")))
    out = (pl.concat(parts)
           .with_columns((pl.col("commission") + pl.col("spif")).alias("total"))
           .sort("payee_id", "quarter"))
    return out.collect()


# --------------------------------------------------------------------------------------------
# libspm
# --------------------------------------------------------------------------------------------

def spm_available() -> bool:
    try:
        import spm.comp
        return hasattr(spm.comp, "run") and hasattr(spm.comp, "Plan")
    except ImportError:
        return False


def spm_load(tx: pa.Table, quotas: pa.Table):
    import spm
    return spm.from_arrow(tx), spm.from_arrow(quotas)


def spm_run(plan, txs, qs):
    import spm.comp
    return spm.comp.run(plan, txs, qs, str(YEAR), threads=1)


def spm_payouts(plan: PeerPlan, result) -> dict[tuple[str, int], tuple[int, int, int]]:
    st = result.statements.to_arrow()
    cols = {c: st.column(c).to_pylist() for c in ("payee_id", "period", "component", "payout")}
    out: dict[tuple[str, int], list[int]] = {}
    slot = {plan.commission_id: 0, plan.spif_id: 1, "TOTAL": 2}
    for p, per, comp, pay in zip(cols["payee_id"], cols["period"], cols["component"], cols["payout"]):
        cents = pay * 100
        if cents != cents.to_integral_value():
            raise SystemExit(f"libspm payout {pay} for {p} {per} {comp} is not whole cents")
        out.setdefault((p, LABELS.index(per) + 1), [0, 0, 0])[slot[comp]] = int(cents)
    return {k: tuple(v) for k, v in out.items()}


def rejects_count(result) -> int:
    return result.rejects.to_arrow().num_rows


# --------------------------------------------------------------------------------------------
# By hand (Python decimal), for disagreements
# --------------------------------------------------------------------------------------------

def by_hand(plan: PeerPlan, tx: pa.Table, quotas: pa.Table, payee: str) -> dict[int, tuple[D, D, D]]:
    """One payee's payout per quarter, transaction by transaction, with Python's decimal."""
    cent = D("0.01")
    ctx = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN)
    mask = pc.equal(tx.column("payee_id"), payee)
    rows = tx.filter(mask).to_pylist()
    rows = [r for r in rows if QUARTER_STARTS[0] <= r["date"] < QUARTER_STARTS[4]]
    rows.sort(key=lambda r: (r["date"], r["transaction_id"].encode()))
    qrows = quotas.filter(pc.equal(quotas.column("payee_id"), payee)).to_pylist()
    qby = {r["period_start"]: r["quota"] for r in qrows}

    def passes(r, f):
        return all((str(r.get(c)) if r.get(c) is not None else "") in vals for c, vals in f.items())

    paid_comm = D(0)
    out = {}
    for k in range(1, 5):
        end = QUARTER_STARTS[k]
        Q = sum((qby[QUARTER_STARTS[j]] for j in range(k)), D(0))
        S = D(0)
        cum = D(0)
        nspif_q = 0
        for r in rows:
            if r["date"] >= end:
                break
            if passes(r, plan.spif_filter) and r["date"] >= QUARTER_STARTS[k - 1]:
                nspif_q += 1
            if not passes(r, plan.measure_filter):
                continue
            before, after = cum, cum + r["amount"]
            cum = after
            for t, (lo, hi, rate) in enumerate(plan.tiers):
                a = before if t == 0 else max(before, lo * Q)
                b = min(after, hi * Q) if hi is not None else after
                if b > a:
                    S += ctx.multiply(b - a, rate).quantize(cent, context=ctx)
        capped = min(S, plan.cap_per_year) if plan.cap_per_year is not None else S
        comm = capped - paid_comm
        paid_comm += comm
        spif = plan.spif_amount * nspif_q
        out[k] = (comm, spif, comm + spif)
    return out


# --------------------------------------------------------------------------------------------

def as_map(t) -> dict[tuple[str, int], tuple[int, int, int]]:
    d = t.to_dict(as_series=False) if hasattr(t, "to_dict") and not isinstance(t, pa.Table) else t.to_pydict()
    return {(p, int(q)): (int(c), int(s), int(tot))
            for p, q, c, s, tot in zip(d["payee_id"], d["quarter"], d["commission"], d["spif"], d["total"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transactions", type=int, default=10_000_000)
    ap.add_argument("--payees", type=int, default=0, help="default: min(10000, max(10, N/1000))")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--wait-spm", type=float, default=0.0,
                    help="seconds to wait for spm.comp to become importable (it is being added)")
    args = ap.parse_args()
    n = args.transactions
    payees = args.payees or min(10_000, max(10, n // 1000))
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)

    plan_text = PLAN_PATH.read_text()
    plan = read_peer_plan(plan_text)

    t0 = time.perf_counter()
    tx, quotas = generate(n, payees, args.seed)
    print(f"data: {n:,} transactions, {payees:,} payees, {quotas.num_rows:,} quota rows, "
          f"generated in {time.perf_counter() - t0:.1f} s (seed {args.seed})", flush=True)
    print(f"machine: {os.cpu_count()} CPUs, {cpu_name()}; python {platform.python_version()}; "
          f"runs {args.runs}, median; every tool single-threaded", flush=True)

    results: dict[str, dict] = {}

    # DuckDB
    import duckdb
    t0 = time.perf_counter()
    con = duckdb_load(tx, quotas)
    load = time.perf_counter() - t0
    duckdb_check_round_even(con)
    sql = duckdb_sql(plan)
    med, all_t, out = timed(lambda: duckdb_run(con, sql), args.runs)
    results["duckdb"] = {"load": load, "run": med, "all": all_t, "map": as_map(out),
                         "version": duckdb.__version__}
    con.close()
    del con, out
    print(f"duckdb {duckdb.__version__}: load {load:.3f} s, run {med:.3f} s "
          f"({', '.join(f'{x:.3f}' for x in all_t)})", flush=True)

    # polars
    import polars as pl
    assert pl.thread_pool_size() == 1, pl.thread_pool_size()
    t0 = time.perf_counter()
    txp, qp = polars_load(tx, quotas)
    load = time.perf_counter() - t0
    med, all_t, out = timed(lambda: polars_run(plan, txp, qp), args.runs)
    results["polars"] = {"load": load, "run": med, "all": all_t, "map": as_map(out),
                         "version": pl.__version__}
    del txp, qp, out
    print(f"polars {pl.__version__}: load {load:.3f} s, run {med:.3f} s "
          f"({', '.join(f'{x:.3f}' for x in all_t)})", flush=True)

    # libspm
    deadline = time.time() + args.wait_spm
    while not spm_available() and time.time() < deadline:
        time.sleep(30)
    have_spm = spm_available()
    if have_spm:
        import spm
        import spm.comp
        splan = spm.comp.Plan.from_json(plan_text)
        t0 = time.perf_counter()
        txs, qs = spm_load(tx, quotas)
        load = time.perf_counter() - t0
        med, all_t, out = timed(lambda: spm_run(splan, txs, qs), args.runs)
        nrej = rejects_count(out)
        results["libspm"] = {"load": load, "run": med, "all": all_t,
                             "map": spm_payouts(plan, out), "version": spm.__version__}
        print(f"libspm {spm.__version__}: from_arrow {load:.3f} s, run {med:.3f} s "
              f"({', '.join(f'{x:.3f}' for x in all_t)}); {out.lines.num_rows if hasattr(out.lines, 'num_rows') else '?'} "
              f"lines, {nrej} rejects", flush=True)
        del out, txs, qs
    else:
        print("libspm: spm.comp is not available (build/install spm first); compared peers only",
              flush=True)

    # Agreement
    names = list(results)
    ref = results[names[0]]["map"]
    agree = True
    expected = payees * 4
    for name in names:
        m = results[name]["map"]
        if len(m) != expected:
            print(f"{name}: {len(m)} payee-quarters, expected {expected}")
            agree = False
    keys = sorted(set().union(*(results[x]["map"].keys() for x in names)))
    diffs = [k for k in keys if len({results[x]["map"].get(k) for x in names}) != 1]
    if diffs:
        agree = False
        print(f"DISAGREEMENT on {len(diffs)} payee-quarters (commission, spif, total in cents):")
        for k in diffs[:5]:
            hand = by_hand(plan, tx, quotas, k[0])[k[1]]
            print(f"  {k[0]} {LABELS[k[1] - 1]}: by hand {tuple(str(x) for x in hand)}; " +
                  "; ".join(f"{x} {results[x]['map'].get(k)}" for x in names))
    if not have_spm:
        agree = False
    totals = {x: sum(v[2] for v in results[x]["map"].values()) for x in names}
    print(f"checked {len(keys):,} payee-quarters; total payout "
          + ", ".join(f"{x} {D(t) / 100:,}" for x, t in totals.items()))

    # A sample checked by hand too (cheap: a few payees).
    for payee in sorted({k[0] for k in keys})[:2]:
        hand = by_hand(plan, tx, quotas, payee)
        for k in range(1, 5):
            cents = tuple(int(x * 100) for x in hand[k])
            if results[names[0]]["map"].get((payee, k)) != cents:
                agree = False
                print(f"  by-hand check: {payee} {LABELS[k - 1]} by hand {cents}, "
                      f"{names[0]} {results[names[0]]['map'].get((payee, k))}")

    print(f"{'tool':<8} {'load s':>8} {'run s':>8} {'run vs libspm':>14}")
    base = results["libspm"]["run"] if have_spm else None
    for x in names:
        r = results[x]
        ratio = f"{r['run'] / base:13.2f}x" if base else "            -"
        print(f"{x:<8} {r['load']:8.3f} {r['run']:8.3f} {ratio}")
    spm_s = results["libspm"]["run"] if have_spm else float("nan")
    duck_s = results["duckdb"]["run"]
    pol_s = results["polars"]["run"]
    speedup = min(duck_s, pol_s) / spm_s if have_spm else float("nan")
    print(f"RESULT agree={'true' if agree else 'false'} transactions={n} spm_s={spm_s:.3f} "
          f"duckdb_s={duck_s:.3f} polars_s={pol_s:.3f} speedup_vs_best_peer={speedup:.2f}")


if __name__ == "__main__":
    sys.exit(main())
