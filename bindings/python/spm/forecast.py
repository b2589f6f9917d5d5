"""Deal forecasts for data teams: win probabilities, time to close, and the distribution of
bookings per rep, team and company. DataFrames and NumPy arrays in, tables and arrays out.

::

    import spm.forecast as fc

    model = fc.fit_win_model(closed_df, outcome="stage", numeric=["amount"],
                             categorical=["product", "segment"], calibration="isotonic")
    scored = model.predict(open_df)          # rows, probability (NumPy), rejects
    fc.score(scored.probability, y)          # AUC, log-loss, Brier, ECE beside the base rate

    d = fc.deal_durations(deals_df, as_of="2026-01-01")   # open deals censored, not dropped
    fc.kaplan_meier(d.days, d.cause > 0)                  # P(still open after t)
    fc.aalen_johansen(d.days, d.cause)                    # P(won by t), P(lost by t)

    b = fc.bookings(open_df, probability="p", amount="amount", group="owner_id",
                    targets=quotas_df)       # per group: expected, P10/P50/P90, P(reach target)

Statistics are float64 (probabilities, durations); money stays exact: amounts are decimal
columns and quantiles come back as ``decimal.Decimal`` on the amount lattice. Every computation
releases the GIL.
"""
from __future__ import annotations

import datetime
import warnings
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from . import _spm
from ._io import ResultTables, input_table, unread_rejects, with_rejects
from ._io import column_names as _names
from ._values import decimal_value, midnight_date

__all__ = [
    "CALIBRATIONS",
    "WinModel",
    "WinScores",
    "DealDurations",
    "Bookings",
    "fit_win_model",
    "score",
    "kaplan_meier",
    "aalen_johansen",
    "deal_durations",
    "bookings",
    "WindowForecast",
    "forecast_window",
    "BacktestResult",
    "backtest",
    "HazardModel",
    "HazardForecast",
    "fit_hazard",
    "amount_ratios",
    "slippage",
    "category_rollup",
    "apply_overrides",
    "snapshot_diff",
    "capacity_by_size",
]

#: Calibrations of the win model (none, Platt scaling, isotonic regression).
CALIBRATIONS = ("none", "platt", "isotonic")


def _count(value: Any, name: str) -> int:
    """A whole number >= 0 for a C++ unsigned argument; InvalidInputError "forecast.options"
    instead of nanobind's "incompatible function arguments" TypeError."""
    import operator

    from ._errors import InvalidInputError

    try:
        n = operator.index(value)
    except TypeError:
        n = -1
    if n < 0:
        detail = f"{name} must be a whole number >= 0, got {value!r}"
        raise InvalidInputError(f"[forecast.options] {name}: {detail}", id="forecast.options", path=name,
                                detail=detail)
    return n


def _doubles(values: Any) -> Any:
    import numpy as np

    return np.ascontiguousarray(np.asarray(values, dtype=np.float64))


@dataclass(frozen=True)
class WinScores(ResultTables):
    """Predictions: the input rows scored, their P(won), and the rows not scored.

    ``rows`` are 0-based positions in the input (``df.iloc[rows]``); the ``row`` of ``rejects``
    counts from 1, as a person reads a table or a CSV file's data lines (position + 1)."""

    rows: Any
    probability: Any
    rejects: Any
    TABLES = ("rejects",)


class WinModel:
    """A fitted win model (see :func:`fit_win_model`). Pickles through its JSON form."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def predict(self, deals: Any) -> WinScores:
        """P(won) for each row with usable features; the outcome column is not needed."""
        o = self._native.feature_columns()
        rows, p, rejects = self._native.predict(input_table(deals, "deals", area="forecast", columns=o))
        return WinScores(rows, p, rejects)

    @property
    def coefficients(self) -> Any:
        """feature, coefficient (standardised numerics, level indicators), mean, scale."""
        return self._native.coefficients_table()

    @property
    def rejects(self) -> Any:
        """The fitting table's rows not used (open deals, bad features), with reasons."""
        return self._native.fit_rejects()

    rows_used = property(lambda self: self._native.rows_used)
    base_rate = property(lambda self: self._native.base_rate)
    iterations = property(lambda self: self._native.iterations)
    converged = property(lambda self: self._native.converged)
    calibration = property(lambda self: self._native.calibration)

    def to_json(self) -> str:
        """The model as JSON (what ``spm forecast fit`` writes to model.json)."""
        return self._native.to_json()

    @classmethod
    def from_json(cls, text: str) -> "WinModel":
        return cls(_spm._WinModel.from_json(text))

    def __reduce__(self) -> Any:
        return (WinModel.from_json, (self.to_json(),))


