"""``schedctl copy-dates``: push a master course's dates to one or more sections.

Items are matched by title path in the unit tree (see :mod:`scheduler_gui.core.copy_dates`);
what stays unmatched is listed and can be mapped by hand (``--map``, ``--map-file``).
Every target is read, matched, copied and validated first; only when all are fine is
each one written through the one save pipeline (backup, one PUT, read back). A summary
table ends the run; the exit code is non-zero if any course failed.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import COURSE_HELP, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .batching import add_batch_options
from .cmd_shift import add_shift_options, build_spec
from .saving import CourseSave, confirm, print_table, save_each, say

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..core.copy_dates import CopyResult
    from ..core.model import Schedule
    from ..core.shift import ShiftSpec

PREVIEW_LINES = 40  # diff lines shown per target before asking; --dry-run shows them all


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "copy-dates",
        help="copy the dates of one course to other sections (matched by title path)",
        description="Copy every item schedule of FROM_COURSE to each TO_COURSE. Items are "
        "matched by their title path in the unit tree ('Unit 2 / Assignment 1', case and "
        "spacing ignored), then by a title that is unique on both sides; unmatched items "
        "are listed and keep their dates unless mapped with --map/--map-file. Inherited "
        "items stay inherited. Optionally shift the dates on the way (same options as "
        "'shift', wall clock of the course time zone). All targets are checked before any "
        "is written; each is then saved in one PUT after a backup, and read back.",
    )
    parser.add_argument("source", metavar="FROM_COURSE", help=COURSE_HELP)
    parser.add_argument("targets", nargs="+", metavar="TO_COURSE", help=COURSE_HELP)
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FROM_ID=TO_ID",
        help="pair a source item with a target item by hand (repeatable)",
    )
    parser.add_argument(
        "--map-file",
        metavar="CSV",
        help="pairs FROM_ID,TO_ID one per line (a header line is allowed)",
    )
    add_shift_options(parser, required=False)
    parser.add_argument(
        "--dry-run", action="store_true", help="show matches and changes, send nothing"
    )
    add_batch_options(parser, journal=False)
    parser.set_defaults(func=run, only=[], columns="start,end,due")


# --------------------------------------------------------------------------- mapping


def parse_pair(text: str, where: str) -> tuple[int, int]:
    """``"123=456"`` (or ``"123,456"`` in a file) -> (123, 456); a usage error otherwise."""
    for separator in ("=", ","):
        if separator in text:
            left, right = (part.strip() for part in text.split(separator, 1))
            if left.isdigit() and right.isdigit():
                return int(left), int(right)
            break
    raise CliError(f"{where}: {text.strip()!r} is not FROM_ID=TO_ID (two item ids)", EXIT_USAGE)


def read_mapping(args: argparse.Namespace) -> list[tuple[int, int]]:
    """All ``--map`` pairs and the ``--map-file`` rows; checked before any request."""
    pairs = [parse_pair(text, "--map") for text in args.map]
    if args.map_file:
        path = Path(args.map_file)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"Cannot read {path}: {exc}", EXIT_USAGE) from None
        for number, line in enumerate(lines, 1):
            cells = [cell.strip().strip('"') for cell in line.replace(";", ",").split(",")]
            if not any(cells) or (number == 1 and not cells[0].isdigit()):
                continue  # blank line or header
            pairs.append(parse_pair(",".join(cells[:2]), f"{path.name} line {number}"))
    return pairs


# --------------------------------------------------------------------------- planning


@dataclass(kw_only=True)
class _Plan(CourseSave):
    result: CopyResult


def run(args: argparse.Namespace) -> int:
    spec = build_spec(args) if _shifting(args) else None
    shift_options = (args.keep_weekdays, args.skip_holidays, args.blackout, args.skip_backward)
    if not _shifting(args) and (any(shift_options) or args.anchor is not None):
        raise CliError(
            "--keep-weekdays, --skip-holidays, --blackout, --skip-backward and --anchor go "
            "with --days, --to-start or --fit",
            EXIT_USAGE,
        )
    pairs = read_mapping(args)
    with _client(args) as client:
        from ..session.batch import run_each
        from .context import course_time_zone
        from .jobs import make_throttle

        source = client.get_schedule(args.source)
        source_zone = course_time_zone(args, source.course_id)
        targets = run_each(args.targets, client.get_schedule, make_throttle(args, client))
        ids = [target.course_id for target in targets]
        if source.course_id in ids or len(set(ids)) != len(ids):
            raise CliError("Each course may appear once, and not as its own target.", EXIT_USAGE)
        by_target = _split_mapping(pairs, targets)
        plans: list[_Plan] = []
        problems: list[str] = []
        for target in targets:
            plan = _plan(args, source, source_zone, target, by_target[target.course_id], spec)
            problems += _problems(plan)
            plans.append(plan)
        if problems:
            say(f"Nothing was sent: {len(problems)} problem(s).")
            for problem in problems:
                say(f"  {problem}")
            return EXIT_INPUT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        pending = [plan for plan in plans if plan.result.changed]
        for plan in plans:
            if not plan.result.changed:
                plan.outcome = "nothing to save"
        if pending:
            names = ", ".join(plan.course_id for plan in pending)
            confirm(args, f"Write the copied dates to course(s) {names}?")
            code = save_each(args, client, pending, reason="before copy-dates")
        else:
            code = EXIT_OK
    _summary(plans)
    return code


def _shifting(args: argparse.Namespace) -> bool:
    return args.days is not None or args.to_start is not None or args.fit is not None


def _split_mapping(
    pairs: list[tuple[int, int]], targets: list[Schedule]
) -> dict[str, dict[int, int]]:
    """Source -> target pairs per target course: each pair goes to the course that has
    its TO_ID (so one file can map the master onto every section)."""
    result: dict[str, dict[int, int]] = {target.course_id: {} for target in targets}
    for source_id, target_id in pairs:
        owner = next((t for t in targets if target_id in t.by_id), None)
        if owner is None:
            names = ", ".join(t.course_id for t in targets)
            raise CliError(
                f"--map {source_id}={target_id}: {target_id} is not an item of course(s) {names}.",
                EXIT_USAGE,
            )
        mapping = result[owner.course_id]
        if mapping.setdefault(source_id, target_id) != target_id:
            raise CliError(
                f"--map: item {source_id} is mapped twice in course {owner.course_id} "
                f"({mapping[source_id]} and {target_id}).",
                EXIT_USAGE,
            )
    return result


def _plan(
    args: argparse.Namespace,
    source: Schedule,
    source_zone: ZoneInfo,
    target: Schedule,
    mapping: dict[int, int],
    spec: ShiftSpec | None,
) -> _Plan:
    from ..core.copy_dates import CopyDatesError, copy_dates, report_lines
    from ..core.diff import diff_schedules, render_text
    from ..core.shift import ShiftError
    from .context import course_time_zone

    zone = course_time_zone(args, target.course_id)
    try:
        result = copy_dates(
            source,
            target,
            mapping=mapping,
            shift=spec,
            source_tz=source_zone,
            target_tz=zone,
        )
    except (CopyDatesError, ShiftError) as exc:
        raise CliError(f"Course {target.course_id}: {exc}. Nothing was sent.", EXIT_INPUT) from None
    print(f"Course {source.course_id} -> course {target.course_id} ({zone.key}):")
    for line in report_lines(result, source, target):
        print(f"  {line}")
    diff = diff_schedules(target, result.schedule)
    if diff:
        lines = render_text(diff, zone).splitlines()
        if not args.dry_run and len(lines) > PREVIEW_LINES:
            hidden = len(lines) - PREVIEW_LINES
            lines = [*lines[:PREVIEW_LINES], f"... {hidden} more line(s): --dry-run shows all"]
        print("\n".join(lines))
    return _Plan(
        course_id=target.course_id, base=target, edited=result.schedule, zone=zone, result=result
    )


def _problems(plan: _Plan) -> list[str]:
    from ..core.validate import Severity, validate

    findings = validate(plan.result.schedule, expected_ids=list(plan.base.by_id), tz=plan.zone)
    return [
        f"course {plan.course_id}: {finding}"
        for finding in findings
        if finding.severity is Severity.ERROR
    ]


def _summary(plans: list[_Plan]) -> None:
    rows = [("Course", "Changed", "Result")]
    rows += [(plan.course_id, str(plan.changed_items), plan.outcome) for plan in plans]
    print_table(rows, right_aligned={1})


def _client(args: argparse.Namespace) -> Any:
    from .context import client_from_args

    return client_from_args(args)
