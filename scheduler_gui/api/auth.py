"""LearningStudio authentication as ``httpx.Auth`` classes (see LEARNINGSTUDIO.md).

- OAuth 2 (password, refresh, assertion grants): ``POST {base}/token`` and then
  ``X-Authorization: Access_Token access_token=...`` on every call. Tokens are renewed
  shortly before ``expires_in`` runs out and once after an unexpected 401.
- OAuth 1.0a with the vendor's ``CMAC-AES`` signature method (no token at all).

Token requests go through the same ``httpx.Client`` (the auth flow yields them), so
timeouts, the CA bundle and test transports apply to them too. A lock makes token
renewal safe when a GUI worker thread and the main thread share one client.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote_plus

import httpx

from ..core.redaction import register_secret
from .errors import AuthenticationError, error_from_response
from .limits import DEFAULT_TOKEN_LIFETIME, token_lifetime

HEADER = "X-Authorization"
ASSERTION_TYPE = "urn:ecollege:names:moauth:1.0:assertion"
SIGNATURE_METHOD = "CMAC-AES"
#: Methods whose body is signed (as ``body=``, an empty body too).
BODY_METHODS = ("POST", "PUT")
#: Renew this long before expiry (or a tenth of the lifetime for short-lived tokens).
REFRESH_MARGIN = 60.0


def cmac(secret: str | bytes, message: str) -> bytes:
    """AES-CMAC of ``message`` (UTF-8) keyed with the secret's bytes (16/24/32 bytes)."""
    # cryptography loads on first use: OAuth 2 password logins never sign anything.
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.cmac import CMAC

    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) not in (16, 24, 32):
        raise AuthenticationError(
            "The shared secret must be 16, 24 or 32 characters long. Check LS_SHARED_SECRET."
        )
    mac = CMAC(algorithms.AES(key))
    mac.update(message.encode("utf-8"))
    return mac.finalize()


# --------------------------------------------------------------------------- OAuth 2


@dataclass(frozen=True, slots=True)
class Token:
    access_token: str
    refresh_token: str | None
    expires_at: float  # on the auth object's clock

    def __repr__(self) -> str:  # never print token values
        return f"Token(expires_at={self.expires_at:.0f})"


