"""libspm errors arrive as spm exception classes carrying the error id, path and detail."""

import pickle
from decimal import Decimal

import pytest

import spm


def test_hierarchy():
    assert issubclass(spm.InvalidInputError, spm.SpmError)
    assert issubclass(spm.InvalidInputError, ValueError)
    assert issubclass(spm.SpmArithmeticError, spm.SpmError)
    assert issubclass(spm.SpmArithmeticError, ArithmeticError)
    assert issubclass(spm.SpmIOError, spm.SpmError)
    assert issubclass(spm.SpmIOError, OSError)
    assert issubclass(spm.CancelledError, spm.SpmError)
    assert issubclass(spm.SpmError, Exception)


def test_invalid_input_carries_id_path_and_detail():
    with pytest.raises(spm.SpmError) as e:
        spm.allocate(Decimal(10), [1, -2], 2)
    err = e.value
    assert type(err) is spm.InvalidInputError
    assert err.id == "allocate.negative_weight"
    assert err.path == "weights[1]"
    assert str(err).startswith("[allocate.negative_weight] weights[1]: ")
    assert str(err).endswith(err.detail)
    assert err.detail and not err.detail.startswith("[")


def test_arithmetic_error():
    with pytest.raises(ArithmeticError) as e:
        spm.div(1, 0)
    assert type(e.value) is spm.SpmArithmeticError
    assert e.value.id == "decimal.division_by_zero"
    assert e.value.path == ""


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError):
        spm.parse_decimal("12,50")
    with pytest.raises(ValueError):
        spm.Money(1, "XXY")


@pytest.mark.parametrize(
    "cls", [spm.SpmError, spm.InvalidInputError, spm.SpmArithmeticError, spm.SpmIOError, spm.CancelledError]
)
def test_python_side_construction_and_pickling(cls):
    err = cls("[io.open] data.csv: cannot open", id="io.open", path="data.csv", detail="cannot open")
    assert str(err) == "[io.open] data.csv: cannot open"
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert (back.id, back.path, back.detail, str(back)) == (err.id, err.path, err.detail, str(err))


def test_translated_errors_pickle():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.parse_decimal("1e3")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is spm.InvalidInputError
    assert back.id == "decimal.parse"
    assert str(back) == str(e.value)


def test_io_error_is_an_oserror_with_a_plain_message():
    err = spm.SpmIOError("[io.open] x.csv: no such file", id="io.open", path="x.csv")
    assert isinstance(err, OSError)
    assert str(err) == "[io.open] x.csv: no such file"
    assert err.errno is None


def test_defaults():
    err = spm.SpmError("plain")
    assert (err.id, err.path, err.detail) == ("", "", "plain")
