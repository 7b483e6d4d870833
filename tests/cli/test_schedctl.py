"""``schedctl`` schedule commands against the sandbox over loopback (in-process main)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.core import codec
from scheduler_gui.store import paths
from tests.helpers import schedctl as run
from tests.helpers import schedctl_login

COURSE = "123456"
PASSWORD = "Tr0ub4dor&3-unique"  # set on the sandbox's prof for this module's tests


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    sandbox.state.store.execute(
        "UPDATE users SET password = ? WHERE user_name = 'prof'", (PASSWORD,)
    )
    # One retry keeps retry waits short.
    return schedctl_login(monkeypatch, sandbox.url, "prof", PASSWORD, retries=1)


def get_document(capsys: pytest.CaptureFixture[str], course: str = COURSE) -> dict[str, Any]:
    """The course as ``get`` prints it, without when it was read."""
    code, out, _ = run(capsys, "get", course)
    assert code == 0
    document = json.loads(out)
    del document["readFromServer"]
    return document


def edit_first_explicit(document: dict[str, Any], end: str) -> int:
    for entry in document["itemSchedules"]:
        access = entry["schedule"]["accessSchedule"]
        if not access.get("isInherited") and "endDateTime" in access:
            access["endDateTime"] = end
            return int(entry["itemId"])
    raise AssertionError("no explicit item")


def end_of(document: dict[str, Any], item_id: int) -> str:
    entry = next(e for e in document["itemSchedules"] if e["itemId"] == item_id)
    return str(entry["schedule"]["accessSchedule"]["endDateTime"])


def numbered(listing: str) -> int:
    """How many backups ``schedctl backups`` listed (numbered lines)."""
    return sum(1 for line in listing.splitlines() if line.split()[0].isdigit())


def test_get_writes_the_servers_json(env: dict[str, str], capsys: Any, tmp_path: Path) -> None:
    document = get_document(capsys)
    assert len(document["itemSchedules"]) > 50
    target = tmp_path / "demo.json"
    code, _, err = run(capsys, "get", "ccn=DEMO-101", "-o", str(target))
    assert code == 0 and f"to {target}" in err
    written = json.loads(target.read_text())
    assert written.pop("readFromServer")["courseId"] == COURSE and written == document


def test_put_dry_run_prints_the_diff_and_sends_nothing(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    document = get_document(capsys)
    item_id = edit_first_explicit(document, "2011-01-20T06:59:00Z")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    code, out, err = run(capsys, "put", COURSE, str(edited), "--dry-run")
    assert code == 0 and f"({item_id})" in out and "1 change in 1 item" in out
    assert "Dry run: nothing was sent." in err
    assert end_of(get_document(capsys), item_id) != "2011-01-20T06:59:00Z"
    code, out, _ = run(capsys, "diff", COURSE, str(edited))
    assert code == 0 and "1 change in 1 item" in out


def test_put_backs_up_saves_verifies_and_restore_undoes_it(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    original = get_document(capsys)
    document = json.loads(json.dumps(original))
    item_id = edit_first_explicit(document, "2011-01-20T06:59:00Z")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))

    code, out, _ = run(capsys, "--yes", "put", COURSE, str(edited))
    assert code == 0 and "Saved 1 changed item" in out and "checked" in out
    assert end_of(get_document(capsys), item_id) == "2011-01-20T06:59:00Z"

    code, out, _ = run(capsys, "backups", COURSE)
    assert code == 0 and numbered(out) == 1 and "before put" in out
    assert "what that save sent:" in out  # the after-save snapshot, under its backup
    code, out, _ = run(capsys, "restore", COURSE, "1", "--dry-run")
    assert code == 0 and f"({item_id})" in out
    code, out, _ = run(capsys, "--yes", "restore", COURSE, "1")
    assert code == 0 and "Saved 1 changed item" in out
    assert get_document(capsys) == original
    code, out, _ = run(capsys, "backups", COURSE)
    assert numbered(out) == 2 and "before restore" in out.splitlines()[0]


def test_writing_from_a_script_needs_yes(env: dict[str, str], capsys: Any, tmp_path: Path) -> None:
    document = get_document(capsys)
    item_id = edit_first_explicit(document, "2011-01-20T06:59:00Z")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    code, _, err = run(capsys, "put", COURSE, str(edited))
    assert code == 2 and "Add --yes" in err
    assert end_of(get_document(capsys), item_id) != "2011-01-20T06:59:00Z"


def test_exit_codes(
    env: dict[str, str], capsys: Any, tmp_path: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "original.json"
    assert run(capsys, "get", COURSE, "-o", str(original))[0] == 0

    code, _, err = run(capsys, "get", "999999")  # no such course
    assert code == 1 and err.startswith("schedctl: ")

    broken = tmp_path / "broken.json"
    broken.write_text('{"itemSchedules": [{"itemId": "x"}]}')
    code, _, err = run(capsys, "put", COURSE, str(broken), "--dry-run")
    assert code == 1 and "itemId must be a number" in err

    document = json.loads(original.read_text())
    document["itemSchedules"][0]["schedule"]["accessSchedule"]["endDateTime"] = (
        "2001-01-01T00:00:00Z"  # before its start
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    code, _, err = run(capsys, "--yes", "put", COURSE, str(bad))
    assert code == 1 and "must be fixed" in err

    # Someone changes the course after our `get`: conflict, nothing written.
    document = json.loads(original.read_text())
    edit_first_explicit(document, "2011-01-20T06:59:00Z")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    sandbox.touch(COURSE)
    code, _, err = run(capsys, "-v", "--yes", "put", COURSE, str(edited), "--base", str(original))
    assert code == 4 and "changed this course on the server" in err
    assert "Changed on the server meanwhile" in err

    sandbox.set_faults("status503=10@GET")
    code, _, err = run(capsys, "get", COURSE)
    assert code == 5 and "try again" in err.lower()
    sandbox.clear_faults()

    monkeypatch.setenv("LS_PASSWORD", "wrong-password-123")
    code, _, err = run(capsys, "-v", "get", COURSE)
    assert code == 3 and "did not accept the login" in err
    assert "wrong-password-123" not in err

    monkeypatch.delenv("LS_PASSWORD")
    code, _, err = run(capsys, "get", COURSE)
    assert code == 3 and "LS_PASSWORD" in err and "password not" not in err.lower()


def test_oauth1_from_the_environment(
    env: dict[str, str], capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LS_TOKEN_KEY_MONIKER", "sandbox-moniker")
    monkeypatch.setenv("LS_SHARED_SECRET", "0123456789abcdef0123456789abcdef")
    code, out, _ = run(capsys, "--auth", "oauth1", "--format", "xml", "get", COURSE)
    assert code == 0 and out.startswith("<?xml ")
    assert len(codec.parse(out.encode(), COURSE, "xml")) > 50


def test_no_secret_reaches_files_or_verbose_output(
    env: dict[str, str], capsys: Any, tmp_path: Path, sandbox: Any
) -> None:
    document = get_document(capsys)
    edit_first_explicit(document, "2011-01-20T06:59:00Z")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    outputs = []
    for argv in (
        ("-v", "--yes", "put", COURSE, str(edited)),
        ("-v", "backups", COURSE),
        ("-v", "get", "999999"),
    ):
        outputs.append(run(capsys, *argv))
    sandbox.set_faults("status503=10@GET")
    outputs.append(run(capsys, "-v", "get", COURSE))
    tokens = [row["token"] for row in sandbox.state.store.all("SELECT token FROM tokens")]
    assert tokens, "the commands should have logged in"
    files = [p for p in paths.data_dir().rglob("*") if p.is_file()]
    files += [p for p in paths.config_dir().rglob("*") if p.is_file()]
    files += [p for p in paths.log_dir().rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any("backups" in p.parts for p in files)
    log_text = next(p for p in files if p.suffix == ".log").read_text()
    assert "PUT /courses/123456/itemSchedules.json 204" in log_text
    texts = [p.read_text(errors="replace") for p in files]
    texts += [out + err for _, out, err in outputs]
    for secret in (PASSWORD, *tokens):
        for text in texts:
            assert secret not in text


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys; from scheduler_gui.cli import main\n"
        "try:\n    main(['put', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('httpx', 'PySide6', 'openpyxl') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert "HEAVY []" in result.stdout
    assert "--dry-run" in result.stdout and "--yes" in result.stdout
    assert "not a terminal" in result.stdout


def test_schedctl_subprocess_smoke(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = subprocess.run(
        [Path(sys.executable).parent / "schedctl", "get", COURSE, "-o", str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(target.read_text())["itemSchedules"]) > 50
