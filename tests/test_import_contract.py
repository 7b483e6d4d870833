"""The layering in DESIGN.md, enforced: core is pure, the CLI stays light."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scheduler_gui"
FORBIDDEN_IN_CORE = (
    "PySide6",
    "shiboken6",
    "httpx",
    "openpyxl",
    "keyring",
    "platformdirs",
    "starlette",
    "uvicorn",
    "sqlite3",
    "scheduler_gui",
)
# layer -> packages of ours it must not import
LAYER_RULES = {
    "api": ("ui", "io", "store", "sandbox", "cli", "session"),
    "io": ("ui", "api", "store", "sandbox", "cli", "session"),
    "store": ("ui", "api", "io", "sandbox", "cli", "session"),
    "sandbox": ("ui", "api", "io", "store", "cli", "session"),
    "session": ("ui", "cli"),
    "cli": ("ui",),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    package_parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package_parts[: len(package_parts) - node.level + 1])
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


def files_of(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("path", files_of("core"), ids=lambda p: p.name)
def test_core_imports_nothing_of_qt_io_or_the_rest_of_the_package(path: Path) -> None:
    for name in imported_modules(path):
        if name.startswith("scheduler_gui.core"):
            continue
        assert name.split(".")[0] not in FORBIDDEN_IN_CORE and not name.startswith(
            "scheduler_gui"
        ), f"{path.name} imports {name}"


@pytest.mark.parametrize("layer", sorted(LAYER_RULES))
def test_layers_depend_one_way(layer: str) -> None:
    for path in files_of(layer):
        for name in imported_modules(path):
            for banned in LAYER_RULES[layer]:
                assert not name.startswith(f"scheduler_gui.{banned}"), (
                    f"{path.relative_to(PACKAGE)} imports {name}"
                )


@pytest.mark.parametrize("path", files_of("session"), ids=lambda p: p.name)
def test_session_layer_is_qt_free(path: Path) -> None:
    # Shared by the app and schedctl: Qt stays in ui/ and the app entry.
    for name in imported_modules(path):
        assert name.split(".")[0] not in ("PySide6", "shiboken6"), f"{path.name} imports {name}"


def test_the_checker_sees_relative_imports() -> None:
    # Guards the guard: a relative import from core/model.py resolves into the package.
    assert "scheduler_gui.core.times" in imported_modules(PACKAGE / "core" / "model.py")
