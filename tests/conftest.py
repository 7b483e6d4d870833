"""Test setup: offscreen Qt, no real keyring, and user directories in a temp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say loudly which checks against other programs did not run on this machine."""
    from collections import Counter

    from .system_tools import missing_tool

    skipped = Counter(
        missing_tool(str(report.longrepr[2]))
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    skipped.pop(None, None)
    if not skipped:
        return
    terminalreporter.section("NOTICE: checks that need a system tool were skipped", sep="!")
    for (tool, install), count in sorted(skipped.items()):
        terminalreporter.write_line(f"{tool}: {count} check(s) skipped; install: {install}")
    terminalreporter.write_line("CI (.ci/run) installs these tools and requires the checks.")


SHARED = Path(
    os.environ.get("SCHEDULER_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
API_DOCS = SHARED / "api-docs"


def shared_file(name: str) -> Path:
    """A file of the shared folder; a missing one fails the test and says where to put it."""
    path = SHARED / name
    if not path.is_file():
        pytest.fail(
            f"{path} is missing. These tests read the project's shared folder, which sits"
            " beside the repository (../shared); set SCHEDULER_SHARED_DIR to use another.",
            pytrace=False,
        )
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own settings, data, state and cache directories."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@pytest.fixture(autouse=True)
def _no_secrets_from_other_tests() -> Iterator[None]:
    """Secrets registered by one test's login (e.g. the sandbox's "prof") stay in that test."""
    yield
    from scheduler_gui.core.redaction import forget_secrets

    forget_secrets()


# --- sandbox (issue 4) ------------------------------------------------------------------
# `sandbox` yields a running LearningStudio sandbox (scheduler_gui.sandbox.server
# .RunningSandbox) with fresh seed data for each test: `.url`, `.set_faults(spec)`,
# `.clear_faults()`, `.touch(course)`, `.advance_clock(s)`, `.set_token_ttl(s)`,
# `.expire_tokens()`, `.reset()`. One server serves the whole session (fast); each test
# starts from a reset. Do not stop it: use `start_in_thread()` for a server of your own.


@pytest.fixture(scope="session")
def _sandbox_holder() -> Iterator[dict[str, Any]]:
    holder: dict[str, Any] = {}
    yield holder
    if "server" in holder:
        holder["server"].stop()


def running_sandbox(holder: dict[str, Any]) -> Any:
    """The session's sandbox server, started on first use or when a test stopped it."""
    server = holder.get("server")
    if server is None or not server.running:
        from scheduler_gui.sandbox.server import start_in_thread

        server = holder["server"] = start_in_thread()
    return server


@pytest.fixture
def sandbox(_sandbox_holder: dict[str, Any]) -> Iterator[Any]:
    """A running sandbox with fresh data, no faults and the real clock."""
    server = running_sandbox(_sandbox_holder)
    server.reset()
    yield server
    server.clear_faults()
