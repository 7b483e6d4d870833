"""Timestamps on the wire: exactly ``YYYY-MM-DDTHH:MM:SSZ`` out, a little more tolerance in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

# ASCII digits only: ``\d`` would also accept Arabic-Indic and other Unicode digits.
_WIRE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$",
    re.ASCII,
)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class TimestampError(ValueError):
    """A timestamp that is not ISO-8601 UTC as the API writes it."""


def parse_timestamp(text: str) -> datetime:
    """Parse an API timestamp into an aware UTC datetime.

    Accepts ``2011-03-08T06:59:00Z``, fractional seconds (dropped: the API keeps whole
    seconds) and numeric offsets such as ``+00:00``. Anything else raises
    :class:`TimestampError` with the offending text.
    """
    if not isinstance(text, str):
        raise TimestampError(f"expected a timestamp string, got {type(text).__name__}")
    return _parse(text)


# A course repeats the same few hundred dates across thousands of items; datetimes are
# immutable, so parsing and formatting each distinct value once is safe and much faster.
@lru_cache(maxsize=65536)
def _parse(text: str) -> datetime:
    match = _WIRE.match(text.strip())
    if not match:
        raise TimestampError(f"{text[:60]!r} is not a timestamp like 2011-03-08T06:59:00Z")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset_text = match.group(8)
    if offset_text == "Z":
        tz: timezone = UTC
    else:
        sign = 1 if offset_text[0] == "+" else -1
        hours, minutes = int(offset_text[1:3]), int(offset_text[4:6])
        if hours > 23 or minutes > 59:
            raise TimestampError(f"{text!r} has an impossible UTC offset")
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
    except ValueError as exc:
        raise TimestampError(f"{text!r} is not a real date and time: {exc}") from None
    except OverflowError:  # e.g. 9999-12-31T23:59:59-01:00 is past year 9999 in UTC
        raise TimestampError(f"{text!r} is out of the supported date range") from None


def format_timestamp(value: datetime) -> str:
    """Write an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (sub-seconds dropped)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimestampError("refusing to write a datetime without a time zone")
    if value.tzinfo is UTC:
        return _format_utc(value)
    # Converted before the cache: within one zone, datetimes compare equal ignoring
    # ``fold``, so the two 01:30s of a fall-back night would share one cache entry.
    return _format_utc(value.astimezone(UTC))


@lru_cache(maxsize=65536)
def _format_utc(v: datetime) -> str:
    # Not strftime: "%Y" does not zero-pad years before 1000 on every platform.
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"


def format_local(value: datetime, tz: tzinfo) -> str:
    """A date for people: ``Tue 2011-03-08 23:59 MST`` in ``tz`` (seconds only if set).

    Weekday names are fixed English abbreviations, not the process locale, so messages
    and diffs read the same everywhere.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return f"{value:%Y-%m-%d %H:%M} (no time zone)"
    v = value.astimezone(tz)
    clock = f"{v.hour:02d}:{v.minute:02d}" + (f":{v.second:02d}" if v.second else "")
    return f"{_WEEKDAYS[v.weekday()]} {v.year:04d}-{v.month:02d}-{v.day:02d} {clock} {v.tzname()}"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Shorthand for an aware UTC datetime (tests, seed data)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
