"""Decimals crossing between Python and libspm, and rounding checked against Python's decimal."""

import random
import re
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from fractions import Fraction
from pathlib import Path

import pytest

import spm
from spm import Rounding

MAX = Decimal("170141183460469231731687303.715884105727")  # int128 max x 10^-12


def decimal_rounding(mode, x):
    """The Python decimal rounding constant equivalent to `mode` for the value x.

    half_up (ties toward +infinity) and half_down (ties toward -infinity) have no decimal constant:
    they are ROUND_HALF_UP / ROUND_HALF_DOWN (away from / toward zero) chosen by the sign of x.
    """
    fixed = {
        Rounding.half_even: ROUND_HALF_EVEN,
        Rounding.half_away_from_zero: ROUND_HALF_UP,
        Rounding.half_toward_zero: ROUND_HALF_DOWN,
        Rounding.down: ROUND_DOWN,
        Rounding.up: ROUND_UP,
        Rounding.floor: ROUND_FLOOR,
        Rounding.ceiling: ROUND_CEILING,
    }
    if mode in fixed:
        return fixed[mode]
    if mode is Rounding.half_up:
        return ROUND_HALF_UP if x >= 0 else ROUND_HALF_DOWN
    if mode is Rounding.half_down:
        return ROUND_HALF_DOWN if x >= 0 else ROUND_HALF_UP
    raise AssertionError(mode)


def quantize(x, places, mode):
    with localcontext() as ctx:
        ctx.prec = 100
        return x.quantize(Decimal(1).scaleb(-places), rounding=decimal_rounding(mode, x))


def round_fraction(q, places, mode):
    """Reference rounding of an exact rational, written independently of libspm and decimal."""
    scaled = q * 10**places
    n, d = scaled.numerator, scaled.denominator
    t = abs(n) // d  # magnitude truncated toward zero
    r = abs(n) - t * d  # remainder of the magnitude
    negative = n < 0
    if r == 0:
        away = False
    elif mode is Rounding.down:
        away = False
    elif mode is Rounding.up:
        away = True
    elif mode is Rounding.floor:
        away = negative
    elif mode is Rounding.ceiling:
        away = not negative
    elif 2 * r != d:
        away = 2 * r > d
    elif mode is Rounding.half_even:
        away = t % 2 == 1
    elif mode is Rounding.half_up:
        away = not negative
    elif mode is Rounding.half_down:
        away = negative
    elif mode is Rounding.half_away_from_zero:
        away = True
    else:
        away = False  # half_toward_zero
    mag = t + 1 if away else t
    return exact(-mag if negative else mag, places)


def exact(units, places):
    """units x 10^-places, built from text: Decimal arithmetic would round to 28 digits."""
    return Decimal(f"{units}E-{places}")


def random_decimal(rng, max_digits=37):
    """A random value with 12 decimals and up to `max_digits` digits (|x| < 10^25 by default)."""
    digits = rng.randint(1, max_digits)
    raw = rng.randint(0, 10**digits - 1)
    return exact(-raw if rng.random() < 0.5 else raw, 12)


def random_tie(rng, places):
    """A value exactly halfway between two multiples of 10^-places."""
    whole = rng.randint(0, 10 ** rng.randint(0, 20))
    units = whole * 10 + 5  # whole.5 x 10^-places
    return exact(-units if rng.random() < 0.5 else units, places + 1)


def report(failures, total):
    lines = [f"{len(failures)} of {total} cases differ; first ones:"]
    lines += [f"  {f}" for f in failures[:20]]
    return "\n".join(lines)


# --- version -----------------------------------------------------------------------------------


def test_version_matches_header():
    header = Path(__file__).resolve().parents[2] / "include" / "spm" / "version.hpp"
    if not header.exists():
        pytest.skip("source tree not available")
    m = re.search(r'#define SPM_VERSION_STRING "([^"]+)"', header.read_text())
    assert spm.__version__ == m.group(1)


# --- exact crossing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "0.1",
        "-0.1",
        "0.000000000001",
        "-0.000000000001",
        "12.5",
        "1234567.891011121314",
        "123456789012345.123456789012",
        "100000000000000000000",  # 10^20
        "100000000000000000000.000000000001",
        "99999999999999999999999999.999999999999",
        str(MAX),
        str(-MAX),
    ],
)
def test_decimal_crosses_exactly(text):
    x = Decimal(text)
    # round_decimal at 12 places is the identity on every representable value
    back = spm.round_decimal(x, 12)
    assert back == x
    assert isinstance(back, Decimal)
    assert back.as_tuple().exponent == -12
    # parse_decimal reads the same value from text
    parsed = spm.parse_decimal(text)
    assert parsed == x
    # Money keeps the value exactly
    assert spm.Money(x, "USD").amount == x


