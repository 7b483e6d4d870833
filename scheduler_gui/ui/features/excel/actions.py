"""File → Export to Excel… / Import from Excel…: the spreadsheet round trip in the app.

Export writes what the grid shows (unsaved edits included). Import reads an .xlsx or
.csv, applies it onto the grid as ONE undoable step (nothing is sent: the user saves as
usual, through the preview and the save pipeline) and shows what it did. Reading,
checking and writing run on the thread pool, so a 10,000-item course never freezes
the window. The rules are in docs/excel-rules.md. The spreadsheet modules (openpyxl
takes about 0.4 s to import) load in the worker of the first export or import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from scheduler_gui.core.date_text import Readings, describe_day
from scheduler_gui.core.model import Schedule

from ...widgets.workers import Job, start_job
from ..host import Feature, WindowHost

if TYPE_CHECKING:
    from scheduler_gui.core.date_text import DateOrder
    from scheduler_gui.io.tabular import ImportRejectedError, ImportReport

FILE_FILTER = "Spreadsheets (*.xlsx *.csv);;Excel workbook (*.xlsx);;CSV (*.csv *.txt)"
LAST_DIR_KEY = "excel/last_dir"
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class ImportOutcome:
    """A checked import, ready to apply to the grid."""

    path: Path
    edited: Schedule
    report: ImportReport


class ExcelActions(Feature):
    """Export/import for the main window (see :func:`install`); owns both actions."""

    #: An export finished (the path written).
    exported = Signal(str)
    #: An import was applied to the grid (the report).
    imported = Signal(object)
    #: An export or import failed or was refused (the message shown).
    failed = Signal(str)

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        self.job: Job | None = None
        self.dialog: QMessageBox | None = None  # the last report or question shown
        self.order_buttons: dict[str, Any] = {}  # of the last date-order question
        self.import_action = host.add_action(
            "import", "&Import from Excel…", self.choose_import_file, icon_name="import",
            shortcut="Ctrl+I", tip="Import dates from a spreadsheet",
        )  # fmt: skip
        self.export_action = host.add_action(
            "export", "E&xport to Excel…", self.choose_export_file, icon_name="export",
            shortcut="Ctrl+Shift+E", tip="Export the schedule to a spreadsheet",
        )  # fmt: skip
        host.course_loaded.connect(lambda _course: self._update_actions())
        self._update_actions()

    # ------------------------------------------------------------------ state

    def _update_actions(self) -> None:
        ready = self.host.has_course() and self.job is None
        for action in (self.export_action, self.import_action):
            action.setEnabled(ready)

    def _start(self, fn: Any, name: str, on_success: Any) -> None:
        def done(result: Any) -> None:
            self.job = None
            self._update_actions()
            on_success(result)

        def failed(error: BaseException) -> None:
            self.job = None
            self._update_actions()
            self._fail(str(error) or type(error).__name__)

        self.job = start_job(
            lambda _progress, _cancelled: fn(),
            name=name,
            owner=self,
            on_success=done,
            on_failure=failed,
        )
        self._update_actions()

    def _status(self, text: str, msecs: int = 10000) -> None:
        self.host.show_message(text, msecs)

    def _show(
        self, icon: QMessageBox.Icon, title: str, text: str, details: str = "", info: str = ""
    ) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.host.qt_window())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if info:
            box.setInformativeText(info)
        if details:
            box.setDetailedText(details)
        self.dialog = box
        # Deleted later, maybe after a newer report replaced it: forget only this one.
        box.destroyed.connect(lambda: self._forget_dialog(box))
        box.open()
        return box

    def _forget_dialog(self, box: QMessageBox) -> None:
        if self.dialog is box:
            self.dialog = None

    def _fail(self, message: str) -> None:
        self._status(message)
        self._show(QMessageBox.Icon.Warning, "Spreadsheet", message)
        self.failed.emit(message)

    def _last_dir(self) -> str:
        return str(self.host.settings.value(LAST_DIR_KEY, str(Path.home())))

    def _remember_dir(self, path: Path) -> None:
        self.host.settings.setValue(LAST_DIR_KEY, str(path.parent))

    # ------------------------------------------------------------------ export

    def choose_export_file(self) -> None:
        """File → Export to Excel…: ask where, then :meth:`export_to`."""
        if not self.host.has_course() or self.job is not None:
            return
        name = _UNSAFE_NAME.sub("-", self.host.course_title or f"course-{self.host.course_id}")
        suggested = str(Path(self._last_dir()) / f"{name.strip('-')}-schedule.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self.host.qt_window(), "Export to Excel", suggested, "Excel workbook (*.xlsx)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the grid's schedule (as shown, unsaved edits included) to ``path``."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        schedule, zone = self.host.editor.current_schedule(), self.host.time_zone
        self._remember_dir(path)
        self._status(f"Exporting {len(schedule):,} items…", 0)

        def write() -> Path:
            from scheduler_gui.io.excel_export import CourseExport, export_workbook

            try:
                export_workbook(path, [CourseExport(schedule, zone)])
            except OSError as exc:
                raise OSError(f"Could not write {path}: {exc.strerror or exc}.") from None
            return path

        self._start(write, "excel export", self._exported)

    def _exported(self, path: Path) -> None:
        self._status(f"Exported to {path}.")
        self.exported.emit(str(path))

    # ------------------------------------------------------------------ import

    def choose_import_file(self) -> None:
        """File → Import from Excel…: ask which file, then :meth:`import_from`."""
        if not self.host.has_course() or self.job is not None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.host.qt_window(), "Import from Excel", self._last_dir(), FILE_FILTER
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path, order: DateOrder | None = None) -> None:
        """Check ``path`` against the grid's schedule in the background, then apply it.

        ``order`` reads slash dates month- or day-first, for the whole file. Without one
        (never guessed from the locale), a slash date that reads two ways makes the
        import ask which reading is meant, then check the file again with the answer.
        """
        current: Schedule = self.host.editor.current_schedule()
        zone = self.host.time_zone
        self._remember_dir(path)
        self._status(f"Reading {path.name}…", 0)

        def check() -> ImportOutcome | ImportRejectedError:
            from scheduler_gui.io.excel_import import read_spreadsheet
            from scheduler_gui.io.tabular import ImportRejectedError, apply_sheet

            try:
                book = read_spreadsheet(path)
                sheet = book.sheet_for(current.course_id)
                edited, report = apply_sheet(
                    current, sheet, zone=zone, order=order, notes=book.notes
                )
            except ImportRejectedError as exc:
                return exc
            return ImportOutcome(path, edited, report)

        self._start(check, "excel import", lambda outcome: self._checked(outcome, path, order))

    def _checked(
        self, outcome: ImportOutcome | ImportRejectedError, path: Path, order: DateOrder | None
    ) -> None:
        from scheduler_gui.io.tabular import ImportRejectedError  # loaded by the check

        ambiguous = [p for p in getattr(outcome, "problems", ()) if p.ambiguous is not None]
        if ambiguous and order is None:
            readings = ambiguous[0].ambiguous
            assert readings is not None
            self._ask_date_order(path, readings, len(ambiguous))
            return
        if isinstance(outcome, ImportRejectedError):
            problems = [str(problem) for problem in outcome.problems]
            self._status("Nothing was imported: the file has problems.")
            self._show(
                QMessageBox.Icon.Warning,
                "Nothing imported",
                f"Nothing was imported: {len(problems)} problem(s) in the file.",
                details="\n".join(problems),
                info="\n".join(problems[:5])
                + ("\n…" if len(problems) > 5 else "")
                + "\n\nFix them in the file and import again.",
            )
            self.failed.emit(problems[0] if problems else "rejected")
            return
        if outcome.report.changed_since_export:
            self._ask_about_changed_course(outcome)
        else:
            self._apply(outcome)

    def _ask_date_order(self, path: Path, readings: Readings, count: int) -> None:
        """Which way the file's slash dates read: both readings, for the whole file."""
        month_first = describe_day(readings.month_first, short=True)
        day_first = describe_day(readings.day_first, short=True)
        box = self._show(
            QMessageBox.Icon.Question,
            "Which date is meant?",
            f"Read {readings.text} as {month_first} or {day_first}?",
            info=(
                f"{path.name} has {count} date(s) written with slashes that read two ways. "
                "Your answer applies to every slash date in the file (month first or day "
                "first, like schedctl import --date-order). Nothing is imported yet."
            ),
        )
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        as_mdy = box.addButton(f"{month_first} (month first)", QMessageBox.ButtonRole.AcceptRole)
        as_dmy = box.addButton(f"{day_first} (day first)", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.order_buttons = {"mdy": as_mdy, "dmy": as_dmy}

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is as_mdy or clicked is as_dmy:
                self.import_from(path, "mdy" if clicked is as_mdy else "dmy")
            else:
                self._status("Import cancelled: nothing changed.")

        box.finished.connect(lambda _result: answered())

    def _ask_about_changed_course(self, outcome: ImportOutcome) -> None:
        box = self._show(
            QMessageBox.Icon.Question,
            "Course changed since export",
            "This course has changed since the file was exported (here or on the server).",
            info="Importing lets the file win for every date it holds, including dates "
            "changed since the export. Import anyway?",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda result: (
                self._apply(outcome)
                if result == QMessageBox.StandardButton.Yes
                else self._status("Import cancelled: nothing changed.")
            )
        )

    def _apply(self, outcome: ImportOutcome) -> None:
        report = outcome.report
        items = [outcome.edited.by_id[item_id] for item_id in report.changed]
        if items:
            self.host.editor.apply_items(items, f"Import from {outcome.path.name}")
        self._status(
            f"Imported {outcome.path.name}: {len(items)} item(s) changed (not saved yet)."
            if items
            else f"{outcome.path.name} changes nothing."
        )
        self._show(
            QMessageBox.Icon.Information,
            "Import",
            f"{len(items)} item(s) changed in the grid; nothing is sent until you save "
            "(Edit → Undo takes the whole import back).",
            info=report.summary(),
        )
        self.imported.emit(report)


def install(host: WindowHost) -> ExcelActions:
    """File → Export to Excel… / Import from Excel…"""
    return ExcelActions(host)
