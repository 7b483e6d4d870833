"""OAuth 1.0a CMAC-AES signatures and the assertion grant.

The sandbox must verify exactly what the vendor's own client libraries sign: the known
answers of ``../shared/oauth1-vectors.json`` (computed by running those libraries) are
sent to it as they are, and the requests below are signed here with the recipe of
LEARNINGSTUDIO.md, written independently of the app's client.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus, urlsplit
from xml.etree import ElementTree as ET

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC

from tests.helpers import oauth1_vector_params, oauth1_vectors
from tests.sandbox.helpers import error_of, put_body

SECRET = b"0123456789abcdef0123456789abcdef"
VECTORS = oauth1_vectors()
CASES = VECTORS["cases"]


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
    body_encodings: int | None = 2,
) -> str:
    """The X-Authorization header of LEARNINGSTUDIO.md; ``body_encodings`` (how often
    base64 of the body is url-encoded; None: no body parameter) rebuilds old, wrong
    recipes."""
    parts = urlsplit(url)
    oauth = {
        "oauth_consumer_key": consumer_key,
        "application_id": "sandbox-app",
        "oauth_signature_method": "CMAC-AES",
        "oauth_timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "oauth_nonce": nonce or uuid.uuid4().hex.upper(),
    }
    params = dict(oauth)
    params.update(p.split("=", 1) for p in parts.query.split("&") if p)  # plain values here
    if method in ("POST", "PUT") and body_encodings is not None:
        value = base64.b64encode(body.replace(b"\r\n", b"")).decode()
        for _ in range(body_encodings):
            value = quote_plus(value)
        params["body"] = value
    joined = "&".join(f"{k}={params[k]}" for k in sorted(params, key=str.lower))
    base = f"{method}&{quote_plus(parts.path)}&{quote_plus(joined)}"
    oauth["oauth_signature"] = base64.b64encode(cmac(base)).decode()
    realm = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return f'OAuth realm="{realm}",' + ",".join(f'{k}="{quote_plus(v)}"' for k, v in oauth.items())


def signed_get(client: httpx.Client, sandbox: Any, path: str, **kw: Any) -> httpx.Response:
    url = f"{sandbox.url}{path}"
    return client.get(url, headers={"X-Authorization": oauth_header("GET", url, **kw)})


# --------------------------------------------------------------------------- known answers


@pytest.fixture
def at_vector_time(sandbox: Any) -> Iterator[None]:
    """The sandbox's clock at the vectors' timestamp; every test here starts with no
    nonce seen (the vectors all share one nonce)."""
    sandbox.advance_clock(int(VECTORS["timestamp"]) - time.time())
    yield
    sandbox.reset()


def forget_nonces(sandbox: Any) -> None:
    sandbox.state.store.execute("DELETE FROM nonces")


def vector_header(case: dict[str, Any], signature: str) -> str:
    """The vendor libraries' header for a vector: realm as is, other values quote_plus-ed."""
    values = {**oauth1_vector_params(), "oauth_signature": signature}
    realm = case["realm_host"] + case["path_and_query"].partition("?")[0]
    return f'OAuth realm="{realm}",' + ",".join(
        f'{name}="{quote_plus(value)}"' for name, value in values.items()
    )


def send_vector(
    client: httpx.Client,
    sandbox: Any,
    case: dict[str, Any],
    *,
    signature: str | None = None,
    path_and_query: str | None = None,
    body: bytes | None = None,
) -> httpx.Response:
    """Send a vector's request (its header as the vendor library builds it) to the sandbox."""
    forget_nonces(sandbox)
    if body is None and case["body"] is not None:
        body = case["body"].encode()
    headers = {"X-Authorization": vector_header(case, signature or case["signature"])}
    if body:
        headers["Content-Type"] = "application/xml" if body[:1] == b"<" else "application/json"
    target = sandbox.url + (path_and_query or case["path_and_query"])
    return client.request(case["method"], target, content=body, headers=headers)


def one_byte_changed(data: str) -> str:
    """``data`` with the case of its last letter swapped."""
    index = max(i for i, char in enumerate(data) if char.isalpha())
    return data[:index] + data[index].swapcase() + data[index + 1 :]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["id"])
def test_each_vector_is_accepted_and_refused_once_changed(
    client: httpx.Client, sandbox: Any, at_vector_time: None, case: dict[str, Any]
) -> None:
    accepted = send_vector(client, sandbox, case)
    assert accepted.status_code != 401, accepted.text
    if case["body"] is None:  # a GET: change its path (routes match in any case)
        path, sep, query = case["path_and_query"].partition("?")
        changed = send_vector(
            client, sandbox, case, path_and_query=one_byte_changed(path) + sep + query
        )
    else:
        body = one_byte_changed(case["body"]) if case["body"] else " "
        changed = send_vector(client, sandbox, case, body=body.encode())
    assert changed.status_code == 401
    if changed.headers["content-type"].startswith("application/xml"):  # the .xml route
        assert ET.fromstring(changed.content).findtext("errorId") == "invalid_signature"
    else:
        assert error_of(changed)["errorId"] == "invalid_signature"
    for leak in (case["signature"], quote_plus(case["signature"])):
        assert leak not in changed.text


