"""``scheduler-gui``'s options for scripted runs: declared, validated, listed in --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler_gui.app import Edit, build_parser
from scheduler_gui.core.times import utc


def parse_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_help_lists_the_scripted_run_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    assert "--apply-edits FILE" in text and "--screenshot-timeout SECONDS" in text


def test_apply_edits_reads_dates_flags_and_cleared_dates(tmp_path: Path) -> None:
    path = tmp_path / "edits.json"
    path.write_text(json.dumps([
        {"item": 7, "field": "end", "value": "2011-01-18T06:59:00Z"},
        {"item": 8, "field": "can_access_after_end", "value": False},
        {"item": 9, "field": "due", "value": None},
    ]))  # fmt: skip
    args = build_parser().parse_args(["--apply-edits", str(path)])
    assert args.apply_edits == [
        Edit(7, "end", utc(2011, 1, 18, 6, 59)),
        Edit(8, "can_access_after_end", False),
        Edit(9, "due", None),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "is not JSON"),
        ('{"item": 1}', "must hold a JSON list of edits"),
        ('[{"item": 1, "field": "end"}]', 'edit 1: give exactly "item", "field", "value"'),
        ('[{"item": "one", "field": "end", "value": null}]', "edit 1: item must be an item id"),
        ('[{"item": 1, "field": "title", "value": "x"}]', "edit 1: field must be one of start"),
        ('[{"item": 1, "field": "can_access_after_end", "value": "yes"}]', "true or false"),
        ('[{"item": 1, "field": "end", "value": "tomorrow"}]', "edit 1: "),
    ],
)
def test_a_bad_edits_file_is_refused_naming_the_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "edits.json"
    path.write_text(content)
    error = parse_error(capsys, "--apply-edits", str(path))
    assert "argument --apply-edits" in error and message in error
    assert "Traceback" not in error


def test_a_missing_edits_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = parse_error(capsys, "--apply-edits", str(tmp_path / "nowhere.json"))
    assert f"cannot read {tmp_path / 'nowhere.json'}" in error


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_screenshot_timeout_must_be_positive_seconds(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    error = parse_error(capsys, "--screenshot-timeout", value)
    assert "is not a positive number of seconds" in error
