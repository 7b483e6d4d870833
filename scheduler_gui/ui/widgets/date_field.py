"""A date-time field that takes what was typed, read by the one parser in core.

Qt's ``QDateTimeEdit`` edits one section at a time: typing ``2012-01-22 23:59`` over
``2011-01-21 23:59`` kept the year (2011-01-22), silently. :class:`DateField` is a line
edit instead; its text is read by :func:`~scheduler_gui.core.date_text.parse_date_text`
(the forms the README lists, as in a spreadsheet), an ambiguous slash date is refused
rather than guessed, and a date typed without a time keeps the field's time of day. The
calendar button picks a day and keeps the time. What cannot be read is reported through
:attr:`DateField.problem_changed`, for an inline message; the value is never changed
behind the user's back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.date_text import (
    DateTextError,
    TypedDate,
    parse_date_text,
    to_instant,
)

from .icons import icon
from .theme import cell_colours

EXAMPLE = "2011-03-08 23:59"


def wall_text(value: datetime, seconds: bool | None = None) -> str:
    """``2011-03-08 23:59`` (``:ss`` when ``seconds``, or when set if None): as shown."""
    with_seconds = bool(value.second) if seconds is None else seconds
    return value.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


class DateField(QLineEdit):
    """Type a date (and time) in the course time zone; see the module doc."""

    #: The message for what was typed ("" once it reads well again).
    problem_changed = Signal(str)

    def __init__(
        self,
        zone: ZoneInfo,
        *,
        clearable: bool = False,
        default_time: time = time(0, 0),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.zone = zone
        self.clearable = clearable
        self.default_time = default_time
        self._current: datetime | None = None  # the field's value now (UTC): its time is kept
        self._problem = ""
        self.calendar_popup: CalendarPopup | None = None
        self.calendar_action = QAction(icon("calendar"), "Pick a day", self)
        self.calendar_action.setToolTip("Pick a day in a calendar (the time of day is kept)")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.setPlaceholderText(f"e.g. {EXAMPLE}")
        self.setAccessibleName("Date and time")
        self.setToolTip(
            f"Type a date and time ({EXAMPLE}, 08.03.2011 23:59, 8 Mar 2011, "
            "March 8, 2011 5:00 PM); a date alone keeps the time of day."
            + (" Empty: no date." if clearable else "")
        )
        self.textEdited.connect(self._recheck)

    # ------------------------------------------------------------------ value

    def set_value(self, value: datetime | None, seconds: bool | None = None) -> None:
        """Show ``value`` (any aware datetime) in the field's zone; None: empty.

        It also becomes the field's current value, whose time of day a typed date keeps.
        """
        self._current = value
        self.setText("" if value is None else wall_text(value.astimezone(self.zone), seconds))
        self._set_problem("")

    def typed(self) -> TypedDate | None:
        """What the text says (None when empty). Raises DateTextError."""
        return parse_date_text(self.text())

    def value(self) -> datetime | None:
        """The UTC instant typed (None: empty and clearable). Raises DateTextError."""
        typed = self.typed()
        if typed is None:
            if self.clearable:
                return None
            raise DateTextError(f"type a date, e.g. {EXAMPLE}")
        return to_instant(typed, self._current, self.zone, self.default_time)

    def check(self) -> bool:
        """Read the text; show (and return False for) what is wrong with it."""
        try:
            self.value()
        except DateTextError as exc:
            self._set_problem(_sentence(str(exc)))
            return False
        self._set_problem("")
        return True

    def problem(self) -> str:
        return self._problem

    def _recheck(self) -> None:
        # Quiet while typing; once a problem is shown, it goes as soon as it is fixed.
        if self._problem:
            self.check()

    def _set_problem(self, text: str) -> None:
        if text == self._problem:
            return
        self._problem = text
        palette = QPalette()  # nothing set: the field follows its parent's palette again
        if text:
            palette.setColor(QPalette.ColorRole.Text, cell_colours().error_fg)
        self.setPalette(palette)
        self.setAccessibleDescription(text)
        self.problem_changed.emit(text)

    # ------------------------------------------------------------------ calendar

    def open_calendar(self) -> None:
        """Show the calendar under the field, on the typed day (else the current one)."""
        try:
            typed = self.typed()
        except DateTextError:
            typed = None
        shown = typed if typed is not None else self._current
        if isinstance(shown, datetime):
            shown = shown.astimezone(self.zone).date() if shown.tzinfo else shown.date()
        popup = CalendarPopup(self)
        popup.calendar.setSelectedDate(_qdate(shown or datetime.now(self.zone).date()))
        popup.picked.connect(self._picked)
        self.calendar_popup = popup
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        popup.calendar.setFocus()

    def _picked(self, day: date) -> None:
        """The day from the calendar, at the typed time of day (else the current one)."""
        try:
            typed = self.typed()
        except DateTextError:
            typed = None
        if isinstance(typed, datetime):
            clock = typed.astimezone(self.zone).time() if typed.tzinfo else typed.time()
        elif self._current is not None:
            clock = self._current.astimezone(self.zone).time()
        else:
            clock = self.default_time
        self.setText(wall_text(datetime.combine(day, clock)))
        self.check()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # As in a spreadsheet cell: the whole value is selected, so typing replaces it.
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.selectAll()


Day = date  # for annotations inside DayField, whose date() method hides the type there
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not %a: the C locale follows Qt's


def day_text(value: date) -> str:
    """``Wed 2011-08-31``: a day as the day fields show it."""
    return f"{_WEEKDAYS[value.weekday()]} {value:%Y-%m-%d}"


class DayField(DateField):
    """A day without a time of day, typed as in a :class:`DateField` (same parser, same
    forms, same calendar); it stands in for a ``QDateEdit``: :meth:`date`,
    :meth:`setDate` and :attr:`dateChanged` (as soon as the text reads as another day)."""

    dateChanged = Signal(QDate)  # noqa: N815 (QDateEdit's name: a drop-in)

    def __init__(self, day: Day, parent: QWidget | None = None) -> None:
        super().__init__(ZoneInfo("UTC"), parent=parent)
        self._day = day
        self.setPlaceholderText("e.g. 2011-08-29")
        self._tip = (
            "Type a day (2011-08-29, 29.08.2011, 29 Aug 2011, Aug 29, 2011) or pick one "
            "in the calendar."
        )
        self.setToolTip(self._tip)
        self.textEdited.connect(self._read_quietly)
        self.editingFinished.connect(self._finished)
        self.setDate(day)

    def day(self) -> Day:
        """The day shown (the last one that read well, while the text does not)."""
        return self._day

    def fitting_width(self) -> int:
        """Wide enough for the longest day text (``Wed 2011-09-28``) and the calendar button."""
        return self.fontMetrics().horizontalAdvance("Wed 2011-09-28") + 48

    def typed_day(self) -> Day:
        """The day the text says now. Raises DateTextError (with the text) when it says
        none: the last day that read well is not what the user typed."""
        try:
            return self._read()
        except DateTextError as exc:
            text, message = self.text().strip(), str(exc)
            if text and text not in message:
                message = f'"{text}": {message}'
            raise DateTextError(message) from None

    def date(self) -> QDate:
        return _qdate(self._day)

    def setDate(self, value: QDate | Day) -> None:
        day = date(value.year(), value.month(), value.day()) if isinstance(value, QDate) else value
        self._current = datetime.combine(day, time(0, 0), tzinfo=self.zone)
        self.setText(day_text(day))
        self._set_problem("")
        self._change_to(day)

    def check(self) -> bool:
        try:
            day = self._read()
        except DateTextError as exc:
            self._set_problem(_sentence(str(exc)))
            return False
        self._set_problem("")
        self._change_to(day)
        return True

    def _read(self) -> Day:
        typed = self.typed()
        if typed is None:
            raise DateTextError("type a day, e.g. 2011-08-29")
        if isinstance(typed, datetime):
            return typed.astimezone(self.zone).date() if typed.tzinfo else typed.date()
        return typed

    def _read_quietly(self) -> None:
        try:
            day = self._read()
        except DateTextError:
            return  # still typing; Enter or leaving the field says what is wrong
        self._set_problem("")
        self._change_to(day)

    def _finished(self) -> None:
        if self.check():
            self.setText(day_text(self._day))

    def _change_to(self, day: Day) -> None:
        if day != self._day:
            self._day = day
            self.dateChanged.emit(_qdate(day))

    def _set_problem(self, text: str) -> None:
        super()._set_problem(text)
        self.setToolTip(text or self._tip)

    def _picked(self, day: Day) -> None:
        self.setText(day_text(day))
        self.check()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()


def form_day_field(day: Day) -> DayField:
    """A day field for a form's row of days: never narrower than a day's text."""
    field = DayField(day)
    field.setMinimumWidth(field.fitting_width())
    return field


def typed_day_in(
    field: DayField, name: str, error: Callable[[str], Exception] = DateTextError
) -> Day:
    """The day typed in ``field``, for a form that names its fields: when the text says no
    day, ``error("<name>: <why>")`` (the form's own error type, shown by its one handler)."""
    try:
        return field.typed_day()
    except DateTextError as exc:
        raise error(f"{name}: {exc}") from None


class CalendarPopup(QFrame):
    """A calendar in a popup window; emits :attr:`picked` with the day chosen."""

    picked = Signal(object)  # datetime.date

    def __init__(self, field: QWidget) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName("Calendar")
        self.calendar.clicked.connect(self._choose)
        self.calendar.activated.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _choose(self, day: QDate) -> None:
        self.picked.emit(date(day.year(), day.month(), day.day()))
        self.close()


class ProblemLabel(QLabel):
    """The inline message under a date field, in the palette's error colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colours = cell_colours()
        self.setWordWrap(True)
        self.setStyleSheet(
            f"color: {colours.error_fg.name()}; background: {colours.error_bg.name()};"
            f"border: 1px solid {colours.error_fg.name()}; border-radius: 3px; padding: 2px 4px;"
        )
        self.setAccessibleName("Date problem")
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", ")")) else message + "."


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
