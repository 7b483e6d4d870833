"""Checks against programs we did not write (LibreOffice, desktop validators).

A newcomer's machine with only Python and pip lacks them: there such a check skips with a
notice that the end of the test run repeats. CI (``CI`` set; ``.ci/run`` installs the
tools) must run them, so there a missing tool fails the test instead.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

_MISSING = re.compile(r"(\S+) is not installed \((.+?)\); CI installs it")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need_tool(*names: str, install: str) -> str:
    """The path of the first of ``names`` on PATH; skip (fail in CI) when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} is not installed ({install}); CI installs it and runs this check"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def missing_tool(skip_message: str) -> tuple[str, str] | None:
    """(tool, install hint) when a skip came from :func:`need_tool`, else None."""
    found = _MISSING.search(skip_message)
    return (found.group(1), found.group(2)) if found else None
