"""Time zones for both front ends: the parser (from ``core``) and the computer's zone.

The computer's zone is found the same way on every system, first match wins:

1. the ``TZ`` environment variable, when it holds an IANA name (``:America/Denver`` too);
2. Linux and macOS: the target of ``/etc/localtime`` (``…/zoneinfo/America/Denver``),
   then ``/etc/timezone`` (Debian's plain-text name);
3. Windows: the registry's ``TimeZoneKeyName`` (a Windows name such as
   ``Mountain Standard Time``), mapped to IANA with the CLDR table ``tzlocal`` ships;
4. otherwise UTC.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..core.zones import UTC_ZONE, ZoneError, is_zone, parse_zone, zone_or_none

_WINDOWS_ZONE_KEY = r"SYSTEM\CurrentControlSet\Control\TimeZoneInformation"


def _read_windows_zone_key() -> str:
    """The Windows name of the system zone from the registry ('' if unreadable)."""
    winreg: Any = importlib.import_module("winreg")  # Windows only
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, _WINDOWS_ZONE_KEY) as key:
            value, _kind = winreg.QueryValueEx(key, "TimeZoneKeyName")
    except OSError:
        return ""
    return str(value).strip("\x00 ")


def _windows_to_iana(windows_name: str) -> str:
    from tzlocal.windows_tz import win_tz  # CLDR's windowsZones table, kept by tzlocal

    return str(win_tz.get(windows_name, ""))


def _platform() -> str:
    return sys.platform


@dataclass(frozen=True)
class SystemZoneLookup:
    """Where the computer's zone is looked up; each source can be injected (tests).

    ``None`` means the real one: ``os.environ``, ``sys.platform``, the registry.
    """

    env: Mapping[str, str] | None = None
    platform: str | None = None
    localtime: Path = Path("/etc/localtime")
    timezone_file: Path = Path("/etc/timezone")
    read_windows_key: Callable[[], str] | None = None

    def name(self) -> str:
        """The IANA name of the computer's zone, or '' when none can be found."""
        for candidate in self._candidates():
            if is_zone(candidate):
                return parse_zone(candidate).key
        return ""

    def _candidates(self) -> list[str]:
        env = os.environ if self.env is None else self.env
        found = [env.get("TZ", "")]
        if (self.platform or _platform()).startswith("win"):
            read = self.read_windows_key or _read_windows_zone_key
            try:
                windows_name = read()
            except (OSError, ImportError):
                windows_name = ""
            found.append(_windows_to_iana(windows_name) if windows_name else "")
            return found
        found.append(self._localtime_target())
        with contextlib.suppress(OSError, UnicodeDecodeError):
            found.append(self.timezone_file.read_text(encoding="utf-8").strip())
        return found

    def _localtime_target(self) -> str:
        try:
            target = str(self.localtime.resolve()) if self.localtime.is_symlink() else ""
        except OSError:
            return ""
        marker = "/zoneinfo/"
        return target.split(marker, 1)[1] if marker in target else ""


def system_zone(lookup: SystemZoneLookup | None = None) -> ZoneInfo:
    """The computer's own zone (see the module doc), UTC if it cannot be found."""
    return zone_or_none((lookup or SystemZoneLookup()).name()) or UTC_ZONE


__all__ = [
    "UTC_ZONE",
    "SystemZoneLookup",
    "ZoneError",
    "is_zone",
    "parse_zone",
    "system_zone",
    "zone_or_none",
]
