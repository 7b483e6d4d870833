"""Three-way merge of local edits onto the server's newer schedule."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.merge import INHERITED, MergeConflict, resolve, three_way_merge
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc

DENVER = ZoneInfo("America/Denver")
UNIT = ItemSchedule(1, "Unit 1", start=utc(2011, 2, 1, 7), end=utc(2011, 4, 1, 6))
QUIZ = ItemSchedule(
    2, "Quiz", start=utc(2011, 2, 28, 7), end=utc(2011, 3, 9, 6, 59), due=utc(2011, 3, 9, 6, 59)
)
PAGE = ItemSchedule(3, "Page", start=UNIT.start, end=UNIT.end, is_inherited=True, parent_id=1)
BASE = Schedule("123456", [UNIT, QUIZ, PAGE])


def test_edits_on_different_items_and_fields_both_survive() -> None:
    local = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 10, 6, 59))])
    remote = BASE.with_items(
        [replace(QUIZ, can_access_after_end=True), UNIT.with_dates(start=utc(2011, 2, 2, 7))]
    )
    result = three_way_merge(BASE, local, remote)
    assert result.conflicts == [] and result.clean
    merged = result.schedule.by_id
    assert merged[2].end == utc(2011, 3, 10, 6, 59)
    assert merged[2].can_access_after_end is True
    assert merged[1].start == utc(2011, 2, 2, 7)
    # Diff from the server's state shows exactly the local edit.
    assert [(c.item_id, c.field) for c in diff_schedules(remote, result.schedule).changes] == [
        (2, "end")
    ]


def test_start_edited_locally_and_end_on_the_server_merge_cleanly() -> None:
    local = BASE.with_items([QUIZ.with_dates(start=utc(2011, 3, 1, 7))])
    remote = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 16, 6, 59))])
    result = three_way_merge(BASE, local, remote)
    assert result.clean
    quiz = result.schedule.by_id[2]
    assert (quiz.start, quiz.end) == (utc(2011, 3, 1, 7), utc(2011, 3, 16, 6, 59))


def test_same_field_changed_differently_is_a_conflict_and_the_server_wins() -> None:
    local = BASE.with_items([QUIZ.with_dates(due=utc(2011, 3, 10, 6, 59))])
    remote = BASE.with_items([QUIZ.with_dates(due=utc(2011, 3, 16, 5, 59))])
    result = three_way_merge(BASE, local, remote)
    assert result.conflicts == [
        MergeConflict(2, "Quiz", "due", QUIZ.due, utc(2011, 3, 10, 6, 59), utc(2011, 3, 16, 5, 59))
    ]
    assert result.schedule.by_id[2].due == utc(2011, 3, 16, 5, 59)
    assert result.conflicts[0].describe(DENVER) == (
        '"Quiz" (id 2): due date was changed on the server to Tue 2011-03-15 23:59 MDT while '
        "you changed it to Wed 2011-03-09 23:59 MST (it was Tue 2011-03-08 23:59 MST). "
        "The server's value was kept."
    )


def test_same_change_on_both_sides_is_not_a_conflict() -> None:
    moved = QUIZ.with_dates(end=utc(2011, 3, 10, 6, 59))
    result = three_way_merge(BASE, BASE.with_items([moved]), BASE.with_items([moved]))
    assert result.clean
    assert result.schedule == BASE.with_items([moved])


def test_nothing_local_means_the_server_state_verbatim() -> None:
    remote = BASE.with_items([QUIZ.with_dates(start=utc(2011, 3, 2, 7))])
    result = three_way_merge(BASE, BASE, remote)
    assert result.clean
    assert result.schedule == remote
    assert all(a is b for a, b in zip(result.schedule.items, remote.items, strict=True))


def test_parent_moved_on_the_server_keeps_inherited_child_following_it() -> None:
    # Local made the page explicit; the server moved the unit (page's shown dates moved).
    local = BASE.with_items([PAGE.with_dates(end=utc(2011, 3, 1, 7))])
    remote = BASE.with_items(
        [
            UNIT.with_dates(start=utc(2011, 2, 8, 7)),
            replace(PAGE, start=utc(2011, 2, 8, 7)),
        ]
    )
    result = three_way_merge(BASE, local, remote)
    assert result.clean
    page = result.schedule.by_id[3]
    assert not page.is_inherited
    assert (page.start, page.end) == (UNIT.start, utc(2011, 3, 1, 7))


def test_reset_to_inherited_locally_while_server_changed_dates_conflicts() -> None:
    local = BASE.with_items([QUIZ.reset_to_inherited(UNIT.start, UNIT.end)])
    remote = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 16, 6, 59))])
    result = three_way_merge(BASE, local, remote)
    quiz = result.schedule.by_id[2]
    assert not quiz.is_inherited and quiz.end == utc(2011, 3, 16, 6, 59)
    assert [(c.field, c.local, c.remote) for c in result.conflicts] == [
        ("start", INHERITED, QUIZ.start),
        ("end", INHERITED, utc(2011, 3, 16, 6, 59)),
    ]
    assert "you changed it to inherited from its parent" in result.conflicts[1].describe(DENVER)


def test_reset_to_inherited_locally_applies_when_server_left_dates_alone() -> None:
    local = BASE.with_items([QUIZ.reset_to_inherited(UNIT.start, UNIT.end)])
    remote = BASE.with_items([replace(QUIZ, can_access_before_start=True)])
    result = three_way_merge(BASE, local, remote)
    assert result.clean
    quiz = result.schedule.by_id[2]
    assert quiz.is_inherited and quiz.can_access_before_start
    assert (quiz.start, quiz.end) == (UNIT.start, UNIT.end)


def test_item_removed_on_the_server_drops_the_local_edit_and_reports_it() -> None:
    local = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 10))])
    remote = Schedule("123456", [UNIT, PAGE])
    result = three_way_merge(BASE, local, remote)
    assert [item.item_id for item in result.schedule] == [1, 3]
    assert [(c.item_id, c.field) for c in result.conflicts] == [(2, None)]
    assert result.conflicts[0].describe(DENVER) == (
        '"Quiz" (id 2) is no longer in the course on the server; '
        "your changes to it could not be kept."
    )


def test_untouched_item_removed_on_the_server_goes_quietly() -> None:
    result = three_way_merge(BASE, BASE, Schedule("123456", [UNIT, PAGE]))
    assert result.clean and len(result.schedule) == 2


def test_item_added_on_the_server_is_kept_in_server_order() -> None:
    new = ItemSchedule(4, "New page", start=utc(2011, 3, 1))
    local = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 10))])
    remote = Schedule("123456", [UNIT, new, QUIZ, PAGE])
    result = three_way_merge(BASE, local, remote)
    assert result.clean
    assert [item.item_id for item in result.schedule] == [1, 4, 2, 3]
    assert result.schedule.by_id[4] is new
    assert result.schedule.by_id[2].end == utc(2011, 3, 10)


def test_server_extras_and_titles_win_for_merged_items() -> None:
    remote_quiz = replace(QUIZ, title="Quiz 1 (renamed)", item_extra={"links": []})
    local = BASE.with_items([QUIZ.with_dates(due=utc(2011, 3, 12))])
    result = three_way_merge(BASE, local, BASE.with_items([remote_quiz]))
    quiz = result.schedule.by_id[2]
    assert quiz.title == "Quiz 1 (renamed)" and quiz.item_extra == {"links": []}
    assert quiz.due == utc(2011, 3, 12)


# -- resolving clashes field by field (the conflict dialog's Merge) -----------------------


def test_resolve_keeps_every_clean_change_and_takes_each_clash_from_the_side_chosen() -> None:
    new_due, their_due = utc(2011, 3, 10, 6, 59), utc(2011, 3, 16, 5, 59)
    my_end, their_end = utc(2011, 3, 11, 6, 59), utc(2011, 3, 12, 6, 59)
    local = BASE.with_items([QUIZ.with_dates(due=new_due, end=my_end, start=utc(2011, 3, 1, 7))])
    remote = BASE.with_items(
        [
            replace(QUIZ.with_dates(due=their_due, end=their_end), can_access_after_end=True),
            UNIT.with_dates(start=utc(2011, 2, 2, 7)),
        ]
    )
    result = three_way_merge(BASE, local, remote)
    assert [(c.item_id, c.field) for c in result.conflicts] == [(2, "end"), (2, "due")]
    chosen = resolve(result, local, {(2, "end"): "mine", (2, "due"): "theirs"})
    quiz = chosen.by_id[2]
    assert quiz.start == utc(2011, 3, 1, 7)  # mine, no clash
    assert quiz.can_access_after_end is True  # theirs, no clash
    assert (quiz.end, quiz.due) == (my_end, their_due)  # as chosen
    assert chosen.by_id[1].start == utc(2011, 2, 2, 7)  # their other item
    assert resolve(result, local, {}) == result.schedule  # unanswered: the server's value


def test_resolving_an_inherit_clash_as_mine_takes_both_dates_together() -> None:
    local = BASE.with_items([QUIZ.reset_to_inherited(UNIT.start, UNIT.end)])
    remote = BASE.with_items([QUIZ.with_dates(end=utc(2011, 3, 16, 6, 59))])
    result = three_way_merge(BASE, local, remote)
    quiz = resolve(result, local, {(2, "end"): "mine"}).by_id[2]  # only end answered
    assert quiz.is_inherited and (quiz.start, quiz.end) == (UNIT.start, UNIT.end)
