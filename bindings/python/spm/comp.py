"""Commission runs for data teams: a plan as data, DataFrames in, exact statements out.

::

    import spm.comp

    plan = spm.comp.Plan.from_file("plan.json")        # or .yaml; from_json, from_yaml, from_dict
    result = spm.comp.run(plan, transactions_df, quotas_df, "2026-Q1")
    result.statements.to_pandas()                       # one row per payee, period, component
    result.lines.to_pandas()                            # every cent traced to a transaction
    result.rejects.to_pandas()                          # input rows that could not be computed
    print(spm.comp.explain(result, "R001", "2026-Q1"))

Input tables may be pandas or polars DataFrames, pyarrow Tables (any Arrow stream producer) or
:class:`spm.Table`. They cross into C++ through the Arrow C stream interface, column by column,
never with a Python loop per row; the run itself releases the GIL (use threads freely).

Columns (extra columns are kept and usable in plan filters):

* transactions: ``transaction_id`` (str), ``payee_id`` (str), ``date`` (date), ``amount``
  (decimal), optionally ``currency`` (str) and any attributes.
* quotas: ``payee_id``, ``period_start`` (date, first day of a pay period), ``quota`` (decimal),
  optionally ``measure`` and ``target_incentive`` (decimal; for ``"rate_unit": "target_incentive"``).
* credits (optional split credits): ``transaction_id``, ``payee_id``, ``percent`` (decimal).
* credit_rules (for plans with ``"credit": {"by": COLUMN}``): ``key``, ``payee_id``, ``from``,
  ``to`` (date, null = open), ``percent`` (decimal, null = 100).
* assignments (optional): ``payee_id``, ``from`` (date), ``to`` (date, null = open).
* scores (optional, for score multipliers): ``payee_id``, ``period_start``, ``score``, ``value``.

Money must arrive as exact decimals
-----------------------------------
A ``float32`` or ``float64`` amount (or quota, percent, value) column is refused: the run raises
:class:`spm.InvalidInputError` with id ``"comp.column"`` saying the column "holds binary
floating-point (float32 or float64) values; it must be decimal". Binary floats cannot hold most cents exactly, so libspm never
guesses. Convert upstream, once:

* pandas: read the column as text, then make exact decimals, either objects or an Arrow
  decimal dtype::

      df = pd.read_csv(path, dtype={"amount": str})
      df["amount"] = df["amount"].map(decimal.Decimal)
      # or: df["amount"] = df["amount"].astype(pd.ArrowDtype(pa.decimal128(18, 2)))

* pyarrow: ``pa.array(["1250.50", ...]).cast(pa.decimal128(18, 2))`` or
  ``pa.csv.read_csv(..., convert_options=pa.csv.ConvertOptions(column_types={"amount":
  pa.decimal128(18, 2)}))``.
* polars: ``pl.read_csv(..., schema_overrides={"amount": pl.Decimal(18, 2)})`` or
  ``pl.col("amount").cast(pl.Decimal(18, 2))`` from strings.
* CSV straight into libspm: ``spm.read_csv(path, {"amount": "decimal", ...}).table`` (or
  :func:`spm.parse_csv` for text) parses the digits exactly.

Decimals with up to 12 places are accepted (``decimal128`` of any precision up to 38).

Two lossless conversions are made for you (only when pyarrow is installed): integer columns in
the decimal roles above (``amount`` and the columns the plan's measures sum, ``quota``,
``percent``, ``value``) become decimals, and timestamp columns in the date roles (``date``,
``period_start``, ``from``, ``to``) become dates when every value is at midnight; a time of day
or a time zone is refused with ``"comp.column"`` (convert to local calendar dates first).
"""
from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Union

from . import _spm
from ._io import ResultTables, input_table, unread_rejects, with_rejects
from ._values import json_ready

__all__ = [
    "DEMO_PLAN",
    "Plan",
    "PlanIssue",
    "CompResult",
    "SettleResult",
    "WhatIfResult",
    "check_plan",
    "run",
    "settle",
    "what_if",
    "explain",
]

Plan = _spm.Plan
Table = _spm.Table

