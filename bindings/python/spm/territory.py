"""Territories for data teams: assign units (accounts, ZIP codes, bricks) to p territories that
are balanced on every measure, compact and contiguous, with locked units kept and few moves.
DataFrames or NumPy columns in; NumPy arrays and tables out.

::

    import spm.territory as st

    inst = st.generate_instance(units=1000, territories=20, seed=1)   # a seeded benchmark
    r = st.balance(inst, 20)                      # or st.balance(units_df, 20, edges=edges_df)
    r.status, r.violations                        # "feasible", or "infeasible" and each violation
    r.assignment                                  # territory per unit (NumPy int32)
    r.metrics.balance["demand"].max_deviation     # per measure: target, max_deviation, outside
    r.metrics.p_median, r.metrics.non_contiguous  # dispersion, contiguity, disruption
    r.table().to_pandas()                         # per territory: units, centre, activity, ...

    m = st.evaluate(units_df, assignment, 20)     # the same metrics for any assignment

Units: a pandas or polars DataFrame, a pyarrow Table (any Arrow stream producer), an
:class:`spm.Table`, a dict of NumPy columns, or an :class:`Instance`. Columns ``id`` (text or
integers; ``id=`` names another column; without one units are named by their 0-based row, unless
a column is named like ids, e.g. ``account_id``: then pass ``id="account_id"``, or ``id=None``
for row numbers), ``x`` and ``y`` (planar coordinates, or longitude and latitude in degrees with
``geographic=True``: distances are then great-circle km; without x and y, ``lon``/``lat`` or
``longitude``/``latitude`` are used, as by the CLI) and one column per measure (``measures``; by
default, as in the CLI, every other column of numbers or of text whose non-empty fields are
mostly numbers: a numeric ZIP code counts too, so name the measures then; ``result.measures``
says which were balanced, and ``result.notes`` which columns were taken and which were left out,
with why: a revenue column written "27,167.98" is text). Text coordinates and measures (a frame read with ``dtype=str``) are
parsed as the CSV reader parses float64 fields; a field that is not a number raises, naming its
unit and row. Activity must be finite and >= 0. ``tolerance``: tau as a number (float, int,
Decimal or text such as "0.05"), one per measure, or a ``{measure: tau}`` dict.

Adjacency (``edges``): a table whose first two columns hold unit ids, or an (E, 2) array of unit
indices (integers) or ids (strings); by default the Gabriel graph of the points (for geographic
units, of longitude scaled by the cosine of the mean latitude, and latitude), units at the same
spot (accounts at one address) joined to the first of them. Alignments (``current``, ``locked``):
an array of territories per unit (-1, NaN or None: none), a ``{unit id: territory}`` dict, or a
table of unit id (the ``id`` column, else the first) and ``territory`` (else the second column;
integers, or floats with NaN for none). Territories are numbered 0 .. p-1. A unit given twice
(two rows, or two keys with the same id text) is refused, naming it: the CLI rejects the repeat.
Unit ids must not be empty; with ``geographic=True`` longitude must be within [-180, 180] and
latitude within [-90, 90].

Balance is float64 statistics, not money. Bad input raises :class:`spm.InvalidInputError`
(``"territory.problem"`` naming the unit or field, ``"territory.column"``, ``"territory.units"``,
``"territory.options"``); an infeasible problem is not an error: it comes back with status
``"infeasible"`` and its violations. The solver and the evaluation release the GIL.
"""
from __future__ import annotations

import decimal
import numbers
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np

from . import _spm
from ._io import Table, from_arrow, input_table
from ._io import column_names as _names

__all__ = [
    "KINDS",
    "Instance",
    "MeasureBalance",
    "Metrics",
    "BalanceResult",
    "generate_instance",
    "gabriel_graph",
    "balance",
    "evaluate",
]

#: Kinds of generated instances: "uniform" (after Rios-Mercado and Fernandez 2009: points
#: uniform in [0, 500]^2, activities uniform) and "clustered" (Gaussian clusters, lognormal).
KINDS = ("uniform", "clustered")

Tolerance = Union[float, str, decimal.Decimal, Sequence[float], Mapping[str, float]]


# --------------------------------------------------------------------------------------------
# Instances and the Gabriel graph


