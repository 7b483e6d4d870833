"""Deterministic demo data: users, three courses (one with 10,000 items), activity.

Dates are generated in each course's time zone (``zoneinfo``), so weeks start at local
midnight across daylight-saving changes, as a real term does. The data is built once per
process into an in-memory template; every new store is a fast ``backup()`` copy of it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from scheduler_gui.core.times import format_timestamp

from . import facts
from .schema import APPLICATION_ID, SCHEMA, SEED_VERSION

_template: sqlite3.Connection | None = None
_template_lock = threading.Lock()


def copy_seed_into(target: sqlite3.Connection) -> None:
    """Replace ``target``'s content by the seed data (built once per process, then copied)."""
    global _template
    with _template_lock:
        if _template is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            seed(conn)
            _template = conn
        _template.backup(target)


@dataclass
class _Items:
    """Collects item rows of one course in server (depth-first) order."""

    course_id: int
    next_id: int
    rows: list[tuple[object, ...]] = field(default_factory=list)

    def add(
        self,
        title: str,
        content_type: str,
        parent: int | None,
        *,
        window: tuple[datetime, datetime] | None = None,
        flags: tuple[bool, bool] = (True, True),
        due: datetime | None = None,
        item_id: int | None = None,
        omit_flag: bool = False,
    ) -> int:
        if item_id is None:
            item_id = self.next_id
            self.next_id += 1
        start = end = None
        if window is not None:
            start, end = (_stamp(window[0]), _stamp(window[1]))
        self.rows.append(
            (
                item_id,
                self.course_id,
                len(self.rows),
                parent,
                title,
                content_type,
                start,
                end,
                int(flags[0]),
                int(flags[1]),
                None if due is None else _stamp(due),
                int(omit_flag),
            )
        )
        return item_id


