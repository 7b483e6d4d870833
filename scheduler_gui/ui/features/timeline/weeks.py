"""The week labels under the timeline's months: every label says which Monday it is.

The week number of the term is the first thing dropped when space runs short, the date
never: "Week 3 · Jan 24", then "W3 · Jan 24", "W3 · 24", "24". Zoomed out further, only
every second (fourth, …) Monday is labelled, with its month and day, so a label never
stands for a week without a date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

PADDING = 8  # pixels a label keeps free around its text
_STEPS = (1, 2, 4, 8, 16, 32)


@dataclass(frozen=True, slots=True)
class WeekLabel:
    """The label of the week starting on ``monday``, at ``x``; ``week`` is the term's week
    number (None outside the term)."""

    monday: date
    x: float
    text: str
    week: int | None


def _choices(monday: date, week: int | None, step: int) -> list[str]:
    month_day = f"{monday:%b} {monday.day}"
    if step > 1:  # one label for several weeks: the date, with its month
        return [f"W{week} · {month_day}", month_day] if week is not None else [month_day]
    if week is None:
        return [month_day, f"{monday.day}"]
    return [f"Week {week} · {month_day}", f"W{week} · {month_day}", f"W{week} · {monday.day}",
            f"{monday.day}"]  # fmt: skip


def week_labels(
    mondays: Iterable[tuple[date, float]],
    term: tuple[date, date],
    week_width: float,
    text_width: Callable[[str], float],
) -> list[WeekLabel]:
    """Labels for the Mondays in sight (``(day, x)`` pairs), in a week ``week_width`` wide.

    ``term`` is the term's first Monday and last day; ``text_width`` measures a text.
    """
    first, last = term
    widest_day = text_width("28") + PADDING
    widest_month_day = text_width("Sep 28") + PADDING
    step = next(
        (s for s in _STEPS if (widest_day if s == 1 else widest_month_day) < s * week_width),
        _STEPS[-1],
    )
    room = step * week_width
    shown: list[tuple[date, float, int | None, list[str]]] = []
    for monday, x in mondays:
        # Which Mondays carry a label depends on the date, not on the scroll position.
        if (monday.toordinal() // 7) % step == 0:
            week = (monday - first).days // 7 + 1 if first <= monday <= last else None
            shown.append((monday, x, week, _choices(monday, week, step)))
    # One form for all the weeks of the term (and one for those outside): the longest
    # that fits every one of them, so the labels do not change shape along the axis.
    level: dict[bool, int] = {}
    for _monday, _x, week, choices in shown:
        fits = next((i for i, c in enumerate(choices) if text_width(c) + PADDING < room), None)
        key = week is not None
        level[key] = max(level.get(key, 0), len(choices) if fits is None else fits)
    labels = []
    for monday, x, week, choices in shown:
        index = level[week is not None]
        if index < len(choices) and text_width(choices[index]) + PADDING < room:
            labels.append(WeekLabel(monday, x, choices[index], week))
    return labels
