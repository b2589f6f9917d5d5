"""Territory balancing: libspm `spm.territory.balance` vs the exact MIP (HiGHS) and spopt.

Instances: `spm.territory.generate_instance(kind="uniform")`, the commercial territory design
benchmark after Rios-Mercado and Fernandez (2009): points uniform in [0, 500]^2, three measures
(customers, demand, workload) drawn uniformly, adjacency = the Gabriel graph, tau = 0.05 on every
measure, p about n / 15. Seeds and sizes below; every figure is for one machine, one run.

What is measured:

1. Exact optimum (small n). The balanced, contiguous p-median as a MIP, built directly with
   highspy's HighsLp and solved by HiGHS: centres among the units (y_j = x_jj binary), x_ij = 1
   when unit i is served by centre j; sum_j x_ij = 1; x_ij <= x_jj; sum_j x_jj = p; per centre j
   and measure a, (1 - tau) mu_a x_jj <= sum_i w_ai x_ij <= (1 + tau) mu_a x_jj with
   mu_a = total_a / p; objective sum d_ij x_ij (Euclidean). Contiguity by a,b-separator cuts
   (Validi, Buchanan and Lykhovyd 2022, "CUT"), generated row by row: solve, find every
   territory piece S that does not hold its centre (in the final solution and in every improving
   solution HiGHS reported on the way), add x_ij <= sum_{k in N(S)} x_kj for i in S and for
   every centre j outside S and its boundary N(S) (a path from i to j inside j's territory must
   cross N(S)), solve again, until the solution is contiguous. Each round's optimum is a lower
   bound on the contiguous optimum; the last one is the optimum (HiGHS mip_rel_gap 1e-4). A
   Shirabe (2005) single-commodity flow formulation was tried first: on n = 60, p = 4 its bound
   was still 5% below the incumbent after 120 s, while the cuts close n = 40 in seconds. When
   the time limit ends a round, the line says so with the best lower bound and the best
   contiguous solution seen (libspm's or one of HiGHS's), and the gap between them. Each round
   starts from the best contiguous solution known (libspm's when feasible, with the medoids as
   centres, or one HiGHS found): it satisfies every cut, so it only helps pruning. Every MIP
   solution is verified in Python here, independently of the model: each unit once, p centres,
   every measure of every territory within its band, every territory one piece over the
   adjacency, the objective recomputed from the distances, equal to the medoid p-median and to
   `spm.territory.evaluate(...).p_median`.
   gap = (libspm p_median - optimum) / optimum, on the instances solved to optimality where
   libspm was feasible.
2. libspm `balance(inst, p)` (contiguity on, seed 1, default restarts): status, the largest
   relative deviation over measures and territories (recomputed here), the p-median
   (`metrics.p_median`: distances to each territory's medoid), time.
3. spopt on the same instances: `RegionKMeansHeuristic` (region k-means on the coordinates,
   contiguous over the same Gabriel graph: what spopt offers for compact regions) and `Skater`
   on the three measures with a floor of 0.8 n / p units per region. Neither balances sums of
   activity (spopt's max-p takes a threshold but not a fixed p); their largest deviation from
   total / p and their medoid p-median (same definition as libspm's) are reported beside.
4. libspm time at n = 1,000, p = 20 and n = 10,000, p = 100 (contiguity on; median of --runs).
5. libspm feasible share over --seeds seeds for n in {100, 500, 1000}, p = round(n / 15), with
   --time-limit seconds a solve if given (a solve the limit stopped on an assignment that breaks
   nothing counts as feasible; the line says how many were stopped).

The libspm solver is being improved (docs/territory.md): infeasible answers are reported as
they are. --quick: the MIP on n = 40 (two seeds), one timing run, 5 seeds for the share with
a 30 s limit a solve (at this commit one n = 1,000, p = 67 solve takes about 5 minutes).

Usage: .venv/bin/python benchmarks/peers/territory.py [--quick] [--seeds 10] [--runs 3]
       [--mip-sizes 40x3,45x3,60x4] [--mip-seeds 3] [--mip-time-limit 120] [--time-limit S]
The last line printed is
RESULT feasible_share=<x> mean_gap_vs_exact=<x> spm_max_imbalance=<x> spopt_max_imbalance=<x>
n1000_s=<x> n10000_s=<x>
(spm_ and spopt_max_imbalance: the largest relative deviation from total / p over the
comparison instances of parts 1 and 3; spopt's is region k-means'.)
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from peer_timing import cpu_name, timed

import spm
import spm.territory as st

TAU = 0.05


def make(n: int, p: int, seed: int) -> st.Instance:
    return st.generate_instance(units=n, territories=p, seed=seed, kind="uniform", tolerance=TAU)


def distances(inst: st.Instance) -> np.ndarray:
    pts = np.stack([inst.x, inst.y], axis=1)
    return np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))


def max_imbalance(inst: st.Instance, labels: np.ndarray, p: int) -> float:
    """max over territories and measures of |activity / (total / p) - 1| (empty: 1)."""
    w = inst.activity
    sums = np.zeros((p, w.shape[1]))
    np.add.at(sums, labels, w)
    return float(np.abs(sums / (w.sum(axis=0) / p) - 1).max())


def medoid_p_median(inst: st.Instance, labels: np.ndarray) -> float:
    """Sum over regions of the smallest sum of distances from one member to all the others."""
    pts = np.stack([inst.x, inst.y], axis=1)
    total = 0.0
    for t in np.unique(labels):
        mem = pts[labels == t]
        d = np.sqrt(((mem[:, None, :] - mem[None, :, :]) ** 2).sum(-1))
        total += d.sum(axis=1).min()
    return total


def pieces(n: int, edges: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The connected piece of every unit over the edges inside its territory."""
    e = edges[labels[edges[:, 0]] == labels[edges[:, 1]]]
    g = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    return connected_components(g, directed=False)[1]


