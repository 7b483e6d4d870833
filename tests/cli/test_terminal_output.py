"""What a server sends reaches a terminal with its control characters escaped.

``schedctl`` in-process against the sandbox over loopback, with stdout and stderr
standing in for a terminal (``isatty()`` true); a pipe gets the bytes unchanged.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.cli import main
from tests.helpers import JsonHandler, loopback_server, schedctl_login

COURSE = "123456"
HOSTILE = "Quiz \x1b]0;pwned\x07\x1b[2J\r\u202eevil\x9b1m"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return schedctl_login(monkeypatch, sandbox.url, "prof", retries=0)


def run_on_terminal(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(["--tz", "America/Denver", *argv])
    return code, out.getvalue(), err.getvalue()


def hostile_title_and_edit(sandbox: Any, tmp_path: Path, capsys: Any) -> tuple[int, Path]:
    """Give an explicit item a hostile title on the server; a file that moves its end."""
    assert main(["get", COURSE, "-o", str(tmp_path / "mine.json")]) == 0
    capsys.readouterr()
    document = json.loads((tmp_path / "mine.json").read_text())
    entry = next(
        e
        for e in document["itemSchedules"]
        if not e["schedule"]["accessSchedule"].get("isInherited")
        and "endDateTime" in e["schedule"]["accessSchedule"]
    )
    item_id = int(entry["itemId"])
    sandbox.state.store.execute("UPDATE items SET title = ? WHERE item_id = ?", (HOSTILE, item_id))
    entry["itemTitle"] = HOSTILE  # as a later get would have it
    entry["schedule"]["accessSchedule"]["endDateTime"] = "2011-01-20T06:59:00Z"
    (tmp_path / "mine.json").write_text(json.dumps(document))
    return item_id, tmp_path / "mine.json"


def test_a_hostile_title_is_escaped_on_a_terminal(
    env: dict[str, str], sandbox: Any, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    item_id, edited = hostile_title_and_edit(sandbox, tmp_path, capsys)
    code, out, err = run_on_terminal(monkeypatch, "diff", COURSE, str(edited))
    assert code == 0 and f"({item_id})" in out
    for raw in ("\x1b", "\x07", "\r", "\u202e", "\x9b"):
        assert raw not in out + err
    assert "Quiz \\x1b]0;pwned\\x07\\x1b[2J" in out and "\\u202eevil\\x9b1m" in out


def test_a_pipe_gets_the_servers_text_unchanged(
    env: dict[str, str], sandbox: Any, tmp_path: Path, capsys: Any
) -> None:
    hostile_title_and_edit(sandbox, tmp_path, capsys)
    assert main(["get", COURSE]) == 0
    titles = [e["itemTitle"] for e in json.loads(capsys.readouterr().out)["itemSchedules"]]
    assert HOSTILE in titles  # the document is the server's, byte for byte


class HostileServer(JsonHandler):
    """Logs anyone in, then fails every call with a message full of control characters."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer(200, {"access_token": "tok-aaaa", "expires_in": 3600})

    def do_GET(self) -> None:
        self.answer(500, {"error": {"message": f"broken {HOSTILE}", "errorId": "\x1b[5m"}})


def test_a_hostile_server_message_is_escaped_on_a_terminal(monkeypatch: Any) -> None:
    with loopback_server(HostileServer) as server:
        schedctl_login(
            monkeypatch, f"http://127.0.0.1:{server.server_address[1]}", "prof", retries=0
        )
        code, _, err = run_on_terminal(monkeypatch, "-v", "get", COURSE)
    assert code == 5 and "server said: broken Quiz \\x1b]0;pwned" in err
    for raw in ("\x1b", "\x07", "\r", "\u202e", "\x9b"):
        assert raw not in err
