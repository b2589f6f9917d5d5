"""Deal forecasts: libspm `spm.forecast` vs scikit-learn and lifelines on real public sales data.

1. Win model, sales_win_loss (78,025 closed deals): stratified 5-fold CV (StratifiedKFold,
   shuffle, seed 0; the same folds for every tool) without the seven columns known only at close
   (passed to libspm as known_at_close). Numerics: Opportunity Amount USD, the two client sizes,
   Revenue From Client Past Two Years, Deal Size Category; categoricals: Supplies Subgroup,
   Supplies Group, Region, Route To Market, Competitor Type. libspm fit_win_model (l2=1, no
   calibration) vs sklearn LogisticRegression (C=1, lbfgs, StandardScaler + OneHotEncoder in a
   ColumnTransformer: the same penalised objective as libspm's, so the probabilities should agree;
   its default tol=1e-4 stops early, so an info row refits at tol=1e-8) and
   HistGradientBoostingClassifier (defaults, ordinal-encoded categoricals as categorical_features).
   Metrics (mean over folds) by sklearn.metrics for every tool; spm.forecast.score is checked
   against them. Fit time: median over the folds, fit only (libspm from the pandas frame, so its
   conversion is included, and from a pre-converted spm.Table). Info lines: libspm with the
   leakage columns as features, and with isotonic calibration.
2. CRM (crm_sales_opportunities): time split (train closed before 2017-07-01, test closed from
   then on), categoricals product, sales_agent and account sector (missing -> its own level),
   libspm vs sklearn LR. Then interval coverage: at each as-of cut, every deal open at the cut
   (engage_date < cut, close_date >= cut or empty; Prospecting deals have no engage_date, so they
   never count) gets P(won in (cut, cut+30d]) = P(won) x P(close in the window | open at its age
   a), P(won) from a libspm model fitted on the deals closed before the cut, the second factor
   (S(a) - S(a+30)) / S(a-1) from kaplan_meier on deal_durations(as_of=cut) (durations in whole
   days; S(a-1) = P(duration >= a)). Amounts: the product's list price (products.csv, "GTX Pro"
   renamed "GTXPro"); bookings(method="exact") gives P10/P90 of the total, checked against the
   close_value actually won in the window by the deals open at the cut.
3. Kaplan-Meier on the CRM durations as of 2017-12-31: libspm vs lifelines KaplanMeierFitter,
   max |survival difference| at every event time, and both timed.
4. Exact bookings distribution vs full enumeration of the 2^n outcomes (n <= 20 deals, seeded,
   integer amounts): max |pmf error|, and the P10/P50/P90 against the enumerated ones.

Data: ../shared/data next to the checkout, or the folder named by SPM_DATA_DIR (skips with a
message when absent). Peers: .venv/bin/pip install -r scripts/requirements-bench.txt. One thread
everywhere: OMP/OpenBLAS/MKL threads are set to 1 before numpy and scikit-learn are imported
(HistGradientBoosting's OpenMP and lbfgs's BLAS), pyarrow to one CPU; libspm's fit is serial.

Usage: .venv/bin/python benchmarks/peers/forecast.py [--runs 5] [--seed 0] [--cuts ISO,ISO,...]
The last line printed is (one line)
RESULT auc_spm=<x> auc_sklearn_lr=<x> auc_sklearn_hgb=<x> logloss_spm=<x> logloss_sklearn_lr=<x>
fit_speedup_vs_sklearn_lr=<x> km_max_abs_diff=<x> exact_max_abs_err=<x> crm_interval_coverage=<x>
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # before numpy / scikit-learn are imported

import argparse
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
# fit_win_model and predict convert every column of the frame they are given and fail on a
# datetime64 column even when it is no feature ([arrow.type] 'tsn:'), so they get these only.
COLS = CRM_CATEGORICAL + ["deal_stage"]
MISSING = "(missing)"  # libspm's level for an empty categorical; the sklearn frames fill it in
WINDOW = 30


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


def win_loss(path: Path) -> dict:
    import spm
    import spm.forecast as fc
    from sklearn.model_selection import StratifiedKFold
    w = pd.read_csv(path)
    y = (w[OUTCOME] == "Won").to_numpy(np.int64)
    print(f"win-loss: {len(w):,} closed deals ({y.sum():,} won), {w.duplicated().sum()} exact "
          f"duplicate rows kept; {len(NUMERIC)} numeric + {len(CATEGORICAL)} categorical features")
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(w, y))

    def spm_fit(data, numeric=NUMERIC, leak=KNOWN_AT_CLOSE, calibration="none"):
        return fc.fit_win_model(data, outcome=OUTCOME, numeric=numeric, categorical=CATEGORICAL,
                                known_at_close=leak, calibration=calibration)

    def sk_fit(pipe, data, yy, **params):
        return pipe(NUMERIC, CATEGORICAL).set_params(**params).fit(data, yy)

    tools = ("libspm", "libspm (spm.Table)", "sklearn LR", "sklearn HGB", "sklearn LR tol=1e-8",
             "libspm + leakage", "libspm isotonic")
    res = {k: {"auc": [], "ll": [], "fit": [], "iter": []} for k in tools}
    pdiff = pdiff8 = tdiff = score_diff = 0.0
    for tr, te in folds:
        train, test, ytr, yte = w.iloc[tr], w.iloc[te], y[tr], y[te]
        table = spm.from_arrow(pa.Table.from_pandas(train, preserve_index=False))  # untimed
        fits = (lambda: spm_fit(train), lambda: spm_fit(table),
                lambda: sk_fit(lr_pipeline, train, ytr), lambda: sk_fit(hgb_pipeline, train, ytr),
                lambda: sk_fit(lr_pipeline, train, ytr, logisticregression__tol=1e-8),
                lambda: spm_fit(train, numeric=NUMERIC + KNOWN_AT_CLOSE, leak=()),
                lambda: spm_fit(train, calibration="isotonic"))
        p = {}
        for k, fit in zip(tools, fits):
            t0 = time.perf_counter()
            m = fit()
            res[k]["fit"].append(time.perf_counter() - t0)
            if k.startswith("libspm"):
                p[k] = spm_proba(m, test)
                res[k]["iter"].append(m.iterations if m.converged else f"{m.iterations} (not converged)")
            else:
                p[k] = m.predict_proba(test)[:, 1]
                res[k]["iter"].append(int(np.atleast_1d(m[-1].n_iter_)[0]))
            auc, ll = metrics(yte, p[k])
            res[k]["auc"].append(auc)
            res[k]["ll"].append(ll)
        pdiff = max(pdiff, float(np.max(np.abs(p["libspm"] - p["sklearn LR"]))))
        pdiff8 = max(pdiff8, float(np.max(np.abs(p["libspm"] - p["sklearn LR tol=1e-8"]))))
        tdiff = max(tdiff, float(np.max(np.abs(p["libspm"] - p["libspm (spm.Table)"]))))
        s = fc.score(p["libspm"], yte)
        score_diff = max(score_diff, abs(s["auc"] - res["libspm"]["auc"][-1]),
                         abs(s["log_loss"] - res["libspm"]["ll"][-1]))
    print(f"{'tool':<22} {'AUC':>7} {'log-loss':>9} {'fit s (median)':>15}   fit s per fold")
    out = {}
    for k in tools:
        r = res[k]
        out[k] = {"auc": statistics.mean(r["auc"]), "ll": statistics.mean(r["ll"]),
                  "fit": statistics.median(r["fit"])}
        info = "  (info)" if k in tools[4:] else ""
        print(f"{k:<22} {out[k]['auc']:7.4f} {out[k]['ll']:9.4f} {out[k]['fit']:15.3f}   "
              + ", ".join(f"{x:.3f}" for x in r["fit"]) + info)
    print(f"base rate log-loss {s['base_log_loss']:.4f} (last fold); iterations: libspm Newton "
          f"{res['libspm']['iter']}, sklearn lbfgs {res['sklearn LR']['iter']}, at tol=1e-8 "
          f"{res['sklearn LR tol=1e-8']['iter']} (max_iter 10000), HGB {res['sklearn HGB']['iter']}")
    print(f"check (same penalised objective): max |P(libspm) - P(sklearn LR)| over the test rows "
          f"{pdiff:.1e} at sklearn's default tol=1e-4, {pdiff8:.1e} at tol=1e-8; libspm from pandas "
          f"vs spm.Table {tdiff:.1e}; spm.forecast.score vs sklearn.metrics {score_diff:.1e}")
    return out


def load_crm(d: Path):
    pipe = pd.read_csv(d / "sales_pipeline.csv", parse_dates=["engage_date", "close_date"])
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
    m = fc.fit_win_model(train[COLS], outcome="deal_stage", categorical=CRM_CATEGORICAL)
    lr = lr_pipeline([], CRM_CATEGORICAL).fit(sk_frame(train), ytr)
    out = {"libspm": metrics(yte, spm_proba(m, test[CRM_CATEGORICAL])),
           "sklearn LR": metrics(yte, lr.predict_proba(sk_frame(test))[:, 1])}
    print(f"crm time split: train {len(train):,} deals closed before {split.date()} "
          f"({ytr.mean():.1%} won), test {len(test):,} closed from then on ({yte.mean():.1%} won); "
          f"categoricals {', '.join(CRM_CATEGORICAL)}; closed deals without a sector: "
          f"{int(closed['sector'].isna().sum())}")
    for k, (auc, ll) in out.items():
        print(f"  {k:<12} AUC {auc:.4f}  log-loss {ll:.4f}")
    return out


def survival_at(km: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    """The Kaplan-Meier step function at times t (1 before the first time)."""
    i = np.searchsorted(km["time"].to_numpy(), t, side="right")
    s = np.concatenate(([1.0], km["survival"].to_numpy()))
    return s[i]


def crm_coverage(deals, cuts) -> float:
    import spm.forecast as fc
    from spm._io import to_pandas
    print(f"crm interval coverage: P10..P90 of bookings in (cut, cut+{WINDOW}d] from deals open "
          f"at the cut (exact distribution, amounts = list price, actual = close_value won)")
    print(f"  {'cut':<10} {'open':>5} {'train':>5} {'E[#won]':>7} {'#won':>5} {'E[total]':>10} "
          f"{'P10':>9} {'P90':>9} {'actual':>9} {'in':>3} {'step':>4}")
    covered, n_dead, steps = 0, 0, set()
    for cut in cuts:
        c = pd.Timestamp(cut)
        end = c + pd.Timedelta(days=WINDOW)
        closed_before = deals[deals["close_date"] < c]
        m = fc.fit_win_model(closed_before[COLS], outcome="deal_stage", categorical=CRM_CATEGORICAL)
        d = fc.deal_durations(deals, as_of=cut, created="engage_date", outcome="deal_stage")
        km = to_pandas(fc.kaplan_meier(d.days, np.asarray(d.cause) > 0))
        open_ = deals[(deals["engage_date"] < c) &
                      (deals["close_date"].isna() | (deals["close_date"] >= c))].copy()
        age = (c - open_["engage_date"]).dt.days.to_numpy(float)
        s_before = survival_at(km, age - 1)
        dead = s_before <= 0  # every older deal had closed by this age: none to learn from
        p_close = np.where(dead, 1.0, (survival_at(km, age) - survival_at(km, age + WINDOW))
                           / np.where(dead, 1.0, s_before))
        open_["p"] = spm_proba(m, open_[CRM_CATEGORICAL]) * p_close
        b = fc.bookings(open_[["p", "amount"]], probability="p", amount="amount", method="exact")
        summ = to_pandas(b.summary).set_index("group").loc["(all)"]
        won = open_[(open_["deal_stage"] == "Won") & (open_["close_date"] > c) & (open_["close_date"] <= end)]
        actual = int(won["close_value"].sum())
        p10, p90 = float(summ["p10"]), float(summ["p90"])
        inside = p10 <= actual <= p90
        covered += inside
        print(f"  {cut:<10} {len(open_):5d} {m.rows_used:5d} {open_['p'].sum():7.1f} {len(won):5d} "
              f"{b.mean:10,.0f} {p10:9,.0f} {p90:9,.0f} {actual:9,d} {'yes' if inside else 'no':>3} "
              f"{str(b.step):>4}")
        n_dead += int(dead.sum())
        steps.add(str(b.step))
    print(f"  open deals older than every deal of the history (S(a-1) = 0, P(close) set to 1): "
          f"{n_dead}; lattice steps {sorted(steps)} (a step > 1 rounds the list prices to it, "
          f"half-even: the amounts' total exceeds max_points 2^20 at step 1)")
    return covered / len(cuts)


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
    ap.add_argument("--seed", type=int, default=0, help="seed of the enumeration trials")
    ap.add_argument("--cuts", default=",".join(f"2017-{m:02d}-01" for m in range(4, 11)),
                    help="as-of cuts for the interval coverage (comma-separated ISO dates)")
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
    wl = win_loss(d / "sales_win_loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv")
    speedup = wl["sklearn LR"]["fit"] / wl["libspm"]["fit"]
    print(f"fit speedup of libspm vs sklearn LR: {speedup:.2f}x from pandas, "
          f"{wl['sklearn LR']['fit'] / wl['libspm (spm.Table)']['fit']:.2f}x from an spm.Table; "
          f"vs sklearn HGB {wl['sklearn HGB']['fit'] / wl['libspm']['fit']:.2f}x")
    deals = load_crm(d / "crm_sales_opportunities")
    crm_time_split(deals)
    coverage = crm_coverage(deals, args.cuts.split(","))
    print(f"  coverage {coverage:.3f} (nominal 0.8 for a P10..P90 interval)")
    km_diff = km_vs_lifelines(deals, args.runs)
    exact_err = exact_vs_enumeration(args.seed)
    print(f"RESULT auc_spm={wl['libspm']['auc']:.4f} auc_sklearn_lr={wl['sklearn LR']['auc']:.4f} "
          f"auc_sklearn_hgb={wl['sklearn HGB']['auc']:.4f} logloss_spm={wl['libspm']['ll']:.4f} "
          f"logloss_sklearn_lr={wl['sklearn LR']['ll']:.4f} fit_speedup_vs_sklearn_lr={speedup:.2f} "
          f"km_max_abs_diff={km_diff:.2e} exact_max_abs_err={exact_err:.2e} "
          f"crm_interval_coverage={coverage:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
