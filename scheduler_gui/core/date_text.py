"""Reading a date that a person typed: one parser for every date field and spreadsheet.

The grid's date cells, Set column, and the Excel/CSV import all read text through
:func:`parse_date_text`, so a form accepted in one place is accepted everywhere
(``docs/excel-rules.md`` lists them): ISO ``2011-03-08 23:59``, ``08.03.2011 23:59``,
``8 Mar 2011``, ``March 8, 2011 5:00 PM``, slash dates ``3/8/2011 11:59 PM`` read
month- or day-first by a *date order*, and exact instants ``2011-03-08T06:59:00Z``.
A slash date that reads differently either way is refused without an order
(:class:`AmbiguousDateError`, which carries both readings so a caller can ask), never
guessed. :func:`to_instant` then turns the result into an aware UTC instant: a date
without a time keeps the field's time of day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from .times import TimestampError, parse_timestamp

DateOrder = Literal["mdy", "dmy"]
YEARS = (1970, 2100)  # anything outside is a typo, not a course date
#: A date typed without a time keeps the field's time of day; with none to keep, these.
DEFAULT_TIMES = {"start": time(0, 0), "end": time(23, 59), "due": time(23, 59)}

#: What a typed date means: a naive wall-clock time (in the course zone), a bare date
#: (the field keeps its time of day) or an aware instant (text with Z or +hh:mm).
TypedDate = datetime | date

_TIME = r"(?:[t ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap]\.?\s?m\.?)?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_SLASH = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\.?" + _TIME)
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]{3,9})\.?,?[ -](\d{4})" + _TIME)
_MONTH_DAY = re.compile(r"([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})" + _TIME)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dt.*(?:z|[+-]\d\d:\d\d)$")
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


class DateTextError(ValueError):
    """Text that is not a date we can read without guessing; the message says why."""


@dataclass(frozen=True, slots=True)
class Readings:
    """The two ways to read an ambiguous slash date such as ``2/9/2011``."""

    text: str
    month_first: date  # 9 Feb 2011
    day_first: date  # 2 Sep 2011


class AmbiguousDateError(DateTextError):
    """A slash date that means two different days; :attr:`readings` holds both."""

    def __init__(self, message: str, readings: Readings) -> None:
        super().__init__(message)
        self.readings = readings


def parse_date_text(text: str, order: DateOrder | None = None) -> TypedDate | None:
    """``text`` as a naive wall time, a bare date, or an aware instant (None if blank).

    Args:
        text: what was typed (spaces are tidied, case does not matter).
        order: how to read ``3/8/2011``: ``"mdy"``, ``"dmy"``, or ``None`` to accept
            only slash dates that read the same either way (or have a day above 12).

    Raises:
        DateTextError: not a date; :class:`AmbiguousDateError` for a slash date that
            needs an order.
    """
    text = " ".join(text.split())
    if not text:
        return None
    lowered = _WEEKDAY.sub("", text.lower())
    if _INSTANT.match(lowered):
        try:
            return checked(parse_timestamp(text.upper()), text)
        except TimestampError:
            pass
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
    raise DateTextError(f'"{clip(text)}" is not a date (write it like 2011-03-08 23:59)')


def to_instant(
    value: TypedDate, current: datetime | None, zone: ZoneInfo, default: time = time(0, 0)
) -> datetime:
    """The aware UTC instant ``value`` means for a field now at ``current``.

    A bare date keeps ``current``'s time of day in ``zone`` (``default`` when there is
    none). A wall time equal to ``current``'s gives back ``current`` itself (the same
    instant even in a repeated daylight-saving hour); one that does not exist because
    the clocks spring forward is refused.

    Raises:
        DateTextError: the wall time does not exist in ``zone``.
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if not isinstance(value, datetime):
        clock = _local(current, zone).time() if current else default
        value = datetime.combine(value, clock)
    if current is not None and _local(current, zone) == value:
        return current
    instant = value.replace(tzinfo=zone).astimezone(UTC)
    if _local(instant, zone) != value:
        raise DateTextError(
            f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key} "
            "(the clocks skip that hour when daylight saving starts)"
        )
    return instant


def checked(value: TypedDate, shown: object) -> TypedDate:
    """``value`` if its year is plausible for a course, else :class:`DateTextError`."""
    year = value.astimezone(UTC).year if isinstance(value, datetime) and value.tzinfo else None
    year = year or value.year
    if not YEARS[0] <= year <= YEARS[1]:
        raise DateTextError(
            f'"{clip(shown)}" is not a plausible date (years {YEARS[0]}–{YEARS[1]} only)'
        )
    return value


def clip(value: object, limit: int = 40) -> str:
    """``value`` as text, cut to ``limit`` characters for a message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Not strftime's %B: Qt sets the C library's locale from the desktop's.
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def describe_day(value: date, *, short: bool = False) -> str:
    """``9 February 2011`` (``9 Feb 2011``): the month as a word, so it cannot be misread."""
    month = _MONTH_NAMES[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


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
        raise DateTextError(f'"{clip(text)}" is not a date')
    readings = Readings(text, date(year, first, second), date(year, second, first))
    raise AmbiguousDateError(
        f'"{clip(text)}" is ambiguous ({describe_day(readings.month_first)} or '
        f"{describe_day(readings.day_first)}?): write it as {readings.month_first:%Y-%m-%d} "
        f"or {readings.day_first:%Y-%m-%d}",
        readings,
    )


def _month(text: str, name: str) -> int:
    month = _MONTHS.get(name)
    if month is None:
        raise DateTextError(f'"{clip(text)}" is not a date: unknown month "{name}"')
    return month


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def _build(text: str, year: int, month: int, day: int, clock: tuple[str | None, ...]) -> TypedDate:
    try:
        day_value = date(year, month, day)
    except ValueError:
        raise DateTextError(f'"{clip(text)}" is not a date') from None
    hour_text, minute_text, second_text, meridiem = clock
    if hour_text is None:
        return checked(day_value, text)
    hour, minute = int(hour_text), int(minute_text or 0)
    second = int(second_text or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise DateTextError(f'"{clip(text)}" is not a time of day')
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateTextError(f'"{clip(text)}" is not a time of day')
    return checked(datetime.combine(day_value, time(hour, minute, second)), text)


def _local(value: datetime, zone: tzinfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None)