#: The JSON text of the `spm demo` commission plan (docs/examples/demo-plan.json): quarterly,
#: marginal tiers 8% / 12% / 15% at 100% / 150% attainment, a yearly cap, an Enterprise SPIF and a
#: year-to-date true-up. ``Plan.from_json(DEMO_PLAN)`` runs on ``spm.demo_company()``.
DEMO_PLAN: str = _spm._demo_plan_json()


class PlanIssue(NamedTuple):
    """One problem in a plan: where it is (``"components[0].tiers[1].rate"``) and what to do."""

    path: str
    message: str


# --------------------------------------------------------------------------------------------
# Plans from dicts


def _plan_json(plan: Mapping[str, Any]) -> str:
    """JSON text of a plan given as a dict (used by Plan.from_dict)."""
    if not isinstance(plan, Mapping):
        raise TypeError(f"Plan.from_dict expects a dict, got {type(plan).__name__}")
    return json.dumps(json_ready(plan, "", "plan"), indent=2, ensure_ascii=False)


def check_plan(plan: Union[str, Mapping[str, Any]]) -> list[PlanIssue]:
    """Every problem in a plan, without raising: JSON text or a dict as for Plan.from_dict.

    Empty when the plan is valid. Malformed JSON still raises InvalidInputError 'plan.json'.
    """
    if isinstance(plan, str):
        return [PlanIssue(p, m) for p, m in _spm._comp_plan_issues(plan)]
    if not isinstance(plan, Mapping):
        raise TypeError(f"check_plan expects JSON text or a dict, got {type(plan).__name__}")
    refused: list = []
    text = json.dumps(json_ready(plan, "", "plan", refused), indent=2, ensure_ascii=False)
    # A refused value stands as null: its own message replaces the plan's about the null.
    where = {p for p, _ in refused}
    issues = [PlanIssue(p, m) for p, m in refused]
    issues += [PlanIssue(p, m) for p, m in _spm._comp_plan_issues(text) if p not in where]
    return issues


# --------------------------------------------------------------------------------------------
# Input tables

_DECIMAL_ROLES = {
    "transactions": ("amount",),
    "quotas": ("quota",),
    "credits": ("percent",),
    "credit_rules": ("percent",),
    "scores": ("value",),
    "fx_rates": ("rate",),
    "adjustments": ("amount",),
    "draws": ("amount",),
    "cancellations": ("amount",),
    "events": ("amount",),
    "paid": ("amount",),
    "opening": ("draw_balance", "owed"),
}
_DATE_ROLES = {
    "transactions": ("date",),
    "quotas": ("period_start",),
    "scores": ("period_start",),
    "assignments": ("from", "to"),
    "credit_rules": ("from", "to"),
    "hierarchy": ("from", "to"),
    "relationships": ("from", "to"),
    "fx_rates": ("date",),
    "adjustments": ("date",),
    "draws": ("from", "to"),
    "cancellations": ("date",),
    "events": ("date", "due"),
    "terminations": ("date",),
}
_RUN_EXTRAS = ("credits", "credit_rules", "assignments", "scores", "hierarchy", "relationships",
               "fx_rates")
_LIFECYCLE = ("adjustments", "draws", "cancellations", "events", "terminations", "paid", "payees")


# Bulk inputs whose rows with text that does not parse go to the rejects (as the CLI's reader
# does) instead of stopping the run; the other inputs are small and raise.
_BULK = {"transactions": "transaction_id", "quotas": "payee_id"}


def _as_table(data: Any, role: str, decimal_columns: tuple[str, ...] = (),
              unread: list | None = None) -> Any:
    """An spm.Table for the input `role` (see the module docs for the conversions). With
    `unread`, a bulk input's rows whose text does not parse are left out and listed there as
    rejects rows (source, row, id, payee_id, period, reason)."""
    bad: list | None = [] if unread is not None and role in _BULK else None
    t = input_table(data, role, area="comp",
                    decimal_columns=decimal_columns or _DECIMAL_ROLES.get(role, ()),
                    date_columns=_DATE_ROLES.get(role, ()), rejected=bad, as_attributes=True)
    if bad:
        unread.extend(unread_rejects(data, role, bad, _BULK[role]))
    return t


# --------------------------------------------------------------------------------------------
# Runs


