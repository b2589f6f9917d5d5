"""libspm: exact money, periods and Sales Performance Management calculations.

Amounts are :class:`decimal.Decimal` values held exactly by the C++ library (12 decimal places,
magnitude below 1.7e26); binary floats are never converted silently. Dates are
:class:`datetime.date`, proration factors :class:`fractions.Fraction`.
"""

from __future__ import annotations

from ._errors import (
    CancelledError,
    InvalidInputError,
    SpmArithmeticError,
    SpmError,
    SpmIOError,
)
from . import comp, forecast, quota, territory
from ._demo import demo_company
from ._io import CsvResult, Table, from_arrow, parse_csv, read_csv, to_arrow, write_csv
from ._spm import (
    DayCount,
    FiscalCalendar,
    HolidayCalendar,
    Money,
    Period,
    PeriodKind,
    Rounding,
    __version__,
    allocate,
    allocate_percent,
    currency_minor_units,
    day_fraction,
    div,
    is_iso_currency,
    months_in,
    mul,
    parse_date,
    parse_decimal,
    product,
    round_decimal,
)

__all__ = [
    "__version__",
    # errors
    "SpmError",
    "InvalidInputError",
    "SpmArithmeticError",
    "SpmIOError",
    "CancelledError",
    # decimals
    "Rounding",
    "parse_decimal",
    "round_decimal",
    "mul",
    "div",
    "product",
    # money
    "Money",
    "currency_minor_units",
    "is_iso_currency",
    "allocate",
    "allocate_percent",
    # dates and periods
    "parse_date",
    "Period",
    "PeriodKind",
    "months_in",
    "FiscalCalendar",
    "HolidayCalendar",
    "DayCount",
    "day_fraction",
    # tables, CSV and Arrow
    "Table",
    "CsvResult",
    "read_csv",
    "parse_csv",
    "write_csv",
    "from_arrow",
    "to_arrow",
    # commission runs (spm.comp)
    "comp",
    # quotas (spm.quota)
    "quota",
    # deal forecasts (spm.forecast)
    "forecast",
    # territories (spm.territory)
    "territory",
    # demo
    "demo_company",
]
