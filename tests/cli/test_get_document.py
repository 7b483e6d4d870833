"""``schedctl get`` writes the server's own answer (JSON or XML), plus where it was read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_gui.cli.cmd_schedules import READ_KEY
from scheduler_gui.core import codec
from scheduler_gui.core.times import format_timestamp
from tests.helpers import logged_requests, puts_sent, schedctl_login
from tests.helpers import schedctl as run
from tests.sandbox.helpers import token_headers


def raw_server_answer(url: str, course: str) -> Any:
    headers = token_headers(url)
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


def raw_xml_answer(url: str, course: str) -> bytes:
    headers = token_headers(url)
    return httpx.get(f"{url}/courses/{course}/itemSchedules.xml", headers=headers).content


def xml_origin(data: bytes) -> dict[str, Any]:
    """The readFromServer instruction's JSON, and that it sits before the root element."""
    declaration, instruction, root = data.split(b"\n", 2)
    assert declaration.startswith(b"<?xml ") and root.startswith(b"<itemSchedules>")
    assert instruction.startswith(b"<?readFromServer {") and instruction.endswith(b"}?>")
    origin: dict[str, Any] = json.loads(instruction[len(b"<?readFromServer ") : -2])
    return origin


@pytest.mark.parametrize(
    ("options", "output", "expected"),
    [
        ([], None, "json"),
        (["--format", "xml"], None, "xml"),
        ([], "f.json", "json"),
        ([], "f.xml", "xml"),
        ([], "F.XML", "xml"),
        (["--format", "xml"], "f.xml", "xml"),
        (["--format", "json"], "f.json", "json"),
        ([], "f.txt", "json"),
        (["--format", "xml"], "f.txt", "xml"),
    ],
)
def test_get_writes_the_format_asked_for_to_stdout_or_the_file(
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    tmp_path: Path,
    options: list[str],
    output: str | None,
    expected: str,
) -> None:
    """--format, else the file's suffix, else JSON; XML is the server's own XML answer."""
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    target = [] if output is None else ["-o", str(tmp_path / output)]
    code, out, err = run(capsys, *options, "get", "123456", *target)
    assert code == 0, err
    data = out.encode() if output is None else (tmp_path / output).read_bytes()
    if output is not None:
        assert out == "" and f"({expected.upper()})" in err
    assert codec.sniff_format(data) == expected
    if expected == "xml":
        origin = xml_origin(data)
        assert origin["courseId"] == "123456" and len(origin["fingerprint"]) == 16
        server = raw_xml_answer(sandbox.url, "123456")
        assert data.split(b"\n", 2)[2] == server.split(b"?>", 1)[1].strip() + b"\n"
    else:
        document = json.loads(data)
        assert document.pop(READ_KEY)["courseId"] == "123456"
        assert document == raw_server_answer(sandbox.url, "123456")


@pytest.mark.parametrize(("asked", "named"), [("json", "x.xml"), ("xml", "x.json")])
def test_a_format_the_files_suffix_contradicts_is_refused_before_reading(
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    tmp_path: Path,
    asked: str,
    named: str,
) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    code, out, err = run(capsys, "get", "123456", "--format", asked, "-o", str(tmp_path / named))
    assert code == 2, err
    assert f"--format {asked}" in err and f"{named} ends in .{named[2:]}" in err, err
    assert "nothing was read" in err and "Traceback" not in err
    assert not (tmp_path / named).exists() and out == ""
    assert not logged_requests()  # refused before logging in


def test_an_xml_file_from_get_keeps_puts_conflict_check(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path
) -> None:
    """get -o mine.xml, a colleague saves, put mine.xml: a conflict (exit 4), not a revert;
    unedited, the same file has nothing to save."""
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    mine = tmp_path / "mine.xml"
    assert run(capsys, "get", "123456", "-o", str(mine))[0] == 0
    code, _, err = run(capsys, "--yes", "put", "123456", str(mine))
    assert code == 0 and "Nothing to save" in err, err
    assert "does not say what the server had" not in err

    colleague = sandbox.touch("123456")
    data = mine.read_bytes()
    schedule = codec.parse(data, "123456")
    item = next(
        i for i in schedule.items
        if not i.is_inherited and i.end is not None and i.item_id != int(colleague["itemId"])
    )  # fmt: skip
    old = f"<itemId>{item.item_id}</itemId>".encode()
    head, tail = data.split(old, 1)
    tail = tail.replace(format_timestamp(item.end).encode(), b"2011-01-20T06:59:00Z", 1)
    mine.write_bytes(head + old + tail)
    code, _, err = run(capsys, "--yes", "put", "123456", str(mine))
    assert code == 4, err
    assert "changed this course on the server" in err
    assert not puts_sent()
