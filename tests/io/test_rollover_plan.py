"""Rollover plans: the template, real .xlsx and .csv plans, every problem at once."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from scheduler_gui.io.rollover_plan import COLUMNS, read_plan, write_template
from scheduler_gui.io.tabular import ImportRejectedError

FIT = (date(2011, 1, 10), date(2011, 5, 1), date(2012, 1, 9), date(2012, 4, 29))


def fill(path: Path, rows: list[dict[str, object]]) -> Path:
    """The template with ``rows`` typed in, as Excel would store them."""
    write_template(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    for number, values in enumerate(rows, start=2):
        for name, value in values.items():
            sheet.cell(number, COLUMNS.index(name) + 1).value = value
    book.save(path)
    return path


def test_the_template_has_every_column_and_an_about_sheet(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_template(tmp_path / "plan.xlsx"))
    assert book.sheetnames == ["Plan", "About"]
    assert [cell.value for cell in book["Plan"][1]] == list(COLUMNS)
    explained = {row[0].value for row in book["About"].iter_rows(min_row=4)}
    assert explained == set(COLUMNS)
    with pytest.raises(ImportRejectedError, match="holds no course"):
        read_plan(tmp_path / "plan.xlsx")  # an empty plan is not a plan


def test_a_filled_in_plan_gives_one_order_per_row(tmp_path: Path) -> None:
    plan = read_plan(
        fill(
            tmp_path / "plan.xlsx",
            [
                {"Course": 700001, "Days": 182, "Time zone": "America/Denver"},
                {"Course": "ccn=TERM-0002", "To start": datetime(2012, 1, 9), "Anchor item": 5},
                {
                    "Course": "700003",
                    "Old term start": datetime(2011, 1, 10),
                    "Old term end": "2011-05-01",
                    "New term start": datetime(2012, 1, 9),
                    "New term end": datetime(2012, 4, 29),
                    "Holidays": "us-co",
                    "Blackouts": "2012-03-19..2012-03-23; 2012-11-22",
                    "Keep weekdays": True,
                    "Skip backward": "yes",
                },
            ],
        )
    )
    first, second, third = plan.orders
    assert (first.course, first.mode, first.days, first.time_zone) == (
        "700001", "days", 182, "America/Denver",
    )  # fmt: skip
    assert (second.course, second.to_start, second.anchor) == ("ccn=TERM-0002", FIT[2], 5)
    assert third.fit == FIT and third.holidays == "US-CO" and third.keep_weekdays
    assert third.blackouts == ("2012-03-19..2012-03-23", "2012-11-22") and third.skip_backward
    assert third.extra == {"sheet": "Plan", "row": 4}


def test_every_problem_of_every_row_is_listed_with_its_cell(tmp_path: Path) -> None:
    path = fill(
        tmp_path / "plan.xlsx",
        [
            {"Course": "DEMO-101", "Days": 7},  # no ccn=
            {"Course": 700002},  # no shift
            {"Course": 700003, "Days": 7, "To start": datetime(2012, 1, 9)},  # two shifts
            {"Course": 700004, "Old term start": datetime(2011, 1, 10)},  # fit incomplete
            {"Course": 700005, "Days": "a week", "Time zone": "Mars/Olympus"},
            {"Course": 700006, "Days": 7, "Holidays": "ZZ", "Blackouts": "2012-13-40"},
            {"Course": 700007, "Days": 7, "Keep weekdays": "perhaps"},
            {"Course": 700001, "Days": 7},
            {"Course": 700001, "Days": 14},  # the same course twice
        ],
    )
    with pytest.raises(ImportRejectedError) as caught:
        read_plan(path)
    text = "\n".join(str(problem) for problem in caught.value.problems)
    expected = [
        'Plan!A2: Course: "DEMO-101" is not a course: write its numeric id or ccn=CALLNUMBER',
        "Plan!B3: Days: no shift given",
        "Plan!B4: Days: give one shift only, not Days and To start",
        "Plan!F5: Old term end: fitting one term onto another needs all four dates",
        'Plan!B6: Days: "a week" is not a whole number of days',
        "Plan!I6: Time zone: Unknown time zone 'Mars/Olympus'",
        "Plan!J7: Holidays: no holiday calendar for country 'ZZ'",
        "Plan!K7: Blackouts: blackout '2012-13-40'",
        'Plan!L8: Keep weekdays: "perhaps" is not TRUE or FALSE',
        "Plan!A10: Course: 700001 is already planned in row 9",
    ]
    for line in expected:
        assert line in text, f"{line}\n--- not in ---\n{text}"
    assert len(caught.value.problems) == len(expected)


def test_a_csv_plan_from_excel_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(
        "\ufeffCourse;Days;To start;Time zone;Notes\r\n"
        "700001;-7;;Europe/Berlin;spring section\r\n"
        "ccn=TERM-0002;;2012-01-09;;\r\n"
        ";;;;\r\n".encode()
    )
    first, second = read_plan(path).orders
    assert (first.days, first.time_zone) == (-7, "Europe/Berlin")
    assert (second.course, second.mode, second.to_start) == ("ccn=TERM-0002", "to_start", FIT[2])


def test_files_that_are_no_plan_are_refused_with_a_reason(tmp_path: Path) -> None:
    headerless = tmp_path / "notes.csv"
    headerless.write_text("just,some,notes\n", encoding="utf-8")
    with pytest.raises(ImportRejectedError, match='no header row with a "Course" column'):
        read_plan(headerless)
    fake = tmp_path / "plan.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRejectedError, match=r"not a valid \.xlsx file"):
        read_plan(fake)
    with pytest.raises(ImportRejectedError, match="cannot be read"):
        read_plan(tmp_path / "missing.xlsx")


def test_a_csv_plan_with_endless_rows_of_cells_is_refused_before_it_is_held(
    tmp_path: Path,
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("Course,Days\n" + "123456," + ",".join(["7"] * 5000) + "\n")
    with pytest.raises(ImportRejectedError) as caught:
        read_plan(wide)
    assert "cells" in str(caught.value) and "wide.csv" in str(caught.value)
