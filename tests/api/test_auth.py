"""Authentication headers, byte for byte, and token handling over httpx.MockTransport.

The expected CMAC values were computed independently with OpenSSL, e.g.
``printf '%s' "$BASE" | openssl mac -cipher AES-128-CBC -macopt key:$KEY -binary CMAC | base64``.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest

from scheduler_gui.api.auth import (
    OAuth1CmacAuth,
    OAuth2AssertionAuth,
    OAuth2PasswordAuth,
    build_assertion,
    cmac,
    signature_base_string,
)
from scheduler_gui.api.errors import AuthenticationError, ServerError

KEY = "0123456789abcdef"
OAUTH1_PARAMS = {  # the OAuth 1 parameters of the base-string tests
    "oauth_consumer_key": "moniker-1",
    "application_id": "app-1",
    "oauth_signature_method": "CMAC-AES",
    "oauth_timestamp": "1300000000",
    "oauth_nonce": "abc123",
}
BASE_GET = (
    "GET&%2Fcourses%2F123456%2FitemSchedules.json&application_id%3Dapp-1"
    "%26oauth_consumer_key%3Dmoniker-1%26oauth_nonce%3Dabc123"
    "%26oauth_signature_method%3DCMAC-AES%26oauth_timestamp%3D1300000000"
)
BASE_PUT = (
    "PUT&%2Fcourses%2F123456%2FitemSchedules&application_id%3Dapp-1"
    "%26body%3DeyJhIjogMX0%3D%26oauth_consumer_key%3Dmoniker-1%26oauth_nonce%3Dabc123"
    "%26oauth_signature_method%3DCMAC-AES%26oauth_timestamp%3D1300000000%26v%3D2%26Z%3Dlast"
)


def oauth1(secret: str = KEY) -> OAuth1CmacAuth:
    return OAuth1CmacAuth(
        "moniker-1", "app-1", secret, clock=lambda: 1300000000.4, nonce=lambda: "abc123"
    )


def test_cmac_matches_rfc4493_empty_message_vector() -> None:
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
    assert cmac(key, "").hex() == "bb1d6929e95937287fa37d129b756746"


def test_cmac_refuses_a_secret_of_the_wrong_length() -> None:
    with pytest.raises(AuthenticationError, match="16, 24 or 32"):
        cmac("short", "x")


def test_oauth1_base_string_for_a_get() -> None:
    url = httpx.URL("https://api.example.test/courses/123456/itemSchedules.json")
    assert signature_base_string("get", url, OAUTH1_PARAMS, None) == BASE_GET


def test_oauth1_base_string_includes_query_and_body_without_crlf_sorted_case_insensitively() -> (
    None
):
    url = httpx.URL("https://api.example.test/courses/123456/itemSchedules?v=2&Z=last")
    assert signature_base_string("PUT", url, OAUTH1_PARAMS, b'{"a": 1}\r\n') == BASE_PUT


def test_oauth1_header_is_byte_exact_for_a_get() -> None:
    url = httpx.URL("https://api.example.test/courses/123456/itemSchedules.json")
    assert oauth1().header_value("GET", url, None) == (
        'OAuth realm="https://api.example.test/courses/123456/itemSchedules.json",'
        'oauth_consumer_key="moniker-1",application_id="app-1",'
        'oauth_signature_method="CMAC-AES",oauth_timestamp="1300000000",'
        'oauth_nonce="abc123",oauth_signature="qp10AbHWzLklJmdSdMDC7w=="'
    )


def test_oauth1_header_for_a_put_signs_body_and_query_and_realm_drops_query() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=oauth1()) as client:
        client.put(
            "https://api.example.test/courses/123456/itemSchedules?v=2&Z=last",
            content=b'{"a": 1}\r\n',
        )
    header = seen[0].headers["X-Authorization"]
    assert header.startswith('OAuth realm="https://api.example.test/courses/123456/itemSchedules",')
    assert header.endswith('oauth_signature="5ofBJelvNhuqe7PwKyeHQg=="')
    assert "Authorization" not in {k for k in seen[0].headers if k.lower() == "authorization"}


def test_oauth1_aes256_signature_is_percent_encoded_in_the_header() -> None:
    url = httpx.URL("https://api.example.test/courses/123456/itemSchedules.json")
    header = oauth1(KEY * 2).header_value("GET", url, None)
    # PJt+lC+jB/tuktjQFeiGuw== (OpenSSL, AES-256) with + / = escaped.
    assert header.endswith('oauth_signature="PJt+lC+jB/tuktjQFeiGuw=="')


def test_assertion_string_ends_in_lowercase_hex_cmac() -> None:
    when = datetime(2011, 3, 8, 6, 59, tzinfo=UTC)
    assertion = build_assertion("MyApp", "moniker-1", "app-1", "gbtestc", "prof", KEY, when)
    assert assertion == (
        "MyApp|moniker-1|app-1|gbtestc|prof|2011-03-08T06:59:00Z|5aa784b08b05fe356ddec038aa6880f4"
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TokenServer:
    """A MockTransport handler: /token issues numbered tokens, /data wants the newest."""

    def __init__(self, lifetime: int = 3600, refresh: bool = True) -> None:
        self.lifetime = lifetime
        self.refresh = refresh
        self.issued = 0
        self.forms: list[dict[str, list[str]]] = []
        self.valid: set[str] = set()
        self.api_headers: list[str] = []
        self.lock = threading.Lock()

    def revoke_all(self) -> None:
        self.valid.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            assert request.headers["content-type"] == "application/x-www-form-urlencoded"
            form = parse_qs(request.content.decode(), keep_blank_values=True)
            with self.lock:
                self.forms.append(form)
                if form["grant_type"] == ["refresh_token"] and form["refresh_token"][0] not in {
                    f"refresh-{n}" for n in range(1, self.issued + 1)
                }:
                    return httpx.Response(400, json={"error": {"message": "bad refresh"}})
                self.issued += 1
                token = f"access-{self.issued}"
                self.valid = {token}
            body = {"access_token": token, "expires_in": self.lifetime}
            if self.refresh:
                body["refresh_token"] = f"refresh-{self.issued}"
            return httpx.Response(200, json=body)
        header = request.headers.get("X-Authorization", "")
        self.api_headers.append(header)
        token = header.removeprefix("Access_Token access_token=")
        if token not in self.valid:
            return httpx.Response(401, json={"error": {"message": "expired", "errorId": "E401"}})
        return httpx.Response(200, json={"ok": token})


def password_auth(clock: FakeClock, password: str = "s3cret pw&=") -> OAuth2PasswordAuth:  # noqa: S107
    return OAuth2PasswordAuth(
        "https://api.example.test/", "app-1", "gbtestc", "prof", password, clock=clock
    )


def test_password_grant_form_and_access_token_header() -> None:
    server, clock = TokenServer(), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        assert client.get("https://api.example.test/data").json() == {"ok": "access-1"}
        client.get("https://api.example.test/data")
    assert server.forms == [
        {
            "grant_type": ["password"],
            "client_id": ["app-1"],
            "username": ["gbtestc\\prof"],
            "password": ["s3cret pw&="],
        }
    ]
    assert server.api_headers == ["Access_Token access_token=access-1"] * 2


def test_token_is_refreshed_shortly_before_it_expires() -> None:
    server, clock = TokenServer(lifetime=3600), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        client.get("https://api.example.test/data")
        clock.now += 3600 - 30  # inside the renewal margin, not yet expired
        assert client.get("https://api.example.test/data").json() == {"ok": "access-2"}
    assert server.forms[1] == {
        "grant_type": ["refresh_token"],
        "client_id": ["app-1"],
        "refresh_token": ["refresh-1"],
    }
    assert server.api_headers == [
        "Access_Token access_token=access-1",
        "Access_Token access_token=access-2",
    ]


def test_unexpected_401_refreshes_once_and_retries_the_request() -> None:
    server, clock = TokenServer(), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        client.get("https://api.example.test/data")
        server.revoke_all()  # the server forgot the token (restart, expiry)
        response = client.get("https://api.example.test/data")
    assert response.json() == {"ok": "access-2"}
    assert [f["grant_type"][0] for f in server.forms] == ["password", "refresh_token"]


def test_a_second_401_is_returned_not_looped() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/token":
            return httpx.Response(200, json={"access_token": "t", "refresh_token": "r"})
        return httpx.Response(401)

    auth = password_auth(FakeClock())
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        assert client.get("https://api.example.test/data").status_code == 401
    assert calls == ["/token", "/data", "/token", "/data"]


def test_refused_refresh_token_falls_back_to_a_fresh_login() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
        server.issued = 0  # every refresh token is now unknown
        auth.expire_now()
        assert client.get("https://api.example.test/data").status_code == 200
    assert [f["grant_type"][0] for f in server.forms] == ["password", "refresh_token", "password"]


def test_bad_password_raises_authentication_error_without_the_password() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "The user name or password is incorrect.", "errorId": "AUTH1"}}
        return httpx.Response(400, json=body)

    auth = password_auth(FakeClock(), password="hunter2-secret")
    with (
        httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.get("https://api.example.test/data")
    error = caught.value
    assert error.status == 400 and error.error_id == "AUTH1" and error.exit_code == 3
    assert "incorrect" in error.detail
    for text in (str(error), error.detail, repr(error), repr(auth)):
        assert "hunter2-secret" not in text


def test_token_endpoint_5xx_is_a_server_error() -> None:
    auth = password_auth(FakeClock())
    transport = httpx.MockTransport(lambda request: httpx.Response(503, text="busy"))
    with httpx.Client(transport=transport, auth=auth) as client, pytest.raises(ServerError):
        client.get("https://api.example.test/data")


def test_assertion_grant_form_and_no_refresh_token() -> None:
    server, clock = TokenServer(refresh=False), FakeClock()
    auth = OAuth2AssertionAuth(
        "https://api.example.test",
        "app-1",
        "MyApp",
        "moniker-1",
        "gbtestc",
        "prof",
        KEY,
        clock=clock,
        now=lambda: datetime(2011, 3, 8, 6, 59, tzinfo=UTC),
    )
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
        clock.now += 4000
        assert client.get("https://api.example.test/data").json() == {"ok": "access-2"}
    expected = {
        "grant_type": ["assertion"],
        "assertion_type": ["urn:ecollege:names:moauth:1.0:assertion"],
        "assertion": [
            "MyApp|moniker-1|app-1|gbtestc|prof|2011-03-08T06:59:00Z|"
            "5aa784b08b05fe356ddec038aa6880f4"
        ],
    }
    assert server.forms == [expected, expected]


def test_threads_sharing_one_auth_log_in_once() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    results: list[int] = []
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:

        def work() -> None:
            results.append(client.get("https://api.example.test/data").status_code)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [200] * 6
    assert len(server.forms) == 1


def test_token_repr_hides_values() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
    assert "access-1" not in repr(auth.token) and "refresh-1" not in repr(auth.token)
    assert json.dumps(repr(auth)).count("s3cret") == 0
