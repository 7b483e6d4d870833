"""The save pipeline over httpx.MockTransport: every step, every way it can fail."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from scheduler_gui.api.save import (
    STEPS,
    BackupFailedError,
    SaveCancelledError,
    SaveConflictError,
    SaveNotAppliedError,
    SaveOutcomeUnknownError,
    ValidationFailedError,
    VerificationFailedError,
    save_schedule,
)
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.paths import StoreError

from .fakes import COURSE, FakeLearningStudio
from .save_helpers import client_for, edit_end, puts


def test_a_save_backs_up_puts_every_item_once_and_verifies(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    steps: list[tuple[str, int, int]] = []
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        edited = edit_end(base, 3, 15)
        report = save_schedule(
            client,
            COURSE,
            base=base,
            edited=edited,
            backup=backups,
            progress=lambda *step: steps.append(step),
        )
    assert report.changed_items == 1 and not report.nothing_to_save
    assert [number for _, number, _ in steps] == list(range(1, STEPS + 1))
    assert len(puts(server)) == 1
    sent = json.loads(puts(server)[0].content)["itemSchedules"]
    assert [entry["itemId"] for entry in sent] == [1, 2, 3, 4]
    assert "startDateTime" not in sent[1]["schedule"]["accessSchedule"]  # inherited, untouched
    assert sent[2]["schedule"]["accessSchedule"]["endDateTime"] == "2011-03-15T06:59:00Z"
    # The backup holds the state before the save.
    info, backed_up = backups.load(report.backup_path)  # type: ignore[arg-type]
    assert backed_up.get(3).end == utc(2011, 2, 8, 6, 59)  # type: ignore[union-attr]
    assert info is not None and info.course_id == COURSE
    assert report.schedule.get(3).end == utc(2011, 3, 15, 6, 59)  # type: ignore[union-attr]
    assert report.schedule.get(2).parent_id == 1  # type: ignore[union-attr]
    assert "Saved 1 changed item" in report.message and set(report.timings) >= {"put", "verify"}


def test_no_change_means_no_backup_and_no_put(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        report = save_schedule(client, COURSE, base=base, edited=base, backup=backups)
    assert report.nothing_to_save and report.backup_path is None
    assert "Nothing to save" in report.message
    assert puts(server) == [] and backups.for_course(COURSE) == []


def test_validation_errors_stop_before_any_request(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        server.requests.clear()
        item = base.get(3)
        assert item is not None
        broken = base.with_items([item.with_dates(end=utc(2011, 1, 1))])  # before start
        with pytest.raises(ValidationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=broken, backup=backups)
    assert server.requests == [] and caught.value.exit_code == 1
    assert "Nothing was saved" in str(caught.value) and caught.value.findings


def test_a_missing_item_is_refused(server: FakeLearningStudio, backups: BackupStore) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        partial = Schedule(COURSE, base.items[:3])
        with pytest.raises(ValidationFailedError):
            save_schedule(client, COURSE, base=base, edited=partial, backup=backups)
    assert puts(server) == []


def change_on_server(server: FakeLearningStudio, index: int, end: str) -> None:
    server.document["itemSchedules"][index]["schedule"]["accessSchedule"]["endDateTime"] = end


def test_server_changed_meanwhile_is_a_conflict_and_nothing_is_sent(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        change_on_server(server, 3, "2011-06-01T07:00:00Z")  # someone else moved unit 2
        edited = edit_end(base, 3, 15)
        with pytest.raises(SaveConflictError) as caught:
            save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
    conflict = caught.value
    assert conflict.exit_code == 4 and puts(server) == []
    assert conflict.base is base and conflict.local is edited
    assert conflict.remote.get(4).end == utc(2011, 6, 1, 7)  # type: ignore[union-attr]
    assert conflict.remote_changes is not None and conflict.remote_changes.changed_ids == {4}


def test_merge_keeps_both_sides_and_force_overwrites(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        change_on_server(server, 3, "2011-06-01T07:00:00Z")
        edited = edit_end(base, 3, 15)
        report = save_schedule(client, COURSE, base=base, edited=edited, backup=backups, merge=True)
        assert report.merged
        assert (
            server.document["itemSchedules"][3]["schedule"]["accessSchedule"]["endDateTime"]
            == "2011-06-01T07:00:00Z"
        )
        assert (
            server.document["itemSchedules"][2]["schedule"]["accessSchedule"]["endDateTime"]
            == "2011-03-15T06:59:00Z"
        )
        # Both changed item 3 differently: merge refuses, force overwrites.
        change_on_server(server, 2, "2011-04-01T06:59:00Z")
        mine = edit_end(base, 3, 20)
        with pytest.raises(SaveConflictError) as caught:
            save_schedule(client, COURSE, base=base, edited=mine, backup=backups, merge=True)
        assert len(caught.value.conflicts) == 1 and "server's value" in str(caught.value)
        save_schedule(client, COURSE, base=base, edited=mine, backup=backups, force=True)
    assert (
        server.document["itemSchedules"][2]["schedule"]["accessSchedule"]["endDateTime"]
        == "2011-03-20T06:59:00Z"
    )


def test_no_backup_no_put(server: FakeLearningStudio, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = BackupStore(blocker / "backups")
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(BackupFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=store)
    assert puts(server) == [] and "Nothing was saved" in str(caught.value)
    assert isinstance(caught.value.__cause__, StoreError)


def test_disk_full_while_writing_the_backup_means_no_put(
    server: FakeLearningStudio, backups: BackupStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(BackupFailedError, match=r"disk .* is full"):
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert puts(server) == [] and [p for p in backups.root.rglob("*") if p.is_file()] == []


def test_verification_failure_is_never_reported_as_success(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    def drop_the_end_change(document: dict) -> None:
        change_on_server_doc = document["itemSchedules"][2]["schedule"]["accessSchedule"]
        change_on_server_doc["endDateTime"] = "2011-02-08T06:59:00Z"

    server.tamper = drop_the_end_change
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    error = caught.value
    assert error.mismatched_ids == [3] and error.backup_path is not None
    assert error.backup_path.is_file() and str(error.backup_path) in str(error)
    assert error.exit_code == 5


def test_dropped_connection_after_the_server_applied_the_put_is_verified(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    server.drop_after_put = 1
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        report = save_schedule(
            client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups
        )
    assert len(puts(server)) == 1 and "server has every change" in report.message


def test_dropped_connection_before_the_put_applied_says_nothing_changed(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    server.fail("PUT", httpx.ReadError("reset"))
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(SaveNotAppliedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert "nothing changed" in str(caught.value) and caught.value.exit_code == 5
    assert (
        server.document["itemSchedules"][2]["schedule"]["accessSchedule"]["endDateTime"]
        == "2011-02-08T06:59:00Z"
    )


def test_dropped_connection_and_server_unreachable_says_it_is_unknown(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        server.fail("GET", httpx.Response(200, json=server.document))  # the pre-save read
        server.fail("PUT", httpx.ReadError("reset"))
        server.fail("GET", httpx.ConnectError("gone"))
        with pytest.raises(SaveOutcomeUnknownError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert "could not be confirmed" in str(caught.value)
    assert caught.value.backup_path is not None and caught.value.backup_path.is_file()


def test_cancel_before_the_put_sends_nothing_and_cancel_after_it_is_ignored(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        edited = edit_end(base, 3, 15)
        seen: list[int] = []

        def cancel_at_put(message: str, step: int, steps: int) -> None:
            seen.append(step)

        with pytest.raises(SaveCancelledError):
            save_schedule(
                client,
                COURSE,
                base=base,
                edited=edited,
                backup=backups,
                progress=cancel_at_put,
                cancelled=lambda: len(seen) >= 3,
            )
        assert puts(server) == []
        seen.clear()
        report = save_schedule(
            client,
            COURSE,
            base=base,
            edited=edited,
            backup=backups,
            progress=cancel_at_put,
            cancelled=lambda: len(seen) >= 4,  # asked during the PUT
        )
    assert report.changed_items == 1 and len(puts(server)) == 1


def test_edits_the_server_already_has_are_nothing_to_save_not_a_conflict(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        change_on_server(server, 2, "2011-03-15T06:59:00Z")  # someone made the same edit
        report = save_schedule(
            client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups
        )
    assert report.nothing_to_save and puts(server) == []
