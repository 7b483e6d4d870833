"""``scheduler-gui --demo`` spawns its sandbox before importing Qt; nothing else does."""

from __future__ import annotations

from scheduler_gui.demo_start import _launched_as_demo


def test_a_demo_launch_of_the_installed_or_frozen_program_starts_the_sandbox_first() -> None:
    assert _launched_as_demo(["/opt/venv/bin/scheduler-gui", "--demo", "--screenshot", "a.png"])
    assert _launched_as_demo(["dist/scheduler-gui/scheduler-gui.exe", "--demo"])


def test_other_launches_and_imports_start_nothing_early() -> None:
    assert not _launched_as_demo(["/opt/venv/bin/scheduler-gui"])  # the login dialog
    assert not _launched_as_demo(["/opt/venv/bin/scheduler-gui", "--demo", "--help"])
    assert not _launched_as_demo(["/opt/venv/bin/pytest", "--demo"])  # imported by tests
    assert not _launched_as_demo([])
