"""``schedctl get -o``, ``backups`` and ``restore`` around damaged files and other servers.

Against the sandbox over loopback, in-process ``schedctl``.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.store.backups import BackupStore
from tests.helpers import schedctl as run
from tests.helpers import schedctl_login

COURSE = "123456"


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)


def save_twice(capsys: Any, tmp_path: Path) -> None:
    """Two puts, so the course has two backups (each with its after-save snapshot)."""
    target = tmp_path / "mine.json"
    for end in ("2011-01-20T06:59:00Z", "2011-01-21T06:59:00Z"):
        assert run(capsys, "get", COURSE, "-o", str(target))[0] == 0
        document = json.loads(target.read_text())
        entry = next(
            e
            for e in document["itemSchedules"]
            if not e["schedule"]["accessSchedule"].get("isInherited")
            and "endDateTime" in e["schedule"]["accessSchedule"]
        )
        entry["schedule"]["accessSchedule"]["endDateTime"] = end
        target.write_text(json.dumps(document))
        code, _, err = run(capsys, "--yes", "put", COURSE, str(target))
        assert code == 0, err


@pytest.mark.skipif(os.name != "posix", reason="FIFOs")
def test_get_into_a_fifo_writes_through_it_and_leaves_it_a_fifo(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # A daemon, joined with a bound: if the FIFO were replaced, the reader would wait forever.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(capsys, "get", COURSE, "-o", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert len(json.loads(received[0])["itemSchedules"]) > 50
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_get_into_a_folder_is_refused(env: dict[str, str], capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "get", COURSE, "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err and "Traceback" not in err


def test_a_damaged_backup_is_listed_in_place_and_not_restored(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    save_twice(capsys, tmp_path)
    store = BackupStore(base_url=env["LS_BASE_URL"])
    newest, oldest = (info.path for info in store.for_course(COURSE))
    newest.write_bytes(b'{"itemSchedules": [')  # cut short
    code, out, _ = run(capsys, "backups", COURSE)
    numbered = [line for line in out.splitlines() if line.split()[0].isdigit()]
    assert code == 0 and len(numbered) == 2
    assert numbered[0].split()[0] == "1" and "DAMAGED: not valid JSON" in numbered[0]
    assert numbered[1].split()[0] == "2" and str(oldest) in numbered[1]
    code, _, err = run(capsys, "--yes", "restore", COURSE, "1")
    assert code == 1 and "is damaged" in err and "nothing was restored" in err
    code, out, err = run(capsys, "restore", COURSE, "2", "--dry-run")
    assert code == 0 and "Dry run" in err


def test_restore_refuses_another_servers_backup_unless_told(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    save_twice(capsys, tmp_path)
    ours = BackupStore(base_url=env["LS_BASE_URL"]).for_course(COURSE)[-1].path
    document = json.loads(ours.read_text())
    document["backup"]["baseUrl"] = "https://staging.campus.invalid"
    other = BackupStore(base_url="https://staging.campus.invalid").course_dir(COURSE) / ours.name
    other.parent.mkdir(parents=True)
    other.write_text(json.dumps(document))
    assert len(BackupStore(base_url=env["LS_BASE_URL"]).for_course(COURSE)) == 2  # not listed

    code, _, err = run(capsys, "--yes", "restore", COURSE, str(other))
    assert code == 2 and "https://staging.campus.invalid" in err
    assert "--from-other-server" in err and "Nothing was restored" in err
    code, out, err = run(capsys, "--yes", "restore", COURSE, str(other), "--from-other-server")
    assert code == 0 and "Saved" in out, err
