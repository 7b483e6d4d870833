"""Batch journals on disk: appended line by line, read back after a kill (torn last line
ignored), found by key, listed, set aside by --restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_gui.store.journal import (
    BACKED_UP,
    PLANNED,
    VERIFIED,
    JournalStore,
    read_journal,
)
from scheduler_gui.store.paths import StoreError

KEY = "a" * 24


def test_a_journal_reads_back_what_was_recorded(tmp_path: Path) -> None:
    store = JournalStore(tmp_path)
    journal = store.create(KEY, {"command": "shift", "courses": ["1", "2", "3"]})
    journal.record("1", PLANNED, sync=False, before="b1", after="a1")
    journal.record("1", BACKED_UP, backup="/backups/1.json")
    journal.record("1", VERIFIED, changed=12)
    journal.record("2", PLANNED, before="b2", after="a2")
    journal.close()
    info = read_journal(journal.path)
    assert info is not None and info.key == KEY and info.header["command"] == "shift"
    one = info.entries["1"]
    assert (one.state, one.before, one.after, one.backup, one.changed) == (
        VERIFIED, "b1", "a1", "/backups/1.json", 12,
    )  # fmt: skip
    assert info.counts() == {VERIFIED: 1, PLANNED: 1, "left": 1}
    assert not info.complete and info.ended == ""


def test_a_torn_last_line_from_a_killed_batch_is_ignored(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path).create(KEY, {"courses": ["1"]})
    journal.record("1", PLANNED, before="b", after="a")
    journal.close()
    with journal.path.open("ab") as handle:
        handle.write(b'{"course": "1", "state": "verif')  # killed mid-write
    info = read_journal(journal.path)
    assert info is not None and info.entries["1"].state == PLANNED


def test_the_latest_run_of_a_batch_is_found_by_key_until_set_aside(tmp_path: Path) -> None:
    store = JournalStore(tmp_path)
    first = store.create(KEY, {"courses": ["1"]})
    other = store.create("b" * 24, {"courses": ["1"]})
    found = store.latest(KEY)
    assert found is not None and found.path == first.path
    store.supersede(found)
    assert store.latest(KEY) is None
    assert store.find(other.batch_id).path == other.path
    again = store.create(KEY, {"courses": ["1"]})  # --restart within the same second
    assert again.path != first.path and store.find(again.batch_id).path == again.path
    with pytest.raises(StoreError, match="No batch 'nope'"):
        store.find("nope")


def test_end_marks_a_finished_batch_complete(tmp_path: Path) -> None:
    store = JournalStore(tmp_path)
    journal = store.create(KEY, {"courses": ["1"]})
    journal.record("1", VERIFIED, changed=1)
    journal.end("finished")
    info = store.latest(KEY)
    assert info is not None and info.complete and info.ended == "finished"
    assert store.unfinished() == []


def test_a_journal_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreError):
        JournalStore(blocked / "journals").create(KEY, {})
