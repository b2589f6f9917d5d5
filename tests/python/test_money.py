"""spm.Money: an exact amount of one currency."""

from decimal import Decimal

import pytest

import spm
from spm import Money, Rounding


def usd(text):
    return Money(Decimal(text), "USD")


def test_construction_and_properties():
    m = usd("1234.5")
    assert m.amount == Decimal("1234.5")
    assert str(m.amount) == "1234.50"  # at least the minor units
    assert m.currency == "USD"
    assert m.minor_units == 2
    assert Money(7, "JPY").minor_units == 0
    assert Money(Decimal("1.2345"), "KWD").amount == Decimal("1.2345")  # unrounded kept


def test_minor_units_of_iso_currencies():
    assert spm.currency_minor_units("USD") == 2
    assert spm.currency_minor_units("JPY") == 0
    assert spm.currency_minor_units("KWD") == 3
    assert spm.currency_minor_units("CLF") == 4
    assert spm.is_iso_currency("EUR")
    assert not spm.is_iso_currency("XYZ")


def test_unknown_currency():
    with pytest.raises(spm.InvalidInputError) as e:
        Money(1, "usd")
    assert e.value.id == "currency.unknown"
    assert "'usd' is not an active ISO 4217 currency code" in str(e.value)
    with pytest.raises(spm.InvalidInputError):
        spm.currency_minor_units("XYZ")


def test_custom_currency():
    pts = Money(Decimal("10.5"), "PTS", minor_units=1)
    assert pts.currency == "PTS"
    assert pts.minor_units == 1
    assert str(pts) == "10.5 PTS"
    assert repr(pts) == "Money(Decimal('10.5'), 'PTS', minor_units=1)"
    with pytest.raises(spm.InvalidInputError) as e:
        Money(1, "PTS", minor_units=13)
    assert e.value.id == "currency.custom"
    # minor_units equal to ISO's gives the ISO currency itself
    assert Money(1, "USD", minor_units=2) == Money(1, "USD")


def test_str_and_repr():
    assert str(usd("1234.5")) == "1234.50 USD"
    assert str(usd("0.125")) == "0.12 USD"  # display rounds half-even
    assert repr(usd("1234.5")) == "Money(Decimal('1234.50'), 'USD')"
    assert repr(usd("0.125")) == "Money(Decimal('0.125'), 'USD')"
    m = usd("-0.125")
    assert eval(repr(m), {"Money": Money, "Decimal": Decimal}) == m


def test_parse():
    assert Money.parse("1234.56 USD") == usd("1234.56")
    assert Money.parse("EUR 10") == Money(10, "EUR")
    with pytest.raises(spm.InvalidInputError) as e:
        Money.parse("12 dollars")
    assert e.value.id in ("money.parse", "currency.unknown")


def test_arithmetic():
    a, b = usd("10.25"), usd("0.75")
    assert a + b == usd("11")
    assert a - b == usd("9.5")
    assert -a == usd("-10.25")
    assert +a == a
    assert abs(usd("-3")) == usd("3")
    assert a * Decimal("0.1") == usd("1.025")  # scaling keeps every decimal
    assert Decimal("2") * a == usd("20.5")
    assert a * 3 == usd("30.75")
    assert 3 * a == usd("30.75")


def test_scaling_by_float_is_rejected():
    with pytest.raises(TypeError, match="float"):
        usd("1") * 1.5
    with pytest.raises(TypeError, match="float"):
        1.5 * usd("1")


def test_mixed_currencies_never_mix():
    with pytest.raises(spm.InvalidInputError) as e:
        usd("1") + Money(1, "EUR")
    assert e.value.id == "money.currency_mismatch"
    with pytest.raises(spm.InvalidInputError):
        usd("1") - Money(1, "EUR")
    with pytest.raises(spm.InvalidInputError):
        usd("1") < Money(1, "EUR")
    assert usd("1") != Money(1, "EUR")  # equality just says no


def test_adding_a_number_is_a_type_error():
    with pytest.raises(TypeError):
        usd("1") + 1
    with pytest.raises(TypeError):
        usd("1") + Decimal(1)


def test_comparisons_and_hash():
    assert usd("1.5") == usd("1.50")
    assert hash(usd("1.5")) == hash(usd("1.50"))
    assert usd("1") < usd("1.01") <= usd("1.01") < usd("2")
    assert usd("3") > usd("2") >= usd("2")
    assert usd("1") != "1 USD"
    assert usd("1") != Decimal(1)
    assert len({usd("1"), usd("1.0"), usd("2"), Money(1, "EUR")}) == 3
    assert sorted([usd("3"), usd("-1"), usd("2")]) == [usd("-1"), usd("2"), usd("3")]


@pytest.mark.parametrize(
    "mode, expected",
    [
        (Rounding.half_even, "0.12"),
        (Rounding.half_away_from_zero, "0.13"),
        (Rounding.down, "0.12"),
        (Rounding.up, "0.13"),
    ],
)
def test_rounded(mode, expected):
    r = usd("0.125").rounded(mode)
    assert r == usd(expected)
    assert str(r.amount) == expected


def test_rounded_default_and_zero_minor_units():
    assert usd("2.345").rounded() == usd("2.34")
    assert Money(Decimal("2.5"), "JPY").rounded() == Money(2, "JPY")
    assert Money(Decimal("2.5"), "JPY").rounded(Rounding.half_up) == Money(3, "JPY")


def test_huge_amounts_stay_exact():
    big = Decimal("100000000000000000000.000000000001")  # 10^20 + 10^-12
    m = Money(big, "USD")
    assert m.amount == big
    assert (m + m).amount == Decimal("200000000000000000000.000000000002")
    assert (m - Money(10**20, "USD")).amount == Decimal("0.000000000001")


def test_overflow_is_an_arithmetic_error():
    big = Money(Decimal("170141183460469231731687303"), "USD")
    with pytest.raises(spm.SpmArithmeticError) as e:
        big + big
    assert e.value.id == "decimal.overflow"
