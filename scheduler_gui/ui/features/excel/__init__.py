"""File → Export to Excel… / Import from Excel… (:mod:`.actions`, which owns both)."""

from .actions import ExcelActions, install

__all__ = ["ExcelActions", "install"]
