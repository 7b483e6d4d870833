"""The activity dock: who did what, when, on which item of the open course.

It opens on the course: the Last Activity Feed (v2) of the logged-in user and of every
student seen in the course so far, merged. Or it reads one person's: yours, a student's
picked from the list, or one typed by name, login name or user id (:mod:`.people`),
always limited to the open course (``courseid``: the professor visibility rule), with
type and date filters, off the GUI thread. Clicking an entry about an item of the
course emits :attr:`ActivityDock.item_activated`, which the window connects to the
grid. :mod:`.activity_features` adds the dock, the item preview, the activity clock and
"Open in LearningStudio" to the main window.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDockWidget,
    QHBoxLayout,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.api.activity import ACTIVITY_TYPES, ActivityEntry, activity_feed
from scheduler_gui.api.errors import ForbiddenError, NotFoundError
from scheduler_gui.core.date_text import DateTextError
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import format_local

from ...widgets.date_field import DayField, typed_day_in
from ...widgets.icons import icon
from ...widgets.workers import Job, start_job
from ...widgets.wrapped_label import WrappedLabel
from .people import ME, TypedUser, login_user, read_typed_user

log = logging.getLogger(__name__)
_EARLIEST = datetime.min.replace(tzinfo=UTC)

COLUMNS = ("When", "Who", "What", "Item", "Role", "Summary")
ITEM_COLUMN = COLUMNS.index("Item")
DOCK_WIDTH = 460  # wide enough for when, who, what and item at first show
ALL = "*"  # the course: you and every student seen in it
FIRST_STUDENT = 2  # combo rows: the course, me, then each student
_ENTRY_ROLE = Qt.ItemDataRole.UserRole


class ItemLocator:
    """Finds the course item an activity entry is about, in constant time per entry.

    Exams name their item (``courseitemId``); other targets are matched by reference id,
    then by a title that exactly one item of the course has.
    """

    def __init__(self, schedule: Schedule | None) -> None:
        self._schedule = schedule
        self._unique_titles: dict[str, int] | None = None  # built on first use

    def locate(self, entry: ActivityEntry) -> int | None:
        schedule = self._schedule
        if schedule is None:
            return None
        for candidate in (entry.target_item_id, entry.target_id):
            if candidate is not None and candidate in schedule.by_id:
                return candidate
        title = entry.target_title.casefold()
        return self._titles(schedule).get(title) if title else None

    def _titles(self, schedule: Schedule) -> dict[str, int]:
        # Built lazily: loading a course must not pay for it (the dock may stay closed).
        if self._unique_titles is None:
            by_title: dict[str, list[int]] = {}
            for item in schedule.items:
                by_title.setdefault(item.title.casefold(), []).append(item.item_id)
            self._unique_titles = {t: ids[0] for t, ids in by_title.items() if len(ids) == 1}
        return self._unique_titles


def fetch_feeds(
    client: Any,
    users: Sequence[str],
    course_id: str,
    types: Sequence[str],
    after: datetime | None,
    before: datetime | None,
) -> tuple[list[ActivityEntry], list[str]]:
    """The feeds of ``users`` in one course, newest first, and the users refused (403).

    Runs in a worker. For a single user a refusal is raised: it is the whole answer.
    """
    entries: list[ActivityEntry] = []
    refused: list[str] = []
    for user in users:
        try:
            entries += activity_feed(
                client, user=user, course_ids=[course_id], types=types, after=after, before=before
            )
        except ForbiddenError:
            if len(users) == 1:
                raise
            refused.append(user)
    entries.sort(key=newest_first, reverse=True)
    return entries, refused


def newest_first(entry: ActivityEntry) -> tuple[datetime, int, int]:
    """Sort key (reversed) of the dock's rows: newest first, then by object and actor id.

    The API page defines no order for the feed and several feeds are merged here; equal
    times (a grade and its remark, posted by a script) still get one order on every
    refresh, whatever order the server sent them in.
    """
    return (
        entry.posted or _EARLIEST,
        -1 if entry.object_id is None else entry.object_id,
        -1 if entry.actor_id is None else entry.actor_id,
    )


def day_range(
    after: date | None, before: date | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """Whole days in ``zone``: from ``after``'s midnight to the end of ``before``."""
    start = datetime.combine(after, time(), zone) if after else None
    end = datetime.combine(before + timedelta(days=1), time(), zone) if before else None
    return start, end


