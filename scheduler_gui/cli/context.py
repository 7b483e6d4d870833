"""Build the API client for a ``schedctl`` command from options, environment and keyring.

Where each setting comes from, first match wins:

- base URL: ``--base-url``, ``LS_BASE_URL``, the saved settings;
- OAuth 2 password login: ``LS_CLIENT_STRING``, ``LS_APP_ID``, ``LS_USERNAME``,
  ``LS_PASSWORD`` (the settings supply all but the password; the password may also come
  from the keyring, saved by the app's "remember password");
- OAuth 2 assertion (no password): ``LS_APP_NAME``, ``LS_TOKEN_KEY_MONIKER`` and
  ``LS_SHARED_SECRET`` plus client string, app id and user name;
- OAuth 1 (``--auth oauth1``): ``LS_TOKEN_KEY_MONIKER``, ``LS_APP_ID``, ``LS_SHARED_SECRET``.

Secrets are registered with the log filter so they can never reach the log file.
This module imports httpx (via the client): command modules import it lazily.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..api.auth import OAuth1CmacAuth, OAuth2AssertionAuth, OAuth2PasswordAuth
from ..api.client import LearningStudioClient, RetryPolicy
from ..store.credentials import CredentialStore, login_account, secret_account
from ..store.logs import log_request, register_secret, setup_logging
from ..store.settings import Settings, load_settings
from . import EXIT_AUTH, EXIT_USAGE, CliError


@dataclass(frozen=True)
class Login:
    """Everything needed to authenticate; ``repr`` never shows the secrets."""

    base_url: str
    scheme: str  # oauth2 or oauth1
    client_string: str = ""
    application_id: str = ""
    username: str = ""
    application_name: str = ""
    token_key_moniker: str = ""
    password: str = field(default="", repr=False)
    shared_secret: str = field(default="", repr=False)


def _first(*values: str | None) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def resolve_login(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    credentials: CredentialStore | None = None,
) -> Login:
    """Collect the login from options, environment, settings and keyring (see module doc)."""
    env = os.environ if env is None else env
    settings = settings or load_settings()
    credentials = credentials or CredentialStore()
    base_url = _first(getattr(args, "base_url", None), env.get("LS_BASE_URL"), settings.base_url)
    if not base_url:
        raise CliError("No server given. Pass --base-url or set LS_BASE_URL.", EXIT_USAGE)
    login = Login(
        base_url=base_url,
        scheme=getattr(args, "auth", "oauth2") or "oauth2",
        client_string=_first(env.get("LS_CLIENT_STRING"), settings.client_string),
        application_id=_first(env.get("LS_APP_ID"), settings.application_id),
        username=_first(env.get("LS_USERNAME"), settings.username),
        application_name=_first(env.get("LS_APP_NAME"), settings.application_name),
        token_key_moniker=_first(env.get("LS_TOKEN_KEY_MONIKER"), settings.token_key_moniker),
        password=env.get("LS_PASSWORD", ""),
        shared_secret=env.get("LS_SHARED_SECRET", ""),
    )
    if not login.password and login.username and login.client_string:
        stored = credentials.get(login_account(base_url, login.client_string, login.username))
        login = replace(login, password=stored or "")
    if not login.shared_secret and login.token_key_moniker:
        stored = credentials.get(secret_account(base_url, login.token_key_moniker))
        login = replace(login, shared_secret=stored or "")
    for secret in (login.password, login.shared_secret):
        register_secret(secret)
    return login


def _missing(names: list[str]) -> CliError:
    return CliError(
        f"Cannot log in: set {', '.join(names)} in the environment "
        "(or log in once in the app and let it remember the password).",
        EXIT_AUTH,
    )


def build_auth(login: Login) -> OAuth1CmacAuth | OAuth2PasswordAuth | OAuth2AssertionAuth:
    """The ``httpx.Auth`` for ``login``; a clear error names what is missing."""
    if login.scheme == "oauth1":
        needed = {
            "LS_TOKEN_KEY_MONIKER": login.token_key_moniker,
            "LS_APP_ID": login.application_id,
            "LS_SHARED_SECRET": login.shared_secret,
        }
        if not all(needed.values()):
            raise _missing([name for name, value in needed.items() if not value])
        return OAuth1CmacAuth(login.token_key_moniker, login.application_id, login.shared_secret)
    common = {
        "LS_CLIENT_STRING": login.client_string,
        "LS_APP_ID": login.application_id,
        "LS_USERNAME": login.username,
    }
    if all(common.values()) and login.password:
        return OAuth2PasswordAuth(
            login.base_url,
            login.application_id,
            login.client_string,
            login.username,
            login.password,
        )
    assertion = {
        "LS_APP_NAME": login.application_name,
        "LS_TOKEN_KEY_MONIKER": login.token_key_moniker,
        "LS_SHARED_SECRET": login.shared_secret,
    }
    if all(common.values()) and all(assertion.values()):
        return OAuth2AssertionAuth(
            login.base_url,
            login.application_id,
            login.application_name,
            login.token_key_moniker,
            login.client_string,
            login.username,
            login.shared_secret,
        )
    missing = [name for name, value in common.items() if not value]
    raise _missing([*missing, "LS_PASSWORD"])


def client_from_args(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> LearningStudioClient:
    """A ready client for the command: auth, format, timeout, CA bundle and request log."""
    settings = settings or load_settings()
    login = resolve_login(args, env, settings)
    auth = build_auth(login)
    setup_logging()
    try:
        return LearningStudioClient(
            login.base_url,
            auth,
            timeout=settings.timeout,
            retry=RetryPolicy(attempts=max(0, settings.retries) + 1),
            fmt=getattr(args, "wire_format", "json") or "json",
            verify=settings.ca_bundle or True,
            on_request=log_request,
        )
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def base_url_of(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> str:
    """The base URL the command talks to (for backup metadata)."""
    env = os.environ if env is None else env
    return _first(getattr(args, "base_url", None), env.get("LS_BASE_URL"), load_settings().base_url)


def course_time_zone(args: argparse.Namespace, course_id: str = "") -> ZoneInfo:
    """``--tz``, else the zone saved for the course, else the system's IANA zone, else UTC."""
    name = getattr(args, "tz", None)
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise CliError(
                f"Unknown time zone {name!r}. Use an IANA name such as America/Denver.",
                EXIT_USAGE,
            ) from None
    candidates = [
        load_settings().time_zone_for(course_id) if course_id else "",
        os.environ.get("TZ", "").lstrip(":"),
        _system_zone(),
    ]
    for candidate in candidates:
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _system_zone() -> str:
    link = Path("/etc/localtime")
    try:
        target = str(link.resolve()) if link.is_symlink() else ""
    except OSError:
        return ""
    marker = "/zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""
