"""On a plain Linux desktop, missing X11 libraries are named all at once, with the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from scheduler_gui import desktop_libs
from scheduler_gui.app import main

from .system_tools import need_tool

QT = Path(PySide6.__file__).parent / "Qt"
DESKTOP = {"DISPLAY": ":0"}


def test_every_missing_library_is_named_with_the_install_command() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1", "libxcb-icccm.so.4"}
    advice = desktop_libs.check_desktop(DESKTOP, loadable=lambda name: name not in absent)
    assert advice is not None
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in advice
    assert "3 system libraries are missing" in advice


def test_nothing_is_said_when_all_load_or_qt_will_not_use_x11() -> None:
    assert desktop_libs.check_desktop(DESKTOP, loadable=lambda name: True) is None
    never = lambda name: False  # noqa: E731
    for env in ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, {}, {"WAYLAND_DISPLAY": "w"}):
        assert desktop_libs.check_desktop(env, loadable=never) is None
    assert desktop_libs.uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not desktop_libs.uses_xcb(DESKTOP, platform="win32")


def test_the_app_stops_before_qt_with_the_advice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(desktop_libs, "can_load", lambda name: name != "libxcb-cursor.so.0")
    assert main(["--demo"]) == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor0" in err and "apt-get install" in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF plugins are Linux-only")
def test_the_table_covers_what_the_installed_qt_plugin_links_to() -> None:
    objdump = need_tool("objdump", install="apt-get install -y binutils")
    wheel_libs = {path.name for path in (QT / "lib").iterdir()}
    needed: set[str] = set()
    for binary in (
        QT / "plugins" / "platforms" / "libqxcb.so",
        QT / "lib" / "libQt6XcbQpa.so.6",
        QT / "lib" / "libQt6Gui.so.6",
    ):
        dump = subprocess.run([objdump, "-p", str(binary)], capture_output=True, text=True)
        needed |= {line.split()[-1] for line in dump.stdout.splitlines() if "NEEDED" in line}
    system_basics = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1"}
    outside_the_wheel = {
        name for name in needed - wheel_libs - system_basics if not name.startswith("libQt6")
    }
    uncovered = outside_the_wheel - set(desktop_libs.XCB_PLUGIN_LIBRARIES)
    assert not uncovered, f"add these to XCB_PLUGIN_LIBRARIES: {sorted(uncovered)}"
