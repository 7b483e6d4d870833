"""``schedctl ... | head``: a reader that stops early neither aborts the work nor prints
a traceback.

A whole ``schedctl`` process against the sandbox over loopback, its stdout a pipe that
the test closes after the first line, as ``head -1`` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from scheduler_gui.store.settings import Settings, save_settings

COURSE = "123456"
SCHEDCTL = "import sys; from scheduler_gui.cli import main; sys.exit(main())"


def run_into_head(argv: list[str]) -> tuple[int, str, str]:
    """Run schedctl with stdout read for one line then closed: code, that line, stderr."""
    process = subprocess.Popen(
        [sys.executable, "-c", SCHEDCTL, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline().decode()
    process.stdout.close()  # the reader goes away, as `head -1` does
    err = process.stderr.read().decode()
    process.stderr.close()
    return process.wait(timeout=120), first, err


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LS_BASE_URL", sandbox.url)
    monkeypatch.setenv("LS_CLIENT_STRING", "sandbox")
    monkeypatch.setenv("LS_APP_ID", "sandbox-app")
    monkeypatch.setenv("LS_USERNAME", "prof")
    monkeypatch.setenv("LS_PASSWORD", "prof")
    save_settings(Settings(retries=0))


def test_a_shift_piped_into_head_is_still_written_and_ends_quietly(sandbox: Any, env: None) -> None:
    code, first, err = run_into_head(
        ["--tz", "America/Denver", "shift", COURSE, "--days", "7", "--yes"]
    )
    assert first.startswith(f"Course {COURSE}:")
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 0, err
    # The shift happened: the reader going away is not a reason to stop half way.
    check = subprocess.run(
        [sys.executable, "-c", SCHEDCTL, "get", COURSE],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    quiz = next(
        entry
        for entry in json.loads(check.stdout)["itemSchedules"]
        if entry["itemTitle"] == "Quiz 1"
    )
    assert quiz["schedule"]["dueDate"] == "2011-01-24T06:59:00Z"


def test_a_long_listing_piped_into_head_ends_quietly(sandbox: Any, env: None) -> None:
    code, first, err = run_into_head(
        ["--tz", "America/Denver", "shift", COURSE, "--days", "7", "--dry-run"]
    )
    assert first.startswith(f"Course {COURSE}:")
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 0, err
