"""Property: an untouched export imports as "no change", whatever the dates and zone."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.io.excel_export import CourseExport, export_workbook
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import apply_sheet

# Zones with odd offsets and daylight saving (Lord Howe shifts by 30 minutes).
ZONES = ["America/Denver", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
START = datetime(2011, 1, 1, tzinfo=UTC)

instants = st.integers(0, 20 * 365 * 86400).map(lambda s: START + timedelta(seconds=s))
items = st.builds(
    lambda item_id, title, start, length, due, inherited, before, after: ItemSchedule(
        item_id,
        title,
        start=start,
        end=start + timedelta(seconds=length),
        due=due,
        is_inherited=inherited,
        can_access_before_start=before,
        can_access_after_end=after,
    ),
    item_id=st.integers(1, 10**9),
    title=st.text(max_size=40),
    start=instants,
    length=st.integers(0, 200 * 86400),
    due=st.none() | instants,
    inherited=st.booleans(),
    before=st.booleans(),
    after=st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(items, min_size=1, max_size=12, unique_by=lambda i: i.item_id),
    st.sampled_from(ZONES),
)
def test_export_then_import_changes_nothing(rows: list[ItemSchedule], zone_name: str) -> None:
    schedule = Schedule("42", rows)
    zone = ZoneInfo(zone_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "course.xlsx"
        export_workbook(path, [CourseExport(schedule, zone)])
        sheet = read_spreadsheet(path).sheet_for("42")
    edited, report = apply_sheet(schedule, sheet, zone=ZoneInfo("UTC"))
    assert edited == schedule
    assert report.changed == () and report.missing == 0
    assert report.changed_since_export is False
