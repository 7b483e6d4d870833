"""POST /token (OAuth 2 grants) and Access_Token authentication, over loopback."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.helpers import error_of, refresh_form

SCHEDULES = "/courses/123456/itemSchedules"


def password_grant(client: httpx.Client, user: str, password: str, **extra: str) -> httpx.Response:
    form = {
        "grant_type": "password",
        "client_id": "sandbox-app",
        "username": f"sandbox\\{user}",
        "password": password,
        **extra,
    }
    return client.post("/token", data=form)


def bearer(token: str) -> dict[str, str]:
    return {"X-Authorization": f"Access_Token access_token={token}"}


def test_password_grant_returns_tokens_that_authenticate(client: httpx.Client) -> None:
    response = password_grant(client, "prof", "prof")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "expires_in"}
    assert body["expires_in"] == 3600
    assert client.get(SCHEDULES, headers=bearer(body["access_token"])).status_code == 200


def test_wrong_password_client_string_or_client_id_get_401(client: httpx.Client) -> None:
    assert error_of(password_grant(client, "prof", "nope"))["errorId"] == "invalid_grant"
    wrong_client = client.post(
        "/token",
        data={
            "grant_type": "password",
            "client_id": "sandbox-app",
            "username": "otherschool\\prof",
            "password": "prof",
        },
    )
    assert wrong_client.status_code == 401
    wrong_app = password_grant(client, "prof", "prof", client_id="someone-else")
    assert wrong_app.status_code == 401
    assert error_of(wrong_app)["errorId"] == "invalid_client"


def test_unknown_grant_is_400_and_json_body_is_406(client: httpx.Client) -> None:
    unknown = client.post("/token", data={"grant_type": "client_credentials"})
    assert unknown.status_code == 400
    assert error_of(unknown)["errorId"] == "unsupported_grant_type"
    as_json = client.post("/token", json={"grant_type": "password"})
    assert as_json.status_code == 406


def test_refresh_grant_gives_a_working_token(client: httpx.Client) -> None:
    first = password_grant(client, "prof", "prof").json()
    response = client.post("/token", data=refresh_form(first["refresh_token"]))
    assert response.status_code == 200
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert client.get(SCHEDULES, headers=bearer(second["access_token"])).status_code == 200
    bad = client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": "sandbox-app", "refresh_token": "x"},
    )
    assert bad.status_code == 401


def test_token_expires_after_the_configured_ttl(client: httpx.Client, sandbox: Any) -> None:
    sandbox.set_token_ttl(60)
    body = password_grant(client, "prof", "prof").json()
    assert body["expires_in"] == 60
    assert client.get(SCHEDULES, headers=bearer(body["access_token"])).status_code == 200
    sandbox.advance_clock(61)
    expired = client.get(SCHEDULES, headers=bearer(body["access_token"]))
    assert expired.status_code == 401
    assert error_of(expired)["errorId"] == "token_expired"
    refreshed = client.post("/token", data=refresh_form(body["refresh_token"]))
    assert client.get(SCHEDULES, headers=bearer(refreshed.json()["access_token"])).is_success


def test_requests_without_x_authorization_get_401(client: httpx.Client) -> None:
    token = password_grant(client, "prof", "prof").json()["access_token"]
    assert client.get(SCHEDULES).status_code == 401
    # The API does not take the usual Authorization: Bearer header.
    bearer_header = client.get(SCHEDULES, headers={"Authorization": f"Bearer {token}"})
    assert bearer_header.status_code == 401
    assert error_of(bearer_header)["errorId"] == "not_authenticated"
    assert client.get(SCHEDULES, headers=bearer("made-up")).status_code == 401
