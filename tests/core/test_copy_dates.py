"""core.copy_dates: matching by title path, manual mapping, shifting and time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from scheduler_gui.core.copy_dates import (
    CopyDatesError,
    MatchKind,
    copy_dates,
    match_items,
    normalise,
    report_lines,
    title_path,
)
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, ShiftSpec

DENVER = ZoneInfo("America/Denver")


def at(day: str, hour: int = 0, minute: int = 0, tz: ZoneInfo = DENVER) -> datetime:
    y, m, d = (int(part) for part in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=tz).astimezone(UTC)


def item(item_id: int, title: str, parent: int | None = None, **kw: object) -> ItemSchedule:
    return ItemSchedule(item_id, title, parent_id=parent, **kw)  # type: ignore[arg-type]


def master() -> Schedule:
    return Schedule(
        "100",
        [
            item(1, "Unit 1", start=at("2011-01-10"), end=at("2011-01-16", 23, 59)),
            item(2, "Reading", 1, is_inherited=True, start=at("2011-01-10"),
                 end=at("2011-01-16", 23, 59)),
            item(3, "Assignment 1", 1, start=at("2011-01-11", 8), end=at("2011-01-16", 23, 59),
                 due=at("2011-01-14", 23, 59), can_access_after_end=True),
            item(4, "Unit 2", start=at("2011-03-07"), end=at("2011-03-20", 23, 59)),
            item(5, "Reading", 4, start=at("2011-03-08"), end=at("2011-03-12", 23, 59)),
            item(6, "Assignment 1", 4, due=at("2011-03-08", 23, 59), is_inherited=True,
                 start=at("2011-03-07"), end=at("2011-03-20", 23, 59)),
            item(7, "Quiz 2", 4, start=at("2011-03-09"), end=at("2011-03-10")),
            item(8, "Final Exam", start=at("2011-04-20", 8), end=at("2011-04-20", 10)),
        ],
    )  # fmt: skip


def section() -> Schedule:
    """The master's tree with other ids, old dates and differences."""
    old = at("2010-09-01")
    return Schedule(
        "200",
        [
            item(11, "unit  1", start=old, end=old),
            item(12, "READING", 11, start=old, end=old),  # explicit here, inherited in master
            item(13, "Assignment 1", 11, start=old, end=old),
            item(14, "Unit 2", start=old, end=old),
            item(15, "Reading", 14, is_inherited=True, start=old, end=old),
            item(16, "Assignment 1", 14, start=old, end=old),
            item(17, "Quiz Two", 14, start=old, end=old),  # renamed
            item(19, "Welcome", start=old, end=old),  # extra
            item(18, "Final Exam", 14, start=old, end=old),  # moved: unique title
        ],
    )  # fmt: skip


def test_title_path_joins_the_unit_tree_and_normalise_ignores_case_and_spacing() -> None:
    src = master()
    assert title_path(src, src.by_id[6]) == "Unit 2 / Assignment 1"
    assert normalise("  Unit\t2 /  ASSIGNMENT 1 ") == "unit 2 / assignment 1"


def test_items_match_by_path_then_unique_title_and_the_rest_is_reported() -> None:
    matching = match_items(master(), section())
    pairs = {m.source_id: (m.target_id, m.kind) for m in matching.matches}
    assert pairs == {
        1: (11, MatchKind.PATH),
        2: (12, MatchKind.PATH),
        3: (13, MatchKind.PATH),  # "Assignment 1" twice: the path tells them apart
        4: (14, MatchKind.PATH),
        5: (15, MatchKind.PATH),
        6: (16, MatchKind.PATH),
        8: (18, MatchKind.TITLE),  # another unit in the target, but a unique title
    }
    assert [i.item_id for i in matching.unmatched_source] == [7]
    assert [i.item_id for i in matching.unmatched_target] == [17, 19]


def test_copy_gives_matched_items_the_source_schedule_and_inheritance() -> None:
    src, dst = master(), section()
    result = copy_dates(src, dst)
    new = result.schedule.by_id
    assert (new[13].start, new[13].end, new[13].due) == (src.by_id[3].start, src.by_id[3].end,
                                                         src.by_id[3].due)  # fmt: skip
    assert new[13].can_access_after_end is True
    assert new[12].is_inherited  # inherited in the source -> inherited in the target
    assert (new[12].start, new[12].end) == (new[11].start, new[11].end)  # shows its unit's
    assert not new[15].is_inherited and new[15].start == src.by_id[5].start
    assert new[17] == dst.by_id[17] and new[19] == dst.by_id[19]  # unmatched keep theirs
    assert result.schedule.course_id == "200"
    assert {i.item_id for i in result.changed} == {11, 12, 13, 14, 15, 16, 18}
    lines = report_lines(result, src, dst)
    assert "Matched 7 of 8 source items" in lines[0]
    assert any("7  Unit 2 / Quiz 2" in line for line in lines)
    assert any("17  Unit 2 / Quiz Two" in line for line in lines)


def test_a_manual_mapping_pairs_unmatched_items_and_wins_over_matching() -> None:
    result = copy_dates(master(), section(), mapping={7: 17, 8: 19})
    kinds = {m.source_id: (m.target_id, m.kind) for m in result.matching.matches}
    assert kinds[7] == (17, MatchKind.MANUAL)
    assert kinds[8] == (19, MatchKind.MANUAL)
    assert result.schedule.by_id[17].start == at("2011-03-09")
    assert result.schedule.by_id[19].start == at("2011-04-20", 8)
    assert [i.item_id for i in result.matching.unmatched_target] == [18]
    assert not result.matching.unmatched_source


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({99: 17}, "99 is not an item of course 100"),
        ({7: 99}, "99 is not an item of course 200"),
        ({7: 17, 8: 17}, "7 and 8 are both mapped to 17"),
    ],
)
def test_a_bad_mapping_is_refused_with_the_reason(mapping: dict[int, int], message: str) -> None:
    with pytest.raises(CopyDatesError, match=message):
        match_items(master(), section(), mapping)


def test_shifting_on_the_way_keeps_the_wall_clock_across_dst() -> None:
    # 2011-03-08 23:59 MST + 7 days = 2011-03-15 23:59 MDT (DST began 2011-03-13).
    spec = ShiftSpec(ByDays(7))
    result = copy_dates(master(), section(), shift=spec, source_tz=DENVER, target_tz=DENVER)
    assert result.schedule.by_id[16].due == at("2011-03-15", 23, 59)
    assert result.schedule.by_id[16].due == datetime(2011, 3, 16, 5, 59, tzinfo=UTC)
    assert result.shift is not None and result.shift.days == 7
    assert master().by_id[6].due == datetime(2011, 3, 9, 6, 59, tzinfo=UTC)  # source untouched


def test_between_time_zones_dates_keep_their_local_time() -> None:
    new_york = ZoneInfo("America/New_York")
    result = copy_dates(master(), section(), source_tz=DENVER, target_tz=new_york)
    assert result.schedule.by_id[16].due == at("2011-03-08", 23, 59, tz=new_york)
    same_zone = copy_dates(master(), section(), source_tz=DENVER, target_tz=DENVER)
    assert same_zone.schedule.by_id[16].due == master().by_id[6].due


def test_copying_onto_an_identical_course_changes_nothing() -> None:
    src = master()
    twin = Schedule("300", src.items)
    result = copy_dates(src, twin)
    assert result.changed == () and result.schedule == twin