def fit_win_model(deals: Any, *, outcome: str = "outcome", numeric: Sequence[str] = (),
                  categorical: Sequence[str] = (), known_at_close: Sequence[str] = (),
                  l2: float = 1.0, calibration: str = "none", folds: int = 5,
                  min_per_class: int = 10, threads: int = 0, id: Optional[str] = None) -> WinModel:
    """Fits P(won) on the closed deals of `deals` by L2-penalised logistic regression.

    outcome: won/lost text (any case; also win/loss, 1/0, true/false), a boolean or 0/1 column;
    other values (open stages) are skipped and listed in ``model.rejects``. numeric: columns
    standardised before the fit; categorical: one indicator per level. known_at_close: columns
    known only after a deal closes; naming one as a feature raises InvalidInputError
    "forecast.leakage". calibration: "none", "platt" or "isotonic", fitted on out-of-fold scores.
    Raises InvalidInputError "forecast.history" when fewer than `min_per_class` deals were won
    or lost. threads: 0 = every core; the model is the same for any count. id: a deal id column;
    a row repeating an earlier row's id is rejected.
    """
    if calibration not in CALIBRATIONS:
        raise ValueError(f"calibration must be one of {CALIBRATIONS}, got {calibration!r}")
    used = [outcome, *_names(numeric, "numeric"), *_names(categorical, "categorical")] + ([id] if id else [])
    t = input_table(deals, "deals", area="forecast", columns=used)
    native = _spm._forecast_fit(t, outcome, _names(numeric, "numeric"),
                                _names(categorical, "categorical"),
                                _names(known_at_close, "known_at_close"), float(l2), calibration,
                                int(folds), _count(min_per_class, "min_per_class"), _count(threads, "threads"), id or "")
    model = WinModel(native)
    if not model.converged:
        # As the CLI says it: the coefficients (and probabilities near 0 or 1) are not to be trusted.
        warnings.warn(f"the win model did not converge in {model.iterations} Newton steps (separable "
                      f"data?): raise l2 (l2={l2!r} now) or drop a feature that decides the outcome alone",
                      stacklevel=2)
    return model


def score(probability: Any, outcome: Any, *, bins: int = 10) -> dict[str, Any]:
    """AUC, log-loss, Brier and expected calibration error (`bins` equal-width bins) of
    probabilities against 0/1 outcomes, beside the base rate's log-loss and Brier; the
    reliability bins as a table under "reliability". Raises InvalidInputError "forecast.score"
    for no scores at all (an AUC of nothing is not 0)."""
    p = _doubles(probability)
    if p.size == 0:
        from ._errors import InvalidInputError

        detail = "no probabilities to score; give at least one probability and its outcome"
        raise InvalidInputError(f"[forecast.score] probability: {detail}", id="forecast.score",
                                path="probability", detail=detail)
    return _spm._forecast_score(p, _doubles(outcome), int(bins))


def kaplan_meier(durations: Any, observed: Any) -> Any:
    """The Kaplan-Meier curve: time, at_risk, events, censored, survival, std_error (Greenwood).
    observed: true where the deal closed at its duration, false where it was still open."""
    import numpy as np

    return _spm._forecast_kaplan_meier(_doubles(durations),
                                       np.ascontiguousarray(np.asarray(observed, dtype=np.uint8)))


def aalen_johansen(durations: Any, cause: Any, *, names: Sequence[str] = ("won", "lost")) -> Any:
    """Cumulative incidence of each outcome with the others competing: time, at_risk, survival,
    incidence_<name> per outcome. cause: 0 still open, 1 = names[0], 2 = names[1], ..."""
    import numpy as np

    c = np.ascontiguousarray(np.asarray(cause, dtype=np.int32))
    return _spm._forecast_aalen_johansen(_doubles(durations), c, len(names), list(names))


