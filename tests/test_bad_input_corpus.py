"""Hostile inputs (tests/corpus) through every entry point: a clear error, no hang, no write.

Entry points: ``codec.parse`` (+ ``validate``, as every writer runs it), ``schedctl put``,
``schedctl diff``, ``schedctl restore`` (schedules documents); ``read_spreadsheet`` +
``apply_sheet``, ``schedctl import`` and File → Import from Excel… (spreadsheets).
"No write" is checked on the server (the course's fingerprint before and after) and in
the request log (no PUT at all). Each call runs under a time limit, so a hang fails.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_gui.cli import main
from scheduler_gui.core import codec
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.validate import Severity, validate
from scheduler_gui.io.excel_export import CourseExport, export_workbook
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import ImportRejectedError, apply_sheet
from scheduler_gui.store import paths
from tests.corpus import make_corpus
from tests.corpus.make_corpus import GENERATED_CASES, SMALL_CASES, Case
from tests.helpers import schedctl_login
from tests.sandbox.helpers import password_form
from tests.ui.gui_session import sandbox_client

COURSE = "123456"
ZONE = ZoneInfo("America/Denver")
LIMIT = 90.0  # seconds; generous for a shared machine, a hang still fails
MAX_OUTPUT = 20_000  # a rejection names the problem; it never echoes a 10 MB input
CASES = SMALL_CASES + GENERATED_CASES
SCHEDULE_CASES = [c for c in CASES if c.kind == "schedule"]
SHEET_CASES = [c for c in CASES if c.kind == "sheet"]
T = TypeVar("T")


def within(limit: float, fn: Callable[[], T]) -> T:
    """Run ``fn`` in a thread; fail the test if it does not end within ``limit`` s."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed back to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        pytest.fail(f"no answer within {limit:.0f} s: the input made it hang")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def course_and_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Schedule, Path]:
    """The demo course (from a sandbox of our own) and the corpus generated on it."""
    from scheduler_gui.sandbox.server import start_in_thread

    folder = tmp_path_factory.mktemp("corpus")
    with start_in_thread() as server, sandbox_client(server.url) as client:
        schedule = client.get_schedule(COURSE)
    workbook = folder / "course.xlsx"
    export_workbook(workbook, [CourseExport(schedule, ZONE)])
    make_corpus.build(folder, json.loads(codec.dump(schedule, "json")), workbook)
    return schedule, folder


@pytest.fixture
def generated(course_and_corpus: tuple[Schedule, Path]) -> Path:
    return course_and_corpus[1]


@pytest.fixture
def base(course_and_corpus: tuple[Schedule, Path]) -> Schedule:
    return course_and_corpus[0]


def path_of(case: Case, generated: Path) -> Path:
    return (make_corpus.HERE if case in SMALL_CASES else generated) / case.name


def ids(cases: list[Case]) -> list[str]:
    return [case.name for case in cases]


def test_committed_files_are_what_the_script_writes(tmp_path: Path) -> None:
    make_corpus.write_small(tmp_path)
    for name, data in make_corpus.SMALL.items():
        assert (make_corpus.HERE / name).read_bytes() == data, f"run {make_corpus.__file__}"
    assert {c.name for c in SMALL_CASES} == set(make_corpus.SMALL)


def test_the_zip_bomb_really_unpacks_to_gigabytes(generated: Path) -> None:
    import zipfile

    bomb = generated / "zip_bomb.xlsx"
    with zipfile.ZipFile(bomb) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        with archive.open(sheet) as stream:  # the first MiB inflates as promised
            assert len(stream.read(1 << 20)) == 1 << 20
    assert sheet.file_size > 2_000_000_000 and bomb.stat().st_size < 3_000_000


# --------------------------------------------------------------------------- core / io


