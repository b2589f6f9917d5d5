"""Set partitioning over generated balanced territories (column generation), for the generated
instances libspm's search does not balance.

A balanced partition is p territories, each connected and within every band, covering each unit
once. This script builds such territories as columns: the LP (HiGHS) covers each unit once with
p columns; slacks keep it feasible at a price per unit left uncovered. Columns cost nothing
(`--cost feasibility`: the LP's value is the units left uncovered, and it stops at 0) or their
p-median dispersion (`--cost p_median`: it goes on lowering the cost). Pricing looks for a
territory of negative reduced cost: first by randomized growth and border swaps guided by the
duals (fast), then, when those find nothing, exactly with CP-SAT around the units left uncovered
and those of highest dual, within --depth steps (widened up to --max-depth). With every unit
covered, HiGHS solves the integer exact cover over every column found; a cover found is checked
with spm.territory.evaluate. An LP that cannot cover every unit proves nothing by itself: the
pricing is exact only within its depth and for its roots.

Needs `pip install highspy ortools`. Usage:
    python benchmarks/peers/territory_colgen.py --seed 6 [--units 1000] [--cost p_median]
Last line: RESULT seed=<s> lp_uncovered=<x> lp_cost=<c> columns=<n> cover=<found|none|not_tried> seconds=<t>
"""
from __future__ import annotations

import argparse
import random
import sys
import time

import highspy
import numpy as np
from ortools.sat.python import cp_model

import spm
import territory_failure


class Territories:
    """Balanced connected sets of units: the pool of columns and the ways to make them."""

    def __init__(self, act, xy, p, adj, tau, compact):
        target = act.sum(axis=0) / p
        self.act, self.xy, self.adj = act, xy, adj
        self.compact = compact  # columns cost their p-median dispersion, else nothing
        self.lo, self.hi = (1 - tau) * target, (1 + tau) * target
        self.norm = act / target  # activity in units of the target: the bands are 1 +- tau
        self.nlo, self.nhi = self.lo / target, self.hi / target
        self.cols: list[tuple[int, ...]] = []
        self.seen: set[tuple[int, ...]] = set()

    def add(self, s) -> bool:
        key = tuple(sorted(int(u) for u in s))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.cols.append(key)
        return True

    def medoid(self, s) -> tuple[int, float]:
        """A territory's medoid and its p-median cost (distances from its units to the medoid)."""
        s = list(s)
        pts = self.xy[s]
        d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)).sum(axis=1)
        return s[int(d.argmin())], float(d.min())

    def cost(self, s) -> float:
        return self.medoid(s)[1] if self.compact else 0.0

    def dist(self, root, units):
        if not self.compact:
            return np.zeros(len(units))
        return np.sqrt(((self.xy[units] - self.xy[root]) ** 2).sum(axis=1))

    def connected(self, s) -> bool:
        return territory_failure.connected(s, self.adj)

    def grow(self, start, y, rng, weight, scale):
        """Grows from `start`, taking the neighbour that best fills the measures still short
        (plus `weight` x its dual less its distance to the start, over `scale`, plus noise)
        without passing a band; the set once balanced."""
        s, tot = [start], self.norm[start].copy()
        frontier = set(self.adj[start])
        while not np.all(tot >= self.nlo):
            cands = np.fromiter(frontier, dtype=np.int64)
            if not len(cands):
                return None
            cands = cands[np.all(tot + self.norm[cands] <= self.nhi, axis=1)]
            if not len(cands):
                return None
            need = np.maximum(self.nlo - tot, 0)
            nv = self.norm[cands]
            fit = nv @ need / (np.linalg.norm(need) + 1e-12) - 0.5 * np.linalg.norm(np.maximum(nv - need, 0), axis=1)
            noise = np.array([rng.random() for _ in range(len(cands))])
            value = y[cands] - self.dist(start, cands)
            best = int(cands[int(np.argmax(weight * value / scale + 10 * fit + 0.3 * noise))])
            s.append(best)
            tot += self.norm[best]
            frontier.discard(best)
            frontier.update(w for w in self.adj[best] if w not in s)
        return s

    def improve(self, s, y, steps=40):
        """Adds, drops and swaps of border units that raise the sum of (dual less distance to the
        medoid) while the set stays balanced and connected, best first; every set passed through."""
        if self.compact:
            y = y - self.dist(self.medoid(s)[0], np.arange(len(self.act)))
        s = set(s)
        tot = self.norm[list(s)].sum(axis=0)
        out = []
        for _ in range(steps):
            inside = np.fromiter(s, dtype=np.int64)
            front = np.fromiter({w for u in s for w in self.adj[u] if w not in s}, dtype=np.int64)
            moves = []  # (gain, unit out or -1, unit in or -1)
            ok = np.all(tot + self.norm[front] <= self.nhi, axis=1) & (y[front] > 1e-9)
            moves += [(y[v], -1, int(v)) for v in front[ok]]
            ok = np.all(tot - self.norm[inside] >= self.nlo, axis=1) & (y[inside] < -1e-9)
            moves += [(-y[u], int(u), -1) for u in inside[ok]]
            nt = tot[None, None, :] - self.norm[inside][:, None, :] + self.norm[front][None, :, :]
            gain = y[front][None, :] - y[inside][:, None]
            ok = np.all((nt >= self.nlo) & (nt <= self.nhi), axis=2) & (gain > 1e-9)
            moves += [(gain[a, b], int(inside[a]), int(front[b])) for a, b in zip(*np.nonzero(ok))]
            moves.sort(key=lambda m: -m[0])
            for _, u, v in moves[:30]:
                t = set(s)
                t.discard(u)
                if v >= 0:
                    t.add(v)
                if u >= 0 and (not t or not self.connected(t)):
                    continue
                if u >= 0:
                    tot = tot - self.norm[u]
                if v >= 0:
                    tot = tot + self.norm[v]
                s = t
                out.append(sorted(s))
                break
            else:
                break
        return out

    def exact(self, root, y, mu, depth, seconds):
        """CP-SAT: the connected sets holding `root`, within `depth` steps, inside the bands (made
        narrower by the rounding of activities to thousandths) with the largest sum of duals less
        distances to the root; every one found (the caller keeps those of negative reduced cost)."""
        dist = {root: 0}
        units = [root]
        for u in units:
            if dist[u] < depth:
                for v in self.adj[u]:
                    if v not in dist:
                        dist[v] = dist[u] + 1
                        units.append(v)
        m = cp_model.CpModel()
        z = {u: m.NewBoolVar("") for u in units}
        m.Add(z[root] == 1)
        for a in range(self.act.shape[1]):
            total = sum(int(round(self.act[u, a] * 1000)) * z[u] for u in units)
            m.Add(total >= int(np.ceil(self.lo[a] * 1000)) + len(units))
            m.Add(total <= int(np.floor(self.hi[a] * 1000)) - len(units))
        territory_failure.flow_connected(m, self.adj, units, lambda u: z[u], {root: 1})
        value = y[units] - self.dist(root, units)
        m.Maximize(sum(int(round(v * 10000)) * z[u] for u, v in zip(units, value)))
        found = []

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                found.append([u for u in units if self.Value(z[u])])

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = 1
        solver.Solve(m, Collect())
        return found


