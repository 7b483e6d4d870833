"""The login dialog: where to connect and who is logging in (OAuth 2 password grant).

The login itself runs in a worker (token request + ``GET /me``), so the dialog stays
responsive; errors appear inline under the form and nothing typed is cleared. "Remember
me" keeps the password in the system keyring; without one the box is disabled, the
dialog says why, and the login still works.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui import APP_NAME
from scheduler_gui.store.credentials import CredentialStore, login_account
from scheduler_gui.store.logs import register_secret
from scheduler_gui.store.paths import StoreError
from scheduler_gui.store.settings import (
    DEFAULT_BASE_URL,
    Settings,
    load_settings,
    update_settings,
)

from ..widgets.icons import app_icon, icon
from ..widgets.workers import Job, start_job

if TYPE_CHECKING:
    from scheduler_gui.session.login import Login


@dataclass(frozen=True)
class LoginForm:
    """What the user typed (the password stays in memory only)."""

    base_url: str
    client_string: str
    application_id: str
    username: str
    password: str
    remember: bool

    def login(self) -> Login:
        """Who logs in, as ``schedctl`` would (surrounding blanks and a final ``/`` dropped)."""
        from scheduler_gui.session.login import Login  # imports httpx: when connecting

        return Login(
            self.base_url.strip().rstrip("/"),
            client_string=self.client_string.strip(),
            application_id=self.application_id.strip(),
            username=self.username.strip(),
            password=self.password,
        )

    def missing(self) -> list[str]:
        labels = {
            "base_url": "base URL",
            "client_string": "client string",
            "application_id": "application ID",
            "username": "user name",
            "password": "password",
        }
        return [label for name, label in labels.items() if not getattr(self, name).strip()]


@dataclass(frozen=True)
class Session:
    """A logged-in client and who it is logged in as."""

    client: Any
    form: LoginForm
    user: dict[str, Any]
    #: Something to tell the user once (e.g. "password not remembered: no keyring").
    notice: str = ""

    @property
    def label(self) -> str:
        name = " ".join(str(self.user.get(key) or "") for key in ("firstName", "lastName")).strip()
        return f"{name or self.form.username} @ {self.form.base_url}"


def connect(form: LoginForm, settings: Settings | None = None) -> Session:
    """Log in (token request and ``GET /me``); runs in a worker. Raises API errors.

    The client is built as ``schedctl`` builds it (``session.client``), from the saved
    settings (timeout, retries, wire format, CA bundle) unless ``settings`` are given.
    """
    from scheduler_gui.session.client import log_in

    client, user = log_in(settings if settings is not None else load_settings(), form.login())
    return Session(client, form, user)


def _account(form: LoginForm) -> str:
    return login_account(form.base_url.strip(), form.client_string.strip(), form.username.strip())


def remember_password(form: LoginForm) -> str:
    """Store the password in the keyring; returns a notice if that was not possible."""
    return CredentialStore().remember(_account(form), form.password) or ""


def forget_password(form: LoginForm) -> None:
    CredentialStore().forget(_account(form))


def remembered_password(form: LoginForm) -> str | None:
    return CredentialStore().get(_account(form))


NO_KEYRING = (
    "This computer has no system keyring the app can use, so your password cannot be "
    "remembered: you will be asked for it each time. Logging in works as usual. (A "
    "keyring such as GNOME Keyring or KWallet, running in your session, makes it possible.)"
)


class LoginDialog(QDialog):
    """Asks for the connection and the user's credentials, then logs in."""

    logged_in = Signal(object)  # Session
    #: The keyring was asked (after the first paint): the box and note show its answer.
    keyring_checked = Signal()

    def __init__(self, parent: QWidget | None = None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else load_settings()
        self.session: Session | None = None
        self.job: Job | None = None
        self.setWindowTitle(f"Log in — {APP_NAME}")
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)

        saved = self.settings
        self.base_url = QLineEdit(saved.base_url or DEFAULT_BASE_URL)
        self.client_string = QLineEdit(saved.client_string)
        self.application_id = QLineEdit(saved.application_id)
        self.username = QLineEdit(saved.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember my password (in the system keyring)")
        self.keyring_note = QLabel(NO_KEYRING)
        self.keyring_note.setWordWrap(True)
        self.remember.setChecked(saved.remember_password)
        self.keyring_note.setVisible(False)
        self._keyring_available: bool | None = None  # asked after the first paint
        self.base_url.setPlaceholderText(DEFAULT_BASE_URL)
        self.client_string.setPlaceholderText("your institution's code, e.g. gbtestc")
        self.application_id.setPlaceholderText("from your LearningStudio administrator")

        form = QFormLayout()
        form.addRow("&Server (base URL):", self.base_url)
        form.addRow("&Client string:", self.client_string)
        form.addRow("&Application ID:", self.application_id)
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        form.addRow("", self.remember)

        self.error_icon = QLabel()
        self.error_icon.setPixmap(icon("error", "#d93025").pixmap(20, 20))
        self.error = QLabel()
        self.error.setObjectName("LoginError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error_row = QHBoxLayout()
        error_row.addWidget(self.error_icon, 0, Qt.AlignmentFlag.AlignTop)
        error_row.addWidget(self.error, 1)
        self.error_box = QWidget()
        self.error_box.setLayout(error_row)
        self.error_box.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("&Log in")
        self.login_button.setIcon(icon("login"))
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        # Under the form, not in it: a form row squeezes a wrapped label shown later.
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_box)
        layout.addWidget(self.buttons)

        self.username.editingFinished.connect(self._fill_remembered_password)
        first_empty = next(
            (w for w in (self.client_string, self.application_id, self.username, self.password)
             if not w.text()),
            self.password,
        )  # fmt: skip
        first_empty.setFocus()

    @property
    def keyring_available(self) -> bool:
        """Whether a keyring can hold the password: without one, the box is off and
        disabled, and the note under it says why (an option that cannot work is not
        offered as if it could). Asked once the dialog is on screen (importing keyring
        and finding its backend take about 0.1 s), or now if needed before."""
        if self._keyring_available is None:
            self._keyring_available = available = CredentialStore().available
            self.remember.setChecked(self.settings.remember_password and available)
            self.remember.setEnabled(available and self.login_button.isEnabled())
            self.keyring_note.setVisible(not available)
            if not available:
                self.remember.setToolTip(NO_KEYRING)
                self._fit()  # the note comes after the first paint
        return self._keyring_available

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._keyring_available is None:
            QTimer.singleShot(0, self, self._ask_keyring)

    def _ask_keyring(self) -> None:
        if self._keyring_available is not None:
            return  # asked meanwhile
        _ = self.keyring_available
        self._fill_remembered_password()
        self.keyring_checked.emit()

    def form(self) -> LoginForm:
        return LoginForm(
            self.base_url.text().strip() or DEFAULT_BASE_URL,
            self.client_string.text(),
            self.application_id.text(),
            self.username.text(),
            self.password.text(),
            self.remember.isChecked() and self.keyring_available,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error_box.show()
        self._fit()

    def _fit(self) -> None:
        """Grow for text shown later (the keyring note, an error): wrapped labels are
        squeezed, not made room for, by the dialog's layout alone."""
        if self.isVisible():  # after the layout has taken in what was just shown
            QTimer.singleShot(0, self, self.adjustSize)

    def _fill_remembered_password(self) -> None:
        form = self.form()
        if form.username.strip() and not form.password and form.remember:
            password = remembered_password(form)
            if password:
                self.password.setText(password)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.base_url, self.client_string, self.application_id,
                       self.username, self.password, self.login_button):  # fmt: skip
            widget.setEnabled(not busy)
        self.remember.setEnabled(not busy and self.keyring_available)
        self.login_button.setText("Logging in…" if busy else "&Log in")

    def log_in(self) -> None:
        """Check the form, then log in in the background."""
        if self.job is not None:
            return
        form = self.form()
        missing = form.missing()
        if missing:
            self.show_error(f"Please fill in: {', '.join(missing)}.")
            return
        self.error_box.hide()
        register_secret(form.password)
        self._set_busy(True)
        self.job = start_job(
            lambda _progress, _cancelled: connect(form, self.settings),
            name="log in",
            on_success=self._logged_in,
            on_failure=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.job = None
        self._set_busy(False)
        self.show_error(login_error_message(error))
        self.password.setFocus()

    def _logged_in(self, session: Session) -> None:
        self.job = None
        self._set_busy(False)
        form = session.form

        def remember_login(settings: Settings) -> None:
            settings.base_url = form.base_url
            settings.client_string = form.client_string.strip()
            settings.application_id = form.application_id.strip()
            settings.username = form.username.strip()
            if self.keyring_available:  # else the box was off, not the user's choice
                settings.remember_password = form.remember

        remember_login(self.settings)
        notice = ""
        try:
            # Re-read first: what schedctl or the window saved meanwhile (zones) stays.
            update_settings(remember_login)
        except StoreError as exc:
            notice = f"Login settings not saved: {exc}"
        if form.remember:
            notice = " ".join(filter(None, [notice, remember_password(form)]))
        else:
            forget_password(form)
        self.session = dataclasses.replace(session, notice=notice)
        self.logged_in.emit(self.session)
        self.accept()


def login_error_message(error: BaseException) -> str:
    """What to show for a failed login: the API's own advice, or a plain fallback."""
    if hasattr(error, "exit_code") and str(error):
        return str(error)
    return f"Could not log in: {error or type(error).__name__}"
