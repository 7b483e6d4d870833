"""Holiday regions and blackout dates as the user types them."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler_gui.core.days_off import DaysOff, DaysOffError, parse_blackout, parse_region


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US", ("US", None)),
        ("us-co", ("US", "CO")),
        ("DE-BY", ("DE", "BY")),
        (" CA ", ("CA", None)),
    ],
)
def test_regions_parse_into_country_and_subdivision(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert parse_region(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("XX", "no holiday calendar for country 'XX'"),
        ("US-ZZ", "US has no subdivision 'ZZ'; known ones: AK, AL"),
        ("United States", "not a holiday region: use a country code"),
    ],
)
def test_bad_regions_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(DaysOffError, match=message):
        parse_region(text)


def test_blackouts_are_single_days_or_inclusive_ranges() -> None:
    assert parse_blackout("2011-05-30") == (date(2011, 5, 30), date(2011, 5, 30))
    assert parse_blackout("2011-03-14..2011-03-18") == (date(2011, 3, 14), date(2011, 3, 18))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2011-03-18..2011-03-14", "ends before it starts"),
        ("2011-13-01", "'2011-13-01' is not a date like 2011-05-30"),
        ("2011-03-14..next week", "'next week' is not a date"),
        ("2011-01-01..2013-01-01", "longer than a year"),
    ],
)
def test_bad_blackouts_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(DaysOffError, match=message):
        parse_blackout(text)


def test_reason_names_the_holiday_or_the_blackout() -> None:
    days_off = DaysOff.parse("US-CO", ["2011-03-14..2011-03-18"])
    assert days_off.reason(date(2011, 5, 30)) == "Memorial Day"
    assert days_off.reason(date(2011, 3, 31)) == "Cesar Chavez Day"  # Colorado only
    assert days_off.reason(date(2012, 5, 28)) == "Memorial Day"  # another year, same rules
    assert days_off.reason(date(2011, 3, 16)) == "blackout 2011-03-14..2011-03-18"
    assert days_off.reason(date(2011, 5, 31)) is None
    assert DaysOff.parse("US").reason(date(2011, 3, 31)) is None


def test_empty_days_off_is_falsy() -> None:
    assert not DaysOff.parse(None, [])
    assert DaysOff.parse(None, ["2011-05-30"])
    assert DaysOff("US")
