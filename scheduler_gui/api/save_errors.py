"""The save pipeline's errors: each says what happened, what is kept, and what to do.

Raised by :func:`~.save.save_schedule` (and importable from there).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from pathlib import Path

from ..core.diff import ScheduleDiff, diff_schedules
from ..core.merge import MergeConflict
from ..core.model import ItemSchedule, Schedule
from ..core.validate import Finding, Severity, describe
from .errors import (
    ConflictError,
    LearningStudioError,
    NetworkError,
    RejectedInputError,
    ServerError,
)


class ValidationFailedError(RejectedInputError):
    """The schedule has errors; nothing was sent."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        first = errors[0].message if errors else ""
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        super().__init__(f"Nothing was saved: fix {count} first. {first}".strip())


class SaveConflictError(ConflictError):
    """The course changed on the server since the edit started; nothing was sent."""

    def __init__(
        self,
        base: Schedule | None,
        local: Schedule,
        remote: Schedule,
        conflicts: Sequence[MergeConflict] = (),
        tz: tzinfo = UTC,
    ) -> None:
        self.base, self.local, self.remote = base, local, remote
        self.conflicts = list(conflicts)
        self.remote_changes: ScheduleDiff | None = (
            diff_schedules(base, remote) if base is not None else None
        )
        if self.conflicts:
            message = (
                f"Nothing was saved: {len(self.conflicts)} of your changes clash with changes "
                f"made on the server meanwhile. {self.conflicts[0].describe(tz)}"
            )
        else:
            message = (
                "Nothing was saved: someone changed this course on the server since you "
                "loaded it. Reload it, or save again with merge to keep both sets of changes."
            )
        super().__init__(message)


class BackupFailedError(LearningStudioError):
    """The server's current state could not be saved to disk, so nothing was sent."""

    exit_code = 1


class SaveCancelledError(LearningStudioError):
    """Cancelled before the PUT; nothing was sent."""

    exit_code = 130
    advice = "Saving was cancelled before anything was sent. Your edits are kept."


class VerificationFailedError(ServerError):
    """The server answered the PUT, but reading back shows something else stored."""

    def __init__(
        self,
        mismatched: Sequence[ItemSchedule],
        backup_path: Path | None,
        *,
        extra: Sequence[ItemSchedule] = (),
        missing: Sequence[ItemSchedule] = (),
        snapshot_path: Path | None = None,
        message: str = "",
    ) -> None:
        self.mismatched_ids = [item.item_id for item in mismatched]
        self.extra_ids = [item.item_id for item in extra]
        self.missing_ids = [item.item_id for item in missing]
        self.backup_path = backup_path
        self.snapshot_path = snapshot_path
        super().__init__(message or self._message(mismatched, extra, missing))

    def _message(
        self,
        mismatched: Sequence[ItemSchedule],
        extra: Sequence[ItemSchedule],
        missing: Sequence[ItemSchedule],
    ) -> str:
        if missing:
            first = describe(missing[0])
            what = f"the server lacks {len(missing)} item(s) that were sent, e.g. {first}"
        elif mismatched:
            first = describe(mismatched[0])
            what = f"the server did not store {len(mismatched)} item(s) as sent, e.g. {first}"
        elif extra:
            what = (
                f"the server did not store the schedule as sent: it holds {len(extra)} item(s) "
                f"that were not sent, e.g. {describe(extra[0])}"
            )
        else:
            what = "the server did not store the schedule as sent"
        return (
            f"{what[0].upper()}{what[1:]}. The previous schedule is backed up at "
            f"{self.backup_path}; reload the course to check, and restore the backup if needed."
        )


class ConcurrentSaveError(VerificationFailedError):
    """Someone else saved the course between this save's read and its check.

    The server then holds, for some item, neither what this save sent nor what it had
    before: another writer's state. Nothing is lost: what this save sent is in the
    after-save snapshot, what the server had before in the backup.
    """

    exit_code = 4

    def __init__(
        self,
        mismatched: Sequence[ItemSchedule],
        others: Sequence[ItemSchedule],
        backup_path: Path | None,
        snapshot_path: Path | None,
    ) -> None:
        self.other_ids = [item.item_id for item in others]
        kept = (
            f"What you sent is kept in {snapshot_path}"
            if snapshot_path is not None
            else "Your edits are kept"
        )
        super().__init__(
            mismatched,
            backup_path,
            snapshot_path=snapshot_path,
            message=(
                "Someone else saved this course at the same time: the server did not store "
                f"{len(mismatched)} item(s) as sent, and holds changes that are neither "
                f"yours nor what it had before, e.g. {describe(others[0])}. {kept}; what "
                f"the server had before is backed up at {backup_path}. Reload the course, "
                "check both sets of changes, and save again."
            ),
        )


class SaveNotAppliedError(NetworkError):
    """The connection failed during the PUT and the server still has the old schedule."""

    def __init__(self, backup_path: Path | None) -> None:
        self.backup_path = backup_path
        super().__init__(
            "The connection failed while saving and the server still has the old schedule, "
            "so nothing changed. Your edits are kept; save again when the connection is back."
        )


class SaveOutcomeUnknownError(NetworkError):
    """The PUT was sent, but it is unclear what the server has now."""

    def __init__(
        self,
        backup_path: Path | None,
        cause: LearningStudioError | None = None,
        *,
        read_back: bool = False,
    ) -> None:
        self.backup_path = backup_path
        if read_back and cause is not None and not isinstance(cause, NetworkError):
            what = (
                "The schedule was sent, but the server's answer when it was read back to "
                f"check could not be used: {cause.message}"
            )
        elif read_back:
            what = (
                "The schedule was sent, but the connection failed while reading it back to "
                "check, so the server's schedule could not be confirmed."
            )
        else:
            what = (
                "The connection failed while saving and the server's schedule could not be "
                "confirmed."
            )
        super().__init__(
            f"{what.rstrip('.')}. Your edits and the backup at {backup_path} are kept; reload "
            "the course to see what the server has before saving again."
        )
