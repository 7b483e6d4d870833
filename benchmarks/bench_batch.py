"""A term rollover at institution scale: 200 sections, 50 ms away, ours vs a raw floor.

The sandbox (another process, started with ``--seed-sections 200``) answers every
request 50 ms late, as a hosted LMS does. Each run starts from fresh data.

- ours: ``schedctl --yes shift 700001 ... 700200 --days 7 --jobs 8`` run in-process
  (``scheduler_gui.cli.main``): login, every course read and checked first, then each one
  through the full save pipeline (validate, GET + conflict check, backup, one PUT,
  verify GET) with its journal fsynced at every step, on 8 courses at once.
- floor: 8 threads on one raw ``httpx.Client`` (8 connections) doing GET + PUT (the
  same document back) + GET per course, each answer decoded with ``json.loads``, with a
  token fetched beforehand.

``python -m benchmarks.bench_batch [--repeat N]`` prints this row on its own; ``python
-m benchmarks`` includes it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.bench_api import raw_token

SECTIONS = 200
FIRST_SECTION = 700001
LATENCY = 0.05
JOBS = 8
USER = "prof"


@contextlib.contextmanager
def _environment(url: str) -> Iterator[None]:
    """Log in from the environment; settings, journals and backups in a fresh folder."""
    home = tempfile.mkdtemp(prefix="bench-batch-")
    values = {
        "LS_BASE_URL": url,
        "LS_CLIENT_STRING": "sandbox",
        "LS_APP_ID": "sandbox-app",
        "LS_USERNAME": USER,
        "LS_PASSWORD": USER,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        values[name] = str(Path(home) / name.lower())
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class BatchBench:
    """One sandbox with the generated sections; each run resets it first."""

    def __init__(self, url: str, sections: int = SECTIONS, jobs: int = JOBS) -> None:
        self.url = url
        self.courses = [str(FIRST_SECTION + n) for n in range(sections)]
        self.jobs = jobs

    def _fresh(self) -> None:
        with httpx.Client(base_url=self.url) as admin:
            admin.post("/_sandbox/reset").raise_for_status()
            admin.post("/_sandbox/faults", json={"spec": f"latency={LATENCY}"}).raise_for_status()

    def ours(self) -> float:
        from scheduler_gui.cli import main
        from scheduler_gui.store.logs import close_logging

        self._fresh()
        argv = ["--tz", "America/Denver", "--yes", "shift", *self.courses]
        argv += ["--days", "7", "--jobs", str(self.jobs)]
        out, err = io.StringIO(), io.StringIO()
        quiet = contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)
        with _environment(self.url), quiet[0], quiet[1]:
            started = time.perf_counter()
            code = main(argv)
            seconds = time.perf_counter() - started
            close_logging()
        if code != 0 or f"{len(self.courses)} verified" not in out.getvalue():
            raise RuntimeError(f"the batch failed ({code}):\n{err.getvalue()[-2000:]}")
        return seconds

    def floor(self) -> float:
        self._fresh()
        headers = raw_token(self.url)
        limits = httpx.Limits(max_connections=self.jobs)
        with httpx.Client(headers=headers, limits=limits, timeout=60) as http:

            def one(course: str) -> None:
                route = f"{self.url}/courses/{course}/itemSchedules.json"
                body = http.get(route).raise_for_status().content
                document = json.loads(body)
                put = {
                    "itemSchedules": [
                        {"itemId": entry["itemId"], "schedule": entry["schedule"]}
                        for entry in document["itemSchedules"]
                    ]
                }
                sent = json.dumps(put).encode()
                http.put(
                    route, content=sent, headers={"Content-Type": "application/json"}
                ).raise_for_status()
                json.loads(http.get(route).raise_for_status().content)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=self.jobs) as pool:
                list(pool.map(one, self.courses))
            return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import Sandbox, paired

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_batch")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sandbox = Sandbox(sections=SECTIONS)
    try:
        bench = BatchBench(sandbox.url)
        ours, floor = paired(bench.ours, bench.floor, args.repeat)
    finally:
        sandbox.stop()
    print(
        f"{SECTIONS} sections, {LATENCY * 1000:.0f} ms latency, {JOBS} jobs: "
        f"ours {ours:.2f} s, floor {floor:.2f} s, ratio {ours / floor:.2f}× (target ≤ 1.5×)"
    )
    return 0 if ours / floor <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