@dataclass(frozen=True)
class CompResult(ResultTables):
    """What a run gives. Per payee and period, the lines sum exactly to the TOTAL payout.

    statements: payee_id, period, period_start, period_end, component, measure, measure_value,
    quota, attainment_percent, earnings, paid_before, payout (one row per payee, period and
    component, plus a "TOTAL" row per payee and period).
    lines: payee_id, period, component, line, kind, transaction_id, date, tier, base, rate, amount,
    note.
    rejects: source, row, id, payee_id, period, reason (input rows and payee-periods not computed).

    Tables are spm.Table: ``.to_pandas()`` (decimals as decimal.Decimal), ``.to_polars()``,
    ``.to_arrow()``. The result pickles.
    """

    statements: Any
    lines: Any
    rejects: Any
    #: Transactions dated after the run range (for a later run; not lost, not rejected).
    transactions_after_range: int
    #: Transactions credited (one per credit record).
    credits: int
    #: The days the run covered, [begin, end).
    run_range: Any = None
    #: Transactions dated before the first pay period the run computed (earlier runs' business;
    #: not lost, not rejected).
    transactions_before_range: int = 0
    #: Worth a look, not errors: a measure or SPIF filter no transaction passes ("its filter
    #: type in ['Booking'] matches no transaction (...); did you mean 'booking'?").
    notes: tuple = ()

    TABLES = ("statements", "lines", "rejects")

    def explain(self, payee: str, period: str) -> str:
        """Same as spm.comp.explain(self, payee, period)."""
        return explain(self, payee, period)


def _plan(p: Any) -> Any:
    """A Plan from a Plan, a dict, JSON or YAML text, or a file path (a one-line text that is
    not JSON)."""
    if isinstance(p, Plan):
        return p
    if isinstance(p, Mapping):
        return Plan.from_dict(p)
    if isinstance(p, str):
        text = p.lstrip("\ufeff \t\r\n")
        if text.startswith("{"):
            return Plan.from_json(text)
        if "\n" in text:
            return Plan.from_yaml(text)
    if isinstance(p, (str, os.PathLike)):
        return Plan.from_file(os.fspath(p))
    raise TypeError(f"plan must be an spm.comp.Plan, a dict, JSON or YAML text or a file path "
                    f"(or a list of the versions of one plan), got {type(p).__name__}")


def _plans(plan: Any) -> list:
    return [_plan(p) for p in (plan if isinstance(plan, (list, tuple)) else [plan])]


def _check_common(period: Any, threads: Any) -> None:
    if not isinstance(period, (str, _spm.Period)):
        raise TypeError(f"period must be a str such as '2026-Q1' or an spm.Period, got "
                        f"{type(period).__name__}")
    if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 0:
        raise ValueError(f"threads must be a whole number >= 0 (0 = one per core), got {threads!r}")


def _inputs(plans: list, transactions: Any, quotas: Any, extras: Mapping[str, Any],
            unread: list | None = None):
    """The transactions, quotas and optional tables as spm.Table (None where not given)."""
    sums = tuple(dict.fromkeys(("amount", *(c for p in plans for c in _spm._comp_sum_columns(p)))))
    tables = {name: None if data is None else _as_table(data, name)
              for name, data in extras.items()}
    # target_incentive is money only for a plan paying in percent of it: elsewhere it is
    # someone's information, left as it is.
    on_target = any(_spm._comp_uses_target_incentive(p) for p in plans)
    quota_money = ("quota", "target_incentive") if on_target else ("quota",)
    return (_as_table(transactions, "transactions", sums, unread),
            _as_table(quotas, "quotas", quota_money, unread), tables)


