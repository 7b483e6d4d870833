"""Files that are not what they claim: refused with a clear message, never unpacked blindly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from scheduler_gui.io import excel_import
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import ImportRejectedError


def refusal(path: Path) -> str:
    with pytest.raises(ImportRejectedError) as caught:
        read_spreadsheet(path)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> None:
    """Copy a workbook, swapping some parts (as an attacker with a zip tool would)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in replace.items():
            if name not in old.namelist():
                new.writestr(name, data)


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path, exported: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    rezip(exported, bomb, {"xl/worksheets/sheet3.xml": b"\0" * 60_000_000})
    assert bomb.stat().st_size < 200_000
    message = refusal(bomb)
    assert message.startswith("bomb.xlsx: would unpack to 60 MB at a suspicious compression ratio")


def test_too_much_unpacked_data_is_refused(
    tmp_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_import, "MAX_UNPACKED_BYTES", 10_000)
    assert "refused as unsafe" in refusal(exported)


def test_files_over_the_size_limit_are_refused(
    exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_import, "MAX_FILE_BYTES", 1_000)
    assert "MB are refused" in refusal(exported)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.xlsx",
            b"just some text\n",
            "notes.xlsx: is not an Excel workbook (.xlsx) or a CSV file",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "is an old .xls workbook"),
        ("cut.xlsx", b"PK\x03\x04" + b"\0" * 100, "cut.xlsx: is not a valid .xlsx file"),
        ("empty.csv", b"", 'no "Item ID" column'),
    ],
)
def test_things_that_are_not_workbooks(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    if name == "empty.csv":  # reading works; there is just no schedule in it
        sheet = read_spreadsheet(path).sheet_for("1")
        assert sheet.rows == []
        return
    assert message in refusal(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("cat.jpg", b"\xff\xd8 not really")
    assert refusal(path) == "photos.xlsx: is a zip file but not an Excel workbook (.xlsx)"


def test_a_missing_file(tmp_path: Path) -> None:
    assert "cannot be read" in refusal(tmp_path / "nowhere.xlsx")


def test_entity_expansion_inside_the_workbook_is_refused(tmp_path: Path, exported: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    with zipfile.ZipFile(exported) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("<t>Unit 1</t>", "<t>&lol9;</t>")
    doctype = f"<!DOCTYPE worksheet [{''.join(entities)}]>"
    evil = tmp_path / "laughs.xlsx"
    rezip(exported, evil, {"xl/worksheets/sheet1.xml": (doctype + sheet).encode()})
    message = refusal(evil)
    assert message.startswith("laughs.xlsx: cannot be read as an Excel workbook")
    assert "Entities" in message
