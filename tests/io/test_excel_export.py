"""What an administrator sees when opening an exported workbook."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from scheduler_gui import __version__
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.io.excel_export import (
    INHERITED_FILL,
    MAX_TEXT,
    CourseExport,
    export_workbook,
    sheet_names,
)

from .samples import DENVER, HOSTILE_TITLES, make_course

HEADER = [
    "Item ID",
    "Title",
    "Parent",
    "Inherited",
    "Start (America/Denver)",
    "End (America/Denver)",
    "Due (America/Denver)",
    "Open before start",
    "Open after end",
]


def test_schedules_sheet_has_the_header_and_one_row_per_item_in_course_order(
    exported: Path, course: Schedule
) -> None:
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Schedules", "About"]
    sheet = book["Schedules"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == [item.item_id for item in course]
    assert [row[1] for row in rows[1:]] == [item.title for item in course]
    assert [row[2] for row in rows[1:]] == [None, 1, 1, 1, None, 5, 5, 5]


def test_dates_are_real_excel_dates_in_course_wall_time_with_a_time_format(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["Schedules"]
    unit = sheet[2]
    assert unit[4].value == datetime(2011, 3, 1, 0, 0)  # 07:00Z is midnight MST
    assert unit[5].value == datetime(2011, 3, 31, 23, 59)  # 05:59Z next day is 23:59 MDT
    assert unit[4].is_date and unit[4].number_format == "yyyy-mm-dd hh:mm"
    assignment = sheet[4]
    assert assignment[6].value == datetime(2011, 3, 8, 23, 59)
    seconds = sheet[5][5]  # the end with :30 seconds keeps them and shows them
    assert seconds.value == datetime(2011, 3, 19, 23, 59, 30)
    assert seconds.number_format == "yyyy-mm-dd hh:mm:ss"


def test_booleans_are_true_false_cells(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["Schedules"]
    assert [sheet.cell(row, 4).value for row in range(2, 10)] == [
        False, True, False, False, False, True, True, False
    ]  # fmt: skip
    assert sheet.cell(4, 9).value is True and sheet.cell(4, 9).data_type == "b"


def test_inherited_dates_are_shaded_and_explained(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    sheet = book["Schedules"]
    shaded = {
        (cell.row, cell.column)
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.fill.fgColor.rgb == INHERITED_FILL.fgColor.rgb
    }
    assert shaded == {(3, 5), (3, 6), (7, 5), (7, 6), (8, 5), (8, 6)}
    assert "inherited" in sheet["D1"].comment.text
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row}
    assert "inherited" in about["Legend"]


def test_frozen_header_filter_widths_and_protection(exported: Path) -> None:
    sheet = openpyxl.load_workbook(exported)["Schedules"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I9"
    assert sheet.column_dimensions["E"].width >= 18
    assert sheet.column_dimensions["B"].width >= len("Assignment 1")
    protection = sheet.protection
    assert protection.sheet and not protection.password
    assert protection.sort is False and protection.autoFilter is False  # i.e. allowed
    assert sheet["A2"].protection.locked and sheet["B2"].protection.locked
    editable = [sheet.cell(2, column).protection.locked for column in range(3, 10)]
    assert editable == [False] * 7
    assert sheet["G2"].protection.locked is False  # blank date cells can be typed into


def test_about_sheet_names_course_call_number_zone_time_fingerprint_and_version(
    tmp_path: Path, course: Schedule
) -> None:
    path = tmp_path / "x.xlsx"
    export_workbook(
        path, [CourseExport(course, DENVER, "DEMO-101")], exported_at=utc(2026, 1, 2, 3, 4, 5)
    )
    rows = [row for row in openpyxl.load_workbook(path)["About"].iter_rows(values_only=True)]
    info = {row[0]: row[1] for row in rows if row and row[0]}
    assert info["App version"] == __version__
    assert info["Exported at"] == "2026-01-02T03:04:05Z"
    header = rows.index(("Sheet", "Course ID", "Call number", "Time zone", "Items", "Fingerprint"))
    assert rows[header + 1] == (
        "Schedules",
        "123456",
        "DEMO-101",
        "America/Denver",
        8,
        course.fingerprint(),
    )


def test_formula_like_titles_stay_text_and_are_never_formulas(exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    assert b"<f>" not in xml and b"<f " not in xml
    sheet = openpyxl.load_workbook(exported)["Schedules"]
    for row in range(2, 10):
        cell = sheet.cell(row, 2)
        assert cell.data_type == "s"
        assert cell.quotePrefix == (cell.value in HOSTILE_TITLES.values())
    assert {sheet.cell(r, 2).value for r in range(2, 10)} >= set(HOSTILE_TITLES.values())


def test_titles_starting_with_tab_or_return_are_quoted_text(tmp_path: Path) -> None:
    titles = ["\t=1+1", "\r=cmd|' /C calc'!A0", "plain = fine"]
    schedule = Schedule("1", [ItemSchedule(i, title) for i, title in enumerate(titles, 1)])
    path = tmp_path / "ws.xlsx"
    export_workbook(path, [CourseExport(schedule, DENVER)])
    sheet = openpyxl.load_workbook(path)["Schedules"]
    cells = [sheet.cell(row, 2) for row in (2, 3, 4)]
    assert [c.value for c in cells] == titles
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False]


def test_titles_excel_cannot_hold_are_cleaned_not_fatal(tmp_path: Path) -> None:
    huge = "x" * 10_000_000
    schedule = Schedule("1", [ItemSchedule(1, "bell\x07 and nul\x00"), ItemSchedule(2, huge)])
    path = tmp_path / "odd.xlsx"
    export_workbook(path, [CourseExport(schedule, DENVER)])
    sheet = openpyxl.load_workbook(path)["Schedules"]
    assert sheet["B2"].value == "bell\ufffd and nul\ufffd"
    assert len(sheet["B3"].value) == MAX_TEXT and sheet["B3"].value.endswith("…")


def test_several_courses_get_one_sheet_each_listed_in_about(tmp_path: Path) -> None:
    first, second = make_course("111"), make_course("222")
    path = tmp_path / "many.xlsx"
    export_workbook(path, [CourseExport(first, DENVER, "A-1"), CourseExport(second, DENVER)])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Schedules 111", "Schedules 222", "About"]
    assert sheet_names([CourseExport(first, DENVER)]) == ["Schedules"]
    about = [row for row in book["About"].iter_rows(values_only=True) if row and row[0]]
    assert ("Schedules 222", "222", None, "America/Denver", 8, second.fingerprint()) in about


def test_a_failed_export_leaves_no_file_behind(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "dup.xlsx"
    with pytest.raises(ValueError, match="twice"):
        export_workbook(path, [CourseExport(course, DENVER), CourseExport(course, DENVER)])
    assert not path.exists()
    broken = Schedule("9", [ItemSchedule(1, "naive", start=datetime(2011, 1, 1))])  # no zone
    with pytest.raises(ValueError):
        export_workbook(path, [CourseExport(broken, DENVER)])
    assert list(tmp_path.iterdir()) == []


def test_export_overwrites_an_existing_file(exported: Path, course: Schedule) -> None:
    export_workbook(exported, [CourseExport(course.with_items([]), DENVER)])
    assert re.fullmatch(r"[0-9a-f]{16}", course.fingerprint())
    assert openpyxl.load_workbook(exported)["Schedules"].max_row == 9


def test_a_folder_that_does_not_exist_fails_cleanly(tmp_path: Path, course: Schedule) -> None:
    """The error says so, and no half-built sheet is left to complain later ("Exception
    ignored in <generator ...>" tracebacks on the terminal when it is collected)."""
    import gc
    import sys

    unraisable: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        with pytest.raises(FileNotFoundError):
            missing = tmp_path / "no-such-folder" / "out.xlsx"
            export_workbook(missing, [CourseExport(course, DENVER)])
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []
