"""Starting the sandbox: in-process on a free port, with a data file, and `schedctl sandbox`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from scheduler_gui.sandbox.server import start_in_thread
from scheduler_gui.sandbox.store import StoreError
from tests.sandbox.helpers import password_form, token_headers

REPO = Path(__file__).resolve().parents[2]


def test_data_file_is_seeded_once_and_keeps_changes(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.sqlite"
    with start_in_thread(data=data, token_ttl=120) as sandbox:
        headers = token_headers(sandbox.url)
        assert httpx.post(f"{sandbox.url}/_sandbox/touch/123456").json()["changed"]
        changed = httpx.get(f"{sandbox.url}/courses/123456/itemSchedules", headers=headers).json()
        assert (
            "expires_in"
            in httpx.post(
                f"{sandbox.url}/token",
                data=password_form("ta"),
            ).json()
        )
    assert data.stat().st_size > 0
    with start_in_thread(data=data) as again:  # not reseeded: the change is still there
        headers = token_headers(again.url)
        assert httpx.get(f"{again.url}/courses/123456/itemSchedules", headers=headers).json() == {
            "itemSchedules": [
                {
                    **item,
                    "links": [
                        {
                            "href": item["links"][0]["href"].replace(sandbox.url, again.url),
                            "rel": "self",
                        }
                    ],
                }
                for item in changed["itemSchedules"]
            ]
        }


def test_someone_elses_database_is_never_overwritten(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "other.db"
    with sqlite3.connect(data) as conn:
        conn.execute("CREATE TABLE precious(x)")
    with pytest.raises(StoreError, match="another program"):
        start_in_thread(data=data)
    with sqlite3.connect(data) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("precious",)]


def test_start_options_faults_and_token_ttl() -> None:
    with start_in_thread(faults="status503=1", token_ttl=42) as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{sandbox.url}/me").status_code == 503
        token = httpx.post(
            f"{sandbox.url}/token",
            data=password_form("prof"),
        ).json()
        assert token["expires_in"] == 42
    assert not sandbox.running


@pytest.mark.slow
def test_schedctl_sandbox_serves_until_interrupted(tmp_path: Path) -> None:
    run = "import sys; from scheduler_gui.cli import main; sys.exit(main())"
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            run,
            "sandbox",
            "--port",
            "0",
            "--data",
            str(tmp_path / "s.db"),
            "--token-ttl",
            "30",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line.startswith("Sandbox listening on http://127.0.0.1:")
            url = line.removeprefix("Sandbox listening on ")
            headers = token_headers(url)
            assert httpx.get(f"{url}/courses/123456/itemSchedules", headers=headers).is_success
        finally:
            process.send_signal(signal.SIGINT)
            _, errors = process.communicate(timeout=20)
        assert process.returncode == 0, errors


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--faults", "status200=x"], "schedctl: --faults: bad fault"),
        (["--data", "/nonexistent-dir/sandbox.db"], "schedctl: --data: cannot open"),
        (["--token-ttl", "0"], "schedctl: --token-ttl must be at least 1 second"),
        (["--port", "BUSY"], "schedctl: cannot listen on 127.0.0.1:"),
    ],
)
def test_schedctl_sandbox_reports_bad_options_clearly(options: list[str], message: str) -> None:
    run = "import sys; from scheduler_gui.cli import main; sys.exit(main())"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        options = [port if option == "BUSY" else option for option in options]
        result = subprocess.run(
            [sys.executable, "-c", run, "sandbox", "--port", "0", *options],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
