"""Quotas for data teams: allocate targets down a hierarchy, explain them, phase them over time,
plan capacity and check fairness. DataFrames in, exact tables out.

::

    import spm.quota

    r = spm.quota.allocate(targets_df, reps_df, history=history_df, method="history")
    r.quotas.to_pandas()          # node_id, parent_id, depth, is_rep, quota, reference, ...
    r.trace.to_pandas()           # every adjustment of every quota, with its reason
    r.status, r.violations        # "ok" or "infeasible" (totals still hold), and why
    print(r.explain("R001"))      # the trace as text a rep can follow with a calculator

    p = spm.quota.phase(r, year=2026, kind="month", employment=employment_df, ramp=["0.25", "0.5"])
    c = spm.quota.capacity({"start": "2026-01-01", "productivity": "50000", ...})
    f = spm.quota.fairness(quotas_df, actuals_df, sizes=sizes_df)

Input tables may be pandas or polars DataFrames, pyarrow Tables (any Arrow stream producer) or
:class:`spm.Table`; they cross into C++ through the Arrow C stream interface, never with a Python
loop per row, and every computation releases the GIL.

Columns (extra columns are ignored unless named as factors; a name is matched as the CLI matches
CSV headers: exactly, else with other case, edge blanks, or blanks or hyphens for underscores,
so ``Last Quota`` is ``last_quota``; a reps column that looks misspelt is named in a note):

* allocate: targets ``node_id``, ``target`` (decimal; every root needs one, a target on a lower
  node locks it); reps ``rep_id``, ``parent_id`` and as the method needs ``last_quota``, factor
  columns, ``expected_sales``, ``volatility``, and per-rep constraints ``locked_quota``,
  ``min_quota``, ``max_increase``, ``max_decrease`` (nullable decimals); org (optional) ``node_id``,
  ``parent_id`` (null for roots); history (optional) ``rep_id``, ``period_start`` (date),
  ``sales`` (decimal).
* phase: quotas ``rep_id``, ``quota`` (annual; or pass an :class:`AllocationResult`: its reps);
  employment ``rep_id`` and at least one of ``start``, ``end``, ``hire_date`` (nullable dates;
  a table with none of them raises "quota.column" naming its columns); leaves ``rep_id``,
  ``from``, ``to``; relief ``account_id``, ``from_rep``, ``to_rep``, ``effective``,
  ``annual_quota``.
* pipeline_needed: ``rep_id``, ``quota``, optionally ``average_deal_size``, ``win_rate``.
* fairness: quotas ``rep_id``, ``quota``; actuals ``rep_id``, ``sales``; sizes ``rep_id`` and
  numeric columns; forecast ``rep_id``, ``expected_sales``, ``volatility``.

Money must be exact, as in :mod:`spm.comp`: decimal128 columns, ``decimal.Decimal`` objects or
integers; a float64 money column raises :class:`spm.InvalidInputError` ``"quota.column"`` ("the
column holds float64 values; it must be decimal"). Integer money columns become decimals and
midnight timestamps in date columns become dates (a time of day or a time zone is refused).
Decimal options are ``decimal.Decimal``, ``int`` or ``str`` (``"0.6"``); a float raises TypeError.
"""
from __future__ import annotations

import datetime
import json
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence, Union

from . import _spm
from ._io import ResultTables, input_table, unread_rejects, with_rejects
from . import _values
from ._values import decimal_value, fraction_value, json_ready

__all__ = [
    "METHODS",
    "AllocationResult",
    "Violation",
    "PhasingResult",
    "CapacityResult",
    "PipelineResult",
    "SizeCorrelation",
    "FairnessReport",
    "allocate",
    "explain",
    "phase",
    "capacity",
    "pipeline_needed",
    "fairness",
]

#: The allocation methods (docs in spm/quota/allocation.hpp, Method).
METHODS = ("history", "potential", "blend", "growth_percent", "growth_absolute", "regression",
           "equal_probability", "ratchet")

_REP_DECIMALS = ("last_quota", "expected_sales", "volatility", "locked_quota", "min_quota",
                 "max_increase", "max_decrease")
