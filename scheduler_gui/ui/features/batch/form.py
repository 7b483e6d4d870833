"""The Batch window's inputs: a plan file, or a list of courses with one shift for all.

:meth:`BatchForm.orders` turns them into the per-course :class:`ShiftOrder` list the
batch runs, or raises :class:`FormError` with every problem (a plan's are named by
cell, as ``schedctl rollover`` names them).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.shift_order import OrderError, ShiftOrder
from scheduler_gui.core.zones import ZoneError, parse_zone
from scheduler_gui.io.rollover_plan import read_plan
from scheduler_gui.io.tabular import ImportRejectedError
from scheduler_gui.session.batch import DEFAULT_JOBS, MAX_JOBS

from ...widgets.date_field import form_day_field, typed_day_in

MODES = (("days", "Move by days"), ("to_start", "Move to a new start"),
         ("fit", "Fit the old term onto the new"))  # fmt: skip
_COURSE = re.compile(r"^(\d+|ccn=\S+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;]+")


class FormError(ValueError):
    """What is wrong with the inputs, one problem per line."""


class BatchForm(QWidget):
    """Plan file or courses; how to shift; how many at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_plan = QRadioButton("&Plan file (one row per course):")
        self.use_courses = QRadioButton("Co&urses (ids or ccn=CALLNUMBER, any separator):")
        self.use_plan.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_plan)
        group.addButton(self.use_courses)
        self.plan_path = QLineEdit()
        self.plan_path.setAccessibleName("Plan file")
        self.plan_path.setPlaceholderText("spring-2012.xlsx or .csv (schedctl rollover --template)")
        self.browse = QPushButton("&Browse…")
        self.browse.clicked.connect(self._browse)
        self.courses = QPlainTextEdit()
        self.courses.setAccessibleName("Courses")
        self.courses.setPlaceholderText("700001 700002 ccn=TERM-0003 …")
        self.courses.setMaximumHeight(70)

        self.mode = QComboBox()
        self.mode.setAccessibleName("How to shift")
        for key, text in MODES:
            self.mode.addItem(text, key)
        self.days = QSpinBox()
        self.days.setRange(-3650, 3650)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Days to move")
        self.to_start = form_day_field(date.today())
        self.fit = [form_day_field(date.today()) for _ in range(4)]
        self.pages = QStackedWidget()
        self.pages.addWidget(self.days)
        self.pages.addWidget(self.to_start)
        fit_page = QWidget()
        fit_layout = QGridLayout(fit_page)
        fit_layout.setContentsMargins(0, 0, 0, 0)
        for index, (label, edit) in enumerate(zip(("old term", "new term"), (0, 2), strict=True)):
            fit_layout.addWidget(QLabel(f"{label}:"), index, 0)
            fit_layout.addWidget(self.fit[edit], index, 1)
            fit_layout.addWidget(QLabel("to"), index, 2)
            fit_layout.addWidget(self.fit[edit + 1], index, 3)
        self.pages.addWidget(fit_page)
        self.mode.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.zone = QLineEdit()
        self.zone.setPlaceholderText("blank: each course's own time zone")
        self.holidays = QLineEdit()
        self.holidays.setPlaceholderText("e.g. US or US-CO")
        self.blackouts = QLineEdit()
        self.blackouts.setPlaceholderText("e.g. 2012-03-19..2012-03-23; 2012-11-22")
        self.keep_weekdays = QCheckBox("Keep &weekdays")
        self.skip_backward = QCheckBox("Move off days off to the &day before")
        self.jobs = QSpinBox()
        self.jobs.setRange(1, MAX_JOBS)
        self.jobs.setValue(DEFAULT_JOBS)
        self.jobs.setToolTip(
            "Courses worked on at once; the server's 'too many requests' lowers it"
        )

        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_path, 1)
        plan_row.addWidget(self.browse)
        self.options = QWidget()
        options = QFormLayout(self.options)
        options.setContentsMargins(0, 0, 0, 0)
        shift_row = QHBoxLayout()
        shift_row.addWidget(self.mode)
        shift_row.addWidget(self.pages, 1)
        shift_label = QLabel("&Shift:")  # a row of widgets has no buddy of its own
        shift_label.setBuddy(self.mode)
        options.addRow(shift_label, shift_row)
        options.addRow("&Time zone:", self.zone)
        options.addRow("&Holidays:", self.holidays)
        options.addRow("Blac&kouts:", self.blackouts)
        flags = QHBoxLayout()
        flags.addWidget(self.keep_weekdays)
        flags.addWidget(self.skip_backward)
        flags.addStretch(1)
        options.addRow("", flags)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_plan)
        layout.addLayout(plan_row)
        layout.addWidget(self.use_courses)
        layout.addWidget(self.courses)
        layout.addWidget(self.options)
        jobs_row = QFormLayout()
        jobs_row.addRow("Courses at &once:", self.jobs)
        layout.addLayout(jobs_row)
        self.use_plan.toggled.connect(self._source_changed)
        self._source_changed()

    def _source_changed(self) -> None:
        plan = self.use_plan.isChecked()
        for widget in (self.plan_path, self.browse):
            widget.setEnabled(plan)
        self.courses.setEnabled(not plan)
        self.options.setEnabled(not plan)  # a plan has its own shift per row

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Rollover plan", "", "Rollover plans (*.xlsx *.csv)"
        )
        if path:
            self.plan_path.setText(path)

    def set_enabled(self, enabled: bool) -> None:
        widgets: tuple[QWidget, ...] = (self.use_plan, self.use_courses, self.jobs)
        for widget in widgets:
            widget.setEnabled(enabled)
        if enabled:
            self._source_changed()
            return
        inputs: tuple[QWidget, ...] = (self.plan_path, self.browse, self.courses, self.options)
        for widget in inputs:
            widget.setEnabled(False)

    # ------------------------------------------------------------------ reading

    def orders(self) -> tuple[list[ShiftOrder], str, dict[str, str]]:
        """(orders, batch kind, journal header extras); :class:`FormError` if wrong."""
        if self.use_plan.isChecked():
            return self._plan_orders()
        return self._course_orders(), "shift", {}

    def _plan_orders(self) -> tuple[list[ShiftOrder], str, dict[str, str]]:
        text = self.plan_path.text().strip()
        if not text:
            raise FormError("Choose the plan file (or list the courses instead).")
        path = Path(text).expanduser()
        try:
            plan = read_plan(path)
        except ImportRejectedError as exc:
            lines = [f"Nothing was sent: {len(exc.problems)} problem(s) in the plan {path.name}."]
            raise FormError("\n".join([*lines, *(str(p) for p in exc.problems)])) from None
        return list(plan.orders), "rollover", {"plan": str(path.resolve())}

    def _course_orders(self) -> list[ShiftOrder]:
        words = [w for w in _SEPARATORS.split(self.courses.toPlainText()) if w]
        problems = [f"{word!r} is not a course: write its numeric id or ccn=CALLNUMBER"
                    for word in words if not _COURSE.match(word)]  # fmt: skip
        if not words:
            problems.append("List the courses to shift (ids or ccn=CALLNUMBER).")
        zone = self.zone.text().strip()
        if zone:
            try:
                zone = parse_zone(zone).key
            except ZoneError as exc:
                problems.append(str(exc))
        template = None
        try:
            template = self._template(zone)
            template.spec()
        except OrderError as exc:
            problems.append(f"Shift: {exc}")
        if problems or template is None:
            raise FormError("\n".join(problems))
        unique: dict[str, str] = {}
        for word in words:
            unique.setdefault(word.lower(), word)  # a course listed twice is one course
        return [template.with_course(word) for word in unique.values()]

    def _template(self, zone: str) -> ShiftOrder:
        mode = str(self.mode.currentData())
        blackouts = tuple(p.strip() for p in re.split(r"[;,]", self.blackouts.text()) if p.strip())
        fit = None
        if mode == "fit":
            names = ("Old term start", "Old term end", "New term start", "New term end")
            days = [
                typed_day_in(edit, name, OrderError)
                for edit, name in zip(self.fit, names, strict=True)
            ]
            fit = (days[0], days[1], days[2], days[3])
        return ShiftOrder(
            course="",
            mode=mode,
            days=self.days.value() if mode == "days" else None,
            to_start=typed_day_in(self.to_start, "New start", OrderError)
            if mode == "to_start"
            else None,
            fit=fit,
            time_zone=zone,
            holidays=self.holidays.text().strip().upper(),
            blackouts=blackouts,
            keep_weekdays=self.keep_weekdays.isChecked(),
            skip_backward=self.skip_backward.isChecked(),
        )