def _read_deals(deals: Any, columns: Sequence[str], dates: Sequence[str], id: Optional[str],
                decimals: Sequence[str] = ()) -> tuple:
    """The deals table for the forecast functions that read dates: rows whose date (or decimal)
    text does not parse are left out and become rejects with the reader's reason, as the CLI's
    reader makes them, instead of failing the call. Returns (table, unread rejects, input rows of
    the table's rows: None when none was left out)."""
    import numpy as np

    bad: list = []
    t = input_table(deals, "deals", area="forecast", date_columns=tuple(dates), decimal_columns=tuple(decimals),
                    columns=list(columns), rejected=bad)
    if not bad:
        return t, [], None
    lines = np.asarray(t.to_arrow().column("_line").to_numpy(), dtype=np.int64) - 1
    return t, unread_rejects(deals, "deals", bad, id or ""), lines


def _input_rows(rows: Any, lines: Any) -> Any:
    import numpy as np

    return rows if lines is None else lines[np.asarray(rows, dtype=np.int64)]


@dataclass(frozen=True)
class DealDurations(ResultTables):
    """Deals as of a date: rows used, days open (to close, or to the as-of date), cause (1 won,
    2 lost, 0 still open: censored), and rows rejected."""

    rows: Any
    days: Any
    cause: Any
    rejects: Any
    TABLES = ("rejects",)


def deal_durations(deals: Any, as_of: Any, *, created: str = "created_date",
                   closed: str = "close_date", outcome: str = "outcome", id: Optional[str] = None) -> DealDurations:
    """How long each deal known on `as_of` was open and how it ended, using only what was known
    then: a deal closed later counts as open (censored); one created later is left out. id: a deal
    id column; a row repeating an earlier row's id is rejected."""
    t, unread, lines = _read_deals(deals, (created, closed, outcome) + ((id,) if id else ()), (created, closed), id)
    rows, days, cause, rejects = _spm._forecast_durations(t, created, closed, outcome, _date(as_of), id or "")
    return DealDurations(_input_rows(rows, lines), days, cause, with_rejects(rejects, unread))


@dataclass(frozen=True)
class Bookings(ResultTables):
    """A bookings forecast: `summary` per group and "(all)" (deals, expected, sd, p10, p50, p90,
    target, p_reach_target, method, step, lattice_sd), the total's `distribution` (amount,
    probability, cumulative), its pmf on the lattice (`pmf[k]` = P(total = origin + k x step);
    `origin`: its first point, exact), `rejects`,
    `mean`: the expected total as an exact ``decimal.Decimal`` to the cent (the "(all)" row's
    `expected`: each amount x probability summed in exact decimal, never in binary floating
    point; docs/forecast.md), `sd` its standard deviation (a statistic: float),
    `max_rounding`: the largest distance from an amount to its nearest lattice point (0: all
    exact), `lattice_sd`: the standard deviation the lattice adds to the total (an amount between
    two points is split between them, keeping its mean; 0: all exact), and `notes`: cautions
    (e.g. a saddlepoint group dominated by one deal)."""

    summary: Any
    distribution: Any
    pmf: Any
    step: Any
    mean: Any
    sd: float
    method: str
    rejects: Any
    max_rounding: Any = None
    lattice_sd: float = 0.0
    notes: tuple = ()
    origin: Any = None
    TABLES = ("summary", "distribution", "rejects")


