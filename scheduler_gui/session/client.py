"""The one way to build an API client: from the settings and a :class:`~.login.Login`.

The app and ``schedctl`` both call :func:`build_client`, so both honour every connection
setting: base URL (from the login), timeout, retries, wire format, CA bundle, and the
authentication the login allows.
"""

from __future__ import annotations

from typing import Any

import httpx

from ..api.client import LearningStudioClient, RequestLogHook, RetryPolicy
from ..api.errors import NotFoundError
from ..store.logs import log_request
from ..store.settings import Settings, settings_path
from .login import Login, build_auth

WIRE_FORMATS = ("json", "xml")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it, its file and the fix."""


def retry_policy(settings: Settings) -> RetryPolicy:
    """``settings.retries`` extra tries after the first (never fewer than none)."""
    return RetryPolicy(attempts=max(0, settings.retries) + 1)


def wire_format(settings: Settings, override: str | None = None) -> str:
    """``override`` (e.g. ``schedctl --format``) or the saved ``wire_format``.

    Raises:
        SettingsError: the saved format is neither json nor xml.
    """
    chosen = (override or settings.wire_format or "json").strip().lower()
    if chosen not in WIRE_FORMATS:
        raise SettingsError(
            f"Unknown wire_format {chosen!r} in {settings_path()}: use json or xml."
        )
    return chosen


def build_client(
    settings: Settings,
    login: Login,
    *,
    wire_format_override: str | None = None,
    on_request: RequestLogHook | None = log_request,
    transport: httpx.BaseTransport | None = None,
    allow_unencrypted_password: bool = False,
) -> LearningStudioClient:
    """A client for ``login`` configured by ``settings`` (see the module doc).

    Raises:
        IncompleteLoginError: the login lacks what its scheme needs.
        SettingsError: a saved setting that cannot be used.
        RejectedInputError: the base URL is not an http(s) URL.
        UnencryptedPasswordError: a password login over plain http to another computer,
            unless ``allow_unencrypted_password``.
    """
    auth = build_auth(login)
    return LearningStudioClient(
        login.base_url,
        auth,
        timeout=settings.timeout,
        retry=retry_policy(settings),
        fmt=wire_format(settings, wire_format_override),
        verify=settings.ca_bundle or True,
        on_request=on_request,
        transport=transport,
        allow_unencrypted_password=allow_unencrypted_password,
    )


def log_in(settings: Settings, login: Login) -> tuple[LearningStudioClient, dict[str, Any]]:
    """A logged-in client and who it is (token request and ``GET /me``).

    A server without ``/me`` gives no name: the token request still proved the login.
    Raises the API's errors (the client is closed then).
    """
    client = build_client(settings, login)
    try:
        try:
            user = client.me()
        except NotFoundError:
            user = {}
    except BaseException:
        client.close()
        raise
    return client, user if isinstance(user, dict) else {}
