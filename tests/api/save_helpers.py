"""What the save-pipeline tests share: a client of the fake server, an edit, and the PUTs
the server saw."""

from __future__ import annotations

import httpx

from scheduler_gui.api.client import NO_RETRY, LearningStudioClient, RetryPolicy
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc

from .fakes import FakeLearningStudio


def client_for(server: FakeLearningStudio, retry: RetryPolicy = NO_RETRY) -> LearningStudioClient:
    """A client of the fake server (no real waits between retries)."""
    return LearningStudioClient(
        "https://api.example.test",
        None,
        transport=server.transport(),
        retry=retry,
        sleep=lambda seconds: None,
    )


def edit_end(schedule: Schedule, item_id: int, day: int) -> Schedule:
    item = schedule.get(item_id)
    assert item is not None
    return schedule.with_items([item.with_dates(end=utc(2011, 3, day, 6, 59))])


def puts(server: FakeLearningStudio) -> list[httpx.Request]:
    return [r for r in server.requests if r.method == "PUT"]
