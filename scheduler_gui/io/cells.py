"""Reading one spreadsheet cell as a date or a yes/no, the way people type them.

A cell value arrives as openpyxl or the CSV reader hands it over: ``None``, ``str``,
``int``/``float`` (an Excel serial number in a date column), ``bool``, a naive
``datetime`` (a real Excel date), a ``date`` (an Excel date whose cell format shows no
time) or a :class:`Formula`. Nothing here knows about items; see ``tabular.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..core.date_text import (
    AmbiguousDateError,
    DateOrder,
    DateTextError,
    TypedDate,
    checked,
    clip,
    parse_date_text,
)

__all__ = ["CellDate", "CellError", "DateOrder", "Formula", "read_bool", "read_date"]

_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system (after 1900-03-01)
#: A cell that cannot be read: the same error as any typed date (one parser for all).
CellError = DateTextError


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: we never evaluate formulas, so it is reported, not read."""

    text: str


# What a date cell means: a wall-clock time in the course zone, a date without a time
# (the item keeps its time of day), or an exact instant (text ending in Z or +hh:mm).
CellDate = TypedDate
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TRUE = frozenset({"true", "yes", "y", "1", "wahr", "vrai", "ja", "oui"})
_FALSE = frozenset({"false", "no", "n", "0", "falsch", "faux", "nein", "non"})
_ORDER_HELP = "set the date order (month/day or day/month)"


def read_bool(value: object) -> bool | None:
    """``TRUE``/``FALSE``, yes/no, 1/0 (any case); ``None`` for a blank cell."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Formula):
        # LibreOffice saves booleans as the constant formulas =TRUE() / =FALSE().
        constant = value.text.lstrip("=").replace(" ", "").upper()
        if constant in ("TRUE()", "FALSE()", "TRUE", "FALSE"):
            return constant.startswith("TRUE")
        raise CellError(f"is a formula ({clip(value.text)}); type TRUE or FALSE instead")
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f'"{clip(value)}" is not TRUE or FALSE')


def read_date(value: object, order: DateOrder | None = None) -> CellDate | None:
    """A date cell as a naive wall time, a bare date, or an aware instant.

    Args:
        value: the cell value.
        order: how to read ``3/8/2011``: ``"mdy"``, ``"dmy"``, or ``None`` to accept
            only slash dates that read the same either way (or have a day above 12).

    Returns:
        ``None`` for a blank cell; a naive ``datetime`` (wall-clock time in the course
        zone), a ``date`` (no time given), or an aware ``datetime`` (text with ``Z`` or
        an offset, an exact instant).

    Raises:
        CellError: the value is not a date we can read without guessing.
    """
    if value is None:
        return None
    if isinstance(value, Formula):
        raise CellError(
            f"is a formula ({clip(value.text)}); formulas are not read: "
            "copy the column and paste it back as values"
        )
    if isinstance(value, bool):
        raise CellError(f"{value!s} is not a date")
    if isinstance(value, datetime):
        return checked(_whole_seconds(value), value)
    if isinstance(value, date):
        return checked(value, value)
    if isinstance(value, int | float):
        return _from_serial(float(value), value)
    text = " ".join(str(value).split())
    if not text:
        return None
    return _from_text(text, order)


def _from_text(text: str, order: DateOrder | None) -> CellDate:
    if _NUMBER.fullmatch(text):
        return _from_serial(float(text), text)
    try:
        value = parse_date_text(text, order)
    except AmbiguousDateError as exc:
        raise AmbiguousDateError(f"{exc}, or {_ORDER_HELP}", exc.readings) from None
    assert value is not None  # the caller passes non-blank text
    return value


def _from_serial(serial: float, shown: object) -> datetime:
    # Serial numbers below 61 fall before Excel's phantom 1900-02-29; they are not
    # course dates anyway and the year check below refuses them.
    if not 0 < serial < 2_958_466:
        raise CellError(f'"{clip(shown)}" is not a date')
    value = _EXCEL_EPOCH + timedelta(days=serial)
    result = checked(_whole_seconds(value), shown)
    assert isinstance(result, datetime)
    return result


def _whole_seconds(value: datetime) -> datetime:
    """Excel stores times as fractions of a day; round the float noise away."""
    rounded = value.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if value.microsecond >= 500_000 else rounded
