"""Desktop integration files: valid, consistent, and pointing at files that exist."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from .system_tools import need_tool

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.coursescheduleeditor.CourseScheduleEditor"
DESKTOP = ROOT / "resources" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / f"{APP_ID}.metainfo.xml"


def test_desktop_entry_launches_the_gui_with_our_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "scheduler-gui"
    assert entry["Icon"] == APP_ID
    assert (ROOT / "resources" / "icons" / f"{APP_ID}.svg").is_file()
    for size in (16, 32, 48, 128, 256):
        assert (ROOT / "resources/icons/hicolor" / f"{size}x{size}/apps/{APP_ID}.png").is_file()


def test_metainfo_names_the_desktop_file_and_binaries() -> None:
    root = SafeET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    binaries = {node.text for node in root.iter("binary")}
    assert binaries == {"scheduler-gui", "schedctl"}


@pytest.mark.parametrize(
    ("tool", "package"),
    [("desktop-file-validate", "desktop-file-utils"), ("appstreamcli", "appstream")],
)
def test_desktop_tools_accept_the_files(tool: str, package: str) -> None:
    # Second implementations of the two formats; .ci/run installs both.
    exe = need_tool(tool, install=f"apt-get install -y {package}")
    if tool == "appstreamcli":
        args = [exe, "validate", "--no-net", str(METAINFO)]
    else:
        args = [exe, str(DESKTOP)]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_icon_named_in_the_set_is_valid_svg() -> None:
    icons = sorted((ROOT / "scheduler_gui" / "resources" / "icons").glob("*.svg"))
    assert len(icons) > 20
    for path in icons:
        assert SafeET.parse(path).getroot().tag.endswith("svg"), path.name
