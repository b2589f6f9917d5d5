"""
libspm: exact money, periods and Sales Performance Management calculations
"""

from collections.abc import Mapping, Sequence
import datetime
import decimal
import enum
import fractions
import os
from typing import Any, overload

from typing_extensions import CapsuleType


class Rounding(enum.Enum):
    """
    How a value is brought to fewer decimal places. The half modes differ only on exact ties.
    """

    half_even = 0
    """
    Ties to the even neighbour (banker's rounding): 2.5 -> 2, 3.5 -> 4. decimal.ROUND_HALF_EVEN.
    """

    half_up = 1
    """Ties toward +infinity: 2.5 -> 3, -2.5 -> -2."""

    half_down = 2
    """Ties toward -infinity: 2.5 -> 2, -2.5 -> -3."""

    half_away_from_zero = 3
    """Ties away from zero: 2.5 -> 3, -2.5 -> -3. decimal.ROUND_HALF_UP."""

    half_toward_zero = 4
    """Ties toward zero: 2.5 -> 2, -2.5 -> -2. decimal.ROUND_HALF_DOWN."""

    down = 5
    """Toward zero (truncate). decimal.ROUND_DOWN."""

    up = 6
    """Away from zero. decimal.ROUND_UP."""

    floor = 7
    """Toward -infinity. decimal.ROUND_FLOOR."""

    ceiling = 8
    """Toward +infinity. decimal.ROUND_CEILING."""

def parse_decimal(text: str, lenient: bool = False) -> decimal.Decimal:
    """
    Parses decimal text exactly: optional sign, digits, optional '.', at most 12 decimals.

    With lenient=True also trims blanks and accepts ',' thousands separators and accounting
    negatives '(12.50)'. Exponents are always rejected. Raises InvalidInputError with id
    'decimal.parse'.
    """

def round_decimal(x: decimal.Decimal | int, places: int, mode: Rounding = Rounding.half_even) -> decimal.Decimal:
    """
    x rounded to `places` decimals (0..12) with `mode`, returned with exactly `places`
    decimals like decimal.Decimal.quantize.
    """

def mul(a: decimal.Decimal | int, b: decimal.Decimal | int, places: int = 12, mode: Rounding = Rounding.half_even) -> decimal.Decimal:
    """
    a * b computed exactly, then rounded once to `places` decimals with `mode`.
    """

def div(a: decimal.Decimal | int, b: decimal.Decimal | int, places: int = 12, mode: Rounding = Rounding.half_even) -> decimal.Decimal:
    """
    a / b rounded once to `places` decimals with `mode`; b == 0 raises SpmArithmeticError.
    """

@overload
def product(a: decimal.Decimal | int, b: decimal.Decimal | int, f: fractions.Fraction | int, places: int, mode: Rounding = Rounding.half_even) -> decimal.Decimal:
    """
    a * b * f (e.g. amount x rate x proration) computed exactly, then rounded once.
    """

@overload
def product(a: decimal.Decimal | int, f: fractions.Fraction | int, places: int, mode: Rounding = Rounding.half_even) -> decimal.Decimal:
    """a * f computed exactly, then rounded once."""

def currency_minor_units(code: str) -> int:
    """
    Minor units of an active ISO 4217 currency (USD 2, JPY 0, KWD 3); unknown codes raise
    InvalidInputError 'currency.unknown'.
    """

def is_iso_currency(code: str) -> bool:
    """True when `code` is an active ISO 4217 code known to libspm."""

