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
  optionally ``measure``.
* credits (optional split credits): ``transaction_id``, ``payee_id``, ``percent`` (decimal).
* credit_rules (for plans with ``"credit": {"by": COLUMN}``): ``key``, ``payee_id``, ``from``,
  ``to`` (date, null = open), ``percent`` (decimal, null = 100).
* assignments (optional): ``payee_id``, ``from`` (date), ``to`` (date, null = open).
* scores (optional, for score multipliers): ``payee_id``, ``period_start``, ``score``, ``value``.

Money must arrive as exact decimals
-----------------------------------
A ``float64`` amount (or quota, percent, value) column is refused: the run raises
:class:`spm.InvalidInputError` with id ``"comp.column"`` saying the column "holds float64
values; it must be decimal". Binary floats cannot hold most cents exactly, so libspm never
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
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Union

from . import _spm
from ._io import ResultTables, input_table
from ._values import json_ready

__all__ = [
    "DEMO_PLAN",
    "Plan",
    "PlanIssue",
    "CompResult",
    "check_plan",
    "run",
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
    text = plan if isinstance(plan, str) else _plan_json(plan)
    return [PlanIssue(p, m) for p, m in _spm._comp_plan_issues(text)]


# --------------------------------------------------------------------------------------------
# Input tables

_DECIMAL_ROLES = {
    "transactions": ("amount",),
    "quotas": ("quota",),
    "credits": ("percent",),
    "credit_rules": ("percent",),
    "scores": ("value",),
}
_DATE_ROLES = {
    "transactions": ("date",),
    "quotas": ("period_start",),
    "scores": ("period_start",),
    "assignments": ("from", "to"),
    "credit_rules": ("from", "to"),
}


def _as_table(data: Any, role: str, decimal_columns: tuple[str, ...] = ()) -> Any:
    """An spm.Table for the input `role` (see the module docs for the conversions)."""
    return input_table(data, role, area="comp",
                       decimal_columns=decimal_columns or _DECIMAL_ROLES.get(role, ()),
                       date_columns=_DATE_ROLES.get(role, ()))


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

    TABLES = ("statements", "lines", "rejects")

    def explain(self, payee: str, period: str) -> str:
        """Same as spm.comp.explain(self, payee, period)."""
        return explain(self, payee, period)


def run(plan: Any, transactions: Any, quotas: Any, period: Any, *, credits: Any = None,
        credit_rules: Any = None, assignments: Any = None, scores: Any = None,
        threads: int = 0) -> CompResult:
    """Computes every pay period of `plan` that overlaps `period`, for every payee.

    plan: an spm.comp.Plan, or a list of the effective-dated versions of one plan (run as one;
    statements and lines then gain a plan_version column: docs/plan-format.md, Plan versions).

    period: "2026-Q1", "2026-03" (a month), "2026" (a plan year), "2026-01..2026-06" (months,
    inclusive), "2026-01-01..2026-07-01" (dates, half-open), or an spm.Period.
    Tables: pandas/polars DataFrames, pyarrow Tables or spm.Table (see the module docs for the
    columns and for decimals). threads: worker threads, 0 = one per core; results never depend
    on it. The GIL is released while computing.

    Raises InvalidInputError 'comp.column' for a missing or mistyped column (a float64 amount
    among them), 'comp.period' for a bad period. Rows that cannot be computed do not raise: they
    are in result.rejects.
    """
    plans = list(plan) if isinstance(plan, (list, tuple)) else [plan]
    for p in plans:
        if not isinstance(p, Plan):
            raise TypeError(f"plan must be an spm.comp.Plan (Plan.from_json, from_dict, "
                            f"from_file) or a list of the versions of one plan, got "
                            f"{type(p).__name__}")
    if not isinstance(period, (str, _spm.Period)):
        raise TypeError(f"period must be a str such as '2026-Q1' or an spm.Period, got "
                        f"{type(period).__name__}")
    if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 0:
        raise ValueError(f"threads must be a whole number >= 0 (0 = one per core), got {threads!r}")
    sums = tuple(dict.fromkeys(("amount", *(c for p in plans for c in _spm._comp_sum_columns(p)))))
    tx = _as_table(transactions, "transactions", sums)
    q = _as_table(quotas, "quotas")
    cr = None if credits is None else _as_table(credits, "credits")
    rules = None if credit_rules is None else _as_table(credit_rules, "credit_rules")
    asg = None if assignments is None else _as_table(assignments, "assignments")
    sc = None if scores is None else _as_table(scores, "scores")
    st, lines, rejects, after, n_credits, run_range = _spm._comp_run(
        plans, tx, q, cr, rules, asg, sc, period, int(threads))
    return CompResult(st, lines, rejects, after, n_credits, run_range)


def explain(result: CompResult, payee: str, period: str) -> str:
    """A plain-text explanation of one payee's statement for one period: measures, quota and
    attainment, each line with its arithmetic, and the total, checkable with a calculator.

    period is the statement's period label ("2026-Q1"). Raises InvalidInputError 'comp.explain'
    when the result has no such statement.
    """
    return _spm._comp_explain(result.statements, result.lines, str(payee), str(period))
