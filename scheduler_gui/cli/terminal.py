"""``schedctl``'s output to a terminal: control characters from the server escaped.

Only a terminal is guarded: a file or pipe gets the bytes as they are (documents stay
byte-exact), but on a terminal a hostile title could clear the screen, retitle the
window or hide text (see :mod:`scheduler_gui.core.printable`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..core.printable import escape_controls


class SafeTerminal:
    """A text stream that escapes control characters, delegating everything else."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def guarded_output() -> Iterator[None]:
    """While inside, ``sys.stdout``/``sys.stderr`` escape controls if they are terminals."""
    saved = sys.stdout, sys.stderr
    if _is_terminal(sys.stdout):
        sys.stdout = SafeTerminal(sys.stdout)
    if _is_terminal(sys.stderr):
        sys.stderr = SafeTerminal(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
