"""Authentication as LEARNINGSTUDIO.md describes it: OAuth 2 tokens and OAuth 1 CMAC-AES.

OAuth 1 requests act for the application (server to server), with every course in reach;
OAuth 2 requests act for the user the token was issued to.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC

from scheduler_gui.core.times import TimestampError, parse_timestamp

from . import facts
from .state import SandboxState
from .wire import ApiError

REFRESH_TTL = 14 * 24 * 3600
ASSERTION_TYPE = "urn:ecollege:names:moauth:1.0:assertion"
OAUTH1 = "oauth1"
OAUTH2 = "oauth2"
_HEADER_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')


@dataclass(frozen=True)
class Principal:
    """Who a request acts for. ``user_id`` is ``None`` for an OAuth 1 application."""

    protocol: str
    user_id: int | None = None
    role: str = "APP"  # the user's institution role: ADMN, PROF, TAST, STUD


def unauthorized(message: str, error_id: str = "invalid_token") -> ApiError:
    return ApiError(401, message, error_id)


def cmac(message: str, secret: str = facts.SHARED_SECRET) -> bytes:
    """AES-CMAC of ``message`` keyed with the secret's bytes (16/24/32 -> AES-128/192/256)."""
    mac = CMAC(algorithms.AES(secret.encode("utf-8")))
    mac.update(message.encode("utf-8"))
    return mac.finalize()


# --- OAuth 2 --------------------------------------------------------------------------


def issue_tokens(state: SandboxState, user_id: int, *, refresh: bool = True) -> dict[str, object]:
    """A new access token (and refresh token): the ``POST /token`` response body."""
    now = state.now()
    access = secrets.token_urlsafe(24)
    rows = [(access, "access", user_id, now + state.token_ttl)]
    body: dict[str, object] = {"access_token": access}
    if refresh:
        refresh_token = secrets.token_urlsafe(24)
        rows.append((refresh_token, "refresh", user_id, now + REFRESH_TTL))
        body["refresh_token"] = refresh_token
    body["expires_in"] = state.token_ttl
    with state.store.transaction() as conn:
        conn.executemany("INSERT INTO tokens VALUES (?, ?, ?, ?)", rows)
    return body


def _check_client(form: dict[str, str]) -> None:
    if form.get("client_id") != facts.APPLICATION_ID:
        raise unauthorized("unknown client_id: use the application ID", "invalid_client")


def password_grant(state: SandboxState, form: dict[str, str]) -> dict[str, object]:
    _check_client(form)
    client, sep, user_name = form.get("username", "").partition("\\")
    if not sep or client.lower() != facts.CLIENT_STRING:
        raise unauthorized(
            "username must be {clientString}\\{username} with this institution's client string",
            "invalid_grant",
        )
    user = state.store.user_by_name(user_name)
    if user is None or not hmac.compare_digest(
        str(user["password"]).encode(), form.get("password", "").encode()
    ):
        raise unauthorized("the user name or password is wrong", "invalid_grant")
    return issue_tokens(state, int(user["user_id"]))


def refresh_grant(state: SandboxState, form: dict[str, str]) -> dict[str, object]:
    _check_client(form)
    row = state.store.one(
        "SELECT user_id, expires FROM tokens WHERE token = ? AND kind = 'refresh'",
        (form.get("refresh_token", ""),),
    )
    if row is None or row["expires"] <= state.now():
        raise unauthorized("the refresh token is unknown or expired", "invalid_grant")
    return issue_tokens(state, int(row["user_id"]))


def assertion_grant(state: SandboxState, form: dict[str, str]) -> dict[str, object]:
    if form.get("assertion_type") != ASSERTION_TYPE:
        raise ApiError(400, f"assertion_type must be {ASSERTION_TYPE}", "invalid_request")
    assertion = form.get("assertion", "")
    signed, _, signature = assertion.rpartition("|")
    fields = signed.split("|")
    if len(fields) != 6:
        raise unauthorized(
            "the assertion must be applicationName|tokenKeyMoniker|applicationId|clientString"
            "|username|timestamp|signature",
            "invalid_grant",
        )
    app_name, moniker, app_id, client, user_name, stamp = fields
    if (app_name, moniker, app_id) != (
        facts.APPLICATION_NAME,
        facts.TOKEN_KEY_MONIKER,
        facts.APPLICATION_ID,
    ) or client.lower() != facts.CLIENT_STRING:
        raise unauthorized("the assertion names an unknown application", "invalid_grant")
    try:
        when = parse_timestamp(stamp).timestamp()
    except TimestampError:
        raise unauthorized(
            "the assertion's timestamp is not yyyy-MM-ddTHH:mm:ssZ", "invalid_grant"
        ) from None
    if abs(when - state.now()) > facts.OAUTH1_WINDOW:
        raise unauthorized("the assertion's timestamp is too far from now", "invalid_grant")
    if not hmac.compare_digest(cmac(signed).hex(), signature.lower()):
        raise unauthorized("the assertion's signature does not verify", "invalid_grant")
    user = state.store.user_by_name(user_name)
    if user is None:
        raise unauthorized(f"no user {user_name!r} at this institution", "invalid_grant")
    return issue_tokens(state, int(user["user_id"]), refresh=False)


