"""Backups, drafts, settings, credentials and the log: on a real (temporary) disk."""

from __future__ import annotations

import errno
import json
import logging
import os
from pathlib import Path

import keyring
import pytest

from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.store import paths
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.credentials import NOT_REMEMBERED, CredentialStore, login_account
from scheduler_gui.store.drafts import DraftStore
from scheduler_gui.store.logs import (
    close_logging,
    log_request,
    redact,
    register_secret,
    setup_logging,
)
from scheduler_gui.store.paths import StoreError, atomic_write
from scheduler_gui.store.settings import Settings, load_settings, save_settings
from tests.api.fakes import sample_document
from tests.helpers import MemoryKeyring


def schedule() -> Schedule:
    return codec.schedule_from_obj(sample_document(), "123456").with_parents({2: 1, 3: 1})


def test_user_dirs_follow_the_platform_conventions(_isolated_user_dirs: Path) -> None:
    assert paths.data_dir() == _isolated_user_dirs / "xdg_data_home" / "CourseScheduleEditor"
    assert paths.config_dir().name == "CourseScheduleEditor"
    assert paths.log_dir().is_relative_to(_isolated_user_dirs / "xdg_state_home")


def test_backups_round_trip_and_list_newest_first() -> None:
    store = BackupStore(base_url="https://user:pw@api.example.test/?access_token=x")
    first = store.write(schedule())
    edited = schedule().with_items([schedule().items[2].with_dates(end=utc(2011, 3, 1))])
    second = store.write(edited)
    assert first.parent == paths.backups_dir() / "api.example.test-c6e4c37d" / "123456"
    listed = store.for_course("123456")
    assert [info.path for info in listed] == [second, first]
    assert listed[0].fingerprint == edited.fingerprint() and listed[0].items == 4
    assert listed[0].base_url == "https://api.example.test"
    _info, loaded = store.load(second)
    assert loaded == codec.schedule_from_obj(codec.to_obj(edited), "123456")
    assert store.find("123456", "2") == first and store.find("123456", second.name) == second
    with pytest.raises(StoreError, match="schedctl backups 123456"):
        store.find("123456", "7")
    # The file is itself a schedules document the API would accept back.
    document = json.loads(second.read_text())
    assert document["backup"]["courseId"] == "123456" and len(document["itemSchedules"]) == 4


def test_atomic_write_leaves_no_partial_file_on_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="is full") as caught:
        atomic_write(target, b"new")
    assert caught.value.exit_code == 1
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_read_only_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tempfile

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(StoreError, match="is read-only"):
        BackupStore(tmp_path).write(schedule())


def test_drafts_survive_and_restore_every_edit() -> None:
    base = schedule()
    edited = base.with_items([base.items[1].with_dates(start=utc(2011, 1, 12))])
    store = DraftStore(base_url="https://api.example.test")
    store.save(edited, base.fingerprint(), base=base)
    draft = DraftStore(base_url="https://api.example.test").load("123456")
    assert draft is not None
    assert draft.edited == edited and draft.base == base
    assert draft.base_fingerprint == base.fingerprint()
    assert draft.edited.get(3).parent_id == 1  # type: ignore[union-attr]
    assert not draft.edited.get(2).is_inherited  # type: ignore[union-attr]
    assert [d.course_id for d in store.pending()] == ["123456"]
    assert DraftStore(base_url="https://other.example.test").load("123456") is None
    store.discard("123456")
    assert store.load("123456") is None and store.pending() == []


def test_a_damaged_draft_is_reported_not_crashed() -> None:
    store = DraftStore()
    path = store.path_for("42")
    path.parent.mkdir(parents=True)
    path.write_text('{"draft": {"courseId": "42"')
    with pytest.raises(StoreError, match="could not be read"):
        store.load("42")
    assert store.pending() == []


def test_settings_round_trip_and_never_hold_secrets() -> None:
    settings = Settings(base_url="https://proxy.example.edu", username="prof", timeout=5.0)
    settings.set_time_zone("123456", "America/Denver")
    settings.extra = {"password": "hunter2", "future_option": 3, "nested": {"access_token": "t"}}
    path = save_settings(settings)
    text = path.read_text()
    assert "hunter2" not in text and "access_token" not in text
    loaded = load_settings()
    assert loaded.base_url == "https://proxy.example.edu" and loaded.timeout == 5.0
    assert loaded.time_zone_for("123456") == "America/Denver"
    assert loaded.extra == {"future_option": 3, "nested": {}}


def test_damaged_settings_fall_back_to_defaults() -> None:
    path = paths.config_dir() / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert load_settings() == Settings()
    path.write_text('{"timeout": "slow", "username": 5, "base_url": "https://x.test"}')
    loaded = load_settings()
    assert loaded.timeout == 60.0 and loaded.username == "" and loaded.base_url == "https://x.test"


def test_without_a_keyring_the_password_is_not_remembered() -> None:
    store = CredentialStore()  # tests run with the null backend
    account = login_account("https://api.example.test", "sandbox", "prof")
    assert account == "sandbox\\prof@api.example.test"
    assert not store.available
    assert store.remember(account, "prof") == NOT_REMEMBERED
    assert "Password not remembered" in NOT_REMEMBERED and store.get(account) is None
    store.forget(account)  # harmless


def test_with_a_keyring_the_password_is_remembered_and_forgotten() -> None:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        store = CredentialStore()
        assert store.available and store.remember("acct", "pw-1") is None
        assert store.get("acct") == "pw-1"
        store.forget("acct")
        assert store.get("acct") is None
    finally:
        keyring.set_keyring(previous)


def test_log_file_has_request_lines_and_no_secrets(tmp_path: Path) -> None:
    class Record:
        method, path, status, duration, error = (
            "GET",
            "/courses/1/itemSchedules.json",
            200,
            0.25,
            "",
        )

    path = setup_logging(tmp_path)
    try:
        register_secret("hunter2-pw")
        log_request(Record())
        logger = logging.getLogger("scheduler_gui.api")
        logger.warning("token answer access_token=abc123&refresh_token=def456")
        logger.warning("header X-Authorization: Access_Token access_token=zzz999")
        logger.warning('{"password": "hunter2-pw"} oauth_signature="c2lnbmF0dXJl"')
        try:
            raise ValueError("bad password hunter2-pw")
        except ValueError:
            logger.exception("failed")
    finally:
        close_logging()
    text = path.read_text()
    assert "GET /courses/1/itemSchedules.json 200 0.250s" in text
    for secret in ("abc123", "def456", "zzz999", "hunter2-pw", "c2lnbmF0dXJl"):
        assert secret not in text
    assert "ValueError" in text


def test_redact_keeps_ordinary_text() -> None:
    assert (
        redact("PUT /courses/123456/itemSchedules 204") == "PUT /courses/123456/itemSchedules 204"
    )
