"""``python -m benchmarks``: every stage on the 10,000-item course 900000, with its floor.

Starts ``schedctl sandbox`` in a separate process (the server must not share this
process's GIL), then times each stage and a floor measured in the same run: one warm-up,
then the median of ``--repeat`` runs. Prints a table with PASS/MISS against the targets
of issue 9; ``--write`` also writes it as Markdown to ``benchmarks/results.md``.
Exit status: 0 all targets met, 1 some missed, 2 a stage could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from benchmarks import bench_api, bench_process
from scheduler_gui.core.model import Schedule

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
ZONE = ZoneInfo("America/Denver")
Bench = Callable[[], float]


@dataclass
class Row:
    """One stage: its median seconds, its floor's, and the target it is held to."""

    stage: str
    seconds: float
    floor_name: str = ""
    floor: float | None = None
    max_ratio: float | None = None  # target as a ratio to the floor
    max_seconds: float | None = None  # target as an absolute time
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.floor else None

    @property
    def passed(self) -> bool:
        if self.max_ratio is not None:
            return self.ratio is not None and self.ratio <= self.max_ratio
        return self.max_seconds is None or self.seconds < self.max_seconds

    def cells(self) -> list[str]:
        if self.unit == "MB":
            value, floor = f"{self.seconds:.0f} MB", ""
            target = f"< {self.max_seconds:.0f} MB"
        else:
            value = _ms(self.seconds)
            floor = f"{_ms(self.floor)} ({self.floor_name})" if self.floor is not None else ""
            target = (
                f"≤ {self.max_ratio:g}×" if self.max_ratio is not None
                else f"< {_ms(self.max_seconds)}" if self.max_seconds is not None
                else ""
            )  # fmt: skip
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else ""
        result = "PASS" if self.passed else "MISS"
        if self.max_ratio is None and self.max_seconds is None:
            result = ""
        return [self.stage, value, floor, ratio, target, result]


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:,.0f} ms"


def paired(ours: Bench, floor: Bench, repeat: int) -> tuple[float, float]:
    """Medians of ``ours`` and ``floor``, interleaved so that load changes hit both."""
    ours(), floor()
    mine, base = [], []
    for _ in range(repeat):
        mine.append(ours())
        base.append(floor())
    return statistics.median(mine), statistics.median(base)


# ---------------------------------------------------------------------- the sandbox


