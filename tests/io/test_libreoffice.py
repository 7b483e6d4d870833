"""A second spreadsheet program: workbooks saved by LibreOffice import the same.

Needs ``soffice`` (Debian: ``libreoffice-calc-nogui``; .ci/run installs it). Without it
these tests skip with a notice on a developer's machine and fail in CI, so CI cannot pass
while silently not checking.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from scheduler_gui.core.model import Schedule
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import apply_sheet

from ..system_tools import need_tool
from .samples import COURSE, DENVER, HOSTILE_TITLES, changed_put_items

pytestmark = pytest.mark.slow


def libreoffice_convert(source: Path, target_format: str, workdir: Path) -> Path:
    soffice = need_tool(
        "soffice", "libreoffice", install="apt-get install -y libreoffice-calc-nogui"
    )
    outdir = workdir / f"lo-{target_format}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = outdir / f"{source.stem}.{target_format}"
    assert converted.exists()
    return converted


def import_path(path: Path, base: Schedule) -> Schedule:
    edited, _ = apply_sheet(base, read_spreadsheet(path).sheet_for(COURSE), zone=DENVER)
    return edited


def test_edits_saved_by_libreoffice_import_the_same(
    tmp_path: Path, exported: Path, course: Schedule
) -> None:
    book = openpyxl.load_workbook(exported)
    sheet = book["Schedules"]
    sheet["F4"].value = datetime(2011, 3, 14, 23, 59)  # item 3 End
    sheet["E3"].value = "2011-03-05 08:00"  # inherited item 2, typed as text
    sheet["D4"].value = True  # item 3 inherits again
    sheet["I2"].value = True  # item 1 may be opened late
    sheet["G9"].value = "8 Apr 2011 17:00"  # item 8 due
    sheet.delete_rows(6)  # item 5 gone
    book.save(exported)

    by_openpyxl = import_path(exported, course)
    by_libreoffice = import_path(libreoffice_convert(exported, "xlsx", tmp_path), course)

    assert by_libreoffice == by_openpyxl
    assert set(changed_put_items(course, by_libreoffice)) == {1, 2, 3, 8}


def test_an_untouched_export_survives_libreoffice_and_its_csv(
    tmp_path: Path, exported: Path, course: Schedule
) -> None:
    resaved = libreoffice_convert(exported, "xlsx", tmp_path)
    spreadsheet = read_spreadsheet(resaved)
    sheet = spreadsheet.sheet_for(COURSE)
    assert sheet.fingerprint == course.fingerprint()  # the About sheet survived
    assert import_path(resaved, course) == course
    titles_as_saved = openpyxl.load_workbook(resaved)["Schedules"]["B"][1:]
    assert {cell.data_type for cell in titles_as_saved} == {"s"}  # still text, no formula
    titles = {row[1] for _, row in sheet.rows}
    assert set(HOSTILE_TITLES.values()) <= titles

    as_csv = libreoffice_convert(exported, "csv", tmp_path)
    assert import_path(as_csv, course) == course