@dataclass(frozen=True, eq=False)
class Instance:
    """A generated instance: unit ids, coordinates, activity (units x measures), adjacency (unit
    index pairs, first < second, sorted), the territory count and tau per measure. Pass it to
    :func:`balance` or :func:`evaluate` as the units."""

    id: Any
    x: Any
    y: Any
    activity: Any
    measures: tuple[str, ...]
    edges: Any
    territories: int
    tolerance: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.x)

    def units_table(self) -> Any:
        """The units as an spm.Table: id, x, y and one column per measure."""
        import pyarrow as pa

        cols = {"id": pa.array(self.id, pa.string()), "x": self.x, "y": self.y}
        for a, name in enumerate(self.measures):
            cols[name] = np.ascontiguousarray(self.activity[:, a])
        return from_arrow(pa.table(cols))

    def edges_table(self) -> Any:
        """The adjacency as an spm.Table of unit ids: from, to."""
        import pyarrow as pa

        ids = np.asarray(self.id)
        return from_arrow(pa.table({"from": pa.array(ids[self.edges[:, 0]], pa.string()),
                                    "to": pa.array(ids[self.edges[:, 1]], pa.string())}))


def generate_instance(units: int = 1000, territories: int = 0, seed: int = 0, kind: str = "uniform",
                      tolerance: float = 0.05) -> Instance:
    """A seeded instance of the commercial territory design benchmark: the same arguments give
    the same instance on every platform. territories: 0 for about units / 15. Adjacency is the
    Gabriel graph of the points. Measures: customers, demand, workload."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    native, p, tau = _spm._territory_generate(_count(units, "units"), _count(territories, "territories"),
                                              int(seed), kind, float(tolerance))
    return Instance(id=np.asarray(native.ids), x=native.x, y=native.y, activity=native.activity,
                    measures=tuple(native.measures), edges=native.edges, territories=int(p),
                    tolerance=tuple(tau))


def gabriel_graph(x: Any, y: Any) -> Any:
    """The Gabriel graph of the points (x[i], y[i]): i and j are adjacent when no other point
    lies in the circle with diameter ij. An (E, 2) uint32 array of index pairs, first < second,
    sorted. Points at the same spot are joined to the first of them."""
    return _spm._territory_gabriel(_doubles(x), _doubles(y))


# --------------------------------------------------------------------------------------------
# Metrics and results


@dataclass(frozen=True)
class MeasureBalance:
    """One measure's balance: the target (total / p), the largest relative deviation of a
    territory from its target, and how many territories are outside the band."""

    target: float
    max_deviation: float
    outside: int


@dataclass(frozen=True, eq=False)
class Metrics:
    """How good an assignment is. balance: per measure name (target: total / p); share: the
    target share per territory (empty: equal shares). p_median: the sum over units of the
    distance to their territory's centre (``centre``: its home unit when given and held, else
    its medoid; -1 for an empty territory); p_center: the
    largest such distance; diameter: the largest distance within a territory. components: the
    connected pieces of each territory over the adjacency. Against ``current``: moved_units,
    moved_activity per measure, territories_affected. notes: with measures chosen by default, the
    columns taken and each column left out with why."""

    balance: dict[str, MeasureBalance]
    share: Any
    p_median: float
    p_center: float
    diameter: float
    centre: Any
    components: Any
    non_contiguous: int
    empty: int
    moved_units: int
    moved_activity: dict[str, float]
    territories_affected: int
    territories_table: Any = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures balanced (named, or chosen by default), in column order."""
        return tuple(self.balance)

    @property
    def max_deviation(self) -> float:
        """The largest relative deviation over all measures."""
        return max((b.max_deviation for b in self.balance.values()), default=0.0)

    @property
    def outside(self) -> int:
        """Territory-measures outside their band."""
        return sum(b.outside for b in self.balance.values())

    def table(self) -> Any:
        """Per territory (spm.Table): territory, units, centre (unit id), components, then per
        measure its activity and relative deviation from the target."""
        return self.territories_table

    @staticmethod
    def _from_native(d: dict[str, Any], measures: Sequence[str], table: Any, notes: Sequence[str] = ()) -> "Metrics":
        names = list(measures)
        return Metrics(
            balance={n: MeasureBalance(float(t), float(dev), int(o))
                     for n, t, dev, o in zip(names, d["target"], d["max_deviation"], d["outside"])},
            share=np.asarray(d.get("share", []), dtype=np.float64),
            p_median=float(d["p_median"]), p_center=float(d["p_center"]), diameter=float(d["diameter"]),
            centre=d["centre"], components=d["components"], non_contiguous=int(d["non_contiguous"]),
            empty=int(d["empty"]), moved_units=int(d["moved_units"]),
            moved_activity=dict(zip(names, (float(v) for v in d["moved_activity"]))),
            territories_affected=int(d["territories_affected"]), territories_table=table, notes=tuple(notes))


