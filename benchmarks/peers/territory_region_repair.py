"""Exact re-solve of the region around the territories a failed solve leaves outside their bands.

Solves a generated instance (one restart, as territory_region_check.py), takes the territories
outside a band and those within --hops steps of them on the territory graph, and hands that
region to OR-Tools CP-SAT: x[i, k] = 1 when unit i goes to territory k (its own territory or one
within --reach territory steps of it); every territory one piece (a single-commodity flow from
its root, each unit taking one: the root is the territory's first unit, or with --keep-medoids
its medoid, which then stays in it); every band either a constraint (--hard: "INFEASIBLE" proves
that no such re-partition of the region exists) or a slack to minimise (the default, in percent
points of the target, started from the solver's answer). It answers whether moving units inside
the region all at once can do what libspm's search could not.

    .venv/bin/python -m pip install ortools
    .venv/bin/python benchmarks/peers/territory_region_repair.py --units 1000 --seed 7 --hops 3 --hard --keep-medoids
"""
from __future__ import annotations

import argparse
import collections
import time

import numpy as np
from ortools.sat.python import cp_model

import territory_failure


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hops", type=int, default=2)
    ap.add_argument("--reach", type=int, default=1)
    ap.add_argument("--time", type=float, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep-medoids", action="store_true", help="each territory keeps its medoid")
    ap.add_argument("--hard", action="store_true", help="bands as constraints (a proof when infeasible)")
    a = ap.parse_args()

    f = territory_failure.solve(a.units, a.seed)
    if f is None:
        return 0
    inst, t, act, adj, around = f.inst, f.t, f.act, f.adj, f.around
    p, nm, target, lo, hi = inst.territories, act.shape[1], f.target, f.lo, f.hi

    def outside(assign: np.ndarray) -> np.ndarray:
        """Per territory and measure: percent points of the target outside the band."""
        loads = np.zeros((p, nm))
        np.add.at(loads, assign, act)
        return (np.maximum(0, lo - loads) + np.maximum(0, loads - hi)) / target * 100

    viol = outside(t)
    bad = [k for k in range(p) if viol[k].sum() > 0]
    print(f"broken: {bad}; violation points {viol.sum():.2f}")

    region = set(bad)
    for _ in range(a.hops):
        region |= around(region)
    units = [i for i in range(len(t)) if t[i] in region]
    terr = sorted(region)
    print(f"region: {len(terr)} territories, {len(units)} units, offset % "
          f"{np.round(100 * (act[units].sum(axis=0) / (len(terr) * target) - 1), 2).tolist()}")
    allowed = {}
    for i in units:
        near = {t[i]}
        for _ in range(a.reach):
            near |= around(near)
        allowed[i] = sorted(near & region)
    # The root of a territory's flow: its first unit (one root per partition: no symmetry), or
    # with --keep-medoids its medoid, which then stays in it (a smaller problem).
    root = {}
    for k in terr:
        mem = np.flatnonzero(t == k)
        if a.keep_medoids:
            xy = np.column_stack([np.asarray(inst.x)[mem], np.asarray(inst.y)[mem]]).astype(float)
            root[k] = int(mem[np.argmin(np.linalg.norm(xy[:, None] - xy[None], axis=2).sum(axis=1))])
        else:
            root[k] = int(mem[0])

    # Activities in thousandths. A sum of `big` rounded values is within big / 2 thousandths of
    # the true sum: --hard widens the bands by that much (so "INFEASIBLE" holds for the true
    # values), the default narrows them (so a solution found is within the true bands).
    # `big`: the most units a territory within its bands can hold (its smallest units first).
    S = 1000
    big = int(min(np.searchsorted(np.cumsum(np.sort(act[units, a_])), hi[a_], side="right")
                  for a_ in range(nm)))
    w = np.rint(act * S).astype(np.int64)
    margin = big // 2 + 1
    if a.hard:
        ilo = np.floor(lo * S).astype(np.int64) - margin
        ihi = np.ceil(hi * S).astype(np.int64) + margin
    else:
        ilo = np.ceil(lo * S).astype(np.int64) + margin
        ihi = np.floor(hi * S).astype(np.int64) - margin
    print(f"at most {big} units a territory")
    m = cp_model.CpModel()
    x = {}
    for i in units:
        for k in allowed[i]:
            x[i, k] = m.NewBoolVar(f"x{i}_{k}")
            m.AddHint(x[i, k], int(t[i] == k))
        m.AddExactlyOne(x[i, k] for k in allowed[i])
    # Each territory's flow starts at its root: the medoid, fixed (--keep-medoids), or else its
    # first unit (a variable, one per partition). A fixed root takes no flow in.
    r, supply = {}, {}
    if a.keep_medoids:
        for k in terr:
            m.Add(x[root[k], k] == 1)
    else:
        for (i, k), v in x.items():
            r[i, k] = m.NewBoolVar(f"r{i}_{k}")
            supply[i, k] = m.NewIntVar(0, big, f"s{i}_{k}")
            m.AddImplication(r[i, k], v)
            m.Add(supply[i, k] == 0).OnlyEnforceIf(r[i, k].Not())
            m.AddHint(r[i, k], int(i == root[k]))
        for k in terr:
            cand = [i for i in units if (i, k) in x]
            m.AddExactlyOne(r[i, k] for i in cand)
            for n_i, i in enumerate(cand):
                for j in cand[:n_i]:
                    m.AddImplication(r[i, k], x[j, k].Not())
    slack = []
    for k in terr:
        mem = [i for i in units if (i, k) in x]
        for a_ in range(nm):
            load = sum(int(w[i, a_]) * x[i, k] for i in mem)
            room = 0 if a.hard else int(ihi[a_])
            under = m.NewIntVar(0, room, f"u{k}_{a_}")
            over = m.NewIntVar(0, room, f"o{k}_{a_}")
            m.Add(load + under >= int(ilo[a_]))
            m.Add(load - over <= int(ihi[a_]))
            cur = int(sum(int(w[i, a_]) for i in units if t[i] == k))
            m.AddHint(under, min(room, max(0, int(ilo[a_]) - cur)))
            m.AddHint(over, min(room, max(0, cur - int(ihi[a_]))))
            # weight: points of target
            wt = int(round(1e5 / target[a_]))
            slack.append(wt * (under + over))
    fvars = {}
    inside = set(units)
    inflow = collections.defaultdict(list)
    outflow = collections.defaultdict(list)
    for (i, k) in list(x):
        for j in adj[i]:
            if j in inside and (j, k) in x and not (a.keep_medoids and j == root[k]):
                f = m.NewIntVar(0, big, f"f{i}_{j}_{k}")
                fvars[i, j, k] = f
                m.Add(f == 0).OnlyEnforceIf(x[i, k].Not())
                m.Add(f == 0).OnlyEnforceIf(x[j, k].Not())
                inflow[j, k].append(f)
                outflow[i, k].append(f)
    for (i, k), v in x.items():
        if a.keep_medoids and i == root[k]:
            continue
        source = supply[i, k] if supply else 0
        m.Add(sum(inflow[i, k]) - sum(outflow[i, k]) + source == v)
    # Hints: the current assignment's BFS-tree flows from the roots.
    hint = collections.defaultdict(int)
    for k in terr:
        mem = {i for i in units if t[i] == k}
        parent, order_, q = {root[k]: None}, [root[k]], collections.deque([root[k]])
        while q:
            u = q.popleft()
            for v in adj[u]:
                if v in mem and v not in parent:
                    parent[v] = u
                    order_.append(v)
                    q.append(v)
        size = {u: 1 for u in order_}
        for u in reversed(order_[1:]):
            size[parent[u]] += size[u]
            hint[parent[u], u, k] = size[u]
    for key, var in fvars.items():
        m.AddHint(var, hint[key])
    for (i, k), v in supply.items():
        m.AddHint(v, int((t[units] == k).sum()) if i == root[k] else 0)
    m.Minimize(sum(slack))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.time
    solver.parameters.num_workers = a.workers
    solver.parameters.repair_hint = True
    s = time.time()

    class CB(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            print(f"  {time.time() - s:6.1f} s: objective {self.ObjectiveValue() / 1e6:.3f} points", flush=True)

    st = solver.Solve(m, CB())
    print(f"status {solver.StatusName(st)} in {time.time() - s:.0f} s; bound {solver.BestObjectiveBound() / 1e6:.3f}")
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 1
    t2 = t.copy()
    for (i, k), v in x.items():
        if solver.Value(v):
            t2[i] = k
    viol2 = outside(t2)
    print(f"after: violation points {viol2.sum():.3f}, territories outside {int((viol2.sum(axis=1) > 0).sum())}, moved {int((t2 != t).sum())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