def non_contiguous(n: int, edges: np.ndarray, labels: np.ndarray) -> int:
    comp = pieces(n, edges, labels)
    return sum(len(np.unique(comp[labels == t])) > 1 for t in np.unique(labels))


# --------------------------------------------------------------------------------------------
# The exact MIP (HiGHS)


class ExactMip:
    """The balanced, contiguous p-median with a,b-separator cuts generated round by round."""

    def __init__(self, inst: st.Instance, p: int, tau: float) -> None:
        import highspy

        self.hp = highspy
        self.inst, self.p, self.tau = inst, p, tau
        n = self.n = len(inst.x)
        self.d = distances(inst)
        self.edges = inst.edges.astype(np.int64)
        self.nbr = [[] for _ in range(n)]
        for a, b in self.edges:
            self.nbr[a].append(int(b))
            self.nbr[b].append(int(a))
        w = inst.activity.T  # (measures, units)
        mu = w.sum(axis=1) / p
        inf = highspy.kHighsInf
        rows, cols, vals, lo, hi = [], [], [], [], []

        def add(c, v, lower, upper):
            rows.append(np.full(len(c), len(lo)))
            cols.append(np.asarray(c, np.int64))
            vals.append(np.asarray(v, np.float64))
            lo.append(lower)
            hi.append(upper)

        units = np.arange(n)
        for i in range(n):  # every unit served once: x[i, j] is column i * n + j
            add(i * n + units, np.ones(n), 1, 1)
        for i in range(n):  # only by a centre
            for j in range(n):
                if i != j:
                    add([i * n + j, j * n + j], [1, -1], -inf, 0)
        add(units * n + units, np.ones(n), p, p)  # p centres
        for j in range(n):  # balance of the territory of centre j, per measure, both sides
            col = units * n + j
            for a in range(w.shape[0]):
                for lower, upper, f in ((-inf, 0.0, 1 + tau), (0.0, inf, 1 - tau)):
                    v = w[a].copy()
                    v[j] -= f * mu[a]
                    add(col, v, lower, upper)
        nx = n * n
        m = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(lo), nx))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = nx, len(lo)
        lp.col_cost_ = self.d.ravel()
        lp.col_lower_, lp.col_upper_ = np.zeros(nx), np.ones(nx)
        lp.row_lower_, lp.row_upper_ = np.array(lo), np.array(hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = m.indptr, m.indices, m.data
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = nx, len(lo)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * nx
        self.lp = lp
        self.seen: set[frozenset[int]] = set()

    def labels(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Centre of every unit, and the centres, from a MIP solution."""
        x = np.asarray(x[: self.n * self.n]).reshape(self.n, self.n)
        return x.argmax(axis=1), np.flatnonzero(np.diag(x) > 0.5)

    def cuts(self, x: np.ndarray) -> list[tuple[list[int], list[int]]]:
        """Separator cuts for every piece of a territory that does not hold its centre."""
        n, labels = self.n, self.labels(x)[0]
        comp = pieces(n, self.edges, labels)
        out = []
        for j in np.unique(labels):
            for c in np.unique(comp[labels == j]):
                if c == comp[j]:
                    continue
                s = frozenset(np.flatnonzero(comp == c).tolist())
                if s in self.seen:
                    continue
                self.seen.add(s)
                boundary = sorted({k for i in s for k in self.nbr[i]} - s)
                for centre in range(n):
                    if centre in s or centre in boundary:
                        continue
                    for i in s:
                        out.append(([i * n + centre] + [k * n + centre for k in boundary], [1] + [-1] * len(boundary)))
        return out

    def solve(self, time_limit: float, upper: tuple[float, np.ndarray] | None = None) -> dict:
        hp = self.hp
        h = quiet_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 1e-4)
        h.setOptionValue("threads", 1)
        h.passModel(self.lp)
        found: list[np.ndarray] = []
        h.cbMipImprovingSolution.subscribe(lambda e: found.append(np.array(e.data_out.mip_solution)))
        t0 = time.perf_counter()
        lower, rounds, added = 0.0, 0, 0
        best = upper  # (objective, centre of every unit) of the best contiguous solution known
        while True:
            rounds += 1
            found.clear()
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0:
                status = "time limit"
                break
            h.setOptionValue("time_limit", left)
            if best is not None:  # the best contiguous solution known satisfies every round's cuts
                sol = hp.HighsSolution()
                x0 = np.zeros(self.n * self.n)
                x0[np.arange(self.n) * self.n + best[1]] = 1.0
                sol.col_value = x0
                sol.value_valid = True
                h.setSolution(sol)
            h.run()
            ms, info = h.getModelStatus(), h.getInfo()
            if ms == hp.HighsModelStatus.kInfeasible:
                return {"status": "infeasible", "time": time.perf_counter() - t0, "rounds": rounds}
            x = np.asarray(h.getSolution().col_value)
            lower = max(lower, info.mip_dual_bound)
            for y in found + ([x] if ms == hp.HighsModelStatus.kOptimal else []):
                lab = self.labels(y)[0]
                if non_contiguous(self.n, self.edges, lab) == 0:
                    obj = float(self.d[np.arange(self.n), lab].sum())
                    if best is None or obj < best[0]:
                        best = (obj, lab)
            if ms != hp.HighsModelStatus.kOptimal:
                status = "time limit"
                break
            if non_contiguous(self.n, self.edges, self.labels(x)[0]) == 0:
                status = "optimal"  # the relaxation's optimum is contiguous: the optimum
                break
            new = self.cuts(x)
            for y in found:
                new += self.cuts(y)
            if not new:  # cannot happen: a piece once cut off cannot come back
                raise RuntimeError("a non-contiguous solution repeats a piece already cut off")
            starts = np.cumsum([0] + [len(c) for c, _ in new[:-1]]).astype(np.int32)
            idx = np.concatenate([np.asarray(c, np.int32) for c, _ in new])
            val = np.concatenate([np.asarray(v, np.float64) for _, v in new])
            h.addRows(len(new), np.full(len(new), -hp.kHighsInf), np.zeros(len(new)), len(idx), starts, idx, val)
            added += len(new)
        out = {"status": status, "time": time.perf_counter() - t0, "rounds": rounds, "cuts": added, "lower": lower}
        if status == "optimal":
            labels, centres = self.labels(x)
            out.update(objective=float(info.objective_function_value), x=x, labels=labels, centres=centres,
                       hi_gap=float(info.mip_gap))
        else:
            out["best"] = best
        return out

    def verify(self, r: dict) -> None:
        """Checks an optimal MIP solution against the problem's definition (not the model)."""
        n, p, inst = self.n, self.p, self.inst
        x = r["x"][: n * n].reshape(n, n)
        assert np.all(np.abs(x - np.round(x)) < 1e-6), "x is not binary"
        assert np.all(np.abs(x.sum(axis=1) - 1) < 1e-6), "a unit is not served exactly once"
        labels, centres = r["labels"], r["centres"]
        assert len(centres) == p and set(np.unique(labels)) == set(centres), "not p centres"
        assert np.all(labels[centres] == centres), "a centre is not in its own territory"
        w = inst.activity
        mu = w.sum(axis=0) / p
        for j in centres:
            dev = np.abs(w[labels == j].sum(axis=0) / mu - 1)
            assert np.all(dev <= self.tau + 1e-6), f"territory of {j}: deviation {dev.max():.4f}"
        assert non_contiguous(n, self.edges, labels) == 0, "a territory is in pieces"
        obj = float(self.d[np.arange(n), labels].sum())
        assert math.isclose(obj, r["objective"], rel_tol=1e-6), (obj, r["objective"])
        med = medoid_p_median(inst, labels)
        assert math.isclose(med, obj, rel_tol=1e-9), f"the centres are not the medoids: {obj} vs {med}"
        index = {c: t for t, c in enumerate(centres)}
        ev = st.evaluate(inst, np.array([index[c] for c in labels], dtype=np.int32), p, TAU)
        assert math.isclose(ev.p_median, obj, rel_tol=1e-9), (ev.p_median, obj)
        assert ev.max_deviation <= self.tau + 1e-6 and ev.non_contiguous == 0


def brute_force(inst: st.Instance, p: int, tau: float) -> float:
    """The balanced, contiguous p-median optimum of a tiny instance by enumerating every
    labelling (p^n of them): the check that the MIP and its cuts are right."""
    import itertools

    n, w = len(inst.x), inst.activity
    mu = w.sum(axis=0) / p
    edges = inst.edges.astype(np.int64)
    labels = np.array(list(itertools.product(range(p), repeat=n)), dtype=np.int64)
    ok = np.ones(len(labels), dtype=bool)
    for t in range(p):
        sums = (labels == t).astype(np.float64) @ w
        ok &= np.all(np.abs(sums / mu - 1) <= tau, axis=1)
    best = math.inf
    for lab in labels[ok]:
        if non_contiguous(n, edges, lab) == 0:
            best = min(best, medoid_p_median(inst, lab))
    return best


def quiet_highs():
    """A Highs object, without the banner it prints on creation."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


# --------------------------------------------------------------------------------------------
# libspm and spopt


def spm_run(inst: st.Instance, p: int, seed: int = 1, time_limit: float | None = None) -> dict:
    t0 = time.perf_counter()
    r = st.balance(inst, p, TAU, seed=seed, time_limit=time_limit)
    el = time.perf_counter() - t0
    # "stopped" with no violation: the time limit ended the search on a feasible assignment.
    status = "feasible*" if r.status == "stopped" and not r.violations else r.status
    return {"status": status, "time": el, "p_median": r.metrics.p_median, "labels": r.assignment,
            "centre": np.asarray(r.metrics.centre),
            "imbalance": max_imbalance(inst, r.assignment, p), "violations": len(r.violations),
            "pieces": non_contiguous(len(inst.x), inst.edges.astype(np.int64), r.assignment)}


def spopt_runs(inst: st.Instance, p: int, skater: bool = True) -> dict:
    import libpysal
    import pandas as pd
    from spopt.region import RegionKMeansHeuristic, Skater

    n = len(inst.x)
    nbr = {i: [] for i in range(n)}
    for a, b in inst.edges:
        nbr[int(a)].append(int(b))
        nbr[int(b)].append(int(a))
    w = libpysal.weights.W(nbr, silence_warnings=True)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        rkm = RegionKMeansHeuristic(np.stack([inst.x, inst.y], axis=1), p, w, seed=0)
        rkm.solve()
        out["region_kmeans"] = (np.asarray(rkm.labels_), time.perf_counter() - t0)
        if skater:
            df = pd.DataFrame(inst.activity, columns=list(inst.measures))
            t0 = time.perf_counter()
            sk = Skater(df, w, list(inst.measures), n_clusters=p, floor=int(0.8 * n / p))
            sk.solve()
            out["skater"] = (np.asarray(sk.labels_), time.perf_counter() - t0)
    res = {}
    for name, (labels, el) in out.items():
        _, labels = np.unique(labels, return_inverse=True)
        res[name] = {"time": el, "regions": int(labels.max()) + 1, "imbalance": max_imbalance(inst, labels, p),
                     "p_median": medoid_p_median(inst, labels),
                     "pieces": non_contiguous(n, inst.edges.astype(np.int64), labels)}
    return res


def version(name: str) -> str:
    try:
        from importlib.metadata import version as v

        return v(name)
    except Exception:  # noqa: BLE001
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="MIP on n = 40 only, one timing run, 5 seeds")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per size for the feasible share (10)")
    ap.add_argument("--runs", type=int, default=None, help="timed runs at n = 1,000 and 10,000 (3)")
    ap.add_argument("--mip-sizes", default=None, help="n x p of the exact comparison (40x3,45x3,60x4)")
    ap.add_argument("--mip-seeds", type=int, default=None, help="seeds per MIP size (3)")
    ap.add_argument("--mip-time-limit", type=float, default=120.0, help="seconds per MIP instance")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per libspm solve in the feasible share (none; --quick: 30)")
    args = ap.parse_args()
    if args.quick and args.time_limit is None:
        args.time_limit = 30.0
    seeds = args.seeds or (5 if args.quick else 10)
    runs = args.runs or (1 if args.quick else 3)
    mip_sizes = [tuple(int(v) for v in s.split("x")) for s in
                 (args.mip_sizes or ("40x3" if args.quick else "40x3,45x3,60x4")).split(",")]
    mip_seeds = args.mip_seeds or (2 if args.quick else 3)

    print(f"machine: {cpu_name()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"libspm {spm.__version__}, highspy {version('highspy')}, spopt {version('spopt')}, "
          f"libpysal {version('libpysal')}")
    print(f"instances: uniform (Rios-Mercado and Fernandez 2009), tau = {TAU}, Gabriel adjacency\n")

    # 0. The MIP against enumeration on tiny instances (a wider band, so that some labellings fit).
    # (These two need 2 and 3 rounds of cuts: the cuts are exercised.)
    for n, p, tau, seed in ((14, 2, 0.25, 5), (12, 3, 0.3, 2)):
        inst = st.generate_instance(units=n, territories=p, seed=seed, tolerance=tau)
        mip = ExactMip(inst, p, tau)
        r = mip.solve(60.0)
        mip.verify(r)
        brute = brute_force(inst, p, tau)
        if not math.isclose(r["objective"], brute, rel_tol=1e-4):
            raise SystemExit(f"MIP {r['objective']} != enumeration {brute} on n={n} p={p}")
    print("0. the MIP (with its cuts) gives the enumerated optimum on n=14 p=2 and n=12 p=3 (tau 0.25 / 0.3)\n")

    # 1-3. Exact optimum, libspm and spopt on small instances.
    print("1. exact MIP (HiGHS, separator cuts) vs libspm vs spopt, p-median objective")
    print(f"{'n':>4} {'p':>3} {'seed':>4} | {'MIP':<10} {'optimum':>9} {'s':>6} {'rnd':>3} | {'libspm':<10} "
          f"{'p-median':>9} {'gap':>7} {'maxdev':>6} {'s':>5} | {'rkmeans dev':>11} {'p-med/opt':>9} | "
          f"{'skater dev':>10} {'p-med/opt':>9}")
    gaps, spm_devs, spopt_devs, notes = [], [], [], []
    for n, p in mip_sizes:
        for seed in range(1, mip_seeds + 1):
            inst = make(n, p, seed)
            s = spm_run(inst, p)
            spm_devs.append(s["imbalance"])
            mip = ExactMip(inst, p, TAU)
            upper = None
            if s["status"] == "feasible":  # libspm's answer as the MIP start: centres = medoids
                upper = (s["p_median"], s["centre"][s["labels"]].astype(np.int64))
            r = mip.solve(args.mip_time_limit, upper)
            peers = spopt_runs(inst, p)
            spopt_devs.append(peers["region_kmeans"]["imbalance"])
            if r["status"] == "optimal":
                mip.verify(r)
                opt = r["objective"]
                gap = (s["p_median"] - opt) / opt
                if s["status"] == "feasible":
                    gaps.append(gap)
                mip_txt = f"{'optimal':<10} {opt:9.1f}"
                gap_txt = f"{100 * gap:6.1f}%" if s["status"] == "feasible" else "   n/a"
            elif r["status"] == "time limit":
                best = r["best"]
                lo = r["lower"]
                ub = best[0] if best else math.nan
                notes.append(f"n={n} p={p} seed={seed}: time limit {args.mip_time_limit:.0f} s hit; "
                             f"optimum in [{lo:.1f}, {ub:.1f}] (gap {100 * (ub - lo) / lo:.1f}%); libspm "
                             f"{s['p_median']:.1f} is {100 * (s['p_median'] - lo) / lo:.1f}% above the bound")
                mip_txt = f"{'time limit':<10} {'>=' + format(lo, '.0f'):>9}"
                gap_txt = f"<={100 * (s['p_median'] - lo) / lo:4.0f}%" if s["status"] == "feasible" else "   n/a"
                opt = lo
            else:
                mip_txt = f"{r['status']:<10} {'':>9}"
                gap_txt, opt = "   n/a", math.nan
            rk, sk = peers["region_kmeans"], peers["skater"]
            print(f"{n:4d} {p:3d} {seed:4d} | {mip_txt} {r['time']:6.1f} {r['rounds']:3d} | {s['status']:<10} "
                  f"{s['p_median']:9.1f} {gap_txt:>7} {s['imbalance']:6.3f} {s['time']:5.2f} | "
                  f"{rk['imbalance']:11.3f} {rk['p_median'] / opt:9.3f} | "
                  f"{sk['imbalance']:10.3f} {sk['p_median'] / opt:9.3f}"
                  + ("" if sk["regions"] == p else f" ({sk['regions']} regions)"))
    print("   every optimal MIP solution verified: one centre per unit, p centres, all bands held, "
          "contiguous, objective = medoid p-median = spm.territory.evaluate")
    for line in notes:
        print("   " + line)

    # 4. Timing.
    print("\n2. libspm time, contiguity on (median of %d run%s)" % (runs, "s" if runs > 1 else ""))
    times = {}
    for n, p in ((1000, 20), (10000, 100)):
        inst = make(n, p, 1)
        med, all_t, r = timed(lambda: st.balance(inst, p, TAU, seed=1), runs)
        times[n] = med
        print(f"   n={n:>6,} p={p:>3}: {med:7.2f} s ({', '.join(f'{t:.2f}' for t in all_t)}); {r.status}, "
              f"max deviation {r.metrics.max_deviation:.3f}, {len(r.violations)} violations, "
              f"p-median {r.metrics.p_median:.0f}")
    big = make(1000, 67, 1)
    rk = spopt_runs(big, 67, skater=False)["region_kmeans"]
    print(f"   spopt region k-means at n=1,000 p=67 (no balance): {rk['time']:.2f} s, max deviation "
          f"{rk['imbalance']:.3f}")

    # 5. Feasible share.
    print(f"\n3. libspm feasible share, {seeds} seeds (1..{seeds}), p = round(n / 15), contiguity on"
          + (f", time limit {args.time_limit:g} s a solve (stopped with no violation counts as feasible)"
             if args.time_limit else ""))
    feasible = total = 0
    for n in (100, 500, 1000):
        p = round(n / 15)
        ok, stopped, devs, ts = 0, 0, [], []
        for seed in range(1, seeds + 1):
            s = spm_run(make(n, p, seed), p, time_limit=args.time_limit)
            ok += s["status"] in ("feasible", "feasible*")
            stopped += s["status"] in ("stopped", "feasible*")
            devs.append(s["imbalance"])
            ts.append(s["time"])
        feasible += ok
        total += seeds
        print(f"   n={n:>5} p={p:>3}: {ok}/{seeds} feasible; max deviation median {np.median(devs):.3f}, "
              f"worst {max(devs):.3f}; median {np.median(ts):.2f} s, longest {max(ts):.2f} s"
              + (f"; {stopped} stopped by the time limit" if stopped else ""))

    share = feasible / total
    mean_gap = float(np.mean(gaps)) if gaps else math.nan
    print(f"\nmean gap over {len(gaps)} instance(s) solved to optimality with libspm feasible")
    print(f"RESULT feasible_share={share:.3f} mean_gap_vs_exact={mean_gap:.4f} "
          f"spm_max_imbalance={max(spm_devs):.4f} spopt_max_imbalance={max(spopt_devs):.4f} "
          f"n1000_s={times[1000]:.3f} n10000_s={times[10000]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
