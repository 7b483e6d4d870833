"""What the save-pipeline tests share: an edit, and the PUTs a fake server saw."""

from __future__ import annotations

import httpx

from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc

from .fakes import FakeLearningStudio


def edit_end(schedule: Schedule, item_id: int, day: int) -> Schedule:
    item = schedule.get(item_id)
    assert item is not None
    return schedule.with_items([item.with_dates(end=utc(2011, 3, day, 6, 59))])


def puts(server: FakeLearningStudio) -> list[httpx.Request]:
    return [r for r in server.requests if r.method == "PUT"]
