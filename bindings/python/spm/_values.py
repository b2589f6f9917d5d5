"""Exact values from Python for the calculation modules: decimals and JSON-ready data, floats
refused with a message that says what to write instead."""
from __future__ import annotations

import datetime
import decimal
import numbers
from typing import Any, Mapping

from . import _spm
from ._errors import InvalidInputError


def float_refused(where: str, value: float) -> TypeError:
    """The TypeError for a binary float where an exact decimal is expected."""
    return TypeError(
        f"{where}: float {value!r} is not exact; decimals must be strings or decimal.Decimal "
        f"(write \"{value!r}\" or Decimal(\"{value!r}\"), not {value!r})")


def decimal_value(value: Any, name: str) -> Any:
    """A decimal argument as decimal.Decimal or int: str is parsed exactly (at most 12 places);
    float and bool raise TypeError, text that is not a decimal and a Decimal that is not finite
    (NaN, Infinity) InvalidInputError 'decimal.parse' naming the argument."""
    if isinstance(value, float):
        raise float_refused(name, value)
    if isinstance(value, bool) or not isinstance(value, (str, decimal.Decimal, numbers.Integral)):
        raise TypeError(f"{name}: expected a decimal as str, int or decimal.Decimal, got "
                        f"{type(value).__name__} {value!r}")
    if isinstance(value, str):
        try:
            return _spm.parse_decimal(value)
        except InvalidInputError as e:
            raise _named(e, name) from None
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        detail = f"Decimal('{value}') is not a finite number; libspm decimals are finite"
        raise InvalidInputError(f"[decimal.parse] {name}: {detail}", id="decimal.parse", path=name,
                                detail=detail)
    return value if isinstance(value, decimal.Decimal) else int(value)


def _named(e: Any, name: str) -> Any:
    """A parse error of a text argument, named by the argument."""
    return InvalidInputError(f"[{e.id}] {name}: {e.detail}", id=e.id, path=name, detail=e.detail)


def fraction_value(value: Any, name: str) -> Any:
    """A fraction argument as decimal_value takes it, str also as percent text: "30%" and
    "0.3" are both 0.3 exactly."""
    if isinstance(value, str):
        try:
            return _spm._parse_fraction(value)
        except InvalidInputError as e:
            raise _named(e, name) from None
    return decimal_value(value, name)


def midnight_date(value: Any) -> datetime.date | None:
    """The date of a date, of a naive midnight datetime (a pandas Timestamp read from a date
    column) or of a NumPy datetime64 at midnight; None for anything else: a time of day or a
    time zone would be silently dropped."""
    if type(value).__name__ == "datetime64":  # NumPy, without importing it
        value = value.astype("datetime64[us]").item()
    if isinstance(value, datetime.datetime):
        return value.date() if value.tzinfo is None and value.time() == datetime.time() else None
    return value if isinstance(value, datetime.date) else None


def json_ready(value: Any, path: str, what: str, issues: list | None = None) -> Any:
    """The value with decimals as text and dates ISO, ready for json.dumps; floats refused (they
    are not exact). `path` names the value in errors, `what` the whole ("plan"). With `issues`,
    a refused value is listed there as (path, message) and stands as null, and the rest goes on."""
    where = path or what

    def refuse(error: Exception) -> None:
        if issues is None:
            raise error
        issues.append((where, str(error).removeprefix(f"{where}: ")))

    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, float):
        return refuse(float_refused(where, value))
    if isinstance(value, decimal.Decimal):
        return format(value, "f")  # plain digits: never exponent notation
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, datetime.datetime):
        day = midnight_date(value)
        if day is None:
            return refuse(TypeError(f"{where}: {value!r} has a time of day or a time zone, so it "
                                    f"is not a date; use .date() or 'YYYY-MM-DD'"))
        return day.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                refuse(TypeError(f"{where}: keys must be str, got {type(k).__name__} {k!r}"))
                continue
            out[k] = json_ready(v, f"{path}.{k}" if path else k, what, issues)
        return out
    if isinstance(value, (list, tuple)):
        return [json_ready(v, f"{path}[{i}]", what, issues) for i, v in enumerate(value)]
    return refuse(TypeError(f"{where}: {type(value).__name__} {value!r} has no JSON form in a "
                            f"{what}; use str, int, bool, decimal.Decimal, datetime.date, dict "
                            f"or list"))
