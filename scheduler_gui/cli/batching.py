"""Running a many-course shift as a batch from the command line (``shift``, ``rollover``).

The shared options (``--jobs``, ``--report``, ``--resume``, ``--restart``), finding the
journal of an earlier run of the same batch, the check phase with every problem listed,
the write phase with its progress, the summary table, the report file and the exit code.
The work itself is :mod:`scheduler_gui.session.batch`. Imported only when a command runs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import EXIT_INPUT, EXIT_NETWORK, EXIT_OK, EXIT_USAGE, CliError
from .jobs import jobs_of, make_throttle
from .saving import confirmed, print_table, say

if TYPE_CHECKING:
    from ..core.shift_order import ShiftOrder
    from ..session.batch import CourseResult, Prepared
    from ..store.journal import BatchJournal, JournalInfo

PREVIEW_LINES = 20  # moves shown per course before asking (few courses); --dry-run: all
PREVIEW_COURSES = 3  # more courses than this: one summary line each
TOTALS_ORDER = ("verified", "already done", "nothing to change", "failed", "stopped")
REPORT_FIELDS = ("course", "courseId", "status", "itemsChanged", "backup", "error")


def add_batch_options(parser: argparse.ArgumentParser, *, journal: bool = True) -> None:
    """``--jobs`` and ``--report`` (every many-course command); ``--resume``/``--restart``
    for the commands that keep a journal."""
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="work on up to N courses at once (default: the 'batch_jobs' setting, 4); "
        "the server's 'too many requests' lowers it for the whole batch",
    )
    if not journal:
        return
    parser.add_argument(
        "--report",
        metavar="FILE.csv|FILE.json",
        help="write one row per course: status, items changed, backup, error",
    )
    again = parser.add_mutually_exclusive_group()
    again.add_argument(
        "--resume",
        action="store_true",
        help="continue the interrupted run of this same batch (an error if there is none); "
        "without --resume or --restart an earlier run is continued anyway",
    )
    again.add_argument(
        "--restart",
        action="store_true",
        help="forget the earlier run of this batch and plan again from what the server has "
        "now: courses it already shifted are shifted AGAIN",
    )


def check_report_path(args: argparse.Namespace) -> Path | None:
    """The ``--report`` path, checked before any request is made."""
    text = getattr(args, "report", None)
    if not text:
        return None
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".json"):
        raise CliError(
            f"--report {path.name}: the report must be a .csv or .json file.", EXIT_USAGE
        )
    return path


def identity(args: argparse.Namespace) -> tuple[str, str]:
    """(base URL, user) of the login: a batch is the same batch on the same server only."""
    from .context import resolve_login

    login = resolve_login(args)
    return login.base_url, login.username or login.token_key_moniker


# --------------------------------------------------------------------------- journal


def find_earlier_run(args: argparse.Namespace, key: str) -> JournalInfo | None:
    """The journal of an earlier run of this batch, or None to start afresh (--restart)."""
    from ..store.journal import JournalStore

    store = JournalStore()
    earlier = store.latest(key)
    if args.restart:
        if earlier is not None:
            store.supersede(earlier)
            say(f"Starting batch again: the earlier run {earlier.batch_id} is set aside.")
        return None
    if earlier is None:
        if args.resume:
            raise CliError(
                "There is no earlier run of this batch to resume (same command, server and "
                "user). 'schedctl batch status' lists the batches.",
                EXIT_USAGE,
            )
        return None
    counts = ", ".join(f"{n} {state}" for state, n in sorted(earlier.counts().items()))
    say(
        f"Continuing batch {earlier.batch_id} (started {earlier.created}; {counts}). "
        "Courses it already wrote are recognised on the server and not written again."
    )
    return earlier


# --------------------------------------------------------------------------- the batch


def run_shift_batch(
    args: argparse.Namespace,
    orders: Sequence[ShiftOrder],
    *,
    kind: str,
    reason: str,
    header: dict[str, Any] | None = None,
) -> int:
    """Check every course, then (unless ``--dry-run``) write them all; see module doc."""
    from ..session.batch import ALREADY_DONE, PROBLEM, READY, check_shifts, problems_of
    from ..session.batch_runs import key_of
    from .context import client_from_args, course_time_zone
    from .progress import BatchProgress

    report = check_report_path(args)
    jobs_of(args)
    course_time_zone(args)  # a bad --tz is a usage error before any request
    login = identity(args)
    key = key_of(kind, login, orders)
    earlier = find_earlier_run(args, key)

    with client_from_args(args) as client:
        throttle = make_throttle(args, client)
        watch = BatchProgress(len(orders), "Checking")
        checked = check_shifts(
            client,
            orders,
            throttle=throttle,
            zone_of=lambda order, course_id: _zone(args, order, course_id),
            journal=earlier,
            preview_limit=None
            if args.dry_run
            else PREVIEW_LINES
            if len(orders) <= PREVIEW_COURSES
            else 0,
            on_checked=lambda p: (
                watch.checked(p.course, p.status == PROBLEM) if watch.bar else None
            ),
        )
        watch.close()
        _show_checked(args, checked)
        problems = problems_of(checked)
        if problems:
            say(f"Nothing was sent: {len(problems)} problem(s) found.")
            for problem in problems:
                say(f"  {problem}")
            _report(report, [_checked_row(p) for p in checked])
            return EXIT_INPUT
        ready = [p for p in checked if p.status == READY]
        if args.dry_run:
            _summary_of_checked(checked)
            _report(report, [_checked_row(p) for p in checked])
            say("Dry run: nothing was sent.")
            return EXIT_OK
        if not ready:
            _summary_of_checked(checked)
            _report(report, [_checked_row(p) for p in checked])
            say("Nothing to write: every course is done or has no date that moves.")
            if any(p.status == ALREADY_DONE for p in checked):
                say("To shift the courses again on purpose, add --restart.")
            return EXIT_OK
        what = ready[0].label if len(ready) == 1 else f"{len(ready)} courses"
        if not confirmed(args, f"Save the shifted dates of {what}?"):
            say("Nothing was written.")
            return EXIT_OK
        start = _open_journal(checked, earlier, key, {"command": kind, **(header or {})}, login)
        results = _write(args, client, checked, throttle, start, reason)
        if throttle.refusals:
            say(
                f"The server asked to slow down {throttle.refusals} time(s): the batch went "
                f"down to {throttle.lowest_limit} course(s) at once."
            )
    _summary(results)
    _report(report, [_result_row(r) for r in results])
    return _exit_code(results)


def _zone(args: argparse.Namespace, order: ShiftOrder, course_id: str) -> ZoneInfo:
    from ..core.shift_order import OrderError
    from .context import course_time_zone

    if not order.time_zone:
        return course_time_zone(args, course_id)
    try:
        return ZoneInfo(order.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise OrderError(
            f"unknown time zone {order.time_zone!r}: use an IANA name such as America/Denver"
        ) from None


def _open_journal(
    checked: list[Prepared],
    earlier: JournalInfo | None,
    key: str,
    header: dict[str, Any],
    login: tuple[str, str],
) -> BatchJournal:
    """The earlier run's journal to continue, or a new one for this batch."""
    from ..session.batch_runs import open_journal
    from ..store.paths import StoreError

    try:
        return open_journal(checked, earlier, key, header, login)
    except StoreError as exc:
        raise CliError(f"Nothing was written: {exc}", EXIT_INPUT) from None