def bookings(deals: Any, *, probability: str = "probability", amount: str = "amount",
             group: Optional[str] = None, targets: Any = None, method: str = "exact",
             period_sd: float = 0.0, scenarios: int = 100_000, seed: int = 1, threads: int = 0,
             step: Any = 0, max_points: int = 1 << 20,
             quantiles: Sequence[float] = (0.1, 0.5, 0.9), id: Optional[str] = None,
             history: Any = None, as_of: Any = None, window_days: int = 90, windows: int = 4) -> Bookings:
    """The distribution of bookings of open deals, per `group` and in total.

    probability: P(won within the window) per deal; amount: a decimal column (exact money).
    method: "exact" (the product of the deals' generating functions on an amount lattice),
    "monte_carlo" (with a shared period factor of `period_sd` on the log-odds: deals move
    together, intervals widen; another method with period_sd other than 0 raises
    InvalidInputError "forecast.options") or "saddlepoint" (for very large groups: no lattice, no pmf; a
    group of fewer than 200 deals still gets the exact distribution). targets: a table with the group column (or "group") and
    "target"; "(all)" targets the total. group: deals with a missing or empty group value form
    the group "(missing)" (they still count in "(all)"). step: the lattice step (0 chooses one:
    exact when the amounts' common divisor allows, else a round step with every amount within 1%
    of the largest of a lattice point; an amount between points is split between the two, keeping
    its mean; the result's `step` and `lattice_sd` say which and what it adds). max_points: at
    least 2. `expected` is always sum(p x amount) of the exact amounts, summed exactly (each
    product to 12 places, the total to the cent; docs/forecast.md); p_reach_target has 6
    significant digits (of it, or of 1 - it when nearer 1).
    history, as_of: add the deals not created yet that will be won within `window_days`, per
    group, estimated from `history` (created_date, close_date, outcome, the amount and group
    columns): in each of the last `windows` windows before `as_of`, the deals created in the
    window and won before it ended (a compound Poisson total).
    """
    # Deals whose amount text does not parse are rejects, as the CLI's reader makes them.
    bad: list = []
    t = input_table(deals, "deals", area="forecast", decimal_columns=(amount,),
                    columns=[probability, amount] + ([group] if group else []) + ([id] if id else []),
                    rejected=bad)
    unread = unread_rejects(deals, "deals", bad, id or "") if bad else []
    h = None
    if history is not None:
        if as_of is None:
            raise ValueError("history needs as_of: the date new deals are counted back from")
        h = input_table(history, "history", area="forecast", decimal_columns=(amount,),
                        date_columns=("created_date", "close_date"),
                        columns=["created_date", "close_date", "outcome", amount] + ([group] if group else []))
    g = None
    if targets is not None:
        g = input_table(targets, "targets", area="forecast", decimal_columns=("target",),
                        columns=[group or "group", "group", "target"])
    (summary, dist, pmf, lattice_step, mean, sd, used, rejects, rounding, lattice_sd, notes,
     origin) = _spm._forecast_bookings(
        t, g, probability, amount, group or "", method, float(period_sd), _count(scenarios, "scenarios"),
        _count(seed, "seed"), _count(threads, "threads"), decimal_value(step, "step"), _count(max_points, "max_points"),
        [float(q) for q in quantiles], id or "", h, None if as_of is None else _date(as_of),
        int(window_days), int(windows))
    return Bookings(summary, dist, pmf, lattice_step, mean, sd, used, with_rejects(rejects, unread),
                    rounding, lattice_sd, tuple(notes), origin)


@dataclass(frozen=True)
class WindowForecast(ResultTables):
    """The deals open on the as-of date and P(won within the window): `rows` (input rows),
    `p_win` (P(won | it closes then), age-adjusted), `p_close` (P(closes within the window |
    open at its age)), `p` (their product); the `model` fitted on the deals closed before, the
    `closing` curve (Kaplan-Meier), the open deals not scored (`rejects`) and `notes`: cautions
    (e.g. an as-of date past the data), also issued as warnings."""

    rows: Any
    p_win: Any
    p_close: Any
    p: Any
    model: WinModel
    closing: Any
    rejects: Any
    notes: tuple = ()
    TABLES = ("closing", "rejects")