# Per input: (decimal columns, date columns) for the lossless conversions.
_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "targets": (("target",), ()),
    "org": ((), ()),
    "reps": (_REP_DECIMALS, ()),
    "history": (("sales",), ("period_start",)),
    "quotas": (("quota", "average_deal_size", "win_rate"), ()),
    "employment": ((), ("start", "end", "hire_date")),
    "leaves": ((), ("from", "to")),
    "relief": (("annual_quota",), ("effective",)),
    "actuals": (("sales",), ()),
    "sizes": ((), ()),
    "forecast": (("expected_sales", "volatility"), ()),
}


def _column_names(data: Any) -> list[str]:
    """The input's column names, without converting it ([] when it does not say)."""
    if type(data).__name__ == "LazyFrame":  # .columns would resolve the query plan, and warn
        schema = getattr(data, "collect_schema", None)
        return list(schema().names()) if schema is not None else []
    for attr in ("column_names", "columns"):
        names = getattr(data, attr, None)
        if names is not None:
            try:
                return [str(n) for n in names]
            except TypeError:
                pass
    return []


def _as_spelt(names: Sequence[str], wanted: Iterable[str]) -> list[str]:
    """Each wanted column as the input spells it: exactly, else loosely by the CSV reader's
    header rule ("Last Quota" for last_quota), which the library's column lookup also applies."""
    out = []
    for w in wanted:
        i = None if w in names else _spm._find_header(list(names), w)
        out.append(w if i is None else names[i])
    return out


def _table(data: Any, role: str, more_decimals: Sequence[str] = (),
           unread: list | None = None) -> Any:
    """With `unread`, rows whose text does not parse are left out and listed there as rejects
    rows (as the CLI's reader sends them to rejects.csv) instead of raising."""
    decimals, dates = _ROLES[role]
    names = _column_names(data)
    bad: list | None = [] if unread is not None else None
    t = input_table(data, role, area="quota",
                    decimal_columns=_as_spelt(names, (*decimals, *more_decimals)),
                    date_columns=_as_spelt(names, dates), rejected=bad, as_attributes=True)
    if bad:
        unread.extend(unread_rejects(data, role, bad, "rep_id"))
    return t


def _optional_table(data: Any, role: str) -> Any:
    return None if data is None else _table(data, role)


def _optional_decimal(value: Any, name: str) -> Any:
    return None if value is None else decimal_value(value, name)


def _optional_fraction(value: Any, name: str) -> Any:
    return None if value is None else fraction_value(value, name)


def _decimals(values: Any, name: str, parse: Any = decimal_value) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name}: expected a list of decimals, got {type(values).__name__}")
    return [parse(v, f"{name}[{i}]") for i, v in enumerate(values)]


def _date(value: Any, name: str) -> datetime.date:
    if isinstance(value, str):
        return _spm.parse_date(value)
    day = _values.midnight_date(value)
    if day is not None:
        return day
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{name}: {value!r} has a time of day or a time zone, so it is not a "
                        f"date; use .date()")
    raise TypeError(f"{name}: expected a datetime.date, a pandas Timestamp at midnight or "
                    f"'YYYY-MM-DD', got {type(value).__name__} {value!r}")


def _span(value: Any, name: str, first_month: int = 1) -> Any:
    """A year (int: the fiscal year starting in `first_month`, named by the calendar year it ends
    in), a (begin, end) pair of dates, half-open, or an spm.Period."""
    if isinstance(value, _spm.Period):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        y = int(value)
        if first_month == 1:
            return _spm.Period(datetime.date(y, 1, 1), datetime.date(y + 1, 1, 1))
        return _spm.Period(datetime.date(y - 1, first_month, 1), datetime.date(y, first_month, 1))
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return _spm.Period(_date(value[0], f"{name}[0]"), _date(value[1], f"{name}[1]"))
    raise TypeError(f"{name}: expected a year (2026), a (begin, end) pair of dates or an "
                    f"spm.Period, got {type(value).__name__} {value!r}")


def _base(value: Any) -> Any:
    """The history window: as _span, or period text as spm.comp takes it ("2025", "2025-Q4",
    "2025-01..2025-06"), parsed in C++ as by ``spm quota allocate --base``."""
    if isinstance(value, str):
        return _spm._quota_parse_base(value)
    try:
        return _span(value, "base")
    except TypeError:
        raise TypeError(f"base: expected a year (2025 or '2025'), period text ('2025-Q4', "
                        f"'2025-03', '2025-01..2025-06', '2025-01-01..2026-01-01'), a (begin, "
                        f"end) pair of dates or an spm.Period, got {type(value).__name__} "
                        f"{value!r}") from None