@dataclass(frozen=True, eq=False)
class BalanceResult:
    """What :func:`balance` gives: the territory of every unit (in input order), the status
    ("feasible", "infeasible": constraints broken, see ``violations``; "stopped": the time limit
    ended the search, the best assignment found is returned), the violations (dicts: territory,
    measure or "contiguity", excess beyond the band, message), the metrics, the unit ids, the
    number of improving moves made, the measures balanced (named, or chosen by default) and notes
    (with measures chosen by default: the columns taken, and each column left out with why)."""

    assignment: Any
    status: str
    violations: list[dict[str, Any]]
    metrics: Metrics
    ids: Any = field(default=None, repr=False, compare=False)
    moves: int = 0
    measures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return self.status == "feasible"

    def table(self) -> Any:
        """The territories table (spm.Table), see :meth:`Metrics.table`."""
        return self.metrics.table()

    def assignment_table(self) -> Any:
        """id, territory per unit (spm.Table)."""
        import pyarrow as pa

        ids = (pa.array(np.asarray(self.ids), pa.string()) if self.ids is not None and len(self.ids)
               else pa.array(np.arange(len(self.assignment), dtype=np.int64)))
        return from_arrow(pa.table({"id": ids, "territory": self.assignment.astype(np.int64)}))


# --------------------------------------------------------------------------------------------
# Input conversions


def _doubles(values: Any) -> Any:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64))


def _count(value: Any, name: str, least: int = 0, most: Optional[int] = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__} {value!r}")
    if value < least or (most is not None and value > most):
        within = f">= {least}" if most is None else f"in [{least}, {most}]"
        raise ValueError(f"{name}: expected an integer {within}, got {value}")
    return int(value)


def _is_table(data: Any) -> bool:
    """A DataFrame, an Arrow table or an spm.Table (not an array or a Series)."""
    if isinstance(data, Table):
        return True
    pd, pl, pa = (sys.modules.get(m) for m in ("pandas", "polars", "pyarrow"))
    if pd is not None and isinstance(data, pd.DataFrame):
        return True
    if pl is not None and isinstance(data, (pl.DataFrame, pl.LazyFrame)):
        return True
    if pa is not None and isinstance(data, (pa.Table, pa.RecordBatch)):
        return True
    return False


def _ids_text(values: Any) -> list[str]:
    """Ids as text (NumPy converts the whole array at once: no Python loop per row)."""
    a = np.asarray(values)
    if a.dtype.kind == "f":
        raise TypeError("ids must be text or integers, not floats")
    return a.astype(str).tolist()


class _Units:
    """The native units and what the Python layer needs to convert alignments."""

    def __init__(self, native: Any, id_column: str, notes: Sequence[str] = ()) -> None:
        self.native = native
        self.id_column = id_column
        self.n = native.size
        self.notes = tuple(notes)

    @property
    def ids(self) -> Any:
        ids = self.native.ids
        return np.asarray(ids) if ids else None


# A column named like unit ids (account_id, unitId, ID): with no `id` column, the caller is told
# to name it rather than have the units silently numbered by row.
_ID_LIKE = re.compile(r"(?i:id|.+[_ -]id)|.*[a-z0-9](?:Id|ID)")
# Longitude/latitude column pairs found with geographic=True, as the CLI finds them.
_LON_LAT = (("lon", "lat"), ("longitude", "latitude"))


def _column_error(where: str, detail: str) -> Any:
    from ._errors import InvalidInputError

    return InvalidInputError(f"[territory.column] {where}: {detail}", id="territory.column", path=where,
                             detail=detail)


