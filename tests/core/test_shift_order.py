"""ShiftOrder: one course's shift as plain data, JSON round trip, spec and errors."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler_gui.core.shift import ByDays, Fit, ToStart
from scheduler_gui.core.shift_order import OrderError, ShiftOrder


def test_json_round_trip_keeps_every_field() -> None:
    order = ShiftOrder(
        course="ccn=TERM-0001",
        mode="fit",
        fit=(date(2011, 1, 10), date(2011, 5, 1), date(2012, 1, 9), date(2012, 4, 29)),
        time_zone="America/Denver",
        holidays="US-CO",
        blackouts=("2012-03-19..2012-03-23",),
        keep_weekdays=True,
        only=(5, 7),
        columns=("start", "due"),
    )
    assert ShiftOrder.from_json(order.to_json()) == order
    days = ShiftOrder(course="700001", mode="days", days=-3)
    assert days.to_json() == {"course": "700001", "mode": "days", "days": -3}
    assert ShiftOrder.from_json(days.to_json()) == days


def test_spec_builds_the_mode_and_days_off() -> None:
    spec = ShiftOrder(course="1", mode="to_start", to_start=date(2012, 1, 9), anchor=4).spec()
    assert spec.mode == ToStart(date(2012, 1, 9), 4) and spec.days_off is None
    spec = ShiftOrder(course="1", mode="days", days=7, holidays="US").spec()
    assert spec.mode == ByDays(7) and spec.days_off is not None
    fit = (date(2011, 1, 10), date(2011, 5, 1), date(2012, 1, 9), date(2012, 4, 29))
    assert ShiftOrder(course="1", mode="fit", fit=fit).spec().mode == Fit(*fit)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mode": "weeks", "days": 1}, "unknown shift 'weeks'"),
        ({"mode": "days"}, "a 'days' shift needs its value"),
    ],
)
def test_an_order_without_what_it_needs_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(OrderError, match=message):
        ShiftOrder(course="1", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (ShiftOrder(course="1", mode="days", days=1, holidays="ZZ"), "no holiday calendar"),
        (ShiftOrder(course="1", mode="days", days=1, blackouts=("2012-13-01",)), "not a date"),
        (
            ShiftOrder(
                course="1",
                mode="fit",
                fit=(date(2011, 5, 1), date(2011, 1, 10), date(2012, 1, 9), date(2012, 4, 29)),
            ),
            "old term must end after it starts",
        ),
    ],
)
def test_spec_errors_say_what_to_fix(order: ShiftOrder, message: str) -> None:
    with pytest.raises(OrderError, match=message):
        order.spec()


def test_damaged_json_is_an_order_error() -> None:
    with pytest.raises(OrderError):
        ShiftOrder.from_json({"course": "1", "mode": "days", "days": "many"})
    with pytest.raises(OrderError):
        ShiftOrder.from_json(["not", "a", "dict"])
    with pytest.raises(OrderError, match="four dates"):
        ShiftOrder.from_json({"course": "1", "mode": "fit", "fit": ["2011-01-01"]})
