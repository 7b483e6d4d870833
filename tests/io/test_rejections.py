"""Bad rows reject the whole file, with one message per problem naming sheet, row, column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from scheduler_gui.core.model import Schedule
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import ImportRejectedError, apply_sheet

from .samples import COURSE, HOSTILE_TITLES


def problems_of(path: Path, base: Schedule, **options: object) -> list[str]:
    with pytest.raises(ImportRejectedError) as caught:
        book = read_spreadsheet(path)
        apply_sheet(base, book.sheet_for(COURSE), zone=ZoneInfo("UTC"), **options)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def set_cells(path: Path, cells: dict[str, object], sheet: str = "Schedules") -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref].value = value
    book.save(path)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"A3": 999}, "Schedules!A3 (Reading 1): item 999 is not in course 123456"),
        ({"A4": 1}, "Schedules!A4 (Assignment 1): item 1 appears twice (also on row 2)"),
        ({"A4": "three"}, 'Schedules!A4 (Assignment 1): "three" is not an item id'),
        (
            {"F12": None, "F4": "31/02/2011"},
            'Schedules!F4 (Assignment 1): "31/02/2011" is not a date',
        ),
        (
            {"F4": "next tuesday"},
            'Schedules!F4 (Assignment 1): "next tuesday" is not a date '
            "(write it like 2011-03-08 23:59)",
        ),
        (
            {"F4": datetime(2011, 3, 1, 12)},
            "Schedules!F4 (Assignment 1): end 2011-03-01 12:00 is before start 2011-03-02 00:00",
        ),
        ({"D4": "maybe"}, 'Schedules!D4 (Assignment 1): "maybe" is not TRUE or FALSE'),
        ({"I4": "sometimes"}, 'Schedules!I4 (Assignment 1): "sometimes" is not TRUE or FALSE'),
        (
            {"E4": "=E2+7"},
            "Schedules!E4 (Assignment 1): is a formula (=E2+7); formulas are not read",
        ),
        (
            {"G4": datetime(1900, 3, 1)},
            'Schedules!G4 (Assignment 1): "1900-03-01 00:00:00" is not a plausible date',
        ),
        (
            {"E4": datetime(2011, 3, 13, 2, 30)},
            "Schedules!E4 (Assignment 1): 2011-03-13 02:30 does not exist in America/Denver",
        ),
        (
            {"E4": "3/8/2011"},
            'Schedules!E4 (Assignment 1): "3/8/2011" is ambiguous (8 March 2011 or 3 August 2011?)',
        ),
        ({"A12": None, "E12": "2011-03-08"}, "Schedules!A12: this row has dates but no Item ID"),
        ({"E1": "Start (Mars/Olympus)"}, 'Schedules!E1: "Mars/Olympus" is not a time zone'),
        ({"H1": "Start"}, 'Schedules!H1: the column "Start" appears twice'),
    ],
)
def test_each_rule_rejects_the_file_naming_the_cell(
    exported: Path, course: Schedule, cells: dict[str, object], message: str
) -> None:
    set_cells(exported, cells)
    problems = problems_of(exported, course)
    assert len(problems) == 1, problems
    assert problems[0].startswith(message), problems


def test_every_problem_is_listed_not_just_the_first(exported: Path, course: Schedule) -> None:
    set_cells(exported, {"A3": 999, "F4": "31/02/2011", "G5": "soon", "D9": "perhaps"})
    assert problems_of(exported, course) == [
        "Schedules!A3 (Reading 1): item 999 is not in course 123456",
        'Schedules!F4 (Assignment 1): "31/02/2011" is not a date',
        f'Schedules!G5 ({HOSTILE_TITLES[4]}): "soon" is not a date '
        "(write it like 2011-03-08 23:59)",
        f'Schedules!D9 ({HOSTILE_TITLES[8]}): "perhaps" is not TRUE or FALSE',
    ]


def test_a_workbook_that_is_not_ours_is_refused(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Amount"])
    book.active.append(["Coffee", 12])
    book.save(path)
    with pytest.raises(ImportRejectedError) as caught:
        read_spreadsheet(path)
    assert str(caught.value.problems[0]) == (
        'budget.xlsx: no sheet has an "Item ID" column: '
        "this is not a schedule workbook exported by this app"
    )


def test_a_header_row_without_item_id_is_refused(exported: Path, course: Schedule) -> None:
    set_cells(exported, {"A1": "ID"})
    problems = problems_of(exported, course)
    assert len(problems) == 1 and problems[0].startswith('Schedules: no "Item ID" column header')


def test_the_date_order_option_reads_day_first_or_month_first(
    exported: Path, course: Schedule
) -> None:
    set_cells(exported, {"F4": "3/8/2011 23:59", "E4": "25/02/2011"})
    sheet = read_spreadsheet(exported).sheet_for(COURSE)
    utc_zone = ZoneInfo("UTC")
    day_first, _ = apply_sheet(course, sheet, zone=utc_zone, order="dmy")
    assert day_first.by_id[3].end.astimezone(ZoneInfo("America/Denver")) == datetime(
        2011, 8, 3, 23, 59, tzinfo=ZoneInfo("America/Denver")
    )
    with pytest.raises(ImportRejectedError) as caught:
        apply_sheet(course, sheet, zone=utc_zone, order="mdy")
    problem = str(caught.value.problems[0])
    assert problem == 'Schedules!E4 (Assignment 1): "25/02/2011" is not a date'
