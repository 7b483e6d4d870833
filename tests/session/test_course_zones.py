"""One per-course zone store, in settings.json, shared by the app and schedctl."""

from __future__ import annotations

import json

import pytest

from scheduler_gui.core.zones import ZoneError
from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.store.settings import Settings, load_settings, save_settings, settings_path


def test_a_remembered_zone_is_in_settings_json_and_read_back() -> None:
    zones = CourseZones()
    assert zones.get("123456") is None
    assert zones.remember("123456", "America/Denver").key == "America/Denver"
    assert CourseZones().get("123456").key == "America/Denver"  # type: ignore[union-attr]
    saved = json.loads(settings_path().read_text(encoding="utf-8"))
    assert saved["course_time_zones"] == {"123456": "America/Denver"}


def test_writing_a_zone_keeps_what_another_program_saved_meanwhile() -> None:
    zones = CourseZones()
    zones.remember("1", "Europe/Berlin")
    # Another program (the app's login, schedctl) saves its settings in between.
    other = load_settings()
    other.username = "prof"
    other.set_time_zone("2", "Asia/Tokyo")
    save_settings(other)
    zones.remember("3", "America/Denver")
    assert load_settings().username == "prof"
    assert zones.names() == {"1": "Europe/Berlin", "2": "Asia/Tokyo", "3": "America/Denver"}


def test_a_bad_zone_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ZoneError, match="'Mars/Olympus'"):
        CourseZones().remember("123456", "Mars/Olympus")
    assert not settings_path().exists()


def test_forget() -> None:
    zones = CourseZones()
    zones.remember("123456", "America/Denver")
    assert zones.forget("123456") and not zones.forget("123456")
    assert zones.get("123456") is None


def test_adopting_old_values_adds_only_valid_zones_of_courses_without_one() -> None:
    save_settings(Settings(course_time_zones={"1": "Europe/Berlin"}))
    added = CourseZones().adopt([("1", "Asia/Tokyo"), ("2", "America/Denver"), ("3", "Mars/X")])
    assert added == 1
    assert CourseZones().names() == {"1": "Europe/Berlin", "2": "America/Denver"}


def test_resolve_order_override_then_remembered_then_fallback() -> None:
    zones = CourseZones()
    zones.remember("1", "Europe/Berlin")
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    assert zones.resolve("1", override="America/Denver").key == "America/Denver"
    assert zones.resolve("1", fallback=tokyo).key == "Europe/Berlin"
    assert zones.resolve("2", fallback=tokyo).key == "Asia/Tokyo"
    with pytest.raises(ZoneError, match="'Nowhere'"):
        zones.resolve("1", override="Nowhere")
