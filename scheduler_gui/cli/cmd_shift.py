"""``schedctl shift``: move one or more courses' dates to a new term.

Every course is read and shifted first (and checked); only then is each one written,
through the one save pipeline (validate, conflict check, backup, one PUT, read back).
``--dry-run`` prints what would move and sends nothing.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from . import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .saving import confirmed, save_course, say

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..core.model import Schedule
    from ..core.shift import ShiftResult, ShiftSpec

DATE_HELP = "a date like 2011-08-29"
PREVIEW_LINES = 20  # moves shown before asking; --dry-run shows them all


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "shift",
        help="move a course's dates to a new term (DST-safe, holidays skipped)",
        description="Shift the explicit dates of one or more courses on the wall clock of "
        "the course time zone (--tz): 23:59 stays 23:59 across daylight saving. Inherited "
        "dates stay inherited. Each course is saved in one PUT after a backup, then read "
        "back and checked.",
    )
    parser.add_argument(
        "courses", nargs="+", metavar="COURSE", help="numeric course id or ccn=CALLNUMBER"
    )
    add_shift_options(parser, required=True)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="IDS",
        help="shift only these item ids (comma-separated, repeatable); a unit brings "
        "everything under it",
    )
    parser.add_argument(
        "--columns",
        default="start,end,due",
        metavar="start,end,due",
        help="which dates to shift (default: all three)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the moves (local time) and send nothing"
    )
    parser.set_defaults(func=run)


def add_shift_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """How to shift: one of --days/--to-start/--fit, and where dates may land."""
    mode = parser.add_mutually_exclusive_group(required=required)
    mode.add_argument("--days", type=int, metavar="N", help="move by N days (negative: back)")
    mode.add_argument(
        "--to-start",
        metavar="DATE",
        help="move so the earliest date in the course's units (or --anchor's) falls on DATE",
    )
    mode.add_argument(
        "--fit",
        nargs=4,
        metavar=("OLD_START", "OLD_END", "NEW_START", "NEW_END"),
        help="map the old term onto the new one proportionally (day by day)",
    )
    parser.add_argument(
        "--anchor", type=int, metavar="ITEM_ID", help="with --to-start: this item lands on DATE"
    )
    parser.add_argument(
        "--keep-weekdays",
        action="store_true",
        help="round each new date to the nearest day with the same weekday",
    )
    parser.add_argument(
        "--skip-holidays",
        metavar="CC[-SUB]",
        help="move dates off public holidays of a country/subdivision: US, US-CO, DE-BY",
    )
    parser.add_argument(
        "--blackout",
        action="append",
        default=[],
        metavar="DATE[..DATE]",
        help="a day or inclusive range dates must not land on (repeatable)",
    )
    parser.add_argument(
        "--skip-backward",
        action="store_true",
        help="move dates off holidays/blackouts to the previous allowed day, not the next",
    )


def run(args: argparse.Namespace) -> int:
    spec = build_spec(args)
    with _client(args) as client:
        planned = [_plan(args, client, course, spec) for course in args.courses]
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        pending = [plan for plan in planned if plan.result.changed]
        if not pending:
            say("Nothing to save: no date moves.")
            return EXIT_OK
        courses = ", ".join(plan.course_id for plan in pending)
        if not confirmed(args, f"Save the shifted dates of course(s) {courses}?"):
            say("Nothing was written.")
            return EXIT_OK
        _save_all(args, client, pending)
    return EXIT_OK


@dataclass(frozen=True)
class _Plan:
    course_id: str
    base: Schedule
    result: ShiftResult
    tz: ZoneInfo


def _plan(args: argparse.Namespace, client: Any, course: str, spec: ShiftSpec) -> _Plan:
    """Read and shift one course and check the result; print what moves."""
    from ..core.shift import ShiftError, preview_lines, shift_schedule
    from ..core.validate import Severity, validate
    from .context import course_time_zone

    base = client.get_schedule(course)
    tz = course_time_zone(args, base.course_id)
    try:
        result = shift_schedule(base, spec, tz)
    except ShiftError as exc:
        raise CliError(f"Course {course}: {exc}. Nothing was sent.", EXIT_INPUT) from None
    errors = [f for f in validate(result.schedule, tz=tz) if f.severity is Severity.ERROR]
    if errors:
        raise CliError(
            f"Course {course}: after the shift {len(errors)} problem(s) stand, e.g. "
            f"{errors[0]}. Nothing was sent.",
            EXIT_INPUT,
        )
    print(f"Course {base.course_id}: {_summary(result)} (wall clock of {tz.key}).")
    limit = None if args.dry_run else PREVIEW_LINES
    for line in preview_lines(result, tz, limit):
        print(f"  {line}")
    return _Plan(base.course_id, base, result, tz)


def build_spec(args: argparse.Namespace) -> ShiftSpec:
    """The :class:`ShiftSpec` the options describe; bad values are usage errors."""
    from ..core.days_off import DaysOff, DaysOffError
    from ..core.model import DATE_FIELDS
    from ..core.shift import ByDays, Fit, ShiftError, ShiftMode, ShiftSpec, ToStart

    if args.anchor is not None and args.to_start is None:
        raise CliError("--anchor goes with --to-start DATE", EXIT_USAGE)
    try:
        mode: ShiftMode
        if args.days is not None:
            mode = ByDays(args.days)
        elif args.to_start is not None:
            mode = ToStart(_date(args.to_start, "--to-start"), args.anchor)
        else:
            names = ("OLD_START", "OLD_END", "NEW_START", "NEW_END")
            old_start, old_end, new_start, new_end = (
                _date(text, f"--fit {name}") for text, name in zip(args.fit, names, strict=True)
            )
            mode = Fit(old_start, old_end, new_start, new_end)
        parts = args.columns.split(",")
        columns = frozenset(part.strip().lower() for part in parts if part.strip())
        if not columns <= set(DATE_FIELDS) or not columns:
            raise CliError(
                f"--columns {args.columns!r}: use some of start,end,due (comma-separated)",
                EXIT_USAGE,
            )
        days_off = DaysOff.parse(args.skip_holidays, args.blackout)
        return ShiftSpec(
            mode=mode,
            keep_weekdays=args.keep_weekdays,
            days_off=days_off or None,
            skip_backward=args.skip_backward,
            only=_ids(args.only),
            columns=columns,
        )
    except (ShiftError, DaysOffError) as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"{option} {text!r} is not {DATE_HELP}", EXIT_USAGE) from None


def _ids(values: list[str]) -> frozenset[int] | None:
    if not values:
        return None
    ids: set[int] = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit():
                raise CliError(f"--only {part.strip()!r} is not an item id (a number)", EXIT_USAGE)
            ids.add(int(part))
    return frozenset(ids)


def _summary(result: ShiftResult) -> str:
    from ..core.shift import NoteKind

    if not result.moves:
        return "nothing moves"
    text = f"{len(result.moves)} date(s) of {len(result.changed)} item(s) move"
    if result.days is not None:
        text += f" by {result.days:+d} days"
    labels = {
        NoteKind.HOLIDAY: "moved off holidays/blackouts",
        NoteKind.WEEKDAY: "rounded to keep weekdays",
        NoteKind.DST_GAP: "in a DST gap (moved later)",
        NoteKind.DST_AMBIGUOUS: "at a repeated hour (first used)",
        NoteKind.ORDER: "now end before start",
    }
    extra = [f"{result.notes_count[k]} {v}" for k, v in labels.items() if result.notes_count.get(k)]
    return text + (f"; {', '.join(extra)}" if extra else "")


def _save_all(args: argparse.Namespace, client: Any, pending: list[_Plan]) -> None:
    """Save each course through the one pipeline; if one fails, say which were saved."""
    saved: list[str] = []
    for plan in pending:
        try:
            save_course(
                args,
                client,
                plan.course_id,
                base=plan.base,
                edited=plan.result.schedule,
                tz=plan.tz,
                reason="before shift",
            )
        except Exception:
            if saved:
                say(f"Already saved: course(s) {', '.join(saved)}.")
            raise
        saved.append(plan.course_id)


def _client(args: argparse.Namespace) -> Any:
    from .context import client_from_args

    return client_from_args(args)
