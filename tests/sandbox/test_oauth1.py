"""OAuth 1.0a CMAC-AES signatures and the assertion grant, signed the way
LEARNINGSTUDIO.md describes (written here independently of the app's client)."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC

from tests.sandbox.helpers import error_of

SECRET = b"0123456789abcdef0123456789abcdef"


def cmac(text: str) -> bytes:
    mac = CMAC(algorithms.AES(SECRET))
    mac.update(text.encode())
    return mac.finalize()


def oauth_header(
    method: str,
    url: str,
    body: bytes = b"",
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
    consumer_key: str = "sandbox-moniker",
) -> str:
    parts = urlsplit(url)
    oauth = {
        "oauth_consumer_key": consumer_key,
        "application_id": "sandbox-app",
        "oauth_signature_method": "CMAC-AES",
        "oauth_timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "oauth_nonce": nonce or uuid.uuid4().hex,
    }
    params = list(oauth.items())
    params += [tuple(p.split("=", 1)) for p in parts.query.split("&") if p]  # type: ignore[misc]
    if body:
        params.append(
            ("body", base64.b64encode(body.replace(b"\r", b"").replace(b"\n", b"")).decode())
        )
    params.sort(key=lambda kv: kv[0].lower())
    joined = "&".join(f"{k}={v}" for k, v in params)
    base = f"{method}&{quote(parts.path, safe='')}&{quote(joined, safe='')}"
    signature = base64.b64encode(cmac(base)).decode()
    realm = f"{parts.scheme}://{parts.netloc}{parts.path}"
    fields = [f'realm="{realm}"', *(f'{k}="{v}"' for k, v in oauth.items())]
    fields.append(f'oauth_signature="{signature}"')
    return "OAuth " + ",".join(fields)


def signed_get(client: httpx.Client, sandbox: Any, path: str, **kw: Any) -> httpx.Response:
    url = f"{sandbox.url}{path}"
    return client.get(url, headers={"X-Authorization": oauth_header("GET", url, **kw)})


def test_signed_get_is_accepted(client: httpx.Client, sandbox: Any) -> None:
    response = signed_get(client, sandbox, "/courses/123456/itemSchedules")
    assert response.status_code == 200
    assert len(response.json()["itemSchedules"]) == 67


def test_signed_query_parameters_are_part_of_the_signature(
    client: httpx.Client, sandbox: Any
) -> None:
    path = "/users/100004/lastactivityfeed?v=2&types=grade,remark"
    assert signed_get(client, sandbox, path).status_code == 200
    url = f"{sandbox.url}{path}"
    header = oauth_header("GET", url)
    tampered = client.get(url.replace("remark", "thread-post"), headers={"X-Authorization": header})
    assert tampered.status_code == 401


def test_signed_put_covers_the_body(client: httpx.Client, sandbox: Any) -> None:
    url = f"{sandbox.url}/courses/123456/itemSchedules"
    document = signed_get(client, sandbox, "/courses/123456/itemSchedules").json()
    entries = []
    for item in document["itemSchedules"]:
        access = item["schedule"]["accessSchedule"]
        if access.pop("isInherited", False):
            del access["startDateTime"], access["endDateTime"]
        entries.append({"itemId": item["itemId"], "schedule": item["schedule"]})
    body = httpx.Request("PUT", url, json={"itemSchedules": entries}).content + b"\r\n"
    headers = {"Content-Type": "application/json"}
    ok = client.put(
        url, content=body, headers={**headers, "X-Authorization": oauth_header("PUT", url, body)}
    )
    assert ok.status_code == 204
    other_body = body.replace(b"true", b"false", 1)
    forged = client.put(
        url,
        content=other_body,
        headers={**headers, "X-Authorization": oauth_header("PUT", url, body)},
    )
    assert forged.status_code == 401


def test_bad_signature_is_401(client: httpx.Client, sandbox: Any) -> None:
    url = f"{sandbox.url}/courses/123456/itemSchedules"
    header = oauth_header("GET", url)
    start = header.index('oauth_signature="') + len('oauth_signature="')
    broken = header[:start] + ("B" if header[start] != "B" else "C") + header[start + 1 :]
    response = client.get(url, headers={"X-Authorization": broken})
    assert response.status_code == 401
    assert error_of(response)["errorId"] == "invalid_signature"
    wrong_key = signed_get(client, sandbox, "/courses/123456/itemSchedules", consumer_key="x")
    assert wrong_key.status_code == 401


def test_stale_timestamp_is_401(client: httpx.Client, sandbox: Any) -> None:
    stale = signed_get(
        client, sandbox, "/courses/123456/itemSchedules", timestamp=int(time.time()) - 3600
    )
    assert stale.status_code == 401
    assert error_of(stale)["errorId"] == "invalid_timestamp"


def test_reused_nonce_is_401(client: httpx.Client, sandbox: Any) -> None:
    first = signed_get(client, sandbox, "/courses/123456/itemSchedules", nonce="once-only")
    assert first.status_code == 200
    again = signed_get(client, sandbox, "/courses/123456/itemSchedules", nonce="once-only")
    assert again.status_code == 401
    assert error_of(again)["errorId"] == "invalid_nonce"


def test_me_overload_needs_oauth2(client: httpx.Client, sandbox: Any) -> None:
    assert signed_get(client, sandbox, "/me").status_code == 400
    assert signed_get(client, sandbox, "/me/lastactivityfeed?v=2").status_code == 400
    assert signed_get(client, sandbox, "/users/100004/courses").status_code == 200


def assertion(user: str, when: datetime, *, app: str = "Sandbox") -> str:
    signed = "|".join(
        (
            app,
            "sandbox-moniker",
            "sandbox-app",
            "sandbox",
            user,
            when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    )
    return f"{signed}|{cmac(signed).hex()}"


def assertion_grant(client: httpx.Client, value: str) -> httpx.Response:
    return client.post(
        "/token",
        data={
            "grant_type": "assertion",
            "assertion_type": "urn:ecollege:names:moauth:1.0:assertion",
            "assertion": value,
        },
    )


def test_assertion_grant_issues_a_token_without_refresh(client: httpx.Client) -> None:
    response = assertion_grant(client, assertion("prof", datetime.now(UTC)))
    assert response.status_code == 200
    body = response.json()
    assert "refresh_token" not in body
    me = client.get(
        "/me", headers={"X-Authorization": f"Access_Token access_token={body['access_token']}"}
    )
    assert me.json()["me"]["userName"] == "prof"


@pytest.mark.parametrize("problem", ["signature", "stale", "application"])
def test_bad_assertions_are_refused(client: httpx.Client, problem: str) -> None:
    now = datetime.now(UTC)
    if problem == "signature":
        value = assertion("prof", now)[:-4] + "0000"
    elif problem == "stale":
        value = assertion("prof", now.replace(year=now.year - 1))
    else:
        value = assertion("prof", now, app="Other")
    response = assertion_grant(client, value)
    assert response.status_code == 401
    assert error_of(response)["errorId"] == "invalid_grant"
