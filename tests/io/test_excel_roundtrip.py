"""Export → edit as a person would → import: the PUT carries exactly the intended changes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.io.excel_export import CourseExport, export_workbook
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import ImportReport, apply_sheet

from .samples import COURSE, DENVER, changed_put_items, make_course, put_items

UTC_ZONE = ZoneInfo("UTC")


def import_file(
    path: Path, base: Schedule, course: str | None = COURSE
) -> tuple[Schedule, ImportReport]:
    book = read_spreadsheet(path)
    # The zone given here is only a fallback: the headers name America/Denver.
    return apply_sheet(base, book.sheet_for(course), zone=UTC_ZONE)


def edit(path: Path, change: dict[tuple[int, int], object]) -> None:
    """Open with openpyxl like a person with Excel would, change cells, save."""
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    for (item_id, column), value in change.items():
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == item_id)
        sheet.cell(row, column).value = value
    book.save(path)


def test_an_untouched_export_imports_as_no_change(exported: Path, course: Schedule) -> None:
    edited, report = import_file(exported, course)
    assert edited == course
    assert report.changed == () and report.unchanged == 8 and report.missing == 0
    assert report.changed_since_export is False


def test_person_edits_reach_the_put_exactly(exported: Path, course: Schedule) -> None:
    book = openpyxl.load_workbook(exported)
    sheet = book["Schedules"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    by_id = {row[0]: row for row in rows}
    by_id[3][5] = datetime(2011, 3, 14, 23, 59)  # change a date (End, after the DST switch)
    by_id[4][4] = None  # clear a cell: means "unchanged"
    by_id[8][6] = "2011-04-08 17:00"  # type a date as text (Due)
    by_id[2][5] = "3/15/2011 11:59 PM"  # a changed date on an inherited row
    del by_id[5]  # delete a row
    ordered = sorted(by_id.values(), key=lambda row: str(row[1]), reverse=True)  # sort by title
    sheet.delete_rows(2, sheet.max_row)
    for row in ordered:
        sheet.append(row)
    book.save(exported)

    edited, report = import_file(exported, course)

    assert changed_put_items(course, edited) == {
        3: {
            "itemId": 3,
            "schedule": {
                "dueDate": "2011-03-09T06:59:00Z",
                "accessSchedule": {
                    "startDateTime": "2011-03-02T07:00:00Z",
                    "endDateTime": "2011-03-15T05:59:00Z",  # 23:59 MDT
                    "canAccessBeforeStartDateTime": False,
                    "canAccessAfterEndDateTime": True,
                },
            },
        },
        8: {
            "itemId": 8,
            "schedule": {
                "dueDate": "2011-04-08T23:00:00Z",  # 17:00 MDT
                "accessSchedule": {
                    "startDateTime": "2011-04-02T06:00:00Z",
                    "endDateTime": "2011-04-09T05:59:00Z",
                    "canAccessBeforeStartDateTime": False,
                    "canAccessAfterEndDateTime": False,
                },
            },
        },
        2: {
            "itemId": 2,
            "schedule": {
                "accessSchedule": {
                    # Was inherited (no dates in the PUT); now explicit with both dates.
                    "startDateTime": "2011-03-01T07:00:00Z",
                    "endDateTime": "2011-03-16T05:59:00Z",
                    "canAccessBeforeStartDateTime": False,
                    "canAccessAfterEndDateTime": False,
                }
            },
        },
    }
    assert report.changed == (2, 3, 8)  # course order, whatever the row order
    assert report.made_explicit == (2,)
    assert report.missing == 1 and report.unchanged == 4
    assert "1 not in the file" in report.summary()
    assert 'now have their own dates: "Reading 1" (row 3)' in report.summary()


def test_inherited_true_makes_an_item_inherit_again(exported: Path, course: Schedule) -> None:
    edit(exported, {(3, 4): True, (3, 5): datetime(2030, 1, 1)})  # the Start cell is ignored
    edited, report = import_file(exported, course)
    assert report.made_inherited == (3,) and report.changed == (3,)
    entry = put_items(edited)[3]["schedule"]
    assert "startDateTime" not in entry["accessSchedule"]
    assert "endDateTime" not in entry["accessSchedule"]
    assert entry["dueDate"] == "2011-03-09T06:59:00Z"
    # Shown with the parent's dates until the server says otherwise.
    assert edited.by_id[3].start == course.by_id[1].start
    assert 'inherit their dates again: "Assignment 1" (row 4)' in report.summary()


def test_inherited_false_makes_an_item_explicit_with_its_shown_dates(
    exported: Path, course: Schedule
) -> None:
    edit(exported, {(6, 4): "no"})
    edited, report = import_file(exported, course)
    assert report.made_explicit == (6,)
    access = put_items(edited)[6]["schedule"]["accessSchedule"]
    assert access["startDateTime"] == "2011-04-01T06:00:00Z"


def test_flags_accept_yes_no_and_numbers(exported: Path, course: Schedule) -> None:
    edit(exported, {(1, 8): "yes", (3, 9): 0})
    edited, report = import_file(exported, course)
    assert edited.by_id[1].can_access_before_start is True
    assert edited.by_id[3].can_access_after_end is False
    assert report.changed == (1, 3)


def test_a_date_without_time_keeps_the_time_of_day(exported: Path, course: Schedule) -> None:
    edit(exported, {(3, 6): "2011-03-12", (8, 7): "12 Apr 2011"})
    edited, _ = import_file(exported, course)
    assert edited.by_id[3].end == utc(2011, 3, 13, 6, 59)  # still 23:59 MST on 03-12
    assert edited.by_id[8].due == utc(2011, 4, 13, 5, 59)  # no due before: 23:59 MDT


def test_an_excel_date_cell_formatted_without_time_keeps_the_time(
    exported: Path, course: Schedule
) -> None:
    book = openpyxl.load_workbook(exported)
    cell = book["Schedules"]["F4"]  # item 3, End
    cell.value = datetime(2011, 3, 20)
    cell.number_format = "m/d/yyyy"
    book.save(exported)
    edited, _ = import_file(exported, course)
    assert edited.by_id[3].end == utc(2011, 3, 21, 5, 59)  # 23:59 MDT kept


def test_excel_serial_numbers_are_dates(exported: Path, course: Schedule) -> None:
    edit(exported, {(3, 6): 40613.5})  # a number in a date column: 2011-03-11 12:00
    edited, _ = import_file(exported, course)
    assert edited.by_id[3].end == utc(2011, 3, 11, 19)


def test_seconds_survive_and_unchanged_seconds_are_not_a_change(
    exported: Path, course: Schedule
) -> None:
    edit(exported, {(1, 1): 1})  # touch the file so it is saved by openpyxl
    edited, _ = import_file(exported, course)
    assert edited.by_id[4].end == utc(2011, 3, 20, 5, 59, 30)
    assert edited == course


def test_the_fingerprint_tells_when_the_course_changed_since_export(
    exported: Path, course: Schedule
) -> None:
    on_server = course.with_items([course.by_id[3].with_dates(due=utc(2011, 3, 10))])
    _, report = import_file(exported, on_server)
    assert report.exported_fingerprint == course.fingerprint()
    assert report.changed_since_export is True


def test_a_workbook_without_about_still_imports_with_a_note(
    exported: Path, course: Schedule
) -> None:
    book = openpyxl.load_workbook(exported)
    del book["About"]
    book.save(exported)
    spreadsheet = read_spreadsheet(exported)
    assert any("no About sheet" in note for note in spreadsheet.notes)
    edited, report = apply_sheet(course, spreadsheet.sheet_for(COURSE), zone=DENVER)
    assert edited == course and report.changed_since_export is None


def test_many_courses_come_back_sheet_by_sheet(tmp_path: Path) -> None:
    first, second = make_course("111"), make_course("222")
    path = tmp_path / "many.xlsx"
    export_workbook(
        path, [CourseExport(first, DENVER), CourseExport(second, ZoneInfo("Europe/Berlin"))]
    )
    book = openpyxl.load_workbook(path)
    book["Schedules 222"]["E2"].value = datetime(2011, 3, 2, 8, 0)
    book.save(path)
    sheets = read_spreadsheet(path).course_sheets()
    assert [(s.course_id, s.zone, s.fingerprint) for s in sheets] == [
        ("111", "America/Denver", first.fingerprint()),
        ("222", "Europe/Berlin", second.fingerprint()),
    ]
    edited, report = apply_sheet(second, sheets[1], zone=UTC_ZONE)
    assert edited.by_id[1].start == utc(2011, 3, 2, 7)  # 08:00 in Berlin
    assert report.changed == (1,)


@pytest.mark.parametrize("course_id", [None, "999"])
def test_the_sheet_must_match_the_course(exported: Path, course_id: str | None) -> None:
    book = read_spreadsheet(exported)
    if course_id is None:
        assert book.sheet_for(None).course_id == COURSE
    else:
        with pytest.raises(ValueError, match="holds course 123456, not course 999"):
            book.sheet_for(course_id)


def test_the_repeated_autumn_hour_round_trips_and_typed_means_the_first(tmp_path: Path) -> None:
    second = utc(2011, 11, 6, 8, 30)  # 01:30 MST: the second 01:30 in Denver that night
    schedule = Schedule("1", [ItemSchedule(1, "x", start=utc(2011, 11, 1, 6), end=second)])
    path = tmp_path / "fold.xlsx"
    export_workbook(path, [CourseExport(schedule, DENVER)])
    sheet = read_spreadsheet(path).sheet_for("1")
    assert openpyxl.load_workbook(path)["Schedules"]["F2"].value == datetime(2011, 11, 6, 1, 30)
    edited, report = apply_sheet(schedule, sheet, zone=UTC_ZONE)
    assert edited == schedule and report.changed == ()
    elsewhere = schedule.with_items([schedule.by_id[1].with_dates(end=utc(2011, 11, 20))])
    edited, _ = apply_sheet(elsewhere, sheet, zone=UTC_ZONE)
    assert edited.by_id[1].end == utc(2011, 11, 6, 7, 30)  # 01:30 MDT, the first one
