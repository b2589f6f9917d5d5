"""Exact check of the neighbourhood of a territory the solver leaves outside its bands.

Solves a generated instance (one restart), takes the territory with the largest excess, and
collects it and the territories within --hops steps of it on the territory graph (and --extra
more, each the neighbour that brings the region's totals nearest their targets). It then
lists every connected set of units in that region whose sums are within every band (by
enumerating connected subgraphs, ESU), and searches for an exact cover of the region by as
many of those sets as it has territories (Knuth's algorithm X). "none" proves that the region
cannot be re-partitioned into balanced contiguous territories: the excess has to be carried
beyond it.

    .venv/bin/python benchmarks/peers/territory_region_check.py --units 1000 --seed 7 --hops 1
"""
from __future__ import annotations

import argparse
import collections
import sys
import time

import numpy as np

import territory_failure


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hops", type=int, default=1)
    ap.add_argument("--extra", type=int, default=0, help="territories added beyond the hops, nearest the targets")
    ap.add_argument("--max-sets", type=int, default=2_000_000, help="give up above this many balanced sets")
    a = ap.parse_args()

    f = territory_failure.solve(a.units, a.seed)
    if f is None:
        return 0
    t, act, adj, around = f.t, f.act, f.adj, f.around
    n, target, lo, hi = len(t), f.target, f.lo, f.hi
    excess = collections.Counter()
    for v in f.result.violations:
        excess[v["territory"]] += v["excess"]
    worst = excess.most_common(1)[0][0]

    region = {worst}
    for _ in range(a.hops):
        region |= around(region)
    # Then --extra more neighbours, each the one that brings the region's totals nearest target.
    for _ in range(a.extra):

        def offset(c: int) -> float:
            rr = list(region | {c})
            return float(np.max(np.abs(act[np.isin(t, rr)].sum(axis=0) / (len(rr) * target) - 1)))

        region.add(min(sorted(around(region)), key=offset))
    units = sorted(i for i in range(n) if t[i] in region)
    inside = set(units)
    r = len(region)
    off = act[units].sum(axis=0) / (r * target) - 1
    dev = act[t == worst].sum(axis=0) / target * 100 - 100
    print(f"worst territory {worst}: deviations % {np.round(dev, 2).tolist()}")
    print(f"region: {r} territories, {len(units)} units, offset of its totals % {np.round(100 * off, 2).tolist()}")

    # Every connected balanced set (ESU: each connected set once, from its smallest unit).
    start = time.time()
    order = {v: k for k, v in enumerate(units)}
    sets: list[tuple[int, ...]] = []

    def grow(root: int, sub: list[int], ext: list[int], total: np.ndarray, near: set[int]) -> None:
        if np.all(total >= lo):
            sets.append(tuple(sorted(sub)))
        ext = list(ext)
        while ext and len(sets) <= a.max_sets:
            w = ext.pop()
            nt = total + act[w]
            if np.any(nt > hi):
                continue
            more = [u for u in adj[w] if u in inside and order[u] > order[root] and u not in near]
            sub.append(w)
            grow(root, sub, ext + more, nt, near | adj[w] | {w})
            sub.pop()

    sys.setrecursionlimit(100_000)
    for v in units:
        grow(v, [v], [u for u in adj[v] if u in inside and order[u] > order[v]], act[v].copy(), adj[v] | {v})
    if len(sets) > a.max_sets:
        print(f"more than {a.max_sets} balanced connected sets: too many for the exact cover")
        return 0
    print(f"balanced connected sets: {len(sets)} ({time.time() - start:.1f} s)")

    # Exact cover by r of them (algorithm X, the unit with fewest usable sets first).
    start = time.time()
    cover = collections.defaultdict(list)
    for k, s in enumerate(sets):
        for v in s:
            cover[v].append(k)
    chosen: list[int] = []

    def search(left: set[int], used: set[int]) -> bool:
        if not left:
            return len(chosen) == r
        if len(chosen) >= r:
            return False
        v = min(left, key=lambda u: sum(1 for k in cover[u] if used.isdisjoint(sets[k])))
        for k in cover[v]:
            if not used.isdisjoint(sets[k]):
                continue
            chosen.append(k)
            if search(left - set(sets[k]), used | set(sets[k])):
                return True
            chosen.pop()
        return False

    found = search(set(units), set())
    print(f"exact cover by {r} balanced contiguous territories: {'found' if found else 'none'} "
          f"({time.time() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
