"""``schedctl shift ... | head``: a reader that stops early neither cuts the work off
half way nor prints a traceback.

A whole ``schedctl`` process against the sandbox over loopback, its stdout a pipe the
test closes after the first line, as ``head -1`` does. The 10,000-item course's preview
is longer than a pipe holds, so schedctl meets the closed pipe before its save.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.helpers import schedctl_login

BIG = "900000"
SCHEDCTL = "import sys; from scheduler_gui.cli import main; sys.exit(main())"


def schedctl_into_head(*argv: str) -> tuple[int, str, str]:
    """Run schedctl with stdout read for one line then closed: code, that line, stderr."""
    with subprocess.Popen(
        [sys.executable, "-c", SCHEDCTL, "--tz", "America/Denver", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline().decode()
        process.stdout.close()  # the reader goes away, as `head -1` does
        err = process.stderr.read().decode()
        return process.wait(timeout=120), first, err


def first_due_dates(count: int) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCHEDCTL, "get", BIG],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    entries = json.loads(result.stdout)["itemSchedules"]
    return [e["schedule"]["dueDate"] for e in entries if "dueDate" in e["schedule"]][:count]


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=0)


def test_a_shift_piped_into_head_is_still_saved_and_ends_quietly(env: None) -> None:
    before = first_due_dates(3)
    code, first, err = schedctl_into_head("shift", BIG, "--days", "1", "--yes")
    assert first.startswith(f"Course {BIG}:")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert code == 141  # done, but its output was cut: as Unix tools say
    # The reader going away is no reason to stop before the save: every date moved a day.
    after = first_due_dates(3)
    for old, new in zip(before, after, strict=True):
        moved = datetime.fromisoformat(new) - datetime.fromisoformat(old)
        assert timedelta(hours=23) <= moved <= timedelta(hours=25), (old, new)


def test_a_dry_run_piped_into_head_ends_quietly(env: None) -> None:
    code, first, err = schedctl_into_head("shift", BIG, "--days", "7", "--dry-run")
    assert first.startswith(f"Course {BIG}:")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert code == 141
