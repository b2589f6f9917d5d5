"""Periods, fiscal calendars, holiday calendars and day-count fractions."""

import datetime
from datetime import date
from fractions import Fraction

import pytest

import spm
from spm import DayCount, FiscalCalendar, HolidayCalendar, Period, PeriodKind


def test_period_basics():
    q1 = Period(date(2024, 1, 1), date(2024, 4, 1))
    assert q1.begin == date(2024, 1, 1)
    assert q1.end == date(2024, 4, 1)
    assert q1.days == 91
    assert not q1.empty
    assert q1.contains(date(2024, 3, 31))
    assert not q1.contains(date(2024, 4, 1))  # half-open
    assert date(2024, 1, 1) in q1
    assert str(q1) == "[2024-01-01, 2024-04-01)"
    assert repr(q1) == "Period(datetime.date(2024, 1, 1), datetime.date(2024, 4, 1))"
    assert eval(repr(q1), {"Period": Period, "datetime": datetime}) == q1
    assert Period(date(2024, 1, 1), date(2024, 1, 1)).empty


def test_period_equality_and_hash():
    a = Period(date(2024, 1, 1), date(2024, 2, 1))
    b = Period(date(2024, 1, 1), date(2024, 2, 1))
    assert a == b and hash(a) == hash(b)
    assert a != Period(date(2024, 1, 1), date(2024, 2, 2))
    assert a != "2024-01"
    assert len({a, b}) == 1


def test_intersect():
    q1 = Period(date(2024, 1, 1), date(2024, 4, 1))
    feb_to_may = Period(date(2024, 2, 1), date(2024, 6, 1))
    assert q1.intersect(feb_to_may) == Period(date(2024, 2, 1), date(2024, 4, 1))
    assert q1.intersect(Period(date(2024, 4, 1), date(2024, 5, 1))) is None


def test_invalid_period():
    with pytest.raises(spm.InvalidInputError) as e:
        Period(date(2024, 2, 1), date(2024, 1, 1))
    assert e.value.id == "period.invalid"
    assert isinstance(e.value, ValueError)


def test_dates_cross_exactly_across_the_whole_range():
    for d in [date(1, 1, 1), date(1969, 12, 31), date(1970, 1, 1), date(2024, 2, 29), date(9999, 12, 31)]:
        p = Period(d, d)
        assert p.begin == d and type(p.begin) is date


def test_datetime_and_str_are_not_dates():
    with pytest.raises(TypeError, match=r"\.date\(\)"):
        Period(datetime.datetime(2024, 1, 1, 12, 0), date(2024, 2, 1))
    with pytest.raises(TypeError, match="fromisoformat"):
        Period("2024-01-01", date(2024, 2, 1))


def test_holiday_lists_name_the_bad_element():
    with pytest.raises(TypeError, match=r"element \[1\]: expected datetime.date, got datetime.datetime"):
        HolidayCalendar([date(2024, 1, 1), datetime.datetime(2024, 12, 25, 9, 30)])
    assert not HolidayCalendar((date(2024, 1, 1),)).is_business_day(date(2024, 1, 1))


def test_parse_date():
    assert spm.parse_date("2024-02-29") == date(2024, 2, 29)
    for bad in ["2024-02-30", "2024-2-1", "20240201", ""]:
        with pytest.raises(spm.InvalidInputError) as e:
            spm.parse_date(bad)
        assert e.value.id in ("date.parse", "date.invalid")


def test_period_kinds():
    assert [k.name for k in PeriodKind] == ["month", "quarter", "half_year", "year"]
    assert [spm.months_in(k) for k in PeriodKind] == [1, 3, 6, 12]


def test_calendar_year():
    cal = FiscalCalendar()
    assert cal.first_month == 1
    d = date(2025, 8, 15)
    assert cal.period_containing(d, PeriodKind.quarter) == Period(date(2025, 7, 1), date(2025, 10, 1))
    assert cal.fiscal_year(d) == 2025
    assert cal.index_in_year(d, PeriodKind.quarter) == 3
    assert cal.label(d, PeriodKind.quarter) == "2025-Q3"
    assert cal.label(d, PeriodKind.month) == "2025-M08"


