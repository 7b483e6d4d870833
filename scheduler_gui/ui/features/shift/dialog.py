"""The Shift dates dialog: move a course (or a selection) to a new term, with a preview.

A thin adapter over :mod:`scheduler_gui.core.shift`: the widgets build a
:class:`~scheduler_gui.core.shift.ShiftSpec`, the core computes the result, and the
preview table lists every date that moves (old -> new in the course time zone), then the
items that inherit from the course itself and so stay. Holiday moves are highlighted,
daylight-saving notes are shown in the Notes column. The preview follows the inputs
after a short pause; for big courses it is computed on the thread pool so typing never
waits for it. With ``settings``, the options are remembered per course.

Usage::

    dialog = ShiftDialog(schedule, tz, selected_ids, parent, settings=settings)
    if dialog.exec():  # or open() + accepted signal
        editor.apply_items(dialog.result_items(), dialog.undo_text())
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.days_off import DaysOff, DaysOffError
from scheduler_gui.core.model import DATE_FIELDS, ItemSchedule, Schedule
from scheduler_gui.core.shift import (
    ByDays,
    Fit,
    NoteKind,
    ShiftError,
    ShiftMode,
    ShiftResult,
    ShiftSpec,
    ToStart,
    shift_schedule,
    teaching_targets,
)
from scheduler_gui.core.times import format_local

from ...widgets.date_field import DayField, form_day_field, typed_day_in
from ...widgets.theme import cell_colours
from ...widgets.workers import start_job
from .anchor import AnchorBox
from .options import ShiftOptions, read_options, write_options
from .preview import FIELD_NAMES, HOLIDAY_BG, ShiftPreviewModel

__all__ = ["HOLIDAY_BG", "ShiftDialog", "ShiftPreviewModel"]

PREVIEW_DELAY_MS = 150  # recompute after typing pauses, not on every keystroke
BACKGROUND_ITEMS = 2000  # bigger courses compute the preview on the thread pool


class ShiftDialog(QDialog):
    """Options for a term shift and a live preview of every date it moves.

    Args:
        schedule: the course as edited now.
        tz: the course time zone (all shifting happens on its wall clock).
        selected_ids: items selected in the grid; the dialog offers "selected only", and
            starts with it when more than one row is selected (one row is just where the
            cursor happens to be).
        parent: the main window.
        settings: where the options of the last shift are kept per course (none: not kept).
    """

    #: Its size where the screen has room (documentation screenshots show it so).
    DEFAULT_SIZE = (900, 680)

    def __init__(
        self,
        schedule: Schedule,
        tz: ZoneInfo,
        selected_ids: Iterable[int] = (),
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shift dates")
        self.setObjectName("ShiftDialog")
        self._schedule = schedule
        self._tz = tz
        self._selected = frozenset(selected_ids)
        self._settings = settings
        self._result: ShiftResult | None = None
        self._days_off_cache: tuple[tuple[str, str], DaysOff] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._refresh)
        # Bumped on every input change: a background result for older inputs is dropped.
        self._generation = 0
        self._stale = False  # the preview shown is older than the inputs

        first, last = _term_of(schedule, tz)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Dates move on the wall clock of <b>{tz.key}</b>."))
        layout.addWidget(self._build_mode_box(first, last))
        layout.addWidget(self._build_options_box())
        layout.addWidget(self._build_scope_box())
        self.summary = QLabel()
        self.summary.setObjectName("ShiftSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.preview_model = ShiftPreviewModel(tz, self)
        self.preview = QTableView(self)
        self.preview.setObjectName("ShiftPreview")
        self.preview.setAccessibleName("Preview of the moved dates")
        self.preview.setModel(self.preview_model)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setVisible(False)
        self.preview.setWordWrap(False)  # one line per date; the tooltip has all notes
        header = self.preview.horizontalHeader()
        date_width = self.preview.fontMetrics().horizontalAdvance("Start/End") + 16
        for column, width in enumerate((220, max(50, date_width), 190, 190)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Shift")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(*self.DEFAULT_SIZE)
        if settings is not None:
            remembered = read_options(settings, schedule.course_id)
            if remembered is not None:
                self.apply_options(remembered)
        self._connect_inputs()
        self._sync_enabled()
        self.update_preview()

    # ------------------------------------------------------------------ building

    def _build_mode_box(self, first: date, last: date) -> QGroupBox:
        box = QGroupBox("Move")
        grid = QGridLayout(box)
        self.by_days = QRadioButton("By a number of days:")
        self.to_start = QRadioButton("So the term starts on:")
        self.fit = QRadioButton("Fit the old term onto a new one:")
        self.mode_group = QButtonGroup(self)
        for button in (self.by_days, self.to_start, self.fit):
            self.mode_group.addButton(button)
        self.by_days.setChecked(True)
        self.days = QSpinBox()
        self.days.setRange(-3650, 3650)
        self.days.setSuffix(" days")
        self.new_start = form_day_field(first)
        self.anchor = AnchorBox(self._schedule, self._tz)
        self.anchor_note = QLabel()
        self.anchor_note.setObjectName("ShiftAnchorNote")
        self.old_start, self.old_end = form_day_field(first), form_day_field(last)
        self.new_term_start, self.new_term_end = form_day_field(first), form_day_field(last)
        grid.addWidget(self.by_days, 0, 0)
        grid.addWidget(self.days, 0, 1)
        grid.addWidget(self.to_start, 1, 0)
        grid.addWidget(self.new_start, 1, 1)
        grid.addWidget(QLabel("anchor item:"), 1, 2)
        grid.addWidget(self.anchor, 1, 3)
        grid.addWidget(self.anchor_note, 2, 1, 1, 3)
        grid.addWidget(self.fit, 3, 0)
        grid.addWidget(_pair("old", self.old_start, self.old_end), 3, 1, 1, 3)
        grid.addWidget(_pair("new", self.new_term_start, self.new_term_end), 4, 1, 1, 3)
        grid.setColumnStretch(3, 1)
        for edit, name in ((self.days, "Days to move"), (self.new_start, "Term starts on"),
                           (self.anchor, "Anchor item"), (self.old_start, "Old term start"),
                           (self.old_end, "Old term end"), (self.new_term_start, "New term start"),
                           (self.new_term_end, "New term end")):  # fmt: skip
            edit.setAccessibleName(name)
        return box

    def _build_options_box(self) -> QGroupBox:
        box = QGroupBox("Options")
        form = QFormLayout(box)
        self.keep_weekdays = QCheckBox("Keep weekdays (round to the nearest same weekday)")
        self.skip_holidays = QCheckBox("Skip holidays of")
        self.region = QLineEdit()
        self.region.setPlaceholderText("US, US-CO, DE-BY…")
        self.region.setAccessibleName("Holiday region")
        self.blackouts = QLineEdit()
        self.blackouts.setPlaceholderText("2011-03-14..2011-03-18, 2011-05-30")
        self.skip_direction = QComboBox()
        self.skip_direction.addItems(["to the next allowed day", "to the previous allowed day"])
        form.addRow(self.keep_weekdays)
        form.addRow(self.skip_holidays, self.region)
        form.addRow("Blackout dates:", self.blackouts)
        form.addRow("Move dates off these days:", self.skip_direction)
        return box

    def _build_scope_box(self) -> QGroupBox:
        box = QGroupBox("Which dates")
        row = QHBoxLayout(box)
        self.all_items = QRadioButton("All items")
        count = len(self._selected)
        self.selected_items = QRadioButton(
            f"Selected items ({count:,}) and everything in them"
            if count != 1
            else "Selected item (1) and everything in it"
        )
        self.selected_items.setEnabled(bool(count))
        # One selected row is where the cursor is, not a choice: shift the whole course.
        (self.selected_items if count > 1 else self.all_items).setChecked(True)
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.all_items)
        self.scope_group.addButton(self.selected_items)
        row.addWidget(self.all_items)
        row.addWidget(self.selected_items)
        row.addSpacing(24)
        self.columns = {name: QCheckBox(label) for name, label in FIELD_NAMES.items()}
        for check in self.columns.values():
            check.setChecked(True)
            row.addWidget(check)
        row.addStretch(1)
        self.notes_only = QCheckBox("Show only dates with notes")
        row.addWidget(self.notes_only)
        return box

    # ------------------------------------------------------------------ behaviour

    def _connect_inputs(self) -> None:
        """Every input schedules a preview refresh."""
        later = self.schedule_preview
        for button in (self.by_days, self.to_start, self.fit, self.all_items, self.selected_items):
            button.toggled.connect(later)
        for check in (self.keep_weekdays, self.skip_holidays, *self.columns.values()):
            check.toggled.connect(later)
        self.notes_only.toggled.connect(self._show_moves)
        self.days.valueChanged.connect(later)
        for edit in (
            self.new_start,
            self.old_start,
            self.old_end,
            self.new_term_start,
            self.new_term_end,
        ):
            edit.textEdited.connect(later)  # text that stops reading as a day counts too
            edit.dateChanged.connect(later)
        self.anchor.editTextChanged.connect(later)
        for line in (self.region, self.blackouts):
            line.textChanged.connect(later)
        self.skip_direction.currentIndexChanged.connect(later)

    def schedule_preview(self, *_args: Any) -> None:
        self._sync_enabled()
        self._generation += 1
        self._stale = True
        # Clickable until the preview catches up: accept() recomputes first.
        self.ok_button.setEnabled(True)
        self._timer.start()

    def _sync_enabled(self) -> None:
        self.days.setEnabled(self.by_days.isChecked())
        self.new_start.setEnabled(self.to_start.isChecked())
        self.anchor.setEnabled(self.to_start.isChecked())
        for edit in (self.old_start, self.old_end, self.new_term_start, self.new_term_end):
            edit.setEnabled(self.fit.isChecked())
        self.region.setEnabled(self.skip_holidays.isChecked())

    def spec(self) -> ShiftSpec:
        """The shift the inputs describe. Raises ShiftError/DaysOffError on bad input."""
        region = self.region.text().strip() if self.skip_holidays.isChecked() else ""
        if self.skip_holidays.isChecked() and not region:
            raise DaysOffError("type a country code to skip holidays (US, US-CO, DE-BY…)")
        days_off = self._days_off(region, self.blackouts.text())
        columns = frozenset(name for name, check in self.columns.items() if check.isChecked())
        if not columns:
            raise ShiftError("tick at least one of Start, End and Due")
        return ShiftSpec(
            mode=self._mode(),
            keep_weekdays=self.keep_weekdays.isChecked(),
            days_off=days_off or None,
            skip_backward=self.skip_direction.currentIndex() == 1,
            only=self._selected if self.selected_items.isChecked() else None,
            columns=columns,
        )

    def _days_off(self, region: str, blackout_text: str) -> DaysOff:
        """Parsed days off, kept while the text stays the same (holidays cache per year)."""
        key = (region, blackout_text)
        if self._days_off_cache is None or self._days_off_cache[0] != key:
            parts = [part for part in blackout_text.replace(";", ",").split(",") if part.strip()]
            self._days_off_cache = (key, DaysOff.parse(region or None, parts))
        return self._days_off_cache[1]

    def _mode(self) -> ShiftMode:
        if self.by_days.isChecked():
            return ByDays(self.days.value())
        if self.to_start.isChecked():
            new_start = typed_day_in(self.new_start, "the term starts on", ShiftError)
            return ToStart(new_start, self.anchor_id())
        return Fit(
            typed_day_in(self.old_start, "old term start", ShiftError),
            typed_day_in(self.old_end, "old term end", ShiftError),
            typed_day_in(self.new_term_start, "new term start", ShiftError),
            typed_day_in(self.new_term_end, "new term end", ShiftError),
        )

    def anchor_id(self) -> int | None:
        """The anchor item chosen or typed (None: the default); see :class:`AnchorBox`."""
        return self.anchor.anchor_id()

    def update_preview(self) -> None:
        """Recompute the shift from the inputs now, on this thread, and show it."""
        self._timer.stop()
        self._generation += 1  # a background result still on its way is now stale
        try:
            result = shift_schedule(self._schedule, self.spec(), self._tz)
        except (ShiftError, DaysOffError) as exc:
            self._show(None, exc)
        else:
            self._show(result, None)

    def _refresh(self) -> None:
        """After the inputs settle: small courses now, big ones off the GUI thread."""
        if len(self._schedule) <= BACKGROUND_ITEMS:
            self.update_preview()
            return
        try:
            spec = self.spec()
        except (ShiftError, DaysOffError) as exc:
            self._show(None, exc)
            return
        generation, schedule, tz = self._generation, self._schedule, self._tz
        self.summary.setStyleSheet("")
        self.summary.setText("Computing the preview…")
        start_job(
            lambda _progress, _cancelled: shift_schedule(schedule, spec, tz),
            name="shift preview",
            owner=self,
            on_success=lambda result: self._arrived(generation, result, None),
            on_failure=lambda error: self._arrived(generation, None, error),
        )

    def _arrived(
        self, generation: int, result: ShiftResult | None, error: BaseException | None
    ) -> None:
        if generation == self._generation:  # else the inputs changed or the dialog closed
            self._show(result, error)

    def _show(self, result: ShiftResult | None, error: BaseException | None) -> None:
        self._stale = False
        self._result = result
        if error is not None:
            message = str(error) or type(error).__name__
            self.summary.setStyleSheet(f"color: {cell_colours().error_fg.name()};")
            self.summary.setText(message[:1].upper() + message[1:])
        elif result is not None:
            self.summary.setStyleSheet("")
            self.summary.setText(_summary(result))
        self._show_anchor(result)
        self._show_moves()
        self.ok_button.setEnabled(bool(result and result.changed))

    def _show_anchor(self, result: ShiftResult | None) -> None:
        """Say which item lands on the new start (the default anchor is computed)."""
        if result is None or result.anchor is None or not self.to_start.isChecked():
            self.anchor_note.setText("")
            return
        item, when = result.anchor
        self.anchor_note.setText(
            f"<b>{_html(item.title or 'Untitled')}</b> ({format_local(when, self._tz)}) "
            f"lands on {self.new_start.day():%a %Y-%m-%d}."
        )

    def _show_moves(self, *_args: Any) -> None:
        moves = self._result.moves if self._result else ()
        staying = self._result.staying if self._result else ()
        if self.notes_only.isChecked():
            moves = tuple(move for move in moves if move.notes)
        self.preview_model.set_moves(moves, staying)

    # ------------------------------------------------------------------ remembering

    def options(self) -> ShiftOptions:
        """The inputs as plain values (what is remembered for the course)."""
        mode = (
            "days"
            if self.by_days.isChecked()
            else "to_start"
            if self.to_start.isChecked()
            else "fit"
        )
        try:
            anchor = self.anchor_id()
        except ShiftError:
            anchor = None
        return ShiftOptions(
            mode=mode,
            days=self.days.value(),
            new_start=self.new_start.day(),
            anchor_id=anchor,
            old_start=self.old_start.day(),
            old_end=self.old_end.day(),
            new_term_start=self.new_term_start.day(),
            new_term_end=self.new_term_end.day(),
            keep_weekdays=self.keep_weekdays.isChecked(),
            skip_holidays=self.skip_holidays.isChecked(),
            region=self.region.text().strip(),
            blackouts=self.blackouts.text().strip(),
            skip_backward=self.skip_direction.currentIndex() == 1,
            columns=tuple(name for name, check in self.columns.items() if check.isChecked()),
        )

    def apply_options(self, options: ShiftOptions) -> None:
        """Set the inputs from ``options`` (unset dates keep the course's defaults)."""
        {"days": self.by_days, "to_start": self.to_start, "fit": self.fit}[options.mode].setChecked(
            True
        )
        self.days.setValue(options.days)
        for edit, value in (
            (self.new_start, options.new_start),
            (self.old_start, options.old_start),
            (self.old_end, options.old_end),
            (self.new_term_start, options.new_term_start),
            (self.new_term_end, options.new_term_end),
        ):
            if value is not None:
                edit.setDate(value)
        self.anchor.select(options.anchor_id)
        self.keep_weekdays.setChecked(options.keep_weekdays)
        self.skip_holidays.setChecked(options.skip_holidays)
        self.region.setText(options.region)
        self.blackouts.setText(options.blackouts)
        self.skip_direction.setCurrentIndex(1 if options.skip_backward else 0)
        for name, check in self.columns.items():
            check.setChecked(name in options.columns)

    # ------------------------------------------------------------------ results

    def shift_result(self) -> ShiftResult | None:
        """The shift as previewed now (``None`` while the inputs are invalid)."""
        return self._result

    def result_items(self) -> list[ItemSchedule]:
        """The items that change: apply them as one undoable step."""
        return list(self._result.changed) if self._result else []

    def undo_text(self) -> str:
        """A label for the undo step, e.g. ``Shift 120 items by 14 days``."""
        count = len(self.result_items())
        items = f"{count:,} item{'s' if count != 1 else ''}"
        days = self._result.days if self._result else None
        if days is None:
            return f"Fit {items} onto the new term"
        return f"Shift {items} by {days:+,} day{'s' if abs(days) != 1 else ''}"

    def accept(self) -> None:
        if self._stale:
            self.update_preview()  # the user clicked before the preview caught up
        if self._result is not None and self._result.changed:
            super().accept()

    def done(self, code: int) -> None:
        self._generation += 1  # drop a preview still computing
        self._timer.stop()
        if self._settings is not None:  # kept on Cancel too: typed holidays are work
            write_options(self._settings, self._schedule.course_id, self.options())
        super().done(code)


def _summary(result: ShiftResult) -> str:
    if not result.moves:
        stay = (
            f" ({len(result.staying):,} inherit from the course itself)" if result.staying else ""
        )
        return f"Nothing moves with these settings.{stay}"
    counts = result.notes_count
    parts = [f"{len(result.moves):,} dates of {len(result.changed):,} items move"]
    if result.days is not None:
        parts[0] += f" by {result.days:+,} days"
    labels = (
        (NoteKind.HOLIDAY, "moved off a holiday or blackout"),
        (NoteKind.WEEKDAY, "rounded to keep the weekday"),
        (NoteKind.DST_GAP, "in a daylight-saving gap (moved later)"),
        (NoteKind.DST_AMBIGUOUS, "at a repeated hour (first one used)"),
        (NoteKind.DST_OFFSET, "change UTC offset, wall time kept"),
        (NoteKind.INHERITED, "inherited, following their unit"),
        (NoteKind.ORDER, "end before start now: check these"),
    )
    parts += [f"{counts[kind]:,} {text}" for kind, text in labels if counts.get(kind)]
    if result.staying:
        names = ", ".join(item.title or str(item.item_id) for item in result.staying[:3])
        more = "…" if len(result.staying) > 3 else ""
        parts.append(
            f"{len(result.staying):,} inherit from the course itself and do not move "
            f"({names}{more})"
        )
    return " · ".join(parts)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _term_of(schedule: Schedule, tz: ZoneInfo) -> tuple[date, date]:
    """The first and last local dates of the course's units (of all items when it has
    no units; today if it has no dates): an old page at the top is not the term."""
    dated = [(item, name) for item in schedule.items for name in DATE_FIELDS if getattr(item, name)]
    values = [getattr(item, name) for item, name in teaching_targets(schedule, dated) or dated]
    if not values:
        today = date.today()
        return today, today
    return min(values).astimezone(tz).date(), max(values).astimezone(tz).date()


def _pair(label: str, first: DayField, last: DayField) -> QWidget:
    widget = QWidget()
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(QLabel(f"{label} term"))
    row.addWidget(first)
    row.addWidget(QLabel("to"))
    row.addWidget(last)
    row.addStretch(1)
    return widget