def _choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected one of {', '.join(choices)} as str, got "
                        f"{type(value).__name__} {value!r}")
    return value  # C++ checks the name and lists the choices


# --------------------------------------------------------------------------------------------
# Allocation


class Violation(NamedTuple):
    """A constraint set that could not hold under `node_id`, and what was done instead."""

    node_id: str
    message: str


@dataclass(frozen=True, eq=False)
class AllocationResult(ResultTables):
    """What an allocation gives. Under every node the quotas sum exactly to the node's amount.

    quotas: node_id, parent_id, depth, is_rep, quota, reference, change_percent, method (nodes
    depth first, roots first, children by id).
    trace: node_id, step, kind, amount, running, note (kind: target, cushion, method, constraint,
    redistribution, rounding).
    rejects: source, row, id, reason (input rows not used).

    status "infeasible" means some constraints could not hold (see `violations`); every total is
    still conserved, except a node with a target but no usable reps: no rep carries it. Tables
    are spm.Table (``.to_pandas()``, ``.to_polars()``, ``.to_arrow()``);
    the result pickles.
    """

    quotas: Any
    rejects: Any
    #: "ok" or "infeasible".
    status: str
    violations: list[Violation]
    #: The method used.
    method: str = "blend"
    #: The base window history was read in (spm.Period; the `base` given, or the calendar year
    #: of the latest history date), None without history.
    base: Any = None
    #: Worth a look though not errors (also issued as warnings): rep rows rejected, whose share
    #: went to the reps left; reps or history rows that could not be read; history rows naming
    #: no rep (with the rep ids they differ from only by case, blanks or leading zeros); reps
    #: with a negative base (counted as 0); a misspelt reps column; a base window chosen by the
    #: latest history date that holds the history of at most half of the reps with history.
    notes: list[str] = field(default_factory=list)
    _native: Any = field(default=None, repr=False)
    _trace: Any = field(default=None, repr=False)

    TABLES = ("quotas", "trace", "rejects")

    @property
    def trace(self) -> Any:
        """Every trace step with its note (made on first use: a sentence per step costs more
        than the allocation itself on large hierarchies)."""
        if self._trace is None:
            object.__setattr__(self, "_trace", self._native.trace_table())
        return self._trace

    @property
    def ok(self) -> bool:
        """True when every constraint held."""
        return self.status == "ok"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_trace"] = self.trace
        state["_native"] = None  # the tables are the picklable form
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)

    def explain(self, node_id: str) -> str:
        """Same as spm.quota.explain(self, node_id)."""
        return explain(self, node_id)


def _factors(factors: Any) -> list[tuple[str, Any]]:
    if factors is None:
        return []
    items = factors.items() if isinstance(factors, Mapping) else factors
    out = []
    for item in items:
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError("factors: expected {column: weight} or a list of (column, weight) "
                            f"pairs, got {item!r}")
        out.append((item[0], decimal_value(item[1], f"factors[{item[0]!r}]")))
    return out


