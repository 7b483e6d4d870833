"""``schedctl batch status | resume``: what the journals of many-course batches say.

``shift`` and ``rollover`` keep a journal per batch (``store/journal.py``). ``status``
lists the recent batches, or one batch course by course; ``resume`` runs an interrupted
batch again exactly as it was planned (the same as repeating its command).
"""

from __future__ import annotations

import argparse
from typing import Any

from . import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .batching import add_batch_options
from .saving import print_table, say

RECENT = 15


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="status of many-course batches (shift, rollover); resume an interrupted one",
        description="Every 'shift' and 'rollover' keeps a journal of what it did to each "
        "course. 'status' lists recent batches (or one, course by course); 'resume ID' "
        "continues an interrupted batch as it was planned. Courses a batch already wrote "
        "are recognised on the server and never written twice.",
    )
    sub = parser.add_subparsers(dest="batch_command", metavar="ACTION", required=True)
    status = sub.add_parser("status", help="list recent batches, or one batch in detail")
    status.add_argument("batch_id", nargs="?", metavar="ID", help="a batch id (or its start)")
    status.set_defaults(func=run_status)
    resume = sub.add_parser("resume", help="continue an interrupted batch as it was planned")
    resume.add_argument("batch_id", metavar="ID", help="a batch id (or its start)")
    resume.add_argument("--dry-run", action="store_true", help="check and show, send nothing")
    add_batch_options(resume, journal=False)
    resume.add_argument("--report", metavar="FILE.csv|FILE.json", help="write a report")
    resume.set_defaults(func=run_resume, resume=True, restart=False)


def _state(info: Any) -> str:
    if info.superseded:
        return "set aside (--restart)"
    if info.complete:
        return "finished"
    if info.ended == "cancelled":
        return "cancelled"
    failed = info.counts().get("failed", 0)
    if info.ended == "finished" and failed:
        return f"finished, {failed} failed"
    return "interrupted"


def run_status(args: argparse.Namespace) -> int:
    from ..store.journal import JournalStore
    from ..store.paths import StoreError

    store = JournalStore()
    if args.batch_id:
        try:
            info = store.find(args.batch_id)
        except StoreError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
        _show_one(info)
        return EXIT_OK
    journals = store.all()
    if not journals:
        say("No batches yet: 'shift' and 'rollover' keep one journal per batch.")
        return EXIT_OK
    rows = [("Batch", "Command", "Courses", "Done", "State")]
    for info in journals[:RECENT]:
        rows.append((info.batch_id, _command(info), str(info.total), str(info.done), _state(info)))
    print_table(rows, right_aligned={2, 3})
    unfinished = [i for i in journals[:RECENT] if not i.complete and not i.superseded]
    if unfinished:
        say(f"Continue one with: schedctl batch resume {unfinished[0].batch_id}")
    return EXIT_OK


def _command(info: Any) -> str:
    header = info.header
    text = str(header.get("command", "?"))
    if header.get("plan"):
        text += f" {header['plan']}"
    return text


def _show_one(info: Any) -> None:
    print(f"Batch {info.batch_id}: {_command(info)}, started {info.created}, {_state(info)}.")
    print(f"Server {info.header.get('baseUrl', '?')}, user {info.header.get('user', '?')}.")
    print(f"Journal: {info.path}")
    counts = ", ".join(f"{n} {state}" for state, n in sorted(info.counts().items()))
    print(f"Courses: {info.total} ({counts}).")
    rows = [("Course", "State", "Changed", "Backup / error")]
    for course in info.header.get("courses", []):
        entry = info.entries.get(str(course))
        if entry is None:
            rows.append((str(course), "not reached", "", ""))
            continue
        detail = entry.error or entry.backup
        changed = str(entry.changed) if entry.changed else ""
        rows.append((entry.course_id, entry.state, changed, detail))
    print_table(rows, right_aligned={2})


def run_resume(args: argparse.Namespace) -> int:
    from ..core.shift_order import OrderError, ShiftOrder
    from ..store.journal import JournalStore
    from ..store.paths import StoreError
    from .batching import identity, run_shift_batch

    try:
        info = JournalStore().find(args.batch_id)
    except StoreError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if info.superseded:
        raise CliError(f"Batch {info.batch_id} was set aside by --restart.", EXIT_USAGE)
    base_url, user = identity(args)
    header = info.header
    if (base_url.rstrip("/").lower(), user.lower()) != (
        str(header.get("baseUrl", "")).rstrip("/").lower(),
        str(header.get("user", "")).lower(),
    ):
        raise CliError(
            f"Batch {info.batch_id} ran on {header.get('baseUrl')} as {header.get('user')}; "
            f"you are logged in to {base_url} as {user}. Log in as that user to resume it.",
            EXIT_USAGE,
        )
    try:
        orders = [ShiftOrder.from_json(order) for order in header.get("orders", [])]
    except OrderError as exc:
        raise CliError(
            f"Batch {info.batch_id}: its journal is damaged ({exc}).", EXIT_INPUT
        ) from None
    if not orders:
        raise CliError(f"Batch {info.batch_id} has no courses to resume.", EXIT_INPUT)
    kind = str(header.get("command", "shift"))
    extra = {key: header[key] for key in ("plan",) if key in header}
    return run_shift_batch(args, orders, kind=kind, reason=f"before {kind}", header=extra)