def test_shortest_text_from_parse():
    assert str(spm.parse_decimal("0.1")) == "0.1"
    assert str(spm.parse_decimal("12.50")) == "12.5"
    assert str(spm.parse_decimal("-3")) == "-3"
    assert str(spm.parse_decimal("100000000000000000000")) == "100000000000000000000"


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("1E+3"), Decimal(1000)),
        (Decimal("1.5E-7"), Decimal("0.00000015")),
        (Decimal("-2.50E+2"), Decimal(-250)),
        (Decimal("0E-20"), Decimal(0)),
        (Decimal("-0"), Decimal(0)),
        (Decimal("1.000000000000000000000"), Decimal(1)),  # zeros beyond 12 places are exact
        (Decimal("1E+25"), Decimal(10**25)),
        (Decimal("123456789E-12"), Decimal("0.000123456789")),
    ],
)
def test_exponent_forms_are_read_exactly(value, expected):
    assert spm.round_decimal(value, 12) == expected


def test_int_is_accepted_exactly():
    assert spm.round_decimal(7, 0) == Decimal(7)
    assert spm.round_decimal(-(10**20), 2) == Decimal(-(10**20))
    assert spm.round_decimal(10**26, 0) == Decimal(10**26)
    assert spm.mul(10**20, 10**5, 0) == Decimal(10**25)


def test_numpy_integers_are_accepted():
    np = pytest.importorskip("numpy")
    assert spm.round_decimal(np.int64(5), 0) == 5
    assert spm.round_decimal(np.uint8(200), 0) == 200


@pytest.mark.parametrize(
    "value",
    [Decimal("1E+27"), Decimal("-1E+27"), Decimal("170141183460469231731687303.715884105728"), 10**27, -(10**30)],
)
def test_out_of_range_values_are_rejected(value):
    with pytest.raises(spm.InvalidInputError) as e:
        spm.round_decimal(value, 2)
    assert e.value.id == "decimal.parse"
    assert "out of range" in str(e.value)


def test_too_many_decimals_are_rejected():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.round_decimal(Decimal("0.1234567890123"), 2)
    assert e.value.id == "decimal.parse"
    assert "more than 12 decimal places" in str(e.value)
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("text", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity"])
def test_non_finite_decimals_are_rejected(text):
    with pytest.raises(spm.InvalidInputError, match="not a finite number") as e:
        spm.round_decimal(Decimal(text), 2)
    assert e.value.id == "decimal.parse"


# --- binary floats and other types -------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda: spm.round_decimal(0.1, 2),
    lambda: spm.mul(Decimal(1), 2.5),
    lambda: spm.div(1.0, Decimal(3)),
    lambda: spm.product(Decimal(100), 0.05, Fraction(1, 2), 2),
    lambda: spm.Money(12.5, "USD"),
    lambda: spm.allocate(100.0, [1, 1], 2),
])
def test_float_is_rejected_with_a_clear_type_error(call):
    with pytest.raises(TypeError, match=r"float .* is not accepted as an exact decimal"):
        call()


def test_float_message_suggests_the_exact_spelling():
    with pytest.raises(TypeError, match=re.escape("decimal.Decimal('0.1')")):
        spm.round_decimal(0.1, 2)


def test_numpy_float_is_rejected():
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match="float"):
        spm.round_decimal(np.float64(0.5), 2)
    with pytest.raises(TypeError, match="exact decimals"):
        spm.round_decimal(np.float32(0.5), 2)


def test_str_and_bool_are_rejected():
    with pytest.raises(TypeError, match="parse_decimal"):
        spm.round_decimal("1.5", 2)
    with pytest.raises(TypeError, match="bool"):
        spm.round_decimal(True, 2)
    with pytest.raises(TypeError):
        spm.round_decimal(None, 2)


def test_fraction_is_not_a_decimal_and_float_is_not_a_fraction():
    with pytest.raises(TypeError):
        spm.round_decimal(Fraction(1, 2), 2)
    with pytest.raises(TypeError, match="fractions.Fraction"):
        spm.product(Decimal(1), 0.5, 2)


# --- rounding against Python's decimal module ---------------------------------------------------


@pytest.mark.parametrize("mode", list(Rounding))
def test_rounding_matches_python_decimal(mode):
    rng = random.Random(20240601 + mode.value)
    failures = []
    n = 20_000
    for i in range(n):
        places = rng.randint(0, 11)
        x = random_tie(rng, places) if i % 4 == 0 else random_decimal(rng)
        got = spm.round_decimal(x, places, mode)
        want = quantize(x, places, mode)
        if got != want or got.as_tuple().exponent != -places:
            failures.append(f"round_decimal({x!r}, {places}, {mode.name}) = {got!r}, want {want!r}")
    assert not failures, report(failures, n)


