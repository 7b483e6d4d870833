"""Fixtures for the spreadsheet tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_gui.core.model import Schedule
from scheduler_gui.io.excel_export import CourseExport, export_workbook

from .samples import DENVER, make_course


@pytest.fixture
def course() -> Schedule:
    return make_course()


@pytest.fixture
def exported(tmp_path: Path, course: Schedule) -> Path:
    path = tmp_path / "course.xlsx"
    export_workbook(path, [CourseExport(course, DENVER, "DEMO-101")])
    return path
