"""``schedctl get | put | diff | backups | restore``: item schedules through the safe pipeline.

Nothing heavy is imported at module level; each command imports what it needs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .saving import confirm, print_findings, save_course, say

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..api.client import LearningStudioClient
    from ..core.model import Schedule

COURSE_HELP = "numeric course id or ccn=CALLNUMBER"
WRITE_NOTE = (
    "Before writing, the changes are shown and you are asked to confirm; --yes skips the "
    "question. When input is not a terminal (scripts, pipes) nothing is written without "
    "--yes. Every write backs up the server's current schedule first (see 'backups') and "
    "reads the result back to verify it. Exit codes: 0 done, 1 input rejected or validation "
    "failed, 2 usage, 3 login/permission, 4 conflict, 5 network or server."
)

LOGIN_NOTE = (
    "Login from the environment: LS_BASE_URL, LS_CLIENT_STRING, LS_APP_ID, LS_USERNAME and "
    "LS_PASSWORD (OAuth 2); or LS_TOKEN_KEY_MONIKER, LS_SHARED_SECRET (and LS_APP_NAME for "
    "the OAuth 2 assertion grant, --auth oauth1 for OAuth 1). Without LS_PASSWORD the "
    "password the app remembered in the system keyring is used."
)


def register(subparsers: Any) -> None:
    get = subparsers.add_parser(
        "get",
        epilog=LOGIN_NOTE,
        help="download a course's item schedules as JSON",
        description="Write every item schedule of COURSE as the server's JSON document.",
    )
    get.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    get.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    get.set_defaults(func=run_get)

    put = subparsers.add_parser(
        "put",
        epilog=LOGIN_NOTE,
        help="apply a JSON file to a course (backup, one PUT, verify)",
        description="Make COURSE's schedules equal to FILE (JSON or XML, as 'get' writes). "
        + WRITE_NOTE,
    )
    put.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    put.add_argument("file", metavar="FILE", help="the edited schedules document")
    put.add_argument("--dry-run", action="store_true", help="print the changes, send nothing")
    put.add_argument(
        "--base",
        metavar="ORIGINAL",
        help="the file 'get' wrote before you edited FILE: changes made on the server since "
        "then are reported as a conflict (or merged with --merge)",
    )
    mode = put.add_mutually_exclusive_group()
    mode.add_argument(
        "--merge",
        action="store_true",
        help="if the server changed meanwhile, merge changes that do not overlap",
    )
    mode.add_argument(
        "--force", action="store_true", help="if the server changed meanwhile, overwrite it"
    )
    put.set_defaults(func=run_put)

    diff = subparsers.add_parser(
        "diff",
        epilog=LOGIN_NOTE,
        help="show what 'put' would change",
        description="Compare COURSE on the server with FILE; sends nothing.",
    )
    diff.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    diff.add_argument("file", metavar="FILE", help="a schedules document (JSON or XML)")
    diff.set_defaults(func=run_diff)

    backups = subparsers.add_parser(
        "backups",
        epilog=LOGIN_NOTE,
        help="list the backups of a course, newest first",
        description="List the backups written before each save of COURSE, newest first.",
    )
    backups.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    backups.set_defaults(func=run_backups)

    restore = subparsers.add_parser(
        "restore",
        epilog=LOGIN_NOTE,
        help="put a backup back on the server",
        description="Write a backup back to COURSE through the same safe pipeline. " + WRITE_NOTE,
    )
    restore.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    restore.add_argument(
        "backup", metavar="BACKUP", help="number from 'backups' (1 = newest), file name or path"
    )
    restore.add_argument("--dry-run", action="store_true", help="print the changes, send nothing")
    restore.set_defaults(func=run_restore)


# --------------------------------------------------------------------------- helpers


def _client(args: argparse.Namespace) -> LearningStudioClient:
    from .context import client_from_args

    return client_from_args(args)


def _read_schedule(path_text: str, course_id: str) -> Schedule:
    from pathlib import Path

    from ..core import codec

    path = Path(path_text)
    try:
        with path.open("rb") as handle:  # a bigger file is refused without reading it all
            data = handle.read(codec.MAX_BODY_BYTES + 1)
    except OSError as exc:
        raise CliError(f"Cannot read {path}: {exc.strerror or exc}.", EXIT_INPUT) from None
    try:
        return codec.parse(data, course_id)
    except codec.ScheduleFormatError as exc:
        raise CliError(f"{path} is not a schedules document: {exc}.", EXIT_INPUT) from None


def _warn_ignored_dates(current: Schedule, wanted: Schedule) -> None:
    """Dates edited on an item still marked inherited are not sent: say so."""
    shown = 0
    for item in wanted.items:
        before = current.get(item.item_id)
        if (
            item.is_inherited
            and before is not None
            and before.is_inherited
            and (item.start, item.end) != (before.start, before.end)
        ):
            shown += 1
            if shown <= 5:
                say(
                    f"note: item {item.item_id} still has isInherited true, so its "
                    "changed start/end are not sent; set isInherited to false to send them."
                )


def _show_changes(current: Schedule, wanted: Schedule, tz: ZoneInfo) -> bool:
    """Print the diff to stdout; True if there is anything to send."""
    from ..core.diff import diff_schedules, render_text

    diff = diff_schedules(current, wanted)
    print(render_text(diff, tz))
    return bool(diff)


# --------------------------------------------------------------------------- commands


def run_get(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..core import codec
    from ..store.paths import atomic_write

    with _client(args) as client:
        schedule = client.get_schedule(args.course)
    data = codec.dump(schedule, "json")
    if args.output:
        atomic_write(Path(args.output), data + b"\n")
        say(
            f"Wrote {len(schedule)} item schedules of course {schedule.course_id} to {args.output}."
        )
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course)
    wanted = _read_schedule(args.file, current.course_id)
    _warn_ignored_dates(current, wanted)
    _show_changes(current, wanted, course_time_zone(args, current.course_id))
    return EXIT_OK


def run_put(args: argparse.Namespace) -> int:
    from ..core.validate import has_errors, validate
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course)
        tz = course_time_zone(args, current.course_id)
        wanted = _read_schedule(args.file, current.course_id)
        base = _read_schedule(args.base, current.course_id) if args.base else current
        _warn_ignored_dates(current, wanted)
        changed = _show_changes(current, wanted, tz)
        findings = validate(wanted, expected_ids=list(current.by_id), tz=tz)
        if has_errors(findings):
            say("The file has problems that must be fixed first:")
            print_findings(findings)
            return EXIT_INPUT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        if not changed and not args.base:
            say("Nothing to save: the server already has this schedule.")
            return EXIT_OK
        confirm(args, f"Write these changes to course {current.course_id}?")
        return save_course(
            args, client, current.course_id, base=base, edited=wanted, tz=tz, reason="before put"
        )


def _course_id(args: argparse.Namespace) -> str:
    from ..api.client import normalize_course

    try:
        course = normalize_course(args.course)
    except Exception as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if course.isdigit():
        return course
    with _client(args) as client:
        return client.resolve_course_id(course)


def run_backups(args: argparse.Namespace) -> int:
    from ..core.times import format_local
    from ..store.backups import BackupStore
    from .context import course_time_zone

    course_id = _course_id(args)
    tz = course_time_zone(args, course_id)
    infos = BackupStore().for_course(course_id)
    if not infos:
        say(f"No backups of course {course_id} yet (one is written before every save).")
        return EXIT_OK
    for number, info in enumerate(infos, start=1):
        when = format_local(info.created, tz)
        print(f"{number:>3}  {when}  {info.items:>6} items  {info.reason:<14}  {info.path}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from ..core.model import Schedule
    from ..core.validate import has_errors, validate
    from ..store.backups import BackupStore
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course)
        tz = course_time_zone(args, current.course_id)
        store = BackupStore()
        path = store.find(current.course_id, args.backup)
        info, saved = store.load(path, current.course_id)
        if info is not None and info.course_id != current.course_id:
            raise CliError(
                f"{path.name} is a backup of course {info.course_id}, not {current.course_id}. "
                "Pick a backup of this course.",
                EXIT_USAGE,
            )
        wanted = Schedule(current.course_id, saved.items)
        changed = _show_changes(current, wanted, tz)
        # As for put: a damaged backup (an item twice, absurd dates) is named, not trusted.
        findings = validate(wanted, expected_ids=list(current.by_id), tz=tz)
        if has_errors(findings):
            say(f"The backup {path.name} has problems; nothing was restored:")
            print_findings(findings)
            return EXIT_INPUT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        if not changed:
            say("Nothing to restore: the server already has this schedule.")
            return EXIT_OK
        confirm(args, f"Restore course {current.course_id} to the backup {path.name}?")
        return save_course(
            args,
            client,
            current.course_id,
            base=current,
            edited=wanted,
            tz=tz,
            reason="before restore",
        )