def test_fiscal_year_starting_in_february():
    # FY2025 with first_month = 2 runs 2024-02-01 to 2025-01-31 (period.hpp).
    cal = FiscalCalendar(2)
    assert cal.period_containing(date(2024, 2, 15), PeriodKind.year) == Period(
        date(2024, 2, 1), date(2025, 2, 1)
    )
    assert cal.fiscal_year(date(2024, 2, 1)) == 2025
    assert cal.fiscal_year(date(2025, 1, 31)) == 2025
    assert cal.label(date(2024, 3, 1), PeriodKind.quarter) == "FY2025-Q1"
    assert cal.label(date(2024, 8, 1), PeriodKind.half_year) == "FY2025-H2"
    assert cal.label(date(2024, 2, 1), PeriodKind.year) == "FY2025"
    assert not cal.named_by_start
    by_start = FiscalCalendar(2, named_by_start=True)
    assert by_start.named_by_start
    assert by_start.fiscal_year(date(2024, 2, 1)) == 2024
    assert by_start != cal


def test_periods_cover_a_range():
    cal = FiscalCalendar(4)
    quarters = cal.periods(Period(date(2024, 5, 10), date(2024, 11, 2)), PeriodKind.quarter)
    assert quarters == [
        Period(date(2024, 4, 1), date(2024, 7, 1)),
        Period(date(2024, 7, 1), date(2024, 10, 1)),
        Period(date(2024, 10, 1), date(2025, 1, 1)),
    ]
    assert cal.periods(Period(date(2024, 5, 1), date(2024, 5, 1)), PeriodKind.month) == []


def test_invalid_first_month():
    with pytest.raises(spm.InvalidInputError) as e:
        FiscalCalendar(13)
    assert e.value.id == "calendar.first_month"
    assert e.value.path == "first_month"


def test_business_days():
    # January 2024 has 23 weekdays; New Year's Day (a Monday) is a holiday.
    jan = Period(date(2024, 1, 1), date(2024, 2, 1))
    plain = HolidayCalendar()
    assert plain.business_days(jan) == 23
    cal = HolidayCalendar([date(2024, 1, 1), date(2024, 1, 6), date(2024, 1, 1)])  # a Saturday, a duplicate
    assert cal.business_days(jan) == 22
    assert not cal.is_business_day(date(2024, 1, 1))
    assert cal.is_business_day(date(2024, 1, 2))
    assert not cal.is_business_day(date(2024, 1, 7))  # Sunday
    # Friday + Saturday weekend: bits 5 and 6.
    gulf = HolidayCalendar([], weekend_mask=0b1100000)
    assert gulf.is_business_day(date(2024, 1, 7))  # Sunday works
    assert not gulf.is_business_day(date(2024, 1, 5))  # Friday


def test_day_fraction():
    feb = Period(date(2024, 2, 1), date(2024, 3, 1))
    hired = Period(date(2024, 2, 10), date(2024, 3, 1))
    f = spm.day_fraction(hired, feb, DayCount.calendar_days)
    assert f == Fraction(20, 29) and isinstance(f, Fraction)
    # Part reaching beyond the whole is clipped.
    assert spm.day_fraction(Period(date(2024, 1, 1), date(2024, 12, 1)), feb, DayCount.calendar_days) == 1
    # Business days: February 2024 has 21 weekdays, 14 of them from Saturday the 10th on.
    assert spm.day_fraction(hired, feb, DayCount.business_days) == Fraction(14, 21)
    holidays = HolidayCalendar([date(2024, 2, 19)])  # a Monday
    assert spm.day_fraction(hired, feb, DayCount.business_days, holidays) == Fraction(13, 20)
    assert spm.day_fraction(hired, feb, DayCount.business_days, holidays=None) == Fraction(14, 21)


def test_day_fraction_of_an_empty_whole():
    empty = Period(date(2024, 2, 1), date(2024, 2, 1))
    with pytest.raises(spm.InvalidInputError) as e:
        spm.day_fraction(empty, empty, DayCount.calendar_days)
    assert e.value.id == "period.empty"


def test_proration_end_to_end():
    feb = Period(date(2024, 2, 1), date(2024, 3, 1))
    hired = Period(date(2024, 2, 10), date(2024, 3, 1))
    f = spm.day_fraction(hired, feb, DayCount.calendar_days)
    # 1000 x 5% x 20/29 = 34.4827... -> 34.48, rounded once
    from decimal import Decimal

    assert spm.product(Decimal(1000), Decimal("0.05"), f, 2) == Decimal("34.48")