def allocate(targets: Any, reps: Any, *, org: Any = None, history: Any = None,
             method: str = "blend", history_weight: Any = None,
             factors: Union[None, Mapping[str, Any], Sequence[tuple[str, Any]]] = None,
             growth_base: str = "sales", ratchet_up: Any = None, ratchet_down: Any = None,
             increment: Any = 1, cushions: Optional[Sequence[Any]] = None,
             max_increase: Any = None, max_decrease: Any = None, min_quota: Any = None,
             base: Any = None, no_history: str = "reject") -> AllocationResult:
    """Allocates every root's target down the hierarchy to the reps.

    method: one of METHODS. history_weight (blend, default 0.5): weight of the history share.
    factors: {column: weight} of the reps table, weights summing to exactly 1 (potential, blend,
    regression). growth_base: "sales" or "last_quota" (growth methods). ratchet_up /
    ratchet_down (default 0.5 each). increment: quotas are multiples of it. cushions:
    over-assignment by level, from the top (0.1 or "10%"; each at least 0 and below 1).
    max_increase / max_decrease: change versus last quota (or base sales) as a fraction (0.3 or
    "30%"; max_increase below 10, since 30 would mean +3000%; max_decrease from 0 to 1);
    min_quota: a floor for every rep (the reps table may override each per rep; a rep's value
    out of range sends the rep to rejects). base: the history window, a year (2025), period text as
    spm.comp takes it ("2025", "2025-Q4", "2025-H2", "2025-03", "2025-01..2025-06" inclusive,
    "2025-01-01..2026-01-01" half-open; calendar periods), a (begin, end) pair of dates or an
    spm.Period (default: the calendar year of the latest history row).
    no_history: "reject" or "new_hire" (the mean of siblings with history).

    Decimal options are Decimal, int or str; floats raise TypeError. Raises InvalidInputError
    "quota.column", "quota.options", "quota.hierarchy", "quota.target", "quota.method". Bad rep
    or history rows do not raise (text that does not parse as a decimal or date included):
    they are in result.rejects. The GIL is released while
    computing. Base text that is not a period raises InvalidInputError "quota.options" naming
    the accepted forms.
    """
    factor_list = _factors(factors)
    t = _table(targets, "targets")
    unread: list = []  # reps and history rows whose text does not parse: rejects, as rows are
    r = _table(reps, "reps", [c for c, _ in factor_list], unread)
    o = _optional_table(org, "org")
    h = None if history is None else _table(history, "history", unread=unread)
    status, violations, quotas, rejects, base_window, notes, native = _spm._quota_allocate(
        t, r, o, h, _choice(method, "method", METHODS),
        _optional_decimal(history_weight, "history_weight"), factor_list,
        _choice(growth_base, "growth_base", ("sales", "last_quota")),
        _optional_decimal(ratchet_up, "ratchet_up"), _optional_decimal(ratchet_down, "ratchet_down"),
        decimal_value(increment, "increment"), _decimals(cushions, "cushions", fraction_value),
        _optional_fraction(max_increase, "max_increase"),
        _optional_fraction(max_decrease, "max_decrease"), _optional_decimal(min_quota, "min_quota"),
        None if base is None else _base(base),
        _choice(no_history, "no_history", ("reject", "new_hire")),
        # Left out before the allocation: it counts them in its notes and names them as reasons.
        [(u["id"], u["source"], u["row"]) for u in unread])
    for note in notes:  # a quota carried by fewer reps than given is worth a warning
        warnings.warn(note, UserWarning, stacklevel=2)
    return AllocationResult(quotas, with_rejects(rejects, unread), status,
                            [Violation(n, m) for n, m in violations], method, base_window, notes,
                            native)


def explain(result: AllocationResult, node_id: str) -> str:
    """The trace of one rep's (or node's) quota as text a rep can follow with a calculator: the
    chain of parents, then each step (target, cushion, method share, constraint, redistribution,
    rounding) with its amount, the running quota and the inputs in words.

    Raises InvalidInputError 'quota.node' when the result has no such node.
    """
    if not isinstance(result, AllocationResult):
        raise TypeError(f"explain expects the AllocationResult of spm.quota.allocate, got "
                        f"{type(result).__name__}")
    if result._native is not None:
        return result._native.explain(str(node_id))
    return _spm._quota_explain(result.quotas, result.trace, str(node_id))


# --------------------------------------------------------------------------------------------
# Phasing


@dataclass(frozen=True)
class PhasingResult(ResultTables):
    """Period quotas: per rep and period, how the annual quota was split and prorated.

    quotas: rep_id, period, period_start, period_end, seasonal, factor (exact fraction as text),
    prorated, relief, quota; ordered by rep, then period.
    rejects: source, row, id, reason.
    """

    quotas: Any
    rejects: Any

    TABLES = ("quotas", "rejects")


def _rep_quotas(quotas: Any) -> Any:
    """The reps' rows of an AllocationResult as rep_id, quota (a pyarrow Table); any other input
    unchanged."""
    if not isinstance(quotas, AllocationResult):
        return quotas
    import pyarrow.compute as pc

    t = quotas.quotas.to_arrow()
    t = t.filter(pc.equal(t["is_rep"], True)).select(["node_id", "quota"])
    return t.rename_columns(["rep_id", "quota"])


