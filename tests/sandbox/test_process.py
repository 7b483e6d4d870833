"""The demo's sandbox process (``schedctl sandbox --until-stdin-closes``) serves, and
never outlives the program that started it: it stops when its standard input closes."""

from __future__ import annotations

import httpx

from scheduler_gui.sandbox.process import start_process


def test_the_sandbox_process_serves_and_stops_when_its_input_closes() -> None:
    sandbox = start_process()
    try:
        assert sandbox.url.startswith("http://127.0.0.1:")
        token = httpx.post(
            f"{sandbox.url}/token",
            data={"grant_type": "password", "client_id": "sandbox-app",
                  "username": "sandbox\\prof", "password": "prof"},
        )  # fmt: skip
        assert token.status_code == 200 and token.json()["access_token"]
        assert sandbox.process.stdin is not None
        sandbox.process.stdin.close()  # as when the app ends, even killed
        assert sandbox.process.wait(30) == 0
    finally:
        sandbox.stop()
