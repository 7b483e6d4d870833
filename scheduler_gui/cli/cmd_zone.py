"""``schedctl zone``: show, set or forget a course's time zone.

The zone is kept in the one per-course store the app uses too (``settings.json``), so a
zone set here is the one the app shows for the course, and the other way round.
"""

from __future__ import annotations

import argparse
from typing import Any

from . import EXIT_OK, EXIT_USAGE, CliError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "zone",
        help="show, set or forget a course's time zone (shared with the app)",
        description="Without ZONE, show the zone commands use for the course and where "
        "it comes from. With ZONE (an IANA name such as America/Denver), remember it for "
        "the course: shift, export, import and the app then use it (--tz still wins for "
        "one run). The zone is not sent to the server.",
    )
    parser.add_argument("course", metavar="COURSE", help="numeric course id")
    parser.add_argument("zone", metavar="ZONE", nargs="?", help="IANA time zone to remember")
    parser.add_argument(
        "--forget", action="store_true", help="forget the course's zone (use the computer's)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..core.zones import ZoneError
    from ..session.course_zones import CourseZones
    from ..session.zones import system_zone
    from ..store.paths import StoreError

    course = args.course.strip()
    if not course.isdigit():
        raise CliError(
            f"{course!r} is not a numeric course id: the zone is kept per course id "
            "(schedctl get ccn=… shows it as courseId).",
            EXIT_USAGE,
        )
    if args.zone and args.forget:
        raise CliError("Give either ZONE or --forget, not both.", EXIT_USAGE)
    zones = CourseZones()
    try:
        if args.forget:
            forgotten = zones.forget(course)
            print(f"Course {course}: zone forgotten." if forgotten
                  else f"Course {course}: no zone was saved.")  # fmt: skip
        elif args.zone:
            zone = zones.remember(course, args.zone)
            print(f"Course {course}: {zone.key} (saved; the app uses it too).")
    except ZoneError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except StoreError as exc:
        raise CliError(f"The zone was not saved: {exc}") from None
    if args.forget or args.zone:
        return EXIT_OK
    saved = zones.get(course)
    if saved is not None:
        print(f"Course {course}: {saved.key} (saved for this course).")
    else:
        print(f"Course {course}: no zone saved; commands use this computer's zone, "
              f"{system_zone().key}.")  # fmt: skip
    return EXIT_OK