def run(plan: Any, transactions: Any, quotas: Any, period: Any, *, credits: Any = None,
        credit_rules: Any = None, assignments: Any = None, scores: Any = None,
        hierarchy: Any = None, relationships: Any = None, fx_rates: Any = None,
        threads: int = 0) -> CompResult:
    """Computes every pay period of `plan` that overlaps `period`, for every payee.

    plan: an spm.comp.Plan (or a dict, JSON text or a file path, loaded as by Plan.from_dict,
    from_json, from_file), or a list of the effective-dated versions of one plan (run as one;
    statements and lines then gain a plan_version column: docs/plan-format.md, Plan versions).

    period: "2026-Q1", "2026-03" (a month), "2026" (a plan year), a period label as statements
    print it ("2026-M03", "FY2026-M12", "FY2026-H2"), "2026-01..2026-06" (months, inclusive),
    "2026-01-01..2026-07-01" (dates, half-open), or an spm.Period.
    Tables: pandas/polars DataFrames, pyarrow Tables or spm.Table (see the module docs for the
    columns and for decimals). hierarchy (payee_id, manager_id, from, to) and relationships
    (relationship, key, payee_id, from, to) feed the plan's roll-up rules; fx_rates (currency,
    date, rate) converts foreign-currency transactions. threads: worker threads, 0 = one per
    core; results never depend on it. The GIL is released while computing.

    Raises InvalidInputError 'comp.column' for a missing or mistyped column (a float64 amount
    among them), 'comp.period' for a bad period. Rows that cannot be computed do not raise: they
    are in result.rejects, with the transactions and quotas rows whose text does not parse as a
    decimal or date (the smaller inputs raise for those, naming the column and rows).
    """
    plans = _plans(plan)
    _check_common(period, threads)
    unread: list = []
    tx, q, extras = _inputs(plans, transactions, quotas, {
        "credits": credits, "credit_rules": credit_rules, "assignments": assignments,
        "scores": scores, "hierarchy": hierarchy, "relationships": relationships,
        "fx_rates": fx_rates}, unread)
    st, lines, rejects, after, n_credits, run_range, before, notes = _spm._comp_run(
        plans, tx, q, extras, period, int(threads))
    return CompResult(st, lines, with_rejects(rejects, unread), after, n_credits, run_range,
                      before, tuple(notes))


@dataclass(frozen=True)
class SettleResult(ResultTables):
    """What a lifecycle run gives (docs/comp.md, "Lifecycle").

    statements, lines: the commission run's (as CompResult's).
    pay: one row per payee and pay period: earned, released, held, adjustments, prior_period,
    clawbacks, brought_forward, carried_forward, draw, draw_recovered, draw_balance, net_pay,
    recomputed (closed periods), currency, fx_rate, net_pay_local.
    pay_lines: the lines of each net pay (they sum to net_pay): kind, transaction_id, amount, note.
    held: commission earned but not yet released at the end of the range.
    rejects: the run's and the lifecycle inputs' rejected rows, with reasons.
    fingerprint: SHA-256 of the plan and every input (row order does not matter).
    cancellations_after_range: cancellations dated on or after the range's end (a later run
    claws them back).
    """

    statements: Any
    lines: Any
    pay: Any
    pay_lines: Any
    held: Any
    rejects: Any
    fingerprint: str
    run_range: Any = None
    cancellations_after_range: int = 0
    #: Worth a look, not errors: as CompResult.notes.
    notes: tuple = ()
    #: Cancellations dated before the range, of transactions with no lines in it: passed over
    #: (the settle over their dates takes them back) and listed in a note, not rejected.
    cancellations_before_range: int = 0

    TABLES = ("statements", "lines", "pay", "pay_lines", "held", "rejects")


def settle(plan: Any, transactions: Any, quotas: Any, period: Any, *, adjustments: Any = None,
           draws: Any = None, cancellations: Any = None, events: Any = None,
           terminations: Any = None, paid: Any = None, payees: Any = None, opening: Any = None,
           credits: Any = None,
           credit_rules: Any = None, assignments: Any = None, scores: Any = None,
           hierarchy: Any = None, relationships: Any = None, fx_rates: Any = None,
           threads: int = 0) -> SettleResult:
    """Runs the commission over `period`, then its lifecycle: releases on booking, invoice or
    payment (events), clawbacks of cancellations and refunds, manual adjustments, draws and
    guarantees, closed periods (paid) whose recomputed difference flows into the next open one,
    and pay in each payee's currency (payees, fx_rates). Balances start at zero on the first day
    of `period`: settle the whole history you pay (a plan year).

    Lifecycle tables (all optional): adjustments (payee_id, period, amount, reason, author,
    date), draws (payee_id, from, to, amount, type), cancellations (transaction_id, date,
    amount), events (transaction_id, event, date, amount, due), terminations (payee_id, date),
    paid (payee_id, period, amount), payees (payee_id, currency), opening (payee_id,
    draw_balance, owed: balances brought in from the previous settle). The plan's "clawback",
    "draws", "release" and "proration" sections set the policies (docs/plan-format.md).
    """
    plans = _plans(plan)
    _check_common(period, threads)
    given = {"credits": credits, "credit_rules": credit_rules, "assignments": assignments,
             "scores": scores, "hierarchy": hierarchy, "relationships": relationships,
             "fx_rates": fx_rates, "adjustments": adjustments, "draws": draws,
             "cancellations": cancellations, "events": events, "terminations": terminations,
             "paid": paid, "payees": payees, "opening": opening}
    unread: list = []
    tx, q, extras = _inputs(plans, transactions, quotas, given, unread)
    st, lines, pay, pay_lines, held, rejects, fp, run_range, later, notes, earlier = _spm._comp_settle(
        plans, tx, q, extras, period, int(threads))
    return SettleResult(st, lines, pay, pay_lines, held, with_rejects(rejects, unread), fp,
                        run_range, later, tuple(notes), earlier)


