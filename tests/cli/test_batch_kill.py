"""A 200-section rollover killed (SIGKILL) at random moments, many times, then run again
to the end: every section ends shifted exactly once, as the server tells.

``schedctl shift`` runs as a real subprocess against a sandbox in this process; it is
killed after a random number of finished courses (plus a random few milliseconds, so
that kills land inside a course's steps: after its backup, during its PUT, before its
journal line), or at a random moment of its check phase. The same command is run again
each time, as an admin would. At the end the server must hold, for every section, its
first state shifted by 7 days (not 14, not 0), written by exactly one PUT (the course's
revision counter), and the journal must say the batch finished.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler_gui.core.shift import ByDays, ShiftSpec, shift_schedule
from scheduler_gui.sandbox.server import start_in_thread
from scheduler_gui.session.batch import written_fingerprint
from scheduler_gui.store.journal import JournalStore
from tests.helpers import sandbox_client, schedctl_login

SECTIONS = 200
COURSES = [str(700001 + n) for n in range(SECTIONS)]
KILLS = 10
ZONE = "America/Denver"
SCHEDCTL = Path(sys.executable).parent / "schedctl"


@pytest.fixture
def term(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    server = start_in_thread(sections=SECTIONS)
    schedctl_login(monkeypatch, server.url, "prof", retries=3)
    yield server
    server.stop()


def start_batch(log: Path) -> subprocess.Popen[str]:
    argv = [str(SCHEDCTL), "--tz", ZONE, "--yes", "shift", *COURSES, "--days", "7"]
    with log.open("a") as out:
        return subprocess.Popen(
            [*argv, "--jobs", "4"],
            stdout=out,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=os.environ.copy(),
        )


def kill_at_random(process: subprocess.Popen[str], rng: random.Random) -> int:
    """Kill the batch at a random moment; returns the courses it reported done first."""
    assert process.stderr is not None
    if rng.random() < 0.2:  # somewhere in the check phase or the first writes
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        return -1
    wanted, seen = rng.randint(1, 40), 0
    for line in process.stderr:
        if "] course " in line:
            seen += 1
            if seen >= wanted:
                break
    time.sleep(rng.uniform(0, 0.015))  # inside the next courses' steps
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    return seen


@pytest.mark.slow
def test_killed_again_and_again_every_section_is_shifted_exactly_once(
    term: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zone = ZoneInfo(ZONE)
    spec = ShiftSpec(ByDays(7))
    with sandbox_client(term.url) as client:
        expected = {
            course: written_fingerprint(
                shift_schedule(client.get_schedule(course, with_parents=False), spec, zone).schedule
            )
            for course in COURSES
        }
    rng = random.Random(21)
    log = tmp_path / "batch.log"
    started = time.monotonic()
    reported = []
    for _ in range(KILLS):
        reported.append(kill_at_random(start_batch(log), rng))
    final = start_batch(log)
    _, tail = final.communicate(timeout=120)
    assert final.returncode == 0, tail[-3000:]
    seconds = time.monotonic() - started

    with sandbox_client(term.url) as client:
        for course in COURSES:
            now = client.get_schedule(course, with_parents=False)
            assert written_fingerprint(now) == expected[course], f"course {course}"
    revisions = term.state.store.all(
        "SELECT course_id, revision FROM courses WHERE course_id BETWEEN 700001 AND 700200"
    )
    assert {int(row[1]) for row in revisions} == {2}  # the seed's 1 + exactly one PUT
    (journal,) = [info for info in JournalStore().all() if not info.superseded]
    assert journal.complete and journal.done == SECTIONS
    with capsys.disabled():
        print(
            f"\n{KILLS} kills (courses reported done before each, -1 = early kill): "
            f"{reported}; then one run to the end; {seconds:.1f} s in all"
        )
