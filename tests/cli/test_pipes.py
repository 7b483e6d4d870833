"""``schedctl ... | head``: when the reader stops early, schedctl ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scheduler_gui.core import codec
from scheduler_gui.store.backups import BackupStore
from tests.api.fakes import sample_document

SERVER = "http://127.0.0.1:9"  # never contacted: backups of a numeric course need no login


def test_backups_piped_into_head_ends_quietly() -> None:
    env = {**os.environ, "LS_BASE_URL": SERVER, "TZ": "UTC"}  # the test's own user dirs
    store = BackupStore(base_url=SERVER)
    schedule = codec.schedule_from_obj(sample_document(), "123456")
    for _ in range(3000):  # more lines than a pipe buffer holds
        store.write(schedule)
    schedctl = Path(sys.executable).parent / "schedctl"
    with subprocess.Popen(
        [str(schedctl), "backups", "123456"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()  # head -1
        process.stdout.close()
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert first.split()[0] == b"1"
    assert errors == "", errors  # no traceback, no "Exception ignored"
    assert code == 141  # as Unix tools do when their reader is gone (128 + SIGPIPE)