def parse_and_validate(data: bytes, base: Schedule) -> Schedule:
    """What every writer does with a document before anything is sent."""
    schedule = codec.parse(data, COURSE)
    errors = [
        f
        for f in validate(schedule, expected_ids=list(base.by_id), tz=ZONE)
        if f.severity is Severity.ERROR
    ]
    if errors:
        raise codec.ScheduleFormatError("; ".join(f.message for f in errors))
    return schedule


@pytest.mark.parametrize("case", SCHEDULE_CASES, ids=ids(SCHEDULE_CASES))
def test_codec_parse(case: Case, generated: Path, base: Schedule) -> None:
    path = path_of(case, generated)

    def attempt() -> Schedule:
        with path.open("rb") as handle:  # as the CLI reads: never more than the limit
            return parse_and_validate(handle.read(codec.MAX_BODY_BYTES + 1), base)

    if case.outcome == "harmless":
        schedule = within(LIMIT, attempt)
        assert codec.dump_put(schedule) == codec.dump_put(base)  # titles are never sent
        return
    with pytest.raises(codec.ScheduleFormatError) as caught:
        within(LIMIT, attempt)
    message = str(caught.value)
    assert case.message in message and len(message) < MAX_OUTPUT


def import_sheet(path: Path, base: Schedule) -> tuple[Schedule, Any]:
    book = read_spreadsheet(path)
    return apply_sheet(base, book.sheet_for(COURSE), zone=ZONE, notes=book.notes)


@pytest.mark.parametrize("case", SHEET_CASES, ids=ids(SHEET_CASES))
def test_spreadsheet_import_functions(case: Case, generated: Path, base: Schedule) -> None:
    path = path_of(case, generated)
    if case.outcome == "harmless":
        edited, report = within(LIMIT, lambda: import_sheet(path, base))
        assert edited == base and not report.changed
        return
    with pytest.raises(ImportRejectedError) as caught:
        within(LIMIT, lambda: import_sheet(path, base))
    problems = [str(problem) for problem in caught.value.problems]
    assert any(case.message in problem for problem in problems), problems
    assert all(len(problem) < MAX_OUTPUT for problem in problems)


# --------------------------------------------------------------------------- schedctl