def cover_model(n, p, options):
    """HiGHS with a row per unit (covered once) and a count row (p columns), no columns yet."""
    h = highspy.Highs()
    for name, value in {"output_flag": False, **options}.items():
        h.setOptionValue(name, value)
    none = (np.array([], dtype=np.int32), np.array([], dtype=np.double))
    for _ in range(n):
        h.addRow(1.0, 1.0, 0, *none)
    h.addRow(float(p), float(p), 0, *none)
    return h


def add_column(h, n, col, cost):
    idx = np.array(list(col) + [n], dtype=np.int32)
    h.addCol(cost, 0.0, 1.0, len(idx), idx, np.ones(len(idx)))


class Master:
    """The LP: each unit covered once by p columns at their p-median cost; slacks of cost
    `penalty` a unit keep it feasible."""

    def __init__(self, n, p, penalty):
        self.n = n
        # primal simplex: columns come and the basis stays
        self.h = cover_model(n, p, {"presolve": "off", "simplex_strategy": 4, "time_limit": 60.0})
        for i in range(n):
            self.h.addCol(penalty, 0.0, highspy.kHighsInf, 1, np.array([i], dtype=np.int32), np.array([1.0]))
        for sign in (1.0, -1.0):
            self.h.addCol(penalty, 0.0, highspy.kHighsInf, 1, np.array([n], dtype=np.int32), np.array([sign]))
        self.slacks = n + 2

    def add(self, col, cost):
        add_column(self.h, self.n, col, cost)

    def solve(self):
        """(uncovered units, the columns' cost, unit duals, count dual, column values)."""
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # primal simplex can stall on this degenerate LP (seed 9): dual simplex from there
            self.h.setOptionValue("simplex_strategy", 1)
            self.h.setOptionValue("time_limit", highspy.kHighsInf)
            self.h.run()
            self.h.setOptionValue("simplex_strategy", 4)
            self.h.setOptionValue("time_limit", 60.0)
        sol = self.h.getSolution()
        v = np.asarray(sol.col_value)
        y = np.asarray(sol.row_dual)
        cost = self.h.getInfo().objective_function_value - self.h.getLp().col_cost_[: self.slacks] @ v[: self.slacks]
        return float(v[: self.n].sum()), float(cost), y[: self.n], y[self.n], v[self.slacks:]