class Money:
    """
    An exact amount of one currency. Amounts of different currencies never mix: adding or ordering them raises InvalidInputError 'money.currency_mismatch'.
    """

    def __init__(self, amount: decimal.Decimal | int, currency: str, *, minor_units: int | None = None) -> None:
        """
        `amount` (decimal.Decimal or int) in the ISO 4217 `currency`; give `minor_units` for a
        currency outside ISO 4217 (points, a crypto asset).
        """

    @staticmethod
    def parse(text: str) -> Money:
        """Parses '1234.56 USD' or 'USD 1234.56'."""

    @property
    def amount(self) -> decimal.Decimal:
        """
        The exact amount, with at least the currency's minor units of decimals.
        """

    @property
    def currency(self) -> str:
        """The three-letter currency code."""

    @property
    def minor_units(self) -> int:
        """Decimals of the currency's minor unit (USD 2, JPY 0)."""

    def rounded(self, mode: Rounding = Rounding.half_even) -> Money:
        """The amount rounded to the currency's minor units."""

    def __add__(self, arg: Money, /) -> Money: ...

    def __sub__(self, arg: Money, /) -> Money: ...

    def __neg__(self) -> Money: ...

    def __pos__(self) -> Money: ...

    def __abs__(self) -> Money: ...

    def __mul__(self, arg: decimal.Decimal | int, /) -> Money: ...

    def __rmul__(self, arg: decimal.Decimal | int, /) -> Money: ...

    def __eq__(self, arg: Money, /) -> bool: ...

    def __ne__(self, arg: Money, /) -> bool: ...

    def __lt__(self, arg: Money, /) -> bool: ...

    def __le__(self, arg: Money, /) -> bool: ...

    def __gt__(self, arg: Money, /) -> bool: ...

    def __ge__(self, arg: Money, /) -> bool: ...

    def __hash__(self) -> int: ...

    def __repr__(self) -> str: ...

    def __str__(self) -> str: ...

    def __getstate__(self) -> tuple[decimal.Decimal, str, int]: ...

    def __setstate__(self, arg: tuple[decimal.Decimal | int, str, int], /) -> None: ...

@overload
def allocate(total: Money, weights: Sequence[decimal.Decimal | int]) -> list[Money]:
    """
    Splits money in its currency's minor units, proportionally to `weights`; the parts sum
    exactly to `total`.
    """

@overload
def allocate(total: decimal.Decimal | int, weights: Sequence[decimal.Decimal | int], places: int, tie_keys: Sequence[int] | None = None) -> list[decimal.Decimal]:
    """
    Splits `total` into parts proportional to `weights`, each with `places` decimals, that
    sum exactly to `total` (largest remainder; equal remainders go to the smaller tie key,
    by default the position). Errors: InvalidInputError 'allocate.negative_weight',
    'allocate.zero_weights', 'allocate.places', 'allocate.tie_keys'.
    """

def allocate_percent(total: decimal.Decimal | int, percents: Sequence[decimal.Decimal | int], places: int) -> list[decimal.Decimal]:
    """
    Splits `total` by percentages that sum to exactly 100 ('allocate.percent_sum' otherwise).
    """

def parse_date(text: str) -> datetime.date:
    """
    Parses a strict ISO 8601 date 'YYYY-MM-DD' (InvalidInputError 'date.parse' otherwise).
    """

class PeriodKind(enum.Enum):
    """Lengths of the periods plans, quotas and forecasts run in."""

    month = 0

    quarter = 1

    half_year = 2

    year = 3

def months_in(kind: PeriodKind) -> int:
    """Months in a period of this kind (1, 3, 6, 12)."""

class DayCount(enum.Enum):
    """How proration counts days."""

    calendar_days = 0

    business_days = 1

class Period:
    """
    A half-open span of days [begin, end): begin is the first day in it, end the first day after.
    """

    def __init__(self, begin: datetime.date, end: datetime.date) -> None:
        """Raises InvalidInputError 'period.invalid' unless begin <= end."""

    @property
    def begin(self) -> datetime.date:
        """The first day in the period."""

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""

    @property
    def days(self) -> int:
        """Number of days in the period."""

    @property
    def empty(self) -> bool:
        """True when the period has no day."""

    def contains(self, day: datetime.date) -> bool:
        """True when begin <= day < end."""

    def __contains__(self, day: datetime.date) -> bool: ...

    def intersect(self, other: Period) -> Period | None:
        """The overlap of two periods, or None if they share no day."""

    def __eq__(self, arg: Period, /) -> bool: ...

    def __ne__(self, arg: Period, /) -> bool: ...

    def __hash__(self) -> int: ...

    def __repr__(self) -> str: ...

    def __str__(self) -> str: ...

    def __getstate__(self) -> tuple[int, int]: ...

    def __setstate__(self, arg: tuple[int, int], /) -> None: ...

