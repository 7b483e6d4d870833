"""The sandbox users run on their machines: its own data file only, bounded request
bodies, control routes a web page cannot drive, a warning when others can reach it."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_gui.sandbox.server import exposure_warning, start_in_thread
from scheduler_gui.sandbox.store import StoreError

# ------------------------------------------------------------------ its own database


def test_another_programs_database_with_a_meta_table_is_never_touched(tmp_path: Path) -> None:
    data = tmp_path / "notes.db"
    with sqlite3.connect(data) as conn:  # e.g. some app's settings: it has a "meta" table
        conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('owner', 'notes app')")
        conn.execute("CREATE TABLE notes(text TEXT)")
    before = data.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        start_in_thread(data=data)
    assert data.read_bytes() == before


def test_its_own_data_file_is_marked_and_reopened(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.sqlite"
    with start_in_thread(data=data):
        pass
    with sqlite3.connect(data) as conn:
        marker = conn.execute("PRAGMA application_id").fetchone()[0]
    assert marker != 0
    with start_in_thread(data=data) as again:
        assert httpx.get(f"{again.url}/_sandbox/faults").status_code == 200


def test_a_data_file_of_an_older_sandbox_is_still_accepted_and_marked(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.sqlite"
    with start_in_thread(data=data):
        pass
    with sqlite3.connect(data) as conn:
        conn.execute("PRAGMA application_id = 0")  # as written before the marker existed
    with start_in_thread(data=data):
        pass
    with sqlite3.connect(data) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] != 0


# ------------------------------------------------------------------ request bodies


def raw_request(url: str, head: bytes, body_chunks: int, chunk: bytes) -> tuple[bytes, int]:
    """Send ``head`` then up to ``body_chunks`` chunks while reading the answer; the
    status line and how many chunks went out before it came."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        sent, answer = 0, b""
        while sent < body_chunks and not answer:
            try:
                sock.sendall(chunk)
                sent += 1
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            with contextlib.suppress(BlockingIOError):  # nothing to read yet
                answer = sock.recv(4096)
        sock.setblocking(True)
        while b"\r\n" not in answer:
            more = sock.recv(4096)
            if not more:
                break
            answer += more
    return answer.split(b"\r\n", 1)[0], sent


def test_a_huge_declared_body_is_refused_before_it_is_read(sandbox: Any) -> None:
    sandbox.state.max_body_bytes = 1 << 20
    head = (
        b"PUT /courses/123456/itemSchedules.json HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1500000000\r\n\r\n"
    )
    status, sent = raw_request(sandbox.url, head, body_chunks=1500, chunk=b"x" * (1 << 20))
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < 100  # answered long before 1.5 GB went out


def test_a_chunked_body_past_the_limit_is_cut_off(sandbox: Any) -> None:
    sandbox.state.max_body_bytes = 1 << 20
    head = (
        b"PUT /courses/123456/itemSchedules.json HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    block = b"x" * (64 << 10)
    chunk = b"%x\r\n" % len(block) + block + b"\r\n"
    status, sent = raw_request(sandbox.url, head, body_chunks=20000, chunk=chunk)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < 1000  # not the 1.3 GB offered


# ------------------------------------------------------------------ control routes


def test_control_routes_refuse_a_web_page_from_another_origin(sandbox: Any) -> None:
    url = sandbox.url
    touched = sandbox.touch()
    for headers in (
        {"Origin": "https://evil.campus.invalid"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        for method, path in (("POST", "/_sandbox/reset"), ("GET", "/_sandbox/faults")):
            answer = httpx.request(method, url + path, headers=headers)
            assert answer.status_code == 403, (headers, path)
            assert "cross-origin" in answer.text
    # The course was not reset: the change is still there.
    assert sandbox.touch()["old"] == touched["new"]
    # The sandbox's own page, and tools that send no Origin (curl, tests), are fine.
    same = httpx.post(url + "/_sandbox/reset", headers={"Origin": url})
    assert same.status_code == 204
    assert httpx.post(url + "/_sandbox/reset").status_code == 204


def test_a_non_loopback_address_gets_a_warning() -> None:
    for host in ("0.0.0.0", "::", "192.168.1.20", "lms.campus.invalid"):  # noqa: S104
        warning = exposure_warning(host)
        assert warning is not None and "anyone" in warning and "/_sandbox" in warning
    for host in ("127.0.0.1", "::1", "localhost"):
        assert exposure_warning(host) is None


def test_schedctl_sandbox_prints_the_warning(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler_gui.cli import main
    from scheduler_gui.sandbox import server

    started: list[str] = []

    def start_on_loopback(**options: Any) -> Any:  # decide on the address; bind loopback
        started.append(options["host"])
        return start_in_thread(**{**options, "host": "127.0.0.1", "port": 0})

    monkeypatch.setattr(server, "start_in_thread", start_on_loopback)
    monkeypatch.setattr(server, "serve_forever", lambda sandbox: sandbox.stop())
    assert main(["sandbox", "--host", "0.0.0.0", "--port", "0"]) == 0  # noqa: S104
    err = capsys.readouterr().err
    assert started == ["0.0.0.0"] and "WARNING" in err and "anyone" in err  # noqa: S104