def _local(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


#: The big course repeats a few hundred distinct times over 10,000 items: each is
#: converted once (the seed is on the path of every sandbox start, the demo's too).
_stamp = cache(format_timestamp)


@cache
def _day(start: datetime, days: int, hour: int = 0, minute: int = 0) -> datetime:
    """Local wall-clock time ``days`` after ``start``'s date (DST-correct)."""
    date = start.date() + timedelta(days=days)
    return datetime(date.year, date.month, date.day, hour, minute, tzinfo=start.tzinfo)


DEMO_ZONE = ZoneInfo("America/Denver")
DEMO_TERM_START = _local(DEMO_ZONE, 2011, 1, 10)  # Monday of week 1
DEMO_WEEKS = 15


def _week(n: int) -> tuple[datetime, datetime]:
    """Week ``n``: Monday 00:00 to the next Monday 23:59 local (the page's example shape)."""
    start = _day(DEMO_TERM_START, 7 * (n - 1))
    return start, _day(start, 7, 23, 59)


def demo_items() -> _Items:
    """DEMO-101: three modules of five weekly units, about 60 items."""
    items = _Items(facts.DEMO_COURSE_ID, 987600001)
    # The page's first example item, exactly: explicit, isInherited false, 2010 dates.
    items.add(
        "Course Home",
        "PAGE",
        None,
        window=(
            _local(ZoneInfo("UTC"), 2010, 1, 1, 7),
            _local(ZoneInfo("UTC"), 2010, 4, 1, 7),
        ),
        flags=(False, True),
        item_id=facts.COURSE_HOME_ID,
    )
    items.add("Syllabus", "PAGE", None)
    assignment = 0
    for module in range(3):
        first, last = 5 * module + 1, 5 * module + 5
        names = ("Foundations", "Practice", "Projects")
        module_id = items.add(
            f"Module {module + 1}: {names[module]}",
            "UNIT",
            None,
            window=(_week(first)[0], _week(last)[1]),
            flags=(False, True),
            omit_flag=module == 1,
        )
        for week in range(first, last + 1):
            start, end = _week(week)
            week_id = items.add(
                f"Week {week}",
                "UNIT",
                module_id,
                window=(start, end),
                flags=(False, True),
                omit_flag=week % 2 == 0,
            )
            items.add(f"Week {week} Overview", "PAGE", week_id)
            if week % 3 == 0:
                items.add(
                    f"Week {week} Discussion",
                    "THREAD",
                    week_id,
                    window=(_day(start, 2), _day(start, 6, 23, 59)),
                    flags=(False, True),
                    omit_flag=week % 2 == 1,
                )
            else:
                items.add(f"Week {week} Discussion", "THREAD", week_id, flags=(False, True))
            if week <= 7:
                items.add(
                    f"Quiz {week}",
                    "EXAM",
                    week_id,
                    window=(_day(start, 2), _day(start, 6, 23, 59)),
                    flags=(False, False),
                    due=_day(start, 6, 23, 59),
                    omit_flag=week % 2 == 0,
                )
            elif week < 15:
                assignment += 1
                if assignment == 1:
                    # The page's second example item, exactly: inherited, with a due date.
                    items.add(
                        "Assignment 1",
                        "ASSIGNMENT",
                        week_id,
                        flags=(True, True),
                        due=_day(start, 7, 23, 59),
                        item_id=facts.ASSIGNMENT_1_ID,
                    )
                    items.add(
                        "Midterm Exam",
                        "EXAM",
                        week_id,
                        window=(_day(start, 3, 8), _day(start, 5, 20)),
                        flags=(False, False),
                        due=_day(start, 5, 20),
                    )
                else:
                    explicit = assignment == 4
                    items.add(
                        f"Assignment {assignment}",
                        "ASSIGNMENT",
                        week_id,
                        window=(_day(start, 1), _day(start, 7, 23, 59)) if explicit else None,
                        flags=(True, True),
                        due=_day(start, 6, 23, 59),
                    )
            else:
                items.add(
                    "Final Exam",
                    "EXAM",
                    week_id,
                    window=(_day(start, 1, 8), _day(start, 4, 22)),
                    flags=(False, False),
                    due=_day(start, 4, 22),
                )
    items.add("Course Wrap-up", "PAGE", None, flags=(True, True))
    return items


#: How section 2 of DEMO-101 differs from the master (copy-dates tests rely on these).
SECTION_RENAMED = {"Quiz 2": "Quiz Two", "Week 4 Overview": "  week 4   OVERVIEW "}
SECTION_MISSING = ("Week 3 Discussion",)
SECTION_EXTRA = "Section 2 Welcome"
SECTION_DAYS_EARLIER = 7  # its dates are last year's term's: a week earlier, same wall clock


def section_items() -> _Items:
    """DEMO-101-02: DEMO-101's tree with other ids and dates, two items renamed (one only
    by case and spacing), one missing and one extra page: what copying dates between
    sections meets."""
    items = _Items(facts.SECTION_COURSE_ID, 987800001)
    new_ids: dict[object, int] = {}
    for row in demo_items().rows:
        old_id, _course, _pos, parent, title, kind, start, end, *rest = row
        if title in SECTION_MISSING:
            continue
        title = SECTION_RENAMED.get(str(title), title)
        new_ids[old_id] = items.next_id
        moved = [_earlier(value) for value in (start, end, rest[2])]
        items.rows.append(
            (items.next_id, items.course_id, len(items.rows), new_ids.get(parent), title, kind,
             moved[0], moved[1], rest[0], rest[1], moved[2], rest[3])
        )  # fmt: skip
        items.next_id += 1
    items.add(SECTION_EXTRA, "PAGE", None, flags=(True, True))
    return items


def _earlier(stamp: object) -> str | None:
    """A seed timestamp :data:`SECTION_DAYS_EARLIER` days earlier on the demo wall clock."""
    if stamp is None:
        return None
    local = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone(DEMO_ZONE)
    return format_timestamp(_day(local, -SECTION_DAYS_EARLIER, local.hour, local.minute))


BIG_ZONE = ZoneInfo("America/New_York")
BIG_TERM = (_local(BIG_ZONE, 2011, 8, 29), _local(BIG_ZONE, 2011, 12, 16, 23, 59))
BIG_SHAPE = (10, 4, 5, 3)  # parts, chapters per part, sections per chapter, subsections
BIG_TOTAL = 10_000
_LEAF_TYPES = ("PAGE", "ASSIGNMENT", "THREAD", "PAGE", "EXAM", "PAGE", "LINK")


def _split(window: tuple[datetime, datetime], parts: int) -> Iterator[tuple[datetime, datetime]]:
    """``parts`` consecutive sub-windows: local midnight to 23:59 of the day before the next."""
    start, end = window
    days = max((end.date() - start.date()).days + 1, parts)
    for index in range(parts):
        first = _day(start, index * days // parts)
        last_day = (index + 1) * days // parts - 1
        yield first, _day(start, last_day, 23, 59)


def big_items() -> _Items:
    """BIG-900: 10,000 items, five levels deep, mixed explicit and inherited schedules."""
    items = _Items(facts.BIG_COURSE_ID, 400000001)
    parts, chapters, sections, subsections = BIG_SHAPE
    units = parts + parts * chapters * (1 + sections * (1 + subsections))
    leaves_left = BIG_TOTAL - units
    leaf_slots = parts * chapters * sections * subsections
    counter = slot = 0
    for p, part_window in enumerate(_split(BIG_TERM, parts), 1):
        part = items.add(f"Part {p}", "UNIT", None, window=part_window, flags=(False, True))
        for c, chapter_window in enumerate(_split(part_window, chapters), 1):
            chapter = items.add(
                f"Chapter {p}.{c}",
                "UNIT",
                part,
                window=chapter_window,
                flags=(False, True),
                omit_flag=c % 2 == 0,
            )
            for s in range(1, sections + 1):
                section = items.add(f"Section {p}.{c}.{s}", "UNIT", chapter)  # inherits
                for u in range(1, subsections + 1):
                    explicit_sub = u == subsections
                    sub_window = (_day(chapter_window[0], 1), chapter_window[1])
                    sub = items.add(
                        f"Topic {p}.{c}.{s}.{u}",
                        "UNIT",
                        section,
                        window=sub_window if explicit_sub else None,
                    )
                    share = leaves_left // leaf_slots + (slot < leaves_left % leaf_slots)
                    slot += 1
                    inherited_window = sub_window if explicit_sub else chapter_window
                    for leaf in range(share):
                        counter += 1
                        kind = _LEAF_TYPES[counter % len(_LEAF_TYPES)]
                        explicit = counter % 7 == 0
                        due = None
                        if counter % 5 == 0:
                            due = _day(inherited_window[1], 0, 23, 59)
                        items.add(
                            f"{kind.title()} {p}.{c}.{s}.{u}.{leaf + 1}",
                            kind,
                            sub,
                            window=(_day(inherited_window[0], 0, 8), inherited_window[1])
                            if explicit
                            else None,
                            flags=(counter % 3 == 0, counter % 2 == 0),
                            due=due,
                            omit_flag=counter % 14 == 0,
                        )
    return items


def other_items() -> _Items:
    """ART-210: a small course prof does not teach (the feed's visibility rule)."""
    zone = ZoneInfo("America/Chicago")
    items = _Items(facts.OTHER_COURSE_ID, 987700001)
    unit = items.add(
        "Studio Basics",
        "UNIT",
        None,
        window=(_local(zone, 2011, 1, 10), _local(zone, 2011, 2, 27, 23, 59)),
    )
    items.add("Materials List", "PAGE", unit)
    items.add("Sketchbook 1", "ASSIGNMENT", unit, due=_local(zone, 2011, 1, 30, 23, 59))
    items.add("Critique Forum", "THREAD", unit)
    items.add("Gallery", "PAGE", None)
    return items


COURSES = (
    # id, call number, title, time zone, term
    (
        facts.DEMO_COURSE_ID,
        facts.DEMO_CALL_NUMBER,
        "Demonstration Course 101",
        DEMO_ZONE,
        (DEMO_TERM_START, _week(DEMO_WEEKS)[1]),
    ),
    (
        facts.SECTION_COURSE_ID,
        facts.SECTION_CALL_NUMBER,
        "Demonstration Course 101, Section 2",
        DEMO_ZONE,
        (_day(DEMO_TERM_START, -SECTION_DAYS_EARLIER), _week(DEMO_WEEKS - 1)[1]),
    ),
    (facts.BIG_COURSE_ID, facts.BIG_CALL_NUMBER, "Big Lecture 900", BIG_ZONE, BIG_TERM),
    (
        facts.OTHER_COURSE_ID,
        facts.OTHER_CALL_NUMBER,
        "Art Studio 210",
        ZoneInfo("America/Chicago"),
        (
            _local(ZoneInfo("America/Chicago"), 2011, 1, 10),
            _local(ZoneInfo("America/Chicago"), 2011, 4, 29, 23, 59),
        ),
    ),
)

ENROLLMENTS = (
    ("prof", facts.DEMO_COURSE_ID, "PROF"),
    ("prof", facts.BIG_COURSE_ID, "PROF"),
    ("prof", facts.SECTION_COURSE_ID, "PROF"),
    ("ta", facts.DEMO_COURSE_ID, "TAST"),
    ("student", facts.DEMO_COURSE_ID, "STUD"),
    ("jdoe", facts.DEMO_COURSE_ID, "STUD"),
    ("jdoe", facts.OTHER_COURSE_ID, "STUD"),
    ("rlee", facts.DEMO_COURSE_ID, "STUD"),
    ("prof2", facts.OTHER_COURSE_ID, "PROF"),
)

ACTIVITY_TYPES = (
    "thread-post",
    "thread-topic",
    "grade",
    "dropbox-submission",
    "exam-submission",
    "remark",
)
_VERBS = {
    "thread-post": "post",
    "thread-topic": "post",
    "grade": "grade",
    "dropbox-submission": "submit",
    "exam-submission": "submit",
    "remark": "post",
}
_TARGETS = {
    "thread-post": ("thread-topic", "Week {week} Discussion"),
    "thread-topic": ("course", "{course}"),
    "grade": ("gradable-item", "Quiz {week}"),
    "dropbox-submission": ("dropbox-basket", "Assignment 1"),
    "exam-submission": ("exam", "Quiz {week}"),
    "remark": ("course", "{course}"),
}
_SUMMARIES = {
    "thread-post": "I think the reading's second example is the clearest.",
    "thread-topic": "Question about this week's reading",
    "grade": "B+",
    "dropbox-submission": "Here is my submission.",
    "exam-submission": "Exam submitted.",
    "remark": "Nice work on the last quiz!",
}


def activity_rows() -> list[tuple[object, ...]]:
    """Activity of every type for the students of DEMO-101, plus a little elsewhere."""
    rows: list[tuple[object, ...]] = []
    actors = [
        ("student", facts.DEMO_COURSE_ID, "Demonstration Course 101"),
        ("jdoe", facts.DEMO_COURSE_ID, "Demonstration Course 101"),
        ("rlee", facts.DEMO_COURSE_ID, "Demonstration Course 101"),
        ("jdoe", facts.OTHER_COURSE_ID, "Art Studio 210"),
        ("prof", facts.DEMO_COURSE_ID, "Demonstration Course 101"),
    ]
    for actor_index, (user, course_id, course_title) in enumerate(actors):
        user_id = facts.USERS[user][0]
        types = ACTIVITY_TYPES if user != "prof" else ("thread-post", "remark")
        if course_id == facts.OTHER_COURSE_ID:
            types = ("thread-post", "dropbox-submission")
        for type_index, kind in enumerate(types):
            week = 1 + (actor_index + 2 * type_index) % 7
            posted = _day(_week(week)[0], 2, 10 + actor_index, 5 * type_index)
            target_type, target_title = _TARGETS[kind]
            extra: dict[str, object] = {}
            if kind == "grade":
                extra = {"letterGrade": "B+", "pointsAchieved": 88, "pointsPossible": 100}
            rows.append(
                (
                    len(rows) + 1,
                    user_id,
                    course_id,
                    kind,
                    format_timestamp(posted),
                    _VERBS[kind],
                    5000 + len(rows),
                    _SUMMARIES[kind],
                    4000 + week * 10 + type_index,
                    target_title.format(week=week, course=course_title),
                    target_type,
                    json.dumps(extra),
                )
            )
    return rows


def seed(conn: sqlite3.Connection) -> None:
    """Create the schema and every seed row in one transaction."""
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO meta VALUES ('seed_version', ?)", (SEED_VERSION,))
    conn.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (uid, name, name, role, first, last, f"{name}@{facts.CLIENT_STRING}.example.edu")
            for name, (uid, role, first, last) in facts.USERS.items()
        ],
    )
    conn.executemany(
        "INSERT INTO courses VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        [
            (cid, ccn, title, ccn, format_timestamp(term[0]), format_timestamp(term[1]), zone.key)
            for cid, ccn, title, zone, term in COURSES
        ],
    )
    conn.executemany(
        "INSERT INTO enrollments VALUES (?, ?, ?)",
        [(facts.USERS[user][0], course, role) for user, course, role in ENROLLMENTS],
    )
    for items in (demo_items(), section_items(), big_items(), other_items()):
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items.rows
        )
    conn.executemany(
        "INSERT INTO activity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", activity_rows()
    )
    conn.execute("COMMIT")
