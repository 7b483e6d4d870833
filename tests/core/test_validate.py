"""Validation, rule by rule: what is flagged, how severe, and what the message tells the user."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.core.validate import (
    Finding,
    Severity,
    has_errors,
    summarize,
    validate,
)

DENVER = ZoneInfo("America/Denver")


def item(item_id: int, title: str = "", **fields: object) -> ItemSchedule:
    defaults: dict[str, object] = {"start": utc(2011, 2, 28, 7), "end": utc(2011, 3, 22, 5, 59)}
    defaults.update(fields)
    return ItemSchedule(item_id, title, **defaults)  # type: ignore[arg-type]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_clean_schedule_has_no_findings() -> None:
    schedule = Schedule("1", [item(1, "Unit 1"), item(2, "Quiz", parent_id=1, due=utc(2011, 3, 1))])
    assert validate(schedule, expected_ids={1, 2}) == []
    assert not has_errors([])
    assert summarize([]) == "no problems"


def test_duplicate_ids_are_one_error_naming_rows() -> None:
    schedule = Schedule("1", [item(7, "Quiz"), item(8), item(7, "Quiz")])
    finding = only(validate(schedule))
    assert finding.severity is Severity.ERROR and finding.item_id == 7 and finding.field is None
    assert finding.message == (
        '"Quiz" (id 7) appears 2 times (rows 1, 3). Each item must appear exactly once: '
        "remove the extra rows."
    )


def test_missing_and_unknown_ids_against_the_course() -> None:
    schedule = Schedule("1", [item(1, "Home"), item(99, "Stray")])
    findings = validate(schedule, expected_ids=[1, 2, 3])
    assert [(f.severity, f.item_id) for f in findings] == [
        (Severity.ERROR, 99),
        (Severity.ERROR, 2),
        (Severity.ERROR, 3),
    ]
    assert findings[0].message.startswith('"Stray" (id 99) is not an item of this course.')
    assert findings[1].message == (
        "Item 2 of the course is missing. A save must include every item: "
        "add it back, or reload the course."
    )


def test_missing_items_are_named_when_titles_are_known() -> None:
    schedule = Schedule("1", [item(1, "Home")])
    finding = only(validate(schedule, expected_ids={1: "Home", 2: "Final exam"}))
    assert finding.message.startswith('"Final exam" (id 2) of the course is missing.')


def test_without_expected_ids_membership_is_not_checked() -> None:
    assert validate(Schedule("1", [item(99)])) == []


def test_end_before_start_is_an_error_in_course_time() -> None:
    bad = item(5, "Essay", start=utc(2011, 3, 10, 7), end=utc(2011, 3, 8, 6, 59))
    finding = only(validate(Schedule("1", [bad]), tz=DENVER))
    assert (finding.severity, finding.item_id, finding.field) == (Severity.ERROR, 5, "end")
    assert finding.message == (
        '"Essay" (id 5) ends (Mon 2011-03-07 23:59 MST) before it starts '
        "(Thu 2011-03-10 00:00 MST). Make the end date later than the start."
    )


def test_end_equal_to_start_is_an_error() -> None:
    same = item(5, start=utc(2011, 3, 10), end=utc(2011, 3, 10))
    finding = only(validate(Schedule("1", [same])))
    assert finding.severity is Severity.ERROR
    assert "item 5 ends (Thu 2011-03-10 00:00 UTC) at the moment it starts" in finding.message


def test_inherited_dates_are_the_parents_and_not_checked_on_the_child() -> None:
    child = item(5, is_inherited=True, start=utc(2011, 3, 10), end=utc(2011, 3, 1))
    assert validate(Schedule("1", [child])) == []


def test_start_without_end_warns_that_the_end_is_inherited() -> None:
    finding = only(validate(Schedule("1", [item(5, "Essay", end=None)])))
    assert (finding.severity, finding.field) == (Severity.WARNING, "end")
    assert finding.message == (
        '"Essay" (id 5) has a start date but no end date. When saved, its end date is '
        "inherited from its parent unit; set an end date if it should have its own."
    )


def test_end_without_start_warns_too_but_no_dates_at_all_is_fine() -> None:
    finding = only(validate(Schedule("1", [item(5, start=None)])))
    assert (finding.severity, finding.field) == (Severity.WARNING, "start")
    assert validate(Schedule("1", [item(6, start=None, end=None)])) == []


def test_due_outside_the_window_warns_but_due_at_end_is_fine() -> None:
    early = item(1, "A", due=utc(2011, 2, 27))
    late = item(2, "B", due=utc(2011, 3, 23))
    at_end = item(3, "C", due=utc(2011, 3, 22, 5, 59))
    inherited_late = item(4, "D", is_inherited=True, due=utc(2011, 3, 23))
    findings = validate(Schedule("1", [early, late, at_end, inherited_late]), tz=DENVER)
    assert [(f.item_id, f.field, f.severity) for f in findings] == [
        (1, "due", Severity.WARNING),
        (2, "due", Severity.WARNING),
        (4, "due", Severity.WARNING),
    ]
    assert "is due (Sat 2011-02-26 17:00 MST) before it opens" in findings[0].message
    assert findings[1].message == (
        '"B" (id 2) is due (Tue 2011-03-22 18:00 MDT) after it closes '
        "(Mon 2011-03-21 23:59 MDT). Move the due date or the end date."
    )


def test_absurd_years_are_errors_and_skip_other_comparisons() -> None:
    typo = item(1, "Final", end=utc(2201, 3, 22), due=utc(1911, 3, 1))
    findings = validate(Schedule("1", [typo]))
    assert [(f.field, f.severity) for f in findings] == [
        ("end", Severity.ERROR),
        ("due", Severity.ERROR),
    ]
    assert findings[0].message == (
        '"Final" (id 1): the end date Sun 2201-03-22 00:00 UTC is not between 1990 and 2100. '
        "Check the year."
    )
    assert has_errors(findings)
    assert summarize(findings) == "2 errors"


def test_range_limits_are_1990_inclusive_and_2100_exclusive() -> None:
    edge = item(1, start=utc(1990, 1, 1), end=utc(2099, 12, 31, 23, 59, 59))
    assert validate(Schedule("1", [edge])) == []
    over = item(1, start=utc(1990, 1, 1), end=utc(2100, 1, 1))
    assert only(validate(Schedule("1", [over]))).field == "end"


def test_naive_date_is_an_error_not_a_crash() -> None:
    naive = item(1, "X", due=datetime(2011, 3, 1))  # a naive date is the point
    finding = only(validate(Schedule("1", [naive])))
    assert (finding.field, finding.severity) == ("due", Severity.ERROR)
    assert "has no time zone" in finding.message


def test_child_outside_its_unit_warns_only_when_the_parent_is_known() -> None:
    unit = item(1, "Unit 1", start=utc(2011, 3, 1), end=utc(2011, 3, 10))
    child = item(2, "Quiz", parent_id=1, start=utc(2011, 2, 28), end=utc(2011, 3, 11))
    findings = validate(Schedule("1", [unit, child]))
    assert [(f.item_id, f.field, f.severity) for f in findings] == [
        (2, "start", Severity.WARNING),
        (2, "end", Severity.WARNING),
    ]
    assert findings[0].message.startswith(
        '"Quiz" (id 2) opens (Mon 2011-02-28 00:00 UTC) before its unit "Unit 1" (id 1) opens'
    )
    orphan = item(2, "Quiz", parent_id=77, start=utc(2011, 2, 28), end=utc(2011, 3, 11))
    assert validate(Schedule("1", [unit, orphan])) == []


def test_findings_summary_and_text() -> None:
    schedule = Schedule("1", [item(1, end=None), item(2, due=utc(2011, 1, 1)), item(2)])
    findings = validate(schedule)
    assert sorted({f.item_id for f in findings}) == [1, 2]
    assert summarize(findings) == "1 error, 2 warnings"
    assert str(next(f for f in findings if f.item_id == 1)).startswith(
        "warning: item 1 has a start date"
    )


def test_ten_thousand_items_validate_in_one_pass() -> None:
    items = [item(1, "Unit")] + [
        item(n, f"Item {n}", parent_id=1, due=utc(2011, 3, 1)) for n in range(2, 10_001)
    ]
    schedule = Schedule("1", items)
    assert validate(schedule, expected_ids=range(1, 10_001)) == []