class NoWrite:
    """Remembers the course as the server has it; :meth:`check` proves nothing was written."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.before = fingerprint(sandbox)

    def check(self) -> None:
        assert fingerprint(self.sandbox) == self.before, "the server's course changed"
        log = paths.log_dir() / "scheduler-gui.log"
        requests = log.read_text() if log.exists() else ""
        assert " GET " in requests or not log.exists()
        assert " PUT " not in requests, "a PUT was sent"


@pytest.fixture
def cli(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> NoWrite:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    return NoWrite(sandbox)


def fingerprint(sandbox: Any) -> str:
    with sandbox_client(sandbox.url) as client:
        return client.get_schedule(COURSE).fingerprint()


def schedctl(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = within(LIMIT, lambda: main(["--tz", "America/Denver", "--yes", *argv]))
    out, err = capsys.readouterr()
    return code, out + err


def parse_rejects(path: Path) -> bool:
    with path.open("rb") as handle:
        try:
            codec.parse(handle.read(codec.MAX_BODY_BYTES + 1), COURSE)
        except codec.ScheduleFormatError:
            return True
    return False


def check_answer(case: Case, code: int, output: str, *, rejected: bool, message: str) -> None:
    assert "Traceback" not in output and "root:x:0:0" not in output
    assert len(output) < MAX_OUTPUT, "the answer echoes the hostile input"
    if rejected:
        assert code == 1, output
        assert message in output, output
    else:
        assert code == 0, output


@pytest.mark.parametrize("command", ["put", "diff", "restore"])
@pytest.mark.parametrize("case", SCHEDULE_CASES, ids=ids(SCHEDULE_CASES))
def test_schedctl_with_a_schedules_file(
    case: Case, command: str, generated: Path, cli: NoWrite, capsys: Any
) -> None:
    path = path_of(case, generated)
    code, output = schedctl(capsys, command, COURSE, str(path))
    rejected, message = case.outcome == "rejected", case.message
    if command == "diff" and rejected and not parse_rejects(path):
        rejected = False  # diff only shows what would change; validation is put's job
    if command == "restore" and path.suffix == ".xml":
        message = "not valid JSON"  # backups are JSON documents
    check_answer(case, code, output, rejected=rejected, message=message)
    if not rejected and command != "diff":
        assert "Nothing to" in output  # harmless: the server already has these dates
    cli.check()


@pytest.mark.parametrize("case", SHEET_CASES, ids=ids(SHEET_CASES))
def test_schedctl_import(case: Case, generated: Path, cli: NoWrite, capsys: Any) -> None:
    code, output = schedctl(capsys, "import", COURSE, str(path_of(case, generated)))
    rejected = case.outcome == "rejected"
    check_answer(case, code, output, rejected=rejected, message=case.message)
    if rejected:
        assert "Nothing was imported" in output
    else:
        assert "Nothing to save" in output
    cli.check()


def test_a_folder_or_a_missing_file_is_a_clear_error(
    generated: Path, cli: NoWrite, capsys: Any
) -> None:
    for target in (generated, generated / "missing.json"):
        code, output = schedctl(capsys, "put", COURSE, str(target))
        assert code == 1 and "Cannot read" in output and "Traceback" not in output
    cli.check()


# --------------------------------------------------------------------------- the sandbox

# What a server must refuse too (a 1911 date is our rule, not the API's; a 4 GB body is
# not worth sending).
SERVER_REFUSES = [
    c
    for c in SCHEDULE_CASES
    if c.outcome == "rejected" and c.name not in {"year_1911.json", "claims_4gb.json"}
]


@pytest.mark.parametrize("case", SERVER_REFUSES, ids=ids(SERVER_REFUSES))
def test_the_sandbox_refuses_the_same_put_bodies(case: Case, generated: Path, sandbox: Any) -> None:
    import httpx

    before = fingerprint(sandbox)
    token = httpx.post(
        f"{sandbox.url}/token",
        data=password_form("prof"),
    ).json()["access_token"]
    xml = case.name.endswith(".xml")
    answer = within(
        LIMIT,
        lambda: httpx.put(
            f"{sandbox.url}/courses/{COURSE}/itemSchedules{'.xml' if xml else '.json'}",
            content=path_of(case, generated).read_bytes(),
            headers={
                "X-Authorization": f"Access_Token access_token={token}",
                "Content-Type": "application/xml" if xml else "application/json",
            },
            timeout=LIMIT,
        ),
    )
    assert 400 <= answer.status_code < 500 and "error" in answer.text, answer.text[:200]
    assert len(answer.content) < MAX_OUTPUT
    assert fingerprint(sandbox) == before


# --------------------------------------------------------------------------- the GUI


@pytest.mark.gui
def test_gui_import_refuses_every_hostile_spreadsheet(
    qtbot: Any, sandbox: Any, tmp_path: Path, generated: Path
) -> None:
    from scheduler_gui.ui.features.excel.actions import ExcelActions
    from tests.ui.gui_session import LOAD_TIMEOUT, open_window, tidy

    window = open_window(qtbot, sandbox.url, tmp_path)
    actions: ExcelActions = window.features.excel
    before = window.editor.current_schedule()
    try:
        for case in SHEET_CASES:
            signal = actions.failed if case.outcome == "rejected" else actions.imported
            with qtbot.waitSignal(signal, timeout=LOAD_TIMEOUT) as blocker:
                actions.import_from(path_of(case, generated))
            if case.outcome == "rejected":
                assert actions.dialog is not None
                dialog = actions.dialog
                shown = dialog.text() + dialog.detailedText() + dialog.informativeText()
                assert case.message in shown, (case.name, shown)
            else:
                assert not blocker.args[0].changed
            if actions.dialog is not None:
                actions.dialog.close()
            assert window.editor.current_schedule() == before, case.name
            assert window.undo_stack.count() == 0 and not window.has_unsaved_changes()
    finally:
        tidy(qtbot, window)
    assert fingerprint(sandbox) == before.fingerprint()


# --------------------------------------------------------------------------- fuzzing

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "Item ID",
            "Start",
            "End (America/Denver)",
            "Due",
            "Inherited",
            "Open after end",
            "TRUE",
            "nein",
            "2011-03-08 23:59",
            "3/8/2011",
            "25/12/11 23:59",
            "40610.9993",
            "8 Mar 2011",
            "2011-03-08T06:59:00Z",
            "0000-00-00",
            "9999-12-31 23:59",
            "=NOW()",
            "+cmd|' /C calc'!A0",
            '"',
            "\x00",
            "é",
            "1",
            "2",
            "99999999999999999999",
        ]
    ),
    st.text(max_size=12),
)
COLUMNS = ["Item ID", "Title", "Start", "End (America/Denver)", "Due", "Inherited",
           "Open before start", "Open after end"]  # fmt: skip
_GOOD = st.sampled_from(["", "2011-03-08 23:59", "2011-03-25 10:00:30", "TRUE"])
PLAUSIBLE = st.one_of(_GOOD, _GOOD, _GOOD, CELLS)
ITEM_CELLS = st.sampled_from(["1", "2", " 2 ", "1.0", "3", "", "x", "-1"])
# Mostly well-shaped sheets (header, rows keyed by id), so the fuzz gets past the header.
SHAPED = st.builds(
    lambda header, rows: [["Item ID", *header], *([item, *cells] for item, cells in rows)],
    st.lists(st.sampled_from(COLUMNS[1:]), max_size=5, unique=True),
    st.lists(st.tuples(ITEM_CELLS, st.lists(PLAUSIBLE, max_size=5)), max_size=4),
)
ROWS = st.one_of(SHAPED, SHAPED, st.lists(st.lists(CELLS, max_size=6), max_size=6))
SEPARATORS = st.sampled_from([",", ";", "\t"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "shift_jis"])
FUZZ_BASE = Schedule(
    COURSE,
    [
        codec.item_from_obj(
            {
                "itemId": number,
                "itemTitle": f"Item {number}",
                "schedule": {
                    "accessSchedule": {
                        "startDateTime": "2011-03-01T07:00:00Z",
                        "endDateTime": "2011-04-01T05:59:00Z",
                        "isInherited": False,
                    }
                },
            }
        )
        for number in (1, 2)
    ],
)


def fuzz_import(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            edited, report = import_sheet(path, FUZZ_BASE)
        except ImportRejectedError as exc:
            assert exc.problems and all(str(problem) for problem in exc.problems)
            return
    assert set(edited.by_id) == set(FUZZ_BASE.by_id)
    assert set(report.changed) <= set(FUZZ_BASE.by_id)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, SEPARATORS, ENCODINGS)
def test_csv_import_fuzz_never_crashes(rows: list[list[str]], sep: str, encoding: str) -> None:
    text = "\n".join(sep.join(row) for row in rows)
    fuzz_import("fuzz.csv", text.encode(encoding, errors="replace"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["fuzz.csv", "fuzz.xlsx", "fuzz.txt"]))
def test_import_of_random_bytes_never_crashes(data: bytes, name: str) -> None:
    fuzz_import(name, data)


XLSX_CELLS = st.one_of(
    CELLS,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.datetimes(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(ROWS, st.lists(st.lists(XLSX_CELLS, max_size=6), max_size=6)), st.booleans())
def test_xlsx_import_fuzz_never_crashes(rows: list[list[Any]], header: bool) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if header:
        sheet.append(["Item ID", "Start", "End", "Inherited"])
    for row in rows:
        sheet.append([_storable(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    fuzz_import("fuzz.xlsx", buffer.getvalue())


def _storable(value: Any) -> Any:
    """openpyxl refuses control characters in text cells; an attacker's tool would not."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return value