def _roles(present: Sequence[str], x: str, y: str, id: Optional[str], geographic: bool) -> tuple[str, str, str]:
    """The id column ("" for none), x and y among the columns `present`."""
    if geographic and (x, y) == ("x", "y") and not ("x" in present and "y" in present):
        pair = next((p for p in _LON_LAT if p[0] in present and p[1] in present), None)
        if pair is None:
            raise _column_error("units.x", "no coordinates: with geographic=True give columns lon and lat, "
                                f"longitude and latitude, or x and y (the table has: {', '.join(present)}); "
                                "or name them with x= and y=")
        x, y = pair
    if id is None:
        return "", x, y
    if id in present:
        return id, x, y
    if id != "id":
        raise _column_error(f"units.{id}", f"no such column; the table has: {', '.join(present)}")
    like = [c for c in present if _ID_LIKE.fullmatch(c)]
    if like:
        raise _column_error("units.id", f"no id column, but {', '.join(like)} looks like the unit ids: pass "
                            f"id={like[0]!r} (or rename the column to id); id=None names the units by their "
                            "0-based row")
    return "", x, y


def _default_notes(measures: Sequence[str], skipped: Sequence[tuple[str, str]]) -> list[str]:
    """What choosing the measures by default did: the columns taken, and each left out with why."""
    notes = []
    if measures:
        notes.append(f"measures chosen by default (every column of numbers besides the id and coordinates): "
                     f"{', '.join(measures)}; name them with measures= to choose")
    notes += [f"{name} is not balanced: {why}; name it in measures= to balance it and see which rows are not "
              "numbers" for name, why in skipped]
    return notes


def _units(units: Any, *, x: str, y: str, id: Optional[str], measures: Optional[Sequence[str]], edges: Any,
           geographic: bool) -> _Units:
    wanted = _names(measures, "measures")
    if isinstance(units, Mapping) and any(np.asarray(v).dtype.kind in "USO" for k, v in units.items() if k != id):
        # Text (numbers read as text, or labels): through a table, where the measures are chosen and
        # parsed by the same rule as for DataFrames.
        import pyarrow as pa

        units = pa.table({k: np.asarray(v) for k, v in units.items()})
    if isinstance(units, Instance):
        names = list(units.measures)
        cols = [names.index(mname) if mname in names else _missing_measure(mname, names) for mname in wanted] \
            if wanted else list(range(len(names)))
        activity = np.ascontiguousarray(units.activity[:, cols].T, dtype=np.float64)
        native = _spm._TerritoryUnits.from_arrays(_ids_text(units.id) if len(units.id) else [],
                                                  _doubles(units.x), _doubles(units.y), activity,
                                                  [names[c] for c in cols], bool(geographic))
        if edges is None:
            native.set_edges(np.ascontiguousarray(units.edges, dtype=np.int64).reshape(-1, 2))
        u = _Units(native, "id")
    elif isinstance(units, Mapping):
        id, x, y = _roles(list(units), x, y, id, geographic)
        if x not in units or y not in units:
            raise KeyError(f"units: the dict needs columns {x!r} and {y!r}")
        notes: list[str] = []
        if not wanted:
            others = {k: np.asarray(v).dtype for k, v in units.items() if k not in (x, y, id, "id")}
            wanted = [k for k, d in others.items() if d.kind in "fiu"]
            notes = _default_notes(wanted, [(k, f"holds {d} values, not numbers")
                                            for k, d in others.items() if d.kind not in "fiu"])
        for mname in wanted:
            if mname not in units:
                _missing_measure(mname, list(units))
        activity = (np.ascontiguousarray(np.stack([np.asarray(units[k], dtype=np.float64) for k in wanted]))
                    if wanted else np.zeros((0, len(np.asarray(units[x]))), dtype=np.float64))
        ids = _ids_text(units[id]) if id else []
        native = _spm._TerritoryUnits.from_arrays(ids, _doubles(units[x]), _doubles(units[y]), activity,
                                                  wanted, bool(geographic))
        u = _Units(native, id or "id", notes)
    else:
        # Every column crosses (no selection), so that a missing one is reported with the
        # columns that are really there.
        t = input_table(units, "units", area="territory")
        id, x, y = _roles(t.column_names, x, y, id, geographic)
        notes = []
        if not wanted:
            wanted, skipped = _spm._territory_default_measures(t, [id, "id", x, y])
            notes = _default_notes(wanted, skipped)
        native = _spm._TerritoryUnits.from_table(t, id, x, y, wanted, bool(geographic))
        u = _Units(native, id or "id", notes)
    if edges is None:
        if not isinstance(units, Instance):
            u.native.set_gabriel_edges()
    else:
        _set_edges(u, edges)
    return u