def _date(value: Any, name: str = "as_of") -> datetime.date:
    """The one reading of a date argument in spm.forecast: 'YYYY-MM-DD', a date, or a datetime at
    midnight without a time zone (a pandas Timestamp, a NumPy datetime64). Anything else raises
    InvalidInputError "forecast.options" naming the argument."""
    from ._errors import InvalidInputError

    if isinstance(value, str):
        return _spm.parse_date(value)
    day = midnight_date(value)
    if day is not None:
        return day
    if isinstance(value, datetime.datetime) or type(value).__name__ == "datetime64":
        detail = (f"{value} is not a date: it has a time of day or a time zone; give the calendar date "
                  f"(e.g. value.date() or 'YYYY-MM-DD')")
    else:
        detail = f"expected a date ('YYYY-MM-DD', datetime.date or a pandas Timestamp), got {type(value).__name__} {value!r}"
    raise InvalidInputError(f"[forecast.options] {name}: {detail}", id="forecast.options", path=name, detail=detail)


def _model_args(outcome: str, numeric: Sequence[str], categorical: Sequence[str],
                known_at_close: Sequence[str], l2: float, calibration: str) -> tuple:
    if calibration not in CALIBRATIONS:
        raise ValueError(f"calibration must be one of {CALIBRATIONS}, got {calibration!r}")
    return (outcome, _names(numeric, "numeric"), _names(categorical, "categorical"),
            _names(known_at_close, "known_at_close"), float(l2), calibration)


def forecast_window(deals: Any, as_of: Any, *, outcome: str = "outcome", numeric: Sequence[str] = (),
                    categorical: Sequence[str] = (), known_at_close: Sequence[str] = (),
                    l2: float = 1.0, calibration: str = "none", created: str = "created_date",
                    closed: str = "close_date", window_days: int = 90, threads: int = 0,
                    id: Optional[str] = None) -> WindowForecast:
    """P(won within [as_of, as_of + window_days)) for every deal open on `as_of`, using only what
    was known then: a win model on the deals closed before, times the chance of closing within
    the window at the deal's age (time to close with open deals censored). With `id`, a row
    repeating an earlier valid row's deal id goes to rejects."""
    args = _model_args(outcome, numeric, categorical, known_at_close, l2, calibration)
    cols = [created, closed, outcome, *args[1], *args[2], *([id] if id else [])]
    t, unread, lines = _read_deals(deals, cols, (created, closed), id)
    rows, p_win, p_close, p, model, closing, rejects, notes = _spm._forecast_window(
        t, *args, created, closed, _date(as_of), int(window_days), _count(threads, "threads"), id or "")
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return WindowForecast(_input_rows(rows, lines), p_win, p_close, p, WinModel(model), closing,
                          with_rejects(rejects, unread), tuple(notes))


@dataclass(frozen=True)
class BacktestResult(ResultTables):
    """A rolling backtest: `cuts`, one row per as-of date (deal AUC, log-loss and Brier beside
    the base rate, ECE, expected vs actual total, P10/P90 and P5/P95 with independent deals and
    with the period factor, and whether the actual fell inside), and `summary` (means, coverage,
    the fitted period_sd), and `rejects`: rows left out at some cut, each listed once."""

    cuts: Any
    summary: dict
    rejects: Any
    TABLES = ("cuts", "rejects")


def backtest(deals: Any, cuts: Sequence[Any], *, outcome: str = "outcome", numeric: Sequence[str] = (),
             categorical: Sequence[str] = (), known_at_close: Sequence[str] = (), l2: float = 1.0,
             calibration: str = "none", created: str = "created_date", closed: str = "close_date",
             window_days: int = 90, amount: str = "amount", actual_amount: Optional[str] = None,
             scenarios: int = 20_000, seed: int = 1, threads: int = 0, id: Optional[str] = None) -> BacktestResult:
    """The window forecast made at each cut and scored against what happened next: deal-level
    scores, the period total's error, and interval coverage with independent deals and with a
    shared period factor fitted on the other cuts (leave one out). The table's money columns
    (expected, actual, the quantiles) are exact decimals; the statistics are float64. With `id`, a
    row repeating an earlier valid row's deal id goes to rejects."""
    args = _model_args(outcome, numeric, categorical, known_at_close, l2, calibration)
    money = [amount] + ([actual_amount] if actual_amount else [])
    cols = [created, closed, outcome, *money, *args[1], *args[2], *([id] if id else [])]
    t = input_table(deals, "deals", area="forecast", date_columns=(created, closed),
                    decimal_columns=tuple(money), columns=cols)
    table, summary, rejects = _spm._forecast_backtest(
        t, *args, created, closed, int(window_days), [_date(c, f"cuts[{i}]") for i, c in enumerate(cuts)], amount,
        actual_amount or "", _count(scenarios, "scenarios"), _count(seed, "seed"), _count(threads, "threads"),
        id or "")
    return BacktestResult(table, summary, rejects)


