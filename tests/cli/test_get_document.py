"""``schedctl get`` writes the server's own JSON answer, plus where it was read."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from scheduler_gui.cli.cmd_schedules import READ_KEY
from tests.helpers import schedctl as run
from tests.helpers import schedctl_login
from tests.sandbox.helpers import password_form


def raw_server_answer(url: str, course: str) -> Any:
    token = httpx.post(f"{url}/token", data=password_form("prof")).json()["access_token"]
    headers = {"X-Authorization": f"Access_Token access_token={token}"}
    return httpx.get(f"{url}/courses/{course}/itemSchedules", headers=headers).json()


@pytest.mark.parametrize("course", ["123456", "ccn=DEMO-101"])
def test_get_is_the_servers_document_with_its_fingerprint(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any, course: str
) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    code, out, _ = run(capsys, "get", course)
    assert code == 0
    document = json.loads(out)
    read = document.pop(READ_KEY)
    assert document == raw_server_answer(sandbox.url, course)
    assert read["courseId"] == "123456" and len(read["fingerprint"]) == 16


def test_get_in_xml_still_writes_a_json_document(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    code, out, _ = run(capsys, "--format", "xml", "get", "123456")
    assert code == 0
    document = json.loads(out)
    assert document.pop(READ_KEY)["courseId"] == "123456"
    as_json = raw_server_answer(sandbox.url, "123456")
    assert [e["itemId"] for e in document["itemSchedules"]] == [
        e["itemId"] for e in as_json["itemSchedules"]
    ]
