"""``schedctl copy-dates`` against the sandbox: DEMO-101 (master) onto its section
DEMO-101-02, whose tree differs (one renamed item, one by case and spacing only, one
missing, one extra)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.core.codec import parse
from scheduler_gui.core.model import ItemSchedule
from scheduler_gui.store.logs import close_logging
from tests.helpers import puts_sent, schedctl_login
from tests.helpers import schedctl as run

MASTER, SECTION, OTHER = "123456", "123457", "234567"


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    schedctl_login(monkeypatch, sandbox.url, "admin", retries=0)
    yield sandbox
    close_logging()


def items(capsys: pytest.CaptureFixture[str], course: str) -> dict[str, ItemSchedule]:
    """The course's items on the server, by title (stripped)."""
    code, out, err = run(capsys, "get", course)
    assert code == 0, err
    return {item.title.strip(): item for item in parse(out.encode(), course).items}


def test_dry_run_lists_the_unmatched_items_of_both_courses_and_sends_nothing(
    env: Any, capsys: Any
) -> None:
    before = items(capsys, SECTION)
    code, out, err = run(capsys, "copy-dates", MASTER, SECTION, "--dry-run")
    assert code == 0, err
    master = items(capsys, MASTER)
    assert "Matched 65 of 67 source items" in out
    assert f"{master['Quiz 2'].item_id}  Module 1: Foundations / Week 2 / Quiz 2" in out
    assert "Week 3 / Week 3 Discussion" in out
    assert f"{before['Quiz Two'].item_id}  Module 1: Foundations / Week 2 / Quiz Two" in out
    assert f"{before['Section 2 Welcome'].item_id}  Section 2 Welcome" in out
    assert "Dry run: nothing was sent." in err
    assert items(capsys, SECTION) == before
    assert puts_sent() == []


def test_copy_with_a_hand_mapping_writes_the_masters_dates_to_the_section(
    env: Any, capsys: Any
) -> None:
    master, before = items(capsys, MASTER), items(capsys, SECTION)
    mapping = f"{master['Quiz 2'].item_id}={before['Quiz Two'].item_id}"

    code, out, err = run(capsys, "--yes", "copy-dates", MASTER, SECTION, "--map", mapping)

    assert code == 0, err
    assert "Matched 66 of 67 source items" in out and "1 by hand" in out
    assert "more line(s): --dry-run shows all" in out  # a long diff is cut before writing
    after = items(capsys, SECTION)
    for title in ("Quiz 1", "Midterm Exam", "Module 2: Practice", "Final Exam"):
        assert after[title].start == master[title].start, title
        assert after[title].end == master[title].end, title
        assert after[title].due == master[title].due, title
    assert (after["Quiz Two"].start, after["Quiz Two"].due) == (
        master["Quiz 2"].start,
        master["Quiz 2"].due,
    )
    # Matched despite case and spacing ("  week 4   OVERVIEW "): it stays inherited.
    assert after["week 4   OVERVIEW"].is_inherited
    assert after["Assignment 1"].is_inherited and after["Assignment 1"].due == (
        master["Assignment 1"].due
    )
    assert after["Section 2 Welcome"] == before["Section 2 Welcome"]
    last = out.rstrip().splitlines()[-1]
    assert last.split()[0] == SECTION and "saved and verified" in last
    assert len(puts_sent()) == 1


def test_map_file_and_a_shift_keep_the_wall_clock_across_dst(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    master, section = items(capsys, MASTER), items(capsys, SECTION)
    csv = tmp_path / "map.csv"
    csv.write_text(f"from,to\n{master['Quiz 2'].item_id},{section['Quiz Two'].item_id}\n")

    code, _, err = run(
        capsys, "--yes", "copy-dates", MASTER, SECTION, "--map-file", str(csv), "--days", "7"
    )

    assert code == 0, err
    after = items(capsys, SECTION)
    # Master: Assignment 1 due Mon 2011-03-07 23:59 MST (the API page's example); a week
    # later, after the switch to daylight saving, it is due Mon 23:59 MDT.
    assert master["Assignment 1"].due == datetime(2011, 3, 8, 6, 59, tzinfo=UTC)
    assert after["Assignment 1"].due == datetime(2011, 3, 15, 5, 59, tzinfo=UTC)
    assert after["Quiz Two"].due is not None and master["Quiz 2"].due is not None
    assert (after["Quiz Two"].due - master["Quiz 2"].due).days == 7


def test_several_targets_each_get_a_save_and_a_line_in_the_summary(env: Any, capsys: Any) -> None:
    before_other = items(capsys, OTHER)
    code, out, err = run(capsys, "--yes", "copy-dates", MASTER, SECTION, OTHER)
    assert code == 0, err
    table = out[out.index("Course  Changed") :].splitlines()
    assert table[1].split()[0] == SECTION and "saved and verified" in table[1]
    assert table[2].split()[:2] == [OTHER, "0"] and "nothing to save" in table[2]
    assert items(capsys, OTHER) == before_other
    assert len(puts_sent()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--map", "12-34"], "--map: '12-34' is not FROM_ID=TO_ID"),
        (["--map", "987600010=5"], "5 is not an item of course(s) 123457"),
        (["--keep-weekdays"], "go with --days, --to-start or --fit"),
        (["--anchor", "1"], "--anchor go with --days"),
        ([OTHER, OTHER], "Each course may appear once"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    env: Any, capsys: Any, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--yes", "copy-dates", MASTER, SECTION, *argv)
    assert code == 2
    assert message in err
    assert puts_sent() == []