def _write(
    args: argparse.Namespace,
    client: Any,
    checked: list[Prepared],
    throttle: Any,
    journal: BatchJournal,
    reason: str,
) -> list[CourseResult]:
    from ..session.batch import write_all
    from ..store.backups import BackupStore
    from .context import base_url_of
    from .progress import BatchProgress

    say(f"Batch {journal.batch_id}: journal {journal.path}")
    watch = BatchProgress(len(checked), "Writing")
    try:
        results = write_all(
            client,
            checked,
            throttle=throttle,
            backups=BackupStore(base_url=base_url_of(args)),
            journal=journal,
            reason=reason,
            events=watch,
        )
    finally:
        watch.close()
    return results


# --------------------------------------------------------------------------- output


def _show_checked(args: argparse.Namespace, checked: list[Prepared]) -> None:
    """Each course's summary; its moves too when few courses (all with --dry-run)."""
    from ..session.batch import ALREADY_DONE, PROBLEM

    detailed = args.dry_run or len(checked) <= PREVIEW_COURSES
    for prepared in checked:
        if prepared.status == PROBLEM:
            continue
        if prepared.status == ALREADY_DONE:
            print(f"Course {prepared.label}: already done by the earlier run; skipped.")
            continue
        zone = f" (wall clock of {prepared.zone.key})"
        print(f"Course {prepared.label}: {prepared.summary}{zone}.")
        if detailed:
            for line in prepared.preview:
                print(f"  {line}")


