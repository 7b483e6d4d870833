"""The demo's sandbox process (``schedctl sandbox --until-stdin-closes``) serves, and
never outlives the program that started it: it stops when its standard input closes."""

from __future__ import annotations

import httpx
import pytest

from scheduler_gui.sandbox.process import start_process

from .helpers import password_form


def test_the_sandbox_process_serves_and_stops_when_its_input_closes() -> None:
    sandbox = start_process()
    try:
        assert sandbox.url.startswith("http://127.0.0.1:")
        token = httpx.post(
            f"{sandbox.url}/token",
            data=password_form("prof"),
        )
        assert token.status_code == 200 and token.json()["access_token"]
        assert sandbox.process.stdin is not None
        sandbox.process.stdin.close()  # as when the app ends, even killed
        assert sandbox.process.wait(30) == 0
    finally:
        sandbox.stop()


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_that_cannot_be_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler_gui.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["sandbox", "--port", port])
    assert stopped.value.code == 2  # a usage error, not a traceback from bind()
    err = capsys.readouterr().err
    assert "--port" in err and "0 to 65535" in err, err
