"""The one parser of time zone names (IANA names through ``zoneinfo``).

Every place that turns a name typed or stored somewhere (``--tz``, the toolbar, a
sheet's header, the settings) into a zone calls :func:`parse_zone`, so a bad name always
gets the same clear message naming it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = ZoneInfo("UTC")


class ZoneError(ValueError):
    """A name that is not an IANA time zone; the message names it and says what to do."""

    def __init__(self, name: str) -> None:
        meant = _same_but_case(name)
        super().__init__(
            f"Unknown time zone {name!r}: did you mean {meant}?"
            if meant
            else f"Unknown time zone {name!r}. "
            "Use an IANA name such as America/Denver or Europe/Berlin."
        )
        self.name = name


def _same_but_case(name: str) -> str | None:
    """The IANA name that differs from ``name`` only in case (``america/denver``)."""
    if not name or len(name) > 100:
        return None
    folded = name.casefold()
    return next((zone for zone in zone_names() if zone.casefold() == folded), None)


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name, sorted: the ``tzdata`` package's list of them, one small file.

    (``zoneinfo.available_timezones()`` opens every file of the system's zone database to
    check it, about 30 ms, and lists ``localtime`` too.) Without ``tzdata``, the system's.
    """
    try:
        listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        from zoneinfo import available_timezones

        return tuple(sorted(available_timezones() - {"localtime", "posixrules", "Factory"}))
    return tuple(sorted(listed.split()))


def parse_zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (surrounding blanks and a POSIX ``:`` prefix ignored).

    Raises:
        ZoneError: ``name`` is empty, malformed or not in the zone database.
    """
    text = str(name).strip().removeprefix(":")
    if not text:
        raise ZoneError(str(name))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError: "../x" or an absolute path; OSError: e.g. a name too long for a file
        raise ZoneError(text) from None


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The zone called ``name``, or ``None`` for an empty or unknown name."""
    if not name:
        return None
    try:
        return parse_zone(name)
    except ZoneError:
        return None


def is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this computer knows."""
    return zone_or_none(name) is not None