def test_messages_name_items_by_a_short_title() -> None:
    from scheduler_gui.core.diff import short_title

    assert short_title("  Week 1:\n  Reading  ") == "Week 1: Reading"
    assert short_title("x" * 79) == "x" * 79
    assert short_title("x" * 81) == "x" * 79 + "…"
    assert short_title(" " * 1000 + "tail") == "…"  # never folds a huge title whole


@pytest.mark.gui
def test_a_10mb_title_from_the_server_is_shown_cut(
    qtbot: Any, generated: Path, tmp_path: Path
) -> None:
    """Qt lays out a cell's whole text on each paint: 10 MB froze the grid for seconds."""
    from PySide6.QtCore import QSettings, Qt

    from scheduler_gui.ui.features.timeline.view import TimelineView
    from scheduler_gui.ui.grid.columns import MAX_SHOWN_TITLE, Column, ValueRole
    from scheduler_gui.ui.shell.main_window import MainWindow

    schedule = codec.parse((generated / "title_10mb.json").read_bytes(), COURSE)
    huge = next(item for item in schedule.items if len(item.title) > 1_000_000)
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.editor.set_schedule(schedule, ZONE)
    window.show()
    qtbot.waitExposed(window)
    model = window.editor.model
    row = next(r for r in range(model.rowCount()) if model.item_at(r).item_id == huge.item_id)
    index = model.index(row, Column.TITLE)
    shown = model.data(index, Qt.ItemDataRole.DisplayRole)
    assert len(shown) == MAX_SHOWN_TITLE and shown.startswith("Week 1 x") and shown[-1] == "…"
    assert len(model.data(index, Qt.ItemDataRole.ToolTipRole)) < 2 * MAX_SHOWN_TITLE
    assert model.data(index, ValueRole) == huge.title  # the data itself is kept whole
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.set_schedule(schedule, ZONE)
    assert max(len(r.title) for r in timeline.rows) <= 200


