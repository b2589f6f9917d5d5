"""Exception classes of libspm.

Every error raised by the C++ library arrives as an instance of one of these classes, carrying
the library's stable error ``id`` (for example ``"decimal.parse"``), the ``path`` of the
offending field (``"weights[2]"``, or ``""``) and the ``detail`` message without its prefix.
``str(error)`` is the full message: ``"[decimal.parse] amount: '1e3' is not a decimal: ..."``.
"""

from __future__ import annotations

__all__ = [
    "SpmError",
    "InvalidInputError",
    "SpmArithmeticError",
    "SpmIOError",
    "CancelledError",
]


class SpmError(Exception):
    """Base of every exception libspm raises for bad input or impossible operations."""

    #: Stable identifier of the kind of error, ``"<area>.<what>"``.
    id: str = ""
    #: Where the problem is (field path, column, row), or ``""``.
    path: str = ""
    #: The message without the ``[id] path:`` prefix.
    detail: str = ""

    def __init__(self, *args: object, id: str = "", path: str = "", detail: str = "") -> None:
        super().__init__(*args)
        self.id = id
        self.path = path
        self.detail = detail or (str(args[0]) if args else "")


class InvalidInputError(SpmError, ValueError):
    """The caller passed something invalid (malformed text, out-of-range value, mixed currencies)."""


class SpmArithmeticError(SpmError, ArithmeticError):
    """An exact computation would leave the representable range or divide by zero."""


class SpmIOError(SpmError, OSError):
    """A file or stream could not be opened, read or written."""


class CancelledError(SpmError):
    """Work was stopped by the caller through an execution context."""
