"""Secrets out of text: token- and password-like values, and exact secrets of this session.

Pure: the log filter (:mod:`scheduler_gui.store.logs`), error messages
(:mod:`scheduler_gui.api.errors`) and ``schedctl``'s output all pass through
:func:`redact`, so a secret a server echoes back is hidden wherever it would show.
"""

from __future__ import annotations

import re
import threading

_PATTERNS = [
    # access_token=..., password=..., "refresh_token": "...", oauth_signature="..."
    re.compile(
        r"(?i)(\"?(?:access_token|refresh_token|password|assertion|oauth_signature|"
        r"shared_secret|client_secret|token)\"?\s*[=:]\s*\"?)([^\"&,\s}]+)"
    ),
    re.compile(r"(?i)(Access_Token\s+access_token=)(\S+)"),
    re.compile(r"(?i)(Bearer\s+)(\S+)"),
]
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
MIN_SECRET_LENGTH = 4


def register_secret(value: str | None) -> None:
    """Never show this exact text (a password, shared secret or token of this session)."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with token/password values and registered secrets replaced by ``***``."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "***", text)
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, "***")
    return text