class Sandbox:
    """``schedctl sandbox --port 0`` in its own process; ``.url`` once it listens.

    ``sections`` generated term sections are served too (the rollover stage)."""

    def __init__(self, sections: int = 0) -> None:
        schedctl = Path(sys.executable).parent / "schedctl"
        self.process = subprocess.Popen(
            [str(schedctl), "sandbox", "--port", "0", "--seed-sections", str(sections)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("Sandbox listening on "):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        self.url = line.split()[-1]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ---------------------------------------------------------------------- stages


def api_rows(api: bench_api.ApiBench, repeat: int) -> list[Row]:
    load, load_floor = paired(api.load, api.load_floor, repeat)
    full, full_floor = paired(
        lambda: api.load(with_parents=True), lambda: api.load_floor(with_parents=True), repeat
    )
    saves = bench_api.SaveBench(api, api.schedule())
    save, save_floor = paired(saves.save, saves.save_floor, repeat)
    cold, cold_floor = paired(lambda: saves.save(loaded=False), saves.save_floor, repeat)
    return [
        Row("load (token + GET + parse)", load, "httpx.get + json.loads", load_floor, 1.5),
        Row("load with hierarchy", full, "2 × httpx.get + json.loads", full_floor, 1.5),
        Row("save (validate, GET, backup, PUT, verify)", save, "raw GET + PUT + GET",
            save_floor, 1.5),
        Row("save, course not loaded before (schedctl put)", cold, "raw GET + PUT + GET",
            cold_floor, 1.5),
    ]  # fmt: skip


def shift_rows(course: Schedule, repeat: int) -> list[Row]:
    from benchmarks import bench_shift

    ours, floor = paired(
        lambda: bench_shift.bench_shift_days(course),
        lambda: bench_shift.bench_floor_timedelta_loop(course),
        repeat,
    )
    return [Row("shift all items by 91 days", ours, "timedelta loop", floor, 3.0)]


def excel_rows(course: Schedule, repeat: int) -> list[Row]:
    from benchmarks import bench_excel

    export, export_floor = paired(
        lambda: bench_excel.bench_export(course),
        lambda: bench_excel.bench_export_floor(course),
        repeat,
    )
    read, read_floor = paired(
        lambda: bench_excel.bench_import(course),
        lambda: bench_excel.bench_import_floor(course),
        repeat,
    )
    return [
        Row("Excel export", export, "openpyxl write-only", export_floor, 2.0),
        Row("Excel import (read, check, apply)", read, "openpyxl read-only", read_floor, 2.0),
    ]


def gui_rows(url: str, repeat: int) -> list[Row]:
    """The grid stages, in a child process (Qt's exit must not take this one down)."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--gui-child", url, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE.parent,
        timeout=600,
    )
    found = [line for line in result.stdout.splitlines() if line.startswith("GUI_ROWS ")]
    if not found:
        raise RuntimeError(f"the GUI benchmark failed:\n{result.stdout}\n{result.stderr}")
    medians: dict[str, float] = json.loads(found[-1].removeprefix("GUI_ROWS "))
    return [Row(name, medians[name], max_seconds=target) for name, target in GUI_TARGETS.items()]


GUI_TARGETS = {
    "GUI model reset + first paint": 0.5,
    "GUI sort by start date": 0.3,
    "GUI filter": 0.3,
    "GUI bulk edit 10,000 cells (one undo step)": 1.0,
    "GUI undo the bulk edit": 1.0,
}


def gui_child(url: str, repeat: int) -> None:
    """Time the grid stages on course 900000 and print their medians as JSON."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from benchmarks import bench_gui

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:  # the offscreen plugin's known notice
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    api = bench_api.ApiBench(url)
    course = api.schedule()
    api.close()
    stages = dict(
        zip(
            GUI_TARGETS,
            (
                bench_gui.bench_load_and_first_paint,
                bench_gui.bench_sort,
                bench_gui.bench_filter,
                bench_gui.bench_bulk_edit,
                bench_gui.bench_undo,
            ),
            strict=True,
        )
    )
    bench = bench_gui.GuiBench(course)
    runs: dict[str, list[float]] = {name: [] for name in stages}
    for round_number in range(repeat + 1):  # round 0 is the warm-up
        for name, stage in stages.items():
            seconds = stage(bench)
            if round_number:
                runs[name].append(seconds)
    bench.close()
    medians = {name: statistics.median(times) for name, times in runs.items()}
    print("GUI_ROWS " + json.dumps(medians), flush=True)
    # PySide6 6.12 can crash while Python finalizes its objects; the numbers are out.
    os._exit(0)


def batch_rows(url: str, repeat: int) -> list[Row]:
    from benchmarks import bench_batch

    bench = bench_batch.BatchBench(url)
    ours, floor = paired(bench.ours, bench.floor, max(1, repeat // 3))
    stage = (
        f"term rollover: {bench_batch.SECTIONS} sections at "
        f"{bench_batch.LATENCY * 1000:.0f} ms, {bench_batch.JOBS} jobs (`schedctl shift`)"
    )
    floor_name = f"raw GET + PUT + GET per course, {bench_batch.JOBS} connections"
    return [Row(stage, ours, floor_name, floor, 1.5)]


def process_rows(url: str, repeat: int) -> list[Row]:
    ours, floor = paired(bench_process.bench_help, bench_process.bench_python_floor, repeat)
    get, get_floor = paired(
        lambda: bench_process.bench_get(url), lambda: bench_process.bench_get_floor(url), repeat
    )
    peak = bench_process.peak_memory_mb(url)
    return [
        Row("`schedctl --help` start-up", ours, "python -c pass", floor, max_seconds=0.3),
        Row("`schedctl get`, whole process", get, "login + httpx.get + json.loads", get_floor, 1.5),
        Row("peak memory, course loaded in the window", peak, max_seconds=300, unit="MB"),
    ]


def startup_rows(url: str, repeat: int) -> list[Row]:
    """Whole-process start-up against the bare-Qt floor, and the first load's gaps."""
    from benchmarks.bench_startup import GAP_KEYS, StartupBench

    bench = StartupBench()
    demo, demo_floor = paired(bench.demo, bench.floor, repeat)
    login, login_floor = paired(bench.login_dialog, bench.floor, repeat)
    probes: list[dict[str, float]] = []

    def course() -> float:
        probes.append(bench.course(url))
        return probes[-1]["login to painted"]

    loaded, loaded_floor = paired(course, lambda: bench.course_floor(url), repeat)
    probes = probes[1:]  # the warm-up run
    bare = "bare Qt window painted + saved"
    rows = [
        Row("start → demo course painted (`scheduler-gui --demo --screenshot`, whole process)",
            demo, bare, demo_floor, 2.5),
        Row("start → login dialog painted (whole process)", login, bare, login_floor, 2.0),
        Row("login → course painted (fresh process)", loaded,
            "raw token + GET + json.loads, bare table painted", loaded_floor),
    ]  # fmt: skip
    for key in GAP_KEYS:
        gap = statistics.median(probe[key] for probe in probes)
        where = " (fresh process)" if key.startswith("first") else ""
        rows.append(Row(f"longest event-loop gap, {key}{where}", gap, max_seconds=0.1))
    return rows


# ---------------------------------------------------------------------- output


HEADER = ["Stage (course 900000, 10,000 items)", "Ours", "Floor", "Ratio", "Target", "Result"]


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory = next((line.split()[1] for line in _lines("/proc/meminfo") if "MemTotal" in line), "")
    ram = f", {int(memory) / 1024**2:.0f} GB RAM" if memory else ""
    return (
        f"{os.cpu_count()} × {cpu}{ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def text_table(rows: list[Row]) -> str:
    table = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def markdown_table(rows: list[Row], repeat: int) -> str:
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(row.cells()) + " |" for row in rows),
    ]
    return (
        "# Benchmark results\n\n"
        f"Measured with `python -m benchmarks` on {machine()}. Each time is the median of "
        f"{repeat} runs after a warm-up; each floor is measured in the same run, "
        "interleaved with its stage.\n\n" + "\n".join(lines) + "\n"
    )


#: Command-line names of the groups of stages (``python -m benchmarks startup``).
GROUPS = {
    "api": "load and save", "shift": "shift", "excel": "Excel", "batch": "term rollover",
    "process": "start-up and memory", "gui": "GUI", "startup": "start-up",
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per stage (median)")
    parser.add_argument("--write", action="store_true", help=f"write the table to {RESULTS}")
    parser.add_argument("--gui-child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "groups", nargs="*", metavar="GROUP",
        help=f"run only these groups ({', '.join(GROUPS)}; default: all)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    unknown = [name for name in args.groups if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    if args.gui_child:
        gui_child(args.gui_child, args.repeat)

    from benchmarks.bench_batch import SECTIONS

    sandbox = Sandbox(sections=SECTIONS)
    rows: list[Row] = []
    failures: list[str] = []
    try:
        api = bench_api.ApiBench(sandbox.url)
        try:
            course = api.schedule()
            groups: dict[str, Callable[[], list[Row]]] = {
                "load and save": lambda: api_rows(api, args.repeat),
                "shift": lambda: shift_rows(course, args.repeat),
                "Excel": lambda: excel_rows(course, args.repeat),
                "term rollover": lambda: batch_rows(sandbox.url, args.repeat),
                "start-up and memory": lambda: process_rows(sandbox.url, args.repeat),
                "GUI": lambda: gui_rows(sandbox.url, args.repeat),
                "start-up": lambda: startup_rows(sandbox.url, args.repeat),
            }
            assert set(groups) == set(GROUPS.values())
            chosen = {GROUPS[name] for name in args.groups} or set(groups)
            groups = {name: group for name, group in groups.items() if name in chosen}
            print(f"{len(course):,} items from {sandbox.url}; median of {args.repeat} runs")
            for name, group in groups.items():
                try:
                    new = group()
                except Exception as exc:  # one broken stage must not hide the others
                    failures.append(f"{name}: {exc}")
                    print(f"  {name} FAILED: {exc}", file=sys.stderr, flush=True)
                    continue
                rows += new
                for row in new:
                    print("  " + " | ".join(cell for cell in row.cells() if cell), flush=True)
        finally:
            api.close()
    finally:
        sandbox.stop()

    print()
    print(machine())
    print(text_table(rows))
    for failure in failures:
        print(f"FAILED {failure}")
    if args.write:
        failed = "".join(f"\nFailed: {failure}\n" for failure in failures)
        RESULTS.write_text(markdown_table(rows, args.repeat) + failed, encoding="utf-8")
        print(f"Written to {RESULTS}")
    if failures:
        return 2
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
