"""What a ``schedctl`` command connects with and which time zone it works in.

The client is built by :mod:`scheduler_gui.session` exactly as the app builds it; here
only the command line's own sources are added. Where each setting comes from, first
match wins:

- base URL: ``--base-url``, ``LS_BASE_URL``, the saved settings;
- OAuth 2 password login: ``LS_CLIENT_STRING``, ``LS_APP_ID``, ``LS_USERNAME``,
  ``LS_PASSWORD`` (the settings supply all but the password; the password may also come
  from the keyring, saved by the app's "remember password");
- OAuth 2 assertion (no password): ``LS_APP_NAME``, ``LS_TOKEN_KEY_MONIKER`` and
  ``LS_SHARED_SECRET`` plus client string, app id and user name;
- OAuth 1 (``--auth oauth1``): ``LS_TOKEN_KEY_MONIKER``, ``LS_APP_ID``, ``LS_SHARED_SECRET``;
- wire format: ``--format``, the saved ``wire_format``; timeout, retries and CA bundle:
  the saved settings;
- a course's time zone: ``--tz``, the zone saved for the course (by the app or
  ``schedctl zone``), the computer's zone.

This module imports httpx (via the session's client): command modules import it lazily.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from ..api.client import LearningStudioClient
from ..api.urls import UnencryptedPasswordError, is_plain_http_elsewhere
from ..session.client import SettingsError, build_client
from ..session.course_zones import CourseZones
from ..session.login import IncompleteLoginError, Login, login_from_environment, resolve_base_url
from ..session.zones import ZoneError
from ..store.credentials import CredentialStore
from ..store.logs import setup_logging
from ..store.settings import Settings, load_settings
from . import EXIT_AUTH, EXIT_USAGE, CliError


def resolve_login(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    credentials: CredentialStore | None = None,
) -> Login:
    """Collect the login from options, environment, settings and keyring (see module doc)."""
    login = login_from_environment(
        settings or load_settings(),
        base_url=getattr(args, "base_url", None),
        scheme=getattr(args, "auth", "oauth2") or "oauth2",
        env=env,
        credentials=credentials,
    )
    if not login.base_url:
        raise CliError("No server given. Pass --base-url or set LS_BASE_URL.", EXIT_USAGE)
    return login


def client_from_args(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> LearningStudioClient:
    """A ready client for the command: auth, format, timeout, retries, CA bundle, log."""
    settings = settings or load_settings()
    login = resolve_login(args, env, settings)
    setup_logging()
    unencrypted = bool(getattr(args, "send_password_unencrypted", False))
    try:
        client = build_client(
            settings,
            login,
            wire_format_override=getattr(args, "wire_format", None),
            allow_unencrypted_password=unencrypted,
        )
    except UnencryptedPasswordError as exc:
        raise CliError(
            f"{exc} (Only on a network you trust: --send-password-unencrypted.)", EXIT_USAGE
        ) from None
    except IncompleteLoginError as exc:
        raise CliError(str(exc), EXIT_AUTH) from None
    except (SettingsError, ValueError) as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if unencrypted and is_plain_http_elsewhere(client.base_url):
        print(
            f"schedctl: WARNING: --send-password-unencrypted: logging in to {client.base_url} "
            "sends your password and tokens readable by anyone on the network.",
            file=sys.stderr,
        )
    return client


def base_url_of(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> str:
    """The base URL the command talks to (for backup metadata)."""
    return resolve_base_url(load_settings(), getattr(args, "base_url", None), env)


def course_time_zone(args: argparse.Namespace, course_id: str = "") -> ZoneInfo:
    """``--tz``, else the zone saved for the course, else the computer's zone, else UTC."""
    try:
        return CourseZones().resolve(course_id, override=getattr(args, "tz", None))
    except ZoneError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