def exact_cover(cols, costs, n, p, seconds):
    """p columns covering each of the n units once at the least cost (HiGHS MIP), or None."""
    h = cover_model(n, p, {"time_limit": seconds})
    for c, cost in zip(cols, costs):
        add_column(h, n, c, cost)
    for j in range(len(cols)):
        h.changeColIntegrality(j, highspy.HighsVarType.kInteger)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if h.getInfo().primal_solution_status != 2:
        return status, None
    x = np.asarray(h.getSolution().col_value)
    return status, [cols[j] for j in range(len(cols)) if x[j] > 0.5]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--tau", type=float, default=0.0499, help="bands (a little inside 0.05: a cover found is balanced)")
    ap.add_argument("--starts", type=int, default=300, help="growths a round, from the units of highest dual")
    ap.add_argument("--support", type=int, default=150, help="LP columns improved a round")
    ap.add_argument("--depth", type=int, default=5)
    ap.add_argument("--max-depth", type=int, default=8)
    ap.add_argument("--roots", type=int, default=30, help="exact pricings a round beyond the units left uncovered")
    ap.add_argument("--price-seconds", type=float, default=1.0)
    ap.add_argument("--cover-seconds", type=float, default=600)
    ap.add_argument("--time", type=float, default=1800, help="for the column generation")
    ap.add_argument("--cost", choices=["feasibility", "p_median"], default="feasibility",
                    help="what a column costs: nothing, or its dispersion")
    ap.add_argument("--penalty", type=float, help="LP cost of a unit left uncovered (1; 10000 with p_median)")
    args = ap.parse_args()
    t0 = time.time()
    inst = spm.territory.generate_instance(args.units, 0, seed=args.seed)
    act = np.asarray(inst.activity, dtype=float)
    n, p = len(act), inst.territories
    adj = territory_failure.adjacency(inst)
    xy = np.column_stack([np.asarray(inst.x, dtype=float), np.asarray(inst.y, dtype=float)])
    pool = Territories(act, xy, p, adj, args.tau, args.cost == "p_median")
    penalty = args.penalty or (10000.0 if pool.compact else 1.0)
    master = Master(n, p, penalty)
    costs: list[float] = []
    rng = random.Random(1)
    scale = 50.0  # distances against duals in the growth's choice

    def offer(s, y, mu):
        cost = pool.cost(s)
        if cost - y[s].sum() - mu < -1e-6 and pool.add(s):
            costs.append(cost)
            master.add(pool.cols[-1], cost)
            return 1
        return 0

    depth, seconds = args.depth, args.price_seconds
    while True:
        uncovered, cost, y, mu, x = master.solve()
        new = 0
        for u in sorted(range(n), key=lambda u: -y[u] - 0.5 * rng.random())[: args.starts]:
            for weight in (1.0, 3.0):
                s = pool.grow(u, y, rng, weight, scale)
                if s is not None:
                    new += sum(offer(t, y, mu) for t in [s] + pool.improve(s, y))
        support = list(np.flatnonzero(x > 1e-6))
        rng.shuffle(support)
        for j in support[: args.support]:
            new += sum(offer(t, y, mu) for t in pool.improve(pool.cols[j], y))
        if new == 0:
            cover = np.zeros(n)
            for j in np.flatnonzero(x > 1e-9):
                cover[list(pool.cols[j])] += x[j]
            short = [u for u in range(n) if cover[u] < 1 - 1e-6]
            high = [u for u in sorted(range(n), key=lambda u: -y[u]) if u not in short]
            for r in short + high[: args.roots]:
                new += sum(offer(s, y, mu) for s in pool.exact(r, y, mu, depth, seconds))
        fractional = int(np.sum((x > 1e-6) & (x < 1 - 1e-6)))
        print(f"LP {uncovered:.4f} uncovered, cost {cost:.1f}, {fractional} columns fractional, {len(pool.cols)} "
              f"columns (+{new}), depth {depth}, {time.time() - t0:.0f} s", flush=True)
        if time.time() - t0 > args.time or (uncovered < 1e-6 and not pool.compact):
            break
        if new == 0:
            if depth >= args.max_depth:
                break
            depth, seconds = depth + 1, min(2 * seconds, 8.0)
    result = "not_tried"
    if uncovered < 1e-6:
        status, chosen = exact_cover(pool.cols, costs, n, p, args.cover_seconds)
        result = "found" if chosen else "none"
        print(f"exact cover over {len(pool.cols)} columns: {status}, {result} ({time.time() - t0:.0f} s)", flush=True)
        if chosen:
            a = territory_failure.assignment(chosen, n)
            metrics = spm.territory.evaluate(inst, a, p)
            print(f"evaluate: max deviation {metrics.max_deviation}, outside {metrics.outside}", flush=True)
            np.save(f"territory_cover_{args.units}_{args.seed}.npy", a)
    print(f"RESULT seed={args.seed} lp_uncovered={uncovered:.4f} lp_cost={cost:.1f} columns={len(pool.cols)} cover={result} "
          f"seconds={time.time() - t0:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