def phase(quotas: Any, *, year: Any, kind: Any = "quarter", employment: Any = None,
          leaves: Any = None, relief: Any = None, seasonality: Optional[Sequence[Any]] = None,
          ramp: Optional[Sequence[Any]] = None, ramp_prior_hires: bool = True,
          business_days: bool = False, holidays: Any = None, fiscal_start_month: int = 1,
          increment: Any = "0.01") -> PhasingResult:
    """Splits annual quotas into period quotas: seasonality, ramps for new hires, proration for
    starts, terminations and leaves (calendar or business days), and relief.

    quotas: rep_id, quota; or an AllocationResult (its reps). year: the plan year, an int (the
    fiscal year starting in `fiscal_start_month`, named by the calendar year it ends in, as
    spm.FiscalCalendar names it), a (begin, end) pair of dates or an spm.Period. kind: "month",
    "quarter" or "half_year" (or spm.PeriodKind). seasonality: one weight per period summing to
    exactly 1 (default: by days). ramp: fraction of quota by tenure month (["0", "0.25", "0.5"]).
    ramp_prior_hires: False makes reps hired before the year fully ramped. business_days: prorate
    by business days, with `holidays` (an spm.HolidayCalendar or a list of dates). increment:
    annual quotas are multiples of it; period quotas are split in whole increments.

    Raises InvalidInputError "quota.options", "quota.seasonality", "quota.ramp", "quota.column".
    Bad rows are in result.rejects. The GIL is released while computing.
    """
    if (isinstance(fiscal_start_month, bool) or not isinstance(fiscal_start_month, numbers.Integral)
            or not 1 <= fiscal_start_month <= 12):
        raise ValueError(f"fiscal_start_month: expected an int from 1 to 12, got "
                         f"{fiscal_start_month!r}")
    period_kind = kind.name if isinstance(kind, _spm.PeriodKind) else \
        _choice(kind, "kind", ("month", "quarter", "half_year"))
    if holidays is not None and not isinstance(holidays, _spm.HolidayCalendar):
        holidays = _spm.HolidayCalendar([_date(d, f"holidays[{i}]") for i, d in
                                         enumerate(holidays)])
    q, rejects = _spm._quota_phase(
        _table(_rep_quotas(quotas), "quotas"), _optional_table(employment, "employment"),
        _optional_table(leaves, "leaves"), _optional_table(relief, "relief"),
        _span(year, "year", int(fiscal_start_month)), int(fiscal_start_month), period_kind,
        _decimals(seasonality, "seasonality"), _decimals(ramp, "ramp"), bool(ramp_prior_hires),
        bool(business_days), holidays, decimal_value(increment, "increment"))
    return PhasingResult(q, rejects)


# --------------------------------------------------------------------------------------------
# Capacity and pipeline


@dataclass(frozen=True)
class CapacityResult(ResultTables):
    """The capacity plan.

    periods: period, period_start, period_end, months, headcount_start, hires, attrition,
    headcount_end, ramped_reps, capacity, target, quota_assigned, gap, pipeline_needed,
    deals_needed, opportunities_needed; one row per report period, then "TOTAL".
    """

    periods: Any
    #: Fully ramped rep equivalents needed on top of the model to reach the target.
    reps_needed: Any
    #: Hires at month 1 that would close the gap (whole hires; 0 without a gap).
    hires_needed: Any
    #: Bookings one rep hired at the start of month 1 brings over the span.
    hire_contribution: Any
    #: False when a hire adds nothing within the span, so hiring cannot close the gap.
    hires_close_gap: bool

    TABLES = ("periods",)


def capacity(model: Union[str, Mapping[str, Any]]) -> CapacityResult:
    """Runs a capacity model month by month: ramped reps, productivity, attrition, hiring,
    target, over-assignment and funnel.

    model: JSON text or a dict with start ("YYYY-MM-01" or a date, required), months, report
    ("month", "quarter", "half_year", "year"), fiscal_year_start_month, cohorts
    ([{"tenure_months": 12, "reps": "10"}]), ramp (["0.25", "0.5"]), productivity (required),
    monthly_attrition, hires, target, over_assignment, win_rate, average_deal_size, coverage.
    Decimals are str, int or Decimal; a float raises TypeError. Raises InvalidInputError
    "quota.capacity" naming the field ("capacity.productivity").
    """
    if isinstance(model, Mapping):
        text = json.dumps(json_ready(model, "capacity", "capacity"))
    elif isinstance(model, str):
        text = model
    else:
        raise TypeError(f"capacity expects a dict or JSON text, got {type(model).__name__}")
    periods, reps_needed, hire_contribution, hires_needed, close = _spm._quota_capacity(text)
    return CapacityResult(periods, reps_needed, hires_needed, hire_contribution, close)


