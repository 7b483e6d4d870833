"""The generated term of sections (``--seed-sections``): there, readable, kept on reset."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from scheduler_gui.sandbox.server import start_in_thread
from scheduler_gui.sandbox.term import ITEMS_PER_SECTION, add_sections
from tests.helpers import sandbox_client


def test_sections_are_small_courses_prof_teaches(sandbox: Any) -> None:
    ids = sandbox.add_sections(12)
    assert ids[0] == 700001 and ids[-1] == 700012
    with sandbox_client(sandbox.url) as client:
        by_ccn = client.get_schedule("ccn=TERM-0012")
        assert by_ccn.course_id == "700012" and len(by_ccn) == ITEMS_PER_SECTION
        first = client.get_schedule("700001")
        explicit = [item for item in first.items if not item.is_inherited]
        assert len(explicit) == 9 and sum(item.due is not None for item in first.items) == 9
        # Sections differ a little: their quizzes start at other hours.
        quiz = next(item for item in first.items if item.title == "Quiz 1")
        other = next(item for item in by_ccn.items if item.title == "Quiz 1")
        assert quiz.start != other.start
        assert {c["id"] for c in client.my_courses()} >= {700001, 700012}


def test_seeded_sections_stay_across_a_reset_added_ones_do_not(sandbox: Any) -> None:
    sandbox.add_sections(3)
    sandbox.reset()
    assert sandbox.state.store.course(700001) is None
    with start_in_thread(sections=3) as seeded:
        httpx.post(f"{seeded.url}/_sandbox/reset").raise_for_status()
        assert add_sections(seeded.state.store, 3) == [700001, 700002, 700003]  # no change
        rows = seeded.state.store.all("SELECT COUNT(*) FROM items WHERE course_id = 700003")
        assert rows[0][0] == ITEMS_PER_SECTION


def test_schedctl_sandbox_refuses_a_silly_section_count() -> None:
    schedctl = Path(sys.executable).parent / "schedctl"
    result = subprocess.run(
        [str(schedctl), "sandbox", "--seed-sections", "-1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2 and "--seed-sections must be 0 to 5000" in result.stderr