def access_token_principal(state: SandboxState, token: str) -> Principal:
    row = state.store.one(
        "SELECT t.user_id, t.expires, u.role FROM tokens t JOIN users u"
        " ON u.user_id = t.user_id WHERE t.token = ? AND t.kind = 'access'",
        (token,),
    )
    if row is None:
        raise unauthorized("the access token is not valid")
    if row["expires"] <= state.now():
        raise unauthorized("the access token has expired", "token_expired")
    return Principal(OAUTH2, int(row["user_id"]), str(row["role"]))


# --- OAuth 1.0a with CMAC-AES ---------------------------------------------------------


@dataclass(frozen=True)
class SignedRequest:
    method: str
    raw_path: str  # as sent (percent-encoded)
    path: str  # decoded
    raw_query: str
    body: bytes
    header: str


def _params(query: str, decode: bool) -> list[tuple[str, str]]:
    pairs = []
    for part in filter(None, query.split("&")):
        name, _, value = part.partition("=")
        if decode:
            name, value = unquote_plus(name), unquote_plus(value)
        pairs.append((name, value))
    return pairs


def base_strings(request: SignedRequest, oauth: dict[str, str]) -> set[str]:
    """Every reading of the signature base string that LEARNINGSTUDIO.md allows.

    ``METHOD&urlencode(path)&urlencode(sorted params)``; the small ambiguities of the
    description (encoded or decoded query values, ``%20`` or ``+``, whether the CR/LF
    removal applies before or after base64, an empty body sent or not) are all accepted.
    """
    signed = [(k, v) for k, v in oauth.items() if k not in ("realm", "oauth_signature")]
    body_values: set[str | None] = set()
    if request.body:
        body_values.add(base64.b64encode(request.body).decode())
        body_values.add(
            base64.b64encode(request.body.replace(b"\r", b"").replace(b"\n", b"")).decode()
        )
    else:
        body_values.update({None, ""} if request.method in ("POST", "PUT") else {None})
    results = set()
    for path in {request.raw_path, request.path}:
        for decode in (False, True):
            for body in body_values:
                params = signed + _params(request.raw_query, decode)
                if body is not None:
                    params.append(("body", body))
                params.sort(key=lambda kv: (kv[0].lower(), kv[1]))
                joined = "&".join(f"{k}={v}" for k, v in params)
                for encode in (_rfc3986, _form):
                    results.add(f"{request.method}&{encode(path)}&{encode(joined)}")
    return results


def _rfc3986(text: str) -> str:
    return quote(text, safe="~")


def _form(text: str) -> str:
    return quote_plus(text, safe="")


def oauth1_principal(state: SandboxState, request: SignedRequest) -> Principal:
    """Verify an ``X-Authorization: OAuth ...`` header, or raise 401."""
    oauth = {k: unquote(v) for k, v in _HEADER_PARAM.findall(request.header)}
    if oauth.get("oauth_signature_method") != "CMAC-AES":
        raise unauthorized("oauth_signature_method must be CMAC-AES", "invalid_signature")
    if oauth.get("oauth_consumer_key") != facts.TOKEN_KEY_MONIKER:
        raise unauthorized("unknown oauth_consumer_key (token key moniker)", "invalid_consumer")
    if oauth.get("application_id") != facts.APPLICATION_ID:
        raise unauthorized("unknown application_id", "invalid_consumer")
    try:
        stamp = int(oauth.get("oauth_timestamp", ""))
    except ValueError:
        raise unauthorized("oauth_timestamp must be Unix seconds", "invalid_timestamp") from None
    if abs(stamp - state.now()) > facts.OAUTH1_WINDOW:
        raise unauthorized("oauth_timestamp is too far from the server's time", "invalid_timestamp")
    nonce = oauth.get("oauth_nonce", "")
    if not nonce:
        raise unauthorized("oauth_nonce is missing", "invalid_nonce")
    try:
        sent = base64.b64decode(oauth.get("oauth_signature", ""), validate=True)
    except ValueError:
        raise unauthorized("oauth_signature is not base64", "invalid_signature") from None
    if not any(hmac.compare_digest(cmac(base), sent) for base in base_strings(request, oauth)):
        raise unauthorized("the OAuth signature does not verify", "invalid_signature")
    with state.store.transaction() as conn:
        conn.execute("DELETE FROM nonces WHERE seen < ?", (state.now() - 2 * facts.OAUTH1_WINDOW,))
        if conn.execute("SELECT 1 FROM nonces WHERE nonce = ?", (nonce,)).fetchone():
            raise unauthorized("oauth_nonce was used before", "invalid_nonce")
        conn.execute("INSERT INTO nonces VALUES (?, ?)", (nonce, state.now()))
    return Principal(OAUTH1)


def authenticate(state: SandboxState, header: str, signed: SignedRequest) -> Principal:
    """The principal of a request's ``X-Authorization`` header, or 401."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() == "access_token":
        match = re.search(r"access_token\s*=\s*\"?([^\s\",]+)", rest)
        if not match:
            raise unauthorized("write X-Authorization: Access_Token access_token={token}")
        return access_token_principal(state, match.group(1))
    if scheme.lower() == "oauth":
        return oauth1_principal(state, signed)
    raise unauthorized(
        "authenticate with X-Authorization: Access_Token access_token=... or an OAuth 1"
        " CMAC-AES signature",
        "not_authenticated",
    )
