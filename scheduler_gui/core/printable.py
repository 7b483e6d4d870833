"""Text from a server made safe to print on a terminal.

An item title or error message may hold control characters: ``ESC [ 2 J`` clears the
screen, ``ESC ] 0 ; ... BEL`` retitles the window (and on some terminals writes files or
runs commands), a carriage return overwrites what was printed, and bidirectional
overrides make text read differently from what it is. Each is shown as its escape
(``\\x1b``, ``\\r``, ``\\u202e``); line feeds and tabs stay as they are.
"""

from __future__ import annotations

import re

_KEEP = "\n\t"
# C0 and C1 controls, DEL, and the invisible formatting marks that reorder or hide text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control or reordering character written as its escape."""
    return _UNSAFE.sub(_escape, text)


#: A cell starting with one of these is run as a formula by a spreadsheet (or, for tab
#: and carriage return, shifted into one): the Excel export marks them as text, and
#: plain-text copies put a ``'`` before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` as one cell of tab-separated text pasted into a spreadsheet: tabs and
    line breaks inside it become spaces (they would split the cell or the row), and a
    cell a spreadsheet would run as a formula starts with ``'`` (shown as text)."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text.replace("\t", " ").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