def _summary_of_checked(checked: list[Prepared]) -> None:
    rows = [("Course", "Items", "Dates", "Status")]
    rows += [(p.label, str(p.changed_items), str(p.moves), _status_text(p.status)) for p in checked]
    print_table(rows, right_aligned={1, 2})


def _status_text(status: str) -> str:
    from ..session.batch import READY

    return "would be written" if status == READY else status


def _summary(results: list[CourseResult]) -> None:
    if len(results) <= PREVIEW_COURSES:
        for result in results:
            if result.message:
                print(f"Course {result.course_id}: {result.message}")
    rows = [("Course", "Changed", "Result")]
    for result in results:
        outcome = result.status + (f": {result.error}" if result.error else "")
        rows.append((result.course_id or result.course, str(result.changed_items), outcome))
    print_table(rows, right_aligned={1})
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    order = {status: n for n, status in enumerate(TOTALS_ORDER)}
    ordered = sorted(counts.items(), key=lambda pair: order.get(pair[0], len(order)))
    print("Total: " + ", ".join(f"{n} {status}" for status, n in ordered) + ".")


def _exit_code(results: list[CourseResult]) -> int:
    from ..session.batch import FAILED_STATUS, NOT_STARTED, STOPPED_STATUS

    failed = [r for r in results if r.status == FAILED_STATUS]
    unfinished = [r for r in results if r.status in (STOPPED_STATUS, NOT_STARTED)]
    if failed:
        names = ", ".join(r.course_id or r.course for r in failed)
        say(f"Failed: {len(failed)} course(s): {names}. Run the same command again to retry them.")
        return next((r.exit_code for r in failed if r.exit_code), EXIT_NETWORK)
    if unfinished:
        say(f"Not written: {len(unfinished)} course(s); run the same command again to continue.")
        return EXIT_NETWORK
    return EXIT_OK


def _checked_row(prepared: Prepared) -> dict[str, Any]:
    return {
        "course": prepared.course,
        "courseId": prepared.course_id,
        "status": _status_text(prepared.status),
        "itemsChanged": prepared.changed_items,
        "backup": "",
        "error": "; ".join(prepared.problems),
    }


def _result_row(result: CourseResult) -> dict[str, Any]:
    return {
        "course": result.course,
        "courseId": result.course_id,
        "status": result.status,
        "itemsChanged": result.changed_items,
        "backup": result.backup_path,
        "error": result.error,
    }


def _report(path: Path | None, rows: list[dict[str, Any]]) -> None:
    """Write the report (CSV or JSON); a failure to write it is said, not fatal."""
    if path is None:
        return
    from ..store.paths import StoreError, atomic_write

    if path.suffix.lower() == ".json":
        data = json.dumps({"courses": rows}, indent=2, ensure_ascii=False).encode("utf-8")
    else:
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=REPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            # A cell starting with = + - @ would be a formula in Excel: keep it text.
            writer.writerow({k: _csv_safe(v) for k, v in row.items()})
        data = text.getvalue().encode("utf-8-sig")
    try:
        atomic_write(path, data)
    except StoreError as exc:
        say(f"The report could not be written: {exc}")
        return
    say(f"Report: {path}")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


__all__ = [
    "add_batch_options",
    "check_report_path",
    "find_earlier_run",
    "run_shift_batch",
]