def test_a_huge_part_besides_the_sheets_is_refused_before_openpyxl_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    from scheduler_gui.io import excel_import

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Item ID", "Title"])
    sheet.append([1, "Unit 1"])
    path = tmp_path / "strings.xlsx"
    book.save(path)
    assert read_spreadsheet(path).sheets  # fine as it is
    monkeypatch.setattr(excel_import, "MAX_PART_BYTES", 1_000)  # e.g. a 1 GB text table
    with pytest.raises(ImportRejectedError, match=r"its part xl/\S+ unpacks to"):
        read_spreadsheet(path)


# --------------------------------------------------------------------------- a hostile server


def endless_body(served: list[int]) -> Iterator[bytes]:
    chunk = b" " * (1 << 20)
    while True:  # a server (or a wrong base URL) that never stops sending
        served.append(len(chunk))
        yield chunk


@pytest.mark.parametrize("claims_length", [True, False], ids=["content-length", "chunked"])
def test_a_server_answer_too_big_to_be_a_course_is_not_read(claims_length: bool) -> None:
    import httpx

    from scheduler_gui.api.client import MAX_RESPONSE_BYTES, LearningStudioClient
    from scheduler_gui.api.errors import ServerError

    served: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(10 * 2**30)} if claims_length else {}
        return httpx.Response(200, headers=headers, content=endless_body(served))

    client = LearningStudioClient(
        "https://api.example.test", None, transport=httpx.MockTransport(handler)
    )
    with client, pytest.raises(ServerError, match="larger than 64 MB") as caught:
        within(LIMIT, lambda: client.get_schedule(COURSE, with_parents=False))
    assert "base URL" in str(caught.value)
    assert sum(served) <= MAX_RESPONSE_BYTES + (1 << 20)  # stopped at the limit, or before
    if claims_length:
        assert served == []  # refused from the header alone
