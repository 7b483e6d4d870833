"""Pause Python's cycle collector while a 10,000-item course turns into objects.

Parsing a course, building a PUT body or writing a workbook makes ~100,000 objects
that live on (or die by reference counting) and no garbage cycles. The allocations
alone make the collector scan the whole heap meanwhile, each pass holding the GIL for
tens of ms (which also stalls the GUI thread) and costing up to a fifth of the work.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without automatic cycle collection (restored afterwards, nestable)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