@dataclass(frozen=True)
class PipelineResult(ResultTables):
    """The bottom-up funnel.

    reps: rep_id, quota, average_deal_size, win_rate (the values used), deals_needed,
    opportunities_needed, in input order. rejects: source, row, id, reason (rows not computed).
    """

    reps: Any
    rejects: Any

    TABLES = ("reps", "rejects")


def pipeline_needed(quotas: Any, average_deal_size: Any, win_rate: Any) -> PipelineResult:
    """Bottom-up funnel per rep: deals_needed (quota / deal size, rounded up) and
    opportunities_needed (deals / win rate, rounded up).

    quotas: rep_id, quota and optionally per-rep average_deal_size and win_rate (null cells take
    the defaults given here); or an AllocationResult (its reps). Raises InvalidInputError
    "quota.capacity" for a bad default. Bad rows do not raise, as in the CLI: text that is not a
    decimal, an empty or negative quota, a bad rate or a rep_id repeated go to result.rejects
    and the other rows are computed.
    """
    unread: list = []
    t = _table(_rep_quotas(quotas), "quotas", unread=unread)
    reps, rejects = _spm._quota_pipeline_needed(
        t, decimal_value(average_deal_size, "average_deal_size"), decimal_value(win_rate, "win_rate"))
    return PipelineResult(reps, with_rejects(rejects, unread))


# --------------------------------------------------------------------------------------------
# Fairness


class SizeCorrelation(NamedTuple):
    """Correlation of attainment with one size column (NaN when undefined)."""

    column: str
    pearson: float
    spearman: float


@dataclass(frozen=True)
class FairnessReport(ResultTables):
    """Back-test fairness: how evenly reps attained.

    reps: the number of reps with a usable quota and actuals row. p10 ... p90, mean: attainment
    (sales / quota as a fraction) percentiles (linear, as numpy's default) and mean; NaN without
    reps. share_attaining: share of reps at or above 100%. correlations: attainment against each
    size column. reps_table: rep_id, quota, sales, attainment_percent (exact, 2 places) and, with
    a forecast, probability_of_attaining. rejects: source, row, id, reason.
    """

    reps: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    mean: float
    share_attaining: float
    correlations: list[SizeCorrelation]
    reps_table: Any
    rejects: Any
    #: Size columns left out (not numeric) and size values that are not numbers (also issued
    #: as warnings).
    notes: list[str] = field(default_factory=list)

    TABLES = ("reps_table", "rejects")


def fairness(quotas: Any, actuals: Any, *, sizes: Any = None,
             forecast: Any = None) -> FairnessReport:
    """Joins quotas and actuals by rep_id and measures how evenly reps attain: percentiles, the
    share attaining, correlation of attainment with territory size columns (Pearson and
    Spearman: near 0 for fair quotas) and, with a forecast, each rep's probability of attaining.

    quotas: rep_id, quota (or an AllocationResult: its reps); actuals: rep_id, sales; sizes:
    rep_id and numeric columns (a column that is not numbers is left out, and a value that is
    not a number leaves its rep out of that column only, each with a note in report.notes, also
    issued as a warning); forecast: rep_id, expected_sales, volatility. Bad rows are in
    report.rejects. The GIL is released while computing.
    """
    # Every column but rep_id is a size, as the CLI reads them: text (a frame read with
    # dtype=str) is parsed in C++, column by column (a text column or a bad cell is noted and
    # costs no other column).
    size_table = None if sizes is None else input_table(sizes, "sizes", area="quota",
                                                        as_attributes=True)
    (reps, p10, p25, p50, p75, p90, mean, share, correlations, reps_table,
     rejects, notes) = _spm._quota_fairness(_table(_rep_quotas(quotas), "quotas"),
                                            _table(actuals, "actuals"), size_table,
                                            _optional_table(forecast, "forecast"))
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    return FairnessReport(reps, p10, p25, p50, p75, p90, mean, share,
                          [SizeCorrelation(*c) for c in correlations], reps_table, rejects,
                          notes)