def _missing_measure(name: str, names: Sequence[str]) -> Any:
    from ._errors import InvalidInputError

    raise InvalidInputError(f"[territory.column] units.{name}: no such measure (have {', '.join(names)})",
                            id="territory.column", path=f"units.{name}",
                            detail=f"no such measure (have {', '.join(names)})")


def _set_edges(u: _Units, edges: Any) -> None:
    if _is_table(edges):
        t = input_table(edges, "edges", area="territory")
        cols = t.column_names
        if len(cols) < 2:
            raise ValueError("edges: expected a table with two columns of unit ids (from, to)")
        a = u.native.lookup(t, cols[0], "edges")
        b = u.native.lookup(t, cols[1], "edges")
        pairs = np.stack([a.astype(np.int64), b.astype(np.int64)], axis=1)
    else:
        arr = np.asarray(edges)
        if arr.size == 0:
            pairs = np.zeros((0, 2), dtype=np.int64)
        elif arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"edges: expected pairs, shape (E, 2), got shape {arr.shape}")
        elif arr.dtype.kind in "iu":
            pairs = arr.astype(np.int64)
        elif arr.dtype.kind in "USO":
            pairs = u.native.lookup_ids(_ids_text(arr.ravel()), "edges").astype(np.int64).reshape(-1, 2)
        else:
            raise TypeError(f"edges: expected unit indices (integers) or ids (strings), got {arr.dtype}")
    if len(pairs) == 0 and u.n > 1:
        # No edges would mean the Gabriel graph (the library's default), not what was passed.
        raise ValueError("edges: no edges given; pass edges=None to use the Gabriel graph of the "
                         "coordinates")
    u.native.set_edges(np.ascontiguousarray(pairs, dtype=np.int64))


def _invalid(code: str, path: str, detail: str) -> Any:
    from ._errors import InvalidInputError

    return InvalidInputError(f"[{code}] {path}: {detail}", id=code, path=path, detail=detail)


def _unit_name(u: _Units, i: int) -> str:
    ids = u.native.ids
    return ids[i] if ids else str(i)


# What left a unit without a territory in an alignment (the codes of _alignment).
_GIVEN, _ABSENT, _NULL = 0, 1, 2
_INT32 = (-(2**31), 2**31 - 1)


def _territories(values: Any, what: str, name: Any) -> tuple[Any, Any]:
    """Territory numbers (int32) and where they are null (None, NaN): -1 there. `name(k)` names
    the k-th value's unit for an error."""
    arr = np.asarray(values)
    if arr.dtype.kind == "O":  # None among numbers (a dict's values, a list)
        arr = np.asarray([np.nan if v is None else v for v in arr.tolist()])
        if arr.dtype.kind == "O":
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError):
                pass
    if arr.dtype.kind not in "iuf":
        bad = next((k for k, v in enumerate(arr.tolist())
                    if isinstance(v, bool) or not isinstance(v, numbers.Real)), 0)
        raise TypeError(f"{what}.{name(bad)}: territory {arr.tolist()[bad]!r} is not a territory number; territories "
                        "are numbered 0 .. p-1 (map names to numbers first)")
    null = np.zeros(arr.shape, dtype=bool)
    if arr.dtype.kind == "f":
        null = np.isnan(arr)
        whole = null | (arr == np.floor(arr))
        if not whole.all():
            bad = int(np.argmin(whole))
            raise TypeError(f"{what}.{name(bad)}: territory {arr[bad].item()!r} is not a whole number; territories are "
                            "numbered 0 .. p-1")
        arr = np.where(null, -1, arr)
    # Beyond int32 a territory would wrap around to another one: refused here, naming the unit.
    far = (arr < _INT32[0]) | (arr > _INT32[1])
    if far.any():
        bad = int(np.argmax(far))
        shown = arr[bad].item()
        raise ValueError(f"{what}.{name(bad)}: territory {int(shown) if float(shown).is_integer() else shown} is "
                         "not a territory number; territories are "
                         "numbered 0 .. p-1")
    return np.ascontiguousarray(arr, dtype=np.int32), null


