"""The save pipeline's shortcuts keep every safety property.

- the backup is the server's own JSON body, verbatim, and restores to the same schedule;
- an unchanged body is parsed once, but any change to it is parsed (and seen) again;
- the conflict check still catches a change on the server made after the load;
- the read-back still catches one field of one item stored differently.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from scheduler_gui.api.save import (
    SaveConflictError,
    ValidationFailedError,
    VerificationFailedError,
    save_schedule,
)
from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.store.backups import BackupStore

from .fakes import COURSE, FakeLearningStudio
from .save_helpers import client_for, edit_end, puts

# --------------------------------------------------------------------------- backups


def test_the_backup_is_the_servers_body_and_restores_identically(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    before = httpx.Response(200, json=server.document).content  # what the GET sends
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        report = save_schedule(
            client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups
        )
    assert report.backup_path is not None
    data = report.backup_path.read_bytes()
    assert data.startswith(before[:-1])  # the server's bytes, as they came
    on_disk = json.loads(data)
    assert on_disk["backup"]["courseId"] == COURSE and on_disk["backup"]["items"] == 4
    del on_disk["backup"]
    assert on_disk == json.loads(before)
    info, restored = backups.load(report.backup_path)
    assert restored == codec.parse(before, COURSE)
    assert info is not None and info.fingerprint == restored.fingerprint()
    assert [i.path for i in backups.for_course(COURSE)] == [report.backup_path]


def test_a_backup_keeps_its_metadata_even_if_the_server_sent_a_backup_key(
    backups: BackupStore,
) -> None:
    body = b'{"backup": "the server\'s", "itemSchedules": []}  \n'
    schedule = Schedule(COURSE, [], source=body)
    path = backups.write(schedule, reason="test")
    (info,) = backups.for_course(COURSE)
    assert info.path == path and info.reason == "test" and info.items == 0


@pytest.mark.parametrize(
    "source",
    [None, b"\xef\xbb\xbf{}", "{}".encode("utf-16")],
    ids=["made here", "BOM", "UTF-16"],
)
def test_a_schedule_without_a_plain_json_body_is_backed_up_from_its_items(
    server: FakeLearningStudio, backups: BackupStore, source: bytes | None
) -> None:
    parsed = codec.parse(json.dumps(server.document), COURSE)
    schedule = Schedule(COURSE, parsed.items, source=source)
    _, restored = backups.load(backups.write(schedule))
    assert restored == parsed


def test_an_xml_schedule_is_backed_up_as_json(backups: BackupStore) -> None:
    server = FakeLearningStudio()
    parsed = codec.parse(json.dumps(server.document), COURSE)
    xml = Schedule(COURSE, parsed.items, source_format="xml", source=codec.dump(parsed, "xml"))
    path = backups.write(xml)
    assert path.read_bytes().startswith(b"{")
    assert backups.load(path)[1] == parsed


# --------------------------------------------------------------------------- parse once


def test_an_unchanged_body_is_parsed_once_and_a_changed_one_again(
    server: FakeLearningStudio,
) -> None:
    with client_for(server) as client:
        first = client.get_schedule(COURSE, with_parents=False)
        assert client.get_schedule(COURSE, with_parents=False) is first
        server.document["itemSchedules"][3]["schedule"]["accessSchedule"][
            "canAccessBeforeStartDateTime"
        ] = True
        changed = client.get_schedule(COURSE, with_parents=False)
    assert changed is not first
    assert changed.get(4).can_access_before_start  # type: ignore[union-attr]
    assert not first.get(4).can_access_before_start  # type: ignore[union-attr]


def test_a_server_change_after_loading_is_a_conflict(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        server.document["itemSchedules"][0]["schedule"]["accessSchedule"]["endDateTime"] = (
            "2011-03-02T07:00:00Z"
        )
        with pytest.raises(SaveConflictError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert puts(server) == [] and backups.for_course(COURSE) == []
    assert caught.value.remote.get(2).parent_id == 1  # type: ignore[union-attr]


def test_a_base_given_as_a_fingerprint_still_guards_and_saves(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        stale = edit_end(base, 1, 2).fingerprint()
        with pytest.raises(SaveConflictError):
            save_schedule(client, COURSE, base=stale, edited=edit_end(base, 3, 15), backup=backups)
        report = save_schedule(
            client, COURSE, base=base.fingerprint(), edited=edit_end(base, 3, 15), backup=backups
        )
    assert report.changed_items == 1 and len(puts(server)) == 1


def test_validation_errors_still_stop_the_save(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        item = base.get(3)
        assert item is not None
        broken = base.with_items([item.with_dates(end=utc(2011, 1, 1))])  # ends before it starts
        with pytest.raises(ValidationFailedError):
            save_schedule(client, COURSE, base=base, edited=broken, backup=backups)
    assert puts(server) == [] and backups.for_course(COURSE) == []


def test_a_merge_that_makes_an_invalid_item_is_refused(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        # The server moves item 3's start past the end this edit keeps: each side alone
        # is valid, the merge is not.
        server.document["itemSchedules"][2]["schedule"]["accessSchedule"]["startDateTime"] = (
            "2011-03-10T07:00:00Z"
        )
        mine = edit_end(base, 3, 9)
        with pytest.raises(ValidationFailedError):
            save_schedule(client, COURSE, base=base, edited=mine, backup=backups, merge=True)
    assert puts(server) == []


# --------------------------------------------------------------------------- read-back


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("canAccessAfterEndDateTime", False),
        ("endDateTime", "2011-03-16T06:59:00Z"),
        ("isInherited", True),
    ],
)
def test_one_field_of_one_item_stored_differently_fails_verification(
    server: FakeLearningStudio, backups: BackupStore, field: str, value: Any
) -> None:
    def change_one_field(document: dict[str, Any]) -> None:
        document["itemSchedules"][2]["schedule"]["accessSchedule"][field] = value

    server.tamper = change_one_field
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 3, 15), backup=backups)
    assert caught.value.mismatched_ids == [3]
    assert caught.value.backup_path is not None and caught.value.backup_path.is_file()


def test_a_due_date_stored_differently_fails_verification(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    def change_due(document: dict[str, Any]) -> None:
        document["itemSchedules"][2]["schedule"]["dueDate"] = "2011-02-09T06:59:00Z"

    server.tamper = change_due
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        with pytest.raises(VerificationFailedError) as caught:
            save_schedule(client, COURSE, base=base, edited=edit_end(base, 4, 15), backup=backups)
    assert caught.value.mismatched_ids == [3]


# --------------------------------------------------------------------------- PUT body


def test_the_put_body_made_during_the_read_is_the_body_of_what_is_sent(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        edited = edit_end(base, 3, 15)
        before = client.get_schedule(COURSE, with_parents=False)
        save_schedule(client, COURSE, base=base, edited=edited, backup=backups)
        expected = client.put_body(edited, previous=before)
    (put,) = puts(server)
    assert put.content == expected


def test_a_forced_save_over_a_changed_server_encodes_against_the_server_state(
    server: FakeLearningStudio, backups: BackupStore
) -> None:
    with client_for(server) as client:
        base = client.get_schedule(COURSE)
        item = base.get(3)
        assert item is not None and item.due is not None
        edited = base.with_items([item.with_dates(due=None, end=utc(2011, 3, 15, 6, 59))])
        # Meanwhile the server dropped the due date too: against the base the body would
        # clear it ("dueDate": null); against the server's state there is nothing to clear.
        del server.document["itemSchedules"][2]["schedule"]["dueDate"]
        remote = client.get_schedule(COURSE, with_parents=False)
        save_schedule(client, COURSE, base=base, edited=edited, backup=backups, force=True)
        expected = client.put_body(edited, previous=remote)
    (put,) = puts(server)
    assert put.content == expected
    assert "dueDate" not in json.loads(put.content)["itemSchedules"][2]["schedule"]
