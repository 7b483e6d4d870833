"""The sandbox database's tables, shared by the store (reads, writes) and the seed (fills)."""

import re

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users(
    user_id INTEGER PRIMARY KEY, user_name TEXT UNIQUE NOT NULL COLLATE NOCASE,
    password TEXT NOT NULL, role TEXT NOT NULL, first_name TEXT NOT NULL,
    last_name TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE courses(
    course_id INTEGER PRIMARY KEY, call_number TEXT UNIQUE NOT NULL COLLATE NOCASE,
    title TEXT NOT NULL, display_code TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
    time_zone TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1);
CREATE TABLE enrollments(
    user_id INTEGER NOT NULL, course_id INTEGER NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY(user_id, course_id));
CREATE TABLE items(
    item_id INTEGER PRIMARY KEY, course_id INTEGER NOT NULL, position INTEGER NOT NULL,
    parent_id INTEGER, title TEXT NOT NULL, content_type TEXT NOT NULL,
    start TEXT, end TEXT, before_flag INTEGER NOT NULL, after_flag INTEGER NOT NULL,
    due TEXT, omit_flag INTEGER NOT NULL DEFAULT 0);
CREATE INDEX items_by_course ON items(course_id, position);
CREATE TABLE tokens(
    token TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id INTEGER NOT NULL,
    expires REAL NOT NULL);
CREATE TABLE nonces(nonce TEXT PRIMARY KEY, seen REAL NOT NULL);
CREATE TABLE clocks(
    user_id INTEGER PRIMARY KEY, course_id INTEGER NOT NULL, item_id INTEGER NOT NULL,
    started REAL NOT NULL);
CREATE TABLE time_on_task(
    user_id INTEGER NOT NULL, course_id INTEGER NOT NULL, item_id INTEGER NOT NULL,
    seconds REAL NOT NULL);
CREATE TABLE entries(
    token TEXT PRIMARY KEY, user_id INTEGER NOT NULL, course_id INTEGER NOT NULL,
    expires REAL NOT NULL, exit_url TEXT, logout_url TEXT);
CREATE TABLE activity(
    activity_id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, course_id INTEGER NOT NULL,
    type TEXT NOT NULL, posted TEXT NOT NULL, verb TEXT NOT NULL, object_ref INTEGER NOT NULL,
    summary TEXT NOT NULL, target_ref INTEGER NOT NULL, target_title TEXT NOT NULL,
    target_type TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}');
CREATE INDEX activity_by_user ON activity(user_id, posted);
"""

SEED_VERSION = "1"

#: Written into the SQLite file header (``PRAGMA application_id``): how the sandbox knows
#: a data file as its own ("LSsb"), never another program's database.
APPLICATION_ID = 0x4C537362
#: Every table of ours, for data files written before the header mark.
SCHEMA_TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)\(", SCHEMA))