def test_rounding_table_from_the_header():
    # rounding.hpp: 2.5, -2.5, 2.4, -2.6 to 0 places in every mode.
    table = {
        Rounding.half_even: (2, -2, 2, -3),
        Rounding.half_up: (3, -2, 2, -3),
        Rounding.half_down: (2, -3, 2, -3),
        Rounding.half_away_from_zero: (3, -3, 2, -3),
        Rounding.half_toward_zero: (2, -2, 2, -3),
        Rounding.down: (2, -2, 2, -2),
        Rounding.up: (3, -3, 3, -3),
        Rounding.floor: (2, -3, 2, -3),
        Rounding.ceiling: (3, -2, 3, -2),
    }
    inputs = [Decimal("2.5"), Decimal("-2.5"), Decimal("2.4"), Decimal("-2.6")]
    for mode, expected in table.items():
        got = tuple(spm.round_decimal(x, 0, mode) for x in inputs)
        assert got == tuple(Decimal(e) for e in expected), (mode, inputs, expected, got)


def test_round_default_mode_is_half_even_and_result_is_padded():
    assert spm.round_decimal(Decimal("0.125"), 2) == Decimal("0.12")
    assert str(spm.round_decimal(Decimal("12.5"), 2)) == "12.50"
    assert str(spm.round_decimal(0, 3)) == "0.000"


def test_round_places_out_of_range():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.round_decimal(Decimal(1), 13)
    assert e.value.id == "decimal.places"


@pytest.mark.parametrize("mode", list(Rounding))
def test_mul_div_product_round_once_exactly(mode):
    rng = random.Random(7 + mode.value)
    failures = []
    n = 2_000
    for _ in range(n):
        a = random_decimal(rng, 18)
        b = random_decimal(rng, 16)
        places = rng.randint(0, 12)
        f = Fraction(rng.randint(0, 400), rng.randint(1, 400))
        cases = [
            ("mul", spm.mul(a, b, places, mode), Fraction(a) * Fraction(b)),
            ("product", spm.product(a, b, f, places, mode), Fraction(a) * Fraction(b) * f),
            ("product2", spm.product(a, f, places, mode), Fraction(a) * f),
        ]
        if b != 0:
            cases.append(("div", spm.div(a, b, places, mode), Fraction(a) / Fraction(b)))
        for name, got, exact in cases:
            want = round_fraction(exact, places, mode)
            if got != want or got.as_tuple().exponent != -places:
                failures.append(f"{name}({a}, {b}, f={f}, {places}, {mode.name}) = {got!r}, want {want!r}")
    assert not failures, report(failures, n)


def test_mul_and_div_defaults_keep_12_places():
    assert spm.mul(Decimal("0.1"), Decimal("0.2")) == Decimal("0.02")
    assert spm.div(1, 3) == Decimal("0.333333333333")
    assert spm.div(2, 3) == Decimal("0.666666666667")


def test_product_of_amount_rate_and_proration():
    # 1000 x 5% x 20/29 = 34.48275862... -> 34.48
    assert spm.product(Decimal(1000), Decimal("0.05"), Fraction(20, 29), 2) == Decimal("34.48")
    assert spm.product(Decimal(1000), Fraction(1, 3), 2, Rounding.up) == Decimal("333.34")


def test_division_by_zero_and_overflow():
    with pytest.raises(spm.SpmArithmeticError) as e:
        spm.div(Decimal(1), 0)
    assert e.value.id == "decimal.division_by_zero"
    assert isinstance(e.value, ArithmeticError)
    with pytest.raises(spm.SpmArithmeticError) as e:
        spm.mul(10**20, 10**20, 0)
    assert e.value.id == "decimal.overflow"
    with pytest.raises(spm.SpmArithmeticError):
        spm.round_decimal(MAX, 0, Rounding.up)


# --- parsing -------------------------------------------------------------------------------------


def test_parse_strict_and_lenient():
    assert spm.parse_decimal("-12.50") == Decimal("-12.5")
    assert spm.parse_decimal("1,234.50", lenient=True) == Decimal("1234.5")
    assert spm.parse_decimal("(12.50)", lenient=True) == Decimal("-12.5")
    assert spm.parse_decimal("  7 ", lenient=True) == Decimal(7)


@pytest.mark.parametrize(
    "text, words",
    [
        ("1e3", "exponent notation is not accepted"),
        ("1,000.00", "thousands separators are not accepted"),
        (" 1", "it has blanks"),
        ("", "an empty value is not a decimal"),
        ("abc", "'abc' is not a decimal"),
        ("0.1234567890123", "more than 12 decimal places"),
    ],
)
def test_parse_errors(text, words):
    with pytest.raises(spm.InvalidInputError) as e:
        spm.parse_decimal(text)
    assert e.value.id == "decimal.parse"
    assert words in str(e.value)
    assert str(e.value).startswith("[decimal.parse]")
    assert isinstance(e.value, ValueError)


def test_lenient_parse_still_rejects_exponents():
    with pytest.raises(spm.InvalidInputError):
        spm.parse_decimal("1e3", lenient=True)
