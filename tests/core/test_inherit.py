"""The inheritance rule (core.inherit) on small trees a reader can check by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler_gui.core.inherit import descendants, follow_ancestors, window_source
from scheduler_gui.core.merge import three_way_merge
from scheduler_gui.core.model import ItemSchedule, Schedule

DAY = datetime(2011, 1, 10, 7, tzinfo=UTC)
TERM = (DAY, DAY + timedelta(days=120))


def d(n: int) -> datetime:
    return DAY + timedelta(days=n)


def item(
    item_id: int,
    parent: int | None,
    own: tuple[int, int] | None,
    shows: tuple[datetime, datetime] = TERM,
) -> ItemSchedule:
    start, end = (d(own[0]), d(own[1])) if own is not None else shows
    return ItemSchedule(item_id, f"Item {item_id}", start, end, is_inherited=own is None,
                        parent_id=parent)  # fmt: skip


def shown(items: list[ItemSchedule]) -> dict[int, tuple[datetime | None, datetime | None]]:
    by_id = {i.item_id: i for i in items}
    by_id.update({k: f.item for k, f in follow_ancestors(by_id).items()})
    return {k: (v.start, v.end) for k, v in by_id.items()}


def test_inherited_item_shows_its_nearest_explicit_ancestor() -> None:
    # unit 1 (own 0..30) > unit 2 (inherits) > page 3 (inherits); unit 4 (own) > page 5
    result = shown([item(1, None, (0, 30)), item(2, 1, None), item(3, 2, None),
                    item(4, 1, (5, 9)), item(5, 4, None)])  # fmt: skip
    assert result[2] == result[3] == (d(0), d(30))
    assert result[5] == (d(5), d(9))


def test_without_an_explicit_ancestor_the_top_of_the_chain_gives_the_course_dates() -> None:
    # Page 2 was just reset to inherited under unit 1, which inherits from the course.
    page = item(2, 1, None, shows=(d(3), d(4)))  # still showing its old own dates
    assert shown([item(1, None, None), page])[2] == TERM
    # A parent the course does not list counts as the top.
    assert shown([item(3, 99, None, shows=(d(3), d(4)))])[3] == (d(3), d(4))


def test_a_cycle_of_parents_keeps_what_it_shows() -> None:
    a, b = item(1, 2, None, shows=(d(1), d(2))), item(2, 1, None, shows=(d(3), d(4)))
    assert shown([a, b]) == {1: (d(1), d(2)), 2: (d(3), d(4))}
    assert window_source({1: a, 2: b}, 1) is None


def test_due_dates_are_the_items_own() -> None:
    page = ItemSchedule(2, "Page", *TERM, is_inherited=True, due=d(50), parent_id=1)
    followed = follow_ancestors({1: item(1, None, (0, 30)), 2: page})[2]
    assert followed.item.due == d(50) and followed.source_id == 1


def test_descendants_cut_cycles() -> None:
    assert sorted(descendants({1: [2, 3], 3: [4], 4: [1]}, [1])) == [1, 2, 3, 4]


def test_merge_moves_what_inherits_from_a_unit_moved_locally() -> None:
    # The merge bug the rule's property test found: unit 2 got its own dates locally,
    # page 3 inherits from it; the server changed another item meanwhile. The merged
    # page showed the unit's old dates.
    base = Schedule("1", [item(1, None, (0, 9)), item(2, None, None), item(3, 2, None)])
    local = Schedule("1", [item(1, None, (0, 9)), item(2, None, (1, 20)),
                           item(3, 2, None, shows=(d(1), d(20)))])  # fmt: skip
    remote = base.with_items([item(1, None, (0, 10))])
    merged = three_way_merge(base, local, remote)
    assert merged.clean
    page = merged.schedule.by_id[3]
    assert page.is_inherited and (page.start, page.end) == (d(1), d(20))
