"""Deal forecasts: libspm `spm.forecast` vs scikit-learn and lifelines on real public sales data.

1. Win model, sales_win_loss (78,025 closed deals): stratified 5-fold CV (StratifiedKFold,
   shuffle, seed 0; the same folds for every tool) without the seven columns known only at close
   (passed to libspm as known_at_close). Numerics: Opportunity Amount USD, the two client sizes,
   Revenue From Client Past Two Years, Deal Size Category; categoricals: Supplies Subgroup,
   Supplies Group, Region, Route To Market, Competitor Type. libspm fit_win_model (l2=1, no
   calibration, threads=1) vs sklearn LogisticRegression (C=1, lbfgs, StandardScaler +
   OneHotEncoder in a ColumnTransformer: the same penalised objective as libspm's, so the
   probabilities should agree; its default tol=1e-4 stops early, so an info row refits at
   tol=1e-8) and HistGradientBoostingClassifier (defaults, ordinal-encoded categoricals as
   categorical_features). Metrics (mean over folds) by sklearn.metrics for every tool;
   spm.forecast.score is checked against them.
   What is timed (fit only, no prediction; each fit --fit-runs times per fold, the median per
   fold, then the median over the folds): libspm `fit_win_model(..., threads=1)` from the pandas
   frame (its conversion to Arrow and an spm.Table included) and from a pre-converted spm.Table
   (conversion untimed: the headline ratio); sklearn `Pipeline.fit` from the pandas frame (its
   ColumnTransformer encoding included: sklearn has no separate conversion step). Info rows:
   libspm with threads=2 (checked bit-identical to threads=1), sklearn LR at tol=1e-8, libspm
   with the leakage columns as features, and with isotonic calibration.
2. CRM (crm_sales_opportunities): time split (train closed before 2017-07-01, test closed from
   then on), categoricals product, sales_agent and account sector (missing -> its own level),
   libspm vs sklearn LR; libspm gets the whole frame (date and float columns it does not use
   included). Then a rolling backtest, `spm.forecast.backtest`: at each monthly cut (default
   2017-04-01 .. 2017-10-01) the deals open at the cut (engage_date < cut, close_date >= cut or
   empty; Prospecting deals have no engage_date, so they never count) get P(won within
   [cut, cut+30d)) from a model fitted on the deals closed before the cut times P(close within
   the window | open at its age) (Kaplan-Meier, odds moved by the Aalen-Johansen won share at
   that age). Amounts: the product's list price (products.csv, "GTX Pro" renamed "GTXPro"),
   int64; actual: close_value (Int64) of the deals won in the window. Per cut: expected vs
   actual total, the P10..P90 with independent deals (exact) and with the shared period factor
   (Monte Carlo, factor sd fitted leave-one-cut-out on the other cuts). crm_interval_coverage =
   the share of cuts whose actual is inside the period-factor P10..P90; the independent-deal
   coverage is printed beside it. Checked: forecast_window + bookings reproduce the backtest's
   quantiles; the calendar effect (quarter-start months) is shown with numbers.
3. Kaplan-Meier on the CRM durations as of 2017-12-31: libspm vs lifelines KaplanMeierFitter,
   max |survival difference| at every event time, and both timed.
4. Exact bookings distribution vs full enumeration of the 2^n outcomes (n <= 20 deals, seeded,
   integer amounts): max |pmf error|, and the P10/P50/P90 against the enumerated ones.

Data: ../shared/data next to the checkout, or the folder named by SPM_DATA_DIR (skips with a
message when absent). Peers: .venv/bin/pip install -r scripts/requirements-bench.txt. One thread
for the peers: OMP/OpenBLAS/MKL threads are set to 1 before numpy and scikit-learn are imported
(HistGradientBoosting's OpenMP and lbfgs's BLAS), pyarrow to one CPU; libspm's timed fits use
threads=1. forecast_window and backtest take no thread count (every core; same result).

Usage: .venv/bin/python benchmarks/peers/forecast.py [--runs 5] [--fit-runs 3] [--seed 0]
       [--cuts ISO,ISO,...]
The last line printed is (one line)
RESULT auc_spm=<x> auc_sklearn_lr=<x> auc_sklearn_hgb=<x> logloss_spm=<x> logloss_sklearn_lr=<x>
fit_speedup_vs_sklearn_lr=<x> km_max_abs_diff=<x> exact_max_abs_err=<x> crm_interval_coverage=<x>
(fit_speedup_vs_sklearn_lr: sklearn LR fit from pandas / libspm threads=1 fit from an spm.Table)
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # before numpy / scikit-learn are imported

import argparse
import gc
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from peer_timing import cpu_name, timed

OUTCOME = "Opportunity Result"
NUMERIC = ["Opportunity Amount USD", "Client Size By Revenue", "Client Size By Employee Count",
           "Revenue From Client Past Two Years", "Deal Size Category"]
CATEGORICAL = ["Supplies Subgroup", "Supplies Group", "Region", "Route To Market", "Competitor Type"]
KNOWN_AT_CLOSE = ["Elapsed Days In Sales Stage", "Sales Stage Change Count",
                  "Total Days Identified Through Closing", "Total Days Identified Through Qualified",
                  "Ratio Days Identified To Total Days", "Ratio Days Validated To Total Days",
                  "Ratio Days Qualified To Total Days"]
CRM_CATEGORICAL = ["product", "sales_agent", "sector"]
CRM_COLUMNS = dict(outcome="deal_stage", categorical=CRM_CATEGORICAL, created="engage_date",
                   closed="close_date")
MISSING = "(missing)"  # libspm's level for an empty categorical; the sklearn frames fill it in
WINDOW = 30          # days; the monthly cuts and this window are those of the earlier version
SCENARIOS = 20_000   # Monte Carlo scenarios of the backtest (its default)


def data_dir() -> Path | None:
    d = Path(os.environ.get("SPM_DATA_DIR") or Path(__file__).resolve().parents[3] / "shared" / "data")
    need = ("sales_win_loss/WA_Fn-UseC_-Sales-Win-Loss.csv", "crm_sales_opportunities/sales_pipeline.csv")
    return d if all((d / f).is_file() for f in need) else None


def lr_pipeline(numeric, categorical):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    parts = [("num", StandardScaler(), numeric)] if numeric else []
    parts.append(("cat", OneHotEncoder(handle_unknown="ignore"), categorical))
    return make_pipeline(ColumnTransformer(parts), LogisticRegression(C=1.0, max_iter=10_000))


def hgb_pipeline(numeric, categorical):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan)
    ct = ColumnTransformer([("cat", enc, categorical), ("num", "passthrough", numeric)])
    hgb = HistGradientBoostingClassifier(categorical_features=list(range(len(categorical))),
                                         random_state=0)
    return make_pipeline(ct, hgb)


def metrics(y, p) -> tuple[float, float]:
    from sklearn.metrics import log_loss, roc_auc_score
    return roc_auc_score(y, p), log_loss(y, p, labels=[0, 1])


def spm_proba(model, df) -> np.ndarray:
    s = model.predict(df)
    if len(s.rows) != len(df):
        raise SystemExit(f"libspm scored {len(s.rows)} of {len(df)} rows")
    return np.asarray(s.probability)


def time_fit(fit, runs: int):
    """Median of `runs` timed calls of fit (a garbage collection before each) and the last model."""
    times, m = [], None
    for _ in range(runs):
        m = None
        gc.collect()
        t0 = time.perf_counter()
        m = fit()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), m


def win_loss(path: Path, fit_runs: int) -> dict:
    import spm
    import spm.forecast as fc
    from sklearn.model_selection import StratifiedKFold
    w = pd.read_csv(path)
    y = (w[OUTCOME] == "Won").to_numpy(np.int64)
    print(f"win-loss: {len(w):,} closed deals ({y.sum():,} won), {w.duplicated().sum()} exact "
          f"duplicate rows kept; {len(NUMERIC)} numeric + {len(CATEGORICAL)} categorical features")
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(w, y))

    def spm_fit(data, numeric=NUMERIC, leak=KNOWN_AT_CLOSE, calibration="none", threads=1):
        return fc.fit_win_model(data, outcome=OUTCOME, numeric=numeric, categorical=CATEGORICAL,
                                known_at_close=leak, calibration=calibration, threads=threads)

    def sk_fit(pipe, data, yy, **params):
        return pipe(NUMERIC, CATEGORICAL).set_params(**params).fit(data, yy)

    tools = ("libspm (pandas)", "libspm (spm.Table)", "sklearn LR", "sklearn HGB",
             "libspm (Table, 2 thr)", "sklearn LR tol=1e-8", "libspm + leakage", "libspm isotonic")
    info = set(tools[4:])
    res = {k: {"auc": [], "ll": [], "fit": [], "iter": []} for k in tools}
    pdiff = pdiff8 = tdiff = thr_diff = score_diff = 0.0
    for tr, te in folds:
        train, test, ytr, yte = w.iloc[tr], w.iloc[te], y[tr], y[te]
        table = spm.from_arrow(pa.Table.from_pandas(train, preserve_index=False))  # untimed
        fits = (lambda: spm_fit(train), lambda: spm_fit(table),
                lambda: sk_fit(lr_pipeline, train, ytr), lambda: sk_fit(hgb_pipeline, train, ytr),
                lambda: spm_fit(table, threads=2),
                lambda: sk_fit(lr_pipeline, train, ytr, logisticregression__tol=1e-8),
                lambda: spm_fit(train, numeric=NUMERIC + KNOWN_AT_CLOSE, leak=()),
                lambda: spm_fit(train, calibration="isotonic"))
        p = {}
        for k, fit in zip(tools, fits):
            t, m = time_fit(fit, fit_runs)
            res[k]["fit"].append(t)
            if k.startswith("libspm"):
                p[k] = spm_proba(m, test)
                res[k]["iter"].append(m.iterations if m.converged else f"{m.iterations} (not converged)")
            else:
                p[k] = m.predict_proba(test)[:, 1]
                res[k]["iter"].append(int(np.atleast_1d(m[-1].n_iter_)[0]))
            auc, ll = metrics(yte, p[k])
            res[k]["auc"].append(auc)
            res[k]["ll"].append(ll)
        ref = p["libspm (pandas)"]
        pdiff = max(pdiff, float(np.max(np.abs(ref - p["sklearn LR"]))))
        pdiff8 = max(pdiff8, float(np.max(np.abs(ref - p["sklearn LR tol=1e-8"]))))
        tdiff = max(tdiff, float(np.max(np.abs(ref - p["libspm (spm.Table)"]))))
        thr_diff = max(thr_diff, float(np.max(np.abs(p["libspm (spm.Table)"]
                                                     - p["libspm (Table, 2 thr)"]))))
        s = fc.score(ref, yte)
        score_diff = max(score_diff, abs(s["auc"] - res["libspm (pandas)"]["auc"][-1]),
                         abs(s["log_loss"] - res["libspm (pandas)"]["ll"][-1]))
    print(f"fit times: median of {fit_runs} runs per fold, then the median over the 5 folds; libspm "
          f"threads=1 unless marked; sklearn single-threaded")
    print(f"{'tool':<22} {'AUC':>7} {'log-loss':>9} {'fit s (median)':>15}   fit s per fold")
    out = {}
    for k in tools:
        r = res[k]
        out[k] = {"auc": statistics.mean(r["auc"]), "ll": statistics.mean(r["ll"]),
                  "fit": statistics.median(r["fit"])}
        print(f"{k:<22} {out[k]['auc']:7.4f} {out[k]['ll']:9.4f} {out[k]['fit']:15.4f}   "
              + ", ".join(f"{x:.4f}" for x in r["fit"]) + ("  (info)" if k in info else ""))
    print(f"base rate log-loss {s['base_log_loss']:.4f} (last fold); iterations: libspm Newton "
          f"{res['libspm (pandas)']['iter']}, sklearn lbfgs {res['sklearn LR']['iter']}, at "
          f"tol=1e-8 {res['sklearn LR tol=1e-8']['iter']} (max_iter 10000), HGB "
          f"{res['sklearn HGB']['iter']}")
    print(f"check (same penalised objective): max |P(libspm) - P(sklearn LR)| over the test rows "
          f"{pdiff:.1e} at sklearn's default tol=1e-4, {pdiff8:.1e} at tol=1e-8; libspm from pandas "
          f"vs spm.Table {tdiff:.1e}; threads=1 vs threads=2 {thr_diff:.1e} (0 = bit-identical); "
          f"spm.forecast.score vs sklearn.metrics {score_diff:.1e}")
    return out


def load_crm(d: Path):
    pipe = pd.read_csv(d / "sales_pipeline.csv", parse_dates=["engage_date", "close_date"],
                       dtype={"close_value": "Int64"})  # whole currency units: exact, or it fails
    acc = pd.read_csv(d / "accounts.csv")[["account", "sector"]]
    prod = pd.read_csv(d / "products.csv")[["product", "sales_price"]]
    prod["product"] = prod["product"].replace({"GTX Pro": "GTXPro"})  # README: naming mismatch
    deals = pipe.merge(acc, on="account", how="left").merge(prod, on="product", how="left")
    if deals["sales_price"].isna().any():
        raise SystemExit("crm: a product without a list price")
    deals["amount"] = deals["sales_price"].astype(np.int64)
    return deals.drop(columns="sales_price")


def sk_frame(df):
    return df[CRM_CATEGORICAL].fillna(MISSING)


def crm_time_split(deals) -> dict:
    import spm.forecast as fc
    closed = deals[deals["deal_stage"].isin(["Won", "Lost"])]
    split = pd.Timestamp("2017-07-01")
    train, test = closed[closed["close_date"] < split], closed[closed["close_date"] >= split]
    ytr, yte = (train["deal_stage"] == "Won").to_numpy(int), (test["deal_stage"] == "Won").to_numpy(int)
    # The whole frames: engage_date/close_date (datetime64), close_value (Int64) and the other
    # unused columns must not reach the fit or the prediction (they used to fail on datetime64).
    m = fc.fit_win_model(train, outcome="deal_stage", categorical=CRM_CATEGORICAL, threads=1)
    lr = lr_pipeline([], CRM_CATEGORICAL).fit(sk_frame(train), ytr)
    out = {"libspm": metrics(yte, spm_proba(m, test)),
           "sklearn LR": metrics(yte, lr.predict_proba(sk_frame(test))[:, 1])}
    unused = ", ".join(f"{c} {t}" for c, t in deals.dtypes.items()
                       if c not in CRM_CATEGORICAL + ["deal_stage"])
    print(f"crm time split: train {len(train):,} deals closed before {split.date()} "
          f"({ytr.mean():.1%} won), test {len(test):,} closed from then on ({yte.mean():.1%} won); "
          f"categoricals {', '.join(CRM_CATEGORICAL)}; closed deals without a sector: "
          f"{int(closed['sector'].isna().sum())}; libspm fitted and scored on the whole frames "
          f"(unused columns {unused})")
    for k, (auc, ll) in out.items():
        print(f"  {k:<12} AUC {auc:.4f}  log-loss {ll:.4f}")
    return out


def crm_backtest(deals, cuts, window: int) -> float:
    import spm.forecast as fc
    from spm._io import to_pandas
    kw = dict(CRM_COLUMNS, window_days=window)
    t0 = time.perf_counter()
    b = fc.backtest(deals, cuts, amount="amount", actual_amount="close_value",
                    scenarios=SCENARIOS, seed=1, **kw)
    t_bt = time.perf_counter() - t0
    c, sm = to_pandas(b.cuts), b.summary
    # The money columns are exact decimals: as floats for the ratios printed here.
    for col in ("expected", "actual", "p5", "p10", "p90", "p95", "mc_p5", "mc_p10", "mc_p90", "mc_p95"):
        c[col] = c[col].astype(float)
    print(f"crm backtest (spm.forecast.backtest, {len(cuts)} cuts, window [cut, cut+{window}d), "
          f"{t_bt:.2f} s): deals open at each cut; amounts = list price (int64), actual = "
          f"close_value won in the window; indep = exact distribution, deals independent; mc = "
          f"Monte Carlo ({SCENARIOS:,} scenarios) with the period factor (sd fitted on the other cuts)")
    print(f"  {'cut':<10} {'open':>5} {'train':>5} {'#won':>4} {'AUC':>5} {'expected':>10} "
          f"{'actual':>10} {'bias':>6} {'indep P10':>10} {'indep P90':>10} {'in':>3} {'sd':>5} "
          f"{'mc P10':>10} {'mc P90':>10} {'in':>3} {'shift':>6}")
    for r in c.itertuples():
        print(f"  {str(r.cut):<10} {r.open_deals:5d} {r.train_deals:5d} {r.won_in_window:4d} "
              f"{r.auc:5.3f} {r.expected:10,.0f} {r.actual:10,.0f} {r.bias:+6.2f} {r.p10:10,.0f} "
              f"{r.p90:10,.0f} {'yes' if r.in_80 else 'no':>3} {r.period_sd:5.2f} {r.mc_p10:10,.0f} "
              f"{r.mc_p90:10,.0f} {'yes' if r.mc_in_80 else 'no':>3} {r.shift:+6.2f}")
    print(f"  P10..P90 coverage: independent deals {sm['coverage_80']:.3f}, with the period factor "
          f"{sm['mc_coverage_80']:.3f} (nominal 0.8); P5..P95: {sm['coverage_90']:.3f} / "
          f"{sm['mc_coverage_90']:.3f} (nominal 0.9); period_sd on every cut {sm['period_sd']:.3f}; "
          f"mean P10..P90 width / expected: independent {((c.p90 - c.p10) / c.expected).mean():.0%}, "
          f"period factor {((c.mc_p90 - c.mc_p10) / c.expected).mean():.0%}")
    print(f"  deal level (P(won in the window) vs won in the window): mean AUC {sm['mean_auc']:.3f}, "
          f"log-loss {sm['mean_log_loss']:.3f} vs the cut's base rate {sm['mean_base_log_loss']:.3f}; "
          f"totals: mean |error| {sm['mean_ape']:.1%} of actual, mean bias {sm['mean_bias']:+.1%}")

    # The same forecasts through the public parts: forecast_window, then bookings (a rounded
    # lattice has at most 2^16 points, as in the backtest) with the cut's period_sd; and the
    # calendar effect.
    qdiff, mean_gap, mc_over = 0.0, 0.0, []
    print(f"  calendar: {'cut':<10} {'closed in window':>16} {'won':>4} {'won age p50':>11} "
          f"{'won by deals engaged after the cut':>34}")
    for i, cut in enumerate(cuts):
        w = fc.forecast_window(deals, cut, **kw)
        op = deals.iloc[np.asarray(w.rows)].assign(p=np.asarray(w.p))
        args = dict(probability="p", amount="amount", max_points=1 << 16)
        ex = fc.bookings(op, method="exact", **args)
        mc = fc.bookings(op, method="monte_carlo", period_sd=float(c["period_sd"][i]),
                         scenarios=SCENARIOS, seed=1, **args)
        se, smc = (to_pandas(x.summary).set_index("group").loc["(all)"] for x in (ex, mc))
        qdiff = max(qdiff, *(abs(float(a) - float(c[b][i])) for a, b in
                             ((se.p10, "p10"), (se.p90, "p90"), (smc.p10, "mc_p10"), (smc.p90, "mc_p90"))))
        # The lattice's own mean (`mean` is always the exact one): amounts between points are split.
        lattice_mean = float((np.arange(len(ex.pmf)) * np.asarray(ex.pmf)).sum()) * float(ex.step)
        mean_gap = max(mean_gap, abs(lattice_mean - float(c["expected"][i])) / float(c["expected"][i]))
        mc_over.append(float(mc.mean / ex.mean) - 1)  # exact Decimal means
        # What happened in the window, from the data alone.
        t, e = pd.Timestamp(cut), pd.Timestamp(cut) + pd.Timedelta(days=window)
        in_w = op["close_date"].notna() & (op["close_date"] < e)
        won = op[in_w & (op["deal_stage"] == "Won")]
        new_won = deals[(deals["deal_stage"] == "Won") & (deals["close_date"] >= t)
                        & (deals["close_date"] < e) & ~(deals["engage_date"] < t)]
        print(f"            {cut:<10} {in_w.mean():16.1%} {len(won):4d} "
              f"{(t - won['engage_date']).dt.days.median():9.0f} d {len(new_won):34d}")
    quarter = c["cut"].map(lambda d: d.month in (1, 4, 7, 10)).to_numpy()
    closed_share = c["won_in_window"] / c["open_deals"]
    print(f"  quarter-start cuts ({int(quarter.sum())}): won in the window {closed_share[quarter].mean():.1%} "
          f"of the open deals, bias {c['bias'][quarter].mean():+.0%}, AUC {c['auc'][quarter].mean():.3f}; "
          f"other cuts ({int((~quarter).sum())}): {closed_share[~quarter].mean():.1%}, bias "
          f"{c['bias'][~quarter].mean():+.0%}, AUC {c['auc'][~quarter].mean():.3f}. The model sees only "
          f"a deal's age, not the calendar month: in this data deals open at a quarter start rarely "
          f"close in its first month (the month's wins come from deals engaged in it, which no "
          f"as-of forecast of open deals contains)")
    print(f"  check: forecast_window + bookings(exact / monte_carlo, max_points=2^16, the cut's "
          f"period_sd) reproduce the backtest's P10/P90 within {qdiff:,.0f}; the mean of bookings' "
          f"lattice distribution (amounts between points split between them) vs the backtest's exact "
          f"expected: up to {mean_gap:.1e}; the Monte Carlo mean differs from the exact mean by "
          f"{min(mc_over):.1%}..{max(mc_over):.1%} (the factor is centred to keep the mean)")
    return float(sm["mc_coverage_80"])


def km_vs_lifelines(deals, runs: int) -> float:
    import spm
    import spm.forecast as fc
    from lifelines import KaplanMeierFitter
    from spm._io import to_pandas
    d = fc.deal_durations(deals, as_of="2017-12-31", created="engage_date", outcome="deal_stage")
    days, obs = np.asarray(d.days), np.asarray(d.cause) > 0
    t_spm, _, km = timed(lambda: fc.kaplan_meier(days, obs), runs)
    t_ll, _, kmf = timed(lambda: KaplanMeierFitter().fit(days, event_observed=obs), runs)
    km = to_pandas(km)
    ev = km[km["events"] > 0]
    ll_ev = kmf.event_table.index[kmf.event_table["observed"] > 0].to_numpy(float)
    if not np.array_equal(ll_ev, ev["time"].to_numpy()):
        print(f"  note: event times differ: libspm {len(ev)}, lifelines {len(ll_ev)}")
    ref = kmf.survival_function_at_times(ev["time"].to_numpy()).to_numpy()
    diff = float(np.max(np.abs(ev["survival"].to_numpy() - ref)))
    print(f"kaplan-meier (crm as of 2017-12-31: {len(days):,} deals, {obs.sum():,} closed, "
          f"{len(km)} distinct times, {len(ev)} event times): libspm {t_spm * 1e3:.3f} ms, "
          f"lifelines {t_ll * 1e3:.3f} ms (median of {runs}); max |S diff| {diff:.2e}; "
          f"{spm.to_arrow(d.rejects).num_rows} rows rejected")
    return diff


def exact_vs_enumeration(seed: int) -> float:
    import spm.forecast as fc
    from spm._io import to_pandas
    rng = np.random.default_rng(seed)
    worst, q_bad, q_all, trials = 0.0, 0, 0, []
    for n in (1, 2, 3, 5, 8, 12, 16, 20, 20, 20):
        p = rng.uniform(0, 1, n)
        amount = rng.integers(1, 10_001, n)
        if len(trials) == 8:
            amount = amount // 250 * 250 + 250   # a common divisor: lattice step 250 or a multiple
        if len(trials) == 9:
            p[:3] = [0.0, 1.0, 1.0]              # deals lost or won for sure
        b = fc.bookings(pd.DataFrame({"p": p, "amount": amount}), probability="p",
                        amount="amount", method="exact")
        step = int(b.step)
        assert all(a % step == 0 for a in amount), (step, amount)
        masks = np.arange(1 << n, dtype=np.int64)
        bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
        prob = np.prod(np.where(bits, p, 1 - p), axis=1)
        totals = bits.astype(np.int64) @ (amount // step)
        ref = np.bincount(totals, weights=prob)
        pmf = np.asarray(b.pmf)
        size = max(len(ref), len(pmf))
        err = float(np.max(np.abs(np.pad(pmf, (0, size - len(pmf))) - np.pad(ref, (0, size - len(ref))))))
        worst = max(worst, err)
        summ = to_pandas(b.summary).iloc[0]
        cdf = np.cumsum(ref)
        for q, col in ((0.1, "p10"), (0.5, "p50"), (0.9, "p90")):
            k = int(np.flatnonzero((ref > 1e-16) & (cdf >= q - 1e-12))[0])
            q_all += 1
            q_bad += float(summ[col]) != k * step
        trials.append(f"n={n} step={step} err={err:.1e}")
    print(f"exact bookings vs enumeration ({len(trials)} seeded trials): max |pmf error| "
          f"{worst:.2e}; P10/P50/P90 differ in {q_bad} of {q_all}")
    print("  " + "; ".join(trials))
    return worst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of the Kaplan-Meier fits")
    ap.add_argument("--fit-runs", type=int, default=3, help="timed runs of each fit per fold")
    ap.add_argument("--seed", type=int, default=0, help="seed of the enumeration trials")
    ap.add_argument("--cuts", default=",".join(f"2017-{m:02d}-01" for m in range(4, 11)),
                    help="as-of cuts of the backtest (comma-separated ISO dates)")
    args = ap.parse_args()
    d = data_dir()
    if d is None:
        print("SKIP: the public sales data is absent (looked in ../shared/data next to the "
              "checkout, or $SPM_DATA_DIR); see the data README")
        return 0
    pa.set_cpu_count(1)
    import lifelines
    import sklearn
    import spm
    from threadpoolctl import threadpool_info
    pools = ", ".join(f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info())
    print(f"machine: {os.cpu_count()} CPUs, {cpu_name()}; python {platform.python_version()}; "
          f"libspm {spm.__version__}, scikit-learn {sklearn.__version__}, lifelines "
          f"{lifelines.__version__}, pandas {pd.__version__}, numpy {np.__version__}, pyarrow "
          f"{pa.__version__}; thread pools: {pools or 'none loaded'}; data {d}")
    wl = win_loss(d / "sales_win_loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv", args.fit_runs)
    lr, tab, pd_ = (wl[k]["fit"] for k in ("sklearn LR", "libspm (spm.Table)", "libspm (pandas)"))
    speedup = lr / tab
    tab_auc = wl["libspm (spm.Table)"]["auc"]
    print(f"fit speedup of libspm (threads=1) vs sklearn LR (default settings, Pipeline.fit from "
          f"pandas): {speedup:.2f}x with libspm from a pre-converted spm.Table (RESULT), "
          f"{lr / pd_:.2f}x with libspm from the pandas frame (conversion included); threads=2: "
          f"{lr / wl['libspm (Table, 2 thr)']['fit']:.2f}x; vs sklearn LR tol=1e-8 "
          f"{wl['sklearn LR tol=1e-8']['fit'] / tab:.2f}x; vs sklearn HGB "
          f"{wl['sklearn HGB']['fit'] / tab:.2f}x (spm.Table), {wl['sklearn HGB']['fit'] / pd_:.2f}x (pandas)")
    print(f"libspm - sklearn LR (mean over folds): AUC {tab_auc - wl['sklearn LR']['auc']:+.2e}, "
          f"log-loss {wl['libspm (spm.Table)']['ll'] - wl['sklearn LR']['ll']:+.2e} (vs tol=1e-8: "
          f"AUC {tab_auc - wl['sklearn LR tol=1e-8']['auc']:+.2e}, log-loss "
          f"{wl['libspm (spm.Table)']['ll'] - wl['sklearn LR tol=1e-8']['ll']:+.2e})")
    deals = load_crm(d / "crm_sales_opportunities")
    crm_time_split(deals)
    coverage = crm_backtest(deals, args.cuts.split(","), WINDOW)
    km_diff = km_vs_lifelines(deals, args.runs)
    exact_err = exact_vs_enumeration(args.seed)
    sp = wl["libspm (spm.Table)"]
    print(f"RESULT auc_spm={sp['auc']:.4f} auc_sklearn_lr={wl['sklearn LR']['auc']:.4f} "
          f"auc_sklearn_hgb={wl['sklearn HGB']['auc']:.4f} logloss_spm={sp['ll']:.4f} "
          f"logloss_sklearn_lr={wl['sklearn LR']['ll']:.4f} fit_speedup_vs_sklearn_lr={speedup:.2f} "
          f"km_max_abs_diff={km_diff:.2e} exact_max_abs_err={exact_err:.2e} "
          f"crm_interval_coverage={coverage:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
