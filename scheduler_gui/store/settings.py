"""Plain JSON settings: where to connect and how, per-course time zones. Never secrets.

Passwords, tokens and shared secrets live only in memory and the system keyring
(:mod:`.credentials`); :func:`save_settings` drops any key that looks like one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .paths import atomic_write, config_dir

DEFAULT_BASE_URL = "https://api.learningstudio.com"
_SECRET_KEY = re.compile(r"password|secret|token(?!_key_moniker)|assertion", re.IGNORECASE)


@dataclass
class Settings:
    """Everything the app remembers between runs (all of it safe to show)."""

    base_url: str = DEFAULT_BASE_URL
    client_string: str = ""
    application_id: str = ""
    application_name: str = ""
    token_key_moniker: str = ""
    username: str = ""
    wire_format: str = "json"
    ca_bundle: str = ""  # a PEM file for a private CA; certificate checks stay on
    timeout: float = 60.0
    retries: int = 3  # extra tries for GET and the full-set PUT (429, 5xx, dropped)
    batch_jobs: int = 4  # courses worked on at once by a many-course command (--jobs)
    remember_password: bool = True
    course_time_zones: dict[str, str] = field(default_factory=dict)
    #: Keys written by newer versions, kept so an older version does not drop them.
    extra: dict[str, Any] = field(default_factory=dict)

    def time_zone_for(self, course_id: str, default: str = "") -> str:
        return self.course_time_zones.get(str(course_id), default)

    def set_time_zone(self, course_id: str, zone: str) -> None:
        self.course_time_zones[str(course_id)] = zone


def settings_path() -> Path:
    return config_dir() / "settings.json"


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _without_secrets(value) if isinstance(value, dict) else value
        for key, value in data.items()
        if not _SECRET_KEY.search(key)
    }


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or defaults if there are none or the file is damaged."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name for f in fields(Settings)} - {"extra"}
    defaults = Settings()
    values: dict[str, Any] = {}
    for name in known:
        if name in data and isinstance(data[name], type(getattr(defaults, name))):
            values[name] = data[name]
        elif name == "timeout" and isinstance(data.get(name), int):
            values[name] = float(data[name])
    extra = _without_secrets({k: v for k, v in data.items() if k not in known})
    return Settings(**values, extra=extra)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (secret-looking keys are never written)."""
    data = asdict(settings)
    extra = data.pop("extra")
    data = _without_secrets({**extra, **data})
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    target = path or settings_path()
    top = config_dir() if path is None else None  # the folder also holds the GUI's gui.ini
    return atomic_write(target, text.encode("utf-8"), private_top=top)


def update_settings(change: Callable[[Settings], object], path: Path | None = None) -> Settings:
    """Re-read the settings, apply ``change`` and write them back: what another program
    (the app, ``schedctl``) saved meanwhile is kept. Returns the settings written."""
    settings = load_settings(path)
    change(settings)
    save_settings(settings, path)
    return settings
