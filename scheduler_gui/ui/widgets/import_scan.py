"""PySide6's look at every module imported after it, made cheap.

PySide6 (PYSIDE-2029) asks of each module imported after it whether its source
mentions "PySide6" (only those may use ``from __feature__ import …``), through
``inspect.getsource``: the file found, decoded with ``tokenize`` and kept in
``linecache``, ~0.5 ms a module. The app imports a hundred-odd modules after Qt, many
at start-up: ~15 ms of every start, and of every first use of a dialog. The same
question asked of the file's bytes gives the same answer in microseconds. Importing
this module installs it (the app does so right after importing Qt).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

#: PySide6's own check, kept for modules that have no ``.py`` file to read.
_upstream: Callable[[ModuleType], bool] | None = None


def install() -> bool:
    """Answer PySide6's question from the file; False if this PySide6 does not ask it."""
    global _upstream
    feature = sys.modules.get("shibokensupport.feature")
    current = getattr(feature, "_mod_uses_pyside", None)
    if current is None or current is uses_pyside:
        return False
    _upstream = current
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    return True


def uses_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source mentions PySide6 (as PySide6's check decides it)."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            return b"PySide6" in Path(path).read_bytes()
        except OSError:
            pass
    return _upstream(module) if _upstream is not None else False


install()
