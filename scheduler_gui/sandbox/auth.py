"""Authentication as LEARNINGSTUDIO.md describes it: OAuth 2 tokens and OAuth 1 CMAC-AES.

OAuth 1 requests act for the application (server to server), with every course in reach;
OAuth 2 requests act for the user the token was issued to.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote_plus, unquote_plus

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
    # cryptography loads on first use: the demo's OAuth 2 logins never sign anything.
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.cmac import CMAC

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
# Exactly what the vendor's client libraries sign (LEARNINGSTUDIO.md): the reading of its
# Python library, or of its Java library where the two differ (a query value sent
# percent-encoded; CRLF in a body). Nothing looser: a body url-encoded once, a POST or
# PUT signed without ``body=`` and a raw ``+`` in a header value all fail.

BODY_METHODS = ("POST", "PUT")
#: The header fields that are signed (realm and the signature itself are not).
SIGNED = (
    "oauth_consumer_key",
    "application_id",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
)
_ERROR_ID = {
    "oauth_consumer_key": "invalid_consumer",
    "application_id": "invalid_consumer",
    "oauth_timestamp": "invalid_timestamp",
    "oauth_nonce": "invalid_nonce",
}


@dataclass(frozen=True)
class SignedRequest:
    method: str
    raw_path: str  # as sent (percent-encoded), without the query
    raw_query: str
    body: bytes
    header: str


def _form(text: str) -> str:
    """Python's ``quote_plus``: what the vendor's Python library encodes with."""
    return quote_plus(text, safe="")


def _java_form(text: str) -> str:
    """Java's ``URLEncoder.encode``: ``*`` kept, ``~`` encoded."""
    return quote_plus(text, safe="*").replace("~", "%7E")


def _b64(body: bytes) -> str:
    return base64.b64encode(body).decode("ascii")


def _base_string(
    request: SignedRequest, params: dict[str, str], encode: Callable[[str], str]
) -> str:
    joined = "&".join(f"{name}={params[name]}" for name in sorted(params, key=str.lower))
    return f"{request.method}&{encode(request.raw_path)}&{encode(joined)}"


def _python_params(request: SignedRequest, oauth: dict[str, str]) -> dict[str, str]:
    """The OAuth and query parameters as the Python library reads them (query decoded,
    blank values left out, a repeated name counted once)."""
    params = dict(oauth)
    for name, values in parse_qs(request.raw_query).items():
        params[name] = values[0]
    return params


def python_base_string(request: SignedRequest, oauth: dict[str, str]) -> str:
    """What the vendor's Python library signs: ``body`` is base64 of the body without
    CRLF pairs, url-encoded twice, on every POST and PUT."""
    params = _python_params(request, oauth)
    if request.method in BODY_METHODS:
        params["body"] = _form(_form(_b64(request.body.replace(b"\r\n", b""))))
    return _base_string(request, params, _form)


def java_base_string(request: SignedRequest, oauth: dict[str, str]) -> str:
    """What the vendor's Java library signs: query values as sent, the whole body."""
    params = dict(oauth)
    for part in filter(None, request.raw_query.split("&")):
        name, _, value = part.partition("=")
        params[name] = value.partition("=")[0]
    if request.method in BODY_METHODS:
        params["body"] = _java_form(_java_form(_b64(request.body)))
    return _base_string(request, params, _java_form)


def _old_forms(request: SignedRequest, oauth: dict[str, str]) -> dict[str, str]:
    """Base strings of known wrong recipes -> what to tell the client that used one."""
    if request.method not in BODY_METHODS:
        return {}
    params = _python_params(request, oauth)
    encoded = _b64(request.body.replace(b"\r\n", b""))
    once = (
        "the body was url-encoded too few times: base64(body) is url-encoded twice,"
        " then the whole parameter string once more"
    )
    forms = {_base_string(request, params, _form): "POST and PUT sign body= (an empty body too)"}
    for value, advice in ((encoded, once), (_form(encoded), once)):
        forms[_base_string(request, {**params, "body": value}, _form)] = advice
    return forms


def _header_fields(header: str) -> dict[str, str]:
    """The header's fields; every value but realm is decoded form style (``+`` = space)."""
    return {
        name: value if name == "realm" else unquote_plus(value)
        for name, value in _HEADER_PARAM.findall(header)
    }


def _signature_failure(request: SignedRequest, oauth: dict[str, str], sent: str) -> ApiError:
    """401 saying why the signature failed, as far as that can be told; never the
    expected signature."""
    if " " in sent:
        reason = (
            "oauth_signature holds a space: a '+' sent raw in the header reads as a space;"
            " url-encode every header value but realm (+ as %2B, / as %2F, = as %3D)"
        )
    else:
        reason = next(
            (
                advice
                for base, advice in _old_forms(request, oauth).items()
                if _signature_of(base) == sent
            ),
            "check the shared secret and the signing steps",
        )
    signed = set(_python_params(request, oauth))
    if request.method in BODY_METHODS:
        signed.add("body")
    return unauthorized(
        f"the OAuth signature does not verify ({reason}); signed parameters here:"
        f" {', '.join(sorted(signed, key=str.lower))}",
        "invalid_signature",
    )


def _signature_of(base: str) -> str:
    return base64.b64encode(cmac(base)).decode("ascii")


def oauth1_principal(state: SandboxState, request: SignedRequest) -> Principal:
    """Verify an ``X-Authorization: OAuth ...`` header, or raise 401 naming the part
    that failed (consumer key, timestamp, nonce or signature)."""
    fields = _header_fields(request.header)
    for name in (*SIGNED, "oauth_signature"):
        if not fields.get(name):
            raise unauthorized(
                f"the OAuth header has no {name}", _ERROR_ID.get(name, "invalid_signature")
            )
    if fields["oauth_signature_method"] != "CMAC-AES":
        raise unauthorized("oauth_signature_method must be CMAC-AES", "invalid_signature")
    if fields["oauth_consumer_key"] != facts.TOKEN_KEY_MONIKER:
        raise unauthorized(
            "unknown oauth_consumer_key: check the token key moniker", "invalid_consumer"
        )
    if fields["application_id"] != facts.APPLICATION_ID:
        raise unauthorized("unknown application_id: check the application id", "invalid_consumer")
    try:
        stamp = int(fields["oauth_timestamp"])
    except ValueError:
        raise unauthorized("oauth_timestamp must be Unix seconds", "invalid_timestamp") from None
    drift = stamp - state.now()
    if abs(drift) > facts.OAUTH1_WINDOW:
        raise unauthorized(
            f"oauth_timestamp is {abs(drift):.0f} seconds {'ahead of' if drift > 0 else 'behind'}"
            f" the server's clock (at most {facts.OAUTH1_WINDOW} allowed): check the clock",
            "invalid_timestamp",
        )
    oauth = {name: fields[name] for name in SIGNED}
    sent = fields["oauth_signature"]
    if not hmac.compare_digest(_signature_of(python_base_string(request, oauth)), sent) and (
        not hmac.compare_digest(_signature_of(java_base_string(request, oauth)), sent)
    ):
        raise _signature_failure(request, oauth, sent)
    nonce = fields["oauth_nonce"]
    with state.store.transaction() as conn:
        conn.execute("DELETE FROM nonces WHERE seen < ?", (state.now() - 2 * facts.OAUTH1_WINDOW,))
        if conn.execute("SELECT 1 FROM nonces WHERE nonce = ?", (nonce,)).fetchone():
            raise unauthorized(
                "oauth_nonce was used before: send a fresh nonce with every request",
                "invalid_nonce",
            )
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
