"""``schedctl --help`` (and each command's) starts without Qt, openpyxl or httpx.

The real console script runs under ``python -X importtime``, which lists every module
the process imported; none of the heavy libraries may be among them. (How fast it
starts is measured by ``python -m benchmarks``, not asserted here.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCHEDCTL = Path(sys.executable).parent / "schedctl"
HEAVY = ("PySide6", "shiboken6", "openpyxl", "httpx", "httpcore", "keyring", "uvicorn")
COMMANDS = [
    "sandbox", "get", "put", "diff", "backups", "restore", "export", "import", "shift",
    "open", "activity", "endping", "copy-dates", "zone", "batch", "rollover",
]  # fmt: skip


def imported_modules(*args: str) -> tuple[set[str], str]:
    """Top-level packages the process imported, and what it printed."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCHEDCTL), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names, result.stdout


def test_top_level_help_lists_every_command_and_imports_nothing_heavy() -> None:
    names, out = imported_modules("--help")
    assert "scheduler_gui" in names  # the probe sees our own imports
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_imports_nothing_heavy(command: str) -> None:
    names, out = imported_modules(command, "--help")
    assert f"schedctl {command}" in out
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
