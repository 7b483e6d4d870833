"""A course that does not exist is named in the message, whichever command met it.

Against the sandbox over loopback: with several courses on one command line (export,
copy-dates), "no such course" alone does not say which one to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.core import codec
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.logs import close_logging
from tests.helpers import puts_sent, schedctl_login
from tests.helpers import schedctl as run


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    schedctl_login(monkeypatch, sandbox.url, "admin", retries=0)
    yield sandbox
    close_logging()


@pytest.mark.parametrize(
    ("argv", "missing"),
    [
        (["get", "999999"], "999999"),
        (["get", "ccn=NO-SUCH-1"], "call number NO-SUCH-1"),
        (["export", "123456", "999999", "-o", "{tmp}/two.xlsx"], "999999"),
        (["copy-dates", "123456", "123457", "999999", "--dry-run"], "999999"),
        (["diff", "999999", "{tmp}/none.json"], "999999"),
    ],
)
def test_the_missing_course_is_named(
    env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], missing: str
) -> None:
    (tmp_path / "none.json").write_text('{"itemSchedules": []}')
    code, _out, err = run(capsys, *(arg.replace("{tmp}", str(tmp_path)) for arg in argv))
    assert code == 1, err
    assert f"no such course: {missing}." in err, err
    assert "Check the course id or call number" in err
    assert not (tmp_path / "two.xlsx").exists()  # nothing half written


def test_a_server_that_cannot_be_reached_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Which server: a forgotten LS_BASE_URL means the default one was tried."""
    schedctl_login(monkeypatch, "http://127.0.0.1:9", "prof", retries=0)  # discard: refused
    code, _out, err = run(capsys, "get", "123456")
    assert code == 5, err
    assert "Could not reach the LearningStudio server at http://127.0.0.1:9." in err, err
    assert "base URL" in err


@pytest.mark.parametrize("command", ["put", "diff"])
def test_a_file_of_another_course_is_named_as_such(
    env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """put 123456 with the file 'get 123457' wrote: one sentence saying so, not 134 lines
    of missing and unknown items."""
    other = tmp_path / "section.json"
    assert run(capsys, "get", "123457", "-o", str(other))[0] == 0
    code, out, err = run(capsys, "--yes", command, "123456", str(other))
    assert code == 1, err
    assert "section.json was read from course 123457, not course 123456" in err, err
    assert f"schedctl {command} 123457 " in err
    assert len((out + err).splitlines()) <= 3


def test_every_file_of_another_course_is_refused_with_exit_1(
    env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One convention (README's exit codes): a document, workbook or backup that belongs
    to another course is input rejected (1), not a usage error (2); nothing is sent."""
    document = tmp_path / "section.json"
    workbook = tmp_path / "section.xlsx"
    assert run(capsys, "get", "123457", "-o", str(document))[0] == 0
    assert run(capsys, "export", "123457", "-o", str(workbook))[0] == 0
    backup = BackupStore(base_url=env.url).write(
        codec.parse(document.read_bytes(), "123457"), reason="before put"
    )
    puts_before = len(puts_sent())
    for argv, said in [
        (["put", "123456", str(document)], "was read from course 123457, not course 123456"),
        (["import", "123456", str(workbook)], "holds course 123457, not course 123456"),
        (["restore", "123456", str(backup)], "is a backup of course 123457, not course 123456"),
    ]:
        code, _out, err = run(capsys, "--yes", *argv)
        assert code == 1, (argv, err)
        assert said in err, err
    assert "nothing was restored" in err and "schedctl backups 123456" in err
    assert len(puts_sent()) == puts_before
