#!/usr/bin/env python3
"""Project tasks that need nothing but Python 3.11+ and pip.

    python3 dev.py demo     set up .venv if needed, start the app on its demo sandbox
    python3 dev.py test     set up .venv if needed, run lint, type checks, import
                            contracts and all tests
    python3 dev.py bench    run the benchmarks (10,000-item course)
    python3 dev.py package  build the one-folder desktop app with PyInstaller

The virtual environment is (re)built when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv(extras: str = "dev") -> None:
    """Create .venv and install the project (editable) with ``extras`` when needed."""
    stamp = VENV / f".installed-{extras}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    if not PY.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(wanted)


def test_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


def cmd_test(args: list[str]) -> None:
    ensure_venv()
    env = test_env()
    run(PY, "-m", "ruff", "check", ".", env=env)
    run(PY, "-m", "ruff", "format", "--check", ".", env=env)
    run(PY, "-m", "mypy", env=env)
    # The import contracts of pyproject.toml ([tool.importlinter]): layers, pure core.
    run(BIN / ("lint-imports.exe" if os.name == "nt" else "lint-imports"), env=env)
    run(PY, "-m", "pytest", *args, env=env)


def cmd_demo(args: list[str]) -> None:
    ensure_venv()
    run(PY, "-m", "scheduler_gui", "--demo", *args)


def cmd_bench(args: list[str]) -> None:
    ensure_venv()
    run(PY, "-m", "benchmarks", *args, env=test_env())


def cmd_package(args: list[str]) -> None:
    ensure_venv("dev,package")
    run(PY, "-m", "PyInstaller", "--noconfirm", "packaging/scheduler-gui.spec", *args)


COMMANDS = {"test": cmd_test, "demo": cmd_demo, "bench": cmd_bench, "package": cmd_package}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
