"""Two people saving one course at once, against the sandbox over loopback.

The API has no If-Match: between a save's conflict read and its PUT another save can
land, and the later PUT silently replaces the earlier one. What the pipeline promises
then: no change is lost from everywhere at once (server, backups, after-save snapshots),
and a save that can see the other one (its check reads a third state) says so.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.api.client import LearningStudioClient, RetryPolicy
from scheduler_gui.api.save import (
    ConcurrentSaveError,
    SaveConflictError,
    SaveReport,
    VerificationFailedError,
    save_schedule,
)
from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.sandbox import facts
from scheduler_gui.store.backups import BackupStore
from tests.helpers import sandbox_client

COURSE = str(facts.DEMO_COURSE_ID)
RUNS = 24


def client_for(sandbox: Any, user: str) -> LearningStudioClient:
    return sandbox_client(sandbox.url, user, retry=RetryPolicy(attempts=1))


def explicit_items(schedule: Schedule) -> list[int]:
    return [i.item_id for i in schedule.items if not i.is_inherited and i.end is not None]


class Writer:
    """One person: loads the course, moves one item's end, saves at the same time as
    the other (both wait at ``barrier``, then a random moment)."""

    def __init__(self, sandbox: Any, user: str, store: BackupStore, rng: random.Random) -> None:
        self.client = client_for(sandbox, user)
        self.store, self.rng = store, rng
        self.change: tuple[int, datetime] | None = None
        self.outcome: SaveReport | BaseException | None = None

    def edit(self, item_id: int, minutes: int) -> tuple[Schedule, Schedule]:
        base = self.client.get_schedule(COURSE, with_parents=False)
        item = base.get(item_id)
        assert item is not None and item.end is not None
        end = item.end + timedelta(minutes=minutes)
        self.change = (item_id, end)
        return base, base.with_items([item.with_dates(end=end)])

    def save(self, base: Schedule, edited: Schedule, barrier: threading.Barrier) -> None:
        barrier.wait()
        threading.Event().wait(self.rng.random() * 0.15)  # any order of the six requests
        try:
            self.outcome = save_schedule(
                self.client,
                COURSE,
                base=base,
                edited=edited,
                backup=self.store,
                snapshot=self.store.write_after,
            )
        except (SaveConflictError, VerificationFailedError) as exc:
            self.outcome = exc


def kept_on_disk(stores: list[BackupStore], item_id: int, end: datetime) -> bool:
    """True if some backup or snapshot of the course holds ``item_id`` ending at ``end``."""
    for store in stores:
        for path in store.course_dir(COURSE).glob("*.json"):
            _, schedule = store.load(path, COURSE)
            item = schedule.get(item_id)
            if item is not None and item.end == end:
                return True
    return False


@pytest.mark.slow
def test_racing_saves_never_lose_a_change_from_server_backups_and_snapshots(
    sandbox: Any, tmp_path: Path
) -> None:
    rng = random.Random(17)
    sandbox.set_faults("latency=0.04@:/itemschedules")  # reads and PUTs overlap
    stores = [BackupStore(tmp_path / name, base_url=sandbox.url) for name in ("one", "two")]
    seen: dict[str, int] = {}
    for run in range(RUNS):
        users = ("prof", "admin")
        writers = [Writer(sandbox, user, stores[n], rng) for n, user in enumerate(users)]
        items = explicit_items(writers[0].client.get_schedule(COURSE, with_parents=False))
        same_item = run % 3 == 0  # now and then both change the same item
        targets = [items[1], items[1] if same_item else items[2]]
        edits = [
            w.edit(target, 60 * (run + 1) * (n + 1))
            for n, (w, target) in enumerate(zip(writers, targets, strict=True))
        ]
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=w.save, args=(*edit, barrier))
            for w, edit in zip(writers, edits, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server = writers[0].client.get_schedule(COURSE, with_parents=False)
        for writer in writers:
            writer.client.close()
        for writer in writers:
            assert writer.change is not None
            item_id, end = writer.change
            on_server = server.get(item_id).end == end  # type: ignore[union-attr]
            outcome = writer.outcome
            assert outcome is not None, "a save raised something unexpected"
            kind = type(outcome).__name__
            if isinstance(outcome, SaveConflictError):
                pass  # nothing was sent: the person was told, the edit is still theirs
            elif not on_server:
                kind += " (change only on disk)"
                assert kept_on_disk(stores, item_id, end), f"run {run}: {kind} lost a change"
            if isinstance(outcome, ConcurrentSaveError):
                assert outcome.exit_code == 4 and outcome.snapshot_path is not None
                assert str(outcome.snapshot_path) in str(outcome)
            seen[kind] = seen.get(kind, 0) + 1
    print(f"outcomes over {RUNS} runs of two racing saves: {seen}")
    # The race happened: some save lost its change on the server (and kept it on disk).
    assert any("only on disk" in kind for kind in seen)


def test_a_save_overtaken_between_its_put_and_its_check_says_so_and_keeps_what_it_sent(
    sandbox: Any, tmp_path: Path
) -> None:
    store = BackupStore(tmp_path / "backups", base_url=sandbox.url)
    with client_for(sandbox, "prof") as mine, client_for(sandbox, "admin") as theirs:
        base = mine.get_schedule(COURSE, with_parents=False)
        my_item, their_item = explicit_items(base)[1:3]
        item = base.get(my_item)
        assert item is not None and item.end is not None
        edited = base.with_items([item.with_dates(end=item.end + timedelta(days=1))])

        class OvertakenAfterPut:
            """My client; right after my PUT, a colleague's save of another item lands."""

            def __getattr__(self, name: str) -> Any:
                return getattr(mine, name)

            def put_schedule(self, *args: Any, **kwargs: Any) -> None:
                mine.put_schedule(*args, **kwargs)
                now = theirs.get_schedule(COURSE, with_parents=False)
                other = now.get(their_item)
                assert other is not None and other.end is not None
                theirs.put_schedule(
                    COURSE, base.with_items([other.with_dates(end=other.end + timedelta(days=3))])
                )

        with pytest.raises(ConcurrentSaveError) as caught:
            save_schedule(
                OvertakenAfterPut(),  # type: ignore[arg-type]
                COURSE,
                base=base,
                edited=edited,
                backup=store,
                snapshot=store.write_after,
            )
    error = caught.value
    assert error.exit_code == 4 and error.other_ids == [their_item]
    assert "Someone else saved this course at the same time" in str(error)
    assert error.snapshot_path is not None and error.snapshot_path.name.endswith(".after.json")
    _, sent = store.load(error.snapshot_path, COURSE)
    assert sent.get(my_item).end == item.end + timedelta(days=1)  # type: ignore[union-attr]
    [listed] = store.for_course(COURSE)
    assert listed.after == error.snapshot_path and listed.path == error.backup_path
    assert codec.parse(error.snapshot_path.read_bytes(), COURSE) == sent
