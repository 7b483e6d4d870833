"""Wire timestamps: tolerant in, exactly ``YYYY-MM-DDTHH:MM:SSZ`` out, clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduler_gui.core.times import (
    TimestampError,
    format_local,
    format_timestamp,
    parse_timestamp,
    utc,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011-03-08T06:59:00Z", utc(2011, 3, 8, 6, 59)),
        ("2011-03-08T06:59:00.123Z", utc(2011, 3, 8, 6, 59)),
        ("2011-03-08T06:59:00.123456789Z", utc(2011, 3, 8, 6, 59)),
        ("2011-03-08T06:59:00+00:00", utc(2011, 3, 8, 6, 59)),
        ("2011-03-07T23:59:00-07:00", utc(2011, 3, 8, 6, 59)),
        ("2011-03-08T12:29:00+05:30", utc(2011, 3, 8, 6, 59)),
        ("2011-01-01T00:30:00+01:00", utc(2010, 12, 31, 23, 30)),
        (" 2011-03-08T06:59:00Z\n", utc(2011, 3, 8, 6, 59)),
    ],
)
def test_accepted_forms_become_aware_utc(text: str, expected: datetime) -> None:
    value = parse_timestamp(text)
    assert value == expected
    assert value.tzinfo is UTC
    assert value.microsecond == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is not a timestamp like 2011-03-08T06:59:00Z"),
        ("2011-03-08", "is not a timestamp like"),
        ("2011-03-08T06:59:00", "is not a timestamp like"),  # no zone: refuse to guess
        ("2011-03-08 06:59:00Z", "is not a timestamp like"),
        ("2011-03-08T06:59Z", "is not a timestamp like"),
        ("2011-03-08T06:59:00+0000", "is not a timestamp like"),
        ("٢٠١١-03-08T06:59:00Z", "is not a timestamp like"),  # non-ASCII digits
        ("next tuesday", "'next tuesday' is not a timestamp like"),
        ("2011-02-30T00:00:00Z", "is not a real date and time"),
        ("2011-03-08T24:00:00Z", "is not a real date and time"),
        ("2011-03-08T06:59:00+24:00", "has an impossible UTC offset"),
        ("9999-12-31T23:59:59-01:00", "is out of the supported date range"),
        ("0001-01-01T00:00:00+01:00", "is out of the supported date range"),
    ],
)
def test_garbage_is_rejected_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(TimestampError, match=message):
        parse_timestamp(text)


def test_non_string_is_rejected() -> None:
    with pytest.raises(TimestampError, match="expected a timestamp string, got int"):
        parse_timestamp(20110308)  # type: ignore[arg-type]


def test_output_format_is_exact_utc_whole_seconds() -> None:
    assert format_timestamp(utc(2011, 3, 8, 6, 59)) == "2011-03-08T06:59:00Z"
    denver = datetime(2011, 3, 7, 23, 59, 30, 999_999, tzinfo=ZoneInfo("America/Denver"))
    assert format_timestamp(denver) == "2011-03-08T06:59:30Z"
    offset = datetime(2011, 3, 8, 12, 29, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert format_timestamp(offset) == "2011-03-08T06:59:00Z"
    assert format_timestamp(utc(999, 1, 2, 3, 4, 5)) == "0999-01-02T03:04:05Z"


def test_both_times_of_a_fall_back_night_are_written_as_their_own_instants() -> None:
    denver = ZoneInfo("America/Denver")
    first = datetime(2011, 11, 6, 1, 30, tzinfo=denver)
    second = first.replace(fold=1)
    assert first == second  # same zone: Python ignores fold when comparing
    assert format_timestamp(first) == "2011-11-06T07:30:00Z"
    assert format_timestamp(second) == "2011-11-06T08:30:00Z"


def test_naive_datetime_is_never_written() -> None:
    with pytest.raises(TimestampError, match="without a time zone"):
        format_timestamp(datetime(2011, 3, 8))  # a naive date is the point


def test_format_then_parse_is_identity() -> None:
    value = utc(2024, 2, 29, 23, 59, 59)
    assert parse_timestamp(format_timestamp(value)) == value


def test_local_display_uses_the_zone_abbreviation_across_dst() -> None:
    denver = ZoneInfo("America/Denver")
    assert format_local(utc(2011, 3, 8, 6, 59), denver) == "Mon 2011-03-07 23:59 MST"
    assert format_local(utc(2011, 3, 22, 5, 59), denver) == "Mon 2011-03-21 23:59 MDT"
    assert format_local(utc(2011, 3, 22, 5, 59, 30), denver) == "Mon 2011-03-21 23:59:30 MDT"
    assert format_local(utc(2011, 3, 8, 6, 59), UTC) == "Tue 2011-03-08 06:59 UTC"
