"""Each course's time zone, one store for the app and ``schedctl``.

The zones live in ``settings.json`` (``course_time_zones``: course id -> IANA name), so a
zone chosen in the app's toolbar is the zone ``schedctl shift`` uses for that course,
and ``schedctl zone COURSE ZONE`` sets the zone the app shows. Every write re-reads the
file first, so two programs writing different courses do not undo each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from ..store.settings import Settings, load_settings, update_settings
from .zones import ZoneError, parse_zone, system_zone, zone_or_none


class CourseZones:
    """Read and write per-course zones in the settings file (``path``: tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    def _settings(self) -> Settings:
        return load_settings(self.path)

    def names(self) -> dict[str, str]:
        """Every remembered zone, by course id (names as stored, even unknown ones)."""
        return dict(self._settings().course_time_zones)

    def get(self, course_id: str) -> ZoneInfo | None:
        """The zone remembered for ``course_id``; ``None`` if none (or not a zone)."""
        return zone_or_none(self._settings().time_zone_for(str(course_id)))

    def remember(self, course_id: str, zone: ZoneInfo | str) -> ZoneInfo:
        """Remember ``zone`` for ``course_id`` (a name is parsed first).

        Raises:
            ZoneError: ``zone`` is not an IANA name.
            StoreError: the settings file cannot be written.
        """
        parsed = zone if isinstance(zone, ZoneInfo) else parse_zone(zone)
        key = str(course_id).strip()
        if not key:
            raise ValueError("a course id is needed to remember its time zone")
        if self._settings().time_zone_for(key) != parsed.key:
            update_settings(lambda s: s.set_time_zone(key, parsed.key), self.path)
        return parsed

    def forget(self, course_id: str) -> bool:
        """Forget the zone of ``course_id``; ``False`` if none was remembered."""
        key = str(course_id).strip()
        if key not in self._settings().course_time_zones:
            return False
        update_settings(lambda s: s.course_time_zones.pop(key, None), self.path)
        return True

    def adopt(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Add zones from an older store for courses that have none yet (valid names
        only); returns how many were added. Used once to bring in the app's old
        ``gui.ini`` values."""
        known = self._settings().course_time_zones
        new = {
            str(course).strip(): zone.key
            for course, name in pairs
            if str(course).strip() and str(course).strip() not in known
            for zone in [zone_or_none(name)]
            if zone is not None
        }
        if new:
            update_settings(lambda s: s.course_time_zones.update(new), self.path)
        return len(new)

    def resolve(
        self, course_id: str = "", *, override: str | None = None, fallback: ZoneInfo | None = None
    ) -> ZoneInfo:
        """The zone to use for ``course_id``, first match wins: ``override`` (a zone the
        user named for this run; a bad name raises :class:`ZoneError`), the remembered
        zone, ``fallback``, the computer's own zone."""
        if override:
            return parse_zone(override)
        remembered = self.get(course_id) if course_id else None
        return remembered or fallback or system_zone()


__all__ = ["CourseZones", "ZoneError"]
