"""Corner-first attempts on the generated instances the search leaves unbalanced (n = 1,000,
p = 67): balanced connected territories found exactly (CP-SAT) where the search fails, at a
corner of the square.

  cover  the k units nearest a corner by disjoint balanced connected territories; with --solve,
         lock them and let libspm's search do the rest.
  sweep  cut territories one at a time from a corner (snake order), each holding the first unit
         not yet taken and enclosing none of the others, and checking that the next one can
         still be cut (else the cut is forbidden and another sought). Stops at the first dead
         end.

Each territory is drawn from the units its root can share a balanced connected territory with
(the lightest path, per measure, within the band's upper end), so a cover's INFEASIBLE is exact
for what it asks; --solid (no units left enclosed: those not taken reach the units beyond the
pool) is not a condition every partition meets, so an INFEASIBLE with it proves nothing about
the instance. Needs ortools (CP-SAT)."""
from __future__ import annotations

import argparse
import heapq
import time

import numpy as np

import spm
from territory_failure import adjacency, assignment, connected, flow_connected


def reach(adj, act, src: int, hi, allowed: set[int]) -> set[int]:
    """The allowed units that can share a territory with src whose every measure stays at or
    below hi: for each measure, the lightest path from src (unit weights) is within hi."""
    ok = None
    for a in range(act.shape[1]):
        dist = {src: act[src, a]}
        heap = [(act[src, a], src)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for v in adj[u]:
                nd = d + act[v, a]
                if v in allowed and nd <= hi[a] and nd < dist.get(v, np.inf):
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
        ok = set(dist) if ok is None else ok & set(dist)
    return ok


def cover(adj, act, lo, hi, roots: list[int], remaining: set[int], solid: bool, forbid=(),
          time_limit: float = 60.0):
    """Disjoint connected territories with every measure in [lo, hi], together holding every
    unit of `roots`: territory k, if used, holds roots[k] and only roots after it (each
    territory is named by its first root). Returns (status, [territory units])."""
    from ortools.sat.python import cp_model
    K = len(roots)
    # The reach with a hair of room: summing in another order must not drop a unit.
    R = [reach(adj, act, r, hi * (1 + 1e-9), remaining) for r in roots]
    pool = sorted(set().union(*R))
    m = cp_model.CpModel()
    X = {(u, k): m.NewBoolVar("") for k in range(K) for u in R[k]}
    used = [X[roots[k], k] for k in range(K)]
    for u in pool:
        m.Add(sum(X[u, k] for k in range(K) if (u, k) in X) <= 1)
    for i, r in enumerate(roots):
        m.Add(sum(X[r, k] for k in range(i + 1) if (r, k) in X) == 1)
    # Thousandths, the band widened by a thousandth a unit so rounding cannot lose a solution.
    sc = np.rint(act * 1000).astype(np.int64)
    for k in range(K):
        for u in R[k]:
            m.AddImplication(X[u, k], used[k])
        for a in range(act.shape[1]):
            tot = sum(int(sc[u, a]) * X[u, k] for u in R[k])
            m.Add(tot >= int(np.floor(lo[a] * 1000)) - len(R[k])).OnlyEnforceIf(used[k])
            m.Add(tot <= int(np.ceil(hi[a] * 1000)) + len(R[k]))
        flow_connected(m, adj, R[k], lambda u, k=k: X[u, k], source={roots[k]: used[k]})
    for S in forbid:
        if S <= R[0]:
            m.Add(sum(X[u, 0] for u in S) <= len(S) - 1)
    if solid:
        inside = set(pool)
        free = {u: m.NewBoolVar("") for u in pool}
        for u in pool:
            m.Add(free[u] + sum(X[u, k] for k in range(K) if (u, k) in X) == 1)
        edge = {u for u in pool if any(v in remaining and v not in inside for v in adj[u])}
        flow_connected(m, adj, pool, lambda u: free[u], source={u: free[u] for u in edge})
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    st = solver.Solve(m)
    name = solver.StatusName(st)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, []
    return name, [{u for u in R[k] if solver.Value(X[u, k])} for k in range(K) if solver.Value(used[k])]


def corner_order(x, y, corner: int, strips: int) -> np.ndarray:
    """Units in snake order from a corner (0 bottom-left, then anticlockwise): strips of the
    square's width / strips, along each strip and back along the next."""
    fx = 500 - x if corner in (1, 2) else x
    fy = 500 - y if corner in (2, 3) else y
    s = np.minimum((fx / (500 / strips)).astype(int), strips - 1)
    return np.lexsort((np.where(s % 2 == 0, fy, 500 - fy), s))


def sweep(inst, corner: int, strips: int, tries: int, time_limit: float):
    act = np.asarray(inst.activity, dtype=float)
    adj = adjacency(inst)
    p = inst.territories
    target = act.sum(axis=0) / p
    tau = np.asarray(inst.tolerance)
    lo, hi = (1 - tau) * target, (1 + tau) * target
    rank = np.empty(len(act), dtype=int)
    rank[corner_order(np.asarray(inst.x), np.asarray(inst.y), corner, strips)] = np.arange(len(act))
    remaining = set(range(len(act)))
    cuts = []
    for k in range(p - 1):
        first = min(remaining, key=lambda u: rank[u])
        forbid = []
        while True:
            status, sets = cover(adj, act, lo, hi, [first], remaining, True, forbid, time_limit)
            if not sets:
                return cuts, f"territory {k}: no cut left ({status} after {len(forbid)} forbidden)"
            S = sets[0]
            rest = remaining - S
            nxt = min(rest, key=lambda u: rank[u])
            if k + 1 == p - 1:
                sums = act[list(rest)].sum(axis=0)
                ok = connected(rest, adj) and bool(np.all(sums >= lo) and np.all(sums <= hi))
            else:
                ok = bool(cover(adj, act, lo, hi, [nxt], rest, True, (), time_limit)[1])
            if ok:
                break
            forbid.append(S)
            if len(forbid) >= tries:
                return cuts, f"territory {k}: {tries} cuts tried, after none can the next be cut"
        cuts.append(S)
        remaining = rest
        print(f"  territory {k}: {len(S)} units ({len(forbid)} cuts forbidden first)", flush=True)
    cuts.append(remaining)
    return cuts, "every territory cut"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["cover", "sweep"])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corner", type=int, default=2, help="0 bottom-left, then anticlockwise")
    ap.add_argument("--k", type=int, default=5, help="cover: units nearest the corner to cover")
    ap.add_argument("--solid", action="store_true", help="cover: leave no units enclosed")
    ap.add_argument("--solve", action="store_true", help="cover: lock the territories, then libspm")
    ap.add_argument("--strips", type=int, default=8, help="sweep: strips of the snake order")
    ap.add_argument("--tries", type=int, default=20, help="sweep: cuts tried per territory")
    ap.add_argument("--time-limit", type=float, default=300.0, help="per CP-SAT call, seconds")
    args = ap.parse_args()
    inst = spm.territory.generate_instance(args.units, 0, seed=args.seed)
    act = np.asarray(inst.activity, dtype=float)
    x, y = np.asarray(inst.x), np.asarray(inst.y)
    p = inst.territories
    target = act.sum(axis=0) / p
    tau = np.asarray(inst.tolerance)
    t0 = time.time()
    if args.mode == "sweep":
        cuts, why = sweep(inst, args.corner, args.strips, args.tries, args.time_limit)
        done = len(cuts) == p
        if done:
            m = spm.territory.evaluate(inst, assignment(cuts, len(act)), p)
            why += f"; evaluate: {sum(b.outside for b in m.balance.values())} outside, " \
                   f"{m.non_contiguous} in pieces"
        print(f"RESULT mode=sweep seed={args.seed} corner={args.corner} territories={len(cuts)} "
              f"complete={str(done).lower()} s={time.time() - t0:.0f} ({why})")
        return
    cx, cy = (500 if args.corner in (1, 2) else 0), (500 if args.corner in (2, 3) else 0)
    roots = [int(u) for u in np.argsort(np.hypot(x - cx, y - cy))[:args.k]]
    status, sets = cover(adjacency(inst), act, (1 - tau) * target, (1 + tau) * target, roots,
                         set(range(len(act))), args.solid, (), args.time_limit)
    line = f"RESULT mode=cover seed={args.seed} corner={args.corner} k={args.k} " \
           f"solid={str(args.solid).lower()} status={status} territories={len(sets)} " \
           f"cover_s={time.time() - t0:.0f}"
    if sets and args.solve:
        t1 = time.time()
        res = spm.territory.balance(inst, p, locked=assignment(sets, len(act)), seed=1, threads=1)
        points = 100 * sum(v["excess"] for v in res.violations if v["measure"] != "contiguity")
        line += f" then={res.status} violations={len(res.violations)} points={points:.1f} " \
                f"solve_s={time.time() - t1:.0f}"
    print(line)


if __name__ == "__main__":
    main()