@dataclass(frozen=True)
class WhatIfResult(ResultTables):
    """What a what-if gives: ``summary`` (one row per variant, the baseline first: payout,
    revenue, cost_of_sales_percent, payout percentiles, above_quota_percent, delta, rejected),
    ``payees`` (variant, payee_id, payout, baseline, delta, attainment_percent) and ``rejects``.
    ``frame()`` is the summary as a pandas DataFrame.
    """

    summary: Any
    payees: Any
    rejects: Any
    run_range: Any = None

    TABLES = ("summary", "payees", "rejects")

    def frame(self):
        """The summary as a pandas DataFrame (decimals as decimal.Decimal)."""
        return self.summary.to_pandas()


def what_if(baseline: Any, variants: Any, transactions: Any, quotas: Any, period: Any, *,
            quota_factors: Mapping[str, Any] | None = None, credits: Any = None,
            credit_rules: Any = None, assignments: Any = None, scores: Any = None,
            hierarchy: Any = None, relationships: Any = None, fx_rates: Any = None,
            exact: bool = False, threads: int = 0) -> WhatIfResult:
    """Evaluates the baseline plan and every variant over `period` in one call.

    variants: a dict {id: Plan} (or a list of (id, Plan) pairs; plans also as dicts, JSON text or
    paths, as for run); quota_factors: {id: factor}
    scales that variant's quotas (str, int or decimal.Decimal; 1.1 = quotas up 10%). Variants
    must credit and measure as the baseline does (other rates, tiers, caps, gates, multipliers,
    bonuses and quotas). Crediting is done once; a variant costs the number of payees, not of
    transactions (docs/comp.md, "What-if"); lines are then rounded per pay period, so a payee
    of a running-total plan rounded per line can differ from a full run by cents. exact=True
    keeps every credit: each variant equals a full run to the cent (slower).
    """
    baseline = _plan(baseline)
    pairs = list(variants.items()) if isinstance(variants, Mapping) else list(variants)
    factors = dict(quota_factors or {})
    unknown = set(factors) - {str(i) for i, _ in pairs}
    if unknown:
        raise ValueError(f"quota_factors names variants that are not given: {sorted(unknown)}")
    specs = []
    for vid, p in pairs:
        p = _plan(p)
        f = factors.get(vid, "1")
        if isinstance(f, float):
            raise TypeError("quota factors must be str, int or decimal.Decimal, not float")
        specs.append((str(vid), p, str(f)))
    _check_common(period, threads)
    unread: list = []
    tx, q, extras = _inputs([baseline], transactions, quotas, {
        "credits": credits, "credit_rules": credit_rules, "assignments": assignments,
        "scores": scores, "hierarchy": hierarchy, "relationships": relationships,
        "fx_rates": fx_rates}, unread)
    summary, payees, rejects, run_range = _spm._comp_whatif(
        baseline, specs, tx, q, extras, period, int(threads), bool(exact))
    return WhatIfResult(summary, payees, with_rejects(rejects, unread), run_range)


def explain(result: CompResult, payee: str, period: str) -> str:
    """A plain-text explanation of one payee's statement for one period: measures, quota and
    attainment, each line with its arithmetic, and the total, checkable with a calculator.

    period is the statement's period label ("2026-Q1"). Raises InvalidInputError 'comp.explain'
    when the result has no such statement.
    """
    return _spm._comp_explain(result.statements, result.lines, result.rejects, str(payee), str(period))
