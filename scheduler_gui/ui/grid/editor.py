"""The grid: a filter bar over a table of every item schedule, with bulk actions.

``ScheduleEditor`` is self-contained: give it an undo stack and a schedule; it validates
after every edit, undo and redo, and tells the window through its signals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.model import DATE_FIELDS, ItemSchedule, Schedule
from scheduler_gui.core.printable import spreadsheet_cell
from scheduler_gui.core.validate import Finding, validate

from ..widgets.elided_label import ElidedLabel, ShortenedLabel
from ..widgets.icons import icon
from ..widgets.theme import cell_colours
from . import undo
from .column_fit import ColumnFit
from .columns import (
    COLUMN_FIELDS,
    DATE_COLUMNS,
    FIELD_COLUMNS,
    FLAG_COLUMNS,
    Column,
    field_label,
    format_cell,
    zone_label,
)
from .delegates import INDENT, DateTimeDelegate, FlagDelegate, TitleDelegate
from .filter_proxy import ScheduleFilterProxy
from .model import ScheduleTableModel
from .set_column_dialog import SetColumnDialog

#: The Title column never gets narrower than this many average characters (plus room
#: for two levels of indentation and the item's icon), whatever the window's size.
TITLE_MIN_CHARS = 20


def title_min_width(metrics: QFontMetrics) -> int:
    return metrics.averageCharWidth() * TITLE_MIN_CHARS + 2 * INDENT + 24


class ScheduleEditor(QWidget):
    """Filter bar + table of all item schedules; every edit is an undo step."""

    schedule_changed = Signal()  # after any edit, undo or redo (and on load)
    findings_changed = Signal(list)  # list[Finding], after every validation
    selection_changed = Signal(list)  # list[int]: ids of the selected rows

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.model = ScheduleTableModel(undo_stack, self)
        self.proxy = ScheduleFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._findings: list[Finding] = []
        self._build_filter_bar()
        self._build_view()
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._bar)
        layout.addWidget(self.view)
        layout.addLayout(self._legend())
        self.model.items_changed.connect(self._on_items_changed)
        for signal in (
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
        ):
            signal.connect(self._update_count)
        self._update_count()

    # ------------------------------------------------------------------ building

    def _build_filter_bar(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by title or id…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter items")
        self.filter_edit.addAction(icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Item type")
        self.kind_combo.setToolTip("Show one kind of item (guessed from titles when unknown)")
        self.kind_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(self.kind_combo.currentData())
        )
        self.changed_button = self._toggle("Changed", "edited", "Only items changed since loading")
        self.changed_button.toggled.connect(self.proxy.set_changed_only)
        self.problems_button = self._toggle(
            "Problems", "warning", "Only items with errors or warnings"
        )
        self.problems_button.toggled.connect(self.proxy.set_invalid_only)
        self.inherited_button = self._toggle(
            "Inherited", "inherited", "Only items that inherit their dates"
        )
        self.inherited_button.toggled.connect(self.proxy.set_inherited_only)
        self.count_label = QLabel()  # as wide as its longest text: nothing moves as it changes
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.zone_label = ElidedLabel()
        self.zone_label.setToolTip("Dates are shown and typed in this time zone")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.kind_combo)
        for button in (self.changed_button, self.problems_button, self.inherited_button):
            bar.addWidget(button)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        # The zone gets what is left (elided when short): the filter field comes first.
        self.zone_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bar.addWidget(self.zone_label, 1)
        self._bar = bar

    @staticmethod
    def _legend() -> QHBoxLayout:
        """What the cell markers mean, in one quiet line under the table."""
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 2)
        row.setSpacing(6)
        colours = cell_colours()  # the grid's markers in this palette (light or dark)
        entries: list[tuple[QIcon | QColor, str, str]] = [  # marker, text, short form
            (icon("inherited", colours.inherited_fg), "inherited from its unit", "inherited"),
            (colours.edited_bg, "changed, not saved", "changed"),
            (colours.warning_bg, "warning", "warning"),
            (colours.error_bg, "error (hover for the reason)", "error"),
        ]
        for marker, text, short in entries:
            swatch = QLabel()
            if isinstance(marker, QIcon):
                swatch.setPixmap(marker.pixmap(14, 14))
            else:
                swatch.setFixedSize(14, 14)
                swatch.setStyleSheet(f"background: {marker.name()}; border: 1px solid #b0b0b0;")
            label = ShortenedLabel(text, short)  # "changed", not "chan…", in a small window
            label.setObjectName("LegendLabel")
            label.setStyleSheet(f"color: {colours.inherited_fg.name()};")
            row.addWidget(swatch)
            row.addWidget(label)
            row.addSpacing(10)
        row.addStretch(1)
        return row

    @staticmethod
    def _toggle(text: str, icon_name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIcon(icon(icon_name))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setCheckable(True)
        button.setToolTip(tip)
        # May shrink to its icon (see _fit_filter_bar): the layout needs a minimum to know.
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        button.setMinimumWidth(button.iconSize().width() + 14)
        return button

    def _build_view(self) -> None:
        view = QTableView(self)
        view.setObjectName("ScheduleGrid")
        view.setAccessibleName("Item schedules")
        view.setModel(self.proxy)
        view.setItemDelegateForColumn(Column.TITLE, TitleDelegate(view))
        dates = DateTimeDelegate(self.model, view)
        for column in (Column.START, Column.END, Column.DUE):
            view.setItemDelegateForColumn(column, dates)
        flags = FlagDelegate(view)
        for column in (Column.OPEN_BEFORE, Column.OPEN_AFTER):
            view.setItemDelegateForColumn(column, flags)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed  # just start typing a date
        )
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setShowGrid(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform: no per-row sizing
        rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        metrics = view.fontMetrics()
        date_width = metrics.horizontalAdvance("Wed 2011-09-28 23:59:59") + 40
        date_min = metrics.horizontalAdvance("2011-09-28 23:59") + 52  # no weekday, italic
        flag_width = metrics.horizontalAdvance("Open early") + 24
        flag_min = metrics.horizontalAdvance("Open…") + 16
        header.setMinimumSectionSize(min(60, flag_min))
        defaults = {**dict.fromkeys(DATE_COLUMNS, date_width),
                    **dict.fromkeys(FLAG_COLUMNS, flag_width)}  # fmt: skip
        minimums = {**dict.fromkeys(DATE_COLUMNS, date_min),
                    **dict.fromkeys(FLAG_COLUMNS, flag_min)}  # fmt: skip
        self.column_fit = ColumnFit(view, title_min_width(metrics), defaults, minimums)
        header.setSortIndicatorClearable(True)  # third click: back to course order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._show_menu)
        view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        view.installEventFilter(self)
        self.view = view

    def _build_actions(self) -> None:
        def action(text: str, slot: object, icon_name: str = "", shortcut: str = "") -> QAction:
            act = QAction(text, self)
            if icon_name:
                act.setIcon(icon(icon_name))
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.view.addAction(act)
            return act

        self.edit_actions = {
            "set_column": action(
                "Set column…", self.set_column_for_selection, "calendar", "Ctrl+E"
            ),
            "reset_inherited": action(
                "Reset to inherited", self.reset_selection_to_inherited, "reset"
            ),
            "make_explicit": action("Make explicit", self.make_selection_explicit, "explicit"),
            "clear_due": action("Clear due date\tDel", self.clear_due_for_selection),
            "select_children": action("Select children", self.select_children, "unit"),
            "copy": action("Copy", self.copy_selection, "copy", "Ctrl+C"),
        }
        self.edit_actions["reset_inherited"].setToolTip(
            "The selected items take their dates from their unit again"
        )
        self.edit_actions["make_explicit"].setToolTip(
            "The selected items keep the dates shown as their own"
        )

    # ------------------------------------------------------------------ the public API

    def set_schedule(
        self,
        base: Schedule,
        tz: ZoneInfo,
        current: Schedule | None = None,
        *,
        findings: list[Finding] | None = None,
    ) -> None:
        """Show ``base`` (as loaded) with the edits in ``current`` (a restored draft).

        The undo history is cleared: its steps belong to the schedule shown before.
        ``findings``: ``validate(base, tz=tz)`` if the caller already has it (a load
        validates in its worker, so the GUI thread need not); ignored with ``current``.
        """
        self.undo_stack.clear()
        self.model.set_time_zone(tz)
        self.model.set_schedule(base, current)
        self._fill_kinds()
        self._update_zone_label()
        if findings is None or current is not None:
            self._validate()
        else:
            self._show_findings(findings)
        self.schedule_changed.emit()

    def current_schedule(self) -> Schedule:
        return self.model.current_schedule()

    def base_schedule(self) -> Schedule:
        return self.model.base_schedule()

    def set_time_zone(self, tz: ZoneInfo) -> None:
        self.model.set_time_zone(tz)
        self._update_zone_label()
        self._validate()  # messages quote dates in the zone

    def time_zone(self) -> ZoneInfo:
        return self.model.time_zone()

    def selected_ids(self) -> list[int]:
        """Ids of the rows with a selected cell, top to bottom."""
        rows: set[int] = set()
        for selection_range in self.view.selectionModel().selection().toList():
            rows.update(range(selection_range.top(), selection_range.bottom() + 1))
        ids = []
        for row in sorted(rows):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            ids.append(self.model.item_at(source.row()).item_id)
        return ids

    def select_item(self, item_id: int, field: str | None = None) -> None:
        """Select the item's cell for ``field`` (its title for None) and scroll to it."""
        row = self.model.row_of(item_id)
        if row is None:
            return
        column = FIELD_COLUMNS.get(field or "", Column.TITLE)
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():  # hidden by a filter: show everything again
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, column))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()

    def apply_items(self, items: Iterable[ItemSchedule], text: str) -> bool:
        """Replace items (by id) as one undo step; False if nothing changed."""
        return undo.push(self.model, undo.ReplaceItemsCommand(self.model, items, text))

    def mark_saved(self, new_base: Schedule) -> None:
        """After a successful save: ``new_base`` is what the server has now."""
        shown = self.model.current_schedule()
        self.model.mark_saved(new_base)
        if self.model.current_schedule() is not shown:  # else its findings still stand
            self._validate()
        self.schedule_changed.emit()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def tab_chain(self) -> list[QWidget]:
        """The grid's controls in the order Tab visits them: the filter bar, the table."""
        return [self.filter_edit, self.kind_combo, self.changed_button, self.problems_button,
                self.inherited_button, self.view]  # fmt: skip

    def focus_grid(self) -> None:
        """Keyboard focus on a cell of the table (the first Start date if none is current),
        so typing edits it: where work starts after a load.

        The cell is current, not selected: a selection is the user's choice (Shift dates
        and Set column act on it), and arrow keys or a click make one.
        """
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.proxy.index(0, Column.START), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def clear_filters(self) -> None:
        for button in (self.changed_button, self.problems_button, self.inherited_button):
            button.setChecked(False)
        self.filter_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.proxy.clear_filters()

    # ------------------------------------------------------------------ bulk actions

    def set_column_for_selection(self) -> None:
        """Ask for a column and a value, and set it for the selected rows (one step)."""
        ids = self.selected_ids()
        if not ids:
            return
        current = self.view.currentIndex()
        field = COLUMN_FIELDS[current.column()] if current.column() > 0 else "start"
        dialog = SetColumnDialog(len(ids), self.time_zone(), field, self._shared_dates(ids), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.result_value()
        if choice.keep_time and isinstance(choice.value, datetime):
            items = [self._on_day(self.model.item(i), choice.field, choice.value) for i in ids]
            label = field_label(choice.field)
            self.apply_items(items, f"Set {label} day of {len(items):,} items")
        else:
            undo.push(
                self.model, undo.SetColumnCommand(self.model, ids, choice.field, choice.value)
            )

    def _shared_dates(self, ids: list[int]) -> dict[str, datetime | None]:
        """Per date field, the value every item of ``ids`` holds (None when they differ)."""
        items = [self.model.item(item_id) for item_id in ids]
        shared: dict[str, datetime | None] = {}
        for field in DATE_FIELDS:
            values = {getattr(item, field) for item in items}
            shared[field] = values.pop() if len(values) == 1 else None
        return shared

    def _on_day(self, item: ItemSchedule, field: str, day: datetime) -> ItemSchedule:
        """``item`` with ``field`` moved to ``day``'s date at the item's own time of day."""
        old = getattr(item, field)
        if old is None:
            return undo.with_field(item, field, day)
        tz = self.time_zone()
        local = datetime.combine(day.astimezone(tz).date(), old.astimezone(tz).time(), tzinfo=tz)
        return undo.with_field(item, field, local.astimezone(UTC))

    def reset_selection_to_inherited(self) -> None:
        ids = self.selected_ids()
        if ids:
            undo.push(self.model, undo.ResetToInheritedCommand(self.model, ids))

    def make_selection_explicit(self) -> None:
        ids = self.selected_ids()
        if ids:
            undo.push(self.model, undo.MakeExplicitCommand(self.model, ids))

    def clear_due_for_selection(self) -> None:
        """Remove the due date of the selected rows (one undo step)."""
        ids = [i for i in self.selected_ids() if self.model.item(i).due is not None]
        if ids:
            undo.push(self.model, undo.SetColumnCommand(self.model, ids, "due", None))

    def _delete_pressed(self) -> None:
        """Del clears due dates only where Due cells are selected (not a Start cell's row)."""
        indexes = self.view.selectionModel().selectedIndexes()
        if indexes and all(index.column() == Column.DUE for index in indexes):
            self.clear_due_for_selection()

    def select_children(self) -> None:
        """Add everything inside the selected units to the selection."""
        found = self.model.with_descendants(self.selected_ids())
        selection = QItemSelection()
        last = self.proxy.columnCount() - 1
        for item_id in found:
            row = self.model.row_of(item_id)
            index = self.proxy.mapFromSource(self.model.index(row or 0, 0))
            if index.isValid():
                selection.select(index, index.siblingAtColumn(last))
        self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def copy_selection(self) -> None:
        """Copy the selected rows as tab-separated text (times in the course zone); a cell
        a spreadsheet would run as a formula is made text (see ``spreadsheet_cell``)."""
        tz = self.time_zone()
        lines = ["Title\tId\tStart\tEnd\tDue\tOpen early\tOpen late\tInherited"]
        for item_id in self.selected_ids():
            item = self.model.item(item_id)
            dates = [format_cell(value, tz) for value in (item.start, item.end, item.due)]
            flags = [item.can_access_before_start, item.can_access_after_end, item.is_inherited]
            cells = [item.title, str(item.item_id), *dates, *("yes" if f else "no" for f in flags)]
            # As the Excel export: a title such as "=HYPERLINK(…)" is pasted as text.
            lines.append("\t".join(spreadsheet_cell(cell) for cell in cells))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    # ------------------------------------------------------------------ reactions

    def _show_menu(self, position: QPoint) -> None:
        if not self.selected_ids():
            return
        menu = QMenu(self)
        for key in ("set_column", "reset_inherited", "make_explicit", None, "clear_due", None,
                    "select_children", "copy"):  # fmt: skip
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(self.edit_actions[key])
        menu.popup(self.view.viewport().mapToGlobal(position))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete in the table (not while editing a cell) clears the selected due dates."""
        if (
            watched is self.view
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.view.state() != QAbstractItemView.State.EditingState
        ):
            self._delete_pressed()
            return True
        return super().eventFilter(watched, event)

    def _on_items_changed(self, _ids: list[int]) -> None:
        self._validate()
        self.schedule_changed.emit()

    def _validate(self) -> None:
        self._show_findings(validate(self.model.current_schedule(), tz=self.time_zone()))

    def _show_findings(self, findings: list[Finding]) -> None:
        self._findings = findings
        self.model.set_findings(self._findings)
        self.findings_changed.emit(list(self._findings))

    def _on_selection_changed(self, *_args: object) -> None:
        self.selection_changed.emit(self.selected_ids())

    def _fill_kinds(self) -> None:
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem("All types", None)
        for kind in self.model.kinds():
            self.kind_combo.addItem(kind, kind)
        self.kind_combo.blockSignals(False)
        self.proxy.set_kind(None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_filter_bar()

    def _fit_filter_bar(self) -> None:
        """Icon-only filter toggles when the bar would not fit with their names (their
        names stay in the tooltip and the accessible name), leaving the filter field room.

        Each toggle's minimum is its icon-only width (set once), so the window's minimum
        does not depend on which form shows: a small window stays small.
        """
        toggles = (self.changed_button, self.problems_button, self.inherited_button)
        named = sum(b.iconSize().width() + b.fontMetrics().horizontalAdvance(b.text()) + 24
                    for b in toggles)  # fmt: skip
        others = 200 + self.kind_combo.sizeHint().width() + self.count_label.width() + 60
        style = Qt.ToolButtonStyle.ToolButtonTextBesideIcon if self.width() >= named + others else (
            Qt.ToolButtonStyle.ToolButtonIconOnly)  # fmt: skip
        for button in toggles:
            button.setToolButtonStyle(style)

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        widest = self.count_label.fontMetrics().horizontalAdvance(f"{total:,} of {total:,} items")
        if self.count_label.width() != widest + 8:
            self.count_label.setFixedWidth(widest + 8)
        if shown == total:
            self.count_label.setText(f"{total:,} items")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} items")

    def _update_zone_label(self) -> None:
        self.zone_label.setText(f"Times in {zone_label(self.time_zone())}")
        self.view.viewport().update()
