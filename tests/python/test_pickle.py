"""Value types pickle (for multiprocessing and Spark) and copy."""

import copy
import pickle
from datetime import date
from decimal import Decimal

import pytest

import spm
from spm import FiscalCalendar, HolidayCalendar, Money, Period

PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)

VALUES = [
    Money(Decimal("1234.5"), "USD"),
    Money(Decimal("-0.000000000001"), "EUR"),
    Money(Decimal("100000000000000000000.000000000001"), "JPY"),
    Money(Decimal("10.5"), "PTS", minor_units=1),
    Period(date(2024, 1, 1), date(2024, 4, 1)),
    Period(date(1, 1, 1), date(9999, 12, 31)),
    FiscalCalendar(),
    FiscalCalendar(2),
    FiscalCalendar(7, named_by_start=True),
]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_round_trip(value, protocol):
    back = pickle.loads(pickle.dumps(value, protocol))
    assert type(back) is type(value)
    assert back == value
    assert repr(back) == repr(value)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_copy(value):
    assert copy.copy(value) == value
    assert copy.deepcopy(value) == value


def test_money_keeps_its_custom_minor_units():
    back = pickle.loads(pickle.dumps(Money(Decimal("10.5"), "PTS", minor_units=1)))
    assert back.minor_units == 1


def test_fiscal_calendar_keeps_its_naming_rule():
    back = pickle.loads(pickle.dumps(FiscalCalendar(7, named_by_start=True)))
    assert back.fiscal_year(date(2024, 7, 1)) == 2024
    back = pickle.loads(pickle.dumps(FiscalCalendar(7)))
    assert back.fiscal_year(date(2024, 7, 1)) == 2025


def test_lists_of_values_pickle():
    parts = spm.allocate(Money(Decimal(100), "USD"), [1, 1, 1])
    assert pickle.loads(pickle.dumps(parts)) == parts


@pytest.mark.skipif(
    "__getstate__" not in vars(HolidayCalendar),
    reason="HolidayCalendar pickles once the C++ class exposes holidays() and weekend_mask()",
)
def test_holiday_calendar_round_trip():
    cal = HolidayCalendar([date(2024, 1, 1), date(2024, 12, 25)], weekend_mask=0b1100000)
    back = pickle.loads(pickle.dumps(cal))
    jan = Period(date(2024, 1, 1), date(2025, 1, 1))
    assert back.business_days(jan) == cal.business_days(jan)
    assert back.weekend_mask == cal.weekend_mask
