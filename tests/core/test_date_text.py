"""The one parser for typed dates: grid cells, Set column and spreadsheets share it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler_gui.core.date_text import (
    AmbiguousDateError,
    DateTextError,
    parse_date_text,
    to_instant,
)

DENVER = ZoneInfo("America/Denver")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-01-22 23:59", datetime(2012, 1, 22, 23, 59)),
        ("08.03.2011 23:59", datetime(2011, 3, 8, 23, 59)),
        ("8 Mar 2011", date(2011, 3, 8)),
        ("March 8, 2011 5:00 PM", datetime(2011, 3, 8, 17, 0)),
        ("12/25/2011 11:59 PM", datetime(2011, 12, 25, 23, 59)),
        ("2011-03-08T06:59:00Z", datetime(2011, 3, 8, 6, 59, tzinfo=UTC)),
        ("   ", None),
    ],
)
def test_the_readme_forms_are_read(text: str, expected: object) -> None:
    assert parse_date_text(text) == expected


def test_an_ambiguous_slash_date_is_refused_with_both_readings() -> None:
    with pytest.raises(AmbiguousDateError) as caught:
        parse_date_text("2/9/2011 11:59 PM")
    readings = caught.value.readings
    assert (readings.month_first, readings.day_first) == (date(2011, 2, 9), date(2011, 9, 2))
    assert "9 February 2011 or 2 September 2011" in str(caught.value)
    assert parse_date_text("2/9/2011 11:59 PM", "dmy") == datetime(2011, 9, 2, 23, 59)


@pytest.mark.parametrize("text", ["soon", "2011-02-30", "2011-03-08 24:00", "1/1/1900"])
def test_garbage_says_why(text: str) -> None:
    with pytest.raises(DateTextError, match="not a"):
        parse_date_text(text)


def test_a_bare_date_keeps_the_fields_time_of_day_and_seconds() -> None:
    current = datetime(2011, 1, 21, 23, 59, 30, tzinfo=DENVER).astimezone(UTC)
    new = to_instant(date(2012, 1, 22), current, DENVER)
    assert new.astimezone(DENVER).replace(tzinfo=None) == datetime(2012, 1, 22, 23, 59, 30)
    assert to_instant(date(2012, 1, 22), None, DENVER, time(23, 59)).astimezone(
        DENVER
    ).time() == time(23, 59)


def test_a_wall_time_skipped_by_daylight_saving_is_refused() -> None:
    with pytest.raises(DateTextError, match="does not exist in America/Denver"):
        to_instant(datetime(2011, 3, 13, 2, 30), None, DENVER)
