"""Asking before a write and saving courses, shared by the commands that write.

``save_course`` saves one course through the one pipeline (backup, one PUT, read back)
and reports as ``put`` and ``restore`` do; ``save_each`` saves many courses, up to
``--jobs`` at once, one failure not stopping the others, for ``import`` and
``copy-dates``, which end with a ``print_table`` summary. Nothing heavy is imported at module level.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import EXIT_CONFLICT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError

if TYPE_CHECKING:
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from ..api.client import LearningStudioClient
    from ..core.model import Schedule
    from ..store.backups import BackupStore


def say(text: str) -> None:
    """A message for the user (stderr: stdout carries documents and diffs)."""
    print(text, file=sys.stderr)


def confirmed(args: argparse.Namespace, question: str) -> bool:
    """True with ``--yes`` or a "y" typed at the terminal; a usage error without a terminal."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise CliError(
            "Nothing was written: input is not a terminal. Add --yes to write from a script.",
            EXIT_USAGE,
        )
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def confirm(args: argparse.Namespace, question: str) -> None:
    """Like :func:`confirmed`, but a "no" ends the command (exit 0, nothing written)."""
    if not confirmed(args, question):
        raise CliError("Nothing was written.", EXIT_OK)


def print_findings(findings: list[Any]) -> None:
    """The first 20 validation errors (and how many more), on stderr."""
    from ..core.validate import Severity

    errors = [f for f in findings if f.severity is Severity.ERROR]
    for finding in errors[:20]:
        say(f"  {finding}")
    if len(errors) > 20:
        say(f"  ... and {len(errors) - 20} more")


def save_course(
    args: argparse.Namespace,
    client: LearningStudioClient,
    course: str,
    *,
    base: Schedule | str,
    edited: Schedule,
    tz: ZoneInfo,
    reason: str,
    validated: bool = False,
) -> int:
    """Save one course (``--merge``/``--force`` if the command has them; ``-v`` shows the
    steps) and print the report. Validation errors are listed before the error is raised;
    a conflict becomes exit 4 with what changed on the server. ``base`` is the schedule
    the edit started from, or only its fingerprint (a file from ``get``). ``validated``:
    the caller has just validated ``edited`` with ``tz`` (and listed any problems)."""
    from ..api.save import SaveConflictError, ValidationFailedError, save_schedule
    from ..core.diff import render_text
    from ..store.backups import BackupStore
    from .context import base_url_of

    store = BackupStore(base_url=base_url_of(args))

    def progress(message: str, step: int, steps: int) -> None:
        if args.verbose:
            say(f"[{step}/{steps}] {message}")

    try:
        report = save_schedule(
            client,
            course,
            base=base,
            edited=edited,
            backup=lambda schedule: store.write(schedule, reason=reason),
            snapshot=_snapshot_writer(store, reason),
            merge=getattr(args, "merge", False),
            force=getattr(args, "force", False),
            progress=progress,
            tz=tz,
            validated=validated,
        )
    except ValidationFailedError as exc:
        print_findings(exc.findings)
        raise
    except SaveConflictError as exc:
        detail = ""
        if exc.remote_changes is not None:
            detail = "Changed on the server meanwhile:\n" + render_text(exc.remote_changes, tz)
        message = str(exc)
        if exc.base is None:  # only the fingerprint of what was read is known
            message = (
                "Nothing was saved: someone changed this course on the server since the file "
                "was read. Run 'schedctl get' again and redo your edit; or add --base ORIGINAL "
                "(the file as 'get' wrote it) and --merge to keep both sets of changes; or "
                "--force to overwrite theirs."
            )
        raise CliError(message, EXIT_CONFLICT, detail) from None
    print(report.message)
    return EXIT_OK


def _snapshot_writer(store: BackupStore, reason: str) -> Callable[[Schedule, Path], Path]:
    """The pipeline's ``snapshot``: what a save sends, beside its backup, named after it
    ("before put" -> "after put")."""
    after = reason.replace("before", "after", 1) if "before" in reason else "after save"
    return lambda schedule, backup_path: store.write_after(schedule, backup_path, reason=after)


@dataclass
class CourseSave:
    """One course of a many-course save; ``save_each`` fills in how it went."""

    course_id: str
    base: Schedule
    edited: Schedule
    zone: ZoneInfo
    outcome: str = "not saved"
    changed_items: int = 0


def save_each(
    args: argparse.Namespace,
    client: LearningStudioClient,
    saves: Iterable[CourseSave],
    *,
    reason: str,
    force: bool = False,
) -> int:
    """One save per course, up to ``--jobs`` at once on the one client (a 429 slows them
    all); a failure does not stop the others. Returns the first failure's code."""
    from ..api.errors import LearningStudioError
    from ..api.save import save_schedule
    from ..session.batch import run_each
    from ..store.backups import BackupStore
    from .context import base_url_of
    from .jobs import make_throttle

    store = BackupStore(base_url=base_url_of(args))
    throttle = make_throttle(args, client)

    def save_one(save: CourseSave) -> int:
        try:
            report = save_schedule(
                client,
                save.course_id,
                base=save.base,
                edited=save.edited,
                backup=lambda schedule: store.write(schedule, reason=reason),
                snapshot=_snapshot_writer(store, reason),
                force=force,
                tz=save.zone,
            )
        except LearningStudioError as exc:
            save.outcome = f"failed: {exc}"
            return int(getattr(exc, "exit_code", EXIT_INPUT)) or EXIT_INPUT
        save.changed_items = report.changed_items
        save.outcome = "nothing to save" if report.nothing_to_save else "saved and verified"
        return EXIT_OK

    codes = run_each(list(saves), save_one, throttle)
    return next((code for code in codes if code), EXIT_OK)


def print_table(rows: Sequence[Sequence[str]], *, right_aligned: Collection[int] = ()) -> None:
    """Columns two spaces apart, each padded to its widest cell but the last."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [
            cell.rjust(width) if column in right_aligned else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        print("  ".join([*cells, row[-1]]))
