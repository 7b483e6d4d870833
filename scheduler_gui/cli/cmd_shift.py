"""``schedctl shift``: move one or more courses' dates to a new term.

Every course is read and shifted first (and checked; every problem is listed and nothing
is written while one stands); only then is each one written, up to ``--jobs`` at once,
through the one save pipeline (validate, conflict check, backup, one PUT, read back),
with a journal so that running the same command again after an interruption continues
and never shifts a course twice (:mod:`.batching`). ``--dry-run`` prints what would move
and sends nothing.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from . import COURSE_HELP, EXIT_USAGE, CliError
from .batching import add_batch_options

if TYPE_CHECKING:
    from ..core.shift import ShiftSpec
    from ..core.shift_order import ShiftOrder

DATE_HELP = "a date like 2011-08-29"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "shift",
        help="move a course's dates to a new term (DST-safe, holidays skipped)",
        description="Shift the explicit dates of one or more courses on the wall clock of "
        "the course time zone (--tz): 23:59 stays 23:59 across daylight saving. Inherited "
        "dates stay inherited. Each course is saved in one PUT after a backup, then read "
        "back and checked.",
    )
    parser.add_argument("courses", nargs="+", metavar="COURSE", help=COURSE_HELP)
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
    add_batch_options(parser)
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
    from .batching import run_shift_batch

    build_spec(args)  # bad options are usage errors before any request
    return run_shift_batch(args, orders_of(args), kind="shift", reason="before shift")


def orders_of(args: argparse.Namespace) -> list[ShiftOrder]:
    """One :class:`ShiftOrder` per course, as the options say (checked by build_spec)."""
    from ..core.model import DATE_FIELDS
    from ..core.shift_order import ShiftOrder

    mode = "days" if args.days is not None else "to_start" if args.to_start else "fit"
    fit = None
    if args.fit:
        first, second, third, fourth = (_date(text, "--fit") for text in args.fit)
        fit = (first, second, third, fourth)
    columns = {part.strip().lower() for part in args.columns.split(",")}
    common = ShiftOrder(
        course="",
        mode=mode,
        days=args.days,
        to_start=_date(args.to_start, "--to-start") if args.to_start else None,
        anchor=args.anchor,
        fit=fit,
        time_zone=getattr(args, "tz", None) or "",
        holidays=args.skip_holidays or "",
        blackouts=tuple(args.blackout),
        keep_weekdays=args.keep_weekdays,
        skip_backward=args.skip_backward,
        only=tuple(sorted(_ids(args.only) or ())),
        columns=tuple(name for name in DATE_FIELDS if name in columns),
    )
    return [common.with_course(course.strip()) for course in args.courses]


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