class FiscalCalendar:
    """
    A fiscal calendar whose years start on the first day of `first_month` (1 = the calendar
    year). Fiscal years are named by the calendar year they end in (FY2025 with first_month=2
    runs 2024-02-01 to 2025-01-31) unless `named_by_start`.
    """

    def __init__(self, first_month: int = 1, named_by_start: bool = False) -> None:
        """
        Raises InvalidInputError 'calendar.first_month' unless 1 <= first_month <= 12.
        """

    @property
    def first_month(self) -> int: ...

    @property
    def named_by_start(self) -> bool: ...

    def period_containing(self, day: datetime.date, kind: PeriodKind) -> Period:
        """The period of `kind` that contains `day`."""

    def periods(self, range: Period, kind: PeriodKind) -> list[Period]:
        """The consecutive whole periods of `kind` that overlap `range`."""

    def fiscal_year(self, day: datetime.date) -> int:
        """The fiscal year containing `day`."""

    def index_in_year(self, day: datetime.date, kind: PeriodKind) -> int:
        """
        1-based index of the period of `kind` containing `day` within its fiscal year.
        """

    def label(self, day: datetime.date, kind: PeriodKind) -> str:
        """
        A label such as 'FY2025', 'FY2025-H1', 'FY2025-Q3', 'FY2025-M07' ('2025-Q3' for the
        calendar year).
        """

    def __eq__(self, arg: FiscalCalendar, /) -> bool: ...

    def __ne__(self, arg: FiscalCalendar, /) -> bool: ...

    def __hash__(self) -> int: ...

    def __repr__(self) -> str: ...

    def __getstate__(self) -> tuple[int, bool]: ...

    def __setstate__(self, arg: tuple[int, bool], /) -> None: ...

class HolidayCalendar:
    """Business days: days that are neither weekend days nor listed holidays."""

    def __init__(self, holidays: Sequence[datetime.date] = [], weekend_mask: int = 65) -> None:
        """
        `holidays` in any order; `weekend_mask` has a bit per weekday, bit 0 = Sunday ...
        bit 6 = Saturday (default Saturday and Sunday, 0b1000001).
        """

    def is_business_day(self, day: datetime.date) -> bool: ...

    def business_days(self, period: Period) -> int:
        """Business days in [period.begin, period.end)."""

    @property
    def holidays(self) -> list[datetime.date]:
        """The holidays that fall on working weekdays, sorted."""

    @property
    def weekend_mask(self) -> int:
        """Weekend days as bits, bit 0 = Sunday ... bit 6 = Saturday."""

    def __getstate__(self) -> tuple[list[datetime.date], int]: ...

    def __setstate__(self, arg: tuple[Sequence[datetime.date], int], /) -> None: ...

def day_fraction(part: Period, whole: Period, count: DayCount, holidays: HolidayCalendar | None = None) -> fractions.Fraction:
    """
    The exact fraction of `whole` covered by `part` (clipped to `whole`), counting calendar
    days or business days, as a fractions.Fraction. Raises InvalidInputError 'period.empty'
    when `whole` has no (business) days.
    """

