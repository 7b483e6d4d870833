"""Global options work before or after the command, as in git or kubectl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.cli import build_parser
from tests.helpers import schedctl as run
from tests.helpers import schedctl_login

GLOBAL_OPTIONS = ("--base-url", "--tz", "--format", "--auth", "-v", "--verbose", "--yes")


def test_every_command_takes_every_global_option_after_its_name() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands and len(commands) >= 12
    for name, command in commands.items():
        missing = [o for o in GLOBAL_OPTIONS if o not in command._option_string_actions]
        assert not missing, f"schedctl {name} does not take {missing} after its name"


def test_a_global_before_the_command_is_not_reset_by_the_command() -> None:
    args = build_parser().parse_args(["--yes", "--tz", "Europe/Paris", "-v", "put", "1", "f"])
    assert (args.yes, args.tz, args.verbose, args.wire_format) == (
        True,
        "Europe/Paris",
        True,
        None,  # no --format: the saved wire_format is used
    )
    later = build_parser().parse_args(["put", "1", "f", "--format", "xml", "--auth", "oauth1"])
    assert (later.wire_format, later.auth, later.yes, later.tz) == ("xml", "oauth1", False, None)


def test_put_with_yes_after_the_file_writes(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path
) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    code, out, _ = run(capsys, "get", "123456")
    assert code == 0
    document = json.loads(out)
    entry = next(
        e
        for e in document["itemSchedules"]
        if not e["schedule"]["accessSchedule"].get("isInherited")
        and "endDateTime" in e["schedule"]["accessSchedule"]
    )
    entry["schedule"]["accessSchedule"]["endDateTime"] = "2011-06-30T05:59:00Z"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))

    code, _, err = run(capsys, "put", "123456", str(edited), "--yes", "--tz", "America/Denver")
    assert code == 0, err

    code, out, _ = run(capsys, "get", "123456", "--format", "xml", "-v")
    assert code == 0
    assert "2011-06-30T05:59:00Z" in out
