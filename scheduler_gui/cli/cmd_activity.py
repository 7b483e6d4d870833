"""``schedctl open``, ``schedctl activity`` and ``schedctl endping``.

``open`` asks for a fresh course-entry URL (valid about five minutes, so never stored)
and hands it to the system browser; ``activity`` prints the Last Activity Feed (v2) as
a table or JSON; ``endping`` stops a time-on-task clock left running.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, tzinfo
from typing import Any

from . import COURSE_HELP, EXIT_AUTH, EXIT_OK, EXIT_USAGE, CliError

_VISIBILITY_RULE = (
    "LearningStudio shows a professor another user's activity only in courses they share, "
    "and this user is also in a course you do not teach. "
    "Pass --course COURSE_ID (a course you both are in) to see their activity there."
)


def register(subparsers: Any) -> None:
    opener = subparsers.add_parser(
        "open",
        help="open a course in LearningStudio in the web browser",
        description="Ask LearningStudio for a single sign-on URL into the course home "
        "and open it in the system browser (the URL expires after about five minutes).",
    )
    opener.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    opener.add_argument("--print", action="store_true", help="print the URL instead of opening it")
    opener.add_argument("--user", default="me", help="numeric user id or me (default: me)")
    opener.add_argument("--exit-url", help="where LearningStudio's Exit button should lead")
    opener.add_argument("--logout-url", help="where LearningStudio's Logout button should lead")
    opener.set_defaults(func=run_open)

    feed = subparsers.add_parser(
        "activity",
        help="show the Last Activity Feed (who did what, when, where)",
        description="Print a user's most recent activity (Last Activity Feed v2). "
        "A professor reading a student's feed may need --course (the visibility rule).",
    )
    feed.add_argument(
        "--user", default="me", help="numeric user id, loginid=CLIENT|USER or me (default: me)"
    )
    feed.add_argument(
        "--course",
        action="append",
        default=[],
        metavar="ID[,ID...]",
        help="only these numeric course ids (repeatable or comma-separated)",
    )
    feed.add_argument(
        "--types",
        action="append",
        default=[],
        metavar="TYPE[,TYPE...]",
        help="only these types: thread-post, thread-topic, grade, dropbox-submission, "
        "exam-submission, remark",
    )
    feed.add_argument("--after", metavar="ISO", help="only activity after this time")
    feed.add_argument("--before", metavar="ISO", help="only activity before this time")
    feed.add_argument("--json", action="store_true", help="print JSON instead of a table")
    feed.set_defaults(func=run_activity)

    end = subparsers.add_parser(
        "endping",
        help="stop a user's time-on-task clock on a content item",
        description="Stop the activity clock started on a content item (numeric ids only).",
    )
    end.add_argument("course", metavar="COURSE", help="numeric course id")
    end.add_argument("item", metavar="ITEM", help="numeric content item id")
    end.add_argument("--user", default="me", help="numeric user id or me (default: me)")
    end.set_defaults(func=run_endping)


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _moment(text: str | None, option: str, zone: tzinfo) -> datetime | None:
    """An ISO time; without an offset it is read in --tz (a bare date = its midnight)."""
    if text is None:
        return None
    from ..core.times import TimestampError, parse_timestamp

    try:
        return parse_timestamp(text)
    except TimestampError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"{option} {text!r} is not a time. Use ISO-8601, e.g. 2013-02-01T00:00:00Z "
            "or 2013-02-01 (midnight in --tz).",
            EXIT_USAGE,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _client(args: argparse.Namespace) -> Any:
    if args.auth == "oauth1" and str(args.user).strip().lower() == "me":
        raise CliError(
            "The /me shortcut works with OAuth 2 only. With --auth oauth1 pass --user USER_ID.",
            EXIT_USAGE,
        )
    from .context import client_from_args

    return client_from_args(args)


def run_open(args: argparse.Namespace) -> int:
    import webbrowser

    from ..api.activity import course_entry

    with _client(args) as client:
        course_id = client.resolve_course_id(args.course)
        url = course_entry(
            client, course_id, user=args.user, exit_url=args.exit_url, logout_url=args.logout_url
        )
    if args.print:
        print(url)
        return EXIT_OK
    if webbrowser.open(url):
        print(f"Opened course {course_id} in the web browser.", file=sys.stderr)
    else:
        print(
            "No web browser could be started. Open this URL within five minutes:",
            file=sys.stderr,
        )
        print(url)
    return EXIT_OK


def run_activity(args: argparse.Namespace) -> int:
    from ..api.activity import activity_feed, check_feed_courses
    from ..api.errors import ForbiddenError
    from .context import course_time_zone

    courses = _split(args.course)
    zone = course_time_zone(args, courses[0] if len(courses) == 1 else "")
    after = _moment(args.after, "--after", zone)
    before = _moment(args.before, "--before", zone)
    with _client(args) as client:
        try:
            entries = activity_feed(
                client,
                user=args.user,
                course_ids=courses,
                types=_split(args.types),
                after=after,
                before=before,
            )
        except ForbiddenError as exc:
            if str(args.user).lower() != "me" and not courses:
                raise CliError(_VISIBILITY_RULE, EXIT_AUTH, exc.detail) from exc
            raise
        # The feed filters by course silently: a course it had nothing from may be a
        # mistyped or foreign id (exit 1 or 3, as other commands), not a quiet course.
        seen = {entry.course_id for entry in entries}
        check_feed_courses(client, [course for course in courses if course not in seen])
    if args.json:
        print(json.dumps([entry.to_json() for entry in entries], indent=2, ensure_ascii=False))
    elif not entries:
        print("No activity matches.", file=sys.stderr)
    else:
        print(render_table(entries, zone))
    return EXIT_OK


def render_table(entries: list[Any], zone: tzinfo) -> str:
    """Aligned columns: time (in ``zone``), who, role, what, item/target, summary."""
    from ..core.times import format_local

    header = ("Time", "Who", "Role", "What", "Item / target", "Summary")
    rows = [header]
    for entry in entries:
        when = format_local(entry.posted, zone) if entry.posted else "?"
        summary = " ".join(entry.summary.split())
        if len(summary) > 60:
            summary = summary[:59] + "…"
        who = (entry.actor_name, entry.role_name)
        rows.append((when, *who, entry.what, entry.target_title, summary))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def run_endping(args: argparse.Namespace) -> int:
    from ..api.activity import end_ping

    with _client(args) as client:
        stopped = end_ping(client, args.course, args.item, user=args.user)
    if stopped:
        print(f"Stopped the activity clock on item {args.item}.", file=sys.stderr)
    else:
        print(f"No activity clock was running on item {args.item}; nothing to stop.",
              file=sys.stderr)  # fmt: skip
    return EXIT_OK
