"""Two people on one course: ``get`` carries the server's fingerprint, ``put`` checks it.

Against the sandbox over loopback, in-process ``schedctl``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import schedctl as run
from tests.helpers import schedctl_login

COURSE = "123456"
MY_END = "2011-01-20T06:59:00Z"


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)


def entry(document: dict[str, Any], item_id: int) -> dict[str, Any]:
    return next(e for e in document["itemSchedules"] if int(e["itemId"]) == item_id)


def end_of(document: dict[str, Any], item_id: int) -> str:
    return str(entry(document, item_id)["schedule"]["accessSchedule"].get("endDateTime"))


def edit_another_item(document: dict[str, Any], not_this: int) -> int:
    """Give the first explicit item other than ``not_this`` a new end; its id."""
    for item in document["itemSchedules"]:
        access = item["schedule"]["accessSchedule"]
        mine = int(item["itemId"]) != not_this and not access.get("isInherited")
        if mine and "endDateTime" in access:
            access["endDateTime"] = MY_END
            return int(item["itemId"])
    raise AssertionError("no explicit item")


def server_document(capsys: Any) -> dict[str, Any]:
    code, out, _ = run(capsys, "get", COURSE)
    assert code == 0
    return json.loads(out)


def test_get_writes_the_servers_fingerprint_with_the_document(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    target = tmp_path / "mine.json"
    assert run(capsys, "get", COURSE, "-o", str(target))[0] == 0
    document = json.loads(target.read_text())
    read = document["readFromServer"]
    assert read["courseId"] == COURSE and len(read["fingerprint"]) == 16
    assert read["baseUrl"] == env["LS_BASE_URL"]


def test_a_colleagues_change_since_get_is_a_conflict_never_a_silent_revert(
    env: dict[str, str], capsys: Any, tmp_path: Path, sandbox: Any
) -> None:
    mine = tmp_path / "mine.json"
    assert run(capsys, "get", COURSE, "-o", str(mine))[0] == 0
    colleague = sandbox.touch(COURSE)  # a colleague moves one item's end meanwhile
    document = json.loads(mine.read_text())
    my_item = edit_another_item(document, not_this=int(colleague["itemId"]))
    mine.write_text(json.dumps(document))

    code, _, err = run(capsys, "--yes", "put", COURSE, str(mine))
    assert code == 4, err
    assert "changed this course on the server" in err and "--force" in err
    server = server_document(capsys)
    assert end_of(server, int(colleague["itemId"])) == colleague["new"]  # kept
    assert end_of(server, my_item) != MY_END  # nothing written

    # --force still overwrites, on purpose.
    code, _, err = run(capsys, "--yes", "put", COURSE, str(mine), "--force")
    assert code == 0, err
    assert end_of(server_document(capsys), my_item) == MY_END


def test_put_with_an_unchanged_server_saves_and_a_hand_made_file_says_it_cannot_check(
    env: dict[str, str], capsys: Any, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.json"
    assert run(capsys, "get", COURSE, "-o", str(mine))[0] == 0
    document = json.loads(mine.read_text())
    my_item = edit_another_item(document, not_this=-1)
    mine.write_text(json.dumps(document))
    code, out, err = run(capsys, "--yes", "put", COURSE, str(mine))
    assert code == 0 and "Saved 1 changed item" in out, err

    # A file without the fingerprint (made by hand): saved as before, with a note.
    del document["readFromServer"]
    entry(document, my_item)["schedule"]["accessSchedule"]["endDateTime"] = "2011-01-21T06:59:00Z"
    mine.write_text(json.dumps(document))
    code, out, err = run(capsys, "--yes", "put", COURSE, str(mine))
    assert code == 0 and "Saved 1 changed item" in out
    assert "cannot tell whether someone changed" in err


def test_merge_with_the_original_keeps_the_colleagues_change(
    env: dict[str, str], capsys: Any, tmp_path: Path, sandbox: Any
) -> None:
    original = tmp_path / "original.json"
    assert run(capsys, "get", COURSE, "-o", str(original))[0] == 0
    colleague = sandbox.touch(COURSE)
    document = json.loads(original.read_text())
    my_item = edit_another_item(document, not_this=int(colleague["itemId"]))
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(document))

    code, _, err = run(capsys, "--yes", "put", COURSE, str(mine), "--merge")
    assert code == 2 and "--base" in err  # a merge needs the original itself

    code, out, err = run(
        capsys, "--yes", "put", COURSE, str(mine), "--merge", "--base", str(original)
    )
    assert code == 0 and "merged" in out, err
    server = server_document(capsys)
    assert end_of(server, my_item) == MY_END
    assert end_of(server, int(colleague["itemId"])) == colleague["new"]
