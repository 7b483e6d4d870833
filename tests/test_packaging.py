"""The PyInstaller one-folder app: it builds from the spec, and both programs run.

One build per test session into a temp dir (about a minute on two cores), then the built
``scheduler-gui`` renders the demo course offscreen and ``schedctl`` answers ``--help``,
both started from outside the source tree with a clean environment, so nothing is
borrowed from the checkout or the virtualenv.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from scheduler_gui import __version__

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "scheduler-gui.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
BUILD_TIMEOUT = 900  # seconds; a build takes ~1 min here, a cold CI box a few

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/scheduler-gui`` built from the spec into a fresh temp dir."""
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


def test_built_schedctl_answers_help_and_version(app_dir: Path, tmp_path: Path) -> None:
    schedctl = app_dir / f"schedctl{EXE_SUFFIX}"
    helped = run(schedctl, "--help", home=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: schedctl")
    for command in ("get", "put", "shift", "export", "import", "sandbox"):
        assert command in helped.stdout
    version = run(schedctl, "--version", home=tmp_path)
    assert version.stdout.strip() == f"schedctl {__version__}"


def test_built_app_carries_its_documentation_and_icons(app_dir: Path) -> None:
    internal = app_dir / "_internal"
    assert (internal / "README.md").is_file()  # Help → Documentation reads it offline
    assert (internal / "docs" / "excel-rules.md").is_file()
    assert (internal / "scheduler_gui" / "resources" / "icons" / "save.svg").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert any((plugins / "platforms").glob("*qoffscreen*"))
    assert any((plugins / "imageformats").glob("*qsvg*"))
