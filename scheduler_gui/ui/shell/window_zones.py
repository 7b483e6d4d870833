"""The window's time zones: each course's zone from the store ``schedctl`` shares.

Zones live in ``settings.json`` (:class:`~scheduler_gui.session.course_zones.CourseZones`),
not in ``gui.ini``: a zone picked in the toolbar is the one ``schedctl`` uses for the
course, and ``schedctl zone`` sets the one the window shows. Zones an older version
kept in ``gui.ini`` (``courses/ID/time_zone``) are moved over once.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings

from scheduler_gui.core.zones import zone_or_none
from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.store.paths import StoreError

log = logging.getLogger(__name__)


class WindowZones:
    """Course zones for the window; write failures are returned as a message to show."""

    def __init__(self, settings: QSettings, store: CourseZones | None = None) -> None:
        self.store = store or CourseZones()
        self._move_from_gui_ini(settings)

    def for_course(
        self, course_id: str, requested: str | None, is_default: bool, current: ZoneInfo
    ) -> ZoneInfo:
        """``requested`` if it is not just a default (``--tz``), else the course's saved
        zone, else ``requested``, else ``current`` (what the window shows now)."""
        remembered = self.store.get(course_id)
        wanted = zone_or_none(requested)
        if wanted is not None and (not is_default or remembered is None):
            return wanted
        return remembered or current

    def remember(self, course_id: str, zone: ZoneInfo) -> str:
        """Save ``zone`` for the course; '' or a message saying it could not be saved."""
        try:
            self.store.remember(course_id, zone)
        except StoreError as exc:
            log.warning("time zone of course %s not saved: %s", course_id, exc)
            return f"Time zone not saved for this course: {exc}"
        return ""

    def _move_from_gui_ini(self, settings: QSettings) -> None:
        settings.beginGroup("courses")
        try:
            old = {
                course: str(settings.value(f"{course}/time_zone"))
                for course in settings.childGroups()
                if settings.contains(f"{course}/time_zone")
            }
        finally:
            settings.endGroup()
        if not old:
            return
        try:
            self.store.adopt(old.items())
        except StoreError as exc:  # keep them in gui.ini; try again next start
            log.warning("time zones not moved from gui.ini: %s", exc)
            return
        for course in old:
            settings.remove(f"courses/{course}/time_zone")
