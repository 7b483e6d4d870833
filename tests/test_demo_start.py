"""``scheduler-gui --demo`` starts its sandbox and logs in before Qt loads; nothing else does."""

from __future__ import annotations

import pytest

from scheduler_gui.demo_start import _launched_as_demo, start_demo


def test_a_demo_launch_of_the_installed_or_frozen_program_starts_the_sandbox_first() -> None:
    assert _launched_as_demo(["/opt/venv/bin/scheduler-gui", "--demo", "--screenshot", "a.png"])
    assert _launched_as_demo(["dist/scheduler-gui/scheduler-gui.exe", "--demo"])


def test_other_launches_and_imports_start_nothing_early() -> None:
    assert not _launched_as_demo(["/opt/venv/bin/scheduler-gui"])  # the login dialog
    assert not _launched_as_demo(["/opt/venv/bin/scheduler-gui", "--demo", "--help"])
    assert not _launched_as_demo(["/opt/venv/bin/pytest", "--demo"])  # imported by tests
    assert not _launched_as_demo([])


def test_the_demo_start_has_the_sandbox_answering_and_prof_logged_in() -> None:
    demo = start_demo()
    server = demo.server.result(60)
    client, user = demo.login.result(60)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert (user["userName"], user["firstName"]) == ("prof", "Pat")
        assert client.get_schedule("123456").items  # the demo course, as prof sees it
    finally:
        client.close()
        server.stop()
    assert not server.running


def test_a_demo_sandbox_that_cannot_start_fails_the_login_too_with_its_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_python() -> list[str]:
        return ["/nonexistent/python-for-the-demo"]

    monkeypatch.setattr("scheduler_gui.sandbox.process.schedctl_command", no_python)
    demo = start_demo()
    with pytest.raises(OSError, match="python-for-the-demo"):
        demo.server.result(60)
    with pytest.raises(OSError, match="python-for-the-demo"):
        demo.login.result(60)
