"""Dates and yes/no values as people type them into cells."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scheduler_gui.core.times import utc
from scheduler_gui.io.cells import CellError, Formula, read_bool, read_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011-03-08 23:59", datetime(2011, 3, 8, 23, 59)),
        ("2011-03-08T23:59:30", datetime(2011, 3, 8, 23, 59, 30)),
        ("2011/3/8 9:05", datetime(2011, 3, 8, 9, 5)),
        ("3/8/2011 11:59 PM", None),  # ambiguous without a date order: see below
        ("12/25/2011 11:59 PM", datetime(2011, 12, 25, 23, 59)),
        ("25/12/2011 23:59", datetime(2011, 12, 25, 23, 59)),
        ("12/25/11 12:00 am", datetime(2011, 12, 25, 0, 0)),
        ("3/3/2011 12:30 p.m.", datetime(2011, 3, 3, 12, 30)),
        ("08.03.2011 23:59", datetime(2011, 3, 8, 23, 59)),
        ("8.3.2011", date(2011, 3, 8)),
        ("8 Mar 2011", date(2011, 3, 8)),
        ("8 March 2011 18:00", datetime(2011, 3, 8, 18, 0)),
        ("08-Mar-2011", date(2011, 3, 8)),
        ("Mar 8, 2011 5:00 PM", datetime(2011, 3, 8, 17, 0)),
        ("Tuesday, March 8th, 2011", date(2011, 3, 8)),
        ("  2011-03-08  ", date(2011, 3, 8)),
        ("2011-03-08T06:59:00Z", utc(2011, 3, 8, 6, 59)),
        ("40610.999305555555", datetime(2011, 3, 8, 23, 59)),
    ],
)
def test_common_date_forms_are_read(text: str, expected: object) -> None:
    if expected is None:
        with pytest.raises(CellError, match="ambiguous"):
            read_date(text)
    else:
        assert read_date(text) == expected


def test_the_date_order_decides_ambiguous_slash_dates() -> None:
    assert read_date("3/8/2011 11:59 PM", "mdy") == datetime(2011, 3, 8, 23, 59)
    assert read_date("3/8/2011 11:59 PM", "dmy") == datetime(2011, 8, 3, 23, 59)
    assert read_date("3/3/2011") == date(2011, 3, 3)  # reads the same either way


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2011", '"31/02/2011" is not a date'),
        ("2011-02-30", '"2011-02-30" is not a date'),
        ("2011-03-08 25:00", '"2011-03-08 25:00" is not a time of day'),
        ("2011-03-08 13:00 PM", "is not a time of day"),
        ("8 Foo 2011", 'unknown month "foo"'),
        ("2011", "not a plausible date"),
        (-5, "is not a date"),
        (True, "True is not a date"),
        (Formula("=TODAY()"), "is a formula (=TODAY())"),
        (datetime(2200, 1, 1), "not a plausible date"),
    ],
)
def test_unreadable_dates_say_why(value: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_date(value)


def test_excel_float_noise_is_rounded_to_whole_seconds() -> None:
    assert read_date(datetime(2011, 3, 8, 23, 58, 59, 999_500)) == datetime(2011, 3, 8, 23, 59)
    assert read_date(None) is None and read_date("   ") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True), (False, False), ("TRUE", True), ("false", False), ("Yes", True),
        ("no", False), ("1", True), ("0", False), (1, True), (0.0, False), ("WAHR", True),
        ("FALSCH", False), (None, None), ("", None), (Formula("=TRUE()"), True),
        (Formula("=false()"), False),
    ],
)  # fmt: skip
def test_booleans(value: object, expected: bool | None) -> None:
    assert read_bool(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, Formula("=NOT(FALSE())"), Formula("=A1")])
def test_non_booleans_are_refused(value: object) -> None:
    with pytest.raises(CellError):
        read_bool(value)
