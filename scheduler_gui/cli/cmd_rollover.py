"""``schedctl rollover PLAN | --template``: move a whole term from one plan file.

The plan (``.xlsx`` or ``.csv``, one row per course: see :mod:`scheduler_gui.io.rollover_plan`)
is checked first, every row of it; then every course is read and checked on the server
(unknown course, no permission, a date that would land outside 1990–2100: all listed,
nothing written); then the batch runs as ``shift`` does: ``--jobs`` courses at once, each
through the save pipeline, with a journal that makes running the same plan again
continue where it stopped and never shift a course twice.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .batching import add_batch_options
from .saving import say

TEMPLATE_NAME = "rollover-plan.xlsx"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rollover",
        help="shift a whole term from a plan (one row per course); --template writes one",
        usage="schedctl rollover PLAN.xlsx|PLAN.csv [--dry-run] [--jobs N] [--report FILE]\n"
        "       schedctl rollover --template [FILE.xlsx]",
        description="Shift many courses at once from a plan an administrator prepares in "
        "Excel or as CSV: one row per course with its shift (Days, To start, or the four "
        "term dates to fit), time zone, holidays and blackouts. Every row and every "
        "course is checked before anything is written; then up to --jobs courses are "
        "saved at once, each after a backup and read back. Run the same plan again after "
        "an interruption: it continues, and never shifts a course twice. "
        "'--template' writes an empty plan with an About sheet explaining the columns.",
    )
    parser.add_argument("plan", nargs="?", metavar="PLAN", help="the plan, .xlsx or .csv")
    parser.add_argument(
        "--template",
        action="store_true",
        help=f"write an empty plan to PLAN (default {TEMPLATE_NAME}) and stop",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check the plan and every course, send nothing"
    )
    add_batch_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.template:
        return _template(Path(args.plan or TEMPLATE_NAME))
    if not args.plan:
        raise CliError(
            "Give the plan file: schedctl rollover PLAN.xlsx (or --template to make one).",
            EXIT_USAGE,
        )
    from ..io.rollover_plan import read_plan
    from ..io.tabular import ImportRejectedError
    from .batching import run_shift_batch

    path = Path(args.plan)
    try:
        plan = read_plan(path)
    except ImportRejectedError as exc:
        say(f"Nothing was sent: {len(exc.problems)} problem(s) in the plan {path.name}.")
        for problem in exc.problems:
            say(f"  {problem}")
        say("Fix them in the plan and run it again (columns: schedctl rollover --template).")
        return EXIT_INPUT
    for note in plan.notes:
        say(note)
    say(f"Plan {path.name}: {len(plan.orders)} course(s).")
    return run_shift_batch(
        args,
        plan.orders,
        kind="rollover",
        reason="before rollover",
        header={"plan": str(path.resolve())},
    )


def _template(path: Path) -> int:
    from ..io.rollover_plan import write_template

    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise CliError(f"{path.name}: the template must be an .xlsx or .csv file.", EXIT_USAGE)
    if path.exists():
        raise CliError(f"{path} exists already: choose another name.", EXIT_USAGE)
    try:
        write_template(path)
    except OSError as exc:
        raise CliError(f"Cannot write {path}: {exc.strerror or exc}.", EXIT_INPUT) from None
    say(f"Wrote an empty rollover plan to {path} (the About sheet explains the columns).")
    return EXIT_OK
