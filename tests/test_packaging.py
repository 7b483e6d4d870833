"""Packaging: the PyInstaller app builds and runs; the Linux installer and the icons.

The slow tests build once per session into a temp dir (about a minute on two cores), then
the built ``scheduler-gui`` renders the demo course offscreen and ``schedctl`` answers
``--help``, both started from outside the source tree with a clean environment, so
nothing is borrowed from the checkout or the virtualenv.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from scheduler_gui import __version__

from .system_tools import need_tool

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "scheduler-gui.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
BUILD_TIMEOUT = 900  # seconds; a build takes ~1 min here, a cold CI box a few
APP_ID = "io.github.coursescheduleeditor.CourseScheduleEditor"
INSTALL = ROOT / "packaging" / "install-linux.sh"


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/scheduler-gui`` built from the spec into a fresh temp dir."""
    if sys.platform.startswith("linux"):  # PyInstaller reads ELF files with binutils
        need_tool("objdump", install="apt-get install -y binutils")
    out = tmp_path_factory.mktemp("package")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out / "dist"), "--workpath", str(out / "build"), str(SPEC)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"PyInstaller failed (pip install -e '.[dev]'?):\n{done.stderr}"
    return out / "dist" / "scheduler-gui"


def clean_env(home: Path) -> dict[str, str]:
    """No display, no Python paths, user dirs in ``home``: what a fresh desktop gives."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    return env


def run(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        cwd=home,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_built_app_renders_the_demo_course_offscreen(app_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "demo.png"
    done = run(app_dir / f"scheduler-gui{EXE_SUFFIX}", "--demo", "--screenshot", str(shot),
               home=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Screenshot saved to {shot}" in done.stdout
    assert "Traceback" not in done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert image.pixelColor(10, 10).isValid()


@pytest.mark.slow
def test_built_schedctl_answers_help_and_version(app_dir: Path, tmp_path: Path) -> None:
    schedctl = app_dir / f"schedctl{EXE_SUFFIX}"
    helped = run(schedctl, "--help", home=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: schedctl")
    for command in ("get", "put", "shift", "export", "import", "sandbox"):
        assert command in helped.stdout
    version = run(schedctl, "--version", home=tmp_path)
    assert version.stdout.strip() == f"schedctl {__version__}"


@pytest.mark.slow
def test_built_app_carries_its_documentation_and_icons(app_dir: Path) -> None:
    internal = app_dir / "_internal"
    assert (internal / "README.md").is_file()  # Help → Documentation reads it offline
    assert (internal / "docs" / "excel-rules.md").is_file()
    assert (internal / "scheduler_gui" / "resources" / "icons" / "save.svg").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert any((plugins / "platforms").glob("*qoffscreen*"))
    assert any((plugins / "imageformats").glob("*qsvg*"))


def fake_app(folder: Path) -> Path:
    """A stand-in for dist/scheduler-gui: two scripts that print their name."""
    folder.mkdir()
    for name in ("scheduler-gui", "schedctl"):
        program = folder / name
        program.write_text(f'#!/bin/sh\necho {name} "$@"\n', encoding="utf-8")
        program.chmod(0o755)
    return folder


def install(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(INSTALL), "--prefix", str(home / ".local"), *args],
        env={**clean_env(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_install_linux_puts_the_menu_entry_icons_and_app_under_the_prefix(
    tmp_path: Path,
) -> None:
    app = fake_app(tmp_path / "dist")
    done = install("--app", str(app), home=tmp_path)
    assert done.returncode == 0, done.stderr
    local = tmp_path / ".local"
    desktop = local / "share" / "applications" / f"{APP_ID}.desktop"
    exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
    assert exec_line == f"Exec={local}/opt/scheduler-gui/scheduler-gui"  # absolute: no PATH
    assert (local / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    icons = local / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (icons / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    ran = subprocess.run([str(local / "bin" / "schedctl"), "--help"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert ran.stdout.strip() == "schedctl --help"
    validator = shutil.which("desktop-file-validate")
    if validator:  # installed by .ci/run; the structural checks above hold without it
        checked = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_install_linux_uninstall_removes_what_it_installed(tmp_path: Path) -> None:
    assert install("--app", str(fake_app(tmp_path / "dist")), home=tmp_path).returncode == 0
    done = install("--uninstall", home=tmp_path)
    assert done.returncode == 0, done.stderr
    local = tmp_path / ".local"
    left = [p for p in local.rglob("*") if p.is_file() and "cache" not in p.name]
    assert left == []
    assert not (local / "bin" / "scheduler-gui").exists()


def test_install_linux_refuses_a_folder_without_the_app(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = install("--app", str(tmp_path / "empty"), home=tmp_path)
    assert done.returncode == 2
    assert "python3 dev.py package" in done.stderr


def test_macos_icon_is_an_icns_of_the_app_pngs() -> None:
    data = (ROOT / "resources" / "icons" / "app.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    kinds, offset = [], 8
    while offset < len(data):
        kind, length = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        assert data[offset + 8 : offset + 16] == b"\x89PNG\r\n\x1a\n", kind
        kinds.append(kind)
        offset += length
    assert offset == len(data)
    assert {b"ic07", b"ic08", b"ic09"} <= set(kinds)  # 128, 256 and 512 pixels
