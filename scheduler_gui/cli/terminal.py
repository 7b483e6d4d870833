"""``schedctl``'s output: control characters escaped on a terminal; a reader that stops
early (``| head``, quitting ``less``) ends the output quietly, not the work.

Only a terminal is guarded: a file or pipe gets the bytes as they are (documents stay
byte-exact), but on a terminal a hostile title could clear the screen, retitle the
window or hide text (see :mod:`scheduler_gui.core.printable`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

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


class QuietPipe:
    """A stream whose reader may go away: from then on what is written is dropped.

    Without it the first ``print`` after ``head`` exits raises BrokenPipeError, which
    stopped a ``shift --yes`` before its save and ended in a traceback.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def _reader_gone(self) -> None:
        self.closed_by_reader = True
        try:  # the interpreter's last flush of the real stdout goes nowhere too
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def guarded_output() -> Iterator[QuietPipe]:
    """While inside, ``sys.stdout``/``sys.stderr`` escape controls if they are terminals,
    and stdout outlives its reader (yielded: ``closed_by_reader`` says it went away)."""
    saved = sys.stdout, sys.stderr
    stdout = QuietPipe(sys.stdout)
    quiet = cast(TextIO, stdout)  # a stand-in with the same methods
    sys.stdout = SafeTerminal(quiet) if _is_terminal(saved[0]) else quiet
    if _is_terminal(sys.stderr):
        sys.stderr = SafeTerminal(sys.stderr)
    try:
        yield stdout
    finally:
        sys.stdout, sys.stderr = saved
