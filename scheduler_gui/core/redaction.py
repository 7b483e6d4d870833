"""Secrets out of text: token- and password-like values, and exact secrets of this session.

Pure: the log filter (:mod:`scheduler_gui.store.logs`), error messages
(:mod:`scheduler_gui.api.errors`) and ``schedctl``'s output all pass through
:func:`redact`, so a secret a server echoes back is hidden wherever it would show.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import quote, quote_plus

_PATTERNS = [
    # access_token=..., password=..., "refresh_token": "...", oauth_signature="..."
    re.compile(
        r"(?i)(\"?(?:access_token|refresh_token|password|assertion|oauth_signature|"
        r"shared_secret|client_secret|token)\"?\s*[=:]\s*\"?)([^\"&,\s}]+)"
    ),
    re.compile(r"(?i)(Access_Token\s+access_token=)(\S+)"),
    re.compile(r"(?i)(Bearer\s+)(\S+)"),
]
MIN_SECRET_LENGTH = 4
#: A registered secret shorter than this is hidden only as a word of its own, so that
#: a password such as "admin" does not turn "administrator" into "***istrator".
WHOLE_WORD_BELOW = 12
_secrets: dict[str, re.Pattern[str]] = {}
_secrets_lock = threading.Lock()
#: ``_secrets`` longest first, sorted once per change, not on every log line.
_ordered: list[tuple[str, re.Pattern[str]]] = []


def register_secret(value: str | None) -> None:
    """Never show this exact text (a password, shared secret or token of this session),
    nor its URL-encoded forms (as a form or query echoes it)."""
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        for form in {value, quote(value, safe=""), quote_plus(value)}:
            if form not in _secrets:
                text = re.escape(form)
                if len(form) < WHOLE_WORD_BELOW:
                    text = rf"(?<![A-Za-z0-9]){text}(?![A-Za-z0-9])"
                _secrets[form] = re.compile(text)
        _ordered[:] = sorted(_secrets.items(), key=lambda pair: len(pair[0]), reverse=True)


def forget_secrets() -> None:
    """Forget every registered secret (a fresh process's state; tests start each from it)."""
    with _secrets_lock:
        _secrets.clear()
        _ordered.clear()


def redact(text: str) -> str:
    """``text`` with token/password values and registered secrets replaced by ``***``."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "***", text)
    with _secrets_lock:
        known = list(_ordered)
    for secret, pattern in known:
        if secret in text:
            text = pattern.sub("***", text)
    return text