@pytest.mark.parametrize(
    "case", [c for c in CASES if "java_signature" in c], ids=lambda case: case["id"]
)
def test_the_java_librarys_signature_is_accepted_where_it_differs(
    client: httpx.Client, sandbox: Any, at_vector_time: None, case: dict[str, Any]
) -> None:
    response = send_vector(client, sandbox, case, signature=case["java_signature"])
    assert response.status_code != 401, response.text


def test_vector_requests_reach_their_routes(
    client: httpx.Client, sandbox: Any, at_vector_time: None
) -> None:
    """Accepted means served: the GETs answer 200, the one-item PUT is refused as partial."""
    by_id = {case["id"]: case for case in CASES}
    for name in ("C1", "C2", "C3", "C4", "C5"):
        assert send_vector(client, sandbox, by_id[name]).status_code == 200
    partial = send_vector(client, sandbox, by_id["C7"])
    assert partial.status_code == 400 and error_of(partial)["errorId"] == "missing_items"
    assert send_vector(client, sandbox, by_id["C9"]).status_code in (200, 201)


# --------------------------------------------------------------------------- old forms


def put_url(sandbox: Any) -> str:
    return f"{sandbox.url}/courses/123456/itemSchedules"


def full_put_body(client: httpx.Client, sandbox: Any) -> bytes:
    document = signed_get(client, sandbox, "/courses/123456/itemSchedules").json()
    return httpx.Request("PUT", "http://x", json=put_body(document)).content + b"\r\n"


def test_signed_put_covers_the_body(client: httpx.Client, sandbox: Any) -> None:
    url, body = put_url(sandbox), full_put_body(client, sandbox)
    headers = {"Content-Type": "application/json"}
    ok = client.put(
        url, content=body, headers={**headers, "X-Authorization": oauth_header("PUT", url, body)}
    )
    assert ok.status_code == 204
    forged = client.put(
        url,
        content=body.replace(b"true", b"false", 1),
        headers={**headers, "X-Authorization": oauth_header("PUT", url, body)},
    )
    assert forged.status_code == 401
    assert error_of(forged)["errorId"] == "invalid_signature"


@pytest.mark.parametrize(
    ("encodings", "said"),
    [(1, "too few times"), (0, "too few times"), (None, "sign body=")],
    ids=["body encoded once", "body not encoded", "no body parameter"],
)
def test_old_body_recipes_are_refused_and_named(
    client: httpx.Client, sandbox: Any, encodings: int | None, said: str
) -> None:
    url, body = put_url(sandbox), full_put_body(client, sandbox)
    header = oauth_header("PUT", url, body, body_encodings=encodings)
    refused = client.put(
        url, content=body, headers={"Content-Type": "application/json", "X-Authorization": header}
    )
    assert refused.status_code == 401
    error = error_of(refused)
    assert error["errorId"] == "invalid_signature" and said in error["message"]


def test_a_post_without_body_parameter_is_refused(client: httpx.Client, sandbox: Any) -> None:
    url = f"{sandbox.url}/users/100002/courses/123456/courseEntry"
    ok = client.post(url, headers={"X-Authorization": oauth_header("POST", url)})
    assert ok.status_code in (200, 201), ok.text
    header = oauth_header("POST", url, body_encodings=None)
    refused = client.post(url, headers={"X-Authorization": header})
    assert refused.status_code == 401
    assert "sign body=" in error_of(refused)["message"]


def test_a_raw_plus_in_a_header_value_reads_as_a_space(
    client: httpx.Client, sandbox: Any, at_vector_time: None
) -> None:
    (case,) = [c for c in CASES if "+" in c["signature"] and c["method"] == "POST"]
    raw = vector_header(case, case["signature"]).replace(
        quote_plus(case["signature"]), case["signature"]
    )
    forget_nonces(sandbox)
    refused = client.post(sandbox.url + case["path_and_query"], headers={"X-Authorization": raw})
    assert refused.status_code == 401
    error = error_of(refused)
    assert error["errorId"] == "invalid_signature" and "raw in the header" in error["message"]
    assert send_vector(client, sandbox, case).status_code != 401  # the same, url-encoded


# --------------------------------------------------------------------------- other checks


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


@pytest.mark.parametrize(
    ("problem", "error_id", "said"),
    [
        ("signature", "invalid_signature", "signature does not verify"),
        ("consumer key", "invalid_consumer", "token key moniker"),
        ("timestamp", "invalid_timestamp", "clock"),
        ("nonce", "invalid_nonce", "oauth_nonce was used before"),
    ],
)
def test_the_error_says_which_part_failed_and_never_the_signature(
    client: httpx.Client, sandbox: Any, problem: str, error_id: str, said: str
) -> None:
    url = put_url(sandbox)
    header = oauth_header("GET", url, nonce="once-only")
    if problem == "signature":
        start = header.index('oauth_signature="') + len('oauth_signature="')
        header = header[:start] + ("B" if header[start] != "B" else "C") + header[start + 1 :]
    elif problem == "consumer key":
        header = oauth_header("GET", url, consumer_key="someone-else")
    elif problem == "timestamp":
        header = oauth_header("GET", url, timestamp=int(time.time()) - 3600)
    else:
        assert client.get(url, headers={"X-Authorization": header}).status_code == 200
    response = client.get(url, headers={"X-Authorization": header})
    assert response.status_code == 401
    error = error_of(response)
    assert error["errorId"] == error_id and said in error["message"]
    right = oauth_header("GET", url, nonce="once-only").rpartition('oauth_signature="')[2]
    assert right.rstrip('"') not in response.text  # never the expected signature


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