def _no_repeats(u: _Units, idx: Any, terr: Any, what: str, where: Any) -> None:
    """Refuses a unit given twice in an id -> territory list (the CLI rejects the repeat): taking
    either row silently could put a locked unit in the wrong territory."""
    uniq, first = np.unique(idx, return_index=True)
    if len(uniq) == len(idx):
        return
    is_first = np.zeros(len(idx), dtype=bool)
    is_first[first] = True
    r = int(np.argmin(is_first))
    f = int(first[np.searchsorted(uniq, idx[r])])
    shown = ["none" if t < 0 else str(int(t)) for t in (terr[f], terr[r])]
    detail = (f"the unit is given twice ({where(f)} and {where(r)}, territories {shown[0]} and {shown[1]}); "
              "give one territory per unit")
    raise _invalid("territory.assignment" if what == "assignment" else "territory.problem",
                   f"{what}.{_unit_name(u, int(idx[r]))}", detail)


def _alignment(u: _Units, data: Any, what: str) -> tuple[Any, Any]:
    """An alignment as int32 territories in unit order (-1: none), and per unit why it has none
    (_ABSENT: not listed; _NULL: listed as None, null or NaN)."""
    out = np.full(u.n, -1, dtype=np.int32)
    why = np.zeros(u.n, dtype=np.uint8)
    if isinstance(data, Mapping):
        why[:] = _ABSENT
        if not data:
            return out, why
        keys = list(data.keys())
        idx = u.native.lookup_ids(_ids_text(keys), what)
        terr, null = _territories(list(data.values()), what, lambda k: keys[k])
        _no_repeats(u, idx, terr, what, lambda k: f"key {keys[k]!r}")
        out[idx] = terr
        why[idx] = np.where(null, _NULL, _GIVEN)
        return out, why
    if _is_table(data):
        import pyarrow as pa
        import pyarrow.compute as pc

        t = input_table(data, what, area="territory")
        cols = t.column_names
        if len(cols) < 2:
            raise ValueError(f"{what}: expected a table of unit id and territory")
        id_col = u.id_column if u.id_column in cols else cols[0]
        t_col = "territory" if "territory" in cols else [c for c in cols if c != id_col][0]
        idx = u.native.lookup(t, id_col, what)
        col = t.to_arrow().column(t_col)
        # A float column is what pandas makes of integers with a gap (NaN): read like an array.
        if not (pa.types.is_integer(col.type) or pa.types.is_null(col.type) or pa.types.is_floating(col.type)):
            raise TypeError(f"{what}.{t_col}: territories must be integers 0 .. p-1, got {col.type}")
        if pa.types.is_integer(col.type) and col.null_count == 0:
            values = col.to_numpy()
        else:  # nulls as NaN: no territory
            values = pc.fill_null(pc.cast(col, pa.float64()), np.nan).to_numpy()
        ids = u.native.ids
        terr, null = _territories(values, what, lambda k: ids[int(idx[k])] if ids else str(int(idx[k])))
        _no_repeats(u, idx, terr, what, lambda k: f"row {k + 1}")
        why[:] = _ABSENT
        out[idx] = terr
        why[idx] = np.where(null, _NULL, _GIVEN)
        return out, why
    arr = np.asarray(data)
    if arr.dtype.kind not in "iufO" or arr.dtype.kind == "b":
        raise TypeError(f"{what}: expected territories per unit (integers), a dict or a table, got {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{what}: expected one territory per unit (a 1-D array), got shape {arr.shape}")
    terr, null = _territories(arr, what, lambda k: _unit_name(u, k) if k < u.n else str(k))
    if len(terr) == u.n:  # else the library names the lengths
        why = np.where(null, _NULL, _GIVEN).astype(np.uint8)
    return terr, why


def _per_unit(u: _Units, data: Any, what: str) -> Any:
    """An alignment (territory per unit, -1 for none) as int32, in unit order."""
    if data is None:
        return None
    return _alignment(u, data, what)[0]


def _unit_index(u: _Units, value: Any, what: str) -> int:
    if value is None:
        return -1
    if isinstance(value, str):
        return int(u.native.lookup_ids([value], what)[0])
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"{what}: expected a unit id (str), a unit index (int) or None, got {value!r}")


