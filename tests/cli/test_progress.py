"""The batch's progress on a terminal (one bar redrawn in place, failures above it) and
in a log (one plain line per course)."""

from __future__ import annotations

import io

from scheduler_gui.cli.progress import BatchProgress
from scheduler_gui.session.batch import ALREADY_DONE, DONE, FAILED_STATUS, CourseResult


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_bar_counts_done_failed_and_left() -> None:
    screen = Terminal()
    progress = BatchProgress(3, "Writing", stream=screen)
    assert progress.bar
    progress.finished(CourseResult("700001", "700001", DONE, changed_items=12))
    progress.finished(CourseResult("700002", "700002", FAILED_STATUS, error="server error"))
    progress.finished(CourseResult("700003", "700003", ALREADY_DONE))
    progress.close()
    text = screen.getvalue()
    assert "Course 700002 failed: server error\n" in text
    last = text.rsplit("\r\033[K", 1)[-1]
    assert last.startswith("Writing [########################] 3/3  done 2  failed 1  left 0")
    assert last.endswith("ETA -\n")


def test_without_a_terminal_each_course_is_one_plain_line() -> None:
    log = io.StringIO()
    progress = BatchProgress(2, "Writing", stream=log)
    assert not progress.bar
    progress.finished(CourseResult("ccn=TERM-0001", "700001", DONE, changed_items=12))
    progress.finished(CourseResult("700002", "700002", FAILED_STATUS, error="not allowed"))
    progress.close()
    assert log.getvalue().splitlines() == [
        "[1/2] course 700001: saved 12 changed item(s) and verified",
        "[2/2] course 700002: FAILED: not allowed",
    ]
    assert "\r" not in log.getvalue()
