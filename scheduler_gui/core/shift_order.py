"""One course's shift as a batch carries it: what the user asked, as plain values.

A :class:`ShiftOrder` is what a row of a rollover plan, the options of ``schedctl shift``
or the Batch window say about one course: how to move its dates (``--days``,
``--to-start`` or ``--fit``), in which time zone, off which holidays and blackouts. It
is plain data (JSON in and out) so that a batch journal can keep it and an interrupted
batch can be resumed exactly as it was planned; :meth:`ShiftOrder.spec` turns it into the
:class:`~.shift.ShiftSpec` that :func:`~.shift.shift_schedule` applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .days_off import DaysOff, DaysOffError
from .model import DATE_FIELDS
from .shift import ByDays, Fit, ShiftError, ShiftMode, ShiftSpec, ToStart

MODES = ("days", "to_start", "fit")


class OrderError(ValueError):
    """An order that cannot be carried out; the message names the field and the fix."""


@dataclass(frozen=True)
class ShiftOrder:
    """How to shift one course (see the module docstring).

    Attributes:
        course: numeric course id or ``ccn=CALLNUMBER`` as the user wrote it.
        mode: ``days``, ``to_start`` or ``fit``.
        days: with ``days``: calendar days to move (negative: back).
        to_start: with ``to_start``: the date the earliest date in the units (or the
            anchor's) lands on.
        anchor: with ``to_start``: the item whose earliest date lands on ``to_start``.
        fit: with ``fit``: old start, old end, new start, new end.
        time_zone: IANA zone for the wall clock; empty = the course's usual zone.
        holidays: holiday region (``US``, ``US-CO``); empty = none.
        blackouts: ``DATE`` or ``DATE..DATE`` texts.
        keep_weekdays, skip_backward: as in ``schedctl shift``.
        only: item ids to shift (units bring everything under them); empty = all.
        columns: which dates to shift.
    """

    course: str
    mode: str
    days: int | None = None
    to_start: date | None = None
    anchor: int | None = None
    fit: tuple[date, date, date, date] | None = None
    time_zone: str = ""
    holidays: str = ""
    blackouts: tuple[str, ...] = ()
    keep_weekdays: bool = False
    skip_backward: bool = False
    only: tuple[int, ...] = ()
    columns: tuple[str, ...] = DATE_FIELDS
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise OrderError(f"unknown shift {self.mode!r}: use days, to_start or fit")
        needed = {"days": self.days, "to_start": self.to_start, "fit": self.fit}[self.mode]
        if needed is None:
            raise OrderError(f"a '{self.mode}' shift needs its value")

    @property
    def needs_parents(self) -> bool:
        """Whether the unit tree is needed: ``only`` brings the items under a unit, and a
        move to a new start without an anchor starts the term with the course's units
        (not with an old page at the top of the course)."""
        return bool(self.only) or (self.mode == "to_start" and self.anchor is None)

    def with_course(self, course: str) -> ShiftOrder:
        return replace(self, course=course)

    def spec(self) -> ShiftSpec:
        """The :class:`ShiftSpec` to apply; :class:`OrderError` says what is wrong."""
        try:
            mode: ShiftMode
            if self.mode == "days":
                assert self.days is not None
                mode = ByDays(self.days)
            elif self.mode == "to_start":
                assert self.to_start is not None
                mode = ToStart(self.to_start, self.anchor)
            else:
                assert self.fit is not None
                mode = Fit(*self.fit)
            days_off = DaysOff.parse(self.holidays or None, self.blackouts)
            return ShiftSpec(
                mode=mode,
                keep_weekdays=self.keep_weekdays,
                days_off=days_off or None,
                skip_backward=self.skip_backward,
                only=frozenset(self.only) or None,
                columns=frozenset(self.columns),
            )
        except (ShiftError, DaysOffError) as exc:
            raise OrderError(str(exc)) from None

    def describe(self) -> str:
        """A short human text: ``+7 days``, ``to start 2012-01-09``, ``fit ... onto ...``."""
        if self.mode == "days":
            text = f"{self.days:+d} days"
        elif self.mode == "to_start":
            assert self.to_start is not None
            text = f"to start {self.to_start.isoformat()}"
            if self.anchor is not None:
                text += f" (item {self.anchor})"
        else:
            assert self.fit is not None
            old_start, old_end, new_start, new_end = (d.isoformat() for d in self.fit)
            text = f"fit {old_start}..{old_end} onto {new_start}..{new_end}"
        extras = []
        if self.keep_weekdays:
            extras.append("weekdays kept")
        if self.holidays:
            extras.append(f"{self.holidays} holidays skipped")
        if self.blackouts:
            extras.append(f"{len(self.blackouts)} blackout(s)")
        return text + (f", {', '.join(extras)}" if extras else "")

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values; :meth:`from_json` reads them back."""
        data: dict[str, Any] = {"course": self.course, "mode": self.mode}
        if self.days is not None:
            data["days"] = self.days
        if self.to_start is not None:
            data["toStart"] = self.to_start.isoformat()
        if self.anchor is not None:
            data["anchor"] = self.anchor
        if self.fit is not None:
            data["fit"] = [day.isoformat() for day in self.fit]
        optional: dict[str, Any] = {
            "timeZone": self.time_zone,
            "holidays": self.holidays,
            "blackouts": list(self.blackouts),
            "keepWeekdays": self.keep_weekdays,
            "skipBackward": self.skip_backward,
            "only": list(self.only),
        }
        data.update({key: value for key, value in optional.items() if value})
        if tuple(self.columns) != DATE_FIELDS:
            data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_json(cls, data: Any) -> ShiftOrder:
        """Read :meth:`to_json`'s output; :class:`OrderError` if it is not one."""
        if not isinstance(data, dict):
            raise OrderError("not a shift order")
        try:
            fit = data.get("fit")
            return cls(
                course=str(data["course"]),
                mode=str(data["mode"]),
                days=int(data["days"]) if "days" in data else None,
                to_start=date.fromisoformat(data["toStart"]) if "toStart" in data else None,
                anchor=int(data["anchor"]) if "anchor" in data else None,
                fit=_four_days(fit) if fit is not None else None,
                time_zone=str(data.get("timeZone", "")),
                holidays=str(data.get("holidays", "")),
                blackouts=tuple(str(text) for text in data.get("blackouts", ())),
                keep_weekdays=bool(data.get("keepWeekdays", False)),
                skip_backward=bool(data.get("skipBackward", False)),
                only=tuple(int(item) for item in data.get("only", ())),
                columns=tuple(str(name) for name in data.get("columns", DATE_FIELDS)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, OrderError):
                raise
            raise OrderError(f"not a shift order ({exc})") from None


def _four_days(values: Any) -> tuple[date, date, date, date]:
    days = [date.fromisoformat(str(value)) for value in values]
    if len(days) != 4:
        raise OrderError("fit needs four dates: old start, old end, new start, new end")
    return days[0], days[1], days[2], days[3]


__all__ = ["MODES", "OrderError", "ShiftOrder"]
