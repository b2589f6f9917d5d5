"""A failed territory solve and its graphs, shared by the region scripts (imported from their folder)."""
from __future__ import annotations

import collections
import time
from dataclasses import dataclass

import numpy as np

import spm


@dataclass
class Failure:
    inst: object
    result: object
    t: np.ndarray  # territory per unit
    act: np.ndarray  # units x measures
    target: np.ndarray  # per measure: total / p
    lo: np.ndarray  # per measure: the band
    hi: np.ndarray
    adj: list  # unit -> adjacent units
    tadj: dict  # territory -> adjacent territories

    def around(self, ts: set[int]) -> set[int]:
        """The territories next to `ts`, not in it."""
        return {x for f in ts for x in self.tadj[f]} - ts


def adjacency(inst) -> list[set[int]]:
    """unit -> adjacent units, from the instance's edges."""
    adj = [set() for _ in range(len(inst.activity))]
    for i, j in np.asarray(inst.edges):
        adj[i].add(int(j))
        adj[j].add(int(i))
    return adj


def connected(units, adj) -> bool:
    """Whether the units (any iterable) are one piece over adj (empty: yes)."""
    units = set(units)
    if not units:
        return True
    start = next(iter(units))
    seen, stack = {start}, [start]
    while stack:
        for v in adj[stack.pop()]:
            if v in units and v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen) == len(units)


def assignment(territories, n: int) -> list[int]:
    """Territory per unit from the territories' unit sets (-1 for a unit in none)."""
    a = [-1] * n
    for k, units in enumerate(territories):
        for u in units:
            a[u] = k
    return a


def flow_connected(m, adj, units, member, source: dict) -> None:
    """CP-SAT constraints: every unit of `units` whose literal member(u) holds gets one unit of
    flow over edges between such units, from the sources (source[u]: a literal, or 1, for
    whether u may send), so each piece of members holds a source."""
    inside = set(units)
    big = len(units)
    arcs = [(u, v) for u in units for v in adj[u] if v in inside]
    f = {e: m.NewIntVar(0, big, "") for e in arcs}
    for (u, v) in arcs:
        m.Add(f[u, v] <= big * member(u))
        m.Add(f[u, v] <= big * member(v))
    for u in units:
        net = sum(f[v, u] for v in adj[u] if v in inside) - sum(f[u, v] for v in adj[u] if v in inside)
        if u in source:
            supply = m.NewIntVar(0, big, "")
            m.Add(supply <= big * source[u])
            m.Add(net + supply == member(u))
        else:
            m.Add(net == member(u))


def solve(units: int, seed: int) -> Failure | None:
    """Solves the generated instance with one restart (seed 1, one thread); None when balanced."""
    inst = spm.territory.generate_instance(units, 0, seed=seed)
    start = time.time()
    res = spm.territory.balance(inst, inst.territories, restarts=1, seed=1, threads=1)
    print(f"n={units} p={inst.territories} seed={seed}: {res.status}, {len(res.violations)} violations "
          f"({time.time() - start:.0f} s)")
    if res.feasible:
        return None
    t = np.asarray(res.assignment)
    act = np.asarray(inst.activity, dtype=float)
    target = act.sum(axis=0) / inst.territories
    tau = np.asarray(inst.tolerance)
    adj = adjacency(inst)
    tadj = collections.defaultdict(set)
    for i, j in np.asarray(inst.edges):
        if t[i] != t[j]:
            tadj[t[i]].add(t[j])
            tadj[t[j]].add(t[i])
    return Failure(inst, res, t, act, target, (1 - tau) * target, (1 + tau) * target, adj, tadj)