class ActivityDock(QDockWidget):
    """The Last Activity Feed of the open course, filtered and refreshed on demand."""

    #: An entry about item ``item_id`` of the open course was clicked.
    item_activated = Signal(int)
    #: The feed arrived and is shown (number of entries).
    loaded = Signal(int)
    #: Loading failed (the message shown in the dock).
    failed = Signal(str)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Activity", parent)
        self.setObjectName("ActivityDock")
        self.settings = settings
        self.client: Any = None
        self.course_id: str | None = None
        self.locator = ItemLocator(None)
        self.zone: tzinfo = datetime.now().astimezone().tzinfo or UTC
        self.entries: list[ActivityEntry] = []
        self.job: Job | None = None
        self._generation = 0  # answers of older requests are dropped
        self._stale = True
        self._build()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.user_combo = QComboBox(body)
        self.user_combo.setObjectName("ActivityUser")
        self.user_combo.setAccessibleName("Whose activity")
        self.user_combo.setEditable(True)
        self.user_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # As narrow as a short name allows (its long entries elide): a small window keeps
        # room for the grid beside the dock.
        self.user_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.user_combo.setMinimumContentsLength(12)
        self.user_combo.setToolTip(
            "Whose activity: the course (you and every student seen), yours, or one "
            "student's: pick one, or type a name, a login name or a user id and press Enter"
        )
        self.user_combo.addItem("This course: you and the students seen", ALL)
        self.user_combo.addItem("My activity", ME)
        completer = QCompleter(self.user_combo.model(), self.user_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "doe" finds "Jane Doe (…)"
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.user_combo.setCompleter(completer)
        self.user_combo.activated.connect(self._filters_changed)
        line_edit = self.user_combo.lineEdit()
        if line_edit is not None:
            line_edit.returnPressed.connect(self.refresh)
        row.addWidget(self.user_combo, 1)

        self.types_button = QToolButton(body)
        self.types_button.setText("Types")
        self.types_button.setIcon(icon("filter"))
        self.types_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.types_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.types_button)
        self.type_actions: dict[str, QAction] = {}
        for kind in ACTIVITY_TYPES:
            action = menu.addAction(kind)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._filters_changed)
            self.type_actions[kind] = action
        self.types_button.setMenu(menu)
        row.addWidget(self.types_button)

        self.refresh_button = QToolButton(body)
        self.refresh_button.setIcon(icon("reload"))
        self.refresh_button.setAccessibleName("Refresh activity")
        self.refresh_button.setToolTip("Read the activity from the server again")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)

        dates = QHBoxLayout()
        self.after_check = QCheckBox("From", body)
        today = date.today()
        self.after_edit = DayField(today - timedelta(days=30), body)  # typed as typed
        self.before_check = QCheckBox("to", body)
        self.before_edit = DayField(today, body)
        self.after_edit.setAccessibleName("Activity from")
        self.before_edit.setAccessibleName("Activity up to")
        for check, edit in ((self.after_check, self.after_edit),
                            (self.before_check, self.before_edit)):  # fmt: skip
            edit.setMaximumWidth(edit.fitting_width())
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._filters_changed)
            edit.editingFinished.connect(self._date_edited)
            dates.addWidget(check)
            dates.addWidget(edit)
        dates.addStretch(1)
        layout.addLayout(dates)

        self.tree = QTreeWidget(body)
        self.tree.setObjectName("ActivityList")
        self.tree.setAccessibleName("Activity entries")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemClicked.connect(self._entry_clicked)
        self.tree.itemActivated.connect(self._entry_clicked)
        layout.addWidget(self.tree, 1)
        self.status = WrappedLabel("", body)  # whole, however narrow the dock
        layout.addWidget(self.status)
        self.setWidget(body)
        self.visibilityChanged.connect(self._visibility_changed)
        self._show_status("Open a course to see its activity.")

    # ------------------------------------------------------------------ state

    def set_course(self, client: Any, course_id: str, schedule: Schedule | None) -> None:
        """Show ``course_id``'s activity (loaded now if the dock is visible, else when shown)."""
        changed = course_id != self.course_id
        self.client, self.course_id = client, course_id
        self.locator = ItemLocator(schedule)
        if changed:
            self._generation += 1  # drop answers about the previous course
            self.job = None
            self._load_known_users()
            self.entries = []
            self.tree.clear()
        self._stale = True
        if self.isVisible():
            self.refresh()

    def set_time_zone(self, zone: tzinfo) -> None:
        self.zone = zone
        self._populate()

    def chosen_user(self) -> str:
        """``*`` (the course), ``me``, a user id, ``loginid=…`` or a typed login name."""
        typed = self.typed_user()
        return typed.user or typed.login or ME

    def typed_user(self) -> TypedUser:
        """The chosen entry, or what the typed text names (see :mod:`.people`)."""
        text = self.user_combo.currentText().strip()
        index = self.user_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return TypedUser(user=str(self.user_combo.itemData(index)))
        known = [
            (str(self.user_combo.itemData(i)), self.user_combo.itemText(i).rpartition(" (")[0])
            for i in range(FIRST_STUDENT, self.user_combo.count())
        ]
        return read_typed_user(text, known)

    def chosen_types(self) -> list[str]:
        return [kind for kind, action in self.type_actions.items() if action.isChecked()]

    def set_types(self, kinds: Sequence[str]) -> None:
        """Check exactly ``kinds`` (refreshes once)."""
        for kind, action in self.type_actions.items():
            action.blockSignals(True)
            action.setChecked(kind in kinds)
            action.blockSignals(False)
        self.refresh()

    def set_date_range(self, after: date | None, before: date | None) -> None:
        """Limit to whole days in the course time zone; ``None`` = open-ended (refreshes once)."""
        for check, edit, value in ((self.after_check, self.after_edit, after),
                                   (self.before_check, self.before_edit, before)):  # fmt: skip
            check.blockSignals(True)
            check.setChecked(value is not None)
            edit.setEnabled(value is not None)
            if value is not None:
                edit.setDate(value)
            check.blockSignals(False)
        self.refresh()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read the feed again with the current filters (in the background)."""
        if self.client is None or self.course_id is None:
            self._show_status("Open a course to see its activity.")
            return
        kinds = self.chosen_types()
        if not kinds:
            self.entries = []
            self._populate()
            self._show_status("Choose at least one activity type.")
            return
        try:  # the day typed, not the last one that read while typing (2011-02-3)
            first = typed_day_in(self.after_edit, "From") if self.after_check.isChecked() else None
            last = typed_day_in(self.before_edit, "To") if self.before_check.isChecked() else None
        except DateTextError as exc:
            self.entries = []
            self._populate()
            self._show_status(f"{exc}.", error=True)
            return
        after, before = day_range(first, last, self.zone)
        typed, course_id, client = self.typed_user(), self.course_id, self.client
        if typed.problem:
            self.entries = []
            self._populate()
            self._show_status(typed.problem, error=True)
            return
        user = typed.user or typed.login or ME
        users = [ME, *self.known_students()] if user == ALL else [user]
        login = typed.login
        types = kinds if len(kinds) < len(ACTIVITY_TYPES) else []

        def job(_progress: Any, _cancelled: Any) -> tuple[list[ActivityEntry], list[str]]:
            asked = [login_user(client, login)] if login else users
            return fetch_feeds(client, asked, course_id, types, after, before)

        self._generation += 1
        generation = self._generation
        self._stale = False
        self._show_status("Loading activity…")
        self.job = start_job(
            job,
            name="activity feed",
            owner=self,
            on_success=lambda result: self._loaded(generation, user, *result),
            on_failure=lambda exc: self._failed(generation, user, exc),
        )

    def known_students(self) -> list[str]:
        """User ids of the students in the chooser (seen in a feed or remembered)."""
        combo = self.user_combo
        return [str(combo.itemData(i)) for i in range(FIRST_STUDENT, combo.count())]

    def _loaded(
        self, generation: int, user: str, entries: list[ActivityEntry], refused: list[str]
    ) -> None:
        if generation != self._generation:
            return  # a newer request is under way (or the course changed)
        self.job = None
        self.entries = entries
        self._remember_students(entries)
        typed_login = user not in (ALL, ME) and not user.isdigit() and "=" not in user
        if typed_login and entries and entries[0].actor_id is not None:
            user = str(entries[0].actor_id)  # a login name typed: now a student in the list
        self._show_chosen_user(user)
        self._offer_dates(entries)
        self._populate()
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        if user == ALL:
            students = len({e.actor_id for e in entries if e.actor_role.upper() == "STUD"})
            mine = any(e.actor_role.upper() != "STUD" for e in entries)
            if students:
                text = f"{count} from {students} student{'s' if students != 1 else ''}"
                text += f"{' and you' if mine else ''} in this course."
            elif entries:
                text = f"{count} of your activity in this course."
            else:
                text = "No activity in this course matches the filters."
            if refused:
                text += f" Not visible to you: {', '.join(map(self._user_name, refused))}."
            if not self.known_students():
                text += (
                    " Students join this list once you look one up: type a name, login "
                    "name or user id above."
                )
        else:
            who = "your" if user == ME else f"{self._user_name(user)}'s"
            text = (
                f"{count} of {who} activity in this course."
                if entries
                else f"No {who} activity in this course matches the filters."
            )
        self._show_status(text)
        self.loaded.emit(len(entries))

    def _failed(self, generation: int, user: str, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.job = None
        if isinstance(exc, NotFoundError) and not user.isdigit():
            message = f"LearningStudio knows nobody who signs in as {user!r}."
        elif isinstance(exc, LookupError):
            message = str(exc)
        elif isinstance(exc, ForbiddenError):
            message = (
                f"LearningStudio does not show you {self._user_name(user)}'s activity in this "
                "course: only a user's own activity, or that of a student in a course you "
                "teach, is visible."
            )
        else:
            message = str(exc) or type(exc).__name__
        self.entries = []
        self._populate()
        self._show_status(message, error=True)
        self.failed.emit(message)

    def _populate(self) -> None:
        self.tree.clear()
        rows = []
        for index, entry in enumerate(self.entries):
            when = format_local(entry.posted, self.zone) if entry.posted else "?"
            summary = " ".join(entry.summary.split())
            row = QTreeWidgetItem(
                [when, entry.actor_name, entry.what, entry.target_title, entry.role_name, summary]
            )
            row.setData(0, _ENTRY_ROLE, index)
            if self.locator.locate(entry) is not None:
                row.setToolTip(ITEM_COLUMN, "Click to select this item in the grid")
            rows.append(row)
        self.tree.addTopLevelItems(rows)
        for column in range(len(COLUMNS) - 1):
            self.tree.resizeColumnToContents(column)

    def _entry_clicked(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        index = row.data(0, _ENTRY_ROLE)
        if not isinstance(index, int) or not 0 <= index < len(self.entries):
            return
        item_id = self.locator.locate(self.entries[index])
        if item_id is None:
            self._show_status("This entry is not about an item of this course's schedule.")
            return
        self.item_activated.emit(item_id)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)

    def _filters_changed(self, *_args: object) -> None:
        # A bound method, not a lambda on self: no reference cycle keeps the dock alive.
        self.refresh()

    def _date_edited(self) -> None:
        if self.after_check.isChecked() or self.before_check.isChecked():
            self.refresh()

    def _offer_dates(self, entries: list[ActivityEntry]) -> None:
        """Unticked date fields start at the feed's first and last day, not today."""
        days = sorted(e.posted.astimezone(self.zone).date() for e in entries if e.posted)
        for check, edit, day in ((self.after_check, self.after_edit, days[:1]),
                                 (self.before_check, self.before_edit, days[-1:])):  # fmt: skip
            if day and not check.isChecked():
                edit.setDate(day[0])

    def _user_name(self, user: str) -> str:
        index = self.user_combo.findData(user)
        if index >= FIRST_STUDENT:
            return self.user_combo.itemText(index)
        return f"user {user}" if user.isdigit() else user

    def _show_chosen_user(self, user: str) -> None:
        index = self.user_combo.findData(user)
        if index >= 0:
            self.user_combo.setCurrentIndex(index)

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self._stale and self.job is None:
            self.refresh()

    # ------------------------------------------------------------------ known students

    def _settings_key(self) -> str:
        return f"courses/{self.course_id}/activity_users"

    def _load_known_users(self) -> None:
        while self.user_combo.count() > FIRST_STUDENT:
            self.user_combo.removeItem(FIRST_STUDENT)
        saved = self.settings.value(self._settings_key(), [], list) if self.settings else []
        for entry in saved if isinstance(saved, list) else []:
            user_id, _sep, name = str(entry).partition("\t")
            self._add_user(user_id, name)

    def _add_user(self, user_id: str, name: str) -> bool:
        if self.user_combo.findData(user_id) >= 0:
            return False
        self.user_combo.addItem(f"{name} ({user_id})" if name else user_id, user_id)
        return True

    def _remember_students(self, entries: list[ActivityEntry]) -> None:
        added = False
        for entry in entries:
            if entry.actor_id is not None and entry.actor_role.upper() == "STUD":
                added |= self._add_user(str(entry.actor_id), entry.actor_name)
        if added and self.settings is not None:
            users = [
                f"{self.user_combo.itemData(i)}\t{self.user_combo.itemText(i).rpartition(' (')[0]}"
                for i in range(FIRST_STUDENT, self.user_combo.count())
            ]
            self.settings.setValue(self._settings_key(), users)
