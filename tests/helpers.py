"""Set-up shared by tests in several folders."""

from __future__ import annotations

import io
import json
import ssl
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from scheduler_gui.api.auth import OAuth2PasswordAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.cli import main
from scheduler_gui.store.logs import log_file
from scheduler_gui.store.settings import Settings, save_settings
from tests.conftest import shared_file

ZONE = "America/Denver"


def sandbox_client(url: str, user: str = "prof", **options: Any) -> LearningStudioClient:
    """A client of the sandbox at ``url``, logged in as a seeded user (password = user
    name); ``options`` go to the client (``retry``, ``on_request``...)."""
    auth = OAuth2PasswordAuth(url, "sandbox-app", "sandbox", user, user)
    return LearningStudioClient(url, auth, **options)


class MemoryKeyring(KeyringBackend):
    """A working keyring that lives in this process."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.data.pop((service, username), None)


def schedctl_login(
    monkeypatch: pytest.MonkeyPatch,
    base_url: str,
    user: str,
    password: str | None = None,
    *,
    client_string: str = "sandbox",
    app_id: str = "sandbox-app",
    retries: int,
) -> dict[str, str]:
    """Make in-process ``schedctl`` log in as ``user`` (OAuth 2 password, from the
    environment) with no other login source set, stdin not a terminal, and ``retries``
    retries saved in the settings. Returns the variables set."""
    values = {
        "LS_BASE_URL": base_url,
        "LS_CLIENT_STRING": client_string,
        "LS_APP_ID": app_id,
        "LS_USERNAME": user,
        "LS_PASSWORD": user if password is None else password,
    }
    for name in ("LS_TOKEN_KEY_MONIKER", "LS_SHARED_SECRET", "LS_APP_NAME", "TZ"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    save_settings(Settings(retries=retries))
    return values


def schedctl(
    capsys: pytest.CaptureFixture[str], *argv: str, tz: str | None = ZONE
) -> tuple[int, str, str]:
    """Run ``schedctl --tz TZ ARGV...`` in-process (no ``--tz`` when ``tz`` is None):
    the exit code, stdout and stderr."""
    code = main(["--tz", tz, *argv] if tz is not None else list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def explicit_rows(sheet: Any) -> list[int]:
    """Rows of an exported Schedules sheet whose items have their own dates and an end,
    in sheet order."""
    return [
        row
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row, 4).value is False and sheet.cell(row, 6).value is not None
    ]


def logged_requests() -> list[str]:
    """The lines of the request log (every request the client made is logged)."""
    path = log_file()
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def puts_sent() -> list[str]:
    """The PUT lines of the request log."""
    return [line for line in logged_requests() if " PUT " in line]


def oauth1_vectors() -> dict[str, Any]:
    """``../shared/oauth1-vectors.json``: OAuth 1 known answers computed by running the
    vendor's own Python and Java libraries (issue 16)."""
    document: dict[str, Any] = json.loads(shared_file("oauth1-vectors.json").read_text("utf-8"))
    return document


def oauth1_vector_params() -> dict[str, str]:
    """The OAuth parameters every vector was signed with (all but the signature)."""
    vectors = oauth1_vectors()
    credentials = vectors["credentials"]
    return {
        "oauth_consumer_key": credentials["token_key_moniker"],
        "application_id": credentials["application_id"],
        "oauth_signature_method": "CMAC-AES",
        "oauth_timestamp": vectors["timestamp"],
        "oauth_nonce": vectors["nonce"],
    }


class JsonHandler(BaseHTTPRequestHandler):
    """A handler for a tiny scripted server: JSON answers, no request lines on stderr."""

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def loopback_server(
    handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None
) -> Iterator[ThreadingHTTPServer]:
    """``handler`` serving on a free 127.0.0.1 port (over TLS with ``tls``) until the end
    of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