@dataclass(frozen=True)
class HazardForecast(ResultTables):
    """Deals open on a date: `rows`, P(won) and P(lost) within the window (`p_won`, `p_lost`),
    `close_by_period` (rows x horizon: P(closes in the j-th period from now)), the same as the
    `periods` table, and `rejects`."""

    rows: Any
    p_won: Any
    p_lost: Any
    close_by_period: Any
    periods: Any
    rejects: Any
    TABLES = ("periods", "rejects")


class HazardModel:
    """A discrete-time hazard model (see :func:`fit_hazard`)."""

    def __init__(self, native: Any, columns: list[str], dates: tuple[str, str]) -> None:
        self._native = native
        self._columns = columns
        self._dates = dates

    def predict(self, deals: Any, as_of: Any, *, window_days: int = 90, horizon: int = 12) -> HazardForecast:
        """For the deals open on `as_of`: P(won) and P(lost) within `window_days`, and the close
        period distribution over `horizon` periods."""
        t = input_table(deals, "deals", area="forecast", date_columns=self._dates, columns=self._columns)
        rows, p_won, p_lost, h, close, periods, rejects = self._native.predict(
            t, _date(as_of), int(window_days), _count(horizon, "horizon"))
        return HazardForecast(rows, p_won, p_lost, close.reshape(-1, h) if len(close) else close.reshape(0, h),
                              periods, rejects)

    person_periods = property(lambda self: self._native.person_periods)

    @property
    def rejects(self) -> Any:
        """Rows of the fitting table the fit could not use (a close before the creation, a closed
        deal without an outcome, a misspelt outcome, a repeated id): row, column, value, reason."""
        return self._native.rejects()

    @property
    def coefficients(self) -> dict[str, Any]:
        """The won and the lost hazard's coefficients (the age periods are `_period=pNN`)."""
        return {"won": self._native.won_coefficients(), "lost": self._native.lost_coefficients()}


def fit_hazard(deals: Any, as_of: Any, *, outcome: str = "outcome", created: str = "created_date",
               closed: str = "close_date", numeric: Sequence[str] = (), categorical: Sequence[str] = (),
               known_at_close: Sequence[str] = (), period_days: int = 30, max_periods: int = 12,
               l2: float = 1.0, id: Optional[str] = None) -> HazardModel:
    """Discrete-time hazards of being won and of being lost in each `period_days` period of a
    deal's age, given features known at creation; each deal known on `as_of` contributes one row
    per period it was open (open deals up to `as_of`: censored). id: a deal id column; a row
    repeating an earlier row's id is rejected (in the predictions' rejects)."""
    num, cat = _names(numeric, "numeric"), _names(categorical, "categorical")
    cols = [created, closed, outcome, *num, *cat] + ([id] if id else [])
    t = input_table(deals, "deals", area="forecast", date_columns=(created, closed), columns=cols)
    native = _spm._forecast_hazard_fit(t, created, closed, outcome, num, cat,
                                       _names(known_at_close, "known_at_close"), _date(as_of),
                                       int(period_days), int(max_periods), float(l2), id or "")
    return HazardModel(native, cols, (created, closed))


# --------------------------------------------------------------------------------------------
# Pipeline analytics


def amount_ratios(deals: Any, *, amount: str = "amount", close_amount: str = "close_amount",
                  outcome: str = "outcome", segment: Optional[str] = None) -> dict[str, Any]:
    """What won deals closed for against their open amount, by segment ("(all)" last), and each
    deal's expected amount at close (amount x its segment's ratio, to the cent). Returns
    {"ratios", "expected", "rejects"} as spm.Table."""
    cols = [amount, close_amount, outcome] + ([segment] if segment else [])
    t = input_table(deals, "deals", area="forecast", decimal_columns=(amount, close_amount), columns=cols)
    ratios, expected, rejects = _spm._forecast_amounts(t, amount, close_amount, outcome, segment or "")
    return {"ratios": ratios, "expected": expected, "rejects": rejects}


