"""Secrets and transport: no password over plain http to another host, no secret in any
message or ``-v`` output (even one a server echoes back), a deadline on every request.

Hostile servers are real loopback HTTP servers (the sandbox, or a small echoing one
here); a "remote host" is ``lms.campus.invalid``, decided on the URL alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.store.settings import Settings, save_settings
from tests.helpers import JsonHandler, loopback_server, schedctl_login
from tests.helpers import schedctl as run

COURSE = "123456"
PASSWORD = "Correct-Horse-9"
REMOTE = "http://lms.campus.invalid"


class EchoingServer(JsonHandler):
    """A careless server: logs in anyone, then answers every call with an error that
    repeats what it was sent (the login form, the token header) in plain words."""

    def do_POST(self) -> None:
        form = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if "fail-login" in self.server.mode:  # type: ignore[attr-defined]
            fields = dict(pair.split("=", 1) for pair in form.split("&"))
            self.answer_error(400, f"user {fields['username']} with {fields['password']} not known")
            return
        self.answer(200, {"access_token": "tok-Zq81x", "expires_in": 3600})

    def do_GET(self) -> None:
        header = self.headers.get("X-Authorization", "")
        self.answer_error(500, f"cannot serve the call made with {header.split('=', 1)[-1]} now")

    def answer_error(self, status: int, message: str) -> None:
        self.answer(status, {"error": {"message": message, "errorId": "E1"}})


@pytest.fixture
def echoing() -> Iterator[ThreadingHTTPServer]:
    with loopback_server(EchoingServer) as server:
        server.mode = ""  # type: ignore[attr-defined]
        yield server


def login(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    schedctl_login(monkeypatch, url, "prof", PASSWORD, retries=0)


# ------------------------------------------------------------------ plain http


@pytest.mark.parametrize("url", [REMOTE, "http://lms.campus.invalid:8080/api", "HTTP://10.1.2.3"])
def test_a_password_is_never_sent_over_plain_http_to_another_host(
    url: str, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(monkeypatch, url)
    code, _, err = run(capsys, "get", COURSE)
    assert code == 2 and "https://" in err and "--send-password-unencrypted" in err
    assert PASSWORD not in err


def test_the_loud_option_allows_it_and_says_so(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, echoing: ThreadingHTTPServer
) -> None:
    from scheduler_gui.cli import build_parser
    from scheduler_gui.cli.context import client_from_args

    login(monkeypatch, REMOTE)
    args = build_parser().parse_args(["--send-password-unencrypted", "get", COURSE])
    with client_from_args(args) as client:  # decided on the URL: nothing is sent here
        assert client.base_url == REMOTE
    assert "unencrypted" in capsys.readouterr().err  # a warning on every use


def test_loopback_http_needs_no_option(capsys: Any, sandbox: Any, monkeypatch: Any) -> None:
    login(monkeypatch, sandbox.url)
    sandbox.state.store.execute(
        "UPDATE users SET password = ? WHERE user_name = 'prof'", (PASSWORD,)
    )
    assert run(capsys, "get", COURSE)[0] == 0
    localhost = sandbox.url.replace("127.0.0.1", "localhost")
    monkeypatch.setenv("LS_BASE_URL", localhost)
    assert run(capsys, "get", COURSE)[0] == 0


def test_oauth1_over_plain_http_sends_no_secret_and_is_allowed(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler_gui.cli import build_parser
    from scheduler_gui.cli.context import client_from_args

    login(monkeypatch, REMOTE)
    monkeypatch.setenv("LS_TOKEN_KEY_MONIKER", "moniker")
    monkeypatch.setenv("LS_SHARED_SECRET", "0123456789abcdef0123456789abcdef")
    with client_from_args(build_parser().parse_args(["--auth", "oauth1", "get", COURSE])):
        pass


# ------------------------------------------------------------------ redaction


def test_a_password_the_server_echoes_never_reaches_the_terminal(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, echoing: ThreadingHTTPServer
) -> None:
    echoing.mode = "fail-login"  # type: ignore[attr-defined]
    login(monkeypatch, f"http://127.0.0.1:{echoing.server_address[1]}")
    code, out, err = run(capsys, "-v", "get", COURSE)
    assert code == 3 and "not known" in err  # the server's words are shown...
    assert PASSWORD not in out + err and "***" in err  # ...without the password


def test_a_token_the_server_echoes_never_reaches_the_terminal(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, echoing: ThreadingHTTPServer
) -> None:
    login(monkeypatch, f"http://127.0.0.1:{echoing.server_address[1]}")
    code, out, err = run(capsys, "-v", "get", COURSE)
    assert code == 5 and "cannot serve the call" in err
    assert "tok-Zq81x" not in out + err


# ------------------------------------------------------------------ deadline


def test_a_server_trickling_one_byte_a_second_ends_in_exit_5_within_the_timeout(
    sandbox: Any, tmp_path: Path
) -> None:
    """In a separate process, bounded: without a deadline this would take hours."""
    sandbox.set_faults("trickle=5@GET:/itemschedules")
    home = tmp_path / "home"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "LS_BASE_URL": sandbox.url,
        "LS_CLIENT_STRING": "sandbox",
        "LS_APP_ID": "sandbox-app",
        "LS_USERNAME": "prof",
        "LS_PASSWORD": "prof",
    }
    code = (
        "import sys\n"
        "from scheduler_gui.store.settings import Settings, save_settings\n"
        "save_settings(Settings(timeout=2.0, retries=3))\n"
        "from scheduler_gui.cli import main\n"
        "sys.exit(main(['get', '123456']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 5, result.stderr
    assert "did not answer in time" in result.stderr and "timeout" in result.stderr
    assert result.stdout == ""
    # One try, not four: waiting again on a trickle only multiplies the wait.
    assert sandbox.faults()[0]["remaining"] == 4


def test_settings_timeout_reaches_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler_gui.cli import build_parser
    from scheduler_gui.cli.context import client_from_args

    login(monkeypatch, "https://api.campus.invalid")
    save_settings(Settings(timeout=7.5))
    with client_from_args(build_parser().parse_args(["get", COURSE])) as client:
        assert client.timeout == 7.5