class _OAuth2Auth(httpx.Auth):
    """Shared OAuth 2 machinery: get, cache, renew and attach the access token."""

    requires_response_body = True
    #: What a refused login should make the user check ("" = the error's own advice).
    login_advice = ""

    def __init__(
        self,
        base_url: str,
        application_id: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = base_url.rstrip("/") + "/token"
        self.application_id = application_id
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Token | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token_url={self.token_url!r})"

    # Subclasses say how to log in from scratch.
    def _grant_fields(self) -> dict[str, str]:
        raise NotImplementedError

    @property
    def token(self) -> Token | None:
        """The current token (for tests and the GUI's "logged in" state)."""
        return self._token

    def expire_now(self) -> None:
        """Treat the current token as expired (forces a refresh on the next call)."""
        with self._lock:
            if self._token is not None:
                self._token = Token(self._token.access_token, self._token.refresh_token, 0.0)

    def _token_request(self, fields: dict[str, str]) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data=fields,
            headers={"Accept": "application/json"},
        )

    def _parse_token(self, response: httpx.Response) -> Token:
        if response.status_code != 200:
            error = error_from_response(
                response.status_code, response.content, "POST", self.token_url
            )
            if response.status_code in (400, 401):  # the token endpoint's "bad login"
                raise AuthenticationError(
                    self.login_advice,
                    response.status_code,
                    error.error_id,
                    "POST",
                    self.token_url,
                    server_message=error.server_message,
                )
            raise error
        try:
            body = json.loads(response.content)
            access = str(body["access_token"])
            lifetime = token_lifetime(body.get("expires_in", DEFAULT_TOKEN_LIFETIME))
        except (ValueError, KeyError, TypeError):
            raise AuthenticationError(
                "The login server sent an answer without an access token. "
                "Check the base URL, then try again.",
                200,
                None,
                "POST",
                self.token_url,
            ) from None
        refresh = body.get("refresh_token")
        for value in (access, refresh):  # hidden if a server ever echoes one back
            register_secret(str(value) if value else None)
        margin = min(REFRESH_MARGIN, lifetime / 10)
        return Token(access, str(refresh) if refresh else None, self._clock() + lifetime - margin)

    def _obtain(self, stale: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        """A valid access token, renewing it if it is missing, expiring or ``stale``."""
        with self._lock:
            current = self._token
            if (
                current is not None
                and current.access_token != stale  # differs: another thread renewed it
                and self._clock() < current.expires_at
            ):
                return current.access_token
            if current is not None and current.refresh_token:
                response = yield self._token_request(
                    {
                        "grant_type": "refresh_token",
                        "client_id": self.application_id,
                        "refresh_token": current.refresh_token,
                    }
                )
                if response.status_code == 200:
                    self._token = self._parse_token(response)
                    return self._token.access_token
                # A refused refresh token: log in again from scratch below.
            self._token = None
            response = yield self._token_request(self._grant_fields())
            self._token = self._parse_token(response)
            return self._token.access_token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = yield from self._obtain(stale=None)
        request.headers[HEADER] = f"Access_Token access_token={token}"
        response = yield request
        if response.status_code == 401:
            # Unexpected 401: renew once and retry the request once.
            token = yield from self._obtain(stale=token)
            request.headers[HEADER] = f"Access_Token access_token={token}"
            yield request


class OAuth2PasswordAuth(_OAuth2Auth):
    """Password grant; username is sent as ``{clientString}\\{username}``."""

    def __init__(
        self,
        base_url: str,
        application_id: str,
        client_string: str,
        username: str,
        password: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(base_url, application_id, clock=clock)
        self.client_string = client_string
        self.username = username
        self._password = password

    def _grant_fields(self) -> dict[str, str]:
        return {
            "grant_type": "password",
            "client_id": self.application_id,
            "username": f"{self.client_string}\\{self.username}",
            "password": self._password,
        }


def build_assertion(
    application_name: str,
    token_key_moniker: str,
    application_id: str,
    client_string: str,
    username: str,
    shared_secret: str | bytes,
    when: datetime,
) -> str:
    """The assertion-grant string, ending in the lowercase hex AES-CMAC of the rest."""
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = "|".join(
        (application_name, token_key_moniker, application_id, client_string, username, stamp)
    )
    return f"{unsigned}|{cmac(shared_secret, unsigned).hex()}"


class OAuth2AssertionAuth(_OAuth2Auth):
    """Assertion grant (server-to-server, no password); no refresh token comes back."""

    login_advice = (
        "LearningStudio did not accept the login. Check the application name "
        "(LS_APP_NAME), token key moniker (LS_TOKEN_KEY_MONIKER), shared secret "
        "(LS_SHARED_SECRET), application id (LS_APP_ID), client string and user name, "
        "and that this computer's clock is right."
    )

    def __init__(
        self,
        base_url: str,
        application_id: str,
        application_name: str,
        token_key_moniker: str,
        client_string: str,
        username: str,
        shared_secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(base_url, application_id, clock=clock)
        self.application_name = application_name
        self.token_key_moniker = token_key_moniker
        self.client_string = client_string
        self.username = username
        self._secret = shared_secret
        self._now = now
        cmac(shared_secret, "")  # fail early on a key of the wrong length

    def _grant_fields(self) -> dict[str, str]:
        assertion = build_assertion(
            self.application_name,
            self.token_key_moniker,
            self.application_id,
            self.client_string,
            self.username,
            self._secret,
            self._now(),
        )
        return {
            "grant_type": "assertion",
            "assertion_type": ASSERTION_TYPE,
            "assertion": assertion,
        }


# --------------------------------------------------------------------------- OAuth 1


def form_encode(text: str) -> str:
    """Url-encode form style, as the vendor's libraries do (Python's ``quote_plus``)."""
    return quote_plus(text, safe="")


def signature_base_string(
    method: str, url: httpx.URL, oauth_params: dict[str, str], body: bytes | None
) -> str:
    """``METHOD&urlencode(path)&urlencode(params)``, as the vendor's Python library signs.

    Params are the OAuth parameters (without realm and signature), the URL's query
    parameters (decoded; a blank one is left out, a repeated one counts once) and, for
    every POST and PUT (an empty body too), ``body`` = base64 of the body without CRLF
    pairs, url-encoded twice. They are sorted by name case-insensitively, joined
    ``name=value&...`` and url-encoded once more. The path is the one sent on the wire.
    """
    method = method.upper()
    path, _, query = url.raw_path.decode("ascii").partition("?")
    params = dict(oauth_params)
    for name, values in parse_qs(query).items():
        params[name] = values[0]
    if method in BODY_METHODS:
        flat = (body or b"").replace(b"\r\n", b"")
        params["body"] = form_encode(form_encode(base64.b64encode(flat).decode("ascii")))
    joined = "&".join(f"{name}={params[name]}" for name in sorted(params, key=str.lower))
    return f"{method}&{form_encode(path)}&{form_encode(joined)}"


class OAuth1CmacAuth(httpx.Auth):
    """OAuth 1.0a, two-legged, signed with AES-CMAC (``oauth_signature_method=CMAC-AES``)."""

    requires_request_body = True
    #: What a refused request should make the user check (see the client's 401 handling).
    login_advice = (
        "LearningStudio did not accept the OAuth 1 signature. Check the token key moniker "
        "(LS_TOKEN_KEY_MONIKER), the shared secret (LS_SHARED_SECRET) and the application "
        "id (LS_APP_ID), and that this computer's clock is right."
    )

    def __init__(
        self,
        token_key_moniker: str,
        application_id: str,
        shared_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: secrets.token_hex(16).upper(),
    ) -> None:
        cmac(shared_secret, "")  # fail early on a key of the wrong length
        self.consumer_key = token_key_moniker
        self.application_id = application_id
        self._secret = shared_secret
        self._clock = clock
        self._nonce = nonce

    def __repr__(self) -> str:
        return f"OAuth1CmacAuth(consumer_key={self.consumer_key!r})"

    def header_value(self, method: str, url: httpx.URL, body: bytes | None) -> str:
        """The ``X-Authorization`` value for one request (fresh timestamp and nonce).

        Every value but realm is url-encoded form style, so a ``+`` in the signature
        travels as ``%2B``.
        """
        oauth_params = {
            "oauth_consumer_key": self.consumer_key,
            "application_id": self.application_id,
            "oauth_signature_method": SIGNATURE_METHOD,
            "oauth_timestamp": str(int(self._clock())),
            "oauth_nonce": self._nonce(),
        }
        base = signature_base_string(method, url, oauth_params, body)
        signature = base64.b64encode(cmac(self._secret, base)).decode("ascii")
        signed = {**oauth_params, "oauth_signature": signature}
        realm = str(url).partition("?")[0]
        fields = [f'realm="{realm}"']
        fields += [f'{name}="{form_encode(value)}"' for name, value in signed.items()]
        return "OAuth " + ",".join(fields)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[HEADER] = self.header_value(request.method, request.url, request.content)
        yield request


__all__ = [
    "HEADER",
    "OAuth1CmacAuth",
    "OAuth2AssertionAuth",
    "OAuth2PasswordAuth",
    "Token",
    "build_assertion",
    "cmac",
    "form_encode",
    "signature_base_string",
]
