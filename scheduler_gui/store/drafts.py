"""Unsaved edits on disk, so a crash or a killed app loses nothing.

One file per course (and server): the edited schedule as a full document, the
fingerprint of the server state the edit started from, optionally that base schedule
(for a three-way merge after a restart) and the parent map. Written atomically; the GUI
autosaves through :meth:`DraftStore.save` and discards after a verified save.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import codec
from ..core.model import Schedule
from ..core.times import TimestampError, format_timestamp, parse_timestamp
from .backups import public_url
from .paths import StoreError, atomic_write, data_dir, drafts_dir, safe_name

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Draft:
    """A restored draft: ``edited`` is what the user had, ``base`` what it started from."""

    course_id: str
    base_fingerprint: str
    edited: Schedule
    base: Schedule | None
    saved_at: datetime
    base_url: str
    path: Path


def _parents(schedule: Schedule) -> list[list[int]]:
    return [[i.item_id, i.parent_id] for i in schedule.items if i.parent_id is not None]


def _with_parents(schedule: Schedule, pairs: Any) -> Schedule:
    if not pairs:
        return schedule
    return schedule.with_parents({int(child): int(parent) for child, parent in pairs})


class DraftStore:
    """Drafts in ``root`` (default: the user data dir), one per course and server."""

    def __init__(self, root: Path | None = None, *, base_url: str = "") -> None:
        self.root = root if root is not None else drafts_dir()
        self._private_top = root if root is not None else data_dir()
        self.base_url = public_url(base_url) if base_url else ""

    def path_for(self, course_id: str) -> Path:
        server = hashlib.sha256(self.base_url.encode()).hexdigest()[:8]
        return self.root / f"{safe_name(str(course_id))}-{server}.json"

    def save(
        self,
        edited: Schedule,
        base_fingerprint: str,
        *,
        base: Schedule | None = None,
    ) -> Path:
        """Persist the edits atomically; raises :class:`StoreError` if it cannot."""
        document: dict[str, Any] = {
            "draft": {
                "courseId": edited.course_id,
                "baseFingerprint": base_fingerprint,
                "savedAt": format_timestamp(datetime.now(UTC)),
                "baseUrl": self.base_url,
                "parents": _parents(edited),
                "formatVersion": FORMAT_VERSION,
            },
            **codec.to_obj(edited),
        }
        if base is not None:
            document["base"] = codec.to_obj(base)
        # iterencode (pure Python) instead of dumps (C): the GUI autosaves from a worker
        # thread, and the C encoder would hold the GIL for a whole 10,000-item draft.
        encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
        data = "".join(encoder.iterencode(document)).encode("utf-8")
        return atomic_write(self.path_for(edited.course_id), data, private_top=self._private_top)

    def load(self, course_id: str) -> Draft | None:
        """The draft for ``course_id`` on this server, or None if there is none."""
        path = self.path_for(course_id)
        if not path.is_file():
            return None
        return self.read(path)

    def read(self, path: Path) -> Draft:
        """Read one draft file; raises :class:`StoreError` for a damaged file."""
        try:
            document = json.loads(path.read_bytes())
            meta = document["draft"]
            course_id = str(meta["courseId"])
            edited = _with_parents(
                codec.schedule_from_obj(document, course_id), meta.get("parents")
            )
            base = None
            if isinstance(document.get("base"), dict):
                base = _with_parents(
                    codec.schedule_from_obj(document["base"], course_id), meta.get("parents")
                )
            return Draft(
                course_id,
                str(meta["baseFingerprint"]),
                edited,
                base,
                parse_timestamp(meta["savedAt"]),
                str(meta.get("baseUrl", "")),
                path,
            )
        except (OSError, ValueError, KeyError, TypeError, TimestampError) as exc:
            raise StoreError(
                f"The unsaved edits in {path} could not be read ({exc}). "
                "The file is left in place; move it away to stop this message."
            ) from exc

    def pending(self) -> list[Draft]:
        """Every readable draft for this server (to offer them after a restart)."""
        if not self.root.is_dir():
            return []
        drafts = []
        for path in sorted(self.root.glob("*.json")):
            try:
                draft = self.read(path)
            except StoreError:
                continue
            if public_url(draft.base_url) == self.base_url:
                drafts.append(draft)
        return drafts

    def discard(self, course_id: str) -> None:
        """Forget the draft (after a verified save, or when the user throws edits away)."""
        try:
            self.path_for(course_id).unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"Could not remove the draft: {exc.strerror or exc}.") from exc
