"""``schedctl export | import``: the Excel (and CSV) round trip for administrators.

Import checks everything before writing anything: the file's rules (every problem
listed, exit 1), whether each course changed on the server since the export (exit 4
unless --force) and validation, for *all* courses of the file; only then does it save
each course through the one save pipeline (backup, one PUT, verify). Rules:
docs/excel-rules.md. Nothing heavy is imported at module level.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import COURSE_HELP, EXIT_CONFLICT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .batching import add_batch_options
from .saving import CourseSave, confirm, print_table, save_each, say

if TYPE_CHECKING:
    from ..api.client import LearningStudioClient
    from ..io.tabular import ImportReport, SheetData


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="write courses' schedules to an Excel workbook",
        description="Write the item schedules of one or more courses to FILE.xlsx: one sheet "
        "per course (dates in the course time zone) and an About sheet with the fingerprint "
        "that 'import' uses to notice changes made on the server meanwhile.",
    )
    export.add_argument("courses", nargs="+", metavar="COURSE", help=COURSE_HELP)
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="the workbook")
    add_batch_options(export, journal=False)
    export.set_defaults(func=run_export)

    imp = subparsers.add_parser(
        "import",
        help="apply an edited workbook or CSV file (all courses checked before any is written)",
        usage="schedctl import [COURSE] FILE [--dry-run] [--force] [--date-order mdy|dmy]",
        description="Apply FILE (.xlsx from 'export', or .csv) to its course(s). Rows are "
        "matched by Item ID; blank date cells mean 'unchanged'. The whole file is rejected "
        "(exit 1, nothing written) if any row has a problem; if a course changed on the "
        "server since the export it is a conflict (exit 4) unless --force. Then each course "
        "is saved through the safe pipeline (backup, one PUT, verify). Without COURSE, every "
        "course sheet of the workbook is imported. Rules: docs/excel-rules.md.",
    )
    imp.add_argument("arguments", nargs="+", metavar="[COURSE] FILE", help=argparse.SUPPRESS)
    imp.add_argument("--dry-run", action="store_true", help="check and show changes, send nothing")
    imp.add_argument(
        "--force",
        action="store_true",
        help="import even if the course changed on the server since the export: the file "
        "wins for every date it holds",
    )
    imp.add_argument(
        "--date-order",
        choices=("mdy", "dmy"),
        help="how to read slash dates such as 3/8/2011 (default: only unambiguous ones)",
    )
    add_batch_options(imp, journal=False)
    imp.set_defaults(func=run_import)


def _client(args: argparse.Namespace) -> LearningStudioClient:
    from .context import client_from_args

    return client_from_args(args)


# --------------------------------------------------------------------------- export


def _call_number(client: LearningStudioClient, course: str, course_id: str) -> str | None:
    if course.lower().startswith("ccn="):
        return course[4:]
    from ..api.errors import LearningStudioError

    try:
        numbers = client.get_course(course_id).get("callNumbers")
    except LearningStudioError:
        return None  # the workbook is still useful without it
    if isinstance(numbers, list) and numbers:
        return str(numbers[0])
    return str(numbers) if isinstance(numbers, str | int) else None


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..io.excel_export import CourseExport, export_workbook
    from ..store.paths import regular_output_path
    from .context import course_time_zone

    target = Path(args.output)
    if target.suffix.lower() != ".xlsx":
        raise CliError(f"{target.name}: the output must be an .xlsx file.", EXIT_USAGE)
    target = regular_output_path(target)  # a link's target; never over a device or FIFO
    from ..session.batch import run_each
    from .jobs import make_throttle

    with _client(args) as client:

        def read(course: str) -> CourseExport:
            schedule = client.get_schedule(course)
            zone = course_time_zone(args, schedule.course_id)
            return CourseExport(schedule, zone, _call_number(client, course, schedule.course_id))

        courses = run_each(args.courses, read, make_throttle(args, client))
    if len({c.schedule.course_id for c in courses}) != len(courses):
        raise CliError("A course is listed twice.", EXIT_USAGE)
    try:
        export_workbook(target, courses)
    except OSError as exc:
        raise CliError(f"Cannot write {target}: {exc.strerror or exc}.", EXIT_INPUT) from None
    for course in courses:
        say(
            f"Wrote {len(course.schedule)} items of course {course.schedule.course_id} "
            f"({course.zone.key}) to {target}."
        )
    return EXIT_OK


# --------------------------------------------------------------------------- import


@dataclass(kw_only=True)
class _Planned(CourseSave):
    """One course of the file, checked and ready to save."""

    report: ImportReport
    outcome: str = "no changes"


def _file_and_course(args: argparse.Namespace) -> tuple[str | None, str]:
    if len(args.arguments) == 1:
        return None, args.arguments[0]
    if len(args.arguments) == 2:
        return args.arguments[0], args.arguments[1]
    raise CliError(
        "Give at most one COURSE and one FILE: schedctl import [COURSE] FILE", EXIT_USAGE
    )


def _rejected(problems: list[str]) -> int:
    say(f"Nothing was imported: {len(problems)} problem(s) in the file.")
    for problem in problems:
        say(f"  {problem}")
    if any("ambiguous" in problem for problem in problems):
        say("Slash dates: pass --date-order mdy (3/8 = March 8) or dmy (3/8 = 3 August).")
    say("Fix them in the file and import again (rules: docs/excel-rules.md).")
    return EXIT_INPUT


def _plan(
    args: argparse.Namespace, client: LearningStudioClient, sheet: SheetData, problems: list[str]
) -> _Planned | None:
    """Apply one sheet onto its course as the server has it now; collect problems."""
    from ..core.validate import Severity, validate
    from ..core.zones import zone_or_none
    from ..io.tabular import ImportRejectedError, Problem, apply_sheet
    from .context import course_time_zone

    current = client.get_schedule(sheet.course_id or "")
    zone = course_time_zone(args, current.course_id)
    zone = zone_or_none(sheet.zone) or zone
    try:
        edited, report = apply_sheet(current, sheet, zone=zone, order=args.date_order)
    except ImportRejectedError as exc:
        problems.extend(str(problem) for problem in exc.problems)
        return None
    # Everything the save pipeline would refuse, found now, before any course is written.
    for finding in validate(edited, expected_ids=list(current.by_id), tz=zone):
        if finding.severity is Severity.ERROR:
            row = report.rows.get(finding.item_id) if finding.item_id is not None else None
            where = f"course {current.course_id}: " if row is None else ""
            item = current.get(finding.item_id) if finding.item_id is not None else None
            title = item.title if item is not None and row is not None else ""
            problems.append(str(Problem(sheet.name, f"{where}{finding.message}", row, None, title)))
    return _Planned(
        course_id=current.course_id, base=current, edited=edited, zone=zone, report=report
    )


def _show(plan: _Planned, notes: tuple[str, ...]) -> None:
    from ..core.diff import diff_schedules, render_text

    print(plan.report.summary())
    for note in notes:
        print(note)
    diff = diff_schedules(plan.base, plan.edited)
    if diff:
        print(render_text(diff, plan.zone))


def run_import(args: argparse.Namespace) -> int:
    from ..io.excel_import import read_spreadsheet
    from ..io.tabular import ImportRejectedError

    course, path = _file_and_course(args)
    try:  # the file is checked before any request is made
        book = read_spreadsheet(path)
    except ImportRejectedError as exc:
        return _rejected([str(problem) for problem in exc.problems])
    with _client(args) as client:
        try:
            if course is not None:
                sheets = [book.sheet_for(client.resolve_course_id(course))]
            else:
                sheets = book.course_sheets()
        except ImportRejectedError as exc:
            return _rejected([str(problem) for problem in exc.problems])
        from ..session.batch import run_each
        from .jobs import make_throttle

        def check(sheet: SheetData) -> tuple[_Planned | None, list[str]]:
            found: list[str] = []
            return _plan(args, client, sheet, found), found

        checked = run_each(sheets, check, make_throttle(args, client))
        problems = [problem for _, found in checked for problem in found]
        plans = [plan for plan, _ in checked if plan is not None]
        if problems:
            return _rejected(problems)
        for plan in plans:
            _show(plan, book.notes)
        conflicts = [plan for plan in plans if plan.report.changed_since_export]
        if conflicts and not args.force:
            for plan in conflicts:
                say(
                    f"Conflict: course {plan.course_id} changed on the server since this file "
                    "was exported. Export it again and redo the edits, or use --force to let "
                    "the file win."
                )
            say("Nothing was written.")
            return EXIT_CONFLICT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        to_save = [plan for plan in plans if plan.report.changed]
        if not to_save:
            say("Nothing to save: the server already has these schedules.")
            return EXIT_OK
        confirm(args, f"Write the changes to {len(to_save)} course(s)?")
        code = save_each(args, client, to_save, reason="before import", force=args.force)
    _summary(plans)
    return code


def _summary(plans: list[_Planned]) -> None:
    rows = [("Course", "Sheet", "Changed", "Result")]
    rows += [(p.course_id, p.report.sheet, str(p.changed_items), p.outcome) for p in plans]
    print_table(rows)
