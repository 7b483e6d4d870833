"""The files around a save: private to the user, never written over what is not a file,
damaged backups named in place, backups kept per server. On a real (temporary) disk."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from pathlib import Path

import pytest

from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.store import paths
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.drafts import DraftStore
from scheduler_gui.store.logs import close_logging, setup_logging
from scheduler_gui.store.paths import StoreError, write_output
from scheduler_gui.store.settings import Settings, save_settings
from tests.api.fakes import sample_document

SERVER = "https://api.example.test"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and FIFOs")


def schedule() -> Schedule:
    return codec.schedule_from_obj(sample_document(), "123456")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ -o FILE


@posix_only
def test_output_into_a_fifo_is_written_through_and_the_fifo_stays(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # A daemon, joined with a bound: if the FIFO were replaced, the reader would wait forever.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, b'{"itemSchedules": []}\n')
    reader.join(timeout=60)
    assert received == [b'{"itemSchedules": []}\n']
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # not replaced by a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temp file left


@posix_only
def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output(link, b"new")
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() == b"new" and mode(target) == 0o640  # its mode kept
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "made.json")
    write_output(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "made.json").read_bytes() == b"made"


def test_output_to_a_folder_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        write_output(folder, b"data")
    assert folder.is_dir() and list(folder.iterdir()) == []


# ------------------------------------------------------------------ private to the user


@posix_only
def test_backups_drafts_settings_and_logs_are_private() -> None:
    old = os.umask(0o022)  # a usual umask: new files 0644, folders 0755
    try:
        backup = BackupStore(base_url=SERVER).write(schedule())
        draft = DraftStore(base_url=SERVER).save(schedule(), schedule().fingerprint())
        settings = save_settings(Settings())
        log = setup_logging()
        logging.getLogger("scheduler_gui.requests").info("GET /me 200 0.1s")
    finally:
        close_logging()
        os.umask(old)
    for folder in (
        paths.data_dir(),
        paths.backups_dir(),
        backup.parent,
        backup.parent.parent,
        paths.drafts_dir(),
        paths.config_dir(),
        paths.log_dir(),
    ):
        assert mode(folder) == 0o700, folder
    for file in (backup, draft, settings, log):
        assert mode(file) == 0o600, file


@posix_only
def test_rotated_logs_stay_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler_gui.store import logs

    monkeypatch.setattr(logs, "MAX_BYTES", 200)
    old = os.umask(0o022)
    try:
        log = setup_logging(tmp_path / "log")
        for number in range(20):
            logging.getLogger("scheduler_gui.requests").info("GET /courses/%d 200 0.1s", number)
    finally:
        close_logging()
        os.umask(old)
    files = sorted(log.parent.iterdir())
    assert len(files) > 2 and all(mode(file) == 0o600 for file in files)
    assert mode(log.parent) == 0o700


@posix_only
def test_an_older_versions_open_folders_become_private(tmp_path: Path) -> None:
    old_folder = paths.backups_dir() / "123456"
    old_folder.mkdir(parents=True, mode=0o755)
    paths.data_dir().chmod(0o755)
    BackupStore(base_url=SERVER).write(schedule())
    assert mode(paths.data_dir()) == 0o700 and mode(paths.backups_dir()) == 0o700


@posix_only
@pytest.mark.gui
def test_the_gui_settings_file_is_private(qapp: object) -> None:
    from scheduler_gui.app import app_settings

    old = os.umask(0o022)
    try:
        settings = app_settings()
        settings.setValue("window/geometry", "x")
        settings.sync()
    finally:
        os.umask(old)
    ini = paths.config_dir() / "gui.ini"
    assert ini.is_file() and mode(ini) == 0o600 and mode(ini.parent) == 0o700


# ------------------------------------------------------------------ damaged backups


def test_a_damaged_backup_is_listed_as_damaged_in_its_place() -> None:
    store = BackupStore(base_url=SERVER)
    oldest = store.write(schedule())
    middle = store.write(
        schedule().with_items([schedule().items[2].with_dates(end=utc(2011, 3, 1))])
    )
    newest = store.write(schedule())
    before = [info.path for info in store.for_course("123456")]
    assert before == [newest, middle, oldest]
    middle.write_bytes(middle.read_bytes()[:100])  # cut short (a crash, a full disk)
    listed = store.for_course("123456")
    assert [info.path for info in listed] == before  # the numbers stay put
    assert listed[1].damaged.startswith("not valid JSON") and not listed[0].damaged
    assert store.find("123456", "3") == oldest


# ------------------------------------------------------------------ per server


def test_backups_are_kept_per_server() -> None:
    ours = BackupStore(base_url="https://api.example.test/")
    theirs = BackupStore(base_url="https://staging.example.test")
    mine = ours.write(schedule())
    other = theirs.write(schedule())
    assert [i.path for i in ours.for_course("123456")] == [mine]
    assert [i.path for i in theirs.for_course("123456")] == [other]
    # The same server however its URL is written.
    assert BackupStore(base_url="HTTPS://API.example.test").for_course("123456")[0].path == mine
    # By path, a backup tells which server it is from.
    assert ours.find_info("123456", str(other)).base_url == "https://staging.example.test"


def test_backups_an_older_version_wrote_are_still_listed_for_their_server() -> None:
    path = BackupStore().write(schedule())  # the old layout: backups/<course id>/
    document = json.loads(path.read_text())
    document["backup"]["baseUrl"] = SERVER  # written for this server, its metadata says
    path.write_text(json.dumps(document))
    assert path.parent == paths.backups_dir() / "123456"
    assert [i.path for i in BackupStore(base_url=SERVER).for_course("123456")] == [path]
    assert BackupStore(base_url="https://staging.example.test").for_course("123456") == []


@posix_only
def test_a_workbook_is_never_written_over_a_fifo_and_follows_a_symlink(tmp_path: Path) -> None:
    from scheduler_gui.store.paths import regular_output_path

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="not a regular file"):
        regular_output_path(fifo)
    link = tmp_path / "link.xlsx"
    link.symlink_to(tmp_path / "real.xlsx")
    assert regular_output_path(link) == tmp_path / "real.xlsx"
