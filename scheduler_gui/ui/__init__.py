"""The PySide6 desktop editor: thin adapters over the core."""

import sys


def _guard_none_refcount() -> None:
    """Work around PySide6 6.12 on Python 3.11: its void methods (``QPainter.setPen``,
    ``QWidget.update``, ...) return ``None`` without a new reference, so every call takes
    one reference from ``None``; after a few thousand calls (a few paints of a big grid
    or timeline) the interpreter aborts with "none_dealloc: deallocating None". Python
    3.12+ makes ``None`` immortal (PEP 683); on 3.11 give it references for 10^15 calls.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    import PySide6

    if tuple(PySide6.__version_info__[:2]) >= (6, 12):
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 50


_guard_none_refcount()