class Table:
    """
    A typed table from libspm. Convert with to_arrow(), to_pandas(), to_polars(), or hand it to any Arrow consumer (__arrow_c_stream__).
    """

    def __init__(self) -> None: ...

    @property
    def num_rows(self) -> int: ...

    @property
    def num_columns(self) -> int: ...

    @property
    def column_names(self) -> list[str]: ...

    @property
    def schema(self) -> list[str]:
        """Columns as 'name:type?' strings."""

    def __len__(self) -> int: ...

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> CapsuleType:
        """
        Arrow PyCapsule stream: decimals as decimal128(38, 12), dates as date32.
        """

    def to_arrow(self) -> object:
        """
        The table as a pyarrow.Table (decimals as decimal128(38, 12), dates as date32).
        """

    def to_pandas(self) -> object:
        """
        The table as a pandas DataFrame; decimals arrive as exact decimal.Decimal, each with its own places.
        """

    def to_polars(self) -> object:
        """The table as a polars DataFrame."""

    @staticmethod
    def from_arrow(data: object) -> object:
        """
        A table from any Arrow stream producer (pyarrow Table, polars or pandas DataFrame).
        """

    def to_csv_text(self) -> str: ...

    def __getstate__(self) -> tuple: ...

    def __setstate__(self, arg: tuple, /) -> None: ...

class Plan:
    """
    A validated commission plan (docs/plan-format.md). Build it with Plan(json_text), Plan.from_json, Plan.from_yaml, Plan.from_dict or Plan.from_file; invalid plans raise InvalidInputError 'plan.invalid' listing every problem. Immutable; pickles through its JSON text.
    """

    def __init__(self, json: str) -> None:
        """Parses and validates a plan from its JSON text."""

    @staticmethod
    def from_json(json: str) -> Plan:
        """
        Parses and validates a plan from its JSON text (InvalidInputError 'plan.json' for malformed JSON, 'plan.invalid' listing every problem).
        """

    @staticmethod
    def from_dict(plan: Mapping[str, Any]) -> Plan:
        """
        A plan from a dict as its JSON would be. Decimals must be str or decimal.Decimal: a float raises TypeError (binary floats are not exact); dates may be datetime.date.
        """

    @staticmethod
    def from_yaml(yaml: str) -> Plan:
        """
        Parses and validates a plan from YAML text: plain whole numbers are integers, true/false booleans, every other scalar (0.08 too) text, so decimals stay exact (InvalidInputError 'plan.yaml' for malformed YAML, 'plan.no_yaml' when libspm was built without yaml-cpp, 'plan.invalid' listing every problem). `json` is then the equivalent JSON.
        """

    @staticmethod
    def from_file(path: str | os.PathLike) -> Plan:
        """
        Reads a plan file, YAML when named .yaml or .yml, JSON otherwise (SpmIOError 'plan.open' when unreadable).
        """

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def currency(self) -> str:
        """ISO 4217 code of the plan currency."""

    @property
    def pay_period(self) -> PeriodKind:
        """Length of the pay periods."""

    @property
    def quota_period(self) -> PeriodKind:
        """The period quotas are given for (the pay period unless the plan sets quota_period)."""

    @property
    def true_up(self) -> str:
        """'none', 'quarter_to_date' or 'year_to_date'."""

    @property
    def effective(self) -> Period:
        """The dates the plan is in force, [from, to)."""

    @property
    def calendar(self) -> FiscalCalendar:
        """The plan's fiscal calendar."""

    @property
    def quota_measure(self) -> str: ...

    @property
    def measures(self) -> list[str]:
        """Measure ids, in plan order."""

    @property
    def components(self) -> list[str]:
        """Component ids, in plan order."""

    @property
    def json(self) -> str:
        """
        The JSON text the plan was read from (for a YAML plan, its JSON equivalent).
        """

    def validate(self) -> list[tuple[str, str]]:
        """
        Re-validates the plan: a list of (path, message); empty for every Plan object, since construction refuses invalid plans. See spm.comp.check_plan for text that may be invalid.
        """

    def __repr__(self) -> str: ...

    def __getstate__(self) -> tuple[str]: ...

    def __setstate__(self, arg: tuple[str], /) -> None: ...