def _home(u: _Units, home: Any, p: int) -> list[int]:
    if home is None:
        return []
    if isinstance(home, Mapping):
        out = [-1] * p
        for t, unit in home.items():
            if not isinstance(t, numbers.Integral) or not 0 <= t < p:
                raise ValueError(f"home: territory {t!r} is not in [0, {p})")
            out[int(t)] = _unit_index(u, unit, f"home[{t}]")
        return out
    return [_unit_index(u, unit, f"home[{t}]") for t, unit in enumerate(home)]


def _excluded(u: _Units, excluded: Any) -> Any:
    if excluded is None:
        return None
    if _is_table(excluded):
        import pyarrow as pa
        import pyarrow.compute as pc

        t = input_table(excluded, "excluded", area="territory")
        cols = t.column_names
        id_col = u.id_column if u.id_column in cols else cols[0]
        t_col = "territory" if "territory" in cols else [c for c in cols if c != id_col][0]
        idx = u.native.lookup(t, id_col, "excluded").astype(np.int64)
        col = t.to_arrow().column(t_col)
        if not pa.types.is_integer(col.type):
            raise TypeError(f"excluded.{t_col}: territories must be integers 0 .. p-1, got {col.type}")
        terr = pc.fill_null(col, -1).to_numpy().astype(np.int64)
        return np.ascontiguousarray(np.stack([idx, terr], axis=1))
    pairs = list(excluded)
    if not pairs:
        return None
    units = [_unit_index(u, a, "excluded") for a, _ in pairs]
    return np.ascontiguousarray(np.array([[a, int(t)] for a, (_, t) in zip(units, pairs)], dtype=np.int64))


def _tau(value: Any, where: str) -> float:
    """One tau: a real number, a Decimal or numeric text ("0.05"). A tolerance is a statistic,
    not money: float is exact enough."""
    if isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not a number; give a fraction such as 0.05 "
                             "(for 5%)") from None
    raise TypeError(f"{where}: expected a number such as 0.05, got {type(value).__name__} {value!r}")


def _tolerance(tolerance: Tolerance, measures: Sequence[str]) -> list[float]:
    if isinstance(tolerance, (numbers.Real, decimal.Decimal, str)) or tolerance is None:
        return [_tau(tolerance, "tolerance")]
    if isinstance(tolerance, Mapping):
        # A key naming no measure is most likely a misspelt one: named before any missing tau.
        unknown = [k for k in tolerance if k not in measures]
        if unknown:
            raise ValueError(f"tolerance: no measure named {', '.join(repr(k) for k in unknown)}; the measures "
                             f"are {', '.join(measures)}")
        missing = [m for m in measures if m not in tolerance]
        if missing:
            raise ValueError(f"tolerance: no tau for measure(s) {', '.join(missing)}")
        return [_tau(tolerance[m], f"tolerance[{m!r}]") for m in measures]
    try:
        values = list(tolerance)
    except TypeError:
        raise TypeError("tolerance: expected a number such as 0.05, one per measure (a list) or a "
                        f"{{measure: tau}} dict, got {type(tolerance).__name__} {tolerance!r}") from None
    return [_tau(t, f"tolerance[{k}]") for k, t in enumerate(values)]


# The library's max_restarts (solver.hpp): checked here too, as a larger int would not cross.
_MAX_RESTARTS = 100_000


def _weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise TypeError(f"disruption_weight: expected a number >= 0 or None, got {type(value).__name__} {value!r}")
    return float(value)


def _floats(values: Any) -> list[float]:
    return [] if values is None else [float(v) for v in np.asarray(values, dtype=np.float64)]


# --------------------------------------------------------------------------------------------
# Solve and evaluate


