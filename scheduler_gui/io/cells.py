"""Reading one spreadsheet cell as a date or a yes/no, the way people type them.

A cell value arrives as openpyxl or the CSV reader hands it over: ``None``, ``str``,
``int``/``float`` (an Excel serial number in a date column), ``bool``, a naive
``datetime`` (a real Excel date), a ``date`` (an Excel date whose cell format shows no
time) or a :class:`Formula`. Nothing here knows about items; see ``tabular.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from ..core.times import TimestampError, parse_timestamp

DateOrder = Literal["mdy", "dmy"]
YEARS = (1970, 2100)  # anything outside is a typo, not a course date
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system (after 1900-03-01)


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong with the value."""


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: we never evaluate formulas, so it is reported, not read."""

    text: str


# What a date cell means: a wall-clock time in the course zone, a date without a time
# (the item keeps its time of day), or an exact instant (text ending in Z or +hh:mm).
CellDate = datetime | date


_TIME = r"(?:[t ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap]\.?\s?m\.?)?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_SLASH = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\.?" + _TIME)
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]{3,9})\.?,?[ -](\d{4})" + _TIME)
_MONTH_DAY = re.compile(r"([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})" + _TIME)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dt.*(?:z|[+-]\d\d:\d\d)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
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
        raise CellError(f"is a formula ({_clip(value.text)}); type TRUE or FALSE instead")
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f'"{_clip(value)}" is not TRUE or FALSE')


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
            f"is a formula ({_clip(value.text)}); formulas are not read: "
            "copy the column and paste it back as values"
        )
    if isinstance(value, bool):
        raise CellError(f"{value!s} is not a date")
    if isinstance(value, datetime):
        return _checked(_whole_seconds(value), value)
    if isinstance(value, date):
        return _checked(value, value)
    if isinstance(value, int | float):
        return _from_serial(float(value), value)
    text = " ".join(str(value).split())
    if not text:
        return None
    return _from_text(text, order)


def _from_text(text: str, order: DateOrder | None) -> CellDate:
    lowered = _WEEKDAY.sub("", text.lower())
    if _INSTANT.match(lowered):
        try:
            return _checked(parse_timestamp(text.upper()), text)
        except TimestampError:
            pass
    if _NUMBER.fullmatch(lowered):
        return _from_serial(float(lowered), text)
    if match := _ISO.fullmatch(lowered):
        year, month, day = (int(g) for g in match.groups()[:3])
        return _build(text, year, month, day, match.groups()[3:])
    if match := _DOTTED.fullmatch(lowered):
        day, month, year = (int(g) for g in match.groups()[:3])
        return _build(text, _full_year(year), month, day, match.groups()[3:])
    if match := _SLASH.fullmatch(lowered):
        first, second, year = int(match[1]), int(match[3]), _full_year(int(match[4]))
        month, day = _month_day(text, first, second, year, order)
        return _build(text, year, month, day, match.groups()[4:])
    if match := _DAY_MONTH.fullmatch(lowered):
        month = _month(text, match[2])
        return _build(text, int(match[3]), month, int(match[1]), match.groups()[3:])
    if match := _MONTH_DAY.fullmatch(lowered):
        month = _month(text, match[1])
        return _build(text, int(match[3]), month, int(match[2]), match.groups()[3:])
    raise CellError(f'"{_clip(text)}" is not a date (write it like 2011-03-08 23:59)')


def _month_day(
    text: str, first: int, second: int, year: int, order: DateOrder | None
) -> tuple[int, int]:
    if order == "mdy":
        return first, second
    if order == "dmy":
        return second, first
    if first > 12 >= second:
        return second, first
    if second > 12 >= first or first == second:
        return first, second
    if first > 12 and second > 12:
        raise CellError(f'"{_clip(text)}" is not a date')
    as_mdy = date(year, first, second).strftime("%d %B %Y").lstrip("0")
    as_dmy = date(year, second, first).strftime("%d %B %Y").lstrip("0")
    raise CellError(
        f'"{_clip(text)}" is ambiguous ({as_mdy} or {as_dmy}?): write it as '
        f"{year}-{first:02d}-{second:02d} or {year}-{second:02d}-{first:02d}, or {_ORDER_HELP}"
    )


def _month(text: str, name: str) -> int:
    month = _MONTHS.get(name)
    if month is None:
        raise CellError(f'"{_clip(text)}" is not a date: unknown month "{name}"')
    return month


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def _build(text: str, year: int, month: int, day: int, clock: tuple[str | None, ...]) -> CellDate:
    try:
        day_value = date(year, month, day)
    except ValueError:
        raise CellError(f'"{_clip(text)}" is not a date') from None
    hour_text, minute_text, second_text, meridiem = clock
    if hour_text is None:
        return _checked(day_value, text)
    hour, minute = int(hour_text), int(minute_text or 0)
    second = int(second_text or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise CellError(f'"{_clip(text)}" is not a time of day')
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f'"{_clip(text)}" is not a time of day')
    return _checked(datetime.combine(day_value, time(hour, minute, second)), text)


def _from_serial(serial: float, shown: object) -> datetime:
    # Serial numbers below 61 fall before Excel's phantom 1900-02-29; they are not
    # course dates anyway and the year check below refuses them.
    if not 0 < serial < 2_958_466:
        raise CellError(f'"{_clip(shown)}" is not a date')
    value = _EXCEL_EPOCH + timedelta(days=serial)
    result = _checked(_whole_seconds(value), shown)
    assert isinstance(result, datetime)
    return result


def _whole_seconds(value: datetime) -> datetime:
    """Excel stores times as fractions of a day; round the float noise away."""
    rounded = value.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if value.microsecond >= 500_000 else rounded


def _checked(value: CellDate, shown: object) -> CellDate:
    year = value.astimezone(UTC).year if isinstance(value, datetime) and value.tzinfo else None
    year = year or value.year
    if not YEARS[0] <= year <= YEARS[1]:
        raise CellError(
            f'"{_clip(shown)}" is not a plausible date (years {YEARS[0]}–{YEARS[1]} only)'
        )
    return value


def _clip(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
