"""SQLite storage of the sandbox: one connection, one lock, short transactions.

Items keep only their *explicit* start/end (NULL = inherited from the parent, the
course term for top-level items); effective dates are computed when read.
Timestamps of course data are wire strings (``YYYY-MM-DDTHH:MM:SSZ``, sortable);
server bookkeeping (tokens, clocks, nonces) uses epoch seconds of the sandbox clock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from scheduler_gui.core.times import format_timestamp, parse_timestamp

from .schema import APPLICATION_ID, SCHEMA_TABLES
from .seed import copy_seed_into


def _application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def _is_ours(conn: sqlite3.Connection, tables: set[str]) -> bool:
    """A sandbox data file: our mark in the SQLite header, or (written before the mark
    existed) every table of ours and the seed's version in ``meta``."""
    if _application_id(conn) == APPLICATION_ID:
        return True
    if _application_id(conn) != 0 or not tables >= SCHEMA_TABLES:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'seed_version'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None


class StoreError(Exception):
    """The data file cannot be used (not SQLite, or another program's database)."""


@dataclass(frozen=True)
class Item:
    """One content item as stored (explicit dates only)."""

    item_id: int
    course_id: int
    position: int
    parent_id: int | None
    title: str
    content_type: str
    start: str | None
    end: str | None
    before_flag: bool
    after_flag: bool
    due: str | None
    omit_flag: bool


@dataclass(frozen=True)
class ScheduleUpdate:
    """What a PUT sets for one item (``None`` start/end = inherit).

    ``due_sent`` is False when the entry names no due date at all (the page's PUT format
    shows none): the stored due date is then left as it is.
    """

    item_id: int
    start: str | None
    end: str | None
    before_flag: bool
    after_flag: bool
    due: str | None
    due_sent: bool = True


class Store:
    """Thread-safe access to the sandbox database (the server thread and test helpers)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock = threading.RLock()

    @classmethod
    def open(cls, data: str | Path = ":memory:") -> Store:
        """Open (and seed when new) the database at ``data`` (``":memory:"`` = fresh)."""
        try:
            conn = sqlite3.connect(str(data), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {data} ({exc})") from None
        conn.row_factory = sqlite3.Row
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{data} is not a sandbox data file ({exc})") from None
        if not tables:  # new: seed it
            copy_seed_into(conn)
        elif not _is_ours(conn, tables):  # someone else's database: never touch it
            conn.close()
            raise StoreError(f"{data} is an SQLite file of another program; choose a new file")
        elif _application_id(conn) != APPLICATION_ID:  # an older sandbox's file: mark it
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return cls(conn)

    def reset(self) -> None:
        """Replace every row by the seed data (tests: a fresh course per test)."""
        with self.lock:
            copy_seed_into(self.conn)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything or nothing."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
            return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return list(self.conn.execute(sql, params).fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement in its own transaction; returns the changed row count."""
        with self.lock:
            return self.conn.execute(sql, params).rowcount

    # --- users and courses -------------------------------------------------------------

    def user_by_name(self, user_name: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM users WHERE user_name = ?", (user_name,))

    def user(self, user_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM users WHERE user_id = ?", (user_id,))

    def course(self, course_id: int) -> sqlite3.Row | None:
        return self.one("SELECT * FROM courses WHERE course_id = ?", (course_id,))

    def course_by_call_number(self, call_number: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM courses WHERE call_number = ?", (call_number,))

    def enrollment_role(self, user_id: int, course_id: int) -> str | None:
        row = self.one(
            "SELECT role FROM enrollments WHERE user_id = ? AND course_id = ?",
            (user_id, course_id),
        )
        return None if row is None else str(row["role"])

    def courses_of(self, user_id: int) -> list[sqlite3.Row]:
        return self.all(
            "SELECT c.*, e.role AS enrolled_as FROM courses c JOIN enrollments e"
            " ON e.course_id = c.course_id WHERE e.user_id = ? ORDER BY c.course_id",
            (user_id,),
        )

    # --- items -------------------------------------------------------------------------

    def items(self, course_id: int) -> list[Item]:
        rows = self.all("SELECT * FROM items WHERE course_id = ? ORDER BY position", (course_id,))
        return [_item(row) for row in rows]

    def item(self, course_id: int, item_id: int) -> Item | None:
        row = self.one(
            "SELECT * FROM items WHERE course_id = ? AND item_id = ?", (course_id, item_id)
        )
        return None if row is None else _item(row)

    def item_ids(self, course_id: int) -> set[int]:
        rows = self.all("SELECT item_id FROM items WHERE course_id = ?", (course_id,))
        return {int(row[0]) for row in rows}

    def replace_schedules(self, course_id: int, updates: Sequence[ScheduleUpdate]) -> None:
        """Apply a full-set PUT in one transaction and bump the course revision."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE items SET start = ?, end = ?, before_flag = ?, after_flag = ?,"
                " due = CASE WHEN ? THEN ? ELSE due END"
                " WHERE item_id = ? AND course_id = ?",
                [
                    (
                        u.start,
                        u.end,
                        int(u.before_flag),
                        int(u.after_flag),
                        int(u.due_sent),
                        u.due,
                        u.item_id,
                        course_id,
                    )
                    for u in updates
                ],
            )
            conn.execute(
                "UPDATE courses SET revision = revision + 1 WHERE course_id = ?", (course_id,)
            )


def _item(row: sqlite3.Row) -> Item:
    return Item(
        item_id=int(row["item_id"]),
        course_id=int(row["course_id"]),
        position=int(row["position"]),
        parent_id=None if row["parent_id"] is None else int(row["parent_id"]),
        title=str(row["title"]),
        content_type=str(row["content_type"]),
        start=row["start"],
        end=row["end"],
        before_flag=bool(row["before_flag"]),
        after_flag=bool(row["after_flag"]),
        due=row["due"],
        omit_flag=bool(row["omit_flag"]),
    )


def touch(store: Store, course: str) -> dict[str, object]:
    """Simulate another user's edit of ``course`` (id or ``ccn=...``): returns what changed.

    The first item (in course order) with an explicit end gets that end one day later,
    so a client that loaded the course before sees a different schedule now.
    """
    if course.lower().startswith("ccn="):
        row = store.course_by_call_number(course[4:])
    else:
        row = store.course(int(course)) if course.isdigit() else None
    if row is None:
        return {"changed": False, "reason": f"no course {course}"}
    course_id = int(row["course_id"])
    with store.transaction() as conn:
        item = conn.execute(
            "SELECT item_id, end FROM items WHERE course_id = ? AND end IS NOT NULL"
            " AND content_type != 'UNIT' ORDER BY position LIMIT 1",
            (course_id,),
        ).fetchone()
        if item is None:
            return {"changed": False, "reason": "no explicitly scheduled item"}
        new_end = format_timestamp(parse_timestamp(item["end"]) + timedelta(days=1))
        conn.execute("UPDATE items SET end = ? WHERE item_id = ?", (new_end, item["item_id"]))
        conn.execute("UPDATE courses SET revision = revision + 1 WHERE course_id = ?", (course_id,))
    return {
        "changed": True,
        "courseId": course_id,
        "itemId": int(item["item_id"]),
        "field": "endDateTime",
        "old": item["end"],
        "new": new_end,
    }
