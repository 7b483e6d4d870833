"""One zone parser and one lookup of the computer's zone, on Linux, macOS and Windows."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_gui.core.zones import ZoneError, parse_zone, zone_names, zone_or_none
from scheduler_gui.session.zones import SystemZoneLookup, system_zone


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "   ", "../etc/passwd", "/etc/localtime",
                                  "x" * 300, "America/Denver\x00"])  # fmt: skip
def test_a_bad_zone_is_named_in_a_clear_error(name: str) -> None:
    with pytest.raises(ZoneError) as caught:
        parse_zone(name)
    message = str(caught.value)
    assert "Unknown time zone" in message and "America/Denver" in message
    if name.strip():
        assert repr(name.strip())[:40] in message or name.strip()[:40] in message
    assert zone_or_none(name) is None


def test_names_are_trimmed_and_the_posix_colon_is_accepted() -> None:
    assert parse_zone("  Europe/Berlin ").key == "Europe/Berlin"
    assert parse_zone(":America/Denver").key == "America/Denver"


def test_windows_registry_name_maps_to_iana() -> None:
    lookup = SystemZoneLookup(
        env={}, platform="win32", read_windows_key=lambda: "Mountain Standard Time"
    )
    assert lookup.name() == "America/Denver"
    assert system_zone(lookup).key == "America/Denver"


def test_windows_with_an_unreadable_registry_or_unknown_name_falls_back_to_utc() -> None:
    def unreadable() -> str:
        raise OSError("access denied")

    assert system_zone(SystemZoneLookup(env={}, platform="win32", read_windows_key=unreadable)) \
        .key == "UTC"  # fmt: skip
    unknown = SystemZoneLookup(env={}, platform="win32", read_windows_key=lambda: "Nowhere Time")
    assert system_zone(unknown).key == "UTC"


def test_tz_variable_wins_on_every_system() -> None:
    for platform in ("win32", "darwin", "linux"):
        lookup = SystemZoneLookup(
            env={"TZ": ":Asia/Tokyo"}, platform=platform,
            read_windows_key=lambda: "Mountain Standard Time",
            localtime=Path("/nonexistent/localtime"),
        )  # fmt: skip
        assert lookup.name() == "Asia/Tokyo"


def test_posix_tz_string_is_not_a_zone_name_and_is_skipped(tmp_path: Path) -> None:
    lookup = SystemZoneLookup(
        env={"TZ": "MST7MDT,M3.2.0,M11.1.0x"}, platform="linux",
        localtime=tmp_path / "none", timezone_file=tmp_path / "none",
    )  # fmt: skip
    assert lookup.name() == ""
    assert system_zone(lookup).key == "UTC"


@pytest.mark.parametrize(
    "zoneinfo_dir",
    ["usr/share/zoneinfo", "var/db/timezone/zoneinfo"],  # Linux, macOS
)
def test_unix_follows_the_etc_localtime_link(tmp_path: Path, zoneinfo_dir: str) -> None:
    target = tmp_path / zoneinfo_dir / "America" / "Denver"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(target)
    lookup = SystemZoneLookup(env={}, platform="darwin", localtime=link,
                              timezone_file=tmp_path / "none")  # fmt: skip
    assert lookup.name() == "America/Denver"


def test_debian_etc_timezone_when_localtime_is_a_copy(tmp_path: Path) -> None:
    (tmp_path / "localtime").write_bytes(b"TZif")
    (tmp_path / "timezone").write_text("Europe/Berlin\n", encoding="utf-8")
    lookup = SystemZoneLookup(env={}, platform="linux", localtime=tmp_path / "localtime",
                              timezone_file=tmp_path / "timezone")  # fmt: skip
    assert lookup.name() == "Europe/Berlin"


@pytest.mark.parametrize(("typed", "meant"), [("america/denver", "America/Denver"),
                                              ("EUROPE/BERLIN", "Europe/Berlin")])  # fmt: skip
def test_a_name_in_the_wrong_case_suggests_the_right_one(typed: str, meant: str) -> None:
    with pytest.raises(ZoneError, match=f"did you mean {meant}\\?"):
        parse_zone(typed)


def test_the_offered_zone_names_are_every_iana_zone_and_each_one_opens() -> None:
    names = zone_names()
    assert list(names) == sorted(set(names)) and len(names) > 500
    assert {"America/Denver", "Europe/Berlin", "UTC", "Pacific/Chatham"} <= set(names)
    assert "localtime" not in names  # a system file, not a zone anyone can pick
    assert all(parse_zone(name).key == name for name in names)
