"""Passwords and shared secrets in the system keyring, and only there.

Without a usable keyring (``keyring.errors.NoKeyringError``, or the fail/null backends
a headless Linux box ends up with) nothing is stored: the caller gets a plain message
("password not remembered ...") and the user types the password next time.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from .paths import APP_NAME

# keyring (and the backends it discovers) is imported on first use: a command whose
# password comes from the environment never needs it.

SERVICE = APP_NAME
NOT_REMEMBERED = (
    "Password not remembered: this computer has no system keyring the app can use. "
    "You will be asked for it next time."
)


def login_account(base_url: str, client_string: str, username: str) -> str:
    """The keyring account name for one login on one server."""
    host = urlsplit(base_url).hostname or base_url
    return f"{client_string}\\{username}@{host}"


def secret_account(base_url: str, token_key_moniker: str) -> str:
    """The keyring account name for an OAuth 1 / assertion shared secret."""
    host = urlsplit(base_url).hostname or base_url
    return f"shared-secret:{token_key_moniker}@{host}"


def _backend_usable() -> bool:
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    name = type(backend).__module__ + "." + type(backend).__name__
    return not name.startswith(("keyring.backends.fail.", "keyring.backends.null."))


class CredentialStore:
    """Get, remember and forget secrets under the app's keyring service."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    @property
    def available(self) -> bool:
        """True if a real keyring backend is there to remember passwords."""
        return _backend_usable()

    def get(self, account: str) -> str | None:
        """The stored secret, or None (also when there is no keyring)."""
        if not self.available:
            return None
        import keyring
        import keyring.errors

        try:
            return keyring.get_password(self.service, account)
        except keyring.errors.KeyringError:
            return None

    def remember(self, account: str, secret: str) -> str | None:
        """Store ``secret``; returns None on success, else a message for the user."""
        if not self.available:
            return NOT_REMEMBERED
        import keyring
        import keyring.errors

        try:
            keyring.set_password(self.service, account, secret)
        except keyring.errors.NoKeyringError:
            return NOT_REMEMBERED
        except keyring.errors.KeyringError as exc:
            return f"Password not remembered: the keyring refused it ({type(exc).__name__})."
        return None

    def forget(self, account: str) -> None:
        """Remove a stored secret (nothing happens if there is none or no keyring)."""
        if not self.available:
            return
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(self.service, account)
