"""CSV files in the encodings and separators spreadsheet programs write."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import ImportRejectedError, apply_sheet

from .samples import COURSE, DENVER

HEADER = [
    "Item ID",
    "Title",
    "Parent",
    "Inherited",
    "Start",
    "End",
    "Due",
    "Open before start",
    "Open after end",
]


def csv_text(separator: str, title: str = "Assignment 1") -> str:
    rows = [
        HEADER,
        ["3", title, "1", "FALSE", "2011-03-02 00:00", "2011-03-14 23:59", "", "", "TRUE"],
        ["5", "Unit 2", "", "", "", "", "", "yes", ""],
    ]
    return "\r\n".join(separator.join(row) for row in rows) + "\r\n"


def import_csv(path: Path, course: Schedule) -> tuple[Schedule, object, tuple[str, ...]]:
    book = read_spreadsheet(path)
    edited, report = apply_sheet(course, book.sheet_for(COURSE), zone=DENVER, notes=book.notes)
    return edited, report, book.notes


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_encodings_and_separators(
    tmp_path: Path, course: Schedule, encoding: str, prefix: bytes, separator: str
) -> None:
    path = tmp_path / "course.csv"
    path.write_bytes(prefix + csv_text(separator, "Aufgabe Übung é").encode(encoding))
    edited, _, notes = import_csv(path, course)
    assert edited.by_id[3].end == utc(2011, 3, 15, 5, 59)  # 23:59 MDT
    assert edited.by_id[5].can_access_before_start is True
    assert notes == ()


def test_windows_1252_is_read_with_a_note(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(csv_text(";", "Übung – Café").encode("cp1252"))
    edited, report, notes = import_csv(path, course)
    assert edited.by_id[3].end == utc(2011, 3, 15, 5, 59)
    assert len(notes) == 1 and "Windows-1252" in notes[0]
    assert "Windows-1252" in report.summary()  # type: ignore[attr-defined]


def test_the_zone_named_in_the_csv_header_wins(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "berlin.csv"
    path.write_text("Item ID,End (Europe/Berlin)\n3,2011-03-14 23:59\n", encoding="utf-8")
    edited, _, _ = import_csv(path, course)
    assert edited.by_id[3].end == utc(2011, 3, 14, 22, 59)


def test_problems_in_a_csv_name_the_file_row_and_column(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(",").replace("2011-03-14 23:59", "14/14/2011"), encoding="utf-8")
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(path, course)
    problems = [str(p) for p in caught.value.problems]
    assert problems == ['bad.csv!F2 (Assignment 1): "14/14/2011" is not a date']


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Item ID,Start\n3,\x00\x01\x02binary", "is not a text file"),
        (
            "Item ID,Start\n".encode("utf-16-le"),
            "is not a text file (or is UTF-16 without a byte-order mark)",
        ),
        (b"Item ID,Title\n3,\x81\x8d\x8f\xff\xfe", "is not UTF-8 or Windows-1252 text"),
        (b"\xff\xfeI\x00\x00\xd8", "is not valid UTF-16 text"),
    ],
)
def test_wrong_encodings_are_refused_clearly(
    tmp_path: Path, course: Schedule, data: bytes, message: str
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(path, course)
    assert message in str(caught.value.problems[0])


def test_a_csv_without_the_header_is_not_ours(tmp_path: Path, course: Schedule) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Name,Amount\nCoffee,12\n", encoding="utf-8")
    with pytest.raises(ImportRejectedError, match='no "Item ID" column header'):
        import_csv(path, course)


def test_a_csv_for_an_unnamed_course_needs_the_course(tmp_path: Path) -> None:
    path = tmp_path / "course.csv"
    path.write_text(csv_text(","), encoding="utf-8")
    with pytest.raises(ImportRejectedError, match="cannot tell which course"):
        read_spreadsheet(path).sheet_for(None)
    assert read_spreadsheet(path).sheet_for("42").course_id == "42"