def slippage(deals: Any, as_of: Any, *, expected: str = "expected_close_date", closed: str = "close_date",
             created: str = "created_date") -> dict[str, Any]:
    """How far closes slip past the expected close date (share late, P10/P50/P90 days late) and
    how many open deals are past theirs."""
    t = input_table(deals, "deals", area="forecast", date_columns=(expected, closed, created),
                    columns=[expected, closed, created])
    return _spm._forecast_slippage(t, expected, closed, created, _date(as_of))


def category_rollup(deals: Any, *, category: str = "forecast_category", amount: str = "amount",
                    group: Optional[str] = None) -> dict[str, Any]:
    """Closed / Commit / Best Case / Pipeline / Omitted amounts per group and "(all)", with the
    call (closed + commit) and upside (+ best case). Returns {"table", "rejects"}."""
    cols = [category, amount] + ([group] if group else [])
    t = input_table(deals, "deals", area="forecast", decimal_columns=(amount,), columns=cols)
    table, rejects = _spm._forecast_categories(t, category, amount, group or "")
    return {"table": table, "rejects": rejects}


def apply_overrides(deals: Any, overrides: Any, *, id: str = "deal_id", probability: str = "probability",
                    close_date: Optional[str] = None) -> dict[str, Any]:
    """A scenario: `overrides` (id, and any of action won/lost, probability, close_date) applied
    to a copy of `deals`, with a column `override` saying what changed. Returns {"deals",
    "rejects" (rows of `overrides`), "deal_rejects" (rows of `deals`: a repeated id), "applied"}."""
    d = input_table(deals, "deals", area="forecast", date_columns=(close_date,) if close_date else ())
    o = input_table(overrides, "overrides", area="forecast", date_columns=("close_date",))
    table, rejects, deal_rejects, applied = _spm._forecast_overrides(d, o, id, probability, close_date or "")
    return {"deals": table, "rejects": rejects, "deal_rejects": deal_rejects, "applied": applied}


def snapshot_diff(before: Any, after: Any, *, id: str = "deal_id", amount: str = "amount",
                  close_date: str = "expected_close_date", outcome: str = "outcome") -> dict[str, Any]:
    """What changed between two snapshots: one row per change (new, won, lost, pushed, pulled,
    amount_changed, removed) and a summary per change. Returns {"changes", "summary", "rejects"}."""
    cols = [id, amount, close_date, outcome]
    b = input_table(before, "before", area="forecast", decimal_columns=(amount,), date_columns=(close_date,),
                    columns=cols)
    a = input_table(after, "after", area="forecast", decimal_columns=(amount,), date_columns=(close_date,),
                    columns=cols)
    changes, summary, rejects = _spm._forecast_diff(b, a, id, amount, close_date, outcome)
    return {"changes": changes, "summary": summary, "rejects": rejects}


def capacity_by_size(deals: Any, as_of: Any, bands: Sequence[Any], *, owner: str = "owner_id",
                     amount: str = "amount", created: str = "created_date", closed: str = "close_date",
                     outcome: str = "outcome", period_days: int = 90, history_days: int = 365) -> dict[str, Any]:
    """Each rep's win rate (raw and shrunk toward the team by a beta prior per band), median cycle
    and expected closes and value per period, by deal-size band (`bands`: ascending upper
    bounds). Returns {"reps", "prior", "rejects"}."""
    cols = [owner, amount, created, closed, outcome]
    t = input_table(deals, "deals", area="forecast", decimal_columns=(amount,), date_columns=(created, closed),
                    columns=cols)
    reps, prior, rejects = _spm._forecast_capacity(t, owner, amount, created, closed, outcome,
                                                   [decimal_value(b, f"bands[{i}]") for i, b in enumerate(bands)], _date(as_of),
                                                   int(period_days), int(history_days))
    return {"reps": reps, "prior": prior, "rejects": rejects}
