"""Who logs in and how: one :class:`Login` for the app's form and ``schedctl``'s sources.

``schedctl`` collects it from the environment, the settings and the keyring
(:func:`login_from_environment`); the app from its login form. Either way
:func:`build_auth` picks the authentication the login allows:

- OAuth 2 password grant: client string, application id, user name and password;
- OAuth 2 assertion grant (no password): the above without the password plus
  application name, token key moniker and shared secret;
- OAuth 1 CMAC-AES (``scheme="oauth1"``): token key moniker, application id and
  shared secret.

Secrets are registered with the log filter so they can never reach the log file.
This module imports httpx (via the auth classes): front ends import it when connecting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..api.auth import OAuth1CmacAuth, OAuth2AssertionAuth, OAuth2PasswordAuth
from ..store.credentials import CredentialStore, login_account, secret_account
from ..store.logs import register_secret
from ..store.settings import Settings


@dataclass(frozen=True)
class Login:
    """Everything needed to authenticate; ``repr`` never shows the secrets."""

    base_url: str
    scheme: str = "oauth2"  # oauth2 or oauth1
    client_string: str = ""
    application_id: str = ""
    username: str = ""
    application_name: str = ""
    token_key_moniker: str = ""
    password: str = field(default="", repr=False)
    shared_secret: str = field(default="", repr=False)


class IncompleteLoginError(ValueError):
    """A login that lacks what its scheme needs; ``missing`` names the variables."""

    def __init__(self, missing: list[str], *, oauth1: bool = False) -> None:
        if oauth1:  # the app's login dialog has no OAuth 1 fields to remember
            message = f"Cannot log in with OAuth 1: set {', '.join(missing)} in the environment."
        else:
            message = (
                f"Cannot log in: set {', '.join(missing)} in the environment "
                "(or log in once in the app and let it remember the password)."
            )
        super().__init__(message)
        self.missing = missing


def _first(*values: str | None) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def resolve_base_url(
    settings: Settings, option: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """``option`` (e.g. ``--base-url``), ``LS_BASE_URL``, the saved base URL; '' if none."""
    env = os.environ if env is None else env
    return _first(option, env.get("LS_BASE_URL"), settings.base_url)


def login_from_environment(
    settings: Settings,
    *,
    base_url: str | None = None,
    scheme: str = "oauth2",
    env: Mapping[str, str] | None = None,
    credentials: CredentialStore | None = None,
) -> Login:
    """The login from ``base_url`` (an option), ``LS_*`` variables, the settings and the
    keyring, first match wins; an empty ``base_url`` means none was found."""
    env = os.environ if env is None else env
    credentials = credentials or CredentialStore()
    url = resolve_base_url(settings, base_url, env)
    login = Login(
        base_url=url,
        scheme=scheme or "oauth2",
        client_string=_first(env.get("LS_CLIENT_STRING"), settings.client_string),
        application_id=_first(env.get("LS_APP_ID"), settings.application_id),
        username=_first(env.get("LS_USERNAME"), settings.username),
        application_name=_first(env.get("LS_APP_NAME"), settings.application_name),
        token_key_moniker=_first(env.get("LS_TOKEN_KEY_MONIKER"), settings.token_key_moniker),
        password=env.get("LS_PASSWORD", ""),
        shared_secret=env.get("LS_SHARED_SECRET", ""),
    )
    if url and not login.password and login.username and login.client_string:
        stored = credentials.get(login_account(url, login.client_string, login.username))
        login = replace(login, password=stored or "")
    if url and not login.shared_secret and login.token_key_moniker:
        stored = credentials.get(secret_account(url, login.token_key_moniker))
        login = replace(login, shared_secret=stored or "")
    return login


def build_auth(login: Login) -> OAuth1CmacAuth | OAuth2PasswordAuth | OAuth2AssertionAuth:
    """The ``httpx.Auth`` for ``login``.

    Raises:
        IncompleteLoginError: naming what is missing.
    """
    for secret in (login.password, login.shared_secret):
        register_secret(secret)
    base_url = login.base_url.strip().rstrip("/")
    if login.scheme == "oauth1":
        needed = {
            "LS_TOKEN_KEY_MONIKER": login.token_key_moniker,
            "LS_APP_ID": login.application_id,
            "LS_SHARED_SECRET": login.shared_secret,
        }
        if not all(needed.values()):
            missing = [name for name, value in needed.items() if not value]
            raise IncompleteLoginError(missing, oauth1=True)
        return OAuth1CmacAuth(login.token_key_moniker, login.application_id, login.shared_secret)
    common = {
        "LS_CLIENT_STRING": login.client_string.strip(),
        "LS_APP_ID": login.application_id.strip(),
        "LS_USERNAME": login.username.strip(),
    }
    if all(common.values()) and login.password:
        return OAuth2PasswordAuth(
            base_url,
            common["LS_APP_ID"],
            common["LS_CLIENT_STRING"],
            common["LS_USERNAME"],
            login.password,
        )
    assertion = {
        "LS_APP_NAME": login.application_name,
        "LS_TOKEN_KEY_MONIKER": login.token_key_moniker,
        "LS_SHARED_SECRET": login.shared_secret,
    }
    if all(common.values()) and all(assertion.values()):
        return OAuth2AssertionAuth(
            base_url,
            common["LS_APP_ID"],
            login.application_name,
            login.token_key_moniker,
            common["LS_CLIENT_STRING"],
            common["LS_USERNAME"],
            login.shared_secret,
        )
    missing = [name for name, value in common.items() if not value]
    raise IncompleteLoginError([*missing, "LS_PASSWORD"])