def balance(units: Any, p: int, tolerance: Tolerance = 0.05, *, x: str = "x", y: str = "y", id: Optional[str] = "id",
            measures: Optional[Sequence[str]] = None, edges: Any = None, current: Any = None,
            locked: Any = None, home: Any = None, excluded: Any = None, share: Any = None,
            capacity: Any = None, capacity_measure: Union[int, str] = 0, contiguity: bool = True,
            disruption_weight: Optional[float] = None, max_moved: Optional[int] = None, restarts: int = 0,
            seed: int = 1, time_limit: Optional[float] = None, threads: Optional[int] = None,
            geographic: bool = False) -> BalanceResult:
    """Assigns the units to `p` territories: every measure within ``(1 +- tau) x target``
    (target = total x share, equal shares by default), territories compact (the p-median
    objective) and, with `contiguity`, each connected over the adjacency.

    current: the present alignment (a rebalance starts from it when every unit has one);
    disruption_weight: cost per unit moved away from `current`, in distance units (km when
    geographic), traded against compactness: a unit moves for compactness only when that
    shortens distances by more; 0: moves cost nothing (the alignment is re-optimised freely from
    `current`); None (the default): units move only where the balance needs it.
    max_moved: a hard budget of moved units.
    locked: per unit the territory it must stay in (-1: free). home: per territory a fixed centre
    unit (id or index; None: free). excluded: (unit, territory) pairs that may not go together.
    share: the target share per territory (sums to 1; within 1e-6 of 1, e.g. thirds written as
    0.333333, they are scaled to sum to 1). capacity: per territory an upper limit
    on measure `capacity_measure` (a name or an index; <= 0: none). restarts: constructions
    tried (0: automatic, more for small problems; at most 100,000); seed: the same seed gives the same assignment for any thread count. time_limit:
    seconds; when it ends the search, status is "stopped" with the best assignment so far.
    """
    u = _units(units, x=x, y=y, id=id, measures=measures, edges=edges, geographic=geographic)
    p = _count(p, "p", 1)
    names = list(u.native.measures)
    if isinstance(capacity_measure, str):
        if capacity_measure not in names:
            _missing_measure(capacity_measure, names)
        capacity_measure = names.index(capacity_measure)
    assignment, status, violations, metrics, table, moves = _spm._territory_solve(
        u.native, p, _tolerance(tolerance, names), _floats(share), _per_unit(u, current, "current"),
        _per_unit(u, locked, "locked"), _home(u, home, p), _excluded(u, excluded), _floats(capacity),
        _count(capacity_measure, "capacity_measure"), bool(contiguity),
        None if disruption_weight is None else _weight(disruption_weight),
        None if max_moved is None else _count(max_moved, "max_moved"),
        _count(restarts, "restarts", 0, _MAX_RESTARTS), int(seed),
        None if time_limit is None else float(time_limit), 0 if threads is None else _count(threads, "threads"))
    return BalanceResult(assignment=assignment, status=status, violations=list(violations),
                         metrics=Metrics._from_native(metrics, names, table, u.notes), ids=u.ids, moves=int(moves),
                         measures=tuple(names), notes=u.notes)


def evaluate(units: Any, assignment: Any, p: int, tolerance: Tolerance = 0.05, share: Any = None,
             current: Any = None, *, x: str = "x", y: str = "y", id: Optional[str] = "id",
             measures: Optional[Sequence[str]] = None, edges: Any = None, geographic: bool = False,
             home: Any = None) -> Metrics:
    """The metrics of any assignment (made by :func:`balance`, by hand or by another tool).
    assignment and current: territories per unit, a ``{unit id: territory}`` dict or a table
    (as for ``current`` in :func:`balance`); every unit needs a territory in [0, p). home: as
    in :func:`balance`; a territory holding its home is measured from it (as balance's metrics
    are), else from its medoid."""
    u = _units(units, x=x, y=y, id=id, measures=measures, edges=edges, geographic=geographic)
    names = list(u.native.measures)
    p = _count(p, "p", 1)
    if assignment is None:
        raise TypeError("assignment: expected territories per unit")
    a, why = _alignment(u, assignment, "assignment")
    # A unit without a territory: said as the CLI says it (not as territory -1 out of range).
    none = np.flatnonzero((a == -1) & (why != _GIVEN)) if len(a) == u.n else []
    if len(none):
        i = int(none[0])
        what = ("is not in the assignment" if why[i] == _ABSENT
                else "has no territory in the assignment (missing: NaN, None or null)")
        more = f" ({len(none) - 1} more units like it)" if len(none) > 1 else ""
        raise _invalid("territory.assignment", _unit_name(u, i),
                       f"the unit {what}{more}; give every unit a territory in [0, {p})")
    d, table = _spm._territory_evaluate(u.native, a, p, _tolerance(tolerance, names), _floats(share),
                                        _per_unit(u, current, "current"), _home(u, home, p))
    return Metrics._from_native(d, names, table, u.notes)
