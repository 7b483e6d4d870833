"""The verify step names the right item and the right cause (over httpx.MockTransport)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_gui.api.errors import ServerError
from scheduler_gui.api.save import (
    SaveOutcomeUnknownError,
    VerificationFailedError,
    save_schedule,
)
from scheduler_gui.store.backups import BackupStore

from .fakes import COURSE, FakeLearningStudio, item
from .save_helpers import client_for, edit_end

HTML = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Portal</body></html>"


def test_an_extra_item_on_the_server_is_named_not_the_first_item(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    def add_an_item(document: dict[str, Any]) -> None:
        extra = item(99, "Surprise Quiz", "2011-01-10T07:00:00Z", "2011-03-01T07:00:00Z")
        document["itemSchedules"].append(extra)

    server.tamper = add_an_item
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    error = caught.value
    assert error.extra_ids == [99] and error.mismatched_ids == []
    assert '"Surprise Quiz" (id 99)' in str(error) and "not sent" in str(error)
    assert "Unit 1" not in str(error)  # the first item has nothing to do with it


def test_an_item_missing_after_the_save_is_named(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    server.tamper = lambda document: document["itemSchedules"].pop()  # "Unit 2" gone
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert caught.value.missing_ids == [4] and '"Unit 2" (id 4)' in str(caught.value)
    assert "lacks" in str(caught.value)


def test_an_html_page_when_reading_back_is_named_as_such_not_a_dropped_connection(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        current = copy.deepcopy(server.document)
        server.fail(
            "GET",
            lambda _r: httpx.Response(200, json=current),  # the pre-save read
            httpx.Response(200, content=HTML, headers={"Content-Type": "text/html"}),
        )
        with pytest.raises(SaveOutcomeUnknownError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    message = str(caught.value)
    assert "connection failed" not in message
    assert "read back" in message and "web page (HTML)" in message
    assert isinstance(caught.value.backup_path, Path) and str(caught.value.backup_path) in message


def test_an_html_page_instead_of_schedules_says_to_check_the_base_url(
    server: FakeLearningStudio,
) -> None:
    server.fail("GET", httpx.Response(200, content=HTML, headers={"Content-Type": "text/html"}))
    with client_for(server) as client, pytest.raises(ServerError) as caught:
        client.get_schedule(COURSE, with_parents=False)
    assert "web page (HTML)" in str(caught.value) and "base URL" in str(caught.value)
